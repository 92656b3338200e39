"""Abstract building blocks shared by the corpus models."""

import uuid
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from corpus.dates import FuzzyDate, Precision


def new_key() -> str:
    """A default key for rows a curator adds; the seed compiler writes readable ones."""
    return uuid.uuid4().hex


class Displayed:
    """A model whose label is declared once: ``display_fields`` (field paths, ``speaker__name``) and ``display_of``, which
    makes the label from their values. ``__str__`` (``display()``) reads them from the object; the API's row renderers
    (api.v1.rows) select them as columns."""

    display_fields: tuple[str, ...] = ()

    @staticmethod
    def display_of(value: str) -> str:
        """The label: by default the one field's value."""
        return value

    def display(self) -> str:
        return self.display_of(*(attrgetter(path.replace("__", "."))(self) for path in self.display_fields))


class KeyManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Keyed(models.Model):
    """Abstract: a row without a slug, identified in fixtures by a stable ``key``."""

    key = models.CharField(max_length=255, unique=True, default=new_key, editable=False)

    objects = KeyManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.key,)


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class FuzzyDated(models.Model):
    """Abstract: a date as the source words it, with EDTF, bounds and precision."""

    date_edtf = models.CharField(
        "EDTF", max_length=64, blank=True, help_text="The date in EDTF (ISO 8601-2), e.g. 2009-04, 1993~/1997~."
    )
    date_earliest = models.DateField("earliest", null=True, blank=True, editable=False)
    date_latest = models.DateField("latest", null=True, blank=True, editable=False)
    date_precision = models.CharField(
        "precision", max_length=16, choices=Precision.choices, default=Precision.UNKNOWN, editable=False
    )
    date_text = models.CharField(
        "wording", max_length=200, blank=True, help_text="The source's own words for the date, e.g. 'mid-1990s'."
    )

    class Meta:
        abstract = True

    @property
    def fuzzy_date(self) -> FuzzyDate:
        return FuzzyDate.parse(self.date_edtf)

    def set_date(self, edtf: str, text: str = "") -> None:
        """Set the EDTF string and derive bounds and precision from it."""
        parsed = FuzzyDate.parse(edtf)
        self.date_edtf, self.date_text = parsed.edtf, text
        self.date_earliest, self.date_latest, self.date_precision = parsed.earliest, parsed.latest, parsed.precision

    def clean(self):
        super().clean()
        try:
            self.set_date(self.date_edtf, self.date_text)
        except ValidationError as exc:
            raise ValidationError({"date_edtf": exc.messages}) from exc


def end_not_before_start():
    """The database-level invariant shared by every FuzzyDated model."""
    return models.CheckConstraint(
        condition=models.Q(date_earliest__isnull=True)
        | models.Q(date_latest__isnull=True)
        | models.Q(date_latest__gte=models.F("date_earliest")),
        name="%(app_label)s_%(class)s_end_not_before_start",
        violation_error_message="A date cannot end before it starts.",
    )


def model_field(model, path: str):
    """The concrete field at ``path`` (``speaker__name``) from ``model``, and whether a null foreign key is on the way."""
    *relations, name = path.split("__")
    nullable = False
    for part in relations:
        relation = model._meta.get_field(part)
        if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
            raise FieldDoesNotExist(f"{model.__name__}.{part} is not a foreign key")
        nullable, model = nullable or relation.null, relation.related_model
    found = model._meta.get_field(name)
    if found.is_relation or not found.concrete:
        raise FieldDoesNotExist(f"{model.__name__}.{name} is not a column")
    return found, nullable


class SingleRow(models.Model):
    """A table of one row (id 1) holding a database-wide value, with the time it last changed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1),
                name="%(app_label)s_%(class)s_single_row",
                violation_error_message="This table holds one row.",
            )
        ]
