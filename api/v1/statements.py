"""List pages (and the article detail) whose SQL is compiled once per process and request shape, not per request.

Building a list's queryset (filters, ordering, columns, JSON subqueries) and compiling it to
SQL costs more Python time per request than PostgreSQL takes to run the query. The SQL depends
only on the view, the query parameters other than the page, and the corpus data (filters turn
slugs into ids), so it is kept per process under that key, with the corpus version in it, and a
page runs it with the ``LIMIT``/``OFFSET`` Django would have added. A request whose key is new
builds and validates its queryset as before; the same request with the same parameters at the
same corpus version has been validated already, so it goes straight to the database.
"""

import threading
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

LOOKUP = "\x00lookup\x00"  # stands for a detail's slug while its query is compiled, then is replaced by the slug
PAGE_POSITION = "page_position"  # a page query's row number, in its own order: the order of the page with its collections
PAGE_KEYS = RawSQL('SELECT "id" FROM "page"', ())  # in a collection's grouped query: the ids of the page's rows


class ProcessMap:
    """What this process worked out once per key and keeps, up to ``limit`` keys; when full, it starts again empty
    (the keys are request shapes: bounded in production, not always in development)."""

    def __init__(self, limit: int = 1024):
        self.limit, self.entries, self.lock = limit, {}, threading.Lock()

    def get(self, key):
        return self.entries.get(key)

    def put(self, key, value) -> None:
        with self.lock:
            if len(self.entries) >= self.limit:
                self.entries.clear()
            self.entries[key] = value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def __len__(self) -> int:
        return len(self.entries)


_compiled = ProcessMap()


def compiled(key, build) -> "CompiledRows":
    """The CompiledRows ``build()`` returns, built the first time ``key`` is seen in this process."""
    found = _compiled.get(key)
    if found is None:
        found = build()
        _compiled.put(key, found)
    return found


def forget() -> None:
    """Drop every compiled query (tests: their writes roll the corpus version back)."""
    _compiled.clear()


def load_timestamps_natively(cursor) -> None:
    """Read this cursor's ``timestamptz`` values with psycopg's own loader (C, in psycopg-binary) instead of Django's.

    Django loads them with a Python subclass of psycopg's loader that only sets the connection's time
    zone: ~25 µs a value, a millisecond and more per page of 50 articles. psycopg's loader reads them
    in the session's time zone, which Django sets to the connection's, so the instants are the same
    (with USE_TZ; without it Django wants naive values, and keeps its loader).
    """
    if settings.USE_TZ:
        cursor.cursor.adapters.register_loader("timestamptz", _psycopg_timestamptz_loader())


@cache
def _psycopg_timestamptz_loader():
    from psycopg import adapters, postgres, pq  # PostgreSQL only

    return adapters.get_loader(postgres.types["timestamptz"].oid, pq.Format.TEXT)


@dataclass(frozen=True)
class CompiledRows:
    """A ``.values()`` queryset as SQL, its parameters, its column names and the converters Django applies to them."""

    alias: str
    sql: str
    params: tuple
    names: tuple[str, ...]
    converters: tuple[tuple[int, list, object], ...]
    collections: tuple[tuple[str, tuple], ...] = ()  # (SQL, params) of each collection grouped by page row, joined to the page

    @classmethod
    def of(cls, queryset, collections: dict | None = None) -> "CompiledRows":
        """``queryset``'s rows; with ``collections`` (column name: api.v1.rows.CompiledCollection), each page's rows also carry
        their collections, grouped in one pass over the page, joined on the rows' ``id``, in PAGE_POSITION order."""
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        query = queryset.query
        names = (*query.extra_select, *query.values_select, *query.annotation_select)  # ValuesIterable's order
        selected = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
        converters = [(i, funcs, expression) for i, (funcs, expression) in compiler.get_converters(selected).items()]
        if collections and not {"id", PAGE_POSITION} <= set(names):
            raise ImproperlyConfigured(f"Collections join a page that selects id and {PAGE_POSITION}.")
        joined = []
        for name, collection in (collections or {}).items():
            converters.append((len(names), [collection.load], None))
            names = (*names, name)
            joined.append(collection.grouped(queryset.db))
        return cls(queryset.db, sql, tuple(params), names, tuple(converters), tuple(joined))

    def paged(self, limit_offset: str) -> tuple[str, tuple]:
        """The SQL and parameters of one page."""
        if not self.collections:
            return f"{self.sql} {limit_offset}", self.params
        columns = "".join(f', COALESCE("c{i}"."json", \'[]\')' for i in range(len(self.collections)))
        joins = "".join(
            f' LEFT JOIN ({sql}) "c{i}" ON "c{i}"."page_row" = "page"."id"' for i, (sql, _) in enumerate(self.collections)
        )
        sql = (
            f'WITH "page" AS MATERIALIZED ({self.sql} {limit_offset}) SELECT "page".*{columns} FROM "page"{joins}'
            f' ORDER BY "page"."{PAGE_POSITION}"'
        )
        return sql, (*self.params, *(param for _, params in self.collections for param in params))

    def fetch(self, low: int, high: int, lookup: str | None = None) -> list[dict]:
        """Rows ``low`` to ``high`` as dicts, as ``queryset.values()[low:high]`` returns them
        (compiled with LOOKUP for a value: with ``lookup`` in its place)."""
        if lookup is not None and LOOKUP not in self.params:
            raise ImproperlyConfigured("This query was not compiled with LOOKUP among its parameters.")
        connection = connections[self.alias]
        sql, params = self.paged(connection.ops.limit_offset_sql(low, high))
        params = params if lookup is None else tuple(lookup if p == LOOKUP else p for p in params)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                load_timestamps_natively(cursor)
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        names, converters = self.names, self.converters
        result = []
        for row in rows:
            if converters:
                row = list(row)
                for i, funcs, expression in converters:
                    for convert in funcs:
                        row[i] = convert(row[i], expression, connection)
            result.append(dict(zip(names, row, strict=True)))
        return result


class PreparedRows:
    """A list's rows for the paginator: slices run the compiled SQL; querysets are built only when needed.

    The view's filtered queryset (its filters raise a bad parameter's 400) and ``select``'s rows
    of it are built when the key is new, for the count when that is not cached, and for facets.
    Requests without a key (signed-in ones, which bypass api.middleware) compile every time.
    """

    ordered = True  # the views' lists are always ordered

    def __init__(self, view, renderer, key):
        self.view, self.renderer, self.key = view, renderer, key  # key: api.list_request.ListRequest.rows_key

    @cached_property
    def queryset(self):
        """The view's filtered queryset (facets count over it)."""
        return self.view.filter_queryset(self.view.get_queryset())

    @cached_property
    def rows(self):
        """The ``.values()`` queryset this list pages through."""
        return self.renderer.select(self.queryset)

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, page: slice) -> list[dict]:
        def build():
            return CompiledRows.of(*self.renderer.select_pages(self.queryset))

        query = build() if self.key is None else compiled(self.key, build)
        return query.fetch(page.start or 0, page.stop)
