"""Filtersets of API v1 (django-filter) and the ordering backend.

Related objects are filtered by slug (``?actor=azerbaijan``). An unknown slug or choice, a
malformed date or an unknown ordering field is a 400 naming the parameter.
"""

import datetime

import django_filters as df
from django.db.models import F, Q
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError

from corpus.choices import ActorKind, EventType, ParticipantRole, ProgrammeKind, SourceKind
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
DATE_MATCH_HELP = (
    "How a fuzzy date meets the date_after/date_before range. 'overlaps' (default): the date may fall "
    "within the range (its earliest..latest bounds overlap it; an open end counts as unbounded). "
    "'within': the date certainly falls within the range (both bounds known and inside it). "
    "Undated objects never match a date filter."
)


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


def date_range_q(after, before, match: str = "overlaps", prefix: str = "") -> Q:
    """The condition for a FuzzyDated row (fields ``<prefix>date_earliest/latest``) to meet a range."""
    earliest, latest = f"{prefix}date_earliest", f"{prefix}date_latest"
    if match == "within":
        condition = Q()
        if after:
            condition &= Q(**{f"{earliest}__gte": after})
        if before:
            condition &= Q(**{f"{latest}__lte": before})
        return condition
    condition = Q(**{f"{earliest}__isnull": False}) | Q(**{f"{latest}__isnull": False})
    if after:
        condition &= Q(**{f"{latest}__gte": after}) | Q(**{f"{latest}__isnull": True})
    if before:
        condition &= Q(**{f"{earliest}__lte": before}) | Q(**{f"{earliest}__isnull": True})
    return condition


def slug_filter(queryset, field_name=None, help_text="", **kwargs):
    """A related object by its slug; an unknown slug is a 400."""
    slug = df.ModelChoiceFilter(queryset=queryset, to_field_name="slug", field_name=field_name, help_text=help_text, **kwargs)
    return extend_schema_field({"type": "string", "description": help_text})(slug)


class FuzzyDateFilterSet(df.FilterSet):
    """``date_after``/``date_before`` (inclusive, YYYY-MM-DD) with the ``date_match`` switch."""

    date_after = df.DateFilter(method="applied_later", help_text="Only dates that meet the range starting on this day.")
    date_before = df.DateFilter(method="applied_later", help_text="Only dates that meet the range ending on this day.")
    date_match = df.ChoiceFilter(choices=DATE_MATCH_CHOICES, method="applied_later", help_text=DATE_MATCH_HELP)

    def applied_later(self, queryset, name, value):
        return queryset  # combined with the other date parameters in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        after, before = data.get("date_after"), data.get("date_before")
        if after and before and before < after:
            raise ValidationError({"date_before": ["Must not be earlier than date_after."]})
        if not (after or before):
            return queryset
        return self.filter_dates(queryset, date_range_q(after, before, data.get("date_match") or "overlaps"))

    def filter_dates(self, queryset, condition: Q):
        return queryset.filter(condition)


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


class ArticleFilterSet(df.FilterSet):
    source = slug_filter(Source.objects.all(), help_text="Slug of the outlet.")
    author = slug_filter(Actor.objects.all(), field_name="authors", help_text="Slug of an author.")
    language = df.CharFilter(help_text="BCP 47 language code, e.g. 'en'.")
    actor = slug_filter(Actor.objects.all(), method="filter_mentions", help_text="Slug of an actor the article mentions.")
    programme = slug_filter(Programme.objects.all(), method="filter_mentions", help_text="Slug of a programme it mentions.")
    event = slug_filter(Event.objects.all(), method="filter_mentions", help_text="Slug of an event it mentions.")
    date_after = df.DateFilter(method="filter_published", help_text="Published on or after.")
    date_before = df.DateFilter(method="filter_published", help_text="Published on or before.")
    q = df.CharFilter(method="filter_q", help_text="Title or body contains (see /search/ for ranked search).")

    class Meta:
        model = Article
        fields = ["source", "author", "language", "actor", "programme", "event", "date_after", "date_before", "q"]

    def filter_mentions(self, queryset, name, value):
        return queryset.filter(pk__in=Mention.objects.filter(**{name: value}).values("article"))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def filter_published(self, queryset, name, value):
        """The publication day (in the current time zone) as a range of instants, which the ordering index serves."""
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        if name == "date_after":
            return queryset.filter(published_at__gte=start)
        return queryset.filter(published_at__lt=start + datetime.timedelta(days=1))


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


class ProgrammeFilterSet(FuzzyDateFilterSet):
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

    def filter_dates(self, queryset, condition: Q):
        participant = self.form.cleaned_data.get("participant")
        periods = ProgrammeParticipation.objects.filter(condition)
        if participant:
            periods = periods.filter(participant=participant)
        return queryset.filter(pk__in=periods.values("programme"))


class EventFilterSet(FuzzyDateFilterSet):
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


class QuoteFilterSet(df.FilterSet):
    speaker = slug_filter(Actor.objects.all(), help_text="Slug of the speaker.")
    article = slug_filter(Article.objects.all(), field_name="citation__article", help_text="Slug of the quoting article.")
    source = slug_filter(Source.objects.all(), field_name="citation__article__source", help_text="Slug of the article's outlet.")
    event = slug_filter(Event.objects.all(), help_text="Slug of the event where the words were said.")
    q = df.CharFilter(field_name="citation__excerpt", lookup_expr="icontains", help_text="Quoted words contain.")

    class Meta:
        model = Quote
        fields = ["speaker", "article", "source", "event", "q"]
