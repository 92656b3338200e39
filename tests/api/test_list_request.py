"""A list request is read once (api.list_request.ListRequest) and its keys are normalised: the compiled SQL and the
cached count of a list do not depend on the order of its parameters, its page, its format or its facets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.v1 import statements
from tests.api.helpers import API, assert_problem, get_json

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    settings.API_CACHE_SECONDS = 0  # each request runs its view


def count_queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"{API}{path}", params).status_code == 200
    return sum("__count" in query["sql"] for query in captured)  # QuerySet.count()'s


def test_the_same_list_in_any_parameter_order_compiles_once_and_counts_once(api_client):
    first = {"actor": ["azerbaijan", "nato"], "ordering": "title", "page_size": 2}
    assert count_queries(api_client, "/events/", first) == 1
    assert len(statements._compiled) == 1
    same_list = [
        {"page_size": 2, "ordering": "title", "actor": ["nato", "azerbaijan"]},
        {"ordering": "title", "actor": ["azerbaijan", "nato"], "page_size": 1, "page": 2},
        {"actor": ["nato", "azerbaijan"], "ordering": "title", "format": "csv"},
        {"actor": ["nato", "azerbaijan"], "ordering": "title", "facets": "year"},
    ]
    for params in same_list:
        assert count_queries(api_client, "/events/", params) == 0  # the count was cached under the normalised filters
    assert len(statements._compiled) == 1  # and the statement compiled under the normalised key


def test_what_changes_the_rows_changes_the_keys(api_client):
    base = {"type": "meeting", "page_size": 2}
    count_queries(api_client, "/events/", base)
    assert count_queries(api_client, "/events/", {**base, "ordering": "title"}) == 0  # another order: the same count
    assert count_queries(api_client, "/events/", {**base, "fields": "slug"}) == 0  # other columns: the same count
    assert len(statements._compiled) == 3  # ... but each its own statement
    assert count_queries(api_client, "/events/", {**base, "type": "visit"}) == 1  # another filter: another count


@pytest.mark.parametrize(
    "params, name",
    [
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page": "1", "cursor": ""}, "cursor"),
        ({"facets": "colour"}, "facets"),
        ({"fields": "colour"}, "fields"),
    ],
)
def test_a_bad_list_parameter_is_refused_before_any_query_runs(api_client, params, name):
    with CaptureQueriesContext(connection) as captured:
        body = assert_problem(api_client.get(f"{API}/articles/", params), 400)
    assert list(body["errors"]) == [name]
    assert not [query for query in captured if "corpus_article" in query["sql"]]


def test_the_pages_of_a_list_follow_one_another(api_client):
    pages = [get_json(api_client, "/timeline/", page_size=7, page=page)["results"] for page in (1, 2, 3)]
    whole = get_json(api_client, "/timeline/", page_size=21)["results"]
    assert [event for page in pages for event in page] == whole
