from django.db import models
from django.db.models import F
from simple_history.models import HistoricalRecords

from corpus.choices import ProgrammeKind
from corpus.models.base import Displayed, FuzzyDated, Keyed, SlugManager, end_not_before_start


class Programme(Displayed, models.Model):
    """A NATO partnership programme or mechanism (e.g. Partnership for Peace, IPAP), or a project the corpus names."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=32, choices=ProgrammeKind.choices)
    owner = models.ForeignKey("corpus.Actor", on_delete=models.PROTECT, null=True, blank=True, related_name="owned_programmes")
    description = models.TextField(blank=True)
    citations = models.ManyToManyField("corpus.Citation", blank=True, related_name="programmes")

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        indexes = [models.Index(fields=["name", "slug"], name="corpus_programme_order")]

    display_fields = ("name", "acronym")

    def __str__(self):
        return self.display()

    @staticmethod
    def display_of(name: str, acronym: str) -> str:
        return f"{name} ({acronym})" if acronym else name

    def natural_key(self):
        return (self.slug,)


class ProgrammeParticipation(FuzzyDated, Keyed):
    """A period in which an actor took part in a programme, e.g. one two-year IPAP cycle."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="participations")  # a cited fact
    participant = models.ForeignKey("corpus.Actor", on_delete=models.PROTECT, related_name="participations")
    label = models.CharField(max_length=200, blank=True, help_text="E.g. 'second IPAP'.")
    note = models.TextField(blank=True)
    citations = models.ManyToManyField("corpus.Citation", blank=True, related_name="participations")

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", F("date_earliest").asc(nulls_last=True), "key"]
        indexes = [models.Index(fields=["programme", "date_earliest", "key"], name="corpus_participation_order")]
        constraints = [end_not_before_start()]

    def __str__(self):
        return f"{self.participant} in {self.programme.acronym or self.programme.name} ({self.date_text or self.date_edtf})"
