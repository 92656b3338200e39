import pytest

from tests.api.helpers import API, all_results, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


def test_quotes_by_an_expert(api_client):
    quotes = all_results(api_client, "/quotes/", speaker="ramil-mammadli")
    assert quotes and {q["speaker"]["slug"] for q in quotes} == {"ramil-mammadli"}
    quote = quotes[0]
    assert {"key", "url", "display", "speaker", "text", "article", "citation", "event", "context"} <= set(quote)
    assert quote["citation"]["excerpt"] == quote["text"]
    assert quote["citation"]["article"]["slug"] == quote["article"]["slug"]
    assert quote["citation"]["end"] - quote["citation"]["start"] == len(quote["text"])


def test_quote_detail_by_key(api_client):
    quote = all_results(api_client, "/quotes/")[0]
    detail = get_json(api_client, f"/quotes/{quote['key']}/")
    assert detail == quote
    assert detail["url"].endswith(f"/quotes/{quote['key']}/")


def test_filter_by_article_and_text(api_client):
    article = "azerbaijans-struggle-for-peace-within-cooperation-with-nato"
    quotes = all_results(api_client, "/quotes/", article=article)
    assert quotes and {q["article"]["slug"] for q in quotes} == {article}
    word = quotes[0]["text"].split()[0]
    assert quotes[0]["key"] in slugs(all_results(api_client, "/quotes/", q=word), "key")


def test_ordering_by_position_in_article(api_client):
    article = "azerbaijans-struggle-for-peace-within-cooperation-with-nato"
    quotes = all_results(api_client, "/quotes/", article=article, ordering="start")
    starts = [q["citation"]["start"] for q in quotes]
    assert starts == sorted(starts)


@pytest.mark.parametrize("params, parameter", [({"speaker": "nobody"}, "speaker"), ({"ordering": "text"}, "ordering")])
def test_bad_filters_are_400s(api_client, params, parameter):
    assert_problem(api_client.get(f"{API}/quotes/", params), 400, parameter)
