"""Curated facts are protected from cascades, a passage always is its article's text, a shared alias is ambiguous.

1. Foreign keys whose CASCADE (or SET_NULL) would silently lose curated facts become PROTECT: mentions' article and
   target, an affiliation's member, a participation's programme, an event's participants and date statements, a
   quote's event (Django enforces on_delete; no schema change).
2. ``body[start:end] == excerpt`` for every citation (``text`` for every mention), held by the database:

   - PostgreSQL: constraint triggers, DEFERRABLE INITIALLY DEFERRED, on ``corpus_citation`` and ``corpus_mention``
     (insert, or an update of article, offsets or text) and on ``corpus_article`` (an update of body), so a transaction
     that edits a body and re-anchors its passages (``corpus.services.bodies.save_article``) is checked as a whole at
     commit (or at ``SET CONSTRAINTS ALL IMMEDIATE``). They re-read the row as it stands then, not as it was written.
   - SQLite: row triggers on ``corpus_citation`` and ``corpus_mention`` only, checked at once. SQLite cannot defer a
     trigger, so an article's body update is not checked there (the service checks it); and it drops a table's triggers
     when a migration remakes the table: such a migration must run ``SQLITE`` again.
3. An alias that another actor or programme also has (same normalised form) is marked ambiguous: a BEFORE
   trigger on ``corpus_alias`` (both databases) refuses an unambiguous one; ``Alias.clean()`` also compares the
   other owners' names and acronyms, and names them in the form error.

SQL's substr is 1-based and counts characters, as Python's slices do: ``substr(body, start + 1, end - start)``.
"""

import django.db.models.deletion
from django.db import migrations, models

from corpus.migrations._postgresql import per_vendor


PASSAGES = {"corpus_citation": "excerpt", "corpus_mention": "text"}  # table: the column holding the passage's text


def wrong(table: str, text: str, alias: str = "p") -> str:
    """SQL true when row ``alias`` of ``table`` is not its article's text (joined as ``a``)."""
    return f'substr(a.body, {alias}.start + 1, {alias}."end" - {alias}.start) IS DISTINCT FROM {alias}.{text}'


def raise_wrong(table: str) -> str:
    kind = table.removeprefix("corpus_")
    return (
        f"RAISE EXCEPTION '% % is not its article''s text at %-%', '{kind}', bad.key, bad.start, bad.\"end\" "
        f"USING ERRCODE = 'check_violation', CONSTRAINT = '{table}_text_in_body'"
    )


POSTGRESQL = [
    *(
        statement
        for table, text in PASSAGES.items()
        for statement in (
            f"""CREATE FUNCTION {table}_check_text_in_body() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE bad record;
            BEGIN
                SELECT p.key, p.start, p."end" INTO bad FROM {table} AS p JOIN corpus_article AS a ON a.id = p.article_id
                WHERE p.id = NEW.id AND {wrong(table, text)};
                IF FOUND THEN {raise_wrong(table)}; END IF;
                RETURN NULL;
            END $$""",
            f"""CREATE CONSTRAINT TRIGGER {table}_text_in_body AFTER INSERT OR UPDATE OF article_id, start, "end", {text}
                ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {table}_check_text_in_body()""",
        )
    ),
    f"""CREATE FUNCTION corpus_article_check_passages() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE bad record;
    BEGIN
        {
        "".join(
            f'''SELECT p.key, p.start, p."end" INTO bad FROM {table} AS p JOIN corpus_article AS a ON a.id = p.article_id
                WHERE a.id = NEW.id AND {wrong(table, text)} ORDER BY p.start LIMIT 1;
            IF FOUND THEN {raise_wrong(table)}; END IF;
        '''
            for table, text in PASSAGES.items()
        )
    }
        RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER corpus_article_passages_in_body AFTER UPDATE OF body ON corpus_article
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION corpus_article_check_passages()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER corpus_article_passages_in_body ON corpus_article",
    "DROP FUNCTION corpus_article_check_passages()",
    *(
        statement
        for table in PASSAGES
        for statement in (f"DROP TRIGGER {table}_text_in_body ON {table}", f"DROP FUNCTION {table}_check_text_in_body()")
    ),
]

SQLITE = [
    f"""CREATE TRIGGER {table}_text_in_body_{op.lower()} BEFORE {op} ON {table}
        WHEN EXISTS (SELECT 1 FROM corpus_article AS a WHERE a.id = NEW.article_id AND {
        wrong(table, text, "NEW").replace("IS DISTINCT FROM", "IS NOT")
    })
        BEGIN SELECT RAISE(ABORT, '{table}_text_in_body: a passage must be its article''s text at its offsets'); END"""
    for table, text in PASSAGES.items()
    for op in ("INSERT", "UPDATE")
]
SQLITE_REVERSE = [f"DROP TRIGGER {table}_text_in_body_{op}" for table in PASSAGES for op in ("insert", "update")]

# An alias that another owner also has must be marked ambiguous (Alias.clean() also compares names and acronyms).
ALIAS_SHARED = """EXISTS (SELECT 1 FROM corpus_alias AS other WHERE other.normalized = NEW.normalized AND other.id <> NEW.id
    AND (other.actor_id IS DISTINCT FROM NEW.actor_id OR other.programme_id IS DISTINCT FROM NEW.programme_id))"""
ALIAS_CHANGED = """(OLD.normalized IS DISTINCT FROM NEW.normalized OR OLD.is_ambiguous IS DISTINCT FROM NEW.is_ambiguous
    OR OLD.actor_id IS DISTINCT FROM NEW.actor_id OR OLD.programme_id IS DISTINCT FROM NEW.programme_id)"""
ALIAS_MESSAGE = "an alias that another actor or programme also has must be marked ambiguous"
POSTGRESQL += [
    f"""CREATE FUNCTION corpus_alias_check_shared() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT NEW.is_ambiguous AND {ALIAS_SHARED} THEN
            RAISE EXCEPTION 'corpus_alias_shared_is_ambiguous: % (alias %)', '{ALIAS_MESSAGE}', NEW.name
                USING ERRCODE = 'unique_violation', CONSTRAINT = 'corpus_alias_shared_is_ambiguous';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER corpus_alias_shared_is_ambiguous_insert BEFORE INSERT ON corpus_alias
        FOR EACH ROW EXECUTE FUNCTION corpus_alias_check_shared()""",
    f"""CREATE TRIGGER corpus_alias_shared_is_ambiguous_update BEFORE UPDATE ON corpus_alias
        FOR EACH ROW WHEN {ALIAS_CHANGED} EXECUTE FUNCTION corpus_alias_check_shared()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER corpus_alias_shared_is_ambiguous_update ON corpus_alias",
    "DROP TRIGGER corpus_alias_shared_is_ambiguous_insert ON corpus_alias",
    "DROP FUNCTION corpus_alias_check_shared()",
    *POSTGRESQL_REVERSE,
]
SQLITE += [
    f"""CREATE TRIGGER corpus_alias_shared_is_ambiguous_{op.lower()} BEFORE {op} ON corpus_alias
        WHEN NOT NEW.is_ambiguous AND {ALIAS_SHARED.replace("IS DISTINCT FROM", "IS NOT")}{when}
        BEGIN SELECT RAISE(ABORT, 'corpus_alias_shared_is_ambiguous: {ALIAS_MESSAGE}'); END"""
    for op, when in (("INSERT", ""), ("UPDATE", " AND " + ALIAS_CHANGED.replace("IS DISTINCT FROM", "IS NOT")))
]
SQLITE_REVERSE += ["DROP TRIGGER corpus_alias_shared_is_ambiguous_insert", "DROP TRIGGER corpus_alias_shared_is_ambiguous_update"]


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0011_single_row_constraints"),
    ]

    operations = [
        migrations.AlterField(
            model_name="affiliation",
            name="member",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="affiliations", to="corpus.actor"),
        ),
        migrations.AlterField(
            model_name="datestatement",
            name="event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="date_statements", to="corpus.event"
            ),
        ),
        migrations.AlterField(
            model_name="eventparticipant",
            name="event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="participations", to="corpus.event"
            ),
        ),
        migrations.AlterField(
            model_name="mention",
            name="actor",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="mentions", to="corpus.actor"
            ),
        ),
        migrations.AlterField(
            model_name="mention",
            name="article",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="mentions", to="corpus.article"),
        ),
        migrations.AlterField(
            model_name="mention",
            name="event",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="mentions", to="corpus.event"
            ),
        ),
        migrations.AlterField(
            model_name="mention",
            name="programme",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="mentions", to="corpus.programme"
            ),
        ),
        migrations.AlterField(
            model_name="programmeparticipation",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="participations", to="corpus.programme"
            ),
        ),
        migrations.AlterField(
            model_name="quote",
            name="event",
            field=models.ForeignKey(
                blank=True,
                help_text="Where or when the words were said or written, when the article says.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="quotes",
                to="corpus.event",
            ),
        ),
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
