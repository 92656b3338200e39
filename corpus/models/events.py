from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from corpus.choices import EventType, ParticipantRole
from corpus.models.base import Displayed, FuzzyDated, Keyed, SlugManager, end_not_before_start


class Event(Displayed, FuzzyDated):
    """Something that happened: an exercise, visit, meeting, summit, agreement, accession, mission or war.

    Its date fields are the database's copy of its preferred DateStatement's (empty when none is
    preferred), so the timeline can sort and filter on them: triggers (migration 0008) keep them in
    step and replace whatever else is written to them. Change dates with ``corpus.services.dates``.
    """

    slug = models.SlugField(max_length=150, unique=True)
    title = models.CharField(max_length=300)
    type = models.CharField(max_length=16, choices=EventType.choices)
    description = models.TextField(blank=True)
    place = models.CharField(max_length=200, blank=True, help_text="Where it happened, as the articles say.")
    country = models.ForeignKey(
        "corpus.Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events_hosted",
        help_text="The state it happened in.",
    )
    participants = models.ManyToManyField("corpus.Actor", through="EventParticipant", related_name="events")
    programmes = models.ManyToManyField("corpus.Programme", blank=True, related_name="events")
    citations = models.ManyToManyField("corpus.Citation", blank=True, related_name="events")

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = [F("date_earliest").asc(nulls_last=True), F("date_latest").asc(nulls_last=True), "slug"]
        # PostgreSQL also has the timeline's order (undated starts first) and trigram indexes: migration 0004.
        indexes = [
            models.Index(fields=["date_earliest", "date_latest", "slug"], name="corpus_event_order"),
            models.Index(fields=["type", "date_earliest"], name="corpus_event_type"),
            models.Index(fields=["date_latest"], name="corpus_event_latest"),  # date ranges (corpus.dates.DateRange.q)
        ]
        constraints = [end_not_before_start()]

    display_fields = ("title",)

    def __str__(self):
        return self.display()

    def natural_key(self):
        return (self.slug,)


class EventParticipant(Keyed):
    """An actor's part in an event: host, visitor, signatory, invitee, speaker..."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="participations")  # a cited fact
    actor = models.ForeignKey("corpus.Actor", on_delete=models.PROTECT, related_name="event_participations")
    role = models.CharField(max_length=16, choices=ParticipantRole.choices)
    citations = models.ManyToManyField("corpus.Citation", blank=True, related_name="event_participations")

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "role", "actor"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="corpus_eventparticipant_unique"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()}) at {self.event}"


class DateStatement(FuzzyDated, Keyed):
    """What one source says about when an event happened. Disagreeing statements are all kept."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="date_statements")  # a cited fact
    is_preferred = models.BooleanField(
        default=False, help_text="The statement the corpus prefers; the event's own date copies it."
    )
    note = models.TextField(blank=True, help_text="Why it is preferred, or how it disagrees.")
    citations = models.ManyToManyField("corpus.Citation", related_name="date_statements")

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "-is_preferred", F("date_earliest").asc(nulls_last=True), "key"]
        indexes = [models.Index(fields=["event", "-is_preferred", "date_earliest", "key"], name="corpus_datestmt_order")]
        constraints = [
            end_not_before_start(),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(is_preferred=True),
                name="corpus_datestatement_one_preferred",
                violation_error_message="An event has at most one preferred date statement.",
            ),
        ]

    def __str__(self):
        return f"{self.event}: {self.date_text or self.date_edtf}"
