"""This process's view of the corpus version, kept current by PostgreSQL LISTEN/NOTIFY.

Every cached API read needs the corpus version (api/middleware.py). Asking the database costs a
round trip per request, half the cost of a cache hit; instead each worker process keeps the
version in memory, and a background thread LISTENs on ``corpus_version``, on which the trigger
that bumps the version as a writing transaction commits sends a NOTIFY (corpus/version_triggers.py).
PostgreSQL delivers a notification when its transaction commits and never for one rolled back,
and the thread then reads the committed version.

- The writing process learns its new version as soon as its request's transaction commits
  (``refresh``, called by api.transactions.TransactionMiddleware after every write request),
  before its next request.
- Other processes learn it when the notification arrives: well under a millisecond on one host.
  Curators, the only writers, send a session cookie and so bypass the cache altogether.
- While the thread is not connected (starting, database restarting) every read asks the database,
  as it does on SQLite, in tests (their writes never commit) and with CORPUS_VERSION_LISTEN off
  (e.g. behind a PgBouncer in transaction mode, where LISTEN does not work).
"""

import logging
import os
import threading
import time

import psycopg
from django.conf import settings
from django.db import connection

from corpus.models.version import STAMP_SQL, CorpusVersion, Stamp
from corpus.version_triggers import CHANNEL

REFRESH_SECONDS = 30  # also re-read without a notification, should one ever be lost
RETRY_SECONDS = (1, 2, 5, 10, 30)

logger = logging.getLogger(__name__)


class VersionWatch:
    def __init__(self):
        self._stamp: Stamp | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._stopping = False

    def stamp(self) -> Stamp:
        """The corpus version: from memory while listening, else from the database."""
        if not settings.CORPUS_VERSION_LISTEN:
            return CorpusVersion.read()
        stamp = self._stamp
        if stamp is not None and self._pid == os.getpid():
            return stamp
        if connection.vendor == "postgresql":
            self.start()
        return CorpusVersion.read()

    @property
    def listening(self) -> bool:
        return self._stamp is not None and self._pid == os.getpid()

    def start(self) -> None:
        with self._lock:
            if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
                return
            self._stamp, self._pid = None, os.getpid()  # a forked worker starts its own thread
            params = connection.get_connection_params()
            self._thread = threading.Thread(target=self._listen, args=(params,), name="corpus-version", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """End the listener (tests: its connection would keep the test database open)."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            return
        self._stopping = True
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as conn:
            conn.execute(f"NOTIFY {CHANNEL}")  # wakes it
        thread.join(timeout=10)
        self._thread, self._stopping = None, False

    def refresh(self) -> None:
        """After this process has committed a write: learn the version now, not when the notification arrives."""
        if self.listening:
            self._advance(CorpusVersion.read())

    def _advance(self, stamp: Stamp) -> None:
        """A write's own reading never moves the version back past one the listener has seen."""
        with self._lock:
            if self._stamp is not None and stamp.version > self._stamp.version:
                self._stamp = stamp

    def _listen(self, params: dict) -> None:
        attempt = 0
        while True:
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while not self._stopping:  # LISTEN first, then read: no write falls between the two
                        self._stamp = self._read(conn)
                        attempt = 0
                        for _ in conn.notifies(timeout=REFRESH_SECONDS, stop_after=1):
                            pass
            except Exception:  # the thread outlives any database outage: reads go to the database meanwhile
                logger.warning("corpus version listener disconnected; retrying", exc_info=True)
            self._stamp = None
            if self._stopping:
                return
            time.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1

    @staticmethod
    def _read(conn) -> Stamp | None:
        """None before the first write has made the row: reads ask the database (which makes it)."""
        row = conn.execute(STAMP_SQL).fetchone()
        return Stamp(*row) if row else None


watch = VersionWatch()
