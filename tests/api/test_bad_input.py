"""Input that used to answer 500, or an HTML error, under /api/: each is a 400 problem naming what is wrong."""

import base64
import json

import pytest
from django.test import Client

from tests.api.helpers import API, assert_problem

pytestmark = pytest.mark.django_db

DETAILS = [("articles", "slug"), ("sources", "slug"), ("actors", "slug"), ("programmes", "slug"), ("events", "slug"),
           ("quotes", "key")]  # fmt: skip


@pytest.fixture
def client():
    return Client(raise_request_exception=False)  # as a server answers: a 500 is a response, not an exception


def cursor(values) -> str:
    payload = {"o": "-published_at,slug", "d": "n", "v": values}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("resource, lookup", DETAILS)
def test_a_nul_in_a_detail_slug_is_a_400_naming_it(client, resource, lookup):
    """psycopg refuses NUL in text (DataError): it was a 500 on PostgreSQL."""
    assert_problem(client.get(f"{API}/{resource}/nato%00/"), 400, lookup)


@pytest.mark.parametrize(
    "path, parameter",
    [("/articles/?cursor=%00", "cursor"), ("/events/?actor=nato%00", "actor"), ("/search/?q=nato%00", "q"),
     ("/actors/?q=%00", "q")],
)  # fmt: skip
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(client, path, parameter):
    assert_problem(client.get(f"{API}{path}"), 400, parameter)


def test_a_nul_inside_a_cursor_is_a_400(client):
    token = cursor(["2024-03-19T04:30:00+00:00", "a\x00b"])
    assert_problem(client.get(f"{API}/articles/", {"cursor": token}), 400, "cursor")


@pytest.mark.parametrize("value", ["²", "1²", "٣", "１"])  # superscript, Arabic-Indic and fullwidth digits pass isdigit()
@pytest.mark.parametrize("parameter", ["page", "page_size"])
def test_non_ascii_digits_in_page_parameters_are_400s(client, parameter, value):
    body = assert_problem(client.get(f"{API}/articles/", {parameter: value}), 400, parameter)
    assert "integer" in body["errors"][parameter][0]


@pytest.mark.parametrize("path", [f"{API}/articles/", f"{API}/actors/nato/", "/api/nothing/"])
def test_a_disallowed_host_is_a_problem_not_an_html_page(client, path):
    client.get(path)  # cached now: a cache hit must not skip the ALLOWED_HOSTS check either
    body = assert_problem(client.get(path, HTTP_HOST="evil.example"), 400)
    assert "Host" in body["detail"]


def test_a_disallowed_host_outside_the_api_keeps_djangos_page(client):
    response = client.get("/admin/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
