"""This database's epoch, as cache keys and ETags use it beside the corpus version (api/middleware.py).

A restored dump brings back old corpus version numbers; ``manage.py new_epoch`` (part of every restore,
docs/operations.md) gives the database a new random epoch and bumps the version, so nothing cached for
the database as it was before the restore (in a shared Redis, or as a client's ETag) matches again.

Each process keeps the epoch it read last with the corpus stamp it read it under, and reads it again
when the stamp changes: a cache hit costs no extra query, and ``new_epoch``'s bump reaches every process
(by LISTEN/NOTIFY on PostgreSQL, or the per-request version read).
"""

import os

from django.db import connection

from corpus.models import DatabaseEpoch
from corpus.models.version import Stamp

EPOCH_SQL = "SELECT epoch FROM corpus_databaseepoch WHERE id = 1"


class EpochMemo:
    def __init__(self):
        self._last: tuple[int, Stamp, str] | None = None  # (pid, stamp, epoch): replaced whole, so threads agree

    def for_stamp(self, stamp: Stamp) -> str:
        last = self._last
        if last is not None and last[0] == os.getpid() and last[1] == stamp:
            return last[2]
        epoch = read()
        self._last = (os.getpid(), stamp, epoch)
        return epoch


def read() -> str:
    with connection.cursor() as cursor:
        cursor.execute(EPOCH_SQL)
        row = cursor.fetchone()
    return row[0] if row else DatabaseEpoch.rotate()  # made by migration 0009; a database without it gets one


memo = EpochMemo()
