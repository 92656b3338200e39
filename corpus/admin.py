"""The curators' admin: every model browsable, searchable and correctable, every change recorded."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from corpus.models import (
    Actor,
    Affiliation,
    Alias,
    Article,
    ArticleAuthor,
    Citation,
    DateStatement,
    Event,
    EventParticipant,
    Mention,
    Programme,
    ProgrammeParticipation,
    Quote,
    Source,
)
from corpus.services.bodies import normalize_body, plan_reanchoring, save_article
from corpus.services.dates import Deletion, delete_statement, delete_statements, save_statement
from corpus.services.deletion import delete_guarded, describe_orphan, orphaned_citations
from corpus.services.versions import check_unchanged_since, read_version

DATE_FIELDS = ("date_edtf", "date_text", "date_earliest", "date_latest", "date_precision")
READONLY_DATE_FIELDS = ("date_earliest", "date_latest", "date_precision")


class VersionedForm(forms.ModelForm):
    """A change form that carries the version it was opened at, and refuses to save over a newer one
    (``corpus.services.versions``), inside the admin's transaction with the row locked."""

    read_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("read_version", read_version(self.instance))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            check_unchanged_since(self.instance, self.cleaned_data.get("read_version") or "")
        return cleaned


class CorpusAdmin(SimpleHistoryAdmin):
    """Shared defaults: history on every model, relations chosen by autocomplete, no lost updates."""

    list_per_page = 50
    form = VersionedForm

    def get_deleted_objects(self, objs, request):
        """Django's protected rows (PROTECT foreign keys), plus the citations that only these objects cite: either
        refuses the delete, listing them on the confirmation page (``corpus.services.deletion``)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *map(describe_orphan, orphaned_citations(objs))]

    def delete_model(self, request, obj):
        delete_guarded(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                delete_guarded(obj)


class AliasInline(admin.TabularInline):
    model = Alias
    fields = ("name", "kind", "language", "is_ambiguous")
    extra = 0


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fk_name = "member"
    fields = ("organisation", "role", "date_edtf", "date_text", "citations")
    autocomplete_fields = ("organisation", "citations")
    extra = 0


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    fields = ("position", "author")
    autocomplete_fields = ("author",)
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = ProgrammeParticipation
    fields = ("participant", "label", "date_edtf", "date_text", "citations")
    autocomplete_fields = ("participant", "citations")
    extra = 0


class EventParticipantInline(admin.TabularInline):
    model = EventParticipant
    fields = ("actor", "role", "citations")
    autocomplete_fields = ("actor", "citations")
    extra = 0


class DateStatementForm(forms.ModelForm):
    """Ticking "preferred" moves the preference (``save_statement`` unticks the previous one), so the
    one-preferred constraint is not checked against the statements as they stood before the save."""

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"is_preferred"}


class DateStatementFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        ticked = [
            data for data in (form.cleaned_data for form in self.forms) if data.get("is_preferred") and not data.get("DELETE")
        ]
        if len(ticked) > 1:
            names = ", ".join(f"“{data.get('date_text') or data.get('date_edtf')}”" for data in ticked)
            raise ValidationError(f"Only one date statement can be preferred; {names} are all ticked.", code="preferred")


def save_statement_forms(request, formset) -> None:
    """Save a formset of date statements through the services: additions and changes first (a newly
    ticked statement takes the preference from one being deleted), then deletions."""
    formset.save(commit=False)  # sets the fk and fills new/changed/deleted_objects for the change message
    saved = {id(obj) for obj in formset.new_objects} | {id(obj) for obj, _ in formset.changed_objects}
    for form in formset.forms:
        if id(form.instance) in saved:
            save_statement(form.instance, form.cleaned_data["citations"])
    for statement in formset.deleted_objects:
        warn_if_undated(request, delete_statement(statement))


def warn_if_undated(request, deletion: Deletion) -> None:
    if deletion.left_undated:
        messages.warning(
            request,
            f"“{deletion.event}” has no date now: its preferred date statement was deleted. "
            "Tick one of its other statements as preferred to date it.",
        )


class DateStatementInline(admin.TabularInline):
    model = DateStatement
    form = DateStatementForm
    formset = DateStatementFormSet
    fields = ("date_edtf", "date_text", "is_preferred", "note", "citations")
    autocomplete_fields = ("citations",)
    extra = 0


@admin.register(Source)
class SourceAdmin(CorpusAdmin):
    list_display = ("name", "slug", "kind", "homepage")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    autocomplete_fields = ("organisation",)
    prepopulated_fields = {"slug": ("name",)}


class ArticleForm(VersionedForm):
    """The body as the corpus stores it (``\\n`` line endings, whatever the browser sent); an edit that loses a cited or
    linked passage is a form error naming each one (``corpus.services.bodies``)."""

    def clean_body(self):
        return normalize_body(self.cleaned_data["body"])

    def clean(self):
        cleaned = super().clean()  # the version check locks the article's row until the save commits
        body = cleaned.get("body")
        if self.instance.pk is not None and body is not None and not self.errors:
            old = Article.objects.values_list("body", flat=True).get(pk=self.instance.pk)
            try:
                plan_reanchoring(self.instance, old, body)
            except ValidationError as exc:  # naming the passages lost, on the body
                self.add_error("body", exc)
        return cleaned


@admin.register(Article)
class ArticleAdmin(CorpusAdmin):
    list_display = ("title", "source", "published_at", "published_precision", "language")
    list_filter = ("source", "language", "published_precision")
    search_fields = ("title", "slug", "body")
    autocomplete_fields = ("source",)
    readonly_fields = ("body_sha256",)
    date_hierarchy = "published_at"
    inlines = [ArticleAuthorInline]
    form = ArticleForm

    def save_model(self, request, obj, form, change):
        moved = save_article(obj)  # re-anchors the citations and mentions in the admin's transaction
        if moved:
            messages.info(request, f"{len(moved)} citations and mentions were moved to where their text now stands.")


@admin.register(Actor)
class ActorAdmin(CorpusAdmin):
    list_display = ("name", "slug", "kind", "country", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "aliases__name", "description")
    autocomplete_fields = ("country", "parent", "citations")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AliasInline, AffiliationInline]


@admin.register(Alias)
class AliasAdmin(CorpusAdmin):
    list_display = ("name", "actor", "programme", "kind", "language", "is_ambiguous")
    list_filter = ("kind", "language", "is_ambiguous")
    search_fields = ("name", "normalized", "actor__name", "programme__name")
    autocomplete_fields = ("actor", "programme")


@admin.register(Affiliation)
class AffiliationAdmin(CorpusAdmin):
    list_display = ("member", "role", "organisation", "date_text")
    search_fields = ("member__name", "organisation__name", "role")
    autocomplete_fields = ("member", "organisation", "citations")
    readonly_fields = READONLY_DATE_FIELDS


@admin.register(Programme)
class ProgrammeAdmin(CorpusAdmin):
    list_display = ("name", "acronym", "kind", "owner")
    list_filter = ("kind",)
    search_fields = ("name", "acronym", "slug", "aliases__name")
    autocomplete_fields = ("owner", "citations")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AliasInline, ParticipationInline]


@admin.register(ProgrammeParticipation)
class ProgrammeParticipationAdmin(CorpusAdmin):
    list_display = ("programme", "participant", "label", "date_edtf", "date_text")
    list_filter = ("programme",)
    search_fields = ("programme__name", "participant__name", "label")
    autocomplete_fields = ("programme", "participant", "citations")
    readonly_fields = READONLY_DATE_FIELDS


@admin.register(Event)
class EventAdmin(CorpusAdmin):
    list_display = ("title", "type", "date_edtf", "date_text", "date_precision", "place")
    list_filter = ("type", "date_precision")
    search_fields = ("title", "slug", "description", "place")
    autocomplete_fields = ("country", "programmes", "citations")
    readonly_fields = DATE_FIELDS
    prepopulated_fields = {"slug": ("title",)}
    inlines = [EventParticipantInline, DateStatementInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is DateStatement:
            save_statement_forms(request, formset)
        else:
            super().save_formset(request, form, formset, change)


class DateStatementAdminForm(VersionedForm, DateStatementForm):
    """The statement's own page: versioned (its inline rows are not: they carry no version field)."""


@admin.register(DateStatement)
class DateStatementAdmin(CorpusAdmin):
    list_display = ("event", "date_edtf", "date_text", "is_preferred")
    list_filter = ("is_preferred", "date_precision")
    search_fields = ("event__title", "date_text", "note")
    autocomplete_fields = ("event", "citations")
    readonly_fields = READONLY_DATE_FIELDS
    form = DateStatementAdminForm

    def save_model(self, request, obj, form, change):
        save_statement(obj, form.cleaned_data["citations"])

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # not form.save_m2m(): save_statement wrote the citations
            self.save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        warn_if_undated(request, delete_statement(obj))

    def delete_queryset(self, request, queryset):
        for deletion in delete_statements(queryset):
            warn_if_undated(request, deletion)


@admin.register(EventParticipant)
class EventParticipantAdmin(CorpusAdmin):
    list_display = ("event", "actor", "role")
    list_filter = ("role",)
    search_fields = ("event__title", "actor__name")
    autocomplete_fields = ("event", "actor", "citations")


@admin.register(Citation)
class CitationAdmin(CorpusAdmin):
    list_display = ("article", "start", "end", "excerpt")
    list_filter = ("article",)
    search_fields = ("excerpt", "article__title", "key")
    autocomplete_fields = ("article",)


@admin.register(Mention)
class MentionAdmin(CorpusAdmin):
    list_display = ("text", "article", "start", "actor", "programme", "event", "method")
    list_filter = ("method", "article")
    search_fields = ("text", "actor__name", "programme__name", "event__title")
    autocomplete_fields = ("article", "actor", "programme", "event")


@admin.register(Quote)
class QuoteAdmin(CorpusAdmin):
    list_display = ("speaker", "text", "article")
    list_filter = ("speaker",)
    search_fields = ("citation__excerpt", "speaker__name", "context")
    autocomplete_fields = ("citation", "speaker", "event")
    list_select_related = ("citation__article", "speaker")


@admin.register(ArticleAuthor)
class ArticleAuthorAdmin(CorpusAdmin):
    list_display = ("article", "author", "position")
    autocomplete_fields = ("article", "author")
