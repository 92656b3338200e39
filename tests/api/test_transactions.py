"""A write's view runs in one transaction, retried once on a deadlock or serialization failure, else answered
503 with Retry-After: never a 500 (api/transactions.py). The failures are real PostgreSQL errors, raised by a
trigger the test adds (it goes with the test's transaction)."""

import sqlite3

import pytest
from django.db import DatabaseError, OperationalError, connection, transaction
from django.urls import path

from api.transactions import transient
from corpus.models import Actor
from tests.api.helpers import assert_problem

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's SQLSTATEs, raised by PL/pgSQL")


@pytest.fixture
def failing_actor_updates():
    """``fail(sqlstate, times)``: the next ``times`` updates of an actor raise ``sqlstate``; it returns a
    function counting the updates tried (a sequence: rolling back a retried attempt does not undo it)."""

    def fail(sqlstate: str, times: int):
        with connection.cursor() as cursor:
            cursor.execute("CREATE SEQUENCE test_actor_updates")
            cursor.execute(f"""
                CREATE FUNCTION test_fail_actor_updates() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('test_actor_updates') <= {times} THEN
                        RAISE EXCEPTION 'forced by a test' USING ERRCODE = '{sqlstate}';
                    END IF;
                    RETURN NEW;
                END
                $$""")
            cursor.execute(
                "CREATE TRIGGER test_fail_actor_updates BEFORE UPDATE ON corpus_actor "
                "FOR EACH ROW EXECUTE FUNCTION test_fail_actor_updates()"
            )

        def tried() -> int:
            with connection.cursor() as cursor:
                cursor.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM test_actor_updates")
                return cursor.fetchone()[0]

        return tried

    return fail


@on_postgresql
def test_a_deadlocked_admin_save_is_retried_once_and_saved(edit_actor, failing_actor_updates):
    tried = failing_actor_updates("40P01", times=1)  # deadlock_detected
    history = Actor.objects.get(slug="nato").history.count()
    response = edit_actor("nato", name="NATO, saved at the second attempt")
    assert response.status_code == 302
    assert tried() == 2
    assert Actor.objects.get(slug="nato").name == "NATO, saved at the second attempt"
    assert Actor.objects.get(slug="nato").history.count() == history + 1  # the first attempt left nothing behind


@on_postgresql
def test_a_save_that_fails_twice_is_a_503_problem_with_retry_after(edit_actor, failing_actor_updates):
    tried = failing_actor_updates("40001", times=2)  # serialization_failure
    response = edit_actor("nato", name="NATO, never saved")
    body = assert_problem(response, 503)
    assert "serialization failure" in body["detail"] and "changed nothing" in body["detail"]
    assert response["Retry-After"] == "1"
    assert tried() == 2  # retried once, not more
    assert Actor.objects.get(slug="nato").name == "NATO"


@on_postgresql
def test_other_database_errors_are_not_retried(edit_actor, failing_actor_updates):
    tried = failing_actor_updates("P0001", times=1)  # a plain RAISE EXCEPTION: a bug, not contention
    with pytest.raises(DatabaseError, match="forced by a test"):
        edit_actor("nato", name="NATO, never saved")
    assert tried() == 1


def read_that_fails(request):
    with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: the test's transaction outlives the error
        cursor.execute("DO $$ BEGIN RAISE EXCEPTION 'forced by a test' USING ERRCODE = '40001'; END $$")


urlpatterns = [path("read-that-fails/", read_that_fails)]


@on_postgresql
@pytest.mark.urls(__name__)
def test_a_read_that_fails_so_is_a_503_problem(client):
    response = client.get("/read-that-fails/")
    assert_problem(response, 503)
    assert response["Retry-After"] == "1"


def test_sqlite_busy_is_transient_too(tmp_path):
    """SQLite's "database is locked", once another writer has held it past the timeout."""
    holder = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0)
    with pytest.raises(sqlite3.OperationalError) as raised:
        other.execute("INSERT INTO t VALUES (1)")
    wrapped = OperationalError(*raised.value.args)  # as Django raises it
    wrapped.__cause__ = raised.value
    assert transient(wrapped) == "database locked"
    assert transient(OperationalError("no such table: t")) is None
    holder.close()
    other.close()
