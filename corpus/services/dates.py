"""Keeping an event's own date in step with its preferred date statement."""

from django.db import transaction

from corpus.models import DateStatement, Event


@transaction.atomic
def sync_event_date(event: Event) -> Event:
    """Copy the preferred statement's date onto the event (or clear it when none is preferred)."""
    preferred = event.date_statements.filter(is_preferred=True).first()
    if preferred is None:
        event.set_date("", "")
    else:
        event.set_date(preferred.date_edtf, preferred.date_text)
    event.save(update_fields=["date_edtf", "date_text", "date_earliest", "date_latest", "date_precision"])
    return event


@transaction.atomic
def prefer_statement(statement: DateStatement) -> Event:
    """Make one statement the preferred one for its event, and date the event by it."""
    DateStatement.objects.filter(event=statement.event, is_preferred=True).exclude(pk=statement.pk).update(is_preferred=False)
    if not statement.is_preferred:
        statement.is_preferred = True
        statement.save(update_fields=["is_preferred"])
    return sync_event_date(statement.event)
