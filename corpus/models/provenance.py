from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from corpus.choices import MentionMethod
from corpus.models.base import Displayed, Keyed


class Citation(Keyed):
    """A passage of an article that a fact rests on: the exact excerpt and its character offsets.

    Invariant (checked by ``clean()``, so the admin, and by ``check_corpus`` and the loader):
    ``article.body[start:end] == excerpt``.
    """

    article = models.ForeignKey("corpus.Article", on_delete=models.PROTECT, related_name="citations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    excerpt = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "start", "end"]
        indexes = [models.Index(fields=["article", "start", "end"], name="corpus_citation_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="corpus_citation_end_after_start",
                violation_error_message="A citation must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("excerpt")),
                name="corpus_citation_length_matches",
                violation_error_message="A citation's offsets must span exactly its excerpt.",
            ),
            models.UniqueConstraint(fields=["article", "start", "end"], name="corpus_citation_unique_span"),
        ]

    def __str__(self):
        return f"{self.article.slug} [{self.start}:{self.end}]"

    def matches_article(self) -> bool:
        return self.article.body[self.start : self.end] == self.excerpt

    def clean(self):
        super().clean()
        if self.article_id is None or self.start is None or self.end is None or self.end <= self.start:
            return  # the fields' and constraints' own errors say what is wrong
        body = self.article.body
        if self.end > len(body):
            raise ValidationError({"end": f"The article is only {len(body)} characters long."})
        if not self.matches_article():
            actual = body[self.start : self.end]
            raise ValidationError(
                {"excerpt": f"This is not the article's text at {self.start}-{self.end}, which reads “{actual}”."}
            )


class Mention(Keyed):
    """A place in an article that names an actor, programme or event."""

    article = models.ForeignKey("corpus.Article", on_delete=models.PROTECT, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(help_text="The words as they stand in the article.")
    # PROTECT: deleting what a mention names (or its article) would silently lose curated links
    actor = models.ForeignKey("corpus.Actor", on_delete=models.PROTECT, null=True, blank=True, related_name="mentions")
    programme = models.ForeignKey("corpus.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="mentions")
    event = models.ForeignKey("corpus.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="mentions")
    method = models.CharField(max_length=16, choices=MentionMethod.choices, default=MentionMethod.CURATED)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "start", "end"]
        indexes = [models.Index(fields=["article", "start", "end"], name="corpus_mention_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False, programme__isnull=True, event__isnull=True)
                | Q(actor__isnull=True, programme__isnull=False, event__isnull=True)
                | Q(actor__isnull=True, programme__isnull=True, event__isnull=False),
                name="corpus_mention_one_target",
                violation_error_message="A mention names exactly one actor, programme or event.",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")),
                name="corpus_mention_length_matches",
                violation_error_message="A mention's offsets must span exactly its text.",
            ),
        ]

    def __str__(self):
        return f"'{self.text}' in {self.article.slug}"

    @property
    def target(self):
        return self.actor or self.programme or self.event

    def clean(self):
        super().clean()
        if self.article_id is None or self.start is None or self.end is None or self.end < self.start:
            return
        actual = self.article.body[self.start : self.end]
        if actual != self.text:
            raise ValidationError({"text": f"This is not the article's text at {self.start}-{self.end}, which reads “{actual}”."})


class Quote(Displayed, Keyed):
    """Words an article attributes verbatim to a speaker."""

    citation = models.OneToOneField(Citation, on_delete=models.PROTECT, related_name="quote")
    speaker = models.ForeignKey("corpus.Actor", on_delete=models.PROTECT, related_name="quotes")
    event = models.ForeignKey(
        "corpus.Event",
        on_delete=models.PROTECT,  # not SET_NULL: where the words were said is a curated fact
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Where or when the words were said or written, when the article says.",
    )
    context = models.CharField(max_length=500, blank=True, help_text="To whom or in what setting, per the article.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["citation__article", "citation__start"]

    display_fields = ("speaker__name", "citation__excerpt")

    def __str__(self):
        return self.display()

    @staticmethod
    def display_of(speaker: str, text: str) -> str:
        return f"{speaker}: “{text[:60]}”"

    @property
    def text(self) -> str:
        return self.citation.excerpt

    @property
    def article(self):
        return self.citation.article
