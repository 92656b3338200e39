"""A list request costs a fixed number of SQL queries whatever the page size (count, page, prefetches)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import API

pytestmark = pytest.mark.django_db

LISTS = {
    "articles": 3,  # count, page (with source), bylines (with authors)
    "sources": 2,  # count, page (with organisation)
    "actors": 2,  # count, page (with country and parent)
    "programmes": 2,  # count, page (with owner)
    "events": 2,  # count, page (with country)
    "quotes": 2,  # count, page (with speaker, citation, article, event)
    "timeline": 4,  # count, page, participations (with actors), programmes
    "disputes": 4,  # count, page, date statements, their citations (with articles)
}


@pytest.fixture
def overhead(api_client):
    """Queries any API request makes before a view runs (e.g. the cache middleware's corpus version)."""
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/no-such-thing/").status_code == 404
    return len(queries)


@pytest.mark.parametrize("resource, queries", LISTS.items())
@pytest.mark.parametrize("page_size", [1, 100])
def test_list_query_count_is_fixed(api_client, django_assert_num_queries, overhead, resource, queries, page_size):
    with django_assert_num_queries(overhead + queries):
        response = api_client.get(f"{API}/{resource}/", {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(page_size, response.json()["count"])


@pytest.mark.parametrize("params", [{"include": "body"}, {"fields": "slug,body"}, {"facets": "year"}])
@pytest.mark.parametrize("page_size", [1, 100])
def test_optional_parts_cost_a_fixed_number_too(api_client, django_assert_num_queries, overhead, params, page_size):
    extra = 1 if "facets" in params else 0  # one grouped query per facet
    with django_assert_num_queries(overhead + LISTS["articles"] + extra):
        response = api_client.get(f"{API}/articles/", {"page_size": page_size, **params})
    assert response.status_code == 200
    if "facets" not in params:
        assert all(article["body"] for article in response.json()["results"])
