"""Views of API v1: read-only viewsets over the corpus, plus timeline, disputes, search and graph.

Each viewset writes out its querysets: ``queryset`` for lists (a fixed number of SQL queries
whatever the page size) and ``detail_queryset`` for the detail page's related collections. The
hot reads name ``list_rows``/``detail_rows`` (api.v1.rows), which render the serializer's exact
output from ``.values()`` rows by code compiled from it; the serializers render the rest.
"""

from functools import cache

import django_filters as df
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.list_request import ListRequest
from api.query_params import csv_names
from api.renderers import CSVRenderer, FastJSONRenderer, JSONLDRenderer
from api.v1 import filters
from api.v1 import serializers as s
from api.v1.rows import Links, Rows, search_columns, search_result
from api.v1.statements import PreparedRows
from corpus.choices import ActorKind
from corpus.models import (
    Actor,
    Affiliation,
    Article,
    ArticleAuthor,
    Citation,
    DateStatement,
    Event,
    EventParticipant,
    Mention,
    Programme,
    ProgrammeParticipation,
    Quote,
    Source,
)
from corpus.selectors.graph import graph
from corpus.selectors.search import KINDS, search

SPARSE_PARAMETERS = [
    OpenApiParameter("fields", str, description="Comma-separated fields to return (sparse fieldset), e.g. slug,title."),
    OpenApiParameter("include", str, description="Comma-separated optional fields to add (articles: body)."),
    OpenApiParameter(
        "format", str, enum=["json", "csv", "jsonld"], description="Response format: json (default), csv or jsonld (JSON-LD)."
    ),
]
FACETS_PARAMETER = OpenApiParameter(
    "facets",
    str,
    description=(
        "Comma-separated facets to count over the filtered list (all pages), returned as `facets`: "
        "articles: source, language, year; sources: kind; actors: kind, country; programmes: kind, owner; "
        "events, timeline, disputes: type, year, precision, country; quotes: speaker, article."
    ),
)
EVENT_FACETS = {
    "type": F("type"),
    "year": ExtractYear("date_earliest"),
    "precision": F("date_precision"),
    "country": F("country__slug"),
}


def cited(lookup: str) -> Prefetch:
    """Prefetch the citations at ``lookup`` with the article each one quotes."""
    return Prefetch(lookup, queryset=Citation.objects.select_related("article"))


@cache
def serializer_field_names(serializer_class) -> frozenset[str]:
    """Once per class: building a serializer's fields deep-copies each of them."""
    return frozenset(serializer_class().fields)


class ReleasedWhenSentMixin:
    """Once the response has been sent, the view lets go of everything it holds.

    The view, its DRF request, its paginator and its response refer to one another (the response's
    renderer context names the view, the paginator its view and request...), so the page they
    hold, thousands of objects, was freed only by Python's garbage collector: ~5 ms a collection,
    every few requests, and a pause in some unlucky request. Emptying the view when the server
    closes the response (as ``FileResponse`` closes its file) leaves no cycle, and reference
    counting frees the page at once.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response._resource_closers.append(vars(self).clear)  # run by response.close(), after the last byte
        if isinstance(response, Response):  # its renderer context names the view, and once rendered the response
            response._resource_closers.append(response.renderer_context.clear)
        return response


class StrictQueryMixin:
    """A query parameter the endpoint does not know is a 400 naming it, not silently ignored (a typo
    such as ``?actors=nato`` would otherwise return the unfiltered list)."""

    query_serializer_class = None  # APIViews: the serializer that validates their parameters

    def allowed_query_params(self) -> set[str]:
        allowed = {"format"}
        if self.query_serializer_class is not None:
            return allowed | serializer_field_names(self.query_serializer_class)
        allowed |= {"fields", "include"}
        if getattr(self, "action", None) == "list":
            paginator = self.paginator
            pagination = {paginator.page_query_param, paginator.page_size_query_param, paginator.cursor_query_param}
            allowed |= {*pagination, "facets", *self.filterset_class.base_filters}
            if filters.OrderingFilter in self.filter_backends:
                allowed.add("ordering")
        return allowed

    def repeatable_query_params(self) -> set[str]:
        """Parameters that may be given more than once: the filters that take several values (``?actor=a&actor=b``)."""
        if self.query_serializer_class is not None or getattr(self, "action", None) != "list":
            return set()
        return {name for name, f in self.filterset_class.base_filters.items() if isinstance(f, df.MultipleChoiceFilter)}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = self.allowed_query_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            message = f"Unknown parameter. This endpoint takes: {', '.join(sorted(allowed))}."
            raise ValidationError({name: [message] for name in unknown})
        repeatable = self.repeatable_query_params()
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1 and name not in repeatable)
        if repeated:  # the last value would silently win (and the count cache would disagree with the page)
            raise ValidationError(
                {name: ["Give this parameter once (for several values, see its description)."] for name in repeated}
            )
        if self.query_serializer_class is None:  # checked even when no result is rendered
            self.fields = self.get_serializer_class().field_names(request)
            if getattr(self, "action", None) == "list":
                self.list_request = ListRequest.of(self, request, self.fields)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "fields": getattr(self, "fields", None)}  # SparseFieldsMixin's


class FacetedListMixin:
    """``?facets=a,b`` adds ``facets: {a: [{value, count}, ...]}`` counted over the filtered list.

    With ``list_rows`` (api.v1.rows) the page is rendered from ``.values()`` rows by code compiled from
    the serializer (which renders lists without ``list_rows``).
    """

    facets = {}
    list_rows = None

    def list(self, request, *args, **kwargs):
        query = self.list_request
        if self.list_rows is None:
            queryset = self.filter_queryset(self.get_queryset())
            results = self.get_serializer(self.paginator.paginate(queryset, query, request), many=True).data
        else:
            rows = self.list_rows(request, self.format_kwarg, self.get_serializer_class(), query.fields)
            prepared = PreparedRows(self, rows, query.rows_key)
            keyset = query.cursor is not None  # keyset pages filter the queryset
            results = rows.render(self.paginator.paginate(prepared.rows if keyset else prepared, query, request))
        response = self.get_paginated_response(results)
        if query.facets:
            queryset = queryset if self.list_rows is None else prepared.queryset
            response.data["facets"] = {name: self.facet_counts(queryset, self.facets[name]) for name in query.facets}
        return response

    @staticmethod
    def facet_counts(queryset, expression):
        rows = queryset.order_by().values(value=expression).annotate(count=Count("pk", distinct=True))
        return sorted(rows, key=lambda row: (-row["count"], str(row["value"])))


@extend_schema_view(
    list=extend_schema(parameters=[*SPARSE_PARAMETERS, FACETS_PARAMETER]), retrieve=extend_schema(parameters=SPARSE_PARAMETERS)
)
class CorpusViewSet(ReleasedWhenSentMixin, StrictQueryMixin, FacetedListMixin, viewsets.ReadOnlyModelViewSet):
    """Base: read-only, looked up by slug, filtered, ordered (slug breaks ties), paginated."""

    lookup_field = "slug"
    ordering_tiebreaker = "slug"
    filter_backends = [filters.FilterBackend, filters.OrderingFilter]
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer, CSVRenderer, JSONLDRenderer]  # bodies without floats
    detail_queryset = None
    detail_serializer_class = None
    detail_rows = None  # api.v1.rows: finds and renders the detail from .values() rows, as the serializer would

    def get_queryset(self):
        detail = self.action == "retrieve" and self.detail_queryset is not None
        return (self.detail_queryset if detail else self.queryset).all()

    def retrieve(self, request, *args, **kwargs):
        if self.detail_rows is None:
            return super().retrieve(request, *args, **kwargs)
        rows = self.detail_rows(request, self.format_kwarg, self.get_serializer_class(), self.fields)
        found = rows.find(self.kwargs[self.lookup_field], self.lookup_field)
        if found is None:
            raise self.not_found()
        return Response(rows.render_detail(found))

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise self.not_found() from None

    def not_found(self) -> NotFound:
        name, lookup = self.queryset.model._meta.verbose_name, self.lookup_field
        return NotFound(f"No {name} with {lookup} '{self.kwargs[lookup]}'.")

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class


class SourceViewSet(CorpusViewSet):
    """Outlets that publish the corpus's articles."""

    queryset = Source.objects.select_related("organisation")
    detail_queryset = queryset.prefetch_related("articles")
    serializer_class = s.SourceSerializer
    detail_serializer_class = s.SourceDetailSerializer
    filterset_class = filters.SourceFilterSet
    facets = {"kind": F("kind")}
    ordering_fields = ["name", "kind", "slug"]
    ordering = ["name"]


class ArticleViewSet(CorpusViewSet):
    """Articles: metadata, outlet, authors and publication date; the body in the detail (or with ?include=body)."""

    queryset = Article.objects.select_related("source").prefetch_related(
        Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
    )
    detail_queryset = queryset.prefetch_related(
        Prefetch("mentions", queryset=Mention.objects.select_related("actor", "programme", "event")),
        Prefetch("citations", queryset=Citation.objects.filter(quote__isnull=False).select_related("quote__speaker", "article")),
    )
    serializer_class = s.ArticleSerializer
    detail_serializer_class = s.ArticleDetailSerializer
    list_rows = detail_rows = Rows
    filterset_class = filters.ArticleFilterSet
    facets = {"source": F("source__slug"), "language": F("language"), "year": ExtractYear("published_at")}
    ordering_fields = ["published_at", "title", "slug"]
    ordering = ["-published_at"]


class ActorViewSet(CorpusViewSet):
    """People, organisations, states and regions; the detail shows aliases, affiliations, events and articles."""

    queryset = Actor.objects.select_related("country", "parent")
    detail_queryset = queryset.prefetch_related(
        "aliases",
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organisation")),
        cited("affiliations__citations"),
        Prefetch("event_participations", queryset=EventParticipant.objects.select_related("event")),
        cited("event_participations__citations"),
        Prefetch("mentions", queryset=Mention.objects.select_related("article").order_by("article", "start")),
        cited("citations"),
    )
    serializer_class = s.ActorSerializer
    detail_serializer_class = s.ActorDetailSerializer
    list_rows = Rows
    filterset_class = filters.ActorFilterSet
    facets = {"kind": F("kind"), "country": F("country__slug")}
    ordering_fields = ["name", "kind", "slug"]
    ordering = ["name"]


class ProgrammeViewSet(CorpusViewSet):
    """NATO partnership programmes and mechanisms; the detail shows who took part when."""

    queryset = Programme.objects.select_related("owner")
    detail_queryset = queryset.prefetch_related(
        "aliases",
        Prefetch("participations", queryset=ProgrammeParticipation.objects.select_related("participant", "programme")),
        cited("participations__citations"),
        "events",
        cited("citations"),
    )
    serializer_class = s.ProgrammeSerializer
    detail_serializer_class = s.ProgrammeDetailSerializer
    filterset_class = filters.ProgrammeFilterSet
    facets = {"kind": F("kind"), "owner": F("owner__slug")}
    ordering_fields = ["name", "acronym", "kind", "slug"]
    ordering = ["name"]


class EventViewSet(CorpusViewSet):
    """Events; the detail lists every date statement (preferred first), participants, programmes and citations."""

    queryset = Event.objects.select_related("country")
    detail_queryset = queryset.prefetch_related(
        Prefetch("date_statements", queryset=DateStatement.objects.select_related("event")),
        cited("date_statements__citations"),
        Prefetch("participations", queryset=EventParticipant.objects.select_related("actor")),
        cited("participations__citations"),
        "programmes",
        Prefetch("quotes", queryset=Quote.objects.select_related("speaker", "citation")),
        cited("citations"),
    )
    serializer_class = s.EventSerializer
    detail_serializer_class = s.EventDetailSerializer
    list_rows = Rows
    filterset_class = filters.EventFilterSet
    facets = EVENT_FACETS
    ordering_fields = ["date_earliest", "date_latest", "title", "type", "slug"]
    ordering = ["date_earliest", "date_latest"]


class QuoteViewSet(CorpusViewSet):
    """Words articles attribute verbatim to a speaker, with the citation they stand at."""

    lookup_field = "key"
    ordering_tiebreaker = "key"
    queryset = Quote.objects.select_related("speaker", "citation__article", "event").alias(
        published=F("citation__article__published_at"), speaker_name=F("speaker__name"), start=F("citation__start")
    )
    serializer_class = s.QuoteSerializer
    filterset_class = filters.QuoteFilterSet
    facets = {"speaker": F("speaker__slug"), "article": F("citation__article__slug")}
    ordering_fields = ["published", "speaker_name", "start", "key"]
    ordering = ["-published", "start"]


@extend_schema_view(list=extend_schema(parameters=[*SPARSE_PARAMETERS, FACETS_PARAMETER]))
class TimelineViewSet(ReleasedWhenSentMixin, StrictQueryMixin, FacetedListMixin, viewsets.GenericViewSet):
    """Dated events in date order (earliest bound, then latest bound, then slug), each with its date label and precision.

    Undated events are left out. Filter by actor, role, programme, type, country and period.
    """

    queryset = (
        Event.objects.filter(Q(date_earliest__isnull=False) | Q(date_latest__isnull=False))
        .select_related("country")
        .prefetch_related(Prefetch("participations", queryset=EventParticipant.objects.select_related("actor")), "programmes")
        .order_by(F("date_earliest").asc(nulls_first=True), F("date_latest").asc(nulls_last=True), "slug")
    )
    serializer_class = s.TimelineEntrySerializer
    list_rows = Rows
    filter_backends = [filters.FilterBackend]
    filterset_class = filters.EventFilterSet
    renderer_classes = CorpusViewSet.renderer_classes
    facets = EVENT_FACETS


class DisputeViewSet(TimelineViewSet):
    """Events whose sources disagree on the date (two or more different EDTF statements), every statement with its citations."""

    disputed = DateStatement.objects.values("event").annotate(n=Count("date_edtf", distinct=True)).filter(n__gt=1)
    queryset = (
        Event.objects.filter(pk__in=disputed.values("event"))
        .prefetch_related("date_statements", cited("date_statements__citations"))
        .order_by(F("date_earliest").asc(nulls_last=True), F("date_latest").asc(nulls_last=True), "slug")
    )
    serializer_class = s.DisputeSerializer
    list_rows = None  # rendered by its serializer


class SearchQuerySerializer(filters.DateRangeQuerySerializer):
    q = serializers.CharField(max_length=200, help_text="Words to look for.")
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10, help_text="At most this many hits per kind (1-50).")
    kinds = serializers.CharField(
        required=False,
        help_text=f"Only these kinds of hit, comma-separated ({', '.join(KINDS)}; default: all). The others are not searched, "
        "and their keys are left out of the result.",
    )

    def validate_kinds(self, value: str) -> set[str]:
        kinds = csv_names(value, KINDS)
        if not kinds:
            raise serializers.ValidationError(f"Name at least one kind: {', '.join(KINDS)}.")
        return kinds


class SearchView(ReleasedWhenSentMixin, StrictQueryMixin, APIView):
    """Search articles (title and body, with highlighted snippets) and actors, programmes and events by name and alias.

    A date range keeps the articles published and the events dated in it (actors and programmes are not dated).

    On PostgreSQL articles are found by full-text search (websearch syntax, ranked, snippets
    marking the words the english configuration matches); on SQLite by a case-insensitive
    substring match. Names and aliases match case- and accent-insensitively ("turkiye" finds
    Turkey via its alias Türkiye), and acronyms and translated names match too.
    """

    query_serializer_class = SearchQuerySerializer

    @extend_schema(parameters=[SearchQuerySerializer], responses=s.SearchResultSerializer)
    def get(self, request, *args, **kwargs):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = search(columns=search_columns(), **params.validated_data)
        return Response(search_result(result, Links(request)))  # SearchResultSerializer's shape


class GraphQuerySerializer(filters.DateRangeQuerySerializer):
    kind = serializers.ChoiceField(choices=ActorKind.choices, required=False, help_text="Only actors of this kind.")


class GraphView(ReleasedWhenSentMixin, StrictQueryMixin, APIView):
    """Actors as nodes; an edge joins two actors that took part in the same event or are mentioned in the same article.

    Each edge's weight is the number of shared events plus co-mentioning articles, with their
    slugs. Filter nodes by kind, and edges by period: only the shared events dated, and the co-mentioning articles
    published, in the range link two actors.
    """

    query_serializer_class = GraphQuerySerializer

    @extend_schema(parameters=[GraphQuerySerializer], responses=s.GraphSerializer)
    def get(self, request, *args, **kwargs):
        params = GraphQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(s.GraphSerializer(graph(**params.validated_data), context={"request": request}).data)
