"""Writers on real PostgreSQL connections whose transactions commit: each curator is a thread, and so has a
database connection of its own (the test's own connection is inside a transaction that never commits).

The corpus version is bumped as a transaction commits (corpus/version_triggers.py). When ``post_save``
bumped it on a transaction's first write instead, the version row stayed locked until commit, and two
curators saving the same two actors in opposite orders deadlocked: curator 1 saves actor a (and holds the
version row), curator 2 saves actor b (and waits for the version row), curator 1 saves actor b (and waits
for curator 2): PostgreSQL aborted one of them, a 500 in the admin.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from corpus.models import Actor, Alias, CorpusVersion, Source

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers and deferred triggers: PostgreSQL's"),
]

A, B = "nato", "azerbaijan"


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def waiting_for_a_lock(pid: int) -> bool:
    """Whether backend ``pid`` waits for a lock (asked on this thread's connection: live, not a statistics snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return cursor.fetchone()[0]


class Curator(threading.Thread):
    """``work(curator)`` on a connection of its own; its error, if any, is kept for the test to see."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.error, self.pid = work, None, None
        self.connected, self.done = threading.Event(), threading.Event()

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '20s'")  # a test that goes wrong fails, it does not hang
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.connected.set()
            self.work(self)
        except BaseException as exc:  # noqa: B036 (the test reports it)
            self.error = exc
        finally:
            self.done.set()
            connections.close_all()  # this thread's connections: the test database is dropped at the end


def committed(work):
    curator = Curator(lambda me: work())
    curator.start()
    curator.join(30)
    if curator.error:
        raise curator.error


def rename(slug: str, name: str) -> None:
    """What the admin does to save an actor: ``Actor.save()``, with its history row."""
    actor = Actor.objects.get(slug=slug)
    actor.name = name
    actor.save()


@pytest.fixture
def two_actors():
    """The names of actors A and B as they are; the committed writes of a test are put back after it."""
    names = dict(Actor.objects.filter(slug__in=[A, B]).values_list("slug", "name"))
    started = timezone.now()
    yield names

    def undo():
        with transaction.atomic():
            for slug, name in names.items():
                Actor.objects.filter(slug=slug).update(name=name)
            Actor.history.filter(slug__in=names, history_date__gte=started).delete()

    committed(undo)


def test_two_curators_saving_the_same_actors_in_opposite_orders_do_not_deadlock(two_actors):
    before = CorpusVersion.read().version
    a_saved, b_saved = threading.Event(), threading.Event()

    def curator_1(me):
        with transaction.atomic():
            rename(A, "A, by curator 1")
            a_saved.set()
            # Curator 2 has saved B, or is stuck saving it (on the version row, as it was).
            wait_until(lambda: b_saved.is_set() or second.done.is_set() or waiting_for_a_lock(second.pid))
            rename(B, "B, by curator 1")  # waits for curator 2's lock on B

    def curator_2(me):
        assert a_saved.wait(10)
        with transaction.atomic():
            rename(B, "B, by curator 2")
            b_saved.set()
            wait_until(lambda: first.done.is_set() or waiting_for_a_lock(first.pid))  # curator 1 now waits for B
        # commit: the version is bumped, B's lock released, and curator 1 goes on

    first, second = Curator(curator_1), Curator(curator_2)
    first.start()
    assert first.connected.wait(10)
    second.start()
    for curator in (first, second):
        curator.join(30)
        assert not curator.is_alive()
    assert first.error is None and second.error is None, f"curator 1: {first.error!r}; curator 2: {second.error!r}"
    names = dict(Actor.objects.filter(slug__in=[A, B]).values_list("slug", "name"))
    assert names == {A: "A, by curator 1", B: "B, by curator 1"}  # curator 1 committed last
    assert CorpusVersion.read().version == before + 2  # one bump per transaction


def test_one_transaction_of_many_writes_bumps_the_version_once(two_actors):
    before = CorpusVersion.read()

    def many_writes():
        with transaction.atomic():
            rename(A, "A, renamed among many writes")  # an ORM save (and its history row)
            rename(B, "B, renamed among many writes")
            Source.objects.update(name=F("name"))  # a bulk update of every source
            Alias.objects.filter(actor__slug=A).update(name=F("name"))
            with connection.cursor() as cursor:
                cursor.execute("UPDATE corpus_mention SET start = start")  # raw SQL: every mention
                cursor.execute("UPDATE corpus_event_programmes SET event_id = event_id")  # a many-to-many table

    committed(many_writes)
    after = CorpusVersion.read()
    assert after.version == before.version + 1
    assert after.changed_at > before.changed_at


def test_a_transaction_rolled_back_bumps_nothing():
    before = CorpusVersion.read().version

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            Source.objects.update(name=F("name"))
            raise RuntimeError

    committed(rolled_back)
    assert CorpusVersion.read().version == before
