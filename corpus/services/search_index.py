"""The RUM index /search/ ranks by (PostgreSQL with the rum extension: corpus migration 0005)."""

from contextlib import contextmanager

from django.db import connection

SEARCH_RUM_INDEX = "corpus_article_search_rum"


def rum_index_definition(database=connection) -> str | None:
    """The index's ``CREATE INDEX`` statement, or None where it does not exist (SQLite, PostgreSQL without rum)."""
    if database.vendor != "postgresql":
        return None
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'corpus_article' AND indexname = %s", [SEARCH_RUM_INDEX]
        )
        row = cursor.fetchone()
    return row[0] if row else None


@contextmanager
def rum_index_set_aside():
    """Drop the index for a bulk load and build it again after (generate_corpus). Kept up row by row, it made the
    load ten times slower (120 articles/s against 1,400); built once, it takes ~25 s at 100,000 articles. Use it
    inside the load's transaction: the article table stays locked until it commits."""
    definition = rum_index_definition()
    if definition:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {SEARCH_RUM_INDEX}")
    yield
    if definition:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no index build with foreign key checks pending
            cursor.execute(definition)
            # Back to commit time for the rest of the transaction: every deferrable constraint here is INITIALLY
            # DEFERRED (foreign keys, and the passage triggers of migration 0012, which a body edit and its re-anchoring
            # must pass together).
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
