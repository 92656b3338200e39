"""The hot reads (article list and detail, actor list, event list, timeline, search) built from
``.values()`` rows into plain dicts: the serializers' exact output without their per-object cost.

A nested DRF serializer costs about a millisecond per object here (it builds its fields, and
``HyperlinkedIdentityField`` calls ``reverse()``), so a page of 50 articles took ~100 ms. These
builders read only the columns they show, fetch a page's related rows as JSON in the page's own
query (compiled once per request shape: api.v1.prepared), and make every URL from one ``reverse()``
per resource and request. The serializers stay the documentation (drf-spectacular) and the
reference: tests/api/test_fast.py checks that both give the same data for every object of the
seed corpus, in every format and with sparse fieldsets.
"""

from functools import lru_cache
from urllib.parse import quote

import orjson
from django.db import connections
from django.db.models import F, Func, JSONField, OuterRef, Subquery, TextField, Window
from django.db.models.functions import Cast, JSONObject, RowNumber
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from api.v1 import prepared
from api.v1.serializers import fuzzy_date
from corpus.models import Actor, Article, ArticleAuthor, Citation, Event, EventParticipant, Mention

LOOKUP_PLACEHOLDER = "__lookup__"
PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what Django's reverse() leaves unquoted in a path


class Links:
    """One request's absolute API URLs: one string join per object (the same URL HyperlinkedIdentityField
    makes, ``?format=`` and ``.json`` suffixes included).

    A resource's URL template comes from ``reverse()`` the first time a request of the same shape
    (host, scheme, version, format, script prefix, URL conf) asks for it in this process, and is kept:
    ``reverse()`` costs a tenth of a millisecond, a few of them per request.
    """

    def __init__(self, request, format_kwarg=None):
        self.request, self.format_kwarg = request, format_kwarg
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


_url_templates = prepared.ProcessMap()  # by resource, lookup and request shape


@lru_cache(maxsize=65536)
def quoted(value: str) -> str:
    """A lookup value as reverse() puts it in a path."""
    return quote(value, safe=PATH_SAFE)


# --- Brief forms: the columns each needs (under a prefix) and the dict it renders -----------

BRIEF_COLUMNS = {
    "source": ["slug", "name", "kind"],
    "actor": ["slug", "name", "kind"],
    "programme": ["slug", "name", "acronym"],
    "event": ["slug", "title", "type", "date_edtf", "date_earliest", "date_latest", "date_precision", "date_text"],
    "article": ["slug", "title"],
}


def brief_columns(kind: str, prefix: str = "") -> list[str]:
    return [f"{prefix}{column}" for column in BRIEF_COLUMNS[kind]]


def source_brief(links: Links, row: dict, prefix: str = "") -> dict | None:
    slug, name = row[f"{prefix}slug"], row[f"{prefix}name"]
    if slug is None:  # a nullable foreign key
        return None
    return {"slug": slug, "url": links.url("source", slug), "display": name, "name": name, "kind": row[f"{prefix}kind"]}


def actor_brief(links: Links, row: dict, prefix: str = "") -> dict | None:
    slug, name = row[f"{prefix}slug"], row[f"{prefix}name"]
    if slug is None:
        return None
    return {"slug": slug, "url": links.url("actor", slug), "display": name, "name": name, "kind": row[f"{prefix}kind"]}


def programme_brief(links: Links, row: dict, prefix: str = "") -> dict:
    slug, name, acronym = row[f"{prefix}slug"], row[f"{prefix}name"], row[f"{prefix}acronym"]
    display = f"{name} ({acronym})" if acronym else name  # Programme.__str__
    return {"slug": slug, "url": links.url("programme", slug), "display": display, "name": name, "acronym": acronym}


def event_brief(links: Links, row: dict, prefix: str = "") -> dict:
    slug, title = row[f"{prefix}slug"], row[f"{prefix}title"]
    return {"slug": slug, "url": links.url("event", slug), "display": title, "title": title,
            "type": row[f"{prefix}type"], "date": event_date(row, prefix)}  # fmt: skip


DATE_COLUMNS = ("date_edtf", "date_earliest", "date_latest", "date_precision", "date_text")


def event_date(row: dict, prefix: str = "") -> dict:
    if prefix:
        return fuzzy_date(*(row[f"{prefix}{column}"] for column in DATE_COLUMNS))
    return fuzzy_date(row["date_edtf"], row["date_earliest"], row["date_latest"], row["date_precision"], row["date_text"])


def article_brief(links: Links, row: dict, prefix: str = "") -> dict:
    slug, title = row[f"{prefix}slug"], row[f"{prefix}title"]
    return {"slug": slug, "url": links.url("article", slug), "display": title, "title": title}


# --- Related collections: JSON subqueries of the page's query, built once per process ---

MENTION_TARGETS = {
    "actors": ("actor", actor_brief),
    "programmes": ("programme", programme_brief),
    "events": ("event", event_brief),
}


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


def json_of(kind: str, prefix: str = "", **more) -> JSONTextObject:
    """A brief form's columns as one JSON object (keys without the prefix), for JSONList."""
    return JSONTextObject(**{column: f"{prefix}{column}" for column in BRIEF_COLUMNS[kind]}, **more)


def json_columns(columns: list[str]) -> JSONTextObject:
    """Columns as one JSON object keyed by their names, for JSONList."""
    return JSONTextObject(**{column: column for column in columns})


def json_brief_of(model, key: str) -> Subquery:
    """The brief form of the ``model`` row whose primary key is the outer row's ``key``, as one JSON object
    (the brief form named after the model: BRIEF_COLUMNS["actor"] for Actor).

    A lookup by primary key per related row, where a join let PostgreSQL build a hash table of a
    small table (1k articles: 50 actors) again for each row of the page (article list, PostgreSQL
    CPU ~2.5 -> ~1.8 ms at 1k; at 100k the join was already an index lookup).
    """
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(json=json_of(model._meta.model_name)))


AUTHORS_JSON = JSONList(
    ArticleAuthor.objects.filter(article=OuterRef("pk")).order_by("position").values(json=json_brief_of(Actor, "author_id"))
)
MENTION_COLUMNS = [
    *(f"{prefix}_id" for prefix, _ in MENTION_TARGETS.values()),
    *(column for prefix, _ in MENTION_TARGETS.values() for column in brief_columns(prefix, f"{prefix}__")),
]
MENTIONS_JSON = JSONList(  # dates come as ISO strings in JSON
    Mention.objects.filter(article=OuterRef("pk")).order_by("start", "end").values(json=json_columns(MENTION_COLUMNS))
)
QUOTE_COLUMNS = ["quote__key", "excerpt", *brief_columns("actor", "quote__speaker__")]
QUOTES_JSON = JSONList(
    Citation.objects.filter(article=OuterRef("pk"), quote__isnull=False)
    .order_by("start", "end")
    .values(json=json_columns(QUOTE_COLUMNS))
)


class Collection:
    """A page row's related rows (an event's participants) as one JSON array, in the page's own statement.

    One definition, two SQL forms: ``per_row()``, a JSONList subquery run for each row of the page
    (every database, and what keyset pages read), and ``grouped()``, one pass over the whole page,
    which api.v1.prepared joins to the page on PostgreSQL. At 1,000 articles the per-row form
    scanned the small actor and programme tables again for each event, and sorted each event's
    rows apart: ~0.9 of the timeline's ~1 ms of PostgreSQL CPU per page of 50. Grouped, the page
    costs ~40% less at 1k and the same at 100k.
    """

    load = JSONArrayField().from_db_value  # a grouped array, as a converter of api.v1.prepared.CompiledRows

    def __init__(self, rows, key: str, json, order_by: tuple[str, ...]):
        self.rows, self.key, self.json, self.order_by = rows, key, json, order_by

    def per_row(self) -> JSONList:
        return JSONList(self.rows.filter(**{self.key: OuterRef("pk")}).order_by(*self.order_by).values(json=self.json))

    def grouped(self, alias: str) -> tuple[str, tuple]:
        """SQL and parameters of ``page_row`` (the id of a row of the page: prepared.PAGE_KEYS) and ``json``, its rows.

        json_agg reads its rows in the order of the sorted subquery (a subquery with ORDER BY is
        never merged into its outer query): ``json_agg(... ORDER BY ...)`` would sort each group
        apart, as the per-row form does (PostgreSQL 15).
        """
        rows = (
            self.rows.filter(**{f"{self.key}__in": prepared.PAGE_KEYS})
            .order_by(f"{self.key}_id", *self.order_by)
            .values(page_row=F(f"{self.key}_id"), json=self.json)
        )
        sql, params = rows.query.get_compiler(alias).as_sql()
        return f'SELECT "page_row", JSON_AGG("json")::text AS "json" FROM ({sql}) "rows" GROUP BY "page_row"', tuple(params)


PARTICIPANTS = Collection(  # ordered as the model orders them (role, then the actor's own ordering)
    EventParticipant.objects.all(), "event", json_of("actor", "actor__", role="role"), ("role", "actor__name", "actor__slug")
)
PROGRAMMES = Collection(  # ordered by the programme's own ordering, as the serializer's prefetch is
    Event.programmes.through.objects.all(), "event", json_of("programme", "programme__"), ("programme__name", "programme__slug")
)


# --- Resources ------------------------------------------------------------------------------


class Rows:
    """Renders a viewset's list page (and, where it has ``find``, its detail) from ``.values()`` rows, as its serializer would.

    ``fields`` are the serializer's fields this request asks for (``?fields=``, ``?include=``);
    ``columns()`` the columns the page query selects for them.
    """

    def __init__(self, request, format_kwarg, serializer_class):
        self.links = Links(request, format_kwarg)
        self.fields = serializer_class.field_names(request)
        self.whole = None  # whether the objects built have exactly the fields asked for, in order (known after the first)

    def columns(self) -> list[str]:
        raise NotImplementedError

    def collections(self) -> dict[str, Collection]:
        """The related collections each row carries, by column name."""
        return {}

    def values(self, queryset):
        """The view's (filtered, ordered) queryset as rows of ``columns()``."""
        return queryset.prefetch_related(None).values(*self.columns())

    def select(self, queryset):
        """The rows this renderer reads: ``values()`` with each row's collections."""
        return self.values(queryset).annotate(**{name: collection.per_row() for name, collection in self.collections().items()})

    def select_pages(self, queryset) -> tuple:
        """``select``'s rows as api.v1.prepared pages them: the rows without their collections, and the collections grouped
        (on PostgreSQL; elsewhere, or for a DISTINCT query, whose rows a row number would tell apart, the rows with their
        per-row collections, and none)."""
        collections = self.collections()
        if not collections or queryset.query.distinct or connections[queryset.db].vendor != "postgresql":
            return self.select(queryset), {}
        rows = self.values(queryset)
        position = Window(RowNumber(), order_by=rows.query.order_by or rows.model._meta.ordering)
        return rows.annotate(**{prepared.PAGE_POSITION: position}), collections

    def render(self, rows: list[dict]) -> list[dict]:
        raise NotImplementedError

    def project(self, item: dict) -> dict:
        if self.whole is None:
            self.whole = list(item) == self.fields
        return item if self.whole else {name: item[name] for name in self.fields}


ARTICLE_COLUMNS = [
    "id", "slug", "title", *brief_columns("source", "source__"), "source_note", "url", "language",
    "published_at", "published_utc_offset", "published_precision", "published_text", "published_note",
]  # fmt: skip
# The detail: the article's row (its authors, mentions and quotes come as JSON: ArticleRows.find).
ARTICLE_DETAIL = Article.objects.values(*ARTICLE_COLUMNS, "body", "body_sha256")


class ArticleRows(Rows):
    """ArticleSerializer (lists) and ArticleDetailSerializer (the detail)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.timezone = timezone.get_current_timezone()  # looked up once, not per row

    def columns(self):
        return ARTICLE_COLUMNS + [name for name in ("body", "body_sha256") if name in self.fields]

    def select(self, queryset):
        rows = super().select(queryset)
        return rows.annotate(authors_json=AUTHORS_JSON) if "authors" in self.fields else rows

    def render(self, rows):
        with_authors = "authors" in self.fields
        return [self.project(self.article(row, self.authors(row) if with_authors else [])) for row in rows]

    def authors(self, row: dict) -> list[dict]:
        return [actor_brief(self.links, author) for author in row["authors_json"]]

    def iso_datetime(self, value):
        """PublicationSerializer's DateTimeField output (ISO 8601, current time zone, UTC as Z) at a third of its cost."""
        if value is None:
            return None
        text = value.astimezone(self.timezone).isoformat()
        return f"{text[:-6]}Z" if text.endswith("+00:00") else text

    def find(self, slug: str) -> dict | None:
        """The detail's one row, its authors, mentions and quotes included (one query), or None for an unknown slug.
        The query is compiled once per set of fields (api.v1.prepared), the slug a parameter of it."""
        related = {"authors": AUTHORS_JSON, "mentions": MENTIONS_JSON, "quotes": QUOTES_JSON}
        annotations = {f"{name}_json": part for name, part in related.items() if name in self.fields}

        def build():
            return prepared.CompiledRows.of(ARTICLE_DETAIL.filter(slug=prepared.LOOKUP).annotate(**annotations))

        rows = prepared.compiled(("article-detail", *annotations), build).fetch(0, 1, lookup=slug)
        return rows[0] if rows else None

    def render_detail(self, row: dict) -> dict:
        article = self.article(row, self.authors(row) if "authors" in self.fields else [])
        if "mentions" in self.fields:
            article["mentions"] = self.mentions(row["mentions_json"])
        if "quotes" in self.fields:
            article["quotes"] = self.quotes(row["quotes_json"])
        return self.project(article)

    def article(self, row: dict, authors: list[dict]) -> dict:
        slug, title = row["slug"], row["title"]
        article = {
            "slug": slug,
            "url": self.links.url("article", slug),
            "display": title,
            "title": title,
            "source": source_brief(self.links, row, "source__"),
            "source_note": row["source_note"],
            "original_url": row["url"],
            "language": row["language"],
            "authors": authors,
            "published": {
                "at": self.iso_datetime(row["published_at"]),
                "utc_offset": row["published_utc_offset"],
                "precision": row["published_precision"],
                "text": row["published_text"],
                "note": row["published_note"],
            },
        }
        if "body" in row:  # selected when asked for (columns())
            article["body"] = row["body"]
        if "body_sha256" in row:
            article["body_sha256"] = row["body_sha256"]
        return article

    def mentions(self, mentions: list[dict]) -> dict:
        """What the article names, each once, in order of first mention (ArticleDetailSerializer.get_mentions)."""
        found = {kind: {} for kind in MENTION_TARGETS}
        for row in mentions:
            for kind, (prefix, brief) in MENTION_TARGETS.items():
                target = row[f"{prefix}_id"]
                if target is not None and target not in found[kind]:
                    found[kind][target] = brief(self.links, row, f"{prefix}__")
        return {kind: list(targets.values()) for kind, targets in found.items()}

    def quotes(self, rows: list[dict]) -> list[dict]:
        """The article's quotes in text order (QuoteBriefSerializer)."""
        quotes = []
        for row in rows:
            key, text, speaker = row["quote__key"], row["excerpt"], actor_brief(self.links, row, "quote__speaker__")
            quotes.append({"key": key, "url": self.links.url("quote", key, lookup="key"),
                           "display": f"{speaker['name']}: “{text[:60]}”",  # Quote.__str__
                           "speaker": speaker, "text": text})  # fmt: skip
        return quotes


class ActorRows(Rows):
    """ActorSerializer."""

    def columns(self):
        return [*BRIEF_COLUMNS["actor"], "description", *brief_columns("actor", "country__"), *brief_columns("actor", "parent__"),
                "iso_code", "wikidata_id"]  # fmt: skip

    def render(self, rows):
        return [self.project(self.actor(row)) for row in rows]

    def actor(self, row: dict) -> dict:
        return {
            **actor_brief(self.links, row),
            "description": row["description"],
            "country": actor_brief(self.links, row, "country__"),
            "parent": actor_brief(self.links, row, "parent__"),
            "iso_code": row["iso_code"],
            "wikidata_id": row["wikidata_id"],
        }


class EventRows(Rows):
    """EventSerializer, and TimelineEntrySerializer when the fields include participants and programmes."""

    def columns(self):
        return ["id", *BRIEF_COLUMNS["event"], "place", *brief_columns("actor", "country__"), "description"]

    def collections(self):
        wanted = {"participants_json": ("participants", PARTICIPANTS), "programmes_json": ("programmes", PROGRAMMES)}
        return {column: collection for column, (field, collection) in wanted.items() if field in self.fields}

    def render(self, rows):
        return [self.project(self.event(row)) for row in rows]

    def event(self, row: dict) -> dict:
        event = {
            **event_brief(self.links, row),
            "place": row["place"],
            "country": actor_brief(self.links, row, "country__"),
            "description": row["description"],
        }
        if "participants" in self.fields:
            event["participants"] = [self.participant(actor) for actor in row["participants_json"]]
        if "programmes" in self.fields:
            event["programmes"] = [programme_brief(self.links, programme) for programme in row["programmes_json"]]
        return event

    def participant(self, actor: dict) -> dict:
        return {"actor": actor_brief(self.links, actor), "role": actor["role"]}


def search_result(result: dict, links: Links) -> dict:
    """SearchResultSerializer's output for the rows api.v1.search.search() returns (the kinds it searched)."""
    briefs = {"actors": actor_brief, "programmes": programme_brief, "events": event_brief}
    rendered = {"q": result["q"], "backend": result["backend"]}
    if "articles" in result:
        rendered["articles"] = [
            {"article": article_brief(links, hit["article"]), "snippet": hit["snippet"], "rank": hit["rank"]}
            for hit in result["articles"]
        ]
    for kind, brief in briefs.items():
        if kind in result:
            rendered[kind] = [brief(links, row) for row in result[kind]]
    return rendered
