"""Every error, whatever its cause, has the RFC 9457 problem-details shape."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.throttling import AnonRateThrottle

from tests.api.helpers import API, assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v2/articles/", "/api/v1/no-such-resource/", "/api/nothing/", "/api/", "/api/v1/events/no-such-event/"],
)
def test_unknown_urls_are_json_404s(api_client, path):
    body = assert_problem(api_client.get(path), 404)
    assert body["title"] == "Not Found"


def test_a_missing_slash_still_redirects(api_client):
    response = api_client.get(f"{API}/articles")
    assert response.status_code == 301
    assert response["Location"].endswith(f"{API}/articles/")


def test_anonymous_writes_are_refused(api_client):
    assert_problem(api_client.post(f"{API}/articles/", {}), 403)


def test_method_not_allowed(api_client):
    api_client.force_authenticate(get_user_model().objects.create_user("reader"))
    response = api_client.delete(f"{API}/articles/will-azerbaijan-attend-the-nato-summit/")
    assert_problem(response, 405)
    assert "GET" in response["Allow"]


def test_not_acceptable(api_client):
    response = api_client.get(f"{API}/articles/", HTTP_ACCEPT="application/xml")
    assert_problem(response, 406)


def test_throttled_requests_get_429_with_retry_after(api_client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    for size in (1, 2):  # distinct URLs: a cached response would not reach the throttle
        assert api_client.get(f"{API}/sources/", {"page_size": size}).status_code == 200
    response = api_client.get(f"{API}/sources/", {"page_size": 3})
    body = assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0
    assert "throttled" in body["detail"].lower()


def test_validation_errors_list_every_bad_parameter(api_client):
    body = assert_problem(api_client.get(f"{API}/events/", {"type": "party", "date_after": "x"}), 400)
    assert set(body["errors"]) == {"type", "date_after"}
    assert body["title"] == "Bad Request" and body["type"] == "about:blank"


@pytest.mark.parametrize(
    "path, params, parameter",
    [
        ("/events/", {"actors": "nato"}, "actors"),  # a typo must not return the unfiltered list
        ("/articles/", {"include": "body", "sort": "title"}, "sort"),
        ("/timeline/", {"ordering": "title"}, "ordering"),  # the timeline's order is fixed
        ("/events/beginning-of-azerbaijan-nato-cooperation/", {"page": "2"}, "page"),
        ("/search/", {"q": "nato", "query": "x"}, "query"),
        ("/graph/", {"kinds": "state"}, "kinds"),
    ],
)
def test_unknown_parameters_are_400s(api_client, path, params, parameter):
    body = assert_problem(api_client.get(f"{API}{path}", params), 400, parameter)
    assert "Unknown parameter" in body["errors"][parameter][0]


def test_known_parameters_pass(api_client):
    params = {"format": "json", "fields": "slug", "page": "1", "page_size": "5", "ordering": "-title", "facets": "type"}
    assert api_client.get(f"{API}/events/", {**params, "type": "visit", "date_match": "within"}).status_code == 200
    assert api_client.get(f"{API}/search/", {"q": "nato", "limit": "3", "format": "json"}).status_code == 200


def test_an_unexpected_error_is_a_problem_500_not_an_html_page(monkeypatch):
    from rest_framework.test import APIClient

    from api.v1.views import SourceViewSet

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(SourceViewSet, "list", fail)
    response = APIClient(raise_request_exception=False).get(f"{API}/sources/", {"page_size": 7})
    body = assert_problem(response, 500)
    assert "a bug" not in body["detail"]  # internals are logged, not shown
