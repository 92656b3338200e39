"""Conditional GET and the response cache are keyed by the corpus version: no stale response after a write."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from corpus.models import Actor, CorpusVersion, DatabaseEpoch

pytestmark = pytest.mark.django_db

URL = "/api/v1/actors/nato/"


def test_get_has_etag_last_modified_and_public_cache_control(api_client):
    response = api_client.get(URL)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert response["Cache-Control"].startswith("public")


def test_if_none_match_gets_304_without_a_body(api_client, django_assert_max_num_queries):
    etag = api_client.get(URL)["ETag"]
    with django_assert_max_num_queries(1):  # the corpus version only: no view runs
        response = api_client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_gets_304_until_the_corpus_changes(api_client):
    last_modified = api_client.get(URL)["Last-Modified"]
    assert api_client.get(URL, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    CorpusVersion.objects.filter(id=1).update(changed_at=CorpusVersion.current().changed_at.replace(year=2100))
    assert api_client.get(URL, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


@override_settings(API_CACHE_SECONDS=300)
def test_a_write_invalidates_cached_responses_and_etags(api_client, committed):
    first = api_client.get(URL)
    assert first.json()["name"] == "NATO"
    assert api_client.get(URL).content == first.content  # served from the cache
    actor = Actor.objects.get(slug="nato")
    actor.name = "North Atlantic Treaty Organization (renamed in a test)"
    actor.save()
    committed()
    second = api_client.get(URL)
    assert second.json()["name"] == actor.name
    assert second["ETag"] != first["ETag"]
    assert api_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def bulk_update(name):
    Actor.objects.filter(slug="nato").update(name=name)  # no save(), no signal: one UPDATE


def raw_sql_update(name):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE corpus_actor SET name = %s WHERE slug = 'nato'", [name])


@override_settings(API_CACHE_SECONDS=300, API_COUNT_CACHE_SECONDS=300)
@pytest.mark.parametrize("write", [bulk_update, raw_sql_update])
def test_bulk_and_raw_sql_writes_invalidate_cached_responses_too(api_client, committed, write):
    first, listed = api_client.get(URL), api_client.get("/api/v1/actors/", {"q": "Zyzzyva"})
    assert listed.json()["count"] == 0
    assert api_client.get(URL).content == first.content  # served from the cache
    before = CorpusVersion.read().version
    write("Zyzzyva Alliance (renamed in bulk)")
    committed()
    assert CorpusVersion.read().version > before
    second = api_client.get(URL)
    assert second.json()["name"] == "Zyzzyva Alliance (renamed in bulk)"
    assert second["ETag"] != first["ETag"]
    relisted = api_client.get("/api/v1/actors/", {"q": "Zyzzyva"}).json()  # its count was cached too
    assert relisted["count"] == 1 and [actor["slug"] for actor in relisted["results"]] == ["nato"]


@override_settings(API_CACHE_SECONDS=300)
def test_an_alias_change_reaches_the_list_too(api_client, committed):
    before = api_client.get("/api/v1/actors/", {"page_size": 100})
    Actor.objects.get(slug="nato").aliases.create(name="The Alliance of Tests", kind="variant")
    committed()
    assert "The Alliance of Tests" in str(api_client.get("/api/v1/actors/nato/").json())
    after = api_client.get("/api/v1/actors/", {"page_size": 100}, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]


@override_settings(API_CACHE_SECONDS=300)
def test_cached_responses_keep_their_encoding_and_cors_headers(api_client):
    plain = api_client.get("/api/v1/actors/", {"page_size": 100})
    zipped = api_client.get("/api/v1/actors/", {"page_size": 100}, HTTP_ACCEPT_ENCODING="gzip")
    again = api_client.get("/api/v1/actors/", {"page_size": 100}, HTTP_ACCEPT_ENCODING="gzip", HTTP_ORIGIN="https://example.org")
    assert zipped["Content-Encoding"] == again["Content-Encoding"] == "gzip" and not plain.has_header("Content-Encoding")
    assert again.content == zipped.content  # the compressed body, from the cache
    assert again["Access-Control-Allow-Origin"] == "*"  # CORS runs outside the cache
    assert plain["ETag"] != zipped["ETag"]  # two representations, two entity tags


@override_settings(API_CACHE_SECONDS=300)
def test_signed_in_requests_bypass_the_cache(api_client, django_user_model):
    anonymous = api_client.get(URL, HTTP_ACCEPT="text/html")
    assert anonymous.has_header("ETag")
    api_client.force_login(django_user_model.objects.create_superuser("curator", password="x"))
    signed_in = api_client.get(URL, HTTP_ACCEPT="text/html")
    assert not signed_in.has_header("ETag")  # rendered for them, not from the anonymous cache
    assert b"curator" in signed_in.content


REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, flushed by these tests


@pytest.fixture
def redis_with_local_copies(settings):
    """The production cache (Redis, shared by the workers) with each process's copies in front of it."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-local"},
    }
    settings.API_CACHE_SECONDS = 300
    yield client
    client.flushdb()


def test_responses_cached_in_redis_are_kept_in_the_process_too(
    api_client, redis_with_local_copies, django_assert_max_num_queries
):
    from django.core.cache import caches

    first = api_client.get(URL)
    assert first.status_code == 200 and redis_with_local_copies.dbsize() > 0  # in Redis, for every worker
    caches["local"].clear()  # another worker: only Redis has it
    with django_assert_max_num_queries(1):  # the corpus version at most: no view runs
        assert api_client.get(URL).content == first.content
    redis_with_local_copies.flushdb()  # now only this process's copy is left
    with django_assert_max_num_queries(1):
        assert api_client.get(URL).content == first.content


def test_local_copies_are_never_stale_after_a_write(api_client, redis_with_local_copies, committed):
    assert api_client.get(URL).json()["name"] == "NATO"
    actor = Actor.objects.get(slug="nato")
    actor.name = "North Atlantic Treaty Organization"
    actor.save()
    committed()
    assert api_client.get(URL).json()["name"] == "North Atlantic Treaty Organization"


@override_settings(API_CACHE_SECONDS=300)
def test_a_restored_database_with_the_same_version_number_gets_no_stale_response_or_etag(api_client):
    """A restore brings old version numbers back: keyed by the version alone, a shared cache served the database
    as it was before the restore, and answered that state's ETag with 304."""
    first = api_client.get(URL)
    stamp = CorpusVersion.read()
    # The restore: another state of the corpus under the same version number, with its own epoch and time.
    Actor.objects.filter(slug="nato").update(name="NATO as restored")  # .update() bumps nothing, as a restore
    DatabaseEpoch.objects.filter(id=1).update(epoch=uuid.uuid4().hex)
    CorpusVersion.objects.filter(id=1).update(version=stamp.version, changed_at=stamp.changed_at - timedelta(days=1))
    assert CorpusVersion.read().version == stamp.version
    second = api_client.get(URL)
    assert second.json()["name"] == "NATO as restored"
    assert second["ETag"] != first["ETag"]
    assert api_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@override_settings(API_CACHE_SECONDS=300)
def test_new_epoch_makes_every_cached_response_and_etag_unreachable(api_client, committed):
    first = api_client.get(URL)
    epoch = DatabaseEpoch.objects.get().epoch
    call_command("new_epoch", verbosity=0)
    committed()  # its commit bumps the version, and so every process reads the new epoch
    assert DatabaseEpoch.objects.get().epoch != epoch
    response = api_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response["ETag"] != first["ETag"]


@override_settings(API_CACHE_SECONDS=300)
def test_the_cache_keeps_each_hosts_links(api_client):
    """The cache ignored the Host: one request with another Host changed the links every later client received."""
    elsewhere = api_client.get("/api/v1/actors/", {"page_size": 1}, HTTP_HOST="localhost")
    assert elsewhere.json()["next"].startswith("http://localhost/")
    here = api_client.get("/api/v1/actors/", {"page_size": 1})
    assert here.json()["next"].startswith("http://testserver/")
    assert here["ETag"] != elsewhere["ETag"]
