"""The hot reads are rendered from .values() rows (api.v1.rows, compiled from the serializers) and by orjson; the serializers and
DRF's JSONRenderer are the reference. Each test asks for the same URLs as served, then with the
fast paths switched off, and compares the bytes."""

import orjson
import pytest
from rest_framework.renderers import JSONRenderer

from api.renderers import FastJSONRenderer
from api.v1 import serializers as s
from api.v1 import views
from api.v1.views import ActorViewSet, ArticleViewSet, EventViewSet, TimelineViewSet
from corpus.models import Actor, Article, Event, Programme
from tests.api.helpers import API

pytestmark = pytest.mark.django_db

FAST_VIEWS = [ArticleViewSet, ActorViewSet, EventViewSet, TimelineViewSet]
LISTS = [
    ("/articles/", {"page_size": 100}),
    ("/articles/", {"page_size": 2, "page": 2}),
    ("/articles/", {"include": "body", "page_size": 100}),
    ("/articles/", {"fields": "slug,authors,published", "page_size": 100}),
    ("/articles/", {"fields": "body"}),
    ("/articles/", {"ordering": "title", "format": "json"}),  # every URL then carries ?format=json
    ("/articles/", {"ordering": "-published_at", "facets": "source,year", "source": "azernews"}),
    ("/articles/", {"format": "csv", "page_size": 100}),
    ("/articles/", {"format": "jsonld", "page_size": 100}),
    ("/articles/", {"cursor": "", "page_size": 2}),
    ("/articles.json", {}),  # a format suffix: every URL then ends in .json
    ("/actors/", {"page_size": 100}),
    ("/actors/", {"kind": "person", "fields": "slug,country,parent", "page_size": 100}),
    ("/actors/", {"format": "csv", "page_size": 100}),
    ("/actors/", {"format": "jsonld", "page_size": 100}),
    ("/events/", {"page_size": 100}),
    ("/events/", {"ordering": "-date_earliest", "format": "csv", "page_size": 100}),
    ("/timeline/", {"page_size": 100}),
    ("/timeline/", {"actor": "nato", "fields": "slug,participants,programmes", "page_size": 100}),
    ("/timeline/", {"format": "jsonld", "page_size": 100}),
    ("/timeline/", {"format": "csv", "page_size": 100}),
]
DETAIL_PARAMS = [{}, {"fields": "slug,authors,mentions,quotes"}, {"format": "jsonld"}, {"format": "csv"}]


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    settings.API_CACHE_SECONDS = 0  # else the second request would be the first one's cached bytes


@pytest.fixture
def serializers_only(monkeypatch):
    """Call it to switch the fast paths off: serializers and DRF's JSONRenderer answer from then on."""

    def switch():
        for view in FAST_VIEWS:
            monkeypatch.setattr(view, "list_rows", None)
            monkeypatch.setattr(view, "detail_rows", None, raising=False)
            monkeypatch.setattr(view, "renderer_classes", [JSONRenderer, *view.renderer_classes[1:]])

    return switch


def fetch(client, requests) -> list[tuple[int, str, bytes]]:
    responses = [client.get(f"{API}{path}", params) for path, params in requests]
    return [(response.status_code, response["Content-Type"], response.content) for response in responses]


def test_the_fast_paths_are_on():
    assert all(view.list_rows for view in FAST_VIEWS) and ArticleViewSet.detail_rows
    assert FastJSONRenderer in ArticleViewSet.renderer_classes


@pytest.mark.parametrize("path, params", LISTS)
def test_lists_are_the_serializers_bytes(api_client, serializers_only, path, params):
    served = fetch(api_client, [(path, params)])
    serializers_only()
    assert served == fetch(api_client, [(path, params)])
    assert served[0][0] == 200


@pytest.mark.parametrize("params", DETAIL_PARAMS)
def test_every_article_detail_is_the_serializers_bytes(api_client, serializers_only, params):
    requests = [(f"/articles/{slug}/", params) for slug in Article.objects.values_list("slug", flat=True)]
    requests.append(("/articles/no-such-article/", params))
    served = fetch(api_client, requests)
    serializers_only()
    assert served == fetch(api_client, requests)
    assert [status for status, _, _ in served] == [200] * (len(requests) - 1) + [404]


def test_every_actor_and_event_in_lists_is_the_serializers(api_client, serializers_only):
    """Every actor and event of the seed corpus, on pages of all sizes."""
    requests = [(f"/{resource}/", {"page_size": size, "page": page}) for resource, total in
                [("actors", Actor.objects.count()), ("events", Event.objects.count()), ("timeline", Event.objects.count())]
                for size in (1, 7, 100) for page in range(1, -(-total // size) + 1)]  # fmt: skip
    served = fetch(api_client, requests)
    assert {status for status, _, _ in served} <= {200, 400}  # the timeline leaves undated events out: fewer pages
    serializers_only()
    assert served == fetch(api_client, requests)


class ArticleWithSeedFileSerializer(s.ArticleSerializer):
    """ArticleSerializer with one more model column named in Meta.fields: the whole recipe for adding a field."""

    class Meta(s.ArticleSerializer.Meta):
        fields = [*s.ArticleSerializer.Meta.fields, "seed_file"]


@pytest.mark.parametrize("params", [{"page_size": 100}, {"fields": "slug,seed_file"}, {"format": "csv", "page_size": 100}])
def test_adding_a_field_to_the_serializer_is_the_one_edit_the_rows_need(api_client, serializers_only, monkeypatch, params):
    """The row renderers are compiled from the serializer: a column it adds is selected and rendered as DRF renders it."""
    monkeypatch.setattr(ArticleViewSet, "serializer_class", ArticleWithSeedFileSerializer)
    served = fetch(api_client, [("/articles/", params)])
    serializers_only()
    assert served == fetch(api_client, [("/articles/", params)])
    if "format" not in params:
        results = orjson.loads(served[0][2])["results"]
        seed_files = dict(Article.objects.values_list("slug", "seed_file"))
        assert [article["seed_file"] for article in results] == [seed_files[article["slug"]] for article in results]
        assert all(article["seed_file"] for article in results) and len(results) == min(100, len(seed_files))


def test_urls_follow_each_requests_host_and_scheme(api_client):
    """URL templates are kept across requests (api.v1.rows.Links): one request's host or scheme must not leak into another's."""
    origins = []
    for host, secure in [("testserver", False), ("localhost", False), ("localhost", True), ("testserver", False)]:
        response = api_client.get(f"{API}/timeline/", {"page_size": 5}, HTTP_HOST=host, secure=secure)
        event = response.json()["results"][0]
        urls = [event["url"], *(participant["actor"]["url"] for participant in event["participants"])]
        origin = f"{'https' if secure else 'http'}://{host}/"
        assert urls and all(url.startswith(origin) for url in urls), urls
        origins.append(origin)
    assert len(set(origins)) == 3


@pytest.mark.parametrize("q, limit", [("NATO", 10), ("partnership", 3), ("Türkiye", 10), ("IPAP", 10), ("summit", 50), ("a", 5)])
def test_search_is_the_serializers_data(api_client, monkeypatch, q, limit):
    served = api_client.get(f"{API}/search/", {"q": q, "limit": limit, "format": "json"}).content

    def serialized(result, links):
        def objects(model, rows):
            found = model.objects.in_bulk([row["slug"] for row in rows], field_name="slug")
            return [found[row["slug"]] for row in rows]

        instances = {
            **result,
            "articles": [{**hit, "article": Article.objects.get(slug=hit["article"]["slug"])} for hit in result["articles"]],
            "actors": objects(Actor, result["actors"]),
            "programmes": objects(Programme, result["programmes"]),
            "events": objects(Event, result["events"]),
        }
        return s.SearchResultSerializer(instances, context={"request": links.request}).data

    monkeypatch.setattr(views, "search_result", serialized)
    assert served == api_client.get(f"{API}/search/", {"q": q, "limit": limit, "format": "json"}).content


@pytest.mark.parametrize(
    "data",
    [
        {"text": "".join(chr(code) for code in range(0x800)) + '\u2028\u2029\ufeff\U0001f600 “quotes” <mark>&</mark> \\ / "'},
        {"nested": [{"a": None, "b": True, "c": False, "d": -12, "e": 10**15, "f": [], "g": {}}], "line\nbreak": "x"},
        [],
        {},
    ],
)
def test_the_fast_json_renderer_writes_jsonrenderers_bytes(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_the_fast_json_renderer_leaves_indentation_and_odd_values_to_jsonrenderer():
    from django.utils.translation import gettext_lazy

    data = {"lazy": gettext_lazy("Not Found"), 1: "a non-string key"}
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)
    indented = FastJSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert indented == JSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert FastJSONRenderer().render(None) == b""


@pytest.mark.parametrize(
    "path, params",
    [("/articles/", {"page_size": 2}), ("/articles/", {"cursor": "", "page_size": 2}), ("/timeline/", {}), ("/actors/", {})],
)
def test_the_browsable_api_shows_the_fast_paths(api_client, path, params):
    response = api_client.get(f"{API}{path}", params, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert b"&quot;results&quot;" in response.content


def test_the_browsable_api_shows_a_fast_detail(api_client):
    slug = Article.objects.values_list("slug", flat=True).first()
    response = api_client.get(f"{API}/articles/{slug}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and slug.encode() in response.content
