"""A list request's query string, read once into one value.

``StrictQueryMixin.initial`` (api.v1.views) builds it before the view runs: the fields, facets,
page, page size and cursor are checked here (a 400 names the parameter), and the filters are
normalised (by name; a multi-valued filter's values sorted, since their order never changes the
result). The value then carries the keys the rest of the request uses: ``count_key`` for the
cached count (api.pagination) and ``rows_key`` for the compiled SQL (api.v1.statements). The
paginator reads its page from it, never from the query string again.

The response cache (api.middleware) keys by the whole URL instead: it runs before any view, and
the response's ``next`` and ``previous`` links repeat the URL as the client wrote it.
"""

import hashlib
from dataclasses import dataclass

from api.query_params import csv_param
from corpus.models import CorpusVersion
from corpus.services import epoch as epochs


@dataclass(frozen=True)
class ListRequest:
    view: type
    path: str
    fields: tuple[str, ...]  # the serializer's fields this request shows, in order (?fields=, ?include=)
    facets: tuple[str, ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # the filterset's parameters given, normalised
    ordering: str
    page: int
    page_size: int
    cursor: str | None  # None: numbered pages; "" the first keyset page
    stamp: tuple | None  # (epoch, version) as api.middleware read it; None when the request bypassed it

    @classmethod
    def of(cls, view, request, fields: list[str]) -> "ListRequest":
        """``request``'s list query for ``view`` (a 400 for a bad page, page size, cursor or facet)."""
        params = request.query_params
        paginator = view.paginator
        repeatable = view.repeatable_query_params()
        filters = tuple(
            (name, tuple(sorted(values)) if name in repeatable else tuple(values))
            for name, values in sorted(params.lists())
            if name in view.filterset_class.base_filters
        )
        version = getattr(request, "corpus_version", None)
        return cls(
            view=type(view),
            path=request.path,
            fields=tuple(fields),
            facets=tuple(sorted(csv_param(request, "facets", view.facets))),
            filters=filters,
            ordering=params.get("ordering", ""),
            page=paginator.page_number(request),
            page_size=paginator.get_page_size(request),
            cursor=paginator.cursor(request),
            stamp=None if version is None else (request.corpus_epoch, version),
        )

    @property
    def rows_key(self) -> tuple | None:
        """What the compiled SQL of this list depends on: the view, the corpus (filters resolve slugs to ids), filters,
        ordering and fields, not the page. None without a stamp (signed-in requests compile every time)."""
        if self.stamp is None:
            return None
        return (self.view, self.stamp, self.filters, self.ordering, self.fields)

    def count_key(self) -> str:
        """What the number of rows depends on: the corpus, the list (its path) and its filters."""
        stamp = self.stamp
        if stamp is None:
            current = CorpusVersion.read()
            stamp = (epochs.memo.for_stamp(current), current.version)
        return "count:" + hashlib.sha256(f"{stamp}|{self.path}|{self.filters}".encode()).hexdigest()[:32]
