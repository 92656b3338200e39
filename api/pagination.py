"""Page-number pagination that refuses bad input with a 400 instead of guessing."""

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import InvalidPage
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


class StrictPageNumberPagination(PageNumberPagination):
    """``?page=N&page_size=M``: M defaults to 20 and is at most 100.

    A page or page size that is not a positive integer, a page size above the cap and a page past
    the last one are all 400s naming the parameter: a client never silently gets another page
    size or an empty page it did not ask for.
    """

    page_size = 20
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    page_query_description = "A page number (1-based) within the paginated result set."
    page_size_query_description = f"Number of results per page, 1 to {MAX_PAGE_SIZE} (default 20)."

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        described = {
            "count": "Number of results across all pages.",
            "next": "Link to the next page; null on the last page.",
            "previous": "Link to the previous page; null on the first page.",
            "results": "This page's results.",
        }
        for name, description in described.items():
            response["properties"][name]["description"] = description
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

    def paginate_queryset(self, queryset, request, view=None):
        if not queryset.ordered:
            raise ImproperlyConfigured(f"{view.__class__.__name__} paginates an unordered queryset.")
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        try:
            self.page = paginator.page(_positive_int(request, self.page_query_param, 1))
        except InvalidPage:
            pages = paginator.num_pages
            raise ValidationError({self.page_query_param: [f"Page out of range: there are {pages} pages."]}) from None
        self.display_page_controls = paginator.num_pages > 1
        return list(self.page)


def _positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1 or (maximum and int(raw) > maximum):
        bound = f" between 1 and {maximum}" if maximum else " of at least 1"
        raise ValidationError({name: [f"'{raw}' is not valid: expected an integer{bound}."]})
    return int(raw)
