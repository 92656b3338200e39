"""Search: articles by full text, actors, programmes and events by name and alias, as rows of the columns the
caller renders (``columns``: api.v1.rows gives each kind's brief form's), in two statements."""

import re
from contextlib import contextmanager
from functools import cache, partial
from itertools import islice

from django.db import connection
from django.db.models import Q
from django.db.models.sql import Query

from corpus.dates import DateRange
from corpus.models import Actor, Article, Event, Programme
from corpus.models.base import model_field
from corpus.normalize import normalize_name
from corpus.services.search_index import rum_index_definition

SNIPPET_LENGTH, SNIPPET_LEAD = 240, 60  # characters (about 35 words), and how many come before the passage's first match
SNIPPET_CONTEXT = 80  # characters either side of the first match (SQLite fallback)


KINDS = ("articles", "actors", "programmes", "events")  # what a search looks for, in the response's order
Columns = tuple[tuple[str, tuple[str, ...]], ...]  # (kind, the columns its rows carry), for every kind: hashable, so cached


def search(q: str, columns: Columns, limit: int = 10, kinds=KINDS, date_range: DateRange | None = None) -> dict:
    """Articles by title and body; actors, programmes and events by name, acronym and alias (those of ``kinds``).

    Objects come as rows of their kind's ``columns``; article hits as ``{"article": {its columns},
    "snippet", "rank"}``. The names come from one statement; the articles from another, full-text,
    on PostgreSQL, and from a substring scan on SQLite. The result has a key for each kind searched.
    A ``date_range`` keeps the articles published and the events dated in it: a condition of each statement (``where_sql``).
    """
    full_text = connection.vendor == "postgresql"
    kinds = [kind for kind in KINDS if kind in kinds]
    names = tuple(kind for kind in NAME_PARTS if kind in kinds)
    found = {kind: [] for kind in kinds}
    events_dated, events_dates = where_sql(Event, date_range.q(), "event_date") if date_range else ("", {})
    with connection.cursor() as cursor:
        if names:
            params = {
                "q": q,
                "like": f"%{connection.ops.prep_for_like_query(q)}%",
                "alias_like": f"%{connection.ops.prep_for_like_query(normalize_name(q))}%",
                "limit": limit,
                **events_dates,
            }
            with planned_for_its_values(connection):  # see names_statement
                for row in _rows(cursor, names_statement(names, columns, events_dated), params):
                    found[row["part"]].append(row)
        if "articles" in kinds and full_text:
            dated, dates = where_sql(Article, date_range.published_q(), "published") if date_range else ("", {})
            rows = _rows(
                cursor, articles_statement(ranking(connection), limit, columns, dated), {"q": q, **dates}
            )  # in rank order
            found["articles"] = [_hit(row, columns, snippet(row["body"], row["words"]), row["rank"]) for row in rows]
    for kind in names:
        found[kind].sort(key=lambda row: row["position"])
    if "articles" in kinds and not full_text:
        found["articles"] = _simple_articles(q, limit, columns, date_range)
    return {"q": q, "backend": "postgresql" if full_text else "simple", **found}


def where_sql(model, condition: Q, name: str) -> tuple[str, dict]:
    """``condition`` (an ORM one: corpus.dates.DateRange writes the date conditions once) as SQL on ``model``'s
    table, unaliased, with named parameters ``<name>_0``, ``<name>_1``... for the raw statements here."""
    query = Query(model)
    compiler = query.get_compiler(connection=connection)
    sql, params = query.build_where(condition).as_sql(compiler, connection)
    names, pieces = [f"{name}_{i}" for i in range(len(params))], sql.split("%s")
    named = pieces[0] + "".join(f"%({name})s{piece}" for name, piece in zip(names, pieces[1:], strict=True))
    return f"({named})", dict(zip(names, params, strict=True))


def _rows(cursor, sql: str, params: dict) -> list[dict]:
    cursor.execute(sql, params)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


SEARCHED = {"actors": Actor, "programmes": Programme, "events": Event}  # the names' tables, by kind
SQL_TYPES = {"DateField": "date", "DateTimeField": "timestamptz", "IntegerField": "integer", "BooleanField": "boolean"}


@cache
def union_columns(columns: Columns) -> dict[str, str]:
    """The names' UNION's columns, in order (a UNION matches them by position), with their SQL types: the ``columns``
    of each kind. Each kind of object gives the ones it has and NULLs of the column's type for the rest."""
    union, of_kind = {}, dict(columns)
    for kind, model in SEARCHED.items():
        for column in of_kind[kind]:
            union.setdefault(column, SQL_TYPES.get(model_field(model, column)[0].get_internal_type(), "text"))
    return union


def select_list(columns: Columns, name_nulls: bool = False, **given: str) -> str:
    """The UNION's columns: ``given`` expressions by name, NULLs for the others (typed unless text, which an
    untyped NULL becomes). A UNION takes its column names from its first part: the others' NULLs go unnamed.
    Both keep the statement short enough for psycopg to keep its parsed form."""
    union = union_columns(columns)
    assert set(given) <= set(union), set(given) - set(union)
    nulls = {name: "NULL" if type_ == "text" else f"CAST(NULL AS {type_})" for name, type_ in union.items()}
    columns = {name: given.get(name, nulls[name]) for name in union}
    return ", ".join(
        expression if expression == name or (name not in given and not name_nulls) else f"{expression} AS {name}"
        for name, expression in columns.items()
    )


def contains(column: str) -> str:
    """Case-insensitive substring match. UPPER(CAST(... AS text)) is the expression PostgreSQL's
    trigram indexes cover (corpus migration 0004)."""
    return f"UPPER(CAST({column} AS text)) LIKE UPPER(%(like)s) ESCAPE '\\'"


def name_part(kind: str, where: str, order: str, columns: Columns, first: bool = False, dated: str = "") -> str:
    """The ``limit`` first rows of ``kind``'s table matching ``where`` (and ``dated``), numbered in the model's ordering."""
    model = SEARCHED[f"{kind}s"]
    selected = {column: model_field(model, column)[0].column for column in dict(columns)[f"{kind}s"]}
    where = f"({where}) AND {dated}" if dated else where
    listed = select_list(columns, first, **selected)
    return f"""SELECT '{kind}s' AS part, ROW_NUMBER() OVER (ORDER BY {order}) AS position, {listed}
        FROM corpus_{kind} WHERE {where} ORDER BY {order} LIMIT %(limit)s"""


def by_name_or_alias(kind: str, name_matches: str) -> str:
    """Rows whose own columns match, or one of their aliases does: one list of ids (a UNION), not an OR
    with the alias subquery, which made PostgreSQL filter every row (7 ms at 5,000 actors, 0.6 ms so)."""
    return f"""id IN (SELECT id FROM corpus_{kind} WHERE {name_matches}
        UNION ALL SELECT {kind}_id FROM corpus_alias WHERE normalized LIKE %(alias_like)s ESCAPE '\\')"""


NAME_PARTS = {  # each builds its statement part, naming its NULLs when it comes first
    "actors": partial(name_part, "actor", by_name_or_alias("actor", contains("name")), "name, slug"),
    "programmes": partial(
        name_part,
        "programme",
        by_name_or_alias("programme", f"{contains('name')} OR UPPER(CAST(acronym AS text)) = UPPER(%(q)s)"),
        "name, slug",
    ),
    "events": partial(
        name_part,
        "event",
        f"{contains('title')} OR {contains('place')}",
        "date_earliest NULLS LAST, date_latest NULLS LAST, slug",
    ),
}
# PostgreSQL: rank on the stored tsvector of title (weight A) and body (B) (corpus migration 0004)
# and keep the best ``limit`` (best(), below). For their snippets PostgreSQL also lists the words of
# each body that match a query term, by the text-search configuration's own stemming: the whole
# words that begin with a term's stem (a stem ending in "i" also as "y": "alli" finds "ally"),
# kept where ``to_tsvector`` gives that term ("alliance" is not "ally"). ``snippet`` (below) cuts
# and marks the passage. ``ts_headline`` did both but parsed every character it was given: ten
# headlines were most of a search's PostgreSQL time at 1,000 articles (docs/performance.md).
QUERY = "websearch_to_tsquery('english', %(q)s)"
# The query's terms, negated ones left out: {nato,alli} for 'nato & !summit & alli'.
QUERY_LEXEMES = r"""ARRAY(SELECT m[1] FROM regexp_matches(querytree(query), '(?<!!)''([^'']+)''', 'g') AS m)"""
# A whole word beginning with one of their stems, '\m((?:nato|alli|ally)\w*)'; NULL, matching nothing, if there are none.
WORD_PATTERN = r"""'\m((?:' || NULLIF(array_to_string(ARRAY(
    SELECT regexp_replace(regexp_replace(lexeme, '([^[:alnum:]])', '\\\1', 'g'), '^(.*)i$', '\1i|\1y')
    FROM unnest(lexemes) AS lexeme), '|'), '') || ')\w*)'"""
# The same terms as a query of the body's part of the stored document (weight B): 'nato':B | 'alli':B.
IN_BODY = (
    r"""NULLIF(array_to_string(ARRAY(SELECT quote_literal(lexeme) || ':B' FROM unnest(lexemes) AS lexeme), ' | '), '')::tsquery"""
)
# Each distinct such word of the body as spelt there, with the query term it stands for: [word, term]
# pairs. The body is not searched when the stored document says it holds none of the terms.
MATCHING_WORDS = """SELECT array_agg(ARRAY[candidate.word, stem.lexeme]) AS words
    FROM (
        SELECT DISTINCT m[1] AS word FROM regexp_matches(
            article.body, CASE WHEN article.search_document @@ terms.in_body THEN terms.word_pattern END, 'gi') AS m
    ) AS candidate
    CROSS JOIN LATERAL (
        SELECT min(lexeme) AS lexeme FROM unnest(tsvector_to_array(to_tsvector('english'::regconfig, candidate.word))) AS lexeme
        WHERE lexeme = ANY(terms.lexemes)
    ) AS stem
    WHERE stem.lexeme IS NOT NULL"""
# The best ``limit`` matches, numbered by rank (then slug). A one-word query takes them from the
# word's list of its best articles, kept by PostgreSQL (corpus migration 0006): at most 50 rows,
# whatever the size of the corpus. Other queries rank every match: with the GIN index by
# ts_rank; with the RUM index (migration 0005) the index hands them over best first by its own
# score (rum_ts_score: ts_rank's for one word, closer to ts_rank_cd's for several) and only the
# best ``limit`` are read. The RUM branch spells the query out rather than taking it from
# ``terms`` (an index orders only by a constant), and asks ``terms`` whether to run at all: a
# condition computed once, before the scan, that planning cannot settle either (so one plan
# serves every query: articles_statement). ``{only}`` is that condition, or a date range's.
RANKED = {
    "ts_rank": """SELECT id, slug, ts_rank(search_document, query) AS rank FROM terms JOIN corpus_article
        ON search_document @@ query WHERE {only} ORDER BY rank DESC, slug LIMIT %(limit)s""",
    "rum": f"""SELECT id, slug, rum_ts_score(search_document, {QUERY}) AS rank FROM corpus_article
        WHERE search_document @@ {QUERY} AND {{only}}
        ORDER BY search_document <=> {QUERY} LIMIT %(limit)s""",
}
SEVERAL_WORDS = {"ts_rank": "numnode(query) <> 1", "rum": "(SELECT numnode(query) <> 1 FROM terms)"}
SCORE = {"ts_rank": "ts_rank", "rum": "rum_ts_score"}  # the rank a one-word hit shows, as the other branch gives it


def best(ranking: str, dated: str = "") -> str:
    """The hits numbered by rank; with ``dated`` (an SQL condition on corpus_article) only those it keeps, all ranked:
    a word's list of its best articles does not hold the best of a period."""
    if dated:
        hits = RANKED[ranking].replace("{only}", dated)
    else:
        leaders = f"""SELECT id, slug, {SCORE[ranking]}(search_document, query) AS rank
            FROM terms, corpus_search_leaders(lexemes[1], %(limit)s) AS leader JOIN corpus_article ON id = leader
            WHERE numnode(query) = 1"""
        hits = f"({RANKED[ranking].replace('{only}', SEVERAL_WORDS[ranking])}) UNION ALL ({leaders})"
    return f"""SELECT id, rank, ROW_NUMBER() OVER (ORDER BY rank DESC, slug) AS position FROM ({hits}) AS hits"""


@cache
def articles_statement(ranking: str, limit: int, columns: Columns, dated: str = "") -> str:
    """The best ``limit`` articles for ``%(q)s`` in rank order, with their bodies (only the beginning where no
    word of it matches: one character more tells whether its last word is whole) and matching words.

    ``limit`` (1-50) is written into the statement rather than passed: with a parameter PostgreSQL
    cannot tell how many rows each step keeps, judges its plan for any value dearer than one made
    for the given value, and so plans every request anew (~0.5 ms, more than running it at 1,000
    articles); with the number it keeps one plan per connection.
    """
    return compact(
        f"""WITH terms AS MATERIALIZED (
            SELECT query, lexemes, {WORD_PATTERN} AS word_pattern, {IN_BODY} AS in_body
            FROM {QUERY} AS query, LATERAL (SELECT {QUERY_LEXEMES} AS lexemes) AS given
        )
        SELECT best.position, {article_columns(columns)}, best.rank, matching.words,
               CASE WHEN matching.words IS NULL THEN left(article.body, {SNIPPET_LENGTH + 1}) ELSE article.body END AS body
        FROM terms, ({best(ranking, dated)}) AS best
        JOIN corpus_article AS article ON article.id = best.id
        CROSS JOIN LATERAL ({MATCHING_WORDS}) AS matching
        ORDER BY best.position""".replace("%(limit)s", str(int(limit)))
    )


def article_columns(columns: Columns) -> str:
    """The columns of an article hit (``columns``' articles), as ``_hit`` reads them."""
    selected = ((name, model_field(Article, name)[0].column) for name in dict(columns)["articles"])
    return ", ".join(f"article.{column}" if column == name else f"article.{column} AS {name}" for name, column in selected)


@cache
def names_statement(kinds: tuple[str, ...], columns: Columns, events_dated: str = "") -> str:
    """The first ``%(limit)s`` actors, programmes and events (those of ``kinds``, in NAME_PARTS' order) matching ``%(q)s``
    (events also ``events_dated``, an SQL condition on corpus_event).

    It is sent unprepared (``planned_for_its_values``): the best plan for events depends on how
    common the words are in their titles (walk the timeline's index for a common one, use the
    trigram index for a rare one), and a prepared statement's plan for any value, which
    PostgreSQL switches to after five runs when it looks no dearer, walked all 25,000 events at
    100k for a word none holds (~45 ms).
    """
    parts = (
        NAME_PARTS[kind](columns=columns, first=i == 0, dated=events_dated if kind == "events" else "")
        for i, kind in enumerate(kinds)
    )
    return compact(" UNION ALL ".join(f"SELECT * FROM ({part}) AS part{i}" for i, part in enumerate(parts)))


@contextmanager
def planned_for_its_values(connection):
    """Statements run meanwhile are not prepared (PostgreSQL plans each for the values it is given)."""
    if connection.vendor != "postgresql":
        yield
        return
    driver = connection.connection  # psycopg's: this thread's own
    threshold, driver.prepare_threshold = driver.prepare_threshold, None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


def compact(sql: str) -> str:
    """Each run of whitespace made one space (no literal in the statements holds one): psycopg keeps the
    parsed form of a statement only up to 4 kB."""
    return re.sub(r"\s+", " ", sql)


_ranking: dict[str, str] = {}  # by database name


def ranking(connection) -> str:
    """How articles are ranked: by the RUM index where corpus migration 0005 made it, else by ts_rank.
    Looked up once per process and database (a worker started before the index was made needs a restart)."""
    name = connection.settings_dict["NAME"]
    if name not in _ranking:
        _ranking[name] = "rum" if rum_index_definition(connection) else "ts_rank"
    return _ranking[name]


SPACE = re.compile(r"\s+")


def snippet(body: str, words: list[list[str]] | None) -> str:
    """About SNIPPET_LENGTH characters of ``body``, cut at whole words, with the query's words in it marked.

    ``words`` are the body's words that match a query term, as spelt there, each with the term it
    stands for (PostgreSQL decided, by the english configuration). The passage begins a
    little before a match: the first whose passage holds the most distinct terms, so a snippet
    for "nato summit" shows both where they meet. With no matching word (the title matched) it
    is the body's beginning. The text between the marks is the body's own.
    """
    found = _occurrences(body, {word.lower(): term for word, term in words or []})
    start = max(_passage(found) - SNIPPET_LEAD, 0) if found else 0
    end = min(start + SNIPPET_LENGTH, len(body))
    if start and not body[start - 1].isspace():  # begin at a whole word
        space = SPACE.search(body, start, end)
        start = space.end() if space else start
    if end < len(body) and not body[end].isspace():  # and end at one (unless the passage is all one word)
        end = max(body.rfind(" ", start, end), body.rfind("\n", start, end)) if SPACE.search(body, start, end) else end
    pieces, at = [], start
    for begin, stop, _ in found:
        if at <= begin and stop <= end:
            pieces += [body[at:begin], "<mark>", body[begin:stop], "</mark>"]
            at = stop
    pieces.append(body[at:end])
    return "".join(pieces).strip()


def _occurrences(body: str, term_of: dict[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of each whole word of ``body`` that is a key of ``term_of`` (lower case), in order."""
    if not term_of:
        return []
    lowered = body.lower()  # then str.find: several times faster than a regular expression ignoring case
    if len(lowered) != len(body):  # a letter whose lower case is longer ("İ"): keep the offsets
        lowered = "".join(letter.lower()[:1] for letter in body)
    found = []
    for word, term in term_of.items():
        at = lowered.find(word)
        while at >= 0:
            if not _is_word_character(lowered, at - 1) and not _is_word_character(lowered, at + len(word)):
                found.append((at, at + len(word), term))
            at = lowered.find(word, at + len(word))
    return sorted(found)


def _is_word_character(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def _passage(found: list[tuple[int, int, str]]) -> int:
    """Where the first occurrence starts whose passage holds the most distinct terms."""
    if len({term for *_, term in found}) == 1:
        return found[0][0]
    reach, best, most = SNIPPET_LENGTH - SNIPPET_LEAD, found[0][0], 0
    for i, (at, *_) in enumerate(found):
        terms = set()
        for other, _, term in islice(found, i, None):
            if other >= at + reach:
                break
            terms.add(term)
        if len(terms) > most:
            best, most = at, len(terms)
    return best


def _simple_articles(q: str, limit: int, columns: Columns, date_range: DateRange | None = None) -> list[dict]:
    pattern = re.compile(re.escape(q), re.IGNORECASE)
    selected = dict.fromkeys([*dict(columns)["articles"], "title", "body"])
    articles = Article.objects.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if date_range:
        articles = articles.filter(date_range.published_q())
    articles = articles.values(*selected)
    hits = []
    for article in articles:
        match = pattern.search(article["body"])
        snippet = ""
        if match:
            start, end = max(match.start() - SNIPPET_CONTEXT, 0), match.end() + SNIPPET_CONTEXT
            snippet = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", article["body"][start:end])
        rank = 1.0 if pattern.search(article["title"]) else 0.5
        hits.append(_hit(article, columns, snippet, rank))
    hits.sort(key=lambda hit: (-hit["rank"], hit["article"]["slug"]))
    return hits[:limit]


def _hit(article: dict, columns: Columns, snippet: str, rank: float) -> dict:
    brief = {column: article[column] for column in dict(columns)["articles"]}
    return {"article": brief, "snippet": snippet, "rank": rank}
