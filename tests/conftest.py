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


@pytest.fixture
def curator(client, django_user_model):
    """A test client signed in as a curator (a superuser), for the admin."""
    client.force_login(django_user_model.objects.create_superuser("curator", "curator@example.org", "a-long-password"))
    return client


@pytest.fixture
def edit_actor(curator):
    """``edit_actor(slug, **fields)``: the actor's change form in the admin, posted by the curator with ``fields`` changed."""
    from django.urls import reverse

    from corpus.models import Actor

    def edit(slug, **fields):
        actor = Actor.objects.get(slug=slug)
        url = reverse("admin:corpus_actor_change", args=[actor.pk])
        form = curator.get(url).context["adminform"].form
        data = {name: form.initial.get(name) or "" for name in form.fields}
        data.update({"citations": [c.pk for c in actor.citations.all()], **fields})
        for prefix in ("aliases", "affiliations"):
            data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
        return curator.post(url, data)

    return edit


@pytest.fixture
def committed():
    """A test's writes never commit, so on PostgreSQL the trigger that bumps the corpus version at COMMIT
    (corpus/version_triggers.py) never fires: call ``committed()`` where the writes would commit, before the
    requests that must see them. It fires the queued bump as COMMIT does and clears the transaction's flag,
    so that the next write bumps again, as the next transaction's would. On SQLite the triggers bumped already."""
    from django.db import connection

    from corpus.version_triggers import FLAG, TRIGGER

    def commit():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {TRIGGER} IMMEDIATE")
                cursor.execute(f"SET CONSTRAINTS {TRIGGER} DEFERRED")
                cursor.execute("SELECT set_config(%s, '', true)", [FLAG])

    return commit


@pytest.fixture(autouse=True)
def version_from_the_database(settings):
    """Tests' writes never commit, so a LISTEN/NOTIFY listener would not see them: read the version per request.
    tests/api/test_version_watch.py turns the listener on, with writes that commit."""
    settings.CORPUS_VERSION_LISTEN = False
