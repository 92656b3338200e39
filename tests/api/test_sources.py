import pytest

from tests.api.helpers import API, all_results, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


def test_sources_list_and_detail(api_client):
    sources = all_results(api_client, "/sources/")
    assert "azernews" in slugs(sources)
    azernews = get_json(api_client, "/sources/azernews/")
    assert azernews["kind"] == "news_agency"
    assert azernews["display"] == "AzerNews"
    assert "azerbaijans-struggle-for-peace-within-cooperation-with-nato" in slugs(azernews["articles"])


def test_filter_by_kind(api_client):
    agencies = all_results(api_client, "/sources/", kind="news_agency")
    assert "azernews" in slugs(agencies)
    assert {s["kind"] for s in agencies} == {"news_agency"}
    assert_problem(api_client.get(f"{API}/sources/", {"kind": "pamphlet"}), 400, "kind")


def test_ordering_by_kind_then_slug(api_client):
    sources = all_results(api_client, "/sources/", ordering="kind")
    assert [(s["kind"], s["slug"]) for s in sources] == sorted((s["kind"], s["slug"]) for s in sources)
