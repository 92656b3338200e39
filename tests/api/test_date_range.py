"""The one date-range filter (corpus.dates.DateRange) on every endpoint that filters by date, on the seed corpus."""

import datetime as dt

import pytest

from corpus.models import Article
from tests.api.helpers import API, all_results, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db

BEGINNING = "beginning-of-azerbaijan-nato-cooperation"  # 1993~/1997~, "mid-1990s"
EXERCISE = "nato-exercise-outside-baku-2009"  # 2009-04
AFGHANISTAN = "azerbaijani-peacekeepers-in-afghanistan"  # 2002/..
STRUGGLE = "azerbaijans-struggle-for-peace-within-cooperation-with-nato"  # published 2024-03-19
BALANCED = "azerbaijan-nato-relations-result-of-bakus-balanced-foreign-policy"  # published 2024-06-15
ENDPOINTS = {  # path: the other parameters it needs
    "articles": ("/articles/", {}),
    "events": ("/events/", {}),
    "timeline": ("/timeline/", {}),
    "disputes": ("/disputes/", {}),
    "quotes": ("/quotes/", {}),
    "programmes": ("/programmes/", {}),
    "graph": ("/graph/", {}),
    "search": ("/search/", {"q": "nato", "limit": 50}),
}
each_endpoint = pytest.mark.parametrize("path, params", ENDPOINTS.values(), ids=ENDPOINTS)


@each_endpoint
@pytest.mark.parametrize(
    "after, before, as_days",
    [
        ("2009", "2009", ("2009-01-01", "2009-12-31")),
        ("2009-04", "2009-04", ("2009-04-01", "2009-04-30")),
        ("1993~", "1997~", ("1993-01-01", "1997-12-31")),
        ("199X", "2024-03-19", ("1990-01-01", "2024-03-19")),
        ("2024-21", "2024-22", ("2024-03-01", "2024-08-31")),  # spring to summer 2024
    ],
)
def test_edtf_bounds_mean_their_first_and_last_days(api_client, path, params, after, before, as_days):
    by_days = get_json(api_client, path, **params, date_after=as_days[0], date_before=as_days[1])
    assert get_json(api_client, path, **params, date_after=after, date_before=before) == by_days
    assert get_json(api_client, path, **params, date_after=after) == get_json(api_client, path, **params, date_after=as_days[0])
    assert get_json(api_client, path, **params, date_before=before) == get_json(
        api_client, path, **params, date_before=as_days[1]
    )


@each_endpoint
def test_an_inverted_range_is_a_400_naming_date_before(api_client, path, params):
    body = assert_problem(api_client.get(f"{API}{path}", {**params, "date_after": "2010", "date_before": "2009-12"}), 400)
    assert set(body["errors"]) == {"date_before"}
    assert "2009-12" in body["errors"]["date_before"][0]
    get_json(api_client, path, **params, date_after="2009", date_before="2009")  # one year is no inverted range


@each_endpoint
@pytest.mark.parametrize("value", ["2009-13", "April 2009", "2009/2010", "XXXX-04", "2009-02-30", "2009-04-12T10:00"])
def test_a_malformed_bound_is_a_400_naming_it_with_the_accepted_forms(api_client, path, params, value):
    for name in ("date_after", "date_before"):
        body = assert_problem(api_client.get(f"{API}{path}", {**params, name: value}), 400, name)
        assert "2009-04" in body["errors"][name][0] and "1993~" in body["errors"][name][0]
    assert_problem(api_client.get(f"{API}{path}", {**params, "date_match": "maybe"}), 400, "date_match")


@each_endpoint
@pytest.mark.parametrize("date_match", ["overlaps", "within"])
def test_the_calendars_first_and_last_years_are_bounds_like_any(api_client, path, params, date_match):
    everything = get_json(api_client, path, **params, date_after="0001", date_before="9999", date_match=date_match)
    as_days = {"date_after": "0001-01-01", "date_before": "9999-12-31"}
    assert everything == get_json(api_client, path, **params, **as_days, date_match=date_match)
    if path == "/articles/":
        assert {article["slug"] for article in everything["results"]} == {STRUGGLE, BALANCED}  # the dated ones


@pytest.mark.parametrize("path", ["/events/", "/timeline/"])
def test_overlaps_and_within_on_a_fuzzy_event(api_client, path):
    def found(**params):
        return set(slugs(all_results(api_client, path, **params)))

    mid_nineties = {"date_after": "1995", "date_before": "1996"}
    assert BEGINNING in found(**mid_nineties)  # the mid-1990s may fall in 1995-1996...
    assert BEGINNING not in found(**mid_nineties, date_match="within")  # ...but not certainly
    assert BEGINNING in found(date_after="1993~", date_before="1997~", date_match="within")
    assert {EXERCISE, AFGHANISTAN} <= found(date_after="2009", date_before="2009")  # from 2002 may reach 2009
    within_2009 = found(date_after="2009", date_before="2009", date_match="within")
    assert EXERCISE in within_2009 and AFGHANISTAN not in within_2009


def test_search_filters_events_by_their_dates_and_articles_by_publication(api_client):
    def search(**params):
        result = get_json(api_client, "/search/", q="cooperation", limit=50, **params)
        return set(slugs(result["events"])), {hit["article"]["slug"] for hit in result["articles"]}

    events, articles = search()
    assert BEGINNING in events and STRUGGLE in articles and len(articles) > 1
    events, articles = search(date_after="1995", date_before="1996")
    assert BEGINNING in events and not articles
    events, _ = search(date_after="1995", date_before="1996", date_match="within")
    assert BEGINNING not in events
    _, articles = search(date_after="2024-03", date_before="2024-03")
    assert articles == {STRUGGLE}


def test_a_dated_search_ranks_the_same_hits_as_an_undated_one(api_client):
    """A one-word search reads the word's best articles (corpus migration 0006), which know no dates: a dated
    search ranks every match instead, and keeps exactly the undated search's hits that are in the range."""
    every = get_json(api_client, "/search/", q="nato", limit=50, kinds="articles")["articles"]
    dated = get_json(api_client, "/search/", q="nato", limit=50, kinds="articles", date_after="2024")["articles"]
    assert {hit["article"]["slug"] for hit in dated} == {STRUGGLE, BALANCED}
    assert dated == [hit for hit in every if hit["article"]["slug"] in {STRUGGLE, BALANCED}]


@pytest.mark.parametrize("date_range", [{"date_after": "2024-06"}, {"date_after": "1995", "date_before": "2009-04"}])
@pytest.mark.parametrize("date_match", ["overlaps", "within"])
def test_the_graph_links_actors_only_by_the_events_and_articles_in_the_range(api_client, date_range, date_match):
    params = {**date_range, "date_match": date_match}
    events = set(slugs(all_results(api_client, "/events/", **params)))
    articles = set(slugs(all_results(api_client, "/articles/", **params)))
    edges = get_json(api_client, "/graph/", **params)["edges"]
    linking_events = {slug for edge in edges for slug in edge["events"]}
    linking_articles = {slug for edge in edges for slug in edge["articles"]}
    assert linking_events <= events and linking_articles <= articles
    assert edges and all(edge["weight"] == len(edge["events"]) + len(edge["articles"]) for edge in edges)
    every = get_json(api_client, "/graph/")["edges"]
    assert linking_events == {slug for edge in every for slug in edge["events"]} & events  # none lost either
    assert linking_articles == {slug for edge in every for slug in edge["articles"]} & articles


def test_the_graph_filters_co_mentions_by_publication_date(api_client):
    def link(**params):
        graph = get_json(api_client, "/graph/", **params)
        return next(edge for edge in graph["edges"] if (edge["source"], edge["target"]) == ("azerbaijan", "nato"))

    assert link(date_after="2024-06", date_before="2024-06")["articles"] == [BALANCED]
    assert EXERCISE in link(date_after="2009-04", date_before="2009-04")["events"]
    assert BEGINNING not in link(date_after="2009-04", date_before="2009-04")["events"]


def test_quotes_are_dated_by_their_article(api_client):
    quotes = all_results(api_client, "/quotes/", date_after="2024-06")
    assert quotes and {quote["article"]["slug"] for quote in quotes} == {BALANCED}
    assert all_results(api_client, "/quotes/", date_before="2023") == []  # the undated articles' quotes never match


@pytest.mark.parametrize(
    "precision, range_, overlaps, within",
    [
        ("day", {"date_after": "2024-03-19", "date_before": "2024-03-19"}, True, True),
        ("day", {"date_after": "2024-03-20"}, False, False),
        ("month", {"date_after": "2024-03-20"}, True, False),  # March 2024 may end after the 20th
        ("month", {"date_after": "2024-03", "date_before": "2024-03"}, True, True),
        ("month", {"date_before": "2024-03-01"}, True, False),
        ("month", {"date_before": "2024-02"}, False, False),
        ("year", {"date_after": "2024-06", "date_before": "2025"}, True, False),
        ("year", {"date_after": "2024", "date_before": "2024"}, True, True),
        ("decade", {"date_after": "2029"}, True, False),
        ("season", {"date_after": "2024-03", "date_before": "2024-05"}, True, True),  # spring 2024
        ("season", {"date_after": "2024-04"}, True, False),
    ],
)
def test_an_articles_publication_date_spans_its_precision(api_client, precision, range_, overlaps, within):
    Article.objects.filter(slug=STRUGGLE).update(published_precision=precision)  # published 2024-03-19T04:30Z
    assert (STRUGGLE in slugs(all_results(api_client, "/articles/", **range_))) is overlaps
    assert (STRUGGLE in slugs(all_results(api_client, "/articles/", **range_, date_match="within"))) is within


def test_an_article_published_on_the_last_instant_of_a_month_is_in_that_month(api_client):
    last = dt.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=dt.UTC)
    Article.objects.create(slug="leap", title="Leap", source_note="A test.", published_at=last, body="Leap.")
    assert "leap" in slugs(all_results(api_client, "/articles/", date_after="2024-02", date_before="2024-02"))
    assert "leap" not in slugs(all_results(api_client, "/articles/", date_after="2024-03"))
