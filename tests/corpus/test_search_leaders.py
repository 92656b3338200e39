"""Each word's best articles, kept by PostgreSQL's triggers through every kind of write (corpus migration 0006)."""

import pytest
from django.db import connection

from api.v1.views import SearchQuerySerializer
from corpus.models import Article
from corpus.services.bodies import save_article
from corpus.services.synthetic import PREFIX, delete_synthetic, generate
from tests.api.helpers import search

pytestmark = pytest.mark.django_db

LEADERS = SearchQuerySerializer().fields["limit"].max_value  # a list holds as many as a search may ask for


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the lists are PostgreSQL's (full-text search runs there)")


@pytest.fixture
def corpus():
    """The seeds and 120 synthetic articles: the synthetic vocabulary is small, so most words are in more than 50."""
    generate(articles=120, actors=10, seed=3)


def query(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def leaders() -> set[tuple]:
    return set(query("SELECT lexeme, article_id, score FROM corpus_search_leader"))


def expected() -> set[tuple]:
    """Every lexeme's best articles worked out from scratch: ranked by ts_rank for that lexeme alone, ties by id."""
    return set(
        query(
            """SELECT lexeme, id, score FROM (
                SELECT lexeme, id, score, row_number() OVER (PARTITION BY lexeme ORDER BY score DESC, id) AS place FROM (
                    SELECT term.lexeme, article.id, ts_rank(article.search_document, corpus_lexeme_query(term.lexeme)) AS score
                    FROM corpus_article AS article, unnest(tsvector_to_array(article.search_document)) AS term(lexeme)
                ) AS scored
            ) AS ranked WHERE place <= %s""",
            [LEADERS],
        )
    )


def full_lists() -> int:
    lists = "SELECT FROM corpus_search_leader GROUP BY lexeme HAVING count(*) = %s"
    return query(f"SELECT count(*) FROM ({lists}) AS lists", [LEADERS])[0][0]


def test_the_seed_corpus_has_its_lists():
    assert leaders() and leaders() == expected()


def test_a_bulk_load_keeps_every_list(corpus):
    assert full_lists() > 50  # the test means something: many words are in more than 50 articles
    assert leaders() == expected()


def test_an_edited_article_moves_in_its_lists(corpus):
    article = Article.objects.get(slug=f"{PREFIX}article-7")
    article.title = "Zanzibar summit summit"
    # A new word; no words go: its citations and mentions must stay its text (migration 0012), and they move with it.
    article.body = "Zanzibar " + article.body
    save_article(article)
    assert ("zanzibar", article.pk) in {(lexeme, article_id) for lexeme, article_id, _ in leaders()}
    assert leaders() == expected()


def add_article(title: str, body: str) -> Article:
    return Article.objects.create(slug="added", title=title, body=body, published_note="Not given.", source_note="Not given.")


def test_a_new_article_joins_the_lists_it_beats(corpus):
    article = add_article("Cooperation and partnership", "Cooperation, partnership and security. " * 3)
    assert {"cooper", "partnership", "secur"} <= {lexeme for lexeme, article_id, _ in leaders() if article_id == article.pk}
    assert leaders() == expected()


def test_a_deleted_leader_is_replaced_by_the_next_best(corpus):
    article = add_article("Cooperation and partnership", "Cooperation, partnership and security. " * 3)
    assert query("SELECT count(*) FROM corpus_search_leader WHERE lexeme = 'cooper'")[0][0] == LEADERS  # a full list
    article.delete()
    assert query("SELECT count(*) FROM corpus_search_leader WHERE lexeme = 'cooper'")[0][0] == LEADERS  # refilled
    assert leaders() == expected()


def test_deleting_many_articles_at_once(corpus):
    delete_synthetic()  # one DELETE statement for all of them: each list refilled
    assert leaders() == expected()
    generate(articles=1100, actors=10, seed=4)
    assert leaders() == expected()
    delete_synthetic()  # over 1,000: every list built again
    assert leaders() == expected()


def test_truncating_the_articles_empties_the_lists():
    query("TRUNCATE corpus_article CASCADE")
    assert not leaders()


def test_any_lexeme_is_quoted_as_one_term():
    for lexeme in ["c++", "o'brien", "a\\b", "x:y", "'", "\\"]:
        assert query("SELECT querytree(corpus_lexeme_query(%s))", [lexeme])[0][0] in (
            f"'{lexeme}'",
            "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'",
        )
        assert query("SELECT array_to_tsvector(ARRAY[%s]) @@ corpus_lexeme_query(%s)", [lexeme, lexeme])[0][0]


@pytest.mark.parametrize("q", ["cooperation", "partnership", "Security"])
@pytest.mark.parametrize("limit", [LEADERS, 10])
def test_a_one_word_search_finds_the_best_articles_from_its_list(corpus, q, limit):
    """The hits of a one-word query are the corpus's best for it: the same ranks as ranking every match,
    and every article ranked above the last place among them."""
    ranked = query(
        """SELECT slug, ts_rank(search_document, query) AS rank FROM corpus_article, websearch_to_tsquery('english', %s) AS query
        WHERE search_document @@ query ORDER BY rank DESC, slug""",
        [q],
    )
    assert len(ranked) > LEADERS
    hits = [(hit["article"]["slug"], hit["rank"]) for hit in search(q, limit=limit)["articles"]]
    assert [rank for _, rank in hits] == pytest.approx([rank for _, rank in ranked[:limit]], rel=1e-6)  # rum_ts_score or ts_rank
    last = hits[-1][1]
    assert {slug for slug, rank in ranked if rank > last * (1 + 1e-6)} <= {slug for slug, _ in hits}


def test_a_one_word_search_reads_only_the_words_list(corpus):
    assert search("partnership", limit=5)["articles"]
    query("DELETE FROM corpus_search_leader WHERE lexeme = 'partnership'")
    assert not search("partnership", limit=5)["articles"]
    assert search("partnership cooperation", limit=5)["articles"]  # several words: every match ranked
