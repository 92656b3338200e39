"""Loading a corpus fixture: validated first, then all-or-nothing, and idempotent.

Rows are matched on their natural keys (slugs, or ``key`` for rows without a slug), so loading
the same fixture twice changes nothing, and a broken fixture leaves the database as it was.
The corpus version moves with the load by itself: loaddata's rows fire the corpus tables'
triggers (corpus/version_triggers.py), once for the whole load on PostgreSQL.
"""

import json
from pathlib import Path

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from corpus.services.integrity import find_problems


class FixtureError(Exception):
    """A fixture that must not be loaded; its message names the file, object and field."""


def load_fixture(path: Path) -> int:
    """Validate and load one fixture inside a transaction; return the number of objects."""
    objects = _read(path)
    problems = list(_validate(path, objects))
    if problems:
        raise FixtureError("\n".join(problems))
    with transaction.atomic():
        try:
            call_command("loaddata", str(path), verbosity=0)
        except (DatabaseError, DeserializationError) as exc:  # a database constraint refused a row
            raise FixtureError(f"{path}: {exc}") from exc
        problems = find_problems()
        if problems:  # raising rolls the whole load back
            raise FixtureError(f"{path}: after loading, the corpus is inconsistent:\n" + "\n".join(problems))
    return len(objects)


def _read(path: Path) -> list[dict]:
    try:
        objects = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FixtureError(f"{path}: cannot be read as JSON: {exc}") from exc
    if not isinstance(objects, list):
        raise FixtureError(f"{path}: must hold a list of objects")
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
