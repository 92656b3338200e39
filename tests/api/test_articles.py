import pytest

from tests.api.helpers import API, all_results, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db

ARTICLES = {
    "azerbaijan-steps-up-cooperation-with-nato",
    "azerbaijans-struggle-for-peace-within-cooperation-with-nato",
    "azerbaijan-and-nato-strategic-partnership-in-progress",
    "azerbaijan-nato-relations-result-of-bakus-balanced-foreign-policy",
    "will-azerbaijan-attend-the-nato-summit",
}
STRUGGLE = "azerbaijans-struggle-for-peace-within-cooperation-with-nato"


def test_the_list_has_the_five_articles_without_their_bodies(api_client):
    results = all_results(api_client, "/articles/")
    assert set(slugs(results)) == ARTICLES
    first = results[0]
    assert "body" not in first
    assert {"slug", "url", "display", "title", "source", "authors", "published", "language"} <= set(first)
    assert first["url"] == f"http://testserver{API}/articles/{first['slug']}/"
    assert set(first["published"]) == {"at", "utc_offset", "precision", "text", "note"}


def test_an_article_names_its_source_and_authors_in_brief(api_client):
    article = next(a for a in all_results(api_client, "/articles/") if a["slug"] == STRUGGLE)
    assert article["source"]["slug"] == "azernews"
    assert set(article["source"]) == {"slug", "url", "display", "name", "kind"}
    assert article["published"]["at"].startswith("2024-03-19")
    assert article["published"]["precision"] == "day"
    assert all(set(author) == {"slug", "url", "display", "name", "kind"} for author in article["authors"])


def test_the_body_comes_with_include_or_fields(api_client):
    with_body = get_json(api_client, "/articles/", include="body")["results"]
    assert all(item["body"] for item in with_body)
    sparse = get_json(api_client, "/articles/", fields="slug,body")["results"]
    assert all(set(item) == {"slug", "body"} for item in sparse)


def test_unknown_fields_are_refused(api_client):
    body = assert_problem(api_client.get(f"{API}/articles/", {"fields": "slug,nonsense"}), 400, "fields")
    assert "nonsense" in body["errors"]["fields"][0]
    assert_problem(api_client.get(f"{API}/articles/", {"include": "nonsense"}), 400, "include")
    assert "body" in api_client.get(f"{API}/articles/{STRUGGLE}/", {"include": "body"}).json()


def test_the_detail_has_body_mentions_and_quotes(api_client):
    article = get_json(api_client, f"/articles/{STRUGGLE}/")
    assert "NATO" in article["body"]
    assert set(article["mentions"]) == {"actors", "programmes", "events"}
    assert {"azerbaijan", "nato"} <= set(slugs(article["mentions"]["actors"]))
    assert "ramil-mammadli" in {quote["speaker"]["slug"] for quote in article["quotes"]}
    assert all(quote["text"] in article["body"] for quote in article["quotes"])


def test_filter_by_source_author_and_mentioned_actor(api_client):
    assert STRUGGLE in slugs(all_results(api_client, "/articles/", source="azernews"))
    authors = get_json(api_client, f"/articles/{STRUGGLE}/")["authors"]
    if authors:
        by_author = slugs(all_results(api_client, "/articles/", author=authors[0]["slug"]))
        assert STRUGGLE in by_author
    mentioning = set(slugs(all_results(api_client, "/articles/", actor="ramil-mammadli")))
    assert STRUGGLE in mentioning and mentioning <= ARTICLES


def test_filter_by_publication_date(api_client):
    march = slugs(all_results(api_client, "/articles/", date_after="2024-03-19", date_before="2024-03-19"))
    assert march == [STRUGGLE]


def test_ordering_by_title_breaks_ties_by_slug(api_client):
    titles = [a["title"] for a in all_results(api_client, "/articles/", ordering="title")]
    assert len(titles) == 5
    newest_first = all_results(api_client, "/articles/", ordering="-published_at")
    dated = [a["published"]["at"] for a in newest_first if a["published"]["at"]]
    assert dated == sorted(dated, reverse=True)
    assert newest_first[: len(dated)] == [a for a in newest_first if a["published"]["at"]]  # undated last


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"source": "no-such-outlet"}, "source"),
        ({"author": "nobody"}, "author"),
        ({"date_after": "2024-02-30"}, "date_after"),
        ({"ordering": "body"}, "ordering"),
    ],
)
def test_bad_filters_are_400s(api_client, params, parameter):
    assert_problem(api_client.get(f"{API}/articles/", params), 400, parameter)


def test_csv_format(api_client):
    response = api_client.get(f"{API}/articles/", {"format": "csv", "page_size": 100})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("slug,url,display,title,source.slug")
    assert len(lines) == 6


def test_unknown_fields_are_refused_even_when_nothing_matches(api_client):
    params = {"fields": "nonsense", "q": "no article says this"}
    assert_problem(api_client.get(f"{API}/articles/", params), 400, "fields")


def test_the_publication_date_filters_take_whole_days(api_client):
    import datetime as dt

    from corpus.models import Article

    late = dt.datetime(2024, 3, 19, 23, 59, 59, 999999, tzinfo=dt.UTC)
    Article.objects.create(slug="late", title="Late", source_note="A test.", published_at=late, body="Late.")

    def found(**params):
        return slugs(all_results(api_client, "/articles/", **params))

    assert found(date_after="2024-03-19", date_before="2024-03-19") == ["late", STRUGGLE]
    assert found(date_after="2024-03-20", date_before="2024-03-20") == []
    assert found(date_after="2024-03-18", date_before="2024-03-18") == []
