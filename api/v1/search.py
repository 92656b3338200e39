"""The queries behind /search/ and /graph/: plain functions returning what the views render."""

import re
from collections import defaultdict
from itertools import combinations

from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from api.v1.fast import BRIEF_COLUMNS
from api.v1.filters import date_range_q
from corpus.models import Actor, Alias, Article, Event, EventParticipant, Mention, Programme
from corpus.normalize import normalize_name

SNIPPET_CONTEXT = 80  # characters either side of the first match (SQLite fallback)


def search(q: str, limit: int = 10) -> dict:
    """Articles by title and body; actors, programmes and events by name, acronym and alias.

    Objects come as rows of their brief form's columns (api.v1.fast renders them); article hits
    as ``{"article": {slug, title}, "snippet", "rank"}``.
    """
    full_text = connection.vendor == "postgresql"
    by_alias = Alias.objects.filter(normalized__contains=normalize_name(q))
    actors = Actor.objects.filter(Q(name__icontains=q) | Q(pk__in=by_alias.values("actor")))
    programmes = Programme.objects.filter(Q(name__icontains=q) | Q(acronym__iexact=q) | Q(pk__in=by_alias.values("programme")))
    events = Event.objects.filter(Q(title__icontains=q) | Q(place__icontains=q))
    return {
        "q": q,
        "backend": "postgresql" if full_text else "simple",
        "articles": (_full_text_articles if full_text else _simple_articles)(q, limit),
        "actors": list(actors.values(*BRIEF_COLUMNS["actor"])[:limit]),
        "programmes": list(programmes.values(*BRIEF_COLUMNS["programme"])[:limit]),
        "events": list(events.values(*BRIEF_COLUMNS["event"])[:limit]),
    }


# The stored, GIN-indexed tsvector of title (weight A) and body (B): corpus migration 0004 (PostgreSQL only).
SEARCH_DOCUMENT = '"corpus_article"."search_document"'


def _full_text_articles(q: str, limit: int) -> list[dict]:
    """Rank on the indexed document and keep the best ``limit``; only those get a ts_headline snippet."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField

    query = SearchQuery(q, search_type="websearch", config="english")
    document = RawSQL(SEARCH_DOCUMENT, [], output_field=SearchVectorField())
    best = Article.objects.alias(document=document).filter(document=query).annotate(rank=SearchRank(F("document"), query))
    ranks = dict(best.order_by("-rank", "slug").values_list("pk", "rank")[:limit])
    headline = SearchHeadline("body", query, config="english", start_sel="<mark>", stop_sel="</mark>", min_words=15, max_words=35)
    rows = Article.objects.filter(pk__in=ranks).annotate(snippet=headline).values("pk", "slug", "title", "snippet")
    snippets = {row["pk"]: row for row in rows}
    return [_hit(snippets[pk], snippets[pk]["snippet"], rank) for pk, rank in ranks.items()]


def _simple_articles(q: str, limit: int) -> list[dict]:
    pattern = re.compile(re.escape(q), re.IGNORECASE)
    articles = Article.objects.filter(Q(title__icontains=q) | Q(body__icontains=q)).values("slug", "title", "body")
    hits = []
    for article in articles:
        match = pattern.search(article["body"])
        snippet = ""
        if match:
            start, end = max(match.start() - SNIPPET_CONTEXT, 0), match.end() + SNIPPET_CONTEXT
            snippet = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", article["body"][start:end])
        rank = 1.0 if pattern.search(article["title"]) else 0.5
        hits.append(_hit(article, snippet, rank))
    hits.sort(key=lambda hit: (-hit["rank"], hit["article"]["slug"]))
    return hits[:limit]


def _hit(article: dict, snippet: str, rank: float) -> dict:
    return {"article": {"slug": article["slug"], "title": article["title"]}, "snippet": snippet, "rank": rank}


def graph(kind: str | None = None, date_after=None, date_before=None, date_match: str = "overlaps") -> dict:
    """Actors linked by shared events and by articles that mention both."""
    actors = Actor.objects.filter(kind=kind) if kind else Actor.objects.all()
    participations = EventParticipant.objects.filter(actor__in=actors)
    mentions = Mention.objects.filter(actor__in=actors)
    if date_after or date_before:
        participations = participations.filter(date_range_q(date_after, date_before, date_match, prefix="event__"))
        if date_after:
            mentions = mentions.filter(article__published_at__date__gte=date_after)
        if date_before:
            mentions = mentions.filter(article__published_at__date__lte=date_before)
    links = {
        "events": participations.values_list("event__slug", "actor__slug"),
        "articles": mentions.values_list("article__slug", "actor__slug"),
    }
    edges = defaultdict(lambda: {"events": set(), "articles": set()})
    linked = set()
    for key, rows in links.items():
        groups = defaultdict(set)
        for via, actor in rows:
            groups[via].add(actor)
        for via, group in groups.items():
            linked |= group
            for pair in combinations(sorted(group), 2):
                edges[pair][key].add(via)
    return {
        "nodes": actors.filter(slug__in=linked),
        "edges": [
            {
                "source": source,
                "target": target,
                "weight": len(via["events"]) + len(via["articles"]),
                "events": sorted(via["events"]),
                "articles": sorted(via["articles"]),
            }
            for (source, target), via in sorted(edges.items())
        ],
    }
