"""Loading the corpus is idempotent and all-or-nothing; a broken fixture is refused by name."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from corpus.models import BOOKKEEPING, Actor, Alias, CorpusVersion
from tests.conftest import CORPUS_FIXTURE

pytestmark = pytest.mark.django_db

# The corpus content: not its history rows, nor the bookkeeping (version counter, seed marks, epoch).
CORPUS_MODELS = [
    m for m in apps.get_app_config("corpus").get_models()
    if not m.__name__.startswith("Historical") and m.__name__ not in BOOKKEEPING
]  # fmt: skip


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in CORPUS_MODELS}


def fixture_objects():
    return json.loads(CORPUS_FIXTURE.read_text(encoding="utf-8"))


def write(tmp_path, objects):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(objects), encoding="utf-8")
    return path


def test_loading_twice_changes_nothing():
    before = snapshot()
    call_command("load_corpus", verbosity=0)
    assert snapshot() == before
    assert sum(len(pks) for pks in before.values()) == len(fixture_objects())


def test_a_start_keeps_curated_edits_and_deletions():
    """Every start of bin/start-web runs load_corpus: it used to put the seed's description back and
    bring a deleted alias back, without a history record."""
    actor = Actor.objects.get(slug="nato")
    actor.description = "Edited by a curator."
    actor.save()
    alias = actor.aliases.first()
    alias.delete()
    version = CorpusVersion.read().version
    call_command("load_corpus", verbosity=0)
    actor.refresh_from_db()
    assert actor.description == "Edited by a curator."
    assert actor.history.first().description == "Edited by a curator."
    assert not Alias.objects.filter(key=alias.key).exists()
    assert CorpusVersion.read().version == version  # nothing was written: cached responses stay valid


def test_a_renamed_record_is_not_loaded_again_under_its_old_slug():
    Actor.objects.filter(slug="nato").update(slug="north-atlantic-treaty-organization")  # no history: the mark holds
    call_command("load_corpus", verbosity=0)
    assert not Actor.objects.filter(slug="nato").exists()


def test_records_new_to_the_database_are_loaded_with_history(tmp_path):
    objects = fixture_objects()
    alias = {"model": "corpus.alias", "fields": {"key": "alias-new-in-the-seed", "actor": ["nato"], "name": "OTAN-test",
                                                 "normalized": "otan-test", "kind": "translation", "language": "fr"}}  # fmt: skip
    call_command("load_corpus", str(write(tmp_path, [*objects, alias])), verbosity=0)
    loaded = Alias.objects.get(key="alias-new-in-the-seed")
    record = loaded.history.get()
    assert record.history_type == "+" and "seed corpus" in record.history_change_reason


def test_a_new_record_naming_a_deleted_row_is_not_loaded(tmp_path):
    objects = fixture_objects()
    actor = {"model": "corpus.actor", "fields": {"slug": "deleted-by-a-curator", "name": "Gone", "kind": "person"}}
    Actor.objects.create(**actor["fields"]).delete()  # a seed record a curator deleted; its history remembers it
    alias = {"model": "corpus.alias", "fields": {"key": "alias-of-a-gone-actor", "actor": ["deleted-by-a-curator"],
                                                 "name": "Gone", "normalized": "gone", "kind": "variant"}}  # fmt: skip
    objects += [actor, alias]
    out = io.StringIO()
    call_command("load_corpus", str(write(tmp_path, objects)), stderr=out, verbosity=0)
    assert "alias-of-a-gone-actor" in out.getvalue()
    assert not Alias.objects.filter(key="alias-of-a-gone-actor").exists()


def test_reset_writes_the_seed_back_with_history():
    actor = Actor.objects.get(slug="nato")
    seed_description = actor.description
    actor.description = "Edited by a curator."
    actor.save()
    alias_key = actor.aliases.first().key
    Alias.objects.filter(key=alias_key).delete()
    call_command("load_corpus", reset=True, yes=True, verbosity=0)
    actor.refresh_from_db()
    assert actor.description == seed_description
    assert actor.history.first().history_type == "~" and "--reset" in actor.history.first().history_change_reason
    assert Alias.objects.get(key=alias_key).history.first().history_type == "+"


def test_reset_asks_for_confirmation():
    with pytest.raises(CommandError, match="--yes"):  # stdin is not a terminal under pytest
        call_command("load_corpus", reset=True, verbosity=0)


def test_a_citation_whose_excerpt_is_not_in_its_article_is_refused(tmp_path):
    objects = fixture_objects()
    citation = next(o for o in objects if o["model"] == "corpus.citation")
    citation["fields"]["excerpt"] = "words the article never says" + citation["fields"]["excerpt"][28:]
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_corpus", str(write(tmp_path, objects)), verbosity=0)
    message = str(excinfo.value)
    assert "broken.json" in message
    assert f"corpus.citation '{citation['fields']['key']}'" in message
    assert "excerpt" in message
    assert snapshot() == before


def test_a_dangling_slug_is_refused_and_nothing_is_written(tmp_path):
    objects = fixture_objects()
    event = next(o for o in objects if o["model"] == "corpus.event")
    event["fields"]["title"] = "A title that must not be saved"
    participant = next(o for o in objects if o["model"] == "corpus.eventparticipant")
    participant["fields"]["actor"] = ["no-such-actor"]
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_corpus", str(write(tmp_path, objects)), verbosity=0)
    message = str(excinfo.value)
    assert f"corpus.eventparticipant '{participant['fields']['key']}'" in message
    assert "actor" in message and "no-such-actor" in message
    assert snapshot() == before
    assert not apps.get_model("corpus.Event").objects.filter(title="A title that must not be saved").exists()


def test_an_inconsistent_corpus_after_loading_is_rolled_back(tmp_path):
    """A citation that cites no fact passes the per-object checks but not the corpus check."""
    objects = fixture_objects()
    event = next(o for o in objects if o["model"] == "corpus.event")
    event["fields"]["title"] = "Rolled back"
    article = next(o for o in objects if o["model"] == "corpus.article")["fields"]
    start, end = 1, 12  # no seed citation spans it
    objects.append({
        "model": "corpus.citation",
        "fields": {"key": "cites-nothing", "article": [article["slug"]], "start": start, "end": end,
                   "excerpt": article["body"][start:end]},
    })  # fmt: skip
    with pytest.raises(CommandError) as excinfo:  # a reset writes the held event; a plain load would leave it alone
        call_command("load_corpus", str(write(tmp_path, objects)), reset=True, yes=True, verbosity=0)
    assert "citation cites-nothing: cites no fact" in str(excinfo.value)
    assert not apps.get_model("corpus.Event").objects.filter(title="Rolled back").exists()


def test_a_fixture_cannot_date_an_event_apart_from_its_preferred_statement(tmp_path):
    """The event's date columns are the database's copy of its preferred statement's (migration 0007)."""
    objects = fixture_objects()
    event = next(o for o in objects if o["model"] == "corpus.event" and o["fields"]["date_edtf"])
    event["fields"].update(date_edtf="1066", date_earliest="1066-01-01", date_latest="1066-12-31", date_precision="year")
    call_command("load_corpus", str(write(tmp_path, objects)), verbosity=0)
    loaded = apps.get_model("corpus.Event").objects.get(slug=event["fields"]["slug"])
    preferred = loaded.date_statements.get(is_preferred=True)
    assert loaded.date_edtf == preferred.date_edtf != "1066"
    assert (loaded.date_earliest, loaded.date_latest) == (preferred.date_earliest, preferred.date_latest)


def test_unreadable_fixture_is_refused(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="broken.json"):
        call_command("load_corpus", str(path), verbosity=0)


def test_committed_fixture_is_what_the_curated_sources_compile_to():
    call_command("compile_corpus", check=True, verbosity=0)
