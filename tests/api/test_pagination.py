"""Page-number pagination: count/next/previous/results, page_size capped at 100, bad input is a 400."""

import pytest

from tests.api.helpers import API, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


def test_pages_partition_the_list(api_client):
    everything = get_json(api_client, "/events/", page_size=100)
    pages, page = [], get_json(api_client, "/events/", page_size=7)
    assert page["previous"] is None
    while True:
        pages.extend(page["results"])
        assert page["count"] == everything["count"]
        if not page["next"]:
            break
        page = api_client.get(page["next"]).json()
    assert slugs(pages) == slugs(everything["results"])
    assert len(set(slugs(pages))) == everything["count"]


def test_default_page_size_is_20(api_client):
    data = get_json(api_client, "/actors/")
    assert len(data["results"]) == min(20, data["count"])


def test_the_cap_is_100(api_client):
    assert get_json(api_client, "/actors/", page_size=100)["results"]


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "9999"}, "page"),
        ({"page_size": "100000"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
@pytest.mark.parametrize("resource", ["articles", "events", "timeline", "quotes"])
def test_bad_pages_are_400s(api_client, resource, params, parameter):
    assert_problem(api_client.get(f"{API}/{resource}/", params), 400, parameter)
