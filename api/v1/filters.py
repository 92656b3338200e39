"""Filtersets of API v1 (django-filter) and the ordering backend.

Related objects are filtered by slug (``?actor=azerbaijan``). An unknown slug or choice, a
malformed date or an unknown ordering field is a 400 naming the parameter.
"""

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters, serializers
from rest_framework.exceptions import ValidationError

from corpus.choices import ActorKind, EventType, ParticipantRole, ProgrammeKind, SourceKind
from corpus.dates import BOUND_FORMS, DateRange
from corpus.models import (
    Actor,
    Alias,
    Article,
    Event,
    EventParticipant,
    Mention,
    Programme,
    ProgrammeParticipation,
    Quote,
    Source,
)
from corpus.normalize import normalize_name

DATE_MATCH_CHOICES = [
    ("overlaps", "may fall within: the date's bounds overlap the range"),
    ("within", "certainly within: both of the date's bounds lie inside the range"),
]
DATES_COMPARED = (
    "Dates compared: articles' publication dates (quotes: their article's); events' dates (events, timeline, "
    "disputes); programmes' participation periods; search: articles' publication and events' dates; graph: the "
    "dates of the events and articles that link two actors."
)
DATE_AFTER_HELP = f"Start of the date range: an EDTF date ({BOUND_FORMS}). The range starts on its earliest day. {DATES_COMPARED}"
DATE_BEFORE_HELP = (
    "End of the date range: an EDTF date, as date_after. The range ends on its latest day "
    "(date_before=2009 ends on 2009-12-31). It must not end before date_after starts."
)
DATE_MATCH_HELP = (
    "How a fuzzy date meets the date_after/date_before range. 'overlaps' (default): the date may fall "
    "within the range (its earliest..latest bounds overlap it; an open end counts as unbounded). "
    "'within': the date certainly falls within the range (both bounds known and inside it). "
    "Undated objects never match a date filter."
)
EDTF_BOUND_SCHEMA = {"type": "string", "example": "2009-04"}


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, minus building a FilterSet and its form (about 1.5 ms) for a request that
    names none of its filters: the queryset is then returned as it came."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    """``?ordering=a,-b`` over the view's ``ordering_fields``; anything else is a 400.

    Nulls sort last in both directions, and the view's ``ordering_tiebreaker`` (slug, or key)
    is appended, so the order is the same on SQLite and PostgreSQL and pages never overlap.
    """

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        invalid = [term for term in fields if term not in valid]
        if invalid:
            choices = ", ".join(name for name, _ in self.get_valid_fields(queryset, view, {"request": request}))
            raise ValidationError({self.ordering_param: [f"Cannot order by {', '.join(invalid)}. Choose from: {choices}."]})
        return valid

    def filter_queryset(self, request, queryset, view):
        ordering = list(self.get_ordering(request, queryset, view) or [])
        tiebreaker = getattr(view, "ordering_tiebreaker", "slug")
        if tiebreaker not in {term.lstrip("-") for term in ordering}:
            ordering.append(tiebreaker)
        return queryset.order_by(*(_nulls_last(term) for term in ordering))


def _nulls_last(term: str):
    if term.startswith("-"):
        return F(term[1:]).desc(nulls_last=True)
    return F(term).asc(nulls_last=True)


def slug_filter(queryset, field_name=None, help_text="", **kwargs):
    """A related object by its slug; an unknown slug is a 400."""
    slug = df.ModelChoiceFilter(queryset=queryset, to_field_name="slug", field_name=field_name, help_text=help_text, **kwargs)
    return extend_schema_field({"type": "string", "description": help_text})(slug)


class EDTFBoundField(forms.CharField):
    """A form field for date_after/date_before: the EDTF date (corpus.dates.DateRange.bound), None when empty."""

    def to_python(self, value):
        text = super().to_python(value)
        return DateRange.bound(text) if text else None


class EDTFBoundFilter(df.Filter):
    field_class = EDTFBoundField


def edtf_bound_filter(help_text: str) -> EDTFBoundFilter:
    bound = EDTFBoundFilter(method="applied_later", help_text=help_text)
    return extend_schema_field({**EDTF_BOUND_SCHEMA, "description": help_text})(bound)


class DateRangeFilterSet(df.FilterSet):
    """``date_after``/``date_before`` (EDTF bounds) with the ``date_match`` switch, as one corpus.dates.DateRange.

    ``filter_dates`` says which dates the range applies to: by default the rows' own fuzzy date."""

    date_after = edtf_bound_filter(DATE_AFTER_HELP)
    date_before = edtf_bound_filter(DATE_BEFORE_HELP)
    date_match = df.ChoiceFilter(choices=DATE_MATCH_CHOICES, method="applied_later", help_text=DATE_MATCH_HELP)

    def applied_later(self, queryset, name, value):
        return queryset  # combined with the other date parameters in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        try:
            date_range = DateRange.of(data.get("date_after"), data.get("date_before"), data.get("date_match"))
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return self.filter_dates(queryset, date_range) if date_range else queryset

    def filter_dates(self, queryset, date_range: DateRange):
        return queryset.filter(date_range.q())


@extend_schema_field(EDTF_BOUND_SCHEMA)
class EDTFBoundSerializerField(serializers.CharField):
    """The DRF field for date_after/date_before (APIViews' query serializers); empty is not given."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        return DateRange.bound(text) if text else None


class DateRangeQuerySerializer(serializers.Serializer):
    """The date range parameters of an APIView, validated into ``date_range`` (a corpus.dates.DateRange)."""

    date_after = EDTFBoundSerializerField(help_text=DATE_AFTER_HELP)
    date_before = EDTFBoundSerializerField(help_text=DATE_BEFORE_HELP)
    date_match = serializers.ChoiceField(choices=DATE_MATCH_CHOICES, required=False, help_text=DATE_MATCH_HELP)

    def validate(self, data):
        data = super().validate(data)
        bounds = [data.pop(name, None) for name in ("date_after", "date_before", "date_match")]
        return {**data, "date_range": DateRange.of(*bounds)}


def _q_name(queryset, name, value):
    """Name, or any alias, contains the words (case- and accent-insensitive for aliases)."""
    owner = "actor" if queryset.model is Actor else "programme"
    by_alias = Alias.objects.filter(normalized__contains=normalize_name(value)).values(owner)
    return queryset.filter(Q(name__icontains=value) | Q(pk__in=by_alias))


class SourceFilterSet(df.FilterSet):
    kind = df.ChoiceFilter(choices=SourceKind.choices)
    organisation = slug_filter(Actor.objects.all(), help_text="Slug of the organisation behind the outlet.")
    q = df.CharFilter(field_name="name", lookup_expr="icontains", help_text="Name contains.")

    class Meta:
        model = Source
        fields = ["kind", "organisation", "q"]


class ArticleFilterSet(DateRangeFilterSet):
    """The date range applies to the publication date (corpus.dates.DateRange.published_q)."""

    source = slug_filter(Source.objects.all(), help_text="Slug of the outlet.")
    author = slug_filter(Actor.objects.all(), field_name="authors", help_text="Slug of an author.")
    language = df.CharFilter(help_text="BCP 47 language code, e.g. 'en'.")
    actor = slug_filter(Actor.objects.all(), method="filter_mentions", help_text="Slug of an actor the article mentions.")
    programme = slug_filter(Programme.objects.all(), method="filter_mentions", help_text="Slug of a programme it mentions.")
    event = slug_filter(Event.objects.all(), method="filter_mentions", help_text="Slug of an event it mentions.")
    q = df.CharFilter(method="filter_q", help_text="Title or body contains (see /search/ for ranked search).")

    class Meta:
        model = Article
        fields = ["source", "author", "language", "actor", "programme", "event", "q"]

    def filter_mentions(self, queryset, name, value):
        return queryset.filter(pk__in=Mention.objects.filter(**{name: value}).values("article"))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def filter_dates(self, queryset, date_range: DateRange):
        return queryset.filter(date_range.published_q())


class ActorFilterSet(df.FilterSet):
    kind = df.ChoiceFilter(choices=ActorKind.choices)
    country = slug_filter(Actor.objects.filter(kind=ActorKind.STATE), help_text="Slug of the actor's state.")
    programme = slug_filter(Programme.objects.all(), method="filter_programme", help_text="Slug of a programme it took part in.")
    event = slug_filter(Event.objects.all(), method="filter_event", help_text="Slug of an event it took part in.")
    role = df.ChoiceFilter(
        choices=ParticipantRole.choices, method="filter_role", help_text="Took part in some event in this role."
    )
    q = df.CharFilter(method=_q_name, help_text="Name or alias contains (alias match ignores case and accents).")

    class Meta:
        model = Actor
        fields = ["kind", "country", "programme", "event", "role", "q"]

    def filter_programme(self, queryset, name, value):
        return queryset.filter(pk__in=ProgrammeParticipation.objects.filter(programme=value).values("participant"))

    def filter_event(self, queryset, name, value):
        return queryset.filter(pk__in=EventParticipant.objects.filter(event=value).values("actor"))

    def filter_role(self, queryset, name, value):
        return queryset.filter(pk__in=EventParticipant.objects.filter(role=value).values("actor"))


class ProgrammeFilterSet(DateRangeFilterSet):
    """The date range applies to the programme's participation periods (with ``participant``, to that actor's)."""

    kind = df.ChoiceFilter(choices=ProgrammeKind.choices)
    owner = slug_filter(Actor.objects.all(), help_text="Slug of the owning organisation.")
    participant = slug_filter(Actor.objects.all(), method="applied_later", help_text="Slug of a participating actor.")
    q = df.CharFilter(method=_q_name, help_text="Name, acronym or alias contains.")

    class Meta:
        model = Programme
        fields = ["kind", "owner", "participant", "q"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if participant := self.form.cleaned_data.get("participant"):
            queryset = queryset.filter(pk__in=ProgrammeParticipation.objects.filter(participant=participant).values("programme"))
        return queryset

    def filter_dates(self, queryset, date_range: DateRange):
        participant = self.form.cleaned_data.get("participant")
        periods = ProgrammeParticipation.objects.filter(date_range.q())
        if participant:
            periods = periods.filter(participant=participant)
        return queryset.filter(pk__in=periods.values("programme"))


class EventFilterSet(DateRangeFilterSet):
    """``actor`` may be repeated: ``?actor=azerbaijan&actor=nato`` keeps events in which both took part.
    With ``role``, each listed actor must have taken part in that role (``?actor=nato&role=organiser``)."""

    type = df.ChoiceFilter(choices=EventType.choices)
    country = slug_filter(Actor.objects.all(), help_text="Slug of the state it happened in.")
    programme = slug_filter(Programme.objects.all(), field_name="programmes", help_text="Slug of a programme it belongs to.")
    actor = extend_schema_field(
        {"type": "array", "items": {"type": "string"}, "description": "Slug of a participant; repeat for events shared by all."}
    )(df.ModelMultipleChoiceFilter(queryset=Actor.objects.all(), to_field_name="slug", method="applied_later"))
    role = df.ChoiceFilter(
        choices=ParticipantRole.choices, method="applied_later", help_text="A participant's role (of each listed actor)."
    )
    q = df.CharFilter(field_name="title", lookup_expr="icontains", help_text="Title contains.")

    class Meta:
        model = Event
        fields = ["type", "country", "programme", "actor", "role", "q"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        role = self.form.cleaned_data.get("role")
        with_role = {"role": role} if role else {}
        actors = self.form.cleaned_data.get("actor") or []
        for actor in actors:
            queryset = queryset.filter(pk__in=EventParticipant.objects.filter(actor=actor, **with_role).values("event"))
        if role and not actors:
            queryset = queryset.filter(pk__in=EventParticipant.objects.filter(role=role).values("event"))
        return queryset


class QuoteFilterSet(DateRangeFilterSet):
    """The date range applies to the quoting article's publication date: every quote has one, while most have no event."""

    speaker = slug_filter(Actor.objects.all(), help_text="Slug of the speaker.")
    article = slug_filter(Article.objects.all(), field_name="citation__article", help_text="Slug of the quoting article.")
    source = slug_filter(Source.objects.all(), field_name="citation__article__source", help_text="Slug of the article's outlet.")
    event = slug_filter(Event.objects.all(), help_text="Slug of the event where the words were said.")
    q = df.CharFilter(field_name="citation__excerpt", lookup_expr="icontains", help_text="Quoted words contain.")

    class Meta:
        model = Quote
        fields = ["speaker", "article", "source", "event", "q"]

    def filter_dates(self, queryset, date_range: DateRange):
        return queryset.filter(date_range.published_q("citation__article__"))
