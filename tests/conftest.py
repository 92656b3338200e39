"""Shared fixtures: the real seed corpus, loaded once per test session into the test database."""

from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FIXTURE = ROOT / "fixtures" / "corpus.json"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test that uses the database sees the seed corpus; each test's changes roll back."""
    with django_db_blocker.unblock():
        call_command("load_corpus", str(CORPUS_FIXTURE), verbosity=0)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def fresh_api_cache():
    """Each test's writes roll back, and the corpus version with them: forget responses and list SQL cached meanwhile."""
    from django.core.cache import cache

    from api.v1 import statements

    cache.clear()
    statements.forget()


@pytest.fixture(autouse=True)
def version_from_the_database(settings):
    """Tests' writes never commit, so a LISTEN/NOTIFY listener would not see them: read the version per request.
    tests/api/test_version_watch.py turns the listener on, with writes that commit."""
    settings.CORPUS_VERSION_LISTEN = False
