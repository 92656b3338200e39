"""A RUM index on ``search_document`` (PostgreSQL with the ``rum`` extension only), for /search/'s ranking.

With the GIN index (0004) PostgreSQL finds the matching articles, then reads and ranks every one
of them to keep the best few: 40 ms for a word found in 15,000 of 100,000 articles. A RUM index
keeps each word's positions, so it hands over the matches already ordered by relevance
(``search_document <=> query``) and the scan stops after the best few: 5-10x faster at that size.

RUM is an extension (Debian and the PostgreSQL apt repository: ``postgresql-15-rum``), not part of
PostgreSQL, and some hosted services do not offer it. Where it is not available, or the migrating
user may not create it, this migration creates nothing and /search/ ranks with ``ts_rank`` on the
GIN index, as before (corpus.selectors.search). To add it later: install the extension, then
``manage.py migrate corpus 0004`` and ``manage.py migrate``, then restart the web workers (each
looks the index up once).
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEX = "corpus_article_search_rum"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        available = cursor.fetchone() is not None
    if not available:
        sys.stderr.write("  The rum extension is not installed: /search/ ranks without its index (see corpus migration 0005).\n")
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError as error:  # e.g. not allowed to create extensions
        sys.stderr.write(f"  Could not create the rum extension ({error}): /search/ ranks without its index.\n")
        return
    schema_editor.execute(f"CREATE INDEX {INDEX} ON corpus_article USING rum (search_document rum_tsvector_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0004_postgresql_read_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
