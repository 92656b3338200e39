"""A request costs a fixed number of SQL queries whatever the page size.

A list's count is one query the first time a corpus version sees that filter, then comes from
the cache; the hot lists (articles, actors, events, timeline: rendered from rows, api.v1.rows)
then cost one statement, their page with its related rows as JSON, whatever fields are asked for.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.v1.urls import router
from tests.api.helpers import API

pytestmark = pytest.mark.django_db

LISTS = {  # queries after the count
    "articles": 1,  # page (with source, and its authors as JSON)
    "sources": 1,  # page (with organisation)
    "actors": 1,  # page (with country and parent)
    "programmes": 1,  # page (with owner)
    "events": 1,  # page (with country)
    "quotes": 1,  # page (with speaker, citation, article, event)
    "timeline": 1,  # page (with participants and programmes as JSON)
    "disputes": 3,  # page, date statements, their citations (with articles)
}
HOT = ["articles", "actors", "events", "timeline"]
ROUTES = {prefix: viewset for prefix, viewset, _ in router.registry}


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    settings.API_CACHE_SECONDS = 0  # each request runs its view


@pytest.fixture
def overhead(api_client):
    """Queries any API request makes before a view runs (e.g. the cache middleware's corpus version)."""
    assert connection.features.supports_json_field  # probed by a query on SQLite, once per connection
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/no-such-thing/").status_code == 404
    return len(queries)


@pytest.mark.parametrize("resource, queries", LISTS.items())
@pytest.mark.parametrize("params", [{"page_size": 1}, {"page_size": 100}, {"page_size": 100, "cursor": ""}])
def test_list_query_count_is_fixed(api_client, django_assert_num_queries, overhead, resource, queries, params):
    with django_assert_num_queries(overhead + 1 + queries):  # the count, the first time
        response = api_client.get(f"{API}/{resource}/", params)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(params["page_size"], response.json()["count"])
    with django_assert_num_queries(overhead + queries):  # then cached
        assert api_client.get(f"{API}/{resource}/", params).json() == response.json()


@pytest.mark.parametrize("resource", HOT)
@pytest.mark.parametrize("fields", ["every", "slug"])
def test_a_hot_list_is_one_statement_at_any_field_set(api_client, django_assert_num_queries, overhead, resource, fields):
    """Every field of the resource's serializer (its collections and optional fields included), or one."""
    serializer_class = ROUTES[resource].serializer_class
    params = {"page_size": 100, "fields": ",".join(serializer_class.Meta.fields) if fields == "every" else fields}
    api_client.get(f"{API}/{resource}/", params)  # counts
    with django_assert_num_queries(overhead + 1):
        response = api_client.get(f"{API}/{resource}/", params)
    assert response.status_code == 200 and len(response.json()["results"]) > 1
    assert list(response.json()["results"][0]) == params["fields"].split(",")


@pytest.mark.parametrize(
    "params, queries",
    [
        ({"include": "body"}, 1),
        ({"fields": "slug,body"}, 1),
        ({"facets": "year"}, 2),  # one grouped query per facet
        ({"source": "azernews", "language": "en"}, 1),  # the slug was resolved when the filter was first seen (api.v1.statements)
    ],
)
@pytest.mark.parametrize("page_size", [1, 100])
def test_optional_parts_cost_a_fixed_number_too(api_client, django_assert_num_queries, overhead, params, queries, page_size):
    api_client.get(f"{API}/articles/", {"page_size": page_size, **params})  # counts
    with django_assert_num_queries(overhead + queries):
        response = api_client.get(f"{API}/articles/", {"page_size": page_size, **params})
    assert response.status_code == 200
    if "body" in str(params):
        assert all(article["body"] for article in response.json()["results"])


def test_an_article_detail_costs_one_query(api_client, django_assert_num_queries, overhead):
    with django_assert_num_queries(overhead + 1):  # the article with its authors, mentions and quotes as JSON
        response = api_client.get(f"{API}/articles/azerbaijans-struggle-for-peace-within-cooperation-with-nato/")
    assert response.status_code == 200 and response.json()["quotes"]
