"""Health endpoints, and outages answered honestly: a database that cannot be reached is a 503 with Retry-After.

The outage is real: the request runs in a thread whose database connection points at a closed port
(PostgreSQL) or a file that cannot be opened (SQLite), so connecting fails as it would in production.
"""

import threading

import pytest
from django.db import connections
from django.test import Client

from corpus.models import Article, ArticleAuthor, Citation, Mention, Quote
from tests.api.helpers import assert_problem

pytestmark = pytest.mark.django_db


def unavailable(request):
    """``request()``'s response, made while the database cannot be reached."""
    result = {}

    def run():
        connection = connections["default"]  # this thread's own connection
        closed = {"HOST": "127.0.0.1", "PORT": "1"} if connection.vendor == "postgresql" else {"NAME": "/nonexistent/db.sqlite3"}
        connection.settings_dict = {**connection.settings_dict, **closed}
        try:
            result["response"] = request()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result["response"]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)  # as a server answers: through handler500


def test_healthz_answers_without_the_database(client):
    response = unavailable(lambda: client.get("/healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_checks_database_migrations_and_corpus(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "corpus": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_503_on_an_empty_corpus(client):
    for model in (Quote, Mention, Citation, ArticleAuthor, Article):  # those protecting an article first
        model.objects.all().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["corpus"].startswith("empty")
    assert int(response["Retry-After"]) > 0


def test_readyz_is_503_while_the_database_is_unavailable(client):
    response = unavailable(lambda: client.get("/readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unavailable")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("path", ["/api/v1/articles/", "/api/v1/actors/nato/", "/api/v1/"])
def test_api_answers_503_problem_with_retry_after_during_an_outage(client, path):
    """It used to answer 500 on every path."""
    assert client.get(path).status_code == 200  # cached now: an outage is still a 503, not stale data
    response = unavailable(lambda: client.get(path))
    body = assert_problem(response, 503)
    assert body["title"] == "Service Unavailable" and "database" in body["detail"]
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"


def test_admin_answers_a_plain_503_page_during_an_outage(client):
    client.cookies["sessionid"] = "a-session-the-database-must-look-up"
    response = unavailable(lambda: client.get("/admin/"))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"Service unavailable" in response.content
    assert int(response["Retry-After"]) > 0
