"""Curators can browse, search and open every model in the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from corpus.models import Actor, Event

pytestmark = pytest.mark.django_db


CORPUS_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "corpus"]


def test_every_corpus_model_is_registered():
    from django.apps import apps

    from corpus.models import CorpusVersion

    # History rows and the cache-version counter are bookkeeping, not content a curator edits.
    models = {m for m in apps.get_app_config("corpus").get_models() if not m.__name__.startswith("Historical")}
    assert models - {CorpusVersion} == set(CORPUS_ADMINS)


@pytest.mark.parametrize("model", CORPUS_ADMINS, ids=lambda m: m.__name__)
def test_changelist_and_change_page_open(curator, model):
    opts = model._meta
    response = curator.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model.objects.first()
    assert obj is not None, f"the seed corpus has no {opts.model_name}"
    response = curator.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200
    assert str(obj)[:20].replace("&", "&amp;").replace("'", "&#x27;") in response.content.decode()


def test_actor_search_finds_by_alias(curator):
    response = curator.get(reverse("admin:corpus_actor_changelist"), {"q": "Türkiye"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("slug", flat=True)) == ["turkey"]


def test_autocomplete_serves_actors(curator):
    response = curator.get(
        reverse("admin:autocomplete"),
        {"app_label": "corpus", "model_name": "event", "field_name": "country", "term": "Azerb"},
    )
    assert response.status_code == 200
    assert "azerbaijan" in {r["text"].lower() for r in response.json()["results"]}


def test_an_edit_in_the_admin_is_recorded_in_history(edit_actor):
    response = edit_actor("nato", description="Edited by a curator.")
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    latest = Actor.objects.get(slug="nato").history.first()
    assert latest.description == "Edited by a curator."
    assert latest.history_user.username == "curator"


def test_changing_a_preferred_date_in_the_admin_redates_the_event(curator):
    event = Event.objects.get(slug="beginning-of-azerbaijan-nato-cooperation")
    other = event.date_statements.filter(is_preferred=False).first()
    current = event.date_statements.get(is_preferred=True)
    url = reverse("admin:corpus_datestatement_change", args=[current.pk])
    curator.post(
        url,
        {"event": event.pk, "date_edtf": current.date_edtf, "date_text": current.date_text, "is_preferred": "",
         "note": current.note, "citations": [c.pk for c in current.citations.all()]},
    )  # fmt: skip
    url = reverse("admin:corpus_datestatement_change", args=[other.pk])
    response = curator.post(
        url,
        {"event": event.pk, "date_edtf": other.date_edtf, "date_text": other.date_text, "is_preferred": "on",
         "note": other.note, "citations": [c.pk for c in other.citations.all()]},
    )  # fmt: skip
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.date_edtf == other.date_edtf
