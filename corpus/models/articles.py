import hashlib

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from corpus.choices import SourceKind
from corpus.dates import Precision
from corpus.models.base import Displayed, Keyed, SlugManager


class Source(Displayed, models.Model):
    """An outlet that publishes articles: a news agency, a broadcaster's blog, a TV programme."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=SourceKind.choices)
    homepage = models.URLField(blank=True)
    description = models.TextField(blank=True)
    organisation = models.ForeignKey(
        "corpus.Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="The organisation behind the outlet, when it is also an actor in the corpus.",
    )

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        indexes = [models.Index(fields=["name", "slug"], name="corpus_source_order")]

    display_fields = ("name",)

    def __str__(self):
        return self.display()

    def natural_key(self):
        return (self.slug,)


class Article(Displayed, models.Model):
    """One published article: its metadata and clean body text, page chrome removed."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=500)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles")
    source_note = models.CharField(max_length=500, blank=True, help_text="Why the outlet is unknown, or how it was identified.")
    url = models.URLField(max_length=500, blank=True)
    language = models.CharField(max_length=8, default="en", help_text="BCP 47 language code.")
    authors = models.ManyToManyField("corpus.Actor", through="ArticleAuthor", related_name="authored_articles")
    published_at = models.DateTimeField(null=True, blank=True, help_text="Stored in UTC.")
    published_utc_offset = models.CharField(
        max_length=6, blank=True, help_text="The page's own UTC offset, e.g. +04:00, when it gives one."
    )
    published_precision = models.CharField(max_length=16, choices=Precision.choices, default=Precision.UNKNOWN)
    published_text = models.CharField(max_length=200, blank=True, help_text="The dateline as the page words it.")
    published_note = models.CharField(max_length=500, blank=True, help_text="Why the publication date is unknown, when it is.")
    body = models.TextField(help_text="The article's own text, without navigation, credits or promotion.")
    body_sha256 = models.CharField(max_length=64, editable=False)
    seed_file = models.CharField(max_length=200, blank=True, help_text="The saved page this article came from.")

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "slug"]  # undated last, on every backend
        # PostgreSQL also has this ordering with its nulls placement, and the search_document column: migrations 0004-0005.
        indexes = [
            models.Index(fields=["-published_at", "slug"], name="corpus_article_order"),
            models.Index(fields=["language"], name="corpus_article_language"),
            # date ranges: one range of instants per precision (corpus.dates.DateRange.published_q)
            models.Index(fields=["published_precision", "published_at"], name="corpus_article_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=False) | ~Q(published_note=""),
                name="corpus_article_unknown_date_has_reason",
                violation_error_message="An article without a publication date must say why.",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=False) | ~Q(source_note=""),
                name="corpus_article_unknown_source_has_reason",
                violation_error_message="An article without a source must say why.",
            ),
        ]

    display_fields = ("title",)

    def __str__(self):
        return self.display()

    def save(self, *args, **kwargs):
        # Bodies are edited through corpus.services.bodies.save_article, which re-anchors the passages pointing into them.
        self.body = normalize_body(self.body)
        self.body_sha256 = checksum(self.body)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        self.body = normalize_body(self.body)


def normalize_body(body: str) -> str:
    """Line endings as the corpus stores them: ``\\n`` only (a browser's textarea sends ``\\r\\n``)."""
    return body.replace("\r\n", "\n").replace("\r", "\n")


def checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class ArticleAuthor(Keyed):
    """An author of an article, in byline order. None when the page names none."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("corpus.Actor", on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="corpus_articleauthor_unique"),
            models.UniqueConstraint(fields=["article", "position"], name="corpus_articleauthor_position"),
        ]

    def __str__(self):
        return f"{self.author} ({self.article})"
