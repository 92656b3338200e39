"""Bookkeeping about this database rather than corpus content: which seed records it has held, and its epoch."""

import uuid

from django.db import models
from django.utils import timezone

from corpus.models.base import SingleRow


def new_epoch() -> str:
    return uuid.uuid4().hex


class SeedRecord(models.Model):
    """A seed-corpus record this database has held: the start path never loads it again (corpus/services/loading.py).

    A curator may delete or rename the row the record became; the mark stays, so the seed does not bring it back.
    """

    model = models.CharField(max_length=100, help_text="The record's model, e.g. corpus.alias.")
    natural_key = models.CharField(max_length=255, help_text="Its slug, or key for rows without one.")
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["model", "natural_key"]
        constraints = [  # its index also serves the ordering
            models.UniqueConstraint(fields=["model", "natural_key"], name="corpus_seedrecord_unique_record"),
        ]

    def __str__(self):
        return f"{self.model} '{self.natural_key}'"


class DatabaseEpoch(SingleRow):
    """A random identity of this database's contents: cache keys and ETags hold it beside the corpus version.

    Written by the migration that creates it and rewritten by ``manage.py new_epoch`` (run after a restore):
    a restored dump repeats old version numbers, never a new epoch, so no cached response outlives a restore.
    """

    epoch = models.CharField(max_length=32, default=new_epoch)

    def __str__(self):
        return f"database epoch {self.epoch}"

    @classmethod
    def rotate(cls) -> str:
        """A new epoch: every cached response and ETag made before it is unreachable from now on."""
        epoch = new_epoch()
        if not cls.objects.filter(id=1).update(epoch=epoch, changed_at=timezone.now()):
            cls.objects.create(id=1, epoch=epoch)
        return epoch
