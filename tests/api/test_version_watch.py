"""On PostgreSQL each process keeps the corpus version in memory, kept current by LISTEN/NOTIFY:
a write committed by another process, or by this one, is never answered from a stale cache."""

import time

import psycopg
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from corpus.models import CorpusVersion
from corpus.services.version_watch import watch

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's"),
]

URL = "/api/v1/actors/nato/"


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def listening(settings):
    settings.CORPUS_VERSION_LISTEN = True
    watch.stamp()  # starts the listener thread
    wait_until(lambda: watch.listening)
    yield watch
    watch.stop()


@pytest.fixture
def other_process():
    """A connection of its own, committing as another worker process would (the test's own writes never commit)."""
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as conn:
        yield conn


def rename_nato(conn, name):
    with conn.transaction():  # the trigger bumps the version and sends the NOTIFY as this commits
        conn.execute("UPDATE corpus_actor SET name = %s WHERE slug = 'nato'", [name])


@override_settings(API_CACHE_SECONDS=300)
def test_a_write_committed_elsewhere_reaches_this_process(api_client, listening, other_process):
    first = api_client.get(URL)
    assert api_client.get(URL).content == first.content  # cached, with no query for the version
    with CaptureQueriesContext(connection) as queries:
        api_client.get(URL)
    assert len(queries) == 0
    before = listening.stamp().version
    try:
        rename_nato(other_process, "NATO renamed elsewhere")
        wait_until(lambda: listening.stamp().version > before)
        second = api_client.get(URL)
        assert second.json()["name"] == "NATO renamed elsewhere"
        assert second["ETag"] != first["ETag"]
    finally:
        rename_nato(other_process, first.json()["name"])


@override_settings(API_CACHE_SECONDS=300)
def test_this_process_learns_its_own_write_as_the_request_ends(api_client, listening, edit_actor):
    first = api_client.get(URL)
    before = listening.stamp().version
    with connection.cursor() as cursor:  # the test never commits: let the bump fire as the save runs instead
        cursor.execute("SET CONSTRAINTS corpus_version IMMEDIATE")
    assert edit_actor("nato", name="NATO renamed here").status_code == 302
    # No notification comes (nothing commits): api.transactions read the version as the request ended.
    assert listening.stamp().version == CorpusVersion.read().version > before
    second = api_client.get(URL)
    assert second.json()["name"] == "NATO renamed here"
    assert second["ETag"] != first["ETag"]


def test_turned_off_it_reads_the_version_per_request(api_client, settings):
    settings.CORPUS_VERSION_LISTEN = False
    etag = api_client.get(URL)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert [query["sql"] for query in queries] == ["SELECT version, changed_at FROM corpus_corpusversion WHERE id = 1"]
