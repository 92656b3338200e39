"""Pagination of every list: page numbers, or keyset cursors on request; bad input is a 400, never a guess.

``count`` is exact but not counted on every request: it is cached per database epoch, corpus version
and query (every write bumps the version and a restore renews the epoch, so a cached count is never stale).
"""

import base64
import binascii
import datetime
import json
import operator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import F, OrderBy, Q
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 100


def cached_count(count, key) -> int:
    """``count()``, counted once per key (api.list_request.ListRequest.count_key: the corpus, the list and its filters).

    The API is read-only and the same for every client, so a list's rows depend on nothing else
    (not on ordering, page, fields or format).
    """
    if not settings.API_COUNT_CACHE_SECONDS:
        return count()
    key = key()
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, settings.API_COUNT_CACHE_SECONDS)
    return found


class CachedCountPaginator(DjangoPaginator):
    def __init__(self, object_list, per_page, count_key):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self):
        return cached_count(self.object_list.count, self.count_key)


class StrictPagination(PageNumberPagination):
    """``?page=N&page_size=M`` (M defaults to 20 and is at most 100), or ``?cursor=`` for keyset pages.

    A page or page size that is not a positive integer, a page size above the cap and a page past
    the last one are all 400s naming the parameter: a client never silently gets another page
    size or an empty page it did not ask for. ``?cursor=`` (empty) starts keyset pagination at the
    first page; ``next`` and ``previous`` then carry opaque cursors: each page costs the same
    whatever its depth, and rows added or removed meanwhile shift nothing.
    """

    page_size = 20
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    page_query_description = "A page number (1-based) within the paginated result set."
    page_size_query_description = f"Number of results per page, 1 to {MAX_PAGE_SIZE} (default 20)."
    cursor_query_description = (
        "Keyset pagination instead of page numbers: empty for the first page, then the cursor in a "
        "response's next or previous link. Opaque; valid for the ordering it was made with."
    )

    def get_schema_operation_parameters(self, view):
        cursor = {"name": self.cursor_query_param, "required": False, "in": "query",
                  "description": self.cursor_query_description, "schema": {"type": "string"}}  # fmt: skip
        return [*super().get_schema_operation_parameters(view), cursor]

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        described = {
            "count": "Number of results across all pages (exact; counted once per corpus version and filter).",
            "next": "Link to the next page; null on the last page.",
            "previous": "Link to the previous page; null on the first page.",
            "results": "This page's results.",
        }
        for name, description in described.items():
            response["properties"][name]["description"] = description
        response["properties"]["count"]["example"] = 42
        response["properties"]["next"]["example"] = "http://127.0.0.1:8000/api/v1/events/?page=3&page_size=10"
        response["properties"]["previous"]["example"] = "http://127.0.0.1:8000/api/v1/events/?page=1&page_size=10"
        response["properties"]["facets"] = {
            "type": "object",
            "description": "Only with ?facets=: for each facet, its values and how many results have each.",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"value": {"nullable": True}, "count": {"type": "integer"}},
                    "required": ["value", "count"],
                },
            },
        }
        return response

    def get_page_size(self, request):
        return _positive_int(request, self.page_size_query_param, self.page_size, maximum=self.max_page_size)

    def page_number(self, request) -> int:
        return _positive_int(request, self.page_query_param, 1)

    def cursor(self, request) -> str | None:
        """The cursor asked for ("" for the first keyset page), or None for numbered pages."""
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor is not None and self.page_query_param in request.query_params:
            raise ValidationError({self.cursor_query_param: [f"Give either {self.page_query_param} or cursor, not both."]})
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        """DRF's entry point: the page ``view.list_request`` asks for (api.list_request)."""
        return self.paginate(queryset, view.list_request, request)

    def paginate(self, rows, query, request) -> list:
        """The page of ``rows`` (an ordered queryset, or api.v1.statements.PreparedRows) that ``query`` asks for."""
        if not rows.ordered:
            raise ImproperlyConfigured(f"{query.view.__name__} paginates an unordered queryset.")
        self.request = request
        if query.cursor is not None:
            return self.paginate_by_cursor(rows, query)
        paginator = CachedCountPaginator(rows, query.page_size, query.count_key)
        try:
            self.page = paginator.page(query.page)
        except InvalidPage:
            pages = paginator.num_pages
            raise ValidationError({self.page_query_param: [f"Page out of range: there are {pages} pages."]}) from None
        self.display_page_controls = paginator.num_pages > 1
        self.count, self.next_link, self.previous_link = paginator.count, self.get_next_link(), self.get_previous_link()
        return list(self.page)

    def paginate_by_cursor(self, queryset, query):
        keys = sort_keys(queryset)
        cursor = Cursor.decode(query.cursor, keys)
        self.count = cached_count(queryset.count, query.count_key)
        page_size = query.page_size
        ordered = keys if cursor.forward else [key.reversed() for key in keys]
        page = queryset.annotate(**{f"cursor_{i}": F(key.name) for i, key in enumerate(keys)})
        if cursor.values is not None:
            page = page.filter(after(ordered, cursor.values))
        rows = list(page.order_by(*(key.order_by() for key in ordered))[: page_size + 1])
        more, rows = len(rows) > page_size, rows[:page_size]
        if not cursor.forward:
            rows.reverse()
        # Links lead on from this page's first and last rows (an empty page's: to the list's first or last page).
        first, last = (_cursor_values(rows[0], keys), _cursor_values(rows[-1], keys)) if rows else (None, None)
        at_edge = cursor.values is None  # the first page going forward, the last going backward
        has_next, has_previous = (more, not at_edge) if cursor.forward else (not at_edge, more)
        self.next_link = self.cursor_link(Cursor(keys, True, last)) if has_next else None
        self.previous_link = self.cursor_link(Cursor(keys, False, first)) if has_previous else None
        return rows

    def cursor_link(self, cursor: "Cursor") -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor.encode())

    def get_paginated_response(self, data):
        return Response({"count": self.count, "next": self.next_link, "previous": self.previous_link, "results": data})


def _positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (maximum and int(raw) > maximum):
        bound = f" between 1 and {maximum}" if maximum else " of at least 1"
        raise ValidationError({name: [f"'{raw}' is not valid: expected an integer{bound}."]})
    return int(raw)


# --- Keyset pagination ----------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    """One term of a list's ordering. Nulls sort last unless the term says first (as OrderingFilter does)."""

    name: str
    descending: bool
    nulls_first: bool
    field: object  # the model field or annotation's output field: parses cursor values, knows if null is possible

    @property
    def term(self) -> str:
        return f"{'-' if self.descending else ''}{self.name}"

    def order_by(self) -> OrderBy:
        return OrderBy(F(self.name), descending=self.descending, nulls_first=self.nulls_first or None,
                       nulls_last=not self.nulls_first or None)  # fmt: skip

    def reversed(self) -> "SortKey":
        return SortKey(self.name, not self.descending, not self.nulls_first, self.field)

    def beyond(self, value) -> Q | None:
        """Rows whose value sorts after ``value`` (None: no row can)."""
        if value is None:
            return Q(**{f"{self.name}__isnull": False}) if self.nulls_first else None
        condition = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
        if self.field.null and not self.nulls_first:
            condition |= Q(**{f"{self.name}__isnull": True})
        return condition

    def equal(self, value) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def bound(self, value) -> Q | None:
        """A range implied by "after or equal to ``value``" that an index scan can start from, if there is one."""
        if value is None:
            return None if self.nulls_first else Q(**{f"{self.name}__isnull": True})
        if self.field.null and not self.nulls_first:
            return None  # the nulls after the value make it two ranges
        return Q(**{f"{self.name}__{'lte' if self.descending else 'gte'}": value})


def sort_keys(queryset) -> list[SortKey]:
    """The queryset's ordering as SortKeys (its terms must be fields or annotations, the last one unique)."""
    keys = []
    for term in queryset.query.order_by:
        if isinstance(term, str):
            term = OrderBy(F(term.lstrip("-")), descending=term.startswith("-"))
        if not isinstance(term, OrderBy) or not isinstance(term.expression, F):
            raise ImproperlyConfigured(f"Cursor pagination cannot order by {term!r}.")
        name = term.expression.name
        try:
            field = queryset.model._meta.get_field(name)
        except FieldDoesNotExist:
            field = queryset.query.annotations[name].output_field
            field = NullableField(field)  # an annotation may cross a nullable join
        keys.append(SortKey(name, term.descending, bool(term.nulls_first), field))
    if not keys:
        raise ImproperlyConfigured("Cursor pagination needs an explicitly ordered queryset.")
    return keys


@dataclass(frozen=True)
class NullableField:
    """An annotation's output field, taken as nullable."""

    field: object
    null = True

    def to_python(self, value):
        return self.field.to_python(value)


def after(keys: list[SortKey], values: list) -> Q:
    """Rows that come after ``values`` in the order of ``keys``: beyond on some key, equal on all before it."""
    disjuncts, equal = [], Q()
    for key, value in zip(keys, values, strict=True):
        beyond = key.beyond(value)
        if beyond is not None:
            disjuncts.append(equal & beyond)
        equal &= key.equal(value)
    condition = reduce(operator.or_, disjuncts) if disjuncts else Q(pk__in=[])
    bound = keys[0].bound(values[0])
    return condition & bound if bound is not None else condition


def _cursor_values(row, keys: list[SortKey]) -> list:
    get = row.__getitem__ if isinstance(row, dict) else row.__getattribute__
    return [get(f"cursor_{i}") for i in range(len(keys))]


@dataclass(frozen=True)
class Cursor:
    """A position in a list: after (``forward``) or before the row with these sort-key values.

    Without values it is the first page going forward (the empty ``?cursor=``), the last going backward.
    """

    keys: list
    forward: bool
    values: list | None

    def encode(self) -> str:
        values = None if self.values is None else [v.isoformat() if hasattr(v, "isoformat") else v for v in self.values]
        payload = {"o": ",".join(key.term for key in self.keys), "d": "n" if self.forward else "p", "v": values}
        return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, keys: list[SortKey]) -> "Cursor":
        if token == "":
            return cls(keys, True, None)
        invalid = ValidationError({"cursor": ["Not a valid cursor: use the one in a response's next or previous link."]})
        try:
            payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            ordering, direction, raw = payload["o"], payload["d"], payload["v"]
        except (ValueError, TypeError, KeyError, binascii.Error):
            raise invalid from None
        if ordering != ",".join(key.term for key in keys):
            raise ValidationError({"cursor": [f"This cursor was made for another ordering ({ordering})."]})
        if direction not in ("n", "p") or not (raw is None or isinstance(raw, list) and len(raw) == len(keys)):
            raise invalid
        try:
            values = None if raw is None else [_parse(key, value) for key, value in zip(keys, raw, strict=True)]
        except (ValueError, TypeError, DjangoValidationError):
            raise invalid from None
        return cls(keys, direction == "n", values)


def _parse(key: SortKey, value):
    if value is None:
        if not key.field.null:
            raise ValueError
        return None
    if not isinstance(value, str | int) or isinstance(value, str) and "\x00" in value:  # PostgreSQL text holds no NUL
        raise ValueError
    parsed = key.field.to_python(value)
    if isinstance(parsed, datetime.datetime) and timezone.is_naive(parsed):
        raise ValueError  # cursors carry aware datetimes
    return parsed
