"""Curation never corrupts the corpus: article bodies and the passages pointing into them, through the real admin."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from corpus.models import Article, Citation, Mention
from corpus.services.integrity import find_problems
from tests.corpus.browser_form import submitted

pytestmark = pytest.mark.django_db

SLUG = "azerbaijan-and-nato-strategic-partnership-in-progress"  # 48 citations, 119 mentions, 44 line breaks


@pytest.fixture
def curator(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "curator@example.org", "a-long-password")
    client.force_login(user)
    return client


def passages(article):
    """Every citation's and mention's offsets and text, by kind and key."""
    return {
        **{("citation", c.key): (c.start, c.end, c.excerpt) for c in Citation.objects.filter(article=article)},
        **{("mention", m.key): (m.start, m.end, m.text) for m in Mention.objects.filter(article=article)},
    }


def assert_every_passage_is_the_bodys_text(article):
    article.refresh_from_db()
    for key, (start, end, text) in passages(article).items():
        assert article.body[start:end] == text, key
    assert find_problems() == []


def browser_post(curator, article, edit=None):
    """Open the article's change page and submit its form as a browser would (``\\r\\n`` line endings), after ``edit``."""
    url = reverse("admin:corpus_article_change", args=[article.pk])
    data = submitted(curator.get(url).content.decode(), "article_form")
    assert "\r\n" in data["body"]
    if edit:
        data["body"] = edit(data["body"])
    return curator.post(url, data)


def form_errors(response) -> str:
    assert response.status_code == 200, "the save was not refused"
    return str(response.context["adminform"].form.errors) + str(response.context["errors"])


def test_an_unchanged_save_of_a_cited_article_keeps_its_body_and_every_offset(curator):
    article = Article.objects.get(slug=SLUG)
    before, body, history = passages(article), article.body, article.history.count()
    response = browser_post(curator, article)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.body == body  # not \r\n
    assert passages(article) == before
    assert article.history.count() == history + 1
    assert_every_passage_is_the_bodys_text(article)


def test_a_real_edit_of_a_cited_article_re_anchors_every_offset(curator):
    article = Article.objects.get(slug=SLUG)
    before = passages(article)
    note = "Editor's note: this article was corrected.\r\n\r\n"
    middle = len(article.body) // 2
    paragraph = article.body.index("\n", middle)  # a paragraph break after the middle: add a sentence there

    def edit(body):
        crlf_paragraph = paragraph + body[:paragraph].count("\n")  # the same place in the \r\n text
        return note + body[:crlf_paragraph] + " A sentence added by a curator." + body[crlf_paragraph:]

    response = browser_post(curator, article, edit)
    assert response.status_code == 302, form_errors(response)
    assert_every_passage_is_the_bodys_text(article)
    after = passages(article)
    shift = len(note) - 2  # the note's two \r\n are stored as \n
    for key, (start, end, text) in before.items():
        moved = shift + (len(" A sentence added by a curator.") if start >= paragraph else 0)
        assert after[key] == (start + moved, end + moved, text), key
    citation = Citation.objects.filter(article=article).first()
    assert citation.history.first().start == citation.start  # the move is in the citation's history


def test_an_edit_deleting_a_cited_passage_is_refused_naming_it(curator):
    article = Article.objects.get(slug=SLUG)
    citation = Citation.objects.filter(article=article).order_by("-end").first()
    body, before = article.body, passages(article)
    removed = citation.excerpt.replace("\n", "\r\n")
    response = browser_post(curator, article, lambda body: body.replace(removed, ""))
    errors = form_errors(response)
    assert f"citation {citation.key} [" in errors
    assert "removes or changes passages" in errors
    article.refresh_from_db()
    assert article.body == body
    assert passages(article) == before


def check_deferred_constraints():
    """What a commit would check (PostgreSQL's deferred constraint triggers); the test's transaction is rolled back."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_raw_sql_update_breaking_an_excerpt_is_refused_by_the_database():
    citation = Citation.objects.filter(article__slug=SLUG).first()
    with pytest.raises(IntegrityError, match="text_in_body"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute('UPDATE corpus_citation SET start = start + 1, "end" = "end" + 1 WHERE id = %s', [citation.pk])
        check_deferred_constraints()


def test_a_raw_sql_update_breaking_a_mentions_text_is_refused_by_the_database():
    mention = Mention.objects.filter(article__slug=SLUG).first()
    with pytest.raises(IntegrityError, match="text_in_body"), transaction.atomic():
        with connection.cursor() as cursor:
            sql = 'UPDATE corpus_mention SET text = upper(text) || \'x\', "end" = "end" + 1 WHERE id = %s'
            cursor.execute(sql, [mention.pk])
        check_deferred_constraints()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite cannot defer a trigger: the service checks bodies")
def test_a_raw_sql_body_update_shifting_passages_is_refused_by_postgresql():
    article = Article.objects.get(slug=SLUG)
    with pytest.raises(IntegrityError, match="is not its article's text"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE corpus_article SET body = 'Prefix. ' || body WHERE id = %s", [article.pk])
        check_deferred_constraints()


def test_re_anchoring_in_one_transaction_passes_the_database_checks():
    from corpus.services.bodies import save_article

    article = Article.objects.get(slug=SLUG)
    article.body = "Prefix.\r\n" + article.body.replace("\n", "\r\n")
    with transaction.atomic():
        assert len(save_article(article)) == len(passages(article))
        check_deferred_constraints()
    assert_every_passage_is_the_bodys_text(article)


def test_loading_an_article_with_crlf_line_endings_stores_them_as_newlines(tmp_path):
    import json

    from django.core.management import call_command

    from corpus.models.articles import checksum
    from tests.conftest import CORPUS_FIXTURE

    seed = next(o for o in json.loads(CORPUS_FIXTURE.read_text(encoding="utf-8")) if o["model"] == "corpus.article")
    fields = {**seed["fields"], "slug": "crlf-article", "body": "First paragraph.\r\n\r\nSecond.\rThird."}
    path = tmp_path / "crlf.json"
    path.write_text(json.dumps([{"model": "corpus.article", "fields": fields}]), encoding="utf-8")
    call_command("load_corpus", str(path), verbosity=0)
    article = Article.objects.get(slug="crlf-article")
    assert article.body == "First paragraph.\n\nSecond.\nThird."
    assert article.body_sha256 == checksum(article.body)


def test_a_save_over_a_newer_version_is_refused_showing_what_changed(client, django_user_model):
    from django.test import Client

    from corpus.models import Actor

    first, second = client, Client()
    first.force_login(django_user_model.objects.create_superuser("first", "first@example.org", "a-long-password"))
    second.force_login(django_user_model.objects.create_superuser("second", "second@example.org", "a-long-password"))
    actor = Actor.objects.get(slug="nato")
    url = reverse("admin:corpus_actor_change", args=[actor.pk])
    first_form = submitted(first.get(url).content.decode(), "actor_form")
    second_form = submitted(second.get(url).content.decode(), "actor_form")
    assert first_form["read_version"] == second_form["read_version"] != ""

    response = first.post(url, {**first_form, "description": "Edited by the first curator."})
    assert response.status_code == 302, form_errors(response)
    response = second.post(url, {**second_form, "name": "NATO (renamed by the second curator)"})
    errors = form_errors(response)
    assert "changed by first" in errors
    assert "description (now “Edited by the first curator.”)" in errors
    assert "not saved" in errors
    actor.refresh_from_db()
    assert (actor.name, actor.description) == ("NATO", "Edited by the first curator.")  # the first change is kept

    reopened = submitted(second.get(url).content.decode(), "actor_form")  # reloading shows the first change; saving works
    assert reopened["description"] == "Edited by the first curator."
    response = second.post(url, {**reopened, "name": "NATO (renamed by the second curator)"})
    assert response.status_code == 302, form_errors(response)
    actor.refresh_from_db()
    assert (actor.name, actor.description) == ("NATO (renamed by the second curator)", "Edited by the first curator.")


def test_a_change_form_posted_without_its_version_is_refused(curator):
    article = Article.objects.get(slug=SLUG)
    url = reverse("admin:corpus_article_change", args=[article.pk])
    data = submitted(curator.get(url).content.decode(), "article_form")
    del data["read_version"]
    assert "does not say which version" in form_errors(curator.post(url, data))


# -- Deletes never orphan (migration 0012's PROTECT foreign keys, corpus.services.deletion) --


def test_deleting_an_actor_referenced_only_by_mentions_is_refused_listing_them(curator):
    from corpus.models import Actor

    china = Actor.objects.get(slug="china")  # named by mentions only; two citations cite only it
    mentions, citations = list(china.mentions.all()), list(china.citations.all())
    assert mentions and citations
    url = reverse("admin:corpus_actor_delete", args=[china.pk])
    for response in (curator.get(url), curator.post(url, {"post": "yes"})):
        assert response.status_code == 200
        page = response.content.decode()
        assert "would require deleting the following protected related objects" in page
        for mention in mentions:
            assert str(mention).replace("'", "&#x27;") in page
        for citation in citations:
            assert f"Citation {citation} " in page and "nothing else cites it" in page
    assert Actor.objects.filter(slug="china").exists()
    assert list(china.mentions.all()) == mentions and list(china.citations.all()) == citations
    with pytest.raises(ProtectedError) as excinfo, transaction.atomic():  # not a cascade, whoever deletes
        china.delete()
    assert set(excinfo.value.protected_objects) == set(mentions)


def test_the_bulk_delete_action_refuses_protected_objects_too(curator):
    from corpus.models import Actor

    china = Actor.objects.get(slug="china")
    response = curator.post(
        reverse("admin:corpus_actor_changelist"), {"action": "delete_selected", "_selected_action": [china.pk], "post": "yes"}
    )
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Actor.objects.filter(slug="china").exists()


def test_a_fact_that_alone_cites_a_passage_cannot_be_deleted_leaving_it_citing_nothing():
    from corpus.models import Actor
    from corpus.services.deletion import delete_guarded

    china = Actor.objects.get(slug="china")
    china.mentions.all().delete()  # what a curator would delete first; the citations are still its alone
    with pytest.raises(ProtectedError, match="would leave citations citing nothing") as excinfo:
        delete_guarded(china)
    assert set(excinfo.value.protected_objects) == set(china.citations.all())
    other = Actor.objects.get(slug="europe")
    other.citations.add(*china.citations.all())  # cited by another fact too: deleting china orphans nothing
    delete_guarded(china)
    assert not Actor.objects.filter(slug="china").exists()
    assert find_problems() == []


# -- Aliases: a name another actor or programme has is refused unless marked ambiguous --


def alias_inline_post(curator, actor, name, ambiguous=False):
    url = reverse("admin:corpus_actor_change", args=[actor.pk])
    data = submitted(curator.get(url).content.decode(), "actor_form")
    row = int(data["aliases-TOTAL_FORMS"])
    data.update({"aliases-TOTAL_FORMS": str(row + 1), f"aliases-{row}-name": name, f"aliases-{row}-kind": "acronym"})
    data[f"aliases-{row}-language"] = "en"
    if ambiguous:
        data[f"aliases-{row}-is_ambiguous"] = "on"
    return curator.post(url, data)


def test_an_alias_another_actor_already_has_is_refused_naming_it(curator):
    from corpus.models import Actor, Alias

    azerbaijan = Actor.objects.get(slug="azerbaijan")
    taken = Alias.objects.filter(actor__slug="nato", is_ambiguous=False).first()
    spelled_otherwise = taken.name.upper() if taken.name != taken.name.upper() else taken.name.lower()  # normalised alike
    response = alias_inline_post(curator, azerbaijan, spelled_otherwise)
    assert response.status_code == 200
    page = response.content.decode()
    assert "already names actor “NATO”" in page.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert not azerbaijan.aliases.filter(name=spelled_otherwise).exists()

    response = alias_inline_post(curator, azerbaijan, spelled_otherwise, ambiguous=True)
    assert response.status_code == 302, form_errors(response)
    assert azerbaijan.aliases.get(name=spelled_otherwise).is_ambiguous


def test_an_alias_that_is_another_actors_name_is_refused(curator):
    from corpus.models import Actor

    response = alias_inline_post(curator, Actor.objects.get(slug="azerbaijan"), "turkiye")  # Türkiye's, accents aside
    assert response.status_code == 200
    assert "already names actor" in response.content.decode()


def test_the_database_refuses_an_unambiguous_alias_another_owner_has():
    from corpus.models import Actor, Alias

    taken = Alias.objects.filter(actor__slug="nato", is_ambiguous=False).first()
    azerbaijan = Actor.objects.get(slug="azerbaijan")
    with pytest.raises(IntegrityError, match="corpus_alias_shared_is_ambiguous"), transaction.atomic():
        Alias.objects.create(actor=azerbaijan, name=taken.name, kind="acronym")
    Alias.objects.create(actor=azerbaijan, name=taken.name, kind="acronym", is_ambiguous=True)
