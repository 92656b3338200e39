from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from corpus.choices import ActorKind, AliasKind
from corpus.models.base import Displayed, FuzzyDated, Keyed, SlugManager, end_not_before_start
from corpus.normalize import normalize_name


class Actor(Displayed, models.Model):
    """A person, organisation, state or region: one row per real-world actor, however many articles name it."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, help_text="The name the corpus uses for this actor.")
    kind = models.CharField(max_length=16, choices=ActorKind.choices)
    description = models.TextField(blank=True, help_text="What the articles say this actor is.")
    country = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nationals",
        limit_choices_to={"kind": ActorKind.STATE},
        help_text="The state a person or organisation belongs to, when the articles say so.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text="The organisation this one is part of (e.g. a ministry's department).",
    )
    iso_code = models.CharField("ISO 3166 code", max_length=3, blank=True)
    wikidata_id = models.CharField("Wikidata ID", max_length=20, blank=True)
    citations = models.ManyToManyField("corpus.Citation", blank=True, related_name="actors")

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        indexes = [
            models.Index(fields=["name", "slug"], name="corpus_actor_order"),
            models.Index(fields=["kind", "name"], name="corpus_actor_kind"),
        ]

    display_fields = ("name",)

    def __str__(self):
        return self.display()

    def natural_key(self):
        return (self.slug,)


class Alias(Keyed):
    """Another name of an actor or programme seen in the corpus: an acronym, translation or variant spelling."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="aliases")
    programme = models.ForeignKey("corpus.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(max_length=16, choices=AliasKind.choices)
    language = models.CharField(max_length=8, default="en", help_text="BCP 47 code of the alias's language.")
    is_ambiguous = models.BooleanField(
        default=False,
        help_text="Names something else too (e.g. 'Washington' the city), so it is not used for automatic linking.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["normalized", "key"]
        verbose_name_plural = "aliases"
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False, programme__isnull=True) | Q(actor__isnull=True, programme__isnull=False),
                name="corpus_alias_one_owner",
                violation_error_message="An alias belongs to exactly one actor or programme.",
            ),
            models.UniqueConstraint(fields=["actor", "name"], name="corpus_alias_unique_actor_name"),
            models.UniqueConstraint(fields=["programme", "name"], name="corpus_alias_unique_programme_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)

    @property
    def owner(self):
        return self.actor or self.programme

    def clean(self):
        super().clean()
        self.normalized = normalize_name(self.name)
        if self.is_ambiguous or not self.normalized:
            return
        own = self.owner if self.owner is not None and self.owner.pk is not None else None
        others = [other for other in self.owners_of(self.normalized) if other != own]
        if others:
            names = ", ".join(sorted(f"{other._meta.verbose_name} “{other}”" for other in others))
            raise ValidationError(
                {
                    "name": f"“{self.name}” already names {names}. Tick “is ambiguous” if it names both "
                    "(it is then not used for automatic linking), or correct the name."
                }
            )

    @staticmethod
    def owners_of(normalized: str) -> set:
        """The actors and programmes that ``normalized`` names: by an alias, their name, or a programme's acronym."""
        from corpus.models.programmes import Programme

        owners = {alias.owner for alias in Alias.objects.filter(normalized=normalized).select_related("actor", "programme")}
        owners |= {actor for actor in Actor.objects.only("pk", "name") if normalize_name(actor.name) == normalized}
        owners |= {
            programme
            for programme in Programme.objects.only("pk", "name", "acronym")
            if normalized in (normalize_name(programme.name), normalize_name(programme.acronym))
        }
        return owners


class Affiliation(FuzzyDated, Keyed):
    """A role an actor holds in an organisation or state over a period, e.g. a deputy minister."""

    member = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="affiliations")  # a cited fact
    organisation = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=300, help_text="The role as the article words it.")
    citations = models.ManyToManyField("corpus.Citation", blank=True, related_name="affiliations")

    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "organisation", "role"]
        indexes = [models.Index(fields=["member", "organisation", "role"], name="corpus_affiliation_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(member=models.F("organisation")),
                name="corpus_affiliation_not_self",
                violation_error_message="An actor cannot be affiliated with itself.",
            ),
            end_not_before_start(),
        ]

    def __str__(self):
        return f"{self.member}: {self.role}, {self.organisation}"
