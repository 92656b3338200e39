"""The corpus version, bumped by the database: once per transaction, at commit, whatever wrote.

Every cached API answer is keyed by the corpus version (api/middleware.py, api/pagination.py,
api/v1/prepared.py), so every write to the corpus must move it: ORM saves, ``update()``,
``bulk_create``, fixture loads, COPY and raw SQL alike. Triggers on every corpus table do it, so
no write path can forget to:

- PostgreSQL: on each table a constraint trigger, ``DEFERRABLE INITIALLY DEFERRED``, runs
  ``corpus_version_bump()`` at COMMIT: the version goes up by one, ``changed_at`` takes the
  clock of the commit (not ``now()``, the transaction's start, which would let a long
  transaction move Last-Modified backwards) and ``NOTIFY corpus_version`` tells the other
  processes (corpus/services/version_watch.py). The version row is locked only while the commit
  happens, so two curators saving the same actors in opposite orders no longer deadlock on it,
  as they did when ``post_save`` bumped it on the first write and held its lock until commit.
  The trigger's ``WHEN`` (evaluated as each row is written, not deferred) sets a
  transaction-local flag, ``corpus.version_queued``: only a transaction's first written row
  queues the bump, so a COPY of a million rows queues one deferred event, not a million, and the
  version moves by exactly one. A rolled-back savepoint takes its flag and its queued event with
  it. TRUNCATE has a statement trigger (those cannot be deferred): it bumps at once, unless a
  bump is queued already.
- SQLite: plain row triggers bump the version for every row written. SQLite runs one writer at a
  time, so there is no lock to wait for; the version just moves by more than one.

``SET CONSTRAINTS ALL IMMEDIATE`` fires the queued bump early: Django's loaddata runs it to check
its foreign keys, and the generator before it rebuilds the search index. The bump is still once
and in the writing transaction; the version row is then locked from there until the commit, and
neither writes anything after.

The tables are derived from the models, never listed: every table of the corpus app's models and
of their many-to-many fields, except the version row's own and simple-history's Historical*
tables. Migration 0010 creates the functions and the triggers; ``after_migrate`` (a post_migrate
receiver, corpus/apps.py) adds any that are missing after every ``migrate``, because
- a new model's table then gets its triggers with no migration line to remember, and
- on SQLite Django alters most fields by rebuilding the table (create, copy, drop, rename), which
  drops its triggers.
It creates only what is missing, so a ``migrate`` with nothing to do takes no table locks.
tests/corpus/test_version_triggers.py checks every corpus table in the catalog.
"""

from django.db import connections, transaction

VERSION_TABLE = "corpus_corpusversion"
MIGRATION = ("corpus", "0010_corpus_version_triggers")
TRIGGER = "corpus_version"  # PostgreSQL: the row trigger's name on every table (trigger names are per table there)
TRUNCATE_TRIGGER = "corpus_version_truncate"
FLAG = "corpus.version_queued"  # PostgreSQL: "on" once this transaction has queued its bump
CHANNEL = "corpus_version"  # NOTIFY channel (corpus/services/version_watch.py)

POSTGRESQL_FUNCTIONS = [
    # True for the transaction's first written row only (CASE: the flag is read before it is set). Plain SQL,
    # as cheap per row as the same expression written into the WHEN (~0.2 us; PL/pgSQL cost ~0.8 us).
    f"""CREATE OR REPLACE FUNCTION corpus_version_first_write() RETURNS boolean LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN current_setting('{FLAG}', true) = 'on' THEN false
                ELSE set_config('{FLAG}', 'on', true) = 'on' END
$$""",
    f"""CREATE OR REPLACE FUNCTION corpus_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {VERSION_TABLE} AS current (id, version, changed_at) VALUES (1, 2, clock_timestamp())
    ON CONFLICT (id) DO UPDATE
        SET version = current.version + 1, changed_at = GREATEST(current.changed_at, EXCLUDED.changed_at);
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END
$$""",
]
POSTGRESQL_DROP_FUNCTIONS = [
    "DROP FUNCTION IF EXISTS corpus_version_bump()",
    "DROP FUNCTION IF EXISTS corpus_version_first_write()",
]
# SQLite's UPSERT: the row is made if it is missing (a flush deletes it, as does a restore without it).
SQLITE_BUMP = (
    f"INSERT INTO {VERSION_TABLE} (id, version, changed_at) VALUES (1, 2, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at"
)
SQLITE_OPERATIONS = ("insert", "update", "delete")


def corpus_tables(apps) -> list[str]:
    """The tables whose writes change the corpus, from ``apps`` (the project's, or a migration's state)."""
    from simple_history.models import HistoricalChanges

    return sorted(
        {
            model._meta.db_table
            for model in apps.get_app_config("corpus").get_models(include_auto_created=True)
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.db_table != VERSION_TABLE
            and not issubclass(model, HistoricalChanges)
        }
    )


def trigger_names(vendor: str, table: str) -> list[str]:
    """The triggers ``table`` has when it is kept: PostgreSQL names them per table, SQLite per schema."""
    if vendor == "postgresql":
        return [TRIGGER, TRUNCATE_TRIGGER]
    return [f"{TRIGGER}_{operation}_{table}" for operation in SQLITE_OPERATIONS]


def missing(connection, tables: list[str]) -> dict[str, list[str]]:
    """``{table: [trigger names]}`` for the triggers the database lacks, one catalog query."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname IN (%s, %s) AND pg_table_is_visible(c.oid)",
                [TRIGGER, TRUNCATE_TRIGGER],
            )
            present = set(cursor.fetchall())
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            present = set(cursor.fetchall())
    lacking = {table: [n for n in trigger_names(connection.vendor, table) if (table, n) not in present] for table in tables}
    return {table: names for table, names in lacking.items() if names}


def create_sql(vendor: str, table: str, name: str, quote) -> str:
    if vendor == "postgresql":
        if name == TRUNCATE_TRIGGER:
            return (
                f"CREATE TRIGGER {name} AFTER TRUNCATE ON {quote(table)} FOR EACH STATEMENT "
                "WHEN (corpus_version_first_write()) EXECUTE FUNCTION corpus_version_bump()"
            )
        return (
            f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {quote(table)} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "WHEN (corpus_version_first_write()) EXECUTE FUNCTION corpus_version_bump()"
        )
    operation = name.removeprefix(f"{TRIGGER}_").removesuffix(f"_{table}").upper()
    return f"CREATE TRIGGER IF NOT EXISTS {quote(name)} AFTER {operation} ON {quote(table)} FOR EACH ROW BEGIN {SQLITE_BUMP}; END"


def sync(apps, connection, execute=None) -> list[str]:
    """Create the triggers the corpus tables of ``apps`` lack (the tables must exist); return those tables.
    ``execute``: a migration's ``schema_editor.execute``; else one transaction of its own."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return []
    lacking = missing(connection, corpus_tables(apps))
    quote = connection.ops.quote_name
    statements = [create_sql(connection.vendor, table, name, quote) for table, names in lacking.items() for name in names]
    if execute is not None:
        for statement in statements:
            execute(statement, params=None)
    elif statements:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return sorted(lacking)


def install(apps, schema_editor):
    """Migration 0010, forwards: the functions (PostgreSQL), then every table's triggers."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in POSTGRESQL_FUNCTIONS:
            schema_editor.execute(statement, params=None)
    sync(apps, connection, schema_editor.execute)


def uninstall(apps, schema_editor):
    """Migration 0010, backwards."""
    connection, quote = schema_editor.connection, schema_editor.connection.ops.quote_name
    for table in corpus_tables(apps):
        for name in trigger_names(connection.vendor, table):
            if connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}", params=None)
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}", params=None)
    if connection.vendor == "postgresql":
        for statement in POSTGRESQL_DROP_FUNCTIONS:
            schema_editor.execute(statement, params=None)


def after_migrate(sender, using, apps=None, **kwargs):
    """post_migrate: give every corpus table that lacks them its triggers, once migration 0010 is applied.
    ``apps``: the migrated state (``migrate``), or none (``flush``): the project's models."""
    from django.apps import apps as project_apps
    from django.db.migrations.recorder import MigrationRecorder

    apps = apps or project_apps
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite") or MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return
    try:
        apps.get_app_config("corpus")
    except LookupError:
        return
    existing = set(connection.introspection.table_names())
    if not set(corpus_tables(apps)) <= existing:
        return  # a migration plan that stopped short of some tables (``migrate corpus 0003`` and the like)
    sync(apps, connection)
