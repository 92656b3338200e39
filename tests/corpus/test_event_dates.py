"""An event's date is its preferred statement's, whatever writes the statements (migration 0007), and the
date services (corpus/services/dates.py) move, add and delete statements in one transaction each."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError

from corpus.models import DateStatement, Event
from corpus.services.dates import add_statement, delete_statement, prefer_statement, save_statement
from corpus.services.integrity import find_problems

pytestmark = pytest.mark.django_db

DISPUTED = "beginning-of-azerbaijan-nato-cooperation"  # three statements, one preferred
UNDATED = ("", "", None, None, "unknown")


def date_of(event_or_statement):
    obj = type(event_or_statement).objects.get(pk=event_or_statement.pk)
    return obj.date_edtf, obj.date_text, obj.date_earliest, obj.date_latest, obj.date_precision


@pytest.fixture
def event():
    return Event.objects.get(slug=DISPUTED)


def test_deleting_the_preferred_statement_with_a_queryset_undates_the_event(event):
    assert date_of(event) != UNDATED
    DateStatement.objects.filter(event=event, is_preferred=True).delete()
    assert date_of(event) == UNDATED
    assert find_problems() == []


def test_preferring_with_bulk_updates_redates_the_event(event):
    other = event.date_statements.filter(is_preferred=False).first()
    event.date_statements.update(is_preferred=False)
    assert date_of(event) == UNDATED
    DateStatement.objects.filter(pk=other.pk).update(is_preferred=True)
    assert date_of(event) == date_of(other)
    assert find_problems() == []


def test_rewording_the_preferred_statement_in_raw_sql_redates_the_event(event):
    preferred = event.date_statements.get(is_preferred=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE corpus_datestatement SET date_edtf = %s, date_text = %s, date_earliest = %s, date_latest = %s,"
            " date_precision = %s WHERE id = %s",
            ["1994", "in 1994", "1994-01-01", "1994-12-31", "year", preferred.pk],
        )
    assert date_of(event) == ("1994", "in 1994", dt.date(1994, 1, 1), dt.date(1994, 12, 31), "year")


def test_moving_the_preferred_statement_to_another_event_redates_both(event):
    preferred = event.date_statements.get(is_preferred=True)
    undated = Event.objects.filter(date_statements__isnull=True).first()
    DateStatement.objects.filter(pk=preferred.pk).update(event=undated)
    assert date_of(event) == UNDATED
    assert date_of(undated) == date_of(preferred)


def test_writing_an_events_date_directly_changes_nothing(event):
    before = date_of(event)
    Event.objects.filter(pk=event.pk).update(date_edtf="1066", date_text="in 1066")
    event.date_edtf = "1999"
    event.save()
    assert date_of(event) == before
    created = Event.objects.create(slug="new-event", title="New", type="meeting", date_edtf="2001", date_text="2001")
    assert date_of(created) == UNDATED


def test_an_event_with_its_statements_can_be_deleted_once_they_are(event):
    with pytest.raises(ProtectedError):  # its statements are curated facts: not deleted silently (migration 0012)
        event.delete()
    for related in (event.date_statements, event.participations, event.mentions, event.quotes):
        related.all().delete()
    event.delete()
    assert not DateStatement.objects.filter(event_id=event.pk).exists()


def test_preferring_a_statement_moves_the_preference_and_records_both_changes(event):
    previous = event.date_statements.get(is_preferred=True)
    other = event.date_statements.filter(is_preferred=False).first()
    redated = prefer_statement(other)
    assert (redated.date_edtf, redated.date_earliest) == (other.date_edtf, other.date_earliest)  # refreshed in memory
    assert list(event.date_statements.filter(is_preferred=True)) == [other]
    assert previous.history.first().is_preferred is False


def test_saving_a_statement_as_preferred_moves_the_preference(event):
    other = event.date_statements.filter(is_preferred=False).first()
    other.is_preferred, other.date_edtf, other.date_text = True, "1992-05", "May 1992"
    save_statement(other)
    other.refresh_from_db()
    assert (other.date_earliest, other.date_precision) == (dt.date(1992, 5, 1), "month")
    assert list(event.date_statements.filter(is_preferred=True)) == [other]
    assert date_of(event) == date_of(other)


def test_adding_a_preferred_statement_dates_the_event(event):
    citation = event.date_statements.first().citations.first()
    statement = add_statement(event, date_edtf="1993~", date_text="around 1993", citations=[citation], is_preferred=True)
    assert date_of(event) == date_of(statement)
    assert list(statement.citations.all()) == [citation]
    assert event.date_statements.filter(is_preferred=True).get() == statement


@pytest.mark.parametrize("edtf, cited", [("sometime", True), ("1993", False)], ids=["bad-edtf", "no-citation"])
def test_a_refused_statement_writes_nothing(event, edtf, cited):
    before, statements = date_of(event), event.date_statements.count()
    citations = [event.date_statements.first().citations.first()] if cited else []
    with pytest.raises(ValidationError):
        add_statement(event, date_edtf=edtf, citations=citations, is_preferred=True)
    assert date_of(event) == before
    assert event.date_statements.count() == statements
    assert event.date_statements.filter(is_preferred=True).count() == 1


def test_deleting_the_preferred_statement_reports_the_event_left_undated(event):
    deletion = delete_statement(event.date_statements.get(is_preferred=True))
    assert (deletion.was_preferred, deletion.left_undated) == (True, True)
    assert deletion.event.date_edtf == "" and date_of(event) == UNDATED
    assert event.date_statements.exists()


def test_deleting_another_statement_keeps_the_date(event):
    before = date_of(event)
    deletion = delete_statement(event.date_statements.filter(is_preferred=False).first())
    assert (deletion.was_preferred, deletion.left_undated) == (False, False)
    assert date_of(event) == before
