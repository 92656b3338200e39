"""An event's date columns are the database's copy of its preferred date statement's (PostgreSQL and SQLite).

``corpus_event``'s date_edtf, date_text, date_earliest, date_latest and date_precision equal its
preferred ``corpus_datestatement``'s, or are empty (precision "unknown") when none is preferred,
whatever writes them: the admin, a service, the shell, a bulk ``.update()``, loaddata, COPY or
raw SQL. Triggers hold it in the writing statement:

- on ``corpus_datestatement``: a statement inserted, updated or deleted while preferred (or
  becoming or ceasing to be preferred, or moved to another event) redates its event(s): copied
  from the preferred statement, cleared when none is; TRUNCATE redates every event (PostgreSQL);
- on ``corpus_event``: an inserted row, or an update naming a date column, gets the preferred
  statement's date instead of what was written, so the columns behave like generated ones
  (writing them is harmless and changes nothing; ``corpus.services.dates`` writes statements).

PostgreSQL uses statement-level triggers on ``corpus_datestatement`` (one UPDATE of the events
per COPY or bulk statement) and a BEFORE ROW trigger on ``corpus_event``; SQLite has row triggers
only, and its BEFORE triggers cannot change NEW, so there the event's own trigger corrects the
row just written. The bounds and precision are copied, not parsed: the statement's are already
derived from its EDTF (``FuzzyDated.set_date``), and ``check_corpus`` checks both.

SQLite drops a table's triggers when a migration remakes it (most ALTERs of ``corpus_event`` or
``corpus_datestatement`` do): such a migration must run ``SQLITE`` again (``check_corpus`` and
tests/corpus/test_event_dates.py notice when it did not).
"""

from django.db import migrations

from corpus.migrations._postgresql import per_vendor

DATE_COLUMNS = ("date_edtf", "date_text", "date_earliest", "date_latest", "date_precision")
UNDATED = ("''", "''", "NULL", "NULL", "'unknown'")  # FuzzyDated's empty date


def preferred_or_undated(alias: str) -> list[str]:
    """The preferred statement's columns from a LEFT JOIN as ``alias``, or the empty date."""
    return [
        f"{alias}.{column}" if empty == "NULL" else f"coalesce({alias}.{column}, {empty})"
        for column, empty in zip(DATE_COLUMNS, UNDATED, strict=True)
    ]


def event_redate(table: str, affected: str) -> str:
    """An UPDATE giving each event in ``affected`` (a one-column ``id`` table) its preferred date, where it differs."""
    values = preferred_or_undated("preferred")
    return f"""UPDATE corpus_event SET {", ".join(f"{c} = {v}" for c, v in zip(DATE_COLUMNS, values, strict=True))}
        FROM {affected} AS affected
        LEFT JOIN corpus_datestatement AS preferred ON preferred.event_id = affected.id AND preferred.is_preferred
        WHERE {table}.id = affected.id
          AND ({", ".join(f"{table}.{c}" for c in DATE_COLUMNS)}) IS DISTINCT FROM ({", ".join(values)})"""


POSTGRESQL = [
    f"""CREATE FUNCTION corpus_event_date_from_preferred() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT {", ".join(f"preferred.{c}" for c in DATE_COLUMNS)} INTO {", ".join(f"NEW.{c}" for c in DATE_COLUMNS)}
        FROM corpus_datestatement AS preferred WHERE preferred.event_id = NEW.id AND preferred.is_preferred;
        IF NOT FOUND THEN
            {" ".join(f"NEW.{c} := {empty};" for c, empty in zip(DATE_COLUMNS, UNDATED, strict=True))}
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE TRIGGER corpus_event_date_follows_preferred
        BEFORE INSERT OR UPDATE OF {", ".join(DATE_COLUMNS)} ON corpus_event
        FOR EACH ROW EXECUTE FUNCTION corpus_event_date_from_preferred()""",
    f"""CREATE FUNCTION corpus_event_redate(events bigint[]) RETURNS void LANGUAGE sql AS $$
        {event_redate("corpus_event", "(SELECT DISTINCT id FROM unnest(events) AS event(id))")}
    $$""",
    # The events whose preferred statement may have changed: those of rows preferred before or after.
    """CREATE FUNCTION corpus_datestatement_redates_events() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            PERFORM corpus_event_redate(array(SELECT id FROM corpus_event));
        ELSIF TG_OP = 'INSERT' THEN
            PERFORM corpus_event_redate(array(SELECT event_id FROM new_rows WHERE is_preferred));
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM corpus_event_redate(array(
                SELECT event_id FROM old_rows WHERE is_preferred UNION SELECT event_id FROM new_rows WHERE is_preferred
            ));
        ELSE
            PERFORM corpus_event_redate(array(SELECT event_id FROM old_rows WHERE is_preferred));
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER corpus_datestatement_insert_redates_events AFTER INSERT ON corpus_datestatement
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION corpus_datestatement_redates_events()""",
    """CREATE TRIGGER corpus_datestatement_update_redates_events AFTER UPDATE ON corpus_datestatement
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION corpus_datestatement_redates_events()""",
    """CREATE TRIGGER corpus_datestatement_delete_redates_events AFTER DELETE ON corpus_datestatement
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION corpus_datestatement_redates_events()""",
    """CREATE TRIGGER corpus_datestatement_truncate_redates_events AFTER TRUNCATE ON corpus_datestatement
        FOR EACH STATEMENT EXECUTE FUNCTION corpus_datestatement_redates_events()""",
    "SELECT corpus_event_redate(array(SELECT id FROM corpus_event))",  # dates written before this migration
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER corpus_datestatement_truncate_redates_events ON corpus_datestatement",
    "DROP TRIGGER corpus_datestatement_delete_redates_events ON corpus_datestatement",
    "DROP TRIGGER corpus_datestatement_update_redates_events ON corpus_datestatement",
    "DROP TRIGGER corpus_datestatement_insert_redates_events ON corpus_datestatement",
    "DROP FUNCTION corpus_datestatement_redates_events()",
    "DROP FUNCTION corpus_event_redate(bigint[])",
    "DROP TRIGGER corpus_event_date_follows_preferred ON corpus_event",
    "DROP FUNCTION corpus_event_date_from_preferred()",
]


def sqlite_redate(affected: str) -> str:
    return event_redate("corpus_event", affected).replace("IS DISTINCT FROM", "IS NOT")


SQLITE_TRIGGERS = {
    "corpus_event_date_follows_preferred_insert": ("AFTER INSERT ON corpus_event", "(SELECT NEW.id AS id)"),
    "corpus_event_date_follows_preferred_update": (
        f"AFTER UPDATE OF {', '.join(DATE_COLUMNS)} ON corpus_event",
        "(SELECT NEW.id AS id)",
    ),
    "corpus_datestatement_insert_redates_event": (
        "AFTER INSERT ON corpus_datestatement WHEN NEW.is_preferred",
        "(SELECT NEW.event_id AS id)",
    ),
    "corpus_datestatement_update_redates_events": (
        "AFTER UPDATE ON corpus_datestatement WHEN OLD.is_preferred OR NEW.is_preferred",
        "(SELECT OLD.event_id AS id UNION SELECT NEW.event_id)",
    ),
    "corpus_datestatement_delete_redates_event": (
        "AFTER DELETE ON corpus_datestatement WHEN OLD.is_preferred",
        "(SELECT OLD.event_id AS id)",
    ),
}
SQLITE = [
    *(f"CREATE TRIGGER {name} {when} BEGIN {sqlite_redate(events)}; END" for name, (when, events) in SQLITE_TRIGGERS.items()),
    sqlite_redate("(SELECT id FROM corpus_event)"),  # dates written before this migration
]
SQLITE_REVERSE = [f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS]


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0006_search_leaders"),
    ]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
