"""Each word's best articles, kept by PostgreSQL, so a one-word search does not rank every match (PostgreSQL only).

A ranked search reads every article that holds its words: with the RUM index (0005) ~5 ms for
"summit" in 15,000 of 100,000 articles and ~35 ms for "partnership" in 64,000, growing with the
corpus. For a single lexeme an article's rank (``ts_rank``) depends on that article alone, so
``corpus_search_leader`` keeps, for every lexeme of the corpus, the 50 articles that rank best
for it alone (a search asks for at most 50): a "champion list" (Manning, Raghavan & Schütze,
*Introduction to Information Retrieval*, 7.1.3). /search/ reads a one-word query's hits from it
(corpus.selectors.search); queries of several words, phrases and negations still rank every match.

The lists are derived data, kept in step by statement triggers on ``corpus_article`` in the
writing transaction (one statement for a whole COPY or bulk DELETE):

- written articles: each lexeme's score joins its list where it beats the list's 50th, and
  lists are cut back to 50 (best score first, then lowest article id); a changed document is
  removed first, then written;
- removed articles: their entries go; a list of 50 that lost one takes the next best article
  from the corpus (a shorter list held every match); a statement removing more than 1,000
  articles rebuilds every list instead (``corpus_search_leaders_rebuild()``);
- TRUNCATE empties the lists.

Writers of articles take a SHARE ROW EXCLUSIVE lock on the lists (readers are not blocked), so
two concurrent writes cannot each cut a list believing the other's entry absent. Two
transactions each writing several articles in opposite orders can then deadlock; PostgreSQL
aborts one of them, which may be retried.
"""

from django.db import migrations

from corpus.migrations._postgresql import on_postgresql

LEADERS = 50  # per lexeme: the most hits a search may ask for (api.v1.views.SearchQuerySerializer)

FORWARD = [
    """CREATE TABLE corpus_search_leader (
        lexeme text NOT NULL,
        article_id bigint NOT NULL,
        score real NOT NULL,
        PRIMARY KEY (article_id, lexeme)
    )""",
    "CREATE INDEX corpus_search_leader_best ON corpus_search_leader (lexeme, score DESC, article_id)",
    # The one-lexeme tsquery, quoted as tsquery input wants ('' for ', \\ for \)
    r"""CREATE FUNCTION corpus_lexeme_query(lexeme text) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT AS $$
        SELECT ('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''')::tsquery
    $$""",
    # Articles written: each lexeme's score joins its list where it is among the batch's best 50 for
    # the lexeme and beats the list's 50th, then lists are cut back to 50.
    f"""CREATE FUNCTION corpus_search_leaders_add(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        touched text[];
    BEGIN
        LOCK TABLE corpus_search_leader IN SHARE ROW EXCLUSIVE MODE;
        WITH scored AS (
            SELECT term.lexeme, article.id AS article_id,
                   ts_rank(article.search_document, corpus_lexeme_query(term.lexeme)) AS score
            FROM corpus_article AS article, unnest(tsvector_to_array(article.search_document)) AS term(lexeme)
            WHERE article.id = ANY(ids)
        ), last AS (  -- each full list's last place, which a newcomer must beat
            SELECT term.lexeme, leader.score, leader.article_id
            FROM (SELECT DISTINCT lexeme FROM scored) AS term, LATERAL (
                SELECT score, article_id FROM corpus_search_leader WHERE lexeme = term.lexeme
                ORDER BY score DESC, article_id OFFSET {LEADERS - 1} LIMIT 1
            ) AS leader
        ), inserted AS (
            INSERT INTO corpus_search_leader (lexeme, article_id, score)
            SELECT lexeme, article_id, score FROM (
                SELECT scored.lexeme, scored.article_id, scored.score,
                       row_number() OVER (PARTITION BY scored.lexeme ORDER BY scored.score DESC, scored.article_id) AS place
                FROM scored LEFT JOIN last USING (lexeme)
                WHERE last.lexeme IS NULL OR scored.score > last.score
                   OR (scored.score = last.score AND scored.article_id < last.article_id)
            ) AS candidate
            WHERE place <= {LEADERS}
            RETURNING lexeme
        )
        SELECT array_agg(DISTINCT lexeme) INTO touched FROM inserted;

        DELETE FROM corpus_search_leader AS leader USING (
            SELECT article_id, lexeme, row_number() OVER (PARTITION BY lexeme ORDER BY score DESC, article_id) AS place
            FROM corpus_search_leader WHERE lexeme = ANY(touched)
        ) AS ranked
        WHERE ranked.place > {LEADERS} AND leader.article_id = ranked.article_id AND leader.lexeme = ranked.lexeme;
    END $$""",
    """CREATE FUNCTION corpus_search_leaders_rebuild() RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        chunk bigint[];
    BEGIN
        LOCK TABLE corpus_search_leader IN SHARE ROW EXCLUSIVE MODE;
        DELETE FROM corpus_search_leader;
        FOR chunk IN
            SELECT array_agg(id) FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / 5000 AS part FROM corpus_article) AS numbered
            GROUP BY part
        LOOP
            PERFORM corpus_search_leaders_add(chunk);
        END LOOP;
    END $$""",
    f"""CREATE FUNCTION corpus_search_leaders_remove(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        short text[];
        term text;
    BEGIN
        LOCK TABLE corpus_search_leader IN SHARE ROW EXCLUSIVE MODE;
        IF cardinality(ids) > 1000 THEN
            PERFORM corpus_search_leaders_rebuild();
            RETURN;
        END IF;
        -- the full lists these articles are in: each takes the next best article after them
        SELECT array_agg(DISTINCT leader.lexeme) INTO short FROM corpus_search_leader AS leader
        WHERE leader.article_id = ANY(ids)
          AND (SELECT count(*) FROM corpus_search_leader AS other WHERE other.lexeme = leader.lexeme) >= {LEADERS};
        DELETE FROM corpus_search_leader WHERE article_id = ANY(ids);
        FOREACH term IN ARRAY coalesce(short, '{{}}') LOOP
            INSERT INTO corpus_search_leader (lexeme, article_id, score)
            SELECT term, article.id, ts_rank(article.search_document, corpus_lexeme_query(term)) AS score
            FROM corpus_article AS article
            WHERE article.search_document @@ corpus_lexeme_query(term) AND article.id <> ALL(ids)  -- changed ones: added after
              AND NOT EXISTS (SELECT FROM corpus_search_leader AS kept WHERE kept.lexeme = term AND kept.article_id = article.id)
            ORDER BY score DESC, article.id
            LIMIT {LEADERS} - (SELECT count(*) FROM corpus_search_leader WHERE lexeme = term);
        END LOOP;
    END $$""",
    """CREATE FUNCTION corpus_article_search_leaders() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        ids bigint[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM corpus_search_leaders_add(ARRAY(SELECT id FROM changed));
        ELSIF TG_OP = 'UPDATE' THEN
            ids := ARRAY(
                SELECT changed.id FROM changed JOIN before USING (id)
                WHERE changed.search_document IS DISTINCT FROM before.search_document
            );
            IF cardinality(ids) > 0 THEN
                PERFORM corpus_search_leaders_remove(ids);
                PERFORM corpus_search_leaders_add(ids);
            END IF;
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM corpus_search_leaders_remove(ARRAY(SELECT id FROM before));
        ELSE  -- TRUNCATE
            DELETE FROM corpus_search_leader;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER corpus_article_search_leaders_insert AFTER INSERT ON corpus_article
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION corpus_article_search_leaders()""",
    """CREATE TRIGGER corpus_article_search_leaders_update AFTER UPDATE ON corpus_article
        REFERENCING OLD TABLE AS before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION corpus_article_search_leaders()""",
    """CREATE TRIGGER corpus_article_search_leaders_delete AFTER DELETE ON corpus_article
        REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION corpus_article_search_leaders()""",
    """CREATE TRIGGER corpus_article_search_leaders_truncate AFTER TRUNCATE ON corpus_article
        FOR EACH STATEMENT EXECUTE FUNCTION corpus_article_search_leaders()""",
    # The best ``n`` articles for one lexeme (its list is ordered by the index)
    """CREATE FUNCTION corpus_search_leaders(lexeme text, n integer) RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
        SELECT article_id FROM corpus_search_leader AS leader WHERE leader.lexeme = $1 ORDER BY score DESC, article_id LIMIT n
    $$""",
    "SELECT corpus_search_leaders_rebuild()",
]
BACKWARD = [
    "DROP FUNCTION corpus_search_leaders(text, integer)",
    "DROP TRIGGER corpus_article_search_leaders_truncate ON corpus_article",
    "DROP TRIGGER corpus_article_search_leaders_delete ON corpus_article",
    "DROP TRIGGER corpus_article_search_leaders_update ON corpus_article",
    "DROP TRIGGER corpus_article_search_leaders_insert ON corpus_article",
    "DROP FUNCTION corpus_article_search_leaders()",
    "DROP FUNCTION corpus_search_leaders_remove(bigint[])",
    "DROP FUNCTION corpus_search_leaders_rebuild()",
    "DROP FUNCTION corpus_search_leaders_add(bigint[])",
    "DROP FUNCTION corpus_lexeme_query(text)",
    "DROP TABLE corpus_search_leader",
]


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0005_rum_search_index"),
    ]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
