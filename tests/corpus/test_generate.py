"""The synthetic corpus of the benchmarks: valid beside the seeds, the same rows for the same seed."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from corpus.models import Actor, Article, Citation, CorpusVersion, DateStatement, Event, Mention, Quote
from corpus.services.integrity import find_problems
from corpus.services.synthetic import PREFIX, delete_synthetic, generate

pytestmark = pytest.mark.django_db


def digest() -> str:
    """Every synthetic row that matters, ids included: equal digests mean the same corpus."""
    parts = [
        Article.objects.filter(slug__startswith=PREFIX).values_list(
            "pk", "slug", "title", "source__slug", "published_at", "body_sha256"
        ),
        Actor.objects.filter(slug__startswith=PREFIX).values_list("pk", "slug", "name", "kind", "country__slug"),
        Mention.objects.filter(key__startswith=PREFIX).values_list("pk", "key", "actor__slug", "start", "end"),
        Citation.objects.filter(key__startswith=PREFIX).values_list("pk", "key", "excerpt"),
        Event.objects.filter(slug__startswith=PREFIX).values_list("pk", "slug", "title", "date_edtf", "date_earliest"),
        DateStatement.objects.filter(key__startswith=PREFIX).values_list("pk", "key", "is_preferred", "date_edtf"),
    ]
    return hashlib.sha256(repr([list(rows.order_by("pk")) for rows in parts]).encode()).hexdigest()


def test_generated_corpus_is_consistent_beside_the_seeds(committed):
    version = CorpusVersion.current().version
    call_command("generate_corpus", articles=40, actors=10, seed=3, verbosity=0)
    assert find_problems() == []  # citation and mention offsets, dates, orphans, duplicate names
    assert Article.objects.filter(slug__startswith=PREFIX).count() == 40
    assert Mention.objects.filter(key__startswith=PREFIX).count() == 40 * 5
    assert Event.objects.filter(slug__startswith=PREFIX).exists() and Quote.objects.filter(key__startswith=PREFIX).exists()
    assert all(
        2400 <= len(body) <= 4000 for body in Article.objects.filter(slug__startswith=PREFIX).values_list("body", flat=True)
    )
    committed()
    if connection.vendor == "postgresql":
        assert CorpusVersion.current().version == version + 1  # bumped once for the whole load, by the tables' triggers
    else:
        assert CorpusVersion.current().version > version  # SQLite's triggers bump per row


def test_same_seed_same_corpus_and_another_seed_another():
    generate(articles=20, actors=10, seed=5)
    first = digest()
    delete_synthetic()
    assert not Article.objects.filter(slug__startswith=PREFIX).exists()
    assert not Actor.objects.filter(slug__startswith=PREFIX).exists()
    generate(articles=20, actors=10, seed=5)
    assert digest() == first
    delete_synthetic()
    generate(articles=20, actors=10, seed=6)
    assert digest() != first


def test_generating_twice_needs_replace():
    call_command("generate_corpus", articles=5, actors=10, verbosity=0)
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_corpus", articles=5, actors=10, verbosity=0)
    call_command("generate_corpus", articles=6, actors=10, replace=True, verbosity=0)
    assert Article.objects.filter(slug__startswith=PREFIX).count() == 6
    assert find_problems() == []


def test_the_search_index_is_built_again_after_the_load():
    """The RUM index (corpus migration 0005) is set aside during the load, then found by search as before."""
    from corpus.services.search_index import rum_index_definition
    from tests.api.helpers import search

    before = rum_index_definition()
    if not before:
        pytest.skip("no RUM index here (SQLite, or PostgreSQL without the rum extension)")
    generate(articles=20, actors=10, seed=5)
    assert rum_index_definition() == before
    word = Article.objects.filter(slug__startswith=PREFIX).values_list("title", flat=True)[0].split()[-1]
    assert any(hit["article"]["slug"].startswith(PREFIX) for hit in search(word, limit=50)["articles"])
