"""check_corpus passes on the seed corpus and catches each kind of broken invariant."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from corpus.models import Actor, Alias, Citation, Event, Mention

pytestmark = pytest.mark.django_db


def check_fails_with(text):
    with pytest.raises(CommandError):
        call_command("check_corpus", verbosity=0)
    from corpus.services.integrity import find_problems

    assert any(text in problem for problem in find_problems()), find_problems()


def test_seed_corpus_is_consistent(capsys):
    call_command("check_corpus")
    assert "consistent" in capsys.readouterr().out


def test_every_citation_and_mention_matches_its_article():
    citations = Citation.objects.select_related("article")
    assert citations.exists()
    for citation in citations:
        assert citation.article.body[citation.start : citation.end] == citation.excerpt
    for mention in Mention.objects.select_related("article"):
        assert mention.article.body[mention.start : mention.end] == mention.text


def test_shifted_citation_offsets_are_reported():
    """The database refuses them (migration 0012); without its triggers, the check notices."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER corpus_citation_text_in_body ON corpus_citation")
        else:
            cursor.execute("DROP TRIGGER corpus_citation_text_in_body_update")
    citation = Citation.objects.first()
    Citation.objects.filter(pk=citation.pk).update(start=citation.start + 1, end=citation.end + 1)
    check_fails_with(f"citation {citation.key}")


def test_event_date_out_of_step_with_preferred_statement_is_reported():
    """Triggers keep the copy (migration 0007); without them, as after a SQLite table remake, the check notices."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER corpus_event_date_follows_preferred ON corpus_event")
        else:
            cursor.execute("DROP TRIGGER corpus_event_date_follows_preferred_update")
    event = Event.objects.exclude(date_edtf="").first()
    Event.objects.filter(pk=event.pk).update(date_edtf="1066")
    check_fails_with(f"event {event.slug}")


def test_orphan_citation_is_reported():
    citation = Citation.objects.filter(quote__isnull=True).first()
    orphan = Citation.objects.create(article=citation.article, start=0, end=5, excerpt=citation.article.body[:5], key="orphan")
    check_fails_with(f"citation {orphan.key}: cites no fact")


def test_duplicate_actor_by_alias_is_reported():
    nato = Actor.objects.get(slug="nato")
    twin = Actor.objects.create(slug="nato-twin", name="NATO twin", kind="organisation")
    Alias.objects.create(actor=twin, name=nato.name, normalized=nato.name.casefold(), kind="variant")
    Mention.objects.create(article=nato.mentions.first().article, start=0, end=0, text="", actor=twin)
    check_fails_with("nato, nato-twin")
