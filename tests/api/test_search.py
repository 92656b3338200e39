import pytest
from django.db import connection

from tests.api.helpers import API, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["Türkiye", "turkiye", "TURKEY"])
def test_turkey_by_any_spelling(api_client, q):
    assert "turkey" in slugs(get_json(api_client, "/search/", q=q)["actors"])


def test_a_translated_acronym_finds_the_programme(api_client):
    result = get_json(api_client, "/search/", q="SNT")
    assert "partnership-for-peace" in slugs(result["programmes"])


def test_an_acronym_finds_the_programme(api_client):
    assert "individual-partnership-action-plan" in slugs(get_json(api_client, "/search/", q="IPAP")["programmes"])


def test_articles_come_with_highlighted_snippets(api_client):
    result = get_json(api_client, "/search/", q="Partnership")
    assert result["backend"] == ("postgresql" if connection.vendor == "postgresql" else "simple")
    assert result["articles"]
    for hit in result["articles"]:
        assert "<mark>" in hit["snippet"]
        assert hit["rank"] > 0
        assert set(hit["article"]) >= {"slug", "title", "url"}


def test_limit(api_client):
    result = get_json(api_client, "/search/", q="a", limit=1)
    assert all(len(result[kind]) <= 1 for kind in ("articles", "actors", "programmes", "events"))


@pytest.mark.parametrize("params, parameter", [({}, "q"), ({"q": ""}, "q"), ({"q": "nato", "limit": "x"}, "limit")])
def test_bad_queries_are_400s(api_client, params, parameter):
    assert_problem(api_client.get(f"{API}/search/", params), 400, parameter)
