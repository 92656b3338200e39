"""The loaded corpus holds what the five seed pages say: checked against the pages themselves."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db.models import Q

from corpus.models import Actor, Article, Event, Programme, ProgrammeParticipation, Quote, Source
from corpus.models.articles import checksum
from tests.conftest import CORPUS_FIXTURE, ROOT

pytestmark = pytest.mark.django_db

PAGES = ROOT / "fixtures" / "pages"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
A000 = "azerbaijan-steps-up-cooperation-with-nato"
A001 = "azerbaijans-struggle-for-peace-within-cooperation-with-nato"
A002 = "azerbaijan-and-nato-strategic-partnership-in-progress"
A003 = "azerbaijan-nato-relations-result-of-bakus-balanced-foreign-policy"
A004 = "will-azerbaijan-attend-the-nato-summit"

PEOPLE = [
    "Ilham Aliyev", "Araz Azimov", "Cesur Sumerinli", "Uzeir Jafarov", "Elmar Mammadyarov", "Liz Fuller",
    "Qabil Ashirov", "Ramil Mammadli", "Boris Yeltsin", "Shahla Jalilzade", "Max A.L.T. Nielsen",
    "Fariz Ismayilzade", "Hikmet Hajiyev", "Esmira Jafarova", "Ramil Shukurov", "Fatima Latifova",
    "Jens Stoltenberg", "James O'Brien", "Anthony Blinken", "Kerim Veliyev", "Stefan Fix", "Jasur Mammadov",
    "Kamran Mahmudov", "Karasin",
]  # fmt: skip
CHROME = ["Follow us", "Read more", "Share This Article", "Monday June 17 2024", "Monday July 15 2024",
          "© Photo", "About This Blog", "Latest See more", "Accessibility links", "Leave a review", "News Line"]  # fmt: skip


def named(name):
    return Actor.objects.filter(Q(name=name) | Q(aliases__name=name)).distinct().get()


def test_the_saved_pages_are_the_shared_seeds():
    if not SHARED_SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    for page in PAGES.glob("*.txt"):
        assert page.read_bytes() == (SHARED_SEEDS / page.name).read_bytes()


def test_five_articles_one_per_page():
    pages = {p.name for p in PAGES.glob("*.txt")}
    assert len(pages) == 5
    assert set(Article.objects.values_list("seed_file", flat=True)) == pages
    assert set(Article.objects.values_list("slug", flat=True)) == {A000, A001, A002, A003, A004}


def test_bodies_are_the_pages_text_without_chrome():
    for article in Article.objects.all():
        page = (PAGES / article.seed_file).read_text(encoding="utf-8")
        for paragraph in article.body.split("\n\n"):
            assert paragraph in page
        for chrome in CHROME:
            assert chrome not in article.body, (article.slug, chrome)
        assert article.body_sha256 == checksum(article.body)
        assert article.title not in article.body.split("\n\n")[0:1] or article.slug == A002


def test_datelines_keep_their_timezone_and_missing_ones_say_why():
    a001 = Article.objects.get(slug=A001)
    assert a001.published_at == dt.datetime(2024, 3, 19, 4, 30, tzinfo=dt.UTC)
    assert (a001.published_utc_offset, a001.published_precision) == ("+04:00", "day")
    assert a001.published_text == "19 March 2024 08:30 (UTC+04:00)"
    assert Article.objects.get(slug=A003).published_at == dt.datetime(2024, 6, 15, 4, 30, tzinfo=dt.UTC)
    for slug in (A000, A002, A004):
        article = Article.objects.get(slug=slug)
        assert article.published_at is None and article.published_note


def test_authors_and_sources_as_the_pages_give_them():
    def byline(slug):
        return list(Article.objects.get(slug=slug).bylines.values_list("author__name", flat=True))

    assert byline(A001) == ["Qabil Ashirov"]
    assert byline(A002) == ["Shahla Jalilzade"]
    assert byline(A003) == ["Fatima Latifova"]
    assert byline(A004) == []
    assert Article.objects.get(slug=A001).source == Article.objects.get(slug=A003).source
    assert Article.objects.get(slug=A001).source.name == "AzerNews"
    a002 = Article.objects.get(slug=A002)
    assert a002.source is None and "APA" in a002.source_note
    assert Article.objects.get(slug=A004).source.kind == "tv_programme"
    assert Source.objects.count() == 3


def test_every_named_person_is_one_actor():
    for name in PEOPLE:
        actor = named(name)
        assert actor.kind == "person", name
    mammadli = named("Ramil Mammadli")
    assert set(mammadli.mentions.values_list("article__slug", flat=True)) >= {A001, A003}
    assert named("R. Mammadli") == mammadli


def test_aliases_resolve_translations_acronyms_and_spellings():
    pfp = Programme.objects.get(slug="partnership-for-peace")
    assert {"SNT program"} <= set(pfp.aliases.values_list("name", flat=True))
    ipap = Programme.objects.get(slug="individual-partnership-action-plan")
    assert ipap.acronym == "IPAP"
    assert ipap.aliases.filter(name="Operational Plan for Individual Partnerships", kind="translation").exists()
    assert Programme.objects.get(aliases__name="Defense Education Expansion Program").acronym == "DEEP"
    assert named("Türkiye").slug == "turkey"
    assert named("North Atlantic Alliance").slug == "nato"


def test_ipap_cycles_are_separate_cited_periods():
    cycles = ProgrammeParticipation.objects.filter(
        programme__slug="individual-partnership-action-plan", participant__slug="azerbaijan"
    ).exclude(date_edtf="")
    assert {c.date_edtf for c in cycles} >= {"2005/2007", "2008/2009", "2012/2013"}
    first = cycles.get(date_edtf="2005/2007")
    assert (first.date_earliest, first.date_latest, first.date_precision) == (
        dt.date(2005, 1, 1), dt.date(2007, 12, 31), "year")  # fmt: skip
    assert first.citations.filter(excerpt__contains="2005-07", article__slug=A000).exists()


def test_april_2009_exercise_keeps_month_precision():
    exercise = Event.objects.get(type="exercise", date_edtf="2009-04")
    assert (exercise.date_earliest, exercise.date_latest, exercise.date_precision) == (
        dt.date(2009, 4, 1), dt.date(2009, 4, 30), "month")  # fmt: skip
    assert exercise.citations.filter(excerpt__contains="April 2009").exists()


def test_ndc_visit_on_13_december_2023_with_its_participants():
    visit = Event.objects.get(date_edtf="2023-12-13")
    assert visit.type == "visit" and visit.date_precision == "day"
    names = set(visit.participants.values_list("name", flat=True))
    assert {"Max A.L.T. Nielsen", "Fariz Ismayilzade", "Hikmet Hajiyev", "NATO Defense College"} <= names
    assert visit.participations.filter(actor__name="Max A.L.T. Nielsen", role="leader").exists()


def test_june_2_meeting_does_not_invent_a_year():
    meeting = Event.objects.get(date_edtf="XXXX-06-02")
    assert meeting.date_earliest is None and meeting.date_precision == "day"
    assert {"Kerim Veliyev", "Stefan Fix"} <= set(meeting.participants.values_list("name", flat=True))


def test_disagreeing_start_dates_are_kept_side_by_side():
    event = Event.objects.get(slug="beginning-of-azerbaijan-nato-cooperation")
    statements = list(event.date_statements.all())
    assert {s.date_edtf for s in statements} >= {"1992", "1993~/1997~"}
    assert statements[0].is_preferred and sum(s.is_preferred for s in statements) == 1
    assert event.date_edtf == statements[0].date_edtf
    cited = {c.article.slug for s in statements for c in s.citations.all()}
    assert {A001, A002, A003} <= cited
    assert event.date_statements.get(date_edtf="1992").citations.filter(
        excerpt__contains="began in 1992", article__slug=A003).exists()  # fmt: skip


def test_quotes_have_speakers_and_verbatim_words():
    jafarov = Quote.objects.get(speaker__name="Uzeir Jafarov")
    assert "a blow to everything done to date" in jafarov.text
    assert jafarov.article.slug == A000
    assert Quote.objects.filter(speaker__name="Ramil Mammadli", citation__article__slug=A001).count() >= 3
    assert Quote.objects.filter(speaker__name="Ramil Mammadli", citation__article__slug=A003).count() >= 7
    assert Quote.objects.filter(speaker__name="James O'Brien", citation__excerpt__contains="Anthony Blinken").exists()
    assert Quote.objects.filter(speaker__name="Jasur Mammadov").count() >= 2
    for quote in Quote.objects.select_related("citation__article"):
        assert quote.article.body[quote.citation.start : quote.citation.end] == quote.text


def test_counts_per_kind_match_the_compiled_fixture():
    objects = json.loads(Path(CORPUS_FIXTURE).read_text(encoding="utf-8"))
    expected = {}
    for obj in objects:
        expected[obj["model"]] = expected.get(obj["model"], 0) + 1
    from django.apps import apps

    for label, count in expected.items():
        assert apps.get_model(label).objects.count() == count, label
    assert expected["corpus.article"] == 5
    assert expected["corpus.actor"] >= 60
    assert expected["corpus.programme"] >= 8
    assert expected["corpus.event"] >= 30
    assert expected["corpus.quote"] >= 15
