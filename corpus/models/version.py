from django.db import models
from django.db.models import F
from django.utils import timezone


class CorpusVersion(models.Model):
    """A counter every write to the corpus bumps: cached API responses and ETags are keyed by it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1),
                name="corpus_corpusversion_single_row",
                violation_error_message="There is one corpus version row.",
            )  # fmt: skip
        ]

    def __str__(self):
        return f"corpus version {self.version}"

    @classmethod
    def current(cls) -> "CorpusVersion":
        return cls.objects.get_or_create(id=1)[0]

    @classmethod
    def bump(cls) -> None:
        """Called inside the writing transaction, so readers never see new data under an old version."""
        if not cls.objects.filter(id=1).update(version=F("version") + 1, changed_at=timezone.now()):
            cls.objects.get_or_create(id=1)
