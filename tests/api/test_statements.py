"""Lists whose SQL is compiled once per request shape (api.v1.statements): the same answers, fewer queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.v1 import rows, statements
from api.v1 import serializers as s
from api.v1.views import TimelineViewSet
from corpus.models import Article, Source
from tests.api.helpers import API, all_results, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    settings.API_CACHE_SECONDS = 0  # each request runs its view


def queries(client, path, **params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        data = get_json(client, path, **params)
    return len(captured), data


def test_a_repeated_list_skips_building_its_query_and_answers_the_same(api_client):
    first_cost, first = queries(api_client, "/articles/", source="azernews", page_size=2)
    second_cost, second = queries(api_client, "/articles/", source="azernews", page_size=2)
    assert second == first and first["results"]
    assert second_cost < first_cost  # neither the count nor the source's slug lookup runs again
    other_page = get_json(api_client, "/articles/", source="azernews", page_size=1, page=2)
    assert other_page["results"] == first["results"][1:2]  # the page is not part of the key


def test_each_filter_value_has_its_own_sql(api_client):
    sources = [source for source in Source.objects.values_list("slug", flat=True) if source]
    seen = {}
    for _ in range(2):  # the second time round every shape is compiled already
        for source in sources:
            articles = get_json(api_client, "/articles/", source=source, page_size=100)["results"]
            assert {article["source"]["slug"] for article in articles} <= {source}
            assert seen.setdefault(source, slugs(articles)) == slugs(articles)


def test_a_bad_parameter_is_still_a_400_after_good_ones_were_compiled(api_client):
    get_json(api_client, "/articles/", source="azernews")
    assert_problem(api_client.get(f"{API}/articles/", {"source": "no-such-outlet"}), 400, "source")
    assert_problem(api_client.get(f"{API}/articles/", {"source": "azernews", "page": "x"}), 400, "page")


def test_a_write_recompiles_so_a_slug_given_to_another_outlet_finds_that_outlet(api_client, committed):
    before = get_json(api_client, "/articles/", source="azernews", page_size=100)["results"]
    other = Source.objects.exclude(slug="azernews").exclude(articles=None).first()
    Source.objects.filter(slug="azernews").update(slug="azernews-old")
    other.slug = "azernews"
    other.save()
    committed()  # the corpus version moves as the writes commit
    after = get_json(api_client, "/articles/", source="azernews", page_size=100)["results"]
    assert {article["source"]["name"] for article in after} == {other.name}
    assert slugs(after) != slugs(before)


def test_signed_in_requests_compile_every_time(api_client, django_user_model):
    anonymous = get_json(api_client, "/articles/", source="azernews")
    api_client.force_login(django_user_model.objects.create_user("reader", password="x"))
    statements.forget()
    assert get_json(api_client, "/articles/", source="azernews") == anonymous  # the same page, by the old path
    assert not statements._compiled  # no corpus version on the request: nothing kept


def test_details_stay_right_once_postgresql_has_prepared_their_query(api_client, settings):
    """The detail's statement is the same for every slug: past the prepare threshold PostgreSQL runs it statements."""
    articles = all_results(api_client, "/articles/")
    threshold = settings.DATABASES["default"].get("OPTIONS", {}).get("prepare_threshold") or 0
    for _ in range(threshold // len(articles) + 2):
        for article in articles:
            detail = get_json(api_client, f"/articles/{article['slug']}/")
            assert (detail["slug"], detail["title"], detail["authors"]) == (article["slug"], article["title"], article["authors"])


def test_timestamps_read_natively_are_the_orms_instants_in_utc():
    articles = Article.objects.order_by("slug").values("slug", "published_at")
    fetched = statements.CompiledRows.of(articles).fetch(0, 100)
    assert fetched == list(articles[:100]) and any(row["published_at"] for row in fetched)
    assert {row["published_at"].utcoffset() for row in fetched if row["published_at"]} == {dt.timedelta(0)}
    if connection.vendor == "postgresql":  # and not by Django's loader, a Python subclass of psycopg's
        from django.db.backends.postgresql.psycopg_any import BaseTzLoader
        from psycopg import postgres, pq

        with connection.cursor() as cursor:
            statements.load_timestamps_natively(cursor)
            loader = cursor.cursor.adapters.get_loader(postgres.types["timestamptz"].oid, pq.Format.TEXT)
        assert not issubclass(loader, BaseTzLoader)


def timeline_rows() -> rows.Rows:
    request = Request(APIRequestFactory().get(f"{API}/timeline/"))
    request.version = "v1"
    return rows.Rows(request, None, s.TimelineEntrySerializer, s.TimelineEntrySerializer.Meta.fields)


@pytest.mark.parametrize("ordering", [(), ("-slug",)])
def test_grouped_collections_are_the_per_row_ones_page_for_page(ordering):
    """On PostgreSQL a timeline page's participants and programmes come from one grouped pass over the page
    (api.v1.rows.CompiledCollection), joined back in the page's order; elsewhere, and for keyset pages, from per-row
    subqueries."""
    renderer = timeline_rows()
    queryset = TimelineViewSet.queryset.order_by(*ordering) if ordering else TimelineViewSet.queryset.all()
    per_row = list(renderer.select(queryset))
    compiled = statements.CompiledRows.of(*renderer.select_pages(queryset))
    assert bool(compiled.collections) == (connection.vendor == "postgresql")
    for size in (1, 4, 100):
        pages = [compiled.fetch(low, low + size) for low in range(0, len(per_row), size)]
        assert [{k: v for k, v in row.items() if k != statements.PAGE_POSITION} for page in pages for row in page] == per_row
    assert all(row["participants_json"] for row in per_row)  # every dated event of the corpus has participants,
    assert {bool(row["programmes_json"]) for row in per_row} == {True, False}  # some of them programmes


def test_a_distinct_page_keeps_its_per_row_collections():
    """A row number would tell a DISTINCT query's duplicate rows apart: such a page is not grouped."""
    renderer = timeline_rows()
    rows, collections = renderer.select_pages(TimelineViewSet.queryset.distinct())
    assert collections == {} and {"participants_json", "programmes_json"} <= set(rows.query.annotations)
