"""Writing date statements: the one way an event's date changes.

The database keeps an event's date columns equal to its preferred statement's (triggers of
migration 0008), whatever writes the statements. These functions hold the rules around that,
each in one transaction, for the admin and any later writer:

- a statement's bounds and precision are parsed from its EDTF, and it cites at least one passage;
- preferring a statement moves the preference: the event's previous preferred one is unticked;
- deleting the preferred statement leaves the event undated, with its other statements kept
  unpreferred: which one is right is a curator's call, so the deletion reports it
  (``Deletion.left_undated``) instead of preferring one by itself or refusing.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from corpus.models import Citation, DateStatement, Event

EVENT_DATE_FIELDS = ["date_edtf", "date_text", "date_earliest", "date_latest", "date_precision"]


@dataclass(frozen=True)
class Deletion:
    """What deleting a statement did to its event (``event`` holds its date as the database now has it)."""

    event: Event
    was_preferred: bool
    left_undated: bool  # it was preferred and the event's other statements are all unpreferred


@transaction.atomic
def save_statement(statement: DateStatement, citations: Iterable[Citation] | None = None) -> DateStatement:
    """Add or change a statement as its fields now stand (a form has set them); ``citations`` replace its own.

    A statement saved as preferred becomes its event's preferred one. Raises ValidationError
    (a bad EDTF, no citation) with nothing written.
    """
    if statement.is_preferred:  # first, or the one-preferred constraint would refuse the move
        _unprefer_others(statement)
    statement.full_clean()  # parses the EDTF into bounds and precision
    if citations is not None:
        citations = list(citations)
    if not citations and (citations is not None or statement._state.adding):  # emptied, or new without any
        raise ValidationError({"citations": "A date statement cites at least one passage."})
    statement.save()
    if citations is not None:
        statement.citations.set(citations)
    _refresh_event_date(statement.event)
    return statement


def add_statement(
    event: Event,
    *,
    date_edtf: str,
    citations: Iterable[Citation],
    date_text: str = "",
    note: str = "",
    is_preferred: bool = False,
) -> DateStatement:
    """A new statement on ``event``; preferred, it dates the event."""
    statement = DateStatement(event=event, date_edtf=date_edtf, date_text=date_text, note=note, is_preferred=is_preferred)
    return save_statement(statement, citations)


@transaction.atomic
def prefer_statement(statement: DateStatement) -> Event:
    """Make ``statement`` its event's preferred one (unticking the previous); return the event, redated."""
    _unprefer_others(statement)
    if not statement.is_preferred:
        statement.is_preferred = True
        statement.save(update_fields=["is_preferred"])
    return _refresh_event_date(statement.event)


@transaction.atomic
def delete_statement(statement: DateStatement) -> Deletion:
    """Delete one statement; deleting the preferred one leaves its event undated (see the module)."""
    event = statement.event
    was_preferred = DateStatement.objects.filter(pk=statement.pk, is_preferred=True).exists()  # not a stale copy
    statement.delete()
    _refresh_event_date(event)
    left_undated = was_preferred and not event.date_statements.filter(is_preferred=True).exists()
    return Deletion(event, was_preferred, left_undated and event.date_statements.exists())


@transaction.atomic
def delete_statements(statements: Iterable[DateStatement]) -> list[Deletion]:
    """Delete several statements (the admin's bulk action), one transaction for all."""
    return [delete_statement(statement) for statement in statements]


def _unprefer_others(statement: DateStatement) -> None:
    others = DateStatement.objects.filter(event_id=statement.event_id, is_preferred=True)
    if statement.pk is not None:
        others = others.exclude(pk=statement.pk)
    for other in others:  # one by one, so each keeps its history
        other.is_preferred = False
        other.save(update_fields=["is_preferred"])


def _refresh_event_date(event: Event) -> Event:
    """The in-memory event takes the date the database gave it."""
    event.refresh_from_db(fields=EVENT_DATE_FIELDS)
    return event
