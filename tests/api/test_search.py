import re
from itertools import combinations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import API, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["Türkiye", "turkiye", "TURKEY"])
def test_turkey_by_any_spelling(api_client, q):
    assert "turkey" in slugs(get_json(api_client, "/search/", q=q)["actors"])


def test_a_translated_acronym_finds_the_programme(api_client):
    result = get_json(api_client, "/search/", q="SNT")
    assert "partnership-for-peace" in slugs(result["programmes"])


def test_an_acronym_finds_the_programme(api_client):
    assert "individual-partnership-action-plan" in slugs(get_json(api_client, "/search/", q="IPAP")["programmes"])


def test_articles_come_with_highlighted_snippets(api_client):
    result = get_json(api_client, "/search/", q="Partnership")
    assert result["backend"] == ("postgresql" if connection.vendor == "postgresql" else "simple")
    assert result["articles"]
    for hit in result["articles"]:
        assert "<mark>" in hit["snippet"]
        assert hit["rank"] > 0
        assert set(hit["article"]) >= {"slug", "title", "url"}


def test_limit(api_client):
    result = get_json(api_client, "/search/", q="a", limit=1)
    assert all(len(result[kind]) <= 1 for kind in ("articles", "actors", "programmes", "events"))


@pytest.mark.parametrize(
    "kinds, keys",
    [
        ("articles", {"articles"}),
        ("events,actors", {"actors", "events"}),
        (" programmes , articles,programmes", {"programmes", "articles"}),
        ("articles,actors,programmes,events", {"articles", "actors", "programmes", "events"}),
    ],
)
def test_kinds_limits_what_is_searched(api_client, kinds, keys):
    """Each kind asked for is searched exactly as in a whole search; the others are left out."""
    whole = get_json(api_client, "/search/", q="Partnership")
    result = get_json(api_client, "/search/", q="Partnership", kinds=kinds)
    assert set(result) == {"q", "backend", *keys}
    assert {key: result[key] for key in keys} == {key: whole[key] for key in keys}
    assert any(whole[key] for key in keys)  # something to compare


def test_a_search_of_names_only_runs_no_full_text(api_client):
    result = get_json(api_client, "/search/", q="nato", kinds="actors")
    assert slugs(result["actors"]) and "articles" not in result


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "nato", "limit": "x"}, "limit"),
        ({"q": "nato", "kinds": "people"}, "kinds"),
        ({"q": "nato", "kinds": ","}, "kinds"),
    ],
)
def test_bad_queries_are_400s(api_client, params, parameter):
    assert_problem(api_client.get(f"{API}/search/", params), 400, parameter)


def _on_the_fly(q: str, limit: int, ranking: str) -> list[tuple]:
    """The query /search/ ran before the stored document: the vector built from title and body per row
    (ranked by ts_rank, or by rum_ts_score as the RUM index orders)."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
    from django.db.models import FloatField, Func

    from corpus.models import Article

    query = SearchQuery(q, search_type="websearch", config="english")
    vector = SearchVector("title", weight="A", config="english") + SearchVector("body", weight="B", config="english")
    headline = SearchHeadline("body", query, config="english", start_sel="<mark>", stop_sel="</mark>", min_words=15, max_words=35)
    articles = (
        Article.objects.annotate(document=vector)
        .filter(document=query)
        .annotate(
            rank=SearchRank(vector, query)
            if ranking == "ts_rank"
            else Func(vector, query, function="rum_ts_score", output_field=FloatField()),
            snippet=headline,
        )
        .order_by("-rank", "slug")[:limit]
    )
    return [(article.slug, article.title, article.rank, article.snippet) for article in articles]


@pytest.fixture(params=["ts_rank", "rum"])
def ranking(request, monkeypatch):
    """Each way /search/ ranks on PostgreSQL: with the GIN index, and with the RUM index where it is installed."""
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL")
    from corpus.selectors import search

    if request.param == "rum" and search.ranking(connection) != "rum":
        pytest.skip("the rum extension is not installed on this PostgreSQL (corpus migration 0005)")
    monkeypatch.setitem(search._ranking, connection.settings_dict["NAME"], request.param)
    return request.param


@pytest.mark.parametrize("q", ["NATO", "Azerbaijan cooperation", "nato -summit"])
@pytest.mark.parametrize("bounds", [("2024", None), ("2024-06", "2024-06"), (None, "2024-03-19")])
def test_a_dated_search_ranks_the_matches_published_in_the_range(ranking, q, bounds):
    """Ranked as undated, keeping those in the range: one word included, whose list of best articles knows no dates."""
    from corpus.dates import DateRange
    from corpus.models import Article
    from tests.api.helpers import search

    date_range = DateRange.of(*(bound and DateRange.bound(bound) for bound in bounds))
    published = set(Article.objects.filter(date_range.published_q()).values_list("slug", flat=True))
    expected = [row[:3] for row in _on_the_fly(q, 50, ranking) if row[0] in published]
    hits = search(q, limit=50, date_range=date_range)["articles"]
    assert expected and [(hit["article"]["slug"], hit["article"]["title"], hit["rank"]) for hit in hits] == expected


@pytest.mark.parametrize(
    "q", ["NATO", "partnership", "Azerbaijan cooperation", '"strategic partnership"', "nato -summit", "or", "policy", "allies"]
)
@pytest.mark.parametrize("limit", [50, 2])
def test_the_stored_document_ranks_like_the_text_and_snippets_quote_the_body(ranking, q, limit):
    from corpus.models import Article
    from tests.api.helpers import search

    hits = search(q, limit=limit)["articles"]
    expected = _on_the_fly(q, limit, ranking)
    assert [(hit["article"]["slug"], hit["article"]["title"], hit["rank"]) for hit in hits] == [row[:3] for row in expected]
    assert hits or q == "or"  # a stop word alone finds nothing
    bodies = dict(Article.objects.filter(slug__in=[row[0] for row in expected]).values_list("slug", "body"))
    for hit, (slug, _, _, whole_body_headline) in zip(hits, expected, strict=True):
        snippet = hit["snippet"]
        assert snippet.replace("<mark>", "").replace("</mark>", "") in bodies[slug]  # the body's own words
        if "<mark>" in whole_body_headline:  # highlighted wherever a headline of the whole body is
            assert "<mark>" in snippet, (slug, snippet, whole_body_headline)


def test_the_stored_document_follows_edits(api_client, ranking, committed):
    from corpus.models import Article

    article = Article.objects.get(slug="will-azerbaijan-attend-the-nato-summit")
    assert not get_json(api_client, "/search/", q="zanzibar")["articles"]
    article.body += " Zanzibar."
    article.save()
    committed()
    hits = get_json(api_client, "/search/", q="zanzibar")["articles"]
    assert slugs(hit["article"] for hit in hits) == [article.slug]
    assert hits[0]["snippet"].endswith("<mark>Zanzibar</mark>.")  # the window follows the match to the body's end


@pytest.mark.parametrize("q", ["50%", "c++", "(nato", "a_b", "\\", "'", "u.s.", "-nato", "euro-atlantic", "policy*", "%", "_"])
def test_any_text_is_a_query(api_client, q):
    """LIKE wildcards, regular-expression and tsquery syntax in q are plain text to search for."""
    result = get_json(api_client, "/search/", q=q)
    assert result["q"] == q
    if q in ("50%", "a_b", "\\", "%", "_"):  # no wildcard and no escape: nothing is named with these characters
        assert not result["actors"] and not result["programmes"] and not result["events"]
    if q in ("(nato", "policy*") and connection.vendor == "postgresql":  # tsquery syntax is dropped, the word found
        assert result["articles"]


def test_postgresql_ranks_with_the_rum_index_wherever_the_extension_is_available():
    """CI installs it (.ci/run), so the RUM path is the one tested and benchmarked there."""
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL")
    from corpus.selectors.search import ranking

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        available = cursor.fetchone() is not None
    assert ranking(connection) == ("rum" if available else "ts_rank")


@pytest.mark.parametrize("kinds, queries", [(None, 2), ("articles", 1), ("actors,events", 1)])
def test_a_search_is_a_query_for_the_names_and_one_for_the_articles(api_client, django_assert_num_queries, kinds, queries):
    get_json(api_client, "/search/", q="nato")  # the first may look up the ranking (corpus.selectors.search.ranking)
    with CaptureQueriesContext(connection) as overhead:
        assert api_client.get("/api/no-such-thing/").status_code == 404
    with django_assert_num_queries(len(overhead) + queries):
        get_json(api_client, "/search/", q="partnership", **({"kinds": kinds} if kinds else {}))


def test_a_one_word_search_is_planned_once_per_connection():
    """The articles' statement is planned once and reused (its limit written in): PostgreSQL switches a
    prepared statement to its generic plan after five runs only when that plan does not look dearer."""
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL")
    from api.v1.rows import search_columns
    from corpus.selectors.search import articles_statement, ranking
    from corpus.services.synthetic import generate

    generate(articles=200, actors=10, seed=3)  # estimates as on a real corpus (the seeds' five articles tell the planner little)
    sql = articles_statement(ranking(connection), 10, search_columns())
    with connection.cursor() as cursor:
        for _ in range(15):  # psycopg prepares it after five runs (DATABASE_PREPARE_THRESHOLD); PostgreSQL makes five plans
            cursor.execute(sql, {"q": "partnership"})  # for the values given, then compares
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = %s",
            [sql.replace("%(q)s", "$1")],
        )
        generic, custom = cursor.fetchone()
    assert generic > 0 and custom == 5


def test_the_names_are_planned_for_each_searchs_words():
    """Never prepared: the events' best plan depends on how common the words are (corpus.selectors.search.names_statement)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    from tests.api.helpers import search

    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    for q in ["summit"] * 10 + ["zanzibar"]:
        search(q, kinds=("actors", "events"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%corpus_event%"])
        assert cursor.fetchone()[0] == 0
    assert threshold is not None and connection.connection.prepare_threshold == threshold  # other statements still prepared


def test_the_search_statement_stays_short_enough_for_psycopgs_parse_cache():
    """psycopg keeps the parsed form of statements up to this length; a longer one is parsed again on every request."""
    from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH

    from api.v1.rows import search_columns
    from corpus.selectors.search import NAME_PARTS, RANKED, articles_statement, names_statement

    columns = search_columns()
    every = [articles_statement(ranking, 50, columns) for ranking in RANKED] + [
        names_statement(kinds, columns) for n in range(1, len(NAME_PARTS) + 1) for kinds in combinations(NAME_PARTS, n)
    ]
    assert max(len(sql) for sql in every) <= MAX_CACHED_STATEMENT_LENGTH


def _lexemes(text: str) -> dict[str, set[str]]:
    """Each word of ``text`` (lower case) with the lexemes PostgreSQL's english configuration gives it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(token), lexemes FROM ts_debug('english', %s) WHERE alias NOT IN ('blank', 'space')", [text])
        words = {}
        for word, lexemes in cursor.fetchall():
            words.setdefault(word, set()).update(lexemes or [])
    return words


@pytest.mark.parametrize("q", ["allies", "partnership", "Azerbaijan cooperation", "NATO summit", "organization", "IPAP"])
def test_snippets_mark_exactly_the_words_the_text_search_configuration_matches(ranking, q):
    """Every marked word stands for a query term by PostgreSQL's own stemming ("allies" and "ally",
    not "alliance"), and every such whole word in the snippet is marked."""
    from tests.api.helpers import search

    with connection.cursor() as cursor:
        cursor.execute("SELECT ARRAY(SELECT unnest(tsvector_to_array(to_tsvector('english', %s))))", [q])
        terms = set(cursor.fetchone()[0])
    hits = search(q, limit=50)["articles"]
    assert hits
    for hit in hits:
        snippet = hit["snippet"]
        marked = re.findall(r"<mark>(.*?)</mark>", snippet)
        plain_words = re.findall(r"\w+", re.sub(r"<mark>.*?</mark>", " ", snippet))
        lexemes = _lexemes(" ".join(marked + plain_words))
        assert all(lexemes[word.lower()] & terms for word in marked), (q, snippet)
        assert not [word for word in plain_words if lexemes[word.lower()] & terms], (q, snippet)


def test_a_snippet_shows_the_passage_where_the_query_words_meet(ranking):
    """For several words the passage is the first that holds the most of them, not merely the first match."""
    from corpus.models import Article
    from tests.api.helpers import search

    article = Article.objects.get(slug="will-azerbaijan-attend-the-nato-summit")
    article.body += " The zanzibar delegation left early. " + "Filler words of no interest. " * 20 + "Zanzibar and quokka met."
    article.save()
    (hit,) = search("zanzibar quokka")["articles"]
    assert "<mark>Zanzibar</mark> and <mark>quokka</mark> met." in hit["snippet"]
    assert "delegation" not in hit["snippet"]


@pytest.mark.parametrize(
    "body, words, expected",
    [
        ("Talks in Brussels ended.", None, "Talks in Brussels ended."),  # the title matched: the body's start
        ("Talks in Brussels ended.", ["Brussels"], "Talks in <mark>Brussels</mark> ended."),
        (
            "BRUSSELS, brussels; Brusselsprout.",
            ["BRUSSELS", "brussels"],
            "<mark>BRUSSELS</mark>, <mark>brussels</mark>; Brusselsprout.",
        ),
        # "İ" lower-cases to two letters: the offsets hold all the same
        ("İlham Aliyev met NATO officials.", ["NATO"], "İlham Aliyev met <mark>NATO</mark> officials."),
        # a passage without a space is cut where it ends, not left empty
        ("y" * 300, None, "y" * 240),
        # a word cut by the lead is left out; 240 characters in all
        ("x" * 300 + " start " + "word " * 80, ["start"], "<mark>start</mark> " + " ".join(["word"] * 35)),
        (
            "lead " * 30 + "the match here " + "tail " * 60,
            ["match"],
            f"{'lead ' * 11}the <mark>match</mark> here {' '.join(['tail'] * 34)}",
        ),
    ],
)
def test_snippets_cut_at_whole_words_around_the_match(body, words, expected):
    from corpus.selectors.search import snippet

    assert snippet(body, [[word, word.lower()] for word in words or []]) == expected


def test_a_match_in_the_title_only_shows_the_bodys_beginning(ranking):
    from corpus.models import Article
    from corpus.selectors.search import SNIPPET_LENGTH
    from tests.api.helpers import search

    article = Article.objects.get(slug="will-azerbaijan-attend-the-nato-summit")
    article.title = "Zanzibar talks"
    article.save()
    (hit,) = search("zanzibar")["articles"]
    body = article.body.lstrip()
    assert "<mark>" not in hit["snippet"] and body.startswith(hit["snippet"])
    assert len(body) > len(hit["snippet"]) > SNIPPET_LENGTH - 20 and body[len(hit["snippet"])].isspace()  # whole words
