"""Deletes never orphan: deleting something that curated facts depend on is refused with the list of dependants.

Foreign keys from curated facts are PROTECT (migration 0012), so Django's collector refuses those
deletions itself and the admin lists the protected rows. What a foreign key cannot say is the other
direction of the many-to-many ``citations``: deleting the only fact a citation supports would leave
the citation citing nothing (``check_corpus``: "cites no fact"). ``orphaned_citations`` finds those;
the admin lists them beside Django's protected rows and ``delete_guarded`` refuses them.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import ProtectedError

from corpus.models import Citation

# Every relation through which a fact cites a passage (Citation's reverse accessors).
CITING = ("actors", "affiliations", "participations", "programmes", "events", "event_participations", "date_statements")


def orphaned_citations(objs: Iterable[models.Model]) -> list[Citation]:
    """The citations that only ``objs`` (about to be deleted) cite."""
    objs = list(objs)
    deleting: dict[type, set] = {}
    for obj in objs:
        deleting.setdefault(type(obj), set()).add(obj.pk)
    candidates = {
        citation
        for obj in objs
        if any(f.name == "citations" and f.many_to_many for f in obj._meta.get_fields())
        for citation in obj.citations.all()
    }
    orphans = []
    for citation in sorted(candidates, key=lambda c: (c.article_id, c.start)):
        if hasattr(citation, "quote"):
            continue  # a quote rests on it
        cited_elsewhere = any(
            getattr(citation, relation).exclude(pk__in=deleting.get(getattr(citation, relation).model, ())).exists()
            for relation in CITING
        )
        if not cited_elsewhere:
            orphans.append(citation)
    return orphans


def describe_orphan(citation: Citation) -> str:
    return f"Citation {citation} “{citation.excerpt[:60]}”: nothing else cites it (cite it from another fact, or delete it first)"


@transaction.atomic
def delete_guarded(obj: models.Model) -> None:
    """Delete ``obj``, or raise ProtectedError naming what depends on it (PROTECT rows, or citations it alone supports)."""
    orphans = orphaned_citations([obj])
    if orphans:
        raise ProtectedError(
            f"Deleting {obj} would leave citations citing nothing: " + "; ".join(map(describe_orphan, orphans)), set(orphans)
        )
    obj.delete()
