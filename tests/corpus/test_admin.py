"""Curators can browse, search and open every model in the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from corpus.models import Actor, Citation, Event
from corpus.services.versions import read_version

pytestmark = pytest.mark.django_db


CORPUS_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "corpus"]


def test_every_corpus_model_is_registered():
    from django.apps import apps

    from corpus.models import BOOKKEEPING

    # History rows, the cache-version counter, seed marks and the epoch are bookkeeping, not content a curator edits.
    models = {m for m in apps.get_app_config("corpus").get_models() if not m.__name__.startswith("Historical")}
    assert {m for m in models if m.__name__ not in BOOKKEEPING} == set(CORPUS_ADMINS)


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
         "note": current.note, "citations": [c.pk for c in current.citations.all()], "read_version": read_version(current)},
    )  # fmt: skip
    url = reverse("admin:corpus_datestatement_change", args=[other.pk])
    response = curator.post(
        url,
        {"event": event.pk, "date_edtf": other.date_edtf, "date_text": other.date_text, "is_preferred": "on",
         "note": other.note, "citations": [c.pk for c in other.citations.all()], "read_version": read_version(other)},
    )  # fmt: skip
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.date_edtf == other.date_edtf


# -- Date statements: the event's date stays true through every admin path (corpus.services.dates) --

DISPUTED = "beginning-of-azerbaijan-nato-cooperation"  # three statements, one preferred


def unchanged_post(response) -> dict:
    """The POST data that saves a change form as it was shown: the form's and every inline's values."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-TOTAL_FORMS": len(formset.forms), f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count()}
        )
        forms += formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def statement_row(data: dict, statement) -> str:
    """The inline prefix ("date_statements-1") of ``statement``'s row in the posted data."""
    return next(name.removesuffix("-id") for name, value in data.items() if name.endswith("-id") and value == statement.pk)


def event_change(curator, event):
    url = reverse("admin:corpus_event_change", args=[event.pk])
    return url, unchanged_post(curator.get(url))


def event_date(event):
    return Event.objects.values_list("date_edtf", "date_earliest", "date_precision").get(pk=event.pk)


def warnings(response):
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_the_admin_delete_view_of_the_preferred_statement_undates_the_event(curator):
    event = Event.objects.get(slug=DISPUTED)
    preferred = event.date_statements.get(is_preferred=True)
    response = curator.post(reverse("admin:corpus_datestatement_delete", args=[preferred.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert event_date(event) == ("", None, "unknown")
    assert event.date_statements.count() >= 2
    assert any("has no date now" in w for w in warnings(response))


def test_the_admin_bulk_delete_of_the_preferred_statement_undates_the_event(curator):
    event = Event.objects.get(slug=DISPUTED)
    preferred = event.date_statements.get(is_preferred=True)
    data = {"action": "delete_selected", "_selected_action": [preferred.pk], "post": "yes"}
    response = curator.post(reverse("admin:corpus_datestatement_changelist"), data)
    assert response.status_code == 302
    assert event_date(event) == ("", None, "unknown")


def test_the_inline_delete_checkbox_on_the_preferred_statement_undates_the_event(curator):
    event = Event.objects.get(slug=DISPUTED)
    url, data = event_change(curator, event)
    data[f"{statement_row(data, event.date_statements.get(is_preferred=True))}-DELETE"] = "on"
    response = curator.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert event_date(event) == ("", None, "unknown")
    assert not event.date_statements.filter(is_preferred=True).exists()
    assert any("has no date now" in w for w in warnings(response))


def test_deleting_the_preferred_statement_and_ticking_another_in_one_save_redates_the_event(curator):
    event = Event.objects.get(slug=DISPUTED)
    preferred = event.date_statements.get(is_preferred=True)
    other = event.date_statements.filter(is_preferred=False).first()
    url, data = event_change(curator, event)
    data[f"{statement_row(data, preferred)}-DELETE"] = "on"
    data[f"{statement_row(data, other)}-is_preferred"] = "on"
    response = curator.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert event_date(event) == (other.date_edtf, other.date_earliest, other.date_precision)
    assert not warnings(response)


def test_moving_the_preferred_tick_in_the_inline_redates_the_event(curator):
    event = Event.objects.get(slug=DISPUTED)
    preferred = event.date_statements.get(is_preferred=True)
    other = event.date_statements.filter(is_preferred=False).first()
    url, data = event_change(curator, event)
    del data[f"{statement_row(data, preferred)}-is_preferred"]
    data[f"{statement_row(data, other)}-is_preferred"] = "on"
    response = curator.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(event.date_statements.filter(is_preferred=True)) == [other]
    assert event_date(event) == (other.date_edtf, other.date_earliest, other.date_precision)


def test_two_statements_ticked_preferred_in_one_save_is_a_form_error_naming_them(curator):
    event = Event.objects.get(slug=DISPUTED)
    event.date_statements.update(is_preferred=False)  # undated: nothing in the database to clash with
    first, second = event.date_statements.all()[:2]
    url, data = event_change(curator, event)
    data[f"{statement_row(data, first)}-is_preferred"] = "on"
    data[f"{statement_row(data, second)}-is_preferred"] = "on"
    response = curator.post(url, data)
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["errors"])
    assert "Only one date statement can be preferred" in errors
    for statement in (first, second):
        assert (statement.date_text or statement.date_edtf) in errors
    assert not event.date_statements.filter(is_preferred=True).exists()
    assert event_date(event) == ("", None, "unknown")


def test_a_citation_whose_excerpt_is_not_the_articles_text_is_a_form_error(curator):
    citation = Citation.objects.first()
    url = reverse("admin:corpus_citation_change", args=[citation.pk])
    data = unchanged_post(curator.get(url))
    data.update(start=citation.start + 1, end=citation.end + 1)  # the same excerpt, shifted one character
    response = curator.post(url, data)
    assert response.status_code == 200
    assert "not the article&#x27;s text" in response.content.decode()
    citation.refresh_from_db()
    assert citation.matches_article()
    data.update(excerpt=citation.article.body[citation.start + 1 : citation.end + 1])
    assert curator.post(url, data).status_code == 302


def test_ticking_preferred_on_another_statement_in_its_admin_moves_the_preference(curator):
    event = Event.objects.get(slug=DISPUTED)
    previous = event.date_statements.get(is_preferred=True)
    other = event.date_statements.filter(is_preferred=False).first()
    url = reverse("admin:corpus_datestatement_change", args=[other.pk])
    data = unchanged_post(curator.get(url))
    data["is_preferred"] = "on"
    response = curator.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(event.date_statements.filter(is_preferred=True)) == [other]
    assert event_date(event) == (other.date_edtf, other.date_earliest, other.date_precision)
    assert previous.history.first().is_preferred is False
