"""The queries behind /search/ and /graph/: plain functions returning what the views render."""

import re
from collections import defaultdict
from itertools import combinations

from django.db import connection
from django.db.models import Q

from api.v1.fast import BRIEF_COLUMNS
from api.v1.filters import date_range_q
from corpus.models import Actor, Article, EventParticipant, Mention
from corpus.normalize import normalize_name
from corpus.services.search_index import rum_index_definition

SNIPPET_CONTEXT = 80  # characters either side of the first match (SQLite fallback)


def search(q: str, limit: int = 10) -> dict:
    """Articles by title and body; actors, programmes and events by name, acronym and alias.

    Objects come as rows of their brief form's columns (api.v1.fast renders them); article hits
    as ``{"article": {slug, title}, "snippet", "rank"}``. On PostgreSQL everything comes from one
    statement (full-text articles included); on SQLite the names from one, the articles from a
    substring scan.
    """
    full_text = connection.vendor == "postgresql"
    params = {
        "q": q,
        "like": f"%{connection.ops.prep_for_like_query(q)}%",
        "alias_like": f"%{connection.ops.prep_for_like_query(normalize_name(q))}%",
        "limit": limit,
    }
    found = {"actors": [], "programmes": [], "events": [], "articles": []}
    with connection.cursor() as cursor:
        cursor.execute(STATEMENTS[ranking(connection) if full_text else "names"], params)
        columns = [column[0] for column in cursor.description]
        for row in cursor.fetchall():
            row = dict(zip(columns, row, strict=True))
            found[row["part"]].append(row)
    for rows in found.values():
        rows.sort(key=lambda row: row["position"])
    return {
        "q": q,
        "backend": "postgresql" if full_text else "simple",
        "articles": [_hit(row, row["snippet"], row["rank"]) for row in found["articles"]]
        if full_text
        else _simple_articles(q, limit),
        "actors": found["actors"],
        "programmes": found["programmes"],
        "events": found["events"],
    }


# The UNION's columns, in order (a UNION matches them by position): the brief forms' columns
# (api.v1.fast renders them), then an article hit's snippet and rank. Each kind of hit gives the
# ones it has and NULLs of the column's type for the rest.
UNION_COLUMNS = {
    **dict.fromkeys(["slug", "name", "kind", "acronym", "title", "type", "date_edtf"], "text"),
    **dict.fromkeys(["date_earliest", "date_latest"], "date"),
    **dict.fromkeys(["date_precision", "date_text", "snippet"], "text"),
    "rank": "real",
}


def select_list(**given: str) -> str:
    """The UNION's columns: ``given`` expressions by name, NULLs for the others (typed unless text, which an
    untyped NULL becomes: the statement then stays short enough for psycopg to keep its parsed form)."""
    assert set(given) <= set(UNION_COLUMNS), set(given) - set(UNION_COLUMNS)
    nulls = {name: "NULL" if type_ == "text" else f"CAST(NULL AS {type_})" for name, type_ in UNION_COLUMNS.items()}
    return ", ".join(f"{given.get(name, nulls[name])} AS {name}" for name in UNION_COLUMNS)


def contains(column: str) -> str:
    """Case-insensitive substring match. UPPER(CAST(... AS text)) is the expression PostgreSQL's
    trigram indexes cover (corpus migration 0004)."""
    return f"UPPER(CAST({column} AS text)) LIKE UPPER(%(like)s) ESCAPE '\\'"


def name_part(kind: str, where: str, order: str) -> tuple[str, str]:
    """The ``limit`` first rows of ``kind``'s table matching ``where``, numbered in the model's ordering."""
    columns = {column: column for column in BRIEF_COLUMNS[kind]}
    sql = f"""SELECT '{kind}s' AS part, ROW_NUMBER() OVER (ORDER BY {order}) AS position, {select_list(**columns)}
        FROM corpus_{kind} WHERE {where} ORDER BY {order} LIMIT %(limit)s"""
    return f"{kind}s", sql


def by_name_or_alias(kind: str, name_matches: str) -> str:
    """Rows whose own columns match, or one of their aliases does: one list of ids (a UNION), not an OR
    with the alias subquery, which made PostgreSQL filter every row (7 ms at 5,000 actors, 0.6 ms so)."""
    return f"""id IN (SELECT id FROM corpus_{kind} WHERE {name_matches}
        UNION ALL SELECT {kind}_id FROM corpus_alias WHERE normalized LIKE %(alias_like)s ESCAPE '\\')"""


NAME_PARTS = [
    name_part("actor", by_name_or_alias("actor", contains("name")), "name, slug"),
    name_part(
        "programme",
        by_name_or_alias("programme", f"{contains('name')} OR UPPER(CAST(acronym AS text)) = UPPER(%(q)s)"),
        "name, slug",
    ),
    name_part("event", f"{contains('title')} OR {contains('place')}", "date_earliest NULLS LAST, date_latest NULLS LAST, slug"),
]
# PostgreSQL: rank on the stored tsvector of title (weight A) and body (B) (corpus migration 0004)
# and keep the best ``limit`` (BEST, below). ts_headline parses every word it is given, so each
# of those gets its snippet from a 600-character window starting just before the first word that
# begins with a query term's stem (a stem ending in "i" also as "y": "alli" finds "ally"), not
# from the whole body: the cost no longer grows with the article. Should the window show no match
# (a stem that is a prefix of some other word), the whole body is used after all; with no such
# word at all (a match in the title only), the body's first 600 characters. Needs PostgreSQL 15+
# (regexp_instr).
HEADLINE_OPTIONS = "StartSel=''<mark>'', StopSel=''</mark>'', MaxWords=35, MinWords=15"
WINDOW, LEAD = 600, 100  # characters, and how many of them come before the first occurrence
# '\m(nato|alli|ally)' for the query 'nato & ally' (negated terms left out)
STEMS_PATTERN = r"""'\m(' || array_to_string(ARRAY(
    SELECT regexp_replace(regexp_replace(m[1], '([^[:alnum:]])', '\\\1', 'g'), '^(.*)i$', '\1i|\1y')
    FROM regexp_matches(querytree(query), '(?<!!)''([^'']+)''', 'g') AS m), '|') || ')'"""
WINDOW_TEXT = rf"""CASE WHEN coalesce(at.first, 0) <= {LEAD} THEN left(article.body, {WINDOW})
    ELSE regexp_replace(substr(article.body, at.first - {LEAD}, {WINDOW}), '^\S*\s+', '') END"""  # from a word's start
ARTICLE_COLUMNS = select_list(
    slug="article.slug",
    title="article.title",
    snippet=f"""CASE WHEN at.first IS NULL OR strpos(windowed.snippet, '<mark>') > 0 THEN windowed.snippet
        ELSE ts_headline('english'::regconfig, article.body, terms.query, '{HEADLINE_OPTIONS}') END""",
    rank="best.rank",
)
# The best ``limit`` matches, numbered by rank (then slug). With the GIN index PostgreSQL ranks
# every match with ts_rank; with the RUM index (corpus migration 0005) the index hands them over
# best first by its own relevance score (rum_ts_score: ts_rank's for one word, closer to
# ts_rank_cd's for several), and only the best ``limit`` are read. The query is spelt out in the
# RUM ORDER BY rather than taken from ``terms``: an index can order only by a constant.
QUERY = "websearch_to_tsquery('english'::regconfig, %(q)s)"
BEST = {
    "ts_rank": """SELECT id, ts_rank(search_document, query) AS rank,
                   ROW_NUMBER() OVER (ORDER BY ts_rank(search_document, query) DESC, slug) AS position
            FROM terms JOIN corpus_article ON search_document @@ query
            ORDER BY rank DESC, slug LIMIT %(limit)s""",
    "rum": f"""SELECT id, rank, ROW_NUMBER() OVER (ORDER BY rank DESC, slug) AS position FROM (
                SELECT id, slug, rum_ts_score(search_document, {QUERY}) AS rank FROM corpus_article
                WHERE search_document @@ {QUERY} ORDER BY search_document <=> {QUERY} LIMIT %(limit)s
            ) AS nearest""",
}


def article_part(ranking: str) -> tuple[str, str]:
    return (
        "articles",
        f"""WITH terms AS MATERIALIZED (
            SELECT query, {STEMS_PATTERN} AS pattern FROM {QUERY} AS query
        )
        SELECT 'articles' AS part, best.position, {ARTICLE_COLUMNS}
        FROM terms, ({BEST[ranking]}) AS best
        JOIN corpus_article AS article ON article.id = best.id
        CROSS JOIN LATERAL (SELECT NULLIF(regexp_instr(article.body, terms.pattern, 1, 1, 0, 'i'), 0) AS first) AS at
        CROSS JOIN LATERAL (
            SELECT ts_headline('english'::regconfig, {WINDOW_TEXT}, terms.query, '{HEADLINE_OPTIONS}') AS snippet
        ) AS windowed""",
    )


def union(parts: list[tuple[str, str]]) -> str:
    return " UNION ALL ".join(f"SELECT * FROM ({sql}) AS {name}" for name, sql in parts)


# The whole statement: names only (SQLite), or names and articles ranked either way (PostgreSQL).
STATEMENTS = {"names": union(NAME_PARTS), **{ranking: union([*NAME_PARTS, article_part(ranking)]) for ranking in BEST}}
_ranking: dict[str, str] = {}  # by database name


def ranking(connection) -> str:
    """How articles are ranked: by the RUM index where corpus migration 0005 made it, else by ts_rank.
    Looked up once per process and database (a worker started before the index was made needs a restart)."""
    name = connection.settings_dict["NAME"]
    if name not in _ranking:
        _ranking[name] = "rum" if rum_index_definition(connection) else "ts_rank"
    return _ranking[name]


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
