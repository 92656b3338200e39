"""PostgreSQL-only structures for the API's hot reads (SQLite can declare neither, and needs neither at its scale).

- Indexes in the API's orderings with their nulls placement: articles newest first with undated
  last (published_at DESC NULLS LAST, slug), and the timeline (date_earliest ASC NULLS FIRST,
  date_latest ASC NULLS LAST, slug). A plain DESC index sorts nulls first on PostgreSQL, so the
  list had to sort the whole table for each page.
- ``search_document``: the article's weighted tsvector (title A, body B), a stored generated
  column kept in step by PostgreSQL on every write, with a GIN index. /search/ ranks on it
  instead of parsing every body per query. It is not a model field: Django never writes it.
  Stored compressed in the row (STORAGE MAIN), not out of line: ranking reads the document of
  every matching row, and fetching each from the TOAST table made that five times slower.
- Trigram indexes (pg_trgm) for the substring matches of /search/ and the ``q`` filters on event
  titles and places, actor names and aliases (Django's icontains is ``UPPER(col::text) LIKE``):
  without them, a search scanned every event (30 ms at 25,000 events, 0.5 ms with).
"""

from django.db import migrations

from corpus.migrations._postgresql import on_postgresql

DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B')"
)
FORWARD = [
    "CREATE INDEX corpus_article_api_order ON corpus_article (published_at DESC NULLS LAST, slug)",
    "CREATE INDEX corpus_event_timeline_order ON corpus_event (date_earliest ASC NULLS FIRST, date_latest ASC NULLS LAST, slug)",
    f"ALTER TABLE corpus_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED, "
    "ALTER COLUMN search_document SET STORAGE MAIN",
    "CREATE INDEX corpus_article_search ON corpus_article USING gin (search_document)",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX corpus_event_title_trgm ON corpus_event USING gin (upper(title::text) gin_trgm_ops)",
    "CREATE INDEX corpus_event_place_trgm ON corpus_event USING gin (upper(place::text) gin_trgm_ops)",
    "CREATE INDEX corpus_actor_name_trgm ON corpus_actor USING gin (upper(name::text) gin_trgm_ops)",
    "CREATE INDEX corpus_alias_normalized_trgm ON corpus_alias USING gin (normalized gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX corpus_alias_normalized_trgm",
    "DROP INDEX corpus_actor_name_trgm",
    "DROP INDEX corpus_event_place_trgm",
    "DROP INDEX corpus_event_title_trgm",
    "DROP INDEX corpus_article_search",
    "ALTER TABLE corpus_article DROP COLUMN search_document",
    "DROP INDEX corpus_event_timeline_order",
    "DROP INDEX corpus_article_api_order",
]


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0003_nulls_last_orderings"),
    ]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
