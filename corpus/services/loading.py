"""Loading a corpus fixture: validated first, then all-or-nothing; a start never changes a curated row.

``load_fixture`` (``manage.py load_corpus``, run by ``bin/start-web`` on every start) adds only the
fixture's records this database has never held, matched on their natural keys (slugs, or ``key`` for
rows without a slug). A record counts as held when a row has its key now, its history shows one
had it (a curator deleted or renamed it), or a ``SeedRecord`` says it was loaded before. Existing rows
are never written, so a curator's edits and deletions survive every restart; loading the same fixture
twice changes nothing. New records are loaded with a history entry each.

``reset_fixture`` (``manage.py load_corpus --reset``) is the deliberate opposite: every record of the
fixture is written as the fixture has it (edited rows go back to the seed text, deleted ones come
back), with a history entry for each row it writes; rows the fixture does not hold are kept.

The corpus version moves with the load by itself: loaddata's rows fire the corpus tables'
triggers (corpus/version_triggers.py), once for the whole load on PostgreSQL.
"""

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from corpus.models import SeedRecord
from corpus.models.articles import checksum, normalize_body
from corpus.services.integrity import find_problems

LOADED_REASON = "Loaded from the seed corpus ({name})."
RESET_REASON = "Reset to the seed corpus ({name}) by load_corpus --reset."


class FixtureError(Exception):
    """A fixture that must not be loaded; its message names the file, object and field."""


@dataclass(frozen=True)
class LoadResult:
    loaded: int  # records written
    held: int  # records this database holds or has held, left as they are
    skipped: tuple[str, ...] = ()  # new records naming a row this database no longer has (curator-deleted), not loaded


def load_fixture(path: Path) -> LoadResult:
    """Validate ``path`` and load, in one transaction, its records this database has never held."""
    objects = _read(path)
    _refuse_problems(path, objects)
    held = _held_keys(objects)
    new = [obj for obj in objects if _key(obj) not in held]
    new, skipped = _loadable(new)
    with transaction.atomic():
        _mark(objects, exclude={_key(obj) for obj in skipped})
        if new:
            _loaddata(path, new, LOADED_REASON.format(name=path.name), reset=False)
    return LoadResult(len(new), len(objects) - len(new) - len(skipped), tuple(_name(obj) for obj in skipped))


def reset_fixture(path: Path) -> LoadResult:
    """Validate ``path`` and write every one of its records as it stands there, with history: curation is overwritten."""
    objects = _read(path)
    _refuse_problems(path, objects)
    with transaction.atomic():
        _mark(objects, exclude=set())
        _loaddata(path, objects, RESET_REASON.format(name=path.name), reset=True)
    return LoadResult(len(objects), 0)


def _refuse_problems(path: Path, objects: list[dict]) -> None:
    problems = list(_validate(path, objects))
    if problems:
        raise FixtureError("\n".join(problems))


def _loaddata(path: Path, objects: list[dict], reason: str, reset: bool) -> None:
    """loaddata ``objects`` (inside the caller's transaction), record each written row in its history, check the corpus."""
    before = {label: set(_natural_keys(model)) for label, model in _models(objects).items()} if reset else {}
    with tempfile.TemporaryDirectory() as folder:
        subset = Path(folder) / path.name
        subset.write_text(json.dumps(objects), encoding="utf-8")
        try:
            call_command("loaddata", str(subset), verbosity=0)
        except (DatabaseError, DeserializationError) as exc:  # a database constraint refused a row
            raise FixtureError(f"{path}: {exc}") from exc
    for label, model in _models(objects).items():  # loaddata's raw saves write no history: write it here
        keys = [_key(obj)[1] for obj in objects if obj["model"] == label]
        field = _key_field(model)
        rows = list(model._default_manager.filter(**{f"{field}__in": keys}))
        existed = before.get(label, set())
        for update, group in ((False, [r for r in rows if getattr(r, field) not in existed]),
                              (True, [r for r in rows if getattr(r, field) in existed])):  # fmt: skip
            if group:
                model.history.bulk_history_create(group, update=update, default_change_reason=reason)
    problems = find_problems()
    if problems:  # raising rolls the whole load back
        raise FixtureError(f"{path}: after loading, the corpus is inconsistent:\n" + "\n".join(problems))


def _key(obj: dict) -> tuple[str, str]:
    fields = obj.get("fields") or {}
    return obj["model"].lower(), fields.get("slug") or fields.get("key")


def _key_field(model) -> str:
    return "slug" if any(f.name == "slug" for f in model._meta.fields) else "key"


def _models(objects: list[dict]) -> dict:
    return {obj["model"].lower(): apps.get_model(obj["model"]) for obj in objects}


def _natural_keys(model, history: bool = False):
    manager = model.history if history else model._default_manager
    return manager.values_list(_key_field(model), flat=True)


def _held_keys(objects: list[dict]) -> set[tuple[str, str]]:
    """The natural keys of ``objects``' models that this database holds, has held (history) or has loaded before."""
    held = set(SeedRecord.objects.values_list("model", "natural_key"))
    for label, model in _models(objects).items():
        held.update((label, key) for key in _natural_keys(model))
        held.update((label, key) for key in _natural_keys(model, history=True))
    return held


def _loadable(new: list[dict]) -> tuple[list[dict], list[dict]]:
    """``new`` split into records whose references all resolve (to rows the database has, or to other loadable
    records) and those naming a row that is gone, e.g. a new alias of an actor a curator deleted."""
    labels = {(label, key) for label, key in map(_key, new)}
    skipped: list[dict] = []
    while True:
        keep = []
        for obj in new:
            if all(ref in labels or _exists_in_database(model, ref) for model, ref in _references(obj)):
                keep.append(obj)
            else:
                skipped.append(obj)
                labels.discard(_key(obj))
        if len(keep) == len(new):
            return keep, skipped
        new = keep


def _references(obj: dict):
    model = apps.get_model(obj["model"])
    for name, value in (obj.get("fields") or {}).items():
        field = model._meta.get_field(name)
        if field.is_relation and value is not None:
            target = field.related_model
            for ref in value if field.many_to_many else [value]:
                ref = ref[0] if isinstance(ref, list) else ref
                yield target, (target._meta.label_lower, ref)


def _exists_in_database(model, ref: tuple[str, str]) -> bool:
    return model._default_manager.filter(**{_key_field(model): ref[1]}).exists()


def _mark(objects: list[dict], exclude: set) -> None:
    """Remember every record of the fixture as held from now on (those in ``exclude`` aside)."""
    exclude = exclude | set(SeedRecord.objects.values_list("model", "natural_key"))
    marks = [SeedRecord(model=label, natural_key=key) for label, key in map(_key, objects) if (label, key) not in exclude]
    if marks:  # a start that finds every record marked writes nothing
        SeedRecord.objects.bulk_create(marks, ignore_conflicts=True, batch_size=500)


def _read(path: Path) -> list[dict]:
    try:
        objects = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FixtureError(f"{path}: cannot be read as JSON: {exc}") from exc
    if not isinstance(objects, list):
        raise FixtureError(f"{path}: must hold a list of objects")
    for obj in objects:  # bodies with \r\n line endings are stored with \n; their passages are then validated against that
        fields = obj.get("fields") if isinstance(obj, dict) else None
        is_article = isinstance(obj, dict) and str(obj.get("model", "")).lower() == "corpus.article"
        if is_article and isinstance(fields, dict) and isinstance(fields.get("body"), str):
            body = normalize_body(fields["body"])
            if body != fields["body"]:
                fields["body"], fields["body_sha256"] = body, checksum(body)
    return objects


def _name(obj: dict) -> str:
    fields = obj.get("fields") or {}
    return f"{obj.get('model')} '{fields.get('slug') or fields.get('key') or '?'}'"


def _validate(path: Path, objects: list[dict]):
    keys: dict[str, set[tuple]] = {}
    bodies: dict[str, str] = {}
    for obj in objects:
        try:
            model = apps.get_model(obj["model"])
        except (KeyError, LookupError, ValueError):
            yield f"{path}: {_name(obj)}: model: unknown model"
            continue
        fields = obj.get("fields") or {}
        natural = fields.get("slug") or fields.get("key")
        if not natural:
            yield f"{path}: {_name(obj)}: slug/key: every object needs its natural key"
        keys.setdefault(model._meta.label_lower, set()).add((natural,))
        if model._meta.label_lower == "corpus.article":
            bodies[natural] = fields.get("body", "")
    for obj in objects:
        model = apps.get_model(obj["model"]) if obj.get("model") else None
        if model is None:
            continue
        fields = obj.get("fields") or {}
        for name, value in fields.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                yield f"{path}: {_name(obj)}: {name}: no such field"
                continue
            if not field.is_relation or value is None:
                continue
            target = field.related_model
            for ref in value if field.many_to_many else [value]:
                if not _exists(target, ref, keys):
                    yield f"{path}: {_name(obj)}: {name}: no {target._meta.label_lower} with natural key {ref!r}"
        if model._meta.label_lower in ("corpus.citation", "corpus.mention"):
            article = (fields.get("article") or [None])[0]
            text = fields.get("excerpt", fields.get("text"))
            body = bodies.get(article)
            if body is None:
                body = apps.get_model("corpus.Article").objects.filter(slug=article).values_list("body", flat=True).first()
            start, end = fields.get("start"), fields.get("end")
            if body is not None and (not isinstance(start, int) or not isinstance(end, int) or body[start:end] != text):
                field = "excerpt" if "excerpt" in fields else "text"
                yield f"{path}: {_name(obj)}: {field}: is not article '{article}''s text at {start}-{end}"


def _exists(model, ref, keys) -> bool:
    ref = tuple(ref) if isinstance(ref, list) else (ref,)
    if ref in keys.get(model._meta.label_lower, set()):
        return True
    try:
        model._default_manager.get_by_natural_key(*ref)
    except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
        return False
    return True
