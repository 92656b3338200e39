"""Rows rendered as the serializers would: the hot reads (article list and detail, actor list, event list,
timeline, search) made from ``.values()`` rows into plain dicts, by code compiled from their serializers.

A nested DRF serializer costs about a millisecond per object here (it builds its fields, and
``HyperlinkedIdentityField`` calls ``reverse()``), so a page of 50 articles took ~100 ms. The
serializer stays the one declaration of a resource's shape: ``plan()`` walks its fields once per
process and field set, and compiles them into the columns to select and one generated Python
function that makes a row into the serializer's dict (per row only dict and tuple work, as a
hand-written builder would do). The rules:

- a model field (CharField, IntegerField, ChoiceField, URLField...) is its ``source``'s column;
- ``display`` (``source="__str__"``) is the model's ``display_fields`` passed to its ``display_of``
  (corpus.models.base.Displayed, which ``__str__`` reads too);
- a nested serializer on a foreign key is its own fields' columns under the key's prefix
  (``source__slug``), None when the key is null; with ``source="*"`` the same columns, unprefixed;
- FuzzyDateField is the date columns through ``fuzzy_date``, DateTimeField ``iso_datetime``;
- ``url`` (HyperlinkedIdentityField) is its lookup column in the request's URL template (Links);
- a many-valued field (a ``many=True`` serializer, or a SerializerMethodField) is the JSON array
  that its ``Meta.row_collections`` declaration (api.v1.serializers.Collection) selects in the same
  statement, each element rendered by its serializer's compiled renderer.

Anything else is a CompileError naming the serializer and field, raised by ``manage.py check``
(api.checks) rather than by a request. tests/api/test_rows.py checks that the rows and the
serializers give the same bytes for every object of the seed corpus, in every format and with
sparse fieldsets. SQL is compiled once per request shape (api.v1.statements), and every URL made
from one ``reverse()`` per resource and request shape.
"""

from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import quote

import orjson
from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import F, Func, JSONField, OuterRef, Subquery, TextField, Window
from django.db.models.functions import Cast, JSONObject, RowNumber
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from rest_framework import ISO_8601, serializers
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from api.v1 import statements
from api.v1.serializers import ArticleHitSerializer, Collection, FuzzyDateField, SearchResultSerializer, fuzzy_date, iso_date
from corpus.models.base import Displayed, model_field

LOOKUP_PLACEHOLDER = "__lookup__"
PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what Django's reverse() leaves unquoted in a path
DATE_COLUMNS = ("date_edtf", "date_earliest", "date_latest", "date_precision", "date_text")  # FuzzyDated's
PLAIN_FIELDS = (serializers.CharField, serializers.IntegerField, serializers.ChoiceField, serializers.FloatField,
                serializers.BooleanField)  # fmt: skip  # whose output is the column's value as the database gives it


class Links:
    """One request's absolute API URLs: one string join per object (the same URL HyperlinkedIdentityField
    makes, ``?format=`` and ``.json`` suffixes included), and its time zone.

    A resource's URL template comes from ``reverse()`` the first time a request of the same shape
    (host, scheme, version, format, script prefix, URL conf) asks for it in this process, and is kept:
    ``reverse()`` costs a tenth of a millisecond, a few of them per request.
    """

    def __init__(self, request, format_kwarg=None):
        self.request, self.format_kwarg = request, format_kwarg
        self.timezone = timezone.get_current_timezone()  # DateTimeField's, looked up once, not per row
        self.shape = (
            request.scheme, request.get_host(), get_script_prefix(), get_urlconf(), request.version, format_kwarg,
            request.query_params.get(api_settings.URL_FORMAT_OVERRIDE),
        )  # fmt: skip

    def url(self, basename: str, value: str, lookup: str = "slug") -> str:
        key = (basename, lookup, self.shape)
        template = _url_templates.get(key)
        if template is None:
            full = reverse(f"v1:{basename}-detail", kwargs={lookup: LOOKUP_PLACEHOLDER}, request=self.request,
                           format=self.format_kwarg)  # fmt: skip
            template = full.split(LOOKUP_PLACEHOLDER)
            _url_templates.put(key, template)
        before, after = template
        return f"{before}{quoted(value)}{after}"


_url_templates = statements.ProcessMap()  # by resource, lookup and request shape


@lru_cache(maxsize=65536)
def quoted(value: str) -> str:
    """A lookup value as reverse() puts it in a path."""
    return quote(value, safe=PATH_SAFE)


def iso_datetime(value, zone):
    """DateTimeField's output (ISO 8601 in ``zone``, UTC as Z) at a third of its cost."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


def distinct_targets(rows: list[dict], targets: tuple, links: "Links") -> dict:
    """A Collection with ``distinct``: for each (field, key column, renderer) the rows' targets, each once, in order."""
    found = {name: {} for name, _, _ in targets}
    for row in rows:
        for name, key, render in targets:
            target = row[key]
            if target is not None and target not in found[name]:
                found[name][target] = render(row, links)
    return {name: list(rendered.values()) for name, rendered in found.items()}


# --- JSON built by the database ----------------------------------------------------------------


class JSONArrayField(JSONField):
    """A JSON array built by the database, parsed by orjson (a third of ``json.loads``'s time)."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else orjson.loads(value)


class JSONList(Subquery):
    """The ``json`` column of a subquery's rows as one JSON array, in the subquery's order.

    A page's related rows (authors, participants, programmes) then come in the page's own query
    instead of one more query each: one round trip, and no second queryset to build per request.
    """

    output_field = JSONArrayField()

    def as_sql(self, compiler, connection, template=None, **extra):  # SQLite
        template = "(SELECT json_group_array(json(_rows.json)) FROM (%(subquery)s) _rows)"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="array_to_json(ARRAY(%(subquery)s))::text", **extra)


class JSONTextObject(JSONObject):
    """JSONObject built as PostgreSQL's text ``json``, not ``jsonb``: nothing to convert to binary and back,
    so a timeline page's related rows cost PostgreSQL a third less. Elsewhere, JSONObject as is."""

    def as_postgresql(self, compiler, connection, **extra_context):
        keys_as_text = [Cast(part, TextField()) if i % 2 == 0 else part for i, part in enumerate(self.get_source_expressions())]
        built = self.copy()
        built.set_source_expressions(keys_as_text)
        return Func.as_sql(built, compiler, connection, function="JSON_BUILD_OBJECT", **extra_context)


class CompiledCollection:
    """A Collection's rows as one JSON array per object, in the object's own statement.

    Two SQL forms: ``per_row()``, a JSONList subquery run for each row of the page (every
    database, and what keyset pages and details read), and ``grouped()``, one pass over the
    whole page, which api.v1.statements joins to the page on PostgreSQL. At 1,000 articles the
    per-row form scanned the small actor and programme tables again for each event, and sorted
    each event's rows apart: ~0.9 of the timeline's ~1 ms of PostgreSQL CPU per page of 50.
    Grouped, the page costs ~40% less at 1k and the same at 100k.
    """

    load = JSONArrayField().from_db_value  # a grouped array, as a converter of api.v1.statements.CompiledRows

    def __init__(self, declaration: Collection, json):
        self.declaration, self.json = declaration, json
        self.rows = declaration.model._default_manager.all()

    def per_row(self) -> JSONList:
        declared = self.declaration
        return JSONList(self.rows.filter(**{declared.key: OuterRef("pk")}).order_by(*declared.order_by).values(json=self.json))

    def grouped(self, alias: str) -> tuple[str, tuple]:
        """SQL and parameters of ``page_row`` (the id of a row of the page: statements.PAGE_KEYS) and ``json``, its rows.

        json_agg reads its rows in the order of the sorted subquery (a subquery with ORDER BY is
        never merged into its outer query): ``json_agg(... ORDER BY ...)`` would sort each group
        apart, as the per-row form does (PostgreSQL 15).
        """
        key = self.declaration.key
        rows = (
            self.rows.filter(**{f"{key}__in": statements.PAGE_KEYS})
            .order_by(f"{key}_id", *self.declaration.order_by)
            .values(page_row=F(f"{key}_id"), json=self.json)
        )
        sql, params = rows.query.get_compiler(alias).as_sql()
        return f'SELECT "page_row", JSON_AGG("json")::text AS "json" FROM ({sql}) "rows" GROUP BY "page_row"', tuple(params)


# --- The compiler --------------------------------------------------------------------------------


class CompileError(Exception):
    """A serializer field the row renderers cannot render (``manage.py check`` reports it: api.checks)."""


@dataclass(frozen=True)
class Plan:
    """A serializer at one set of fields, compiled: the ``.values()`` columns it reads, its collections
    (by the annotation that selects each) and ``render(row, links)``, the serializer's dict of a row."""

    serializer: type
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    collections: dict
    render: object
    source: str  # the generated code


@lru_cache(maxsize=1024)  # ?fields= chooses among 2^n field sets: keep the ones in use
def plan(serializer_class, fields: tuple[str, ...] | None = None) -> Plan:
    """``serializer_class`` at ``fields`` (default: all its fields), compiled once per process."""
    return _Compiler(serializer_class).compile(fields)


@cache
def element(serializer_class, prefix: str = "", in_json: bool = False) -> Plan:
    """The renderer of a nested serializer's objects (every field) from columns under ``prefix``, e.g. a collection's
    elements from their JSON (``in_json``) or a search hit's row."""
    return _Compiler(serializer_class, prefix, in_json).compile(None)


def brief_columns(serializer_class) -> tuple[str, ...]:
    """The columns a serializer's objects are rendered from (e.g. by search, which selects them itself)."""
    return element(serializer_class).columns


class _Compiler:
    """One generated function: expressions of ``row[...]`` for each field, and the helpers they call."""

    def __init__(self, serializer_class, prefix: str = "", in_json: bool = False):
        self.serializer_class, self.prefix, self.in_json = serializer_class, prefix, in_json
        self.columns: dict[str, None] = {}  # in order of first use
        self.namespace = {"fuzzy_date": fuzzy_date, "iso_date": iso_date, "iso_datetime": iso_datetime,
                          "distinct_targets": distinct_targets}  # fmt: skip
        self.collections = {}

    def compile(self, fields: tuple[str, ...] | None) -> Plan:
        declared = self.serializer_class().fields  # built once; no request, so every field
        fields = tuple(declared) if fields is None else fields
        body = self.object(self.serializer_class, {name: declared[name] for name in fields}, self.prefix)
        if self.collections:  # a grouped collection joins the page on its id
            self.columns = {"id": None, **self.columns}
        source = f"def render(row, links):\n    return {body}\n"
        exec(compile(source, f"<rows of {self.serializer_class.__name__}>", "exec"), self.namespace)
        columns = tuple(self.columns)
        return Plan(self.serializer_class, fields, columns, self.collections, self.namespace["render"], source)

    def column(self, path: str) -> str:
        self.columns[path] = None
        return f"row[{path!r}]"

    def constant(self, value) -> str:
        name = f"_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def object(self, serializer_class, fields: dict, prefix: str) -> str:
        items = (f"{name!r}: {self.field(serializer_class, name, field, prefix)}" for name, field in fields.items())
        return "{" + ", ".join(items) + "}"

    def field(self, owner, name: str, field, prefix: str) -> str:
        try:
            return self.expression(owner, name, field, prefix)
        except FieldDoesNotExist as error:
            raise CompileError(f"{owner.__name__}.{name}: {error}") from None

    def expression(self, owner, name: str, field, prefix: str) -> str:  # one branch per kind of field
        model = owner.Meta.model if hasattr(owner, "Meta") else None
        source = field.source.replace(".", "__")
        if isinstance(field, (serializers.ListSerializer, serializers.SerializerMethodField)):
            return self.collection(owner, name, field, prefix)
        if model is None:
            raise CompileError(f"{owner.__name__}.{name}: only ModelSerializer fields are compiled")
        if isinstance(field, serializers.HyperlinkedIdentityField):
            basename = field.view_name.removeprefix("v1:").removesuffix("-detail")
            if field.view_name != f"v1:{basename}-detail" or field.lookup_url_kwarg != field.lookup_field:
                raise CompileError(f"{owner.__name__}.{name}: a URL other than v1:<basename>-detail by its lookup field")
            model_field(model, field.lookup_field)
            value = self.column(f"{prefix}{field.lookup_field}")
            return f"links.url({basename!r}, {value}, {field.lookup_field!r})"
        if isinstance(field, FuzzyDateField):
            return f"fuzzy_date({', '.join(self.column(f'{prefix}{column}') for column in DATE_COLUMNS)})"
        if isinstance(field, serializers.BaseSerializer):
            return self.nested(owner, name, field, prefix)
        if field.source == "__str__":
            return self.display(owner, name, model, prefix)
        column, _ = model_field(model, source)
        if isinstance(field, serializers.DateTimeField):
            if self.in_json:
                raise CompileError(f"{owner.__name__}.{name}: a DateTimeField in a collection's JSON (a string there)")
            if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601:
                raise CompileError(f"{owner.__name__}.{name}: a DateTimeField with a format other than ISO 8601")
            zone = self.constant(field.timezone) if hasattr(field, "timezone") else "links.timezone"
            return f"iso_datetime({self.column(prefix + source)}, {zone})"
        if isinstance(field, serializers.DateField) and getattr(field, "format", api_settings.DATE_FORMAT) == ISO_8601:
            return f"iso_date({self.column(prefix + source)})"
        if isinstance(field, PLAIN_FIELDS) and not isinstance(field, serializers.MultipleChoiceField):
            if self.in_json and isinstance(field, serializers.BooleanField):
                raise CompileError(f"{owner.__name__}.{name}: a BooleanField in a collection's JSON (0/1 on SQLite)")
            return self.column(prefix + source)
        raise CompileError(f"{owner.__name__}.{name}: the row renderers cannot render a {type(field).__name__}")

    def display(self, owner, name: str, model, prefix: str) -> str:
        if not issubclass(model, Displayed) or not model.display_fields:
            raise CompileError(f"{owner.__name__}.{name}: {model.__name__} declares no display_fields")
        for path in model.display_fields:
            model_field(model, path)
        values = [self.column(f"{prefix}{path}") for path in model.display_fields]
        if model.display_of is Displayed.display_of:  # the one field's value
            return values[0]
        return f"{self.constant(model.display_of)}({', '.join(values)})"

    def nested(self, owner, name: str, field, prefix: str) -> str:
        """A nested serializer's object, inline; None when a foreign key on its way is null."""
        model = owner.Meta.model
        nested_model = getattr(getattr(field, "Meta", None), "model", None)
        if field.source == "*":
            if nested_model is not model:
                raise CompileError(f"{owner.__name__}.{name}: source='*' with a serializer of another model")
            return self.object(type(field), dict(field.fields), prefix)
        path = field.source.replace(".", "__")
        nullable, relation_model = False, model
        for part in path.split("__"):
            relation = relation_model._meta.get_field(part)
            if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
                raise CompileError(f"{owner.__name__}.{name}: {relation_model.__name__}.{part} is not a foreign key")
            nullable, relation_model = nullable or relation.null, relation.related_model
        if nested_model is not relation_model:
            raise CompileError(f"{owner.__name__}.{name}: a serializer of {relation_model.__name__} is needed")
        start = len(self.columns)
        rendered = self.object(type(field), dict(field.fields), f"{prefix}{path}__")
        if not nullable:
            return rendered
        used = [column.removeprefix(f"{prefix}{path}__") for column in list(self.columns)[start:]]
        present = next((c for c in used if not model_field(relation_model, c)[0].null), relation_model._meta.pk.name)
        return f"(None if {self.column(f'{prefix}{path}__{present}')} is None else {rendered})"

    def collection(self, owner, name: str, field, prefix: str) -> str:
        declared = getattr(getattr(owner, "Meta", None), "row_collections", {}).get(name)
        if declared is None:
            raise CompileError(f"{owner.__name__}.{name}: a many-valued field needs Meta.row_collections[{name!r}]")
        if prefix or self.in_json:
            raise CompileError(f"{owner.__name__}.{name}: collections are compiled only at the top of a row")
        serializer_class = declared.serializer or type(getattr(field, "child", None))
        if not issubclass(serializer_class, serializers.BaseSerializer):
            raise CompileError(f"{owner.__name__}.{name}: its Collection names no serializer")
        column = f"{name}_json"
        if declared.distinct:  # one JSON object of each row's keys and targets' columns
            listed = serializer_class().fields
            targets, columns = [], {}
            for field_name, key in declared.distinct.items():
                target = element(type(listed[field_name].child), f"{key}__", in_json=True)
                targets.append((field_name, f"{key}_id", target.render))
                columns.update(dict.fromkeys((f"{key}_id", *target.columns)))
            json = JSONTextObject(**{c: c for c in columns})
            rendered = f"distinct_targets(row[{column!r}], {self.constant(tuple(targets))}, links)"
        else:
            target = element(serializer_class, in_json=True)
            if declared.lookup:  # the related object by primary key, in a subquery of its own
                related = declared.model._meta.get_field(declared.via).related_model
                found = related._default_manager.filter(pk=OuterRef(f"{declared.via}_id")).order_by()
                json = Subquery(found.values(json=JSONTextObject(**{c: c for c in target.columns})))
            else:
                via = f"{declared.via}__" if declared.via else ""
                json = JSONTextObject(**{c: f"{via}{c}" for c in target.columns})
            rendered = f"[{self.constant(target.render)}(item, links) for item in row[{column!r}]]"
        self.collections[column] = CompiledCollection(declared, json)
        return rendered


# --- A request's rows ----------------------------------------------------------------------------


class Rows:
    """A view's list page (and detail) rendered from ``.values()`` rows, as its serializer would, at the fields this
    request asks for (``?fields=``, ``?include=``)."""

    def __init__(self, request, format_kwarg, serializer_class, fields):
        self.links = Links(request, format_kwarg)
        self.plan = plan(serializer_class, tuple(fields))

    def values(self, queryset):
        """The view's (filtered, ordered) queryset as rows of the plan's columns."""
        return queryset.prefetch_related(None).values(*self.plan.columns)

    def select(self, queryset):
        """The rows this renderer reads: ``values()`` with each row's collections."""
        collections = self.plan.collections
        return self.values(queryset).annotate(**{name: collection.per_row() for name, collection in collections.items()})

    def select_pages(self, queryset) -> tuple:
        """``select``'s rows as api.v1.statements pages them: the rows without their grouped collections, and those
        (on PostgreSQL; elsewhere, or for a DISTINCT query, whose rows a row number would tell apart, the rows with
        their per-row collections, and none)."""
        collections = self.plan.collections
        grouped = {name: collection for name, collection in collections.items() if collection.declaration.grouped}
        if not grouped or queryset.query.distinct or connections[queryset.db].vendor != "postgresql":
            return self.select(queryset), {}
        per_row = {name: collection.per_row() for name, collection in collections.items() if name not in grouped}
        rows = self.values(queryset).annotate(**per_row)
        position = Window(RowNumber(), order_by=rows.query.order_by or rows.model._meta.ordering)
        return rows.annotate(**{statements.PAGE_POSITION: position}), grouped

    def render(self, rows: list[dict]) -> list[dict]:
        render, links = self.plan.render, self.links
        return [render(row, links) for row in rows]

    def find(self, value: str, lookup: str = "slug") -> dict | None:
        """The detail's one row, its collections included (one query), or None when none has that ``lookup`` value.
        The query is compiled once per set of fields (api.v1.statements), the value a parameter of it."""
        model = self.plan.serializer.Meta.model

        def build():
            return statements.CompiledRows.of(self.select(model._default_manager.filter(**{lookup: statements.LOOKUP})))

        rows = statements.compiled(("detail", self.plan.serializer, self.plan.fields, lookup), build).fetch(0, 1, lookup=value)
        return rows[0] if rows else None

    def render_detail(self, row: dict) -> dict:
        return self.plan.render(row, self.links)


def search_result(result: dict, links: Links) -> dict:
    """SearchResultSerializer's output for what corpus.selectors.search.search() returns (the kinds it searched)."""
    rendered = {"q": result["q"], "backend": result["backend"]}
    for kind, render in search_renderers():
        if kind in result:
            rendered[kind] = render(result[kind], links)
    return rendered


@cache
def search_columns() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For each kind of SearchResultSerializer's objects, the columns they are rendered from (article hits: their
    article's), which corpus.selectors.search selects."""
    kinds = (kind for kind, field in SearchResultSerializer().fields.items() if isinstance(field, serializers.ListSerializer))
    return tuple((kind, _search_brief(kind).columns) for kind in kinds)


def _search_brief(kind: str) -> Plan:
    child = SearchResultSerializer().fields[kind].child
    return element(type(child.fields["article"] if isinstance(child, ArticleHitSerializer) else child))


@cache
def search_renderers() -> tuple:
    """(kind, render) of each list of SearchResultSerializer, in its order: each object by its brief form's compiled
    renderer, from the columns corpus.selectors.search selects (``search_columns``); article hits with their snippet and rank."""
    renderers = []
    for kind, field in SearchResultSerializer().fields.items():
        if not isinstance(field, serializers.ListSerializer):
            continue
        brief = _search_brief(kind).render
        if isinstance(field.child, ArticleHitSerializer):

            def render(hits, links, article=brief):
                return [{"article": article(hit["article"], links), "snippet": hit["snippet"], "rank": hit["rank"]}
                        for hit in hits]  # fmt: skip
        else:

            def render(rows, links, brief=brief):
                return [brief(row, links) for row in rows]

        renderers.append((kind, render))
    return tuple(renderers)
