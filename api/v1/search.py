"""The queries behind /search/ and /graph/: plain functions returning what the serializers render."""

import re
from collections import defaultdict
from itertools import combinations

from django.db import connection
from django.db.models import Q

from api.v1.filters import date_range_q
from corpus.models import Actor, Alias, Article, Event, EventParticipant, Mention, Programme
from corpus.normalize import normalize_name

SNIPPET_CONTEXT = 80  # characters either side of the first match (SQLite fallback)


def search(q: str, limit: int = 10) -> dict:
    """Articles by title and body; actors, programmes and events by name, acronym and alias."""
    full_text = connection.vendor == "postgresql"
    by_alias = Alias.objects.filter(normalized__contains=normalize_name(q))
    return {
        "q": q,
        "backend": "postgresql" if full_text else "simple",
        "articles": (_full_text_articles if full_text else _simple_articles)(q, limit),
        "actors": Actor.objects.filter(Q(name__icontains=q) | Q(pk__in=by_alias.values("actor")))[:limit],
        "programmes": Programme.objects.filter(
            Q(name__icontains=q) | Q(acronym__iexact=q) | Q(pk__in=by_alias.values("programme"))
        )[:limit],
        "events": Event.objects.filter(Q(title__icontains=q) | Q(place__icontains=q))[:limit],
    }


def _full_text_articles(q: str, limit: int) -> list[dict]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    query = SearchQuery(q, search_type="websearch", config="english")
    vector = SearchVector("title", weight="A", config="english") + SearchVector("body", weight="B", config="english")
    headline = SearchHeadline("body", query, config="english", start_sel="<mark>", stop_sel="</mark>", min_words=15, max_words=35)
    articles = (
        Article.objects.annotate(document=vector)
        .filter(document=query)
        .annotate(rank=SearchRank(vector, query), snippet=headline)
        .order_by("-rank", "slug")[:limit]
    )
    return [{"article": article, "snippet": article.snippet, "rank": article.rank} for article in articles]


def _simple_articles(q: str, limit: int) -> list[dict]:
    pattern = re.compile(re.escape(q), re.IGNORECASE)
    articles = Article.objects.filter(Q(title__icontains=q) | Q(body__icontains=q))
    hits = []
    for article in articles:
        match = pattern.search(article.body)
        snippet = ""
        if match:
            start, end = max(match.start() - SNIPPET_CONTEXT, 0), match.end() + SNIPPET_CONTEXT
            snippet = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", article.body[start:end])
        rank = 1.0 if pattern.search(article.title) else 0.5
        hits.append({"article": article, "snippet": snippet, "rank": rank})
    hits.sort(key=lambda hit: (-hit["rank"], hit["article"].slug))
    return hits[:limit]


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
