"""The corpus version is bumped by triggers on every corpus table (corpus/version_triggers.py): by every kind
of write, and on PostgreSQL once per transaction, at commit, so that writers never wait on its row."""

import pytest
from django.apps import apps
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.models import F

from corpus import version_triggers
from corpus.models import Actor, Alias, CorpusVersion, Event, Programme, Source

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred triggers")


def test_every_corpus_table_has_the_triggers():
    tables = version_triggers.corpus_tables(apps)
    models = [m for m in apps.get_app_config("corpus").get_models() if m is not CorpusVersion]
    content = [m for m in models if not m.__name__.startswith("Historical")]
    through = [f.remote_field.through._meta.db_table for m in content for f in m._meta.local_many_to_many]
    assert set(tables) == {m._meta.db_table for m in content} | set(through)  # a new model's table is in it by itself
    assert "corpus_event_citations" in tables and "corpus_historicalactor" not in tables
    assert version_triggers.missing(connection, tables) == {}


def test_a_table_that_lost_its_triggers_gets_them_back_at_the_next_migrate():
    """SQLite drops a table's triggers when Django rebuilds it to alter a field; a new model's table starts
    without: ``migrate`` ends with post_migrate, which adds what is missing."""
    name = version_triggers.trigger_names(connection.vendor, "corpus_actor")[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name} ON corpus_actor" if connection.vendor == "postgresql" else f"DROP TRIGGER {name}")
    assert version_triggers.missing(connection, ["corpus_actor"]) == {"corpus_actor": [name]}
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert version_triggers.missing(connection, version_triggers.corpus_tables(apps)) == {}


def rename_all_sources():
    Source.objects.update(name=F("name"))


def save_an_actor():
    actor = Actor.objects.get(slug="nato")
    actor.description += " Saved."
    actor.save()


def bulk_create_aliases():
    Alias.objects.bulk_create([Alias(actor=Actor.objects.get(slug="nato"), name="The Alliance", kind="variant")])


def link_a_programme():  # a many-to-many table
    Event.objects.filter(programmes=None).first().programmes.add(Programme.objects.first())


def delete_an_alias():
    Alias.objects.filter(actor__slug="nato").first().delete()


def raw_sql():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE corpus_actor SET name = name WHERE slug = 'nato'")


WRITES = [rename_all_sources, save_an_actor, bulk_create_aliases, link_a_programme, delete_an_alias, raw_sql]


@pytest.mark.parametrize("write", WRITES)
def test_every_kind_of_write_bumps_the_version(write, committed):
    before = CorpusVersion.read()
    write()
    committed()
    after = CorpusVersion.read()
    assert after.version > before.version and after.changed_at >= before.changed_at


@on_postgresql
def test_truncate_bumps_the_version():
    before = CorpusVersion.read().version
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE corpus_event_programmes")  # a statement trigger: at once, not at commit
    assert CorpusVersion.read().version == before + 1


@on_postgresql
def test_until_commit_the_version_row_is_neither_bumped_nor_locked():
    before = CorpusVersion.read().version
    Source.objects.update(name=F("name"))
    Actor.objects.filter(slug="nato").update(name=F("name"))
    assert CorpusVersion.read().version == before  # queued for the commit
    with connection.cursor() as cursor:
        cursor.execute("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 'corpus_corpusversion'::regclass")
        assert {mode for (mode,) in cursor.fetchall()} <= {"AccessShareLock"}  # read, not written


@on_postgresql
def test_a_rolled_back_savepoint_takes_its_queued_bump_with_it(committed):
    from django.db import transaction

    before = CorpusVersion.read().version
    with pytest.raises(RuntimeError), transaction.atomic():
        Source.objects.update(name=F("name"))
        raise RuntimeError
    committed()
    assert CorpusVersion.read().version == before  # nothing was written
    Source.objects.update(name=F("name"))
    committed()
    assert CorpusVersion.read().version == before + 1  # the flag went with the savepoint: this write queues again
