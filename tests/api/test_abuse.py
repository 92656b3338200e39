"""Abuse limits: the throttles' client address, junk credentials, authenticated clients and login lockout
(issue 17, items 7 and 8)."""

import base64

import pytest
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle

from api.throttling import UserRateThrottle, client_ip
from tests.api.helpers import API, assert_problem

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator", password=PASSWORD)


def test_a_spoofed_x_forwarded_for_does_not_escape_the_throttle(api_client, monkeypatch):
    """X-Forwarded-For was trusted without a configured proxy: 10 of 10 spoofed requests passed while throttled."""
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    for size in (1, 2):  # distinct URLs: a cached response would not reach the throttle
        assert api_client.get(f"{API}/sources/", {"page_size": size}).status_code == 200
    for n in range(10):
        response = api_client.get(f"{API}/sources/", {"page_size": 3 + n}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert_problem(response, 429)


def test_the_client_address_is_the_one_the_configured_proxies_saw(settings):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"  # default: no proxy, the socket's address
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_ip(request) == "203.0.113.9"  # what the one trusted proxy appended, not what the client wrote
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 2}
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer junk", "Token 0123456789abcdef", "junk", "", "Basic !!!", basic("curator", "wrong"), basic("nobody", "x")],
)
def test_an_authorization_header_that_is_not_valid_credentials_is_a_401(api_client, curator, authorization):
    """Any Authorization header skipped the response cache and, treated as anonymous, forced full renders."""
    response = api_client.get(f"{API}/articles/", HTTP_AUTHORIZATION=authorization)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


def test_a_request_without_credentials_is_still_anonymous(api_client):
    assert api_client.get(f"{API}/articles/").status_code == 200
    assert_problem(api_client.post(f"{API}/articles/", {}), 403)


def test_authenticated_clients_are_throttled_at_their_own_rate(api_client, curator, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "2/minute", raising=False)
    for _ in range(3):  # anonymous reads do not count against the user rate
        assert api_client.get(f"{API}/sources/", {"page_size": 1}).status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=basic("curator", PASSWORD))
    for _ in range(2):  # credentials skip the response cache: each of these reaches the throttle
        assert api_client.get(f"{API}/sources/").status_code == 200
    response = api_client.get(f"{API}/sources/")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0


def test_basic_auth_guesses_lock_the_address_out_even_for_the_right_password(api_client, curator, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert_problem(api_client.get(f"{API}/articles/", HTTP_AUTHORIZATION=basic("curator", "guess")), 401)
    body = assert_problem(api_client.get(f"{API}/articles/", HTTP_AUTHORIZATION=basic("curator", "guess")), 429)
    assert "locked out" in body["detail"]
    response = api_client.get(f"{API}/articles/", HTTP_AUTHORIZATION=basic("curator", PASSWORD))
    assert_problem(response, 429)
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert api_client.get(f"{API}/articles/").status_code == 200  # anonymous reads go on


def test_admin_logins_lock_the_address_out_after_repeated_failures(client, django_user_model, settings):
    """30 bad admin logins in 20 s, then the right password worked."""
    settings.AXES_FAILURE_LIMIT = 5
    django_user_model.objects.create_superuser("admin", password=PASSWORD)
    login = "/admin/login/?next=/admin/"
    for _ in range(4):
        assert client.post(login, {"username": "admin", "password": "guess"}).status_code == 200  # the form again
    assert client.post(login, {"username": "admin", "password": "guess"}).status_code == 429
    response = client.post(login, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html") and "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still signed out: sent to the login page


def test_a_successful_admin_login_is_not_locked_out(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 5
    django_user_model.objects.create_superuser("admin", password=PASSWORD)
    login = "/admin/login/?next=/admin/"
    assert client.post(login, {"username": "admin", "password": "guess"}).status_code == 200
    assert client.post(login, {"username": "admin", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 200
