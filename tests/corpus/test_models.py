"""Invariants live in the database: constraints refuse what would corrupt the corpus."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from corpus.models import Actor, Alias, Article, Citation, DateStatement, Event, Programme
from corpus.services.dates import prefer_statement

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_citation_offsets_must_span_the_excerpt():
    article = Article.objects.first()
    refused(lambda: Citation.objects.create(article=article, start=0, end=3, excerpt="four", key="x"))
    refused(lambda: Citation.objects.create(article=article, start=5, end=5, excerpt="", key="y"))


def test_alias_belongs_to_exactly_one_owner():
    actor, programme = Actor.objects.first(), Programme.objects.first()
    refused(lambda: Alias.objects.create(actor=actor, programme=programme, name="Both", kind="variant"))
    refused(lambda: Alias.objects.create(name="Neither", kind="variant"))


def test_slugs_are_unique():
    refused(lambda: Actor.objects.create(slug="nato", name="Another NATO", kind="organisation"))


def test_an_event_has_at_most_one_preferred_date_statement():
    statement = DateStatement.objects.filter(is_preferred=True).first()
    refused(lambda: DateStatement.objects.create(event=statement.event, is_preferred=True, key="second"))


def test_a_date_cannot_end_before_it_starts():
    statement = DateStatement.objects.first()  # an event's date copies one (tests/corpus/test_event_dates.py)
    refused(
        lambda: DateStatement.objects.filter(pk=statement.pk).update(
            date_earliest=dt.date(2001, 1, 1), date_latest=dt.date(2000, 1, 1)
        )
    )


def test_an_article_without_date_or_source_must_say_why():
    article = Article.objects.filter(published_at__isnull=True).first()
    refused(lambda: Article.objects.filter(pk=article.pk).update(published_note=""))
    article = Article.objects.filter(source__isnull=True).first()
    refused(lambda: Article.objects.filter(pk=article.pk).update(source_note=""))


def test_preferring_another_statement_redates_the_event_and_keeps_both():
    event = Event.objects.get(slug="beginning-of-azerbaijan-nato-cooperation")
    other = event.date_statements.filter(is_preferred=False).first()
    prefer_statement(other)
    event.refresh_from_db()
    assert event.date_edtf == other.date_edtf
    assert event.date_statements.filter(is_preferred=True).get() == other
    assert event.date_statements.count() >= 3
