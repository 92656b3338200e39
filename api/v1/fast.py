"""The hot reads (article list and detail, actor list, event list, timeline, search) built from
``.values()`` rows into plain dicts: the serializers' exact output without their per-object cost.

A nested DRF serializer costs about a millisecond per object here (it builds its fields, and
``HyperlinkedIdentityField`` calls ``reverse()``), so a page of 50 articles took ~100 ms. These
builders read only the columns they show, fetch each related collection of a page in one query,
and make every URL from one ``reverse()`` per resource and request. The serializers stay the
documentation (drf-spectacular) and the reference: tests/api/test_fast.py checks that both give
the same data for every object of the seed corpus, in every format and with sparse fieldsets.
"""

from collections import defaultdict
from functools import lru_cache
from urllib.parse import quote

from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from rest_framework import serializers
from rest_framework.reverse import reverse

from api.v1.serializers import fuzzy_date
from corpus.models import Article, ArticleAuthor, Citation, Event, EventParticipant, Mention

LOOKUP_PLACEHOLDER = "__lookup__"
PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what Django's reverse() leaves unquoted in a path


class Links:
    """One request's absolute API URLs: a ``reverse()`` per resource, then one string join per object
    (the same URL HyperlinkedIdentityField makes, ``?format=`` and ``.json`` suffixes included)."""

    def __init__(self, request, format_kwarg=None):
        self.request, self.format_kwarg, self.templates = request, format_kwarg, {}

    def url(self, basename: str, value: str, lookup: str = "slug") -> str:
        template = self.templates.get(basename)
        if template is None:
            full = reverse(f"v1:{basename}-detail", kwargs={lookup: LOOKUP_PLACEHOLDER}, request=self.request,
                           format=self.format_kwarg)  # fmt: skip
            template = self.templates[basename] = full.split(LOOKUP_PLACEHOLDER)
        before, after = template
        return f"{before}{quoted(value)}{after}"


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


def event_date(row: dict, prefix: str = "") -> dict:
    columns = ("date_edtf", "date_earliest", "date_latest", "date_precision", "date_text")
    return fuzzy_date(*(row[f"{prefix}{column}"] for column in columns))


def article_brief(links: Links, row: dict, prefix: str = "") -> dict:
    slug, title = row[f"{prefix}slug"], row[f"{prefix}title"]
    return {"slug": slug, "url": links.url("article", slug), "display": title, "title": title}


def grouped(rows, key: str, render) -> dict[int, list]:
    """Related rows rendered and grouped by the id of the object they belong to, in query order."""
    groups = defaultdict(list)
    for row in rows:
        groups[row[key]].append(render(row))
    return groups


# --- Related collections: built once (values() and its joins are the costly part), filtered per request ---

MENTION_TARGETS = {
    "actors": ("actor", actor_brief),
    "programmes": ("programme", programme_brief),
    "events": ("event", event_brief),
}
BYLINES = ArticleAuthor.objects.order_by("position").values("article_id", *brief_columns("actor", "author__"))
MENTIONS = Mention.objects.order_by("start", "end").values(
    *(f"{prefix}_id" for prefix, _ in MENTION_TARGETS.values()),
    *(column for prefix, _ in MENTION_TARGETS.values() for column in brief_columns(prefix, f"{prefix}__")),
)
QUOTES = (
    Citation.objects.filter(quote__isnull=False)
    .order_by("start", "end")
    .values("quote__key", "excerpt", *brief_columns("actor", "quote__speaker__"))
)
PARTICIPANTS = EventParticipant.objects.order_by("role", "actor").values("event_id", "role", *brief_columns("actor", "actor__"))
EVENT_PROGRAMMES = Event.programmes.through.objects.order_by("programme").values(
    "event_id", *brief_columns("programme", "programme__")
)  # ordered by the programme's own ordering, as the serializer's prefetch is


# --- Resources ------------------------------------------------------------------------------


class Rows:
    """Renders a viewset's list page (and, where it has ``find``, its detail) from ``.values()`` rows, as its serializer would.

    ``fields`` are the serializer's fields this request asks for (``?fields=``, ``?include=``);
    ``columns()`` the columns the page query selects for them.
    """

    def __init__(self, request, format_kwarg, serializer_class):
        self.links = Links(request, format_kwarg)
        self.fields = serializer_class.field_names(request)

    def columns(self) -> list[str]:
        raise NotImplementedError

    def select(self, queryset):
        """The view's (filtered, ordered) queryset as the rows this renderer reads."""
        return queryset.prefetch_related(None).values(*self.columns())

    def render(self, rows: list[dict]) -> list[dict]:
        raise NotImplementedError

    def project(self, item: dict) -> dict:
        return {name: item[name] for name in self.fields}


ARTICLE_COLUMNS = [
    "id", "slug", "title", *brief_columns("source", "source__"), "source_note", "url", "language",
    "published_at", "published_utc_offset", "published_precision", "published_text", "published_note",
]  # fmt: skip
# The detail: the article's row once per author (in byline order; once with nulls when it has none).
ARTICLE_DETAIL = Article.objects.order_by("bylines__position").values(
    *ARTICLE_COLUMNS, "body", "body_sha256", *brief_columns("actor", "bylines__author__")
)


class ArticleRows(Rows):
    """ArticleSerializer (lists) and ArticleDetailSerializer (the detail)."""

    def __init__(self, *args):
        super().__init__(*args)
        # The field PublicationSerializer.at renders with, the current time zone looked up once, not per row.
        self.datetime = serializers.DateTimeField(default_timezone=timezone.get_current_timezone())

    def columns(self):
        return ARTICLE_COLUMNS + [name for name in ("body", "body_sha256") if name in self.fields]

    def render(self, rows):
        ids = [row["id"] for row in rows]
        authors = self.authors(ids) if "authors" in self.fields else {}
        return [self.project(self.article(row, authors.get(row["id"], []))) for row in rows]

    def find(self, slug: str) -> list[dict] | None:
        """The detail's rows (one per author), or None for an unknown slug."""
        return list(ARTICLE_DETAIL.filter(slug=slug)) or None

    def render_detail(self, rows: list[dict]) -> dict:
        row = rows[0]
        authors = [actor_brief(self.links, byline, "bylines__author__") for byline in rows]
        article = self.article(row, [author for author in authors if author is not None])
        if "mentions" in self.fields:
            article["mentions"] = self.mentions(row["id"])
        if "quotes" in self.fields:
            article["quotes"] = self.quotes(row["id"])
        return self.project(article)

    def article(self, row: dict, authors: list[dict]) -> dict:
        slug, title = row["slug"], row["title"]
        return {
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
                "at": self.datetime.to_representation(row["published_at"]),  # None stays None
                "utc_offset": row["published_utc_offset"],
                "precision": row["published_precision"],
                "text": row["published_text"],
                "note": row["published_note"],
            },
            "body": row.get("body"),
            "body_sha256": row.get("body_sha256"),
        }

    def authors(self, ids: list[int]) -> dict[int, list]:
        """Each article's authors in byline order."""
        bylines = BYLINES.filter(article_id__in=ids)
        return grouped(bylines, "article_id", lambda row: actor_brief(self.links, row, "author__"))

    def mentions(self, article_id: int) -> dict:
        """What the article names, each once, in order of first mention (ArticleDetailSerializer.get_mentions)."""
        found = {kind: {} for kind in MENTION_TARGETS}
        for row in MENTIONS.filter(article_id=article_id):
            for kind, (prefix, brief) in MENTION_TARGETS.items():
                target = row[f"{prefix}_id"]
                if target is not None and target not in found[kind]:
                    found[kind][target] = brief(self.links, row, f"{prefix}__")
        return {kind: list(targets.values()) for kind, targets in found.items()}

    def quotes(self, article_id: int) -> list[dict]:
        """The article's quotes in text order (QuoteBriefSerializer)."""
        quotes = []
        for row in QUOTES.filter(article_id=article_id):
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

    def render(self, rows):
        ids = [row["id"] for row in rows]
        related = {}
        if "participants" in self.fields:
            related["participants"] = grouped(PARTICIPANTS.filter(event_id__in=ids), "event_id", self.participant)
        if "programmes" in self.fields:
            programmes = EVENT_PROGRAMMES.filter(event_id__in=ids)
            related["programmes"] = grouped(programmes, "event_id", lambda row: programme_brief(self.links, row, "programme__"))
        return [self.project(self.event(row, related)) for row in rows]

    def event(self, row: dict, related: dict) -> dict:
        event = {
            **event_brief(self.links, row),
            "place": row["place"],
            "country": actor_brief(self.links, row, "country__"),
            "description": row["description"],
        }
        for name, groups in related.items():
            event[name] = groups.get(row["id"], [])
        return event

    def participant(self, row: dict) -> dict:
        return {"actor": actor_brief(self.links, row, "actor__"), "role": row["role"]}


def search_result(result: dict, links: Links) -> dict:
    """SearchResultSerializer's output for the rows api.v1.search.search() returns."""
    return {
        "q": result["q"],
        "backend": result["backend"],
        "articles": [
            {"article": article_brief(links, hit["article"]), "snippet": hit["snippet"], "rank": hit["rank"]}
            for hit in result["articles"]
        ],
        "actors": [actor_brief(links, row) for row in result["actors"]],
        "programmes": [programme_brief(links, row) for row in result["programmes"]],
        "events": [event_brief(links, row) for row in result["events"]],
    }
