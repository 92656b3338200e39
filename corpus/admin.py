"""The curators' admin: every model browsable, searchable and correctable, every change recorded."""

from django.contrib import admin
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
from corpus.services.dates import sync_event_date

DATE_FIELDS = ("date_edtf", "date_text", "date_earliest", "date_latest", "date_precision")
READONLY_DATE_FIELDS = ("date_earliest", "date_latest", "date_precision")


class CorpusAdmin(SimpleHistoryAdmin):
    """Shared defaults: history on every model, relations chosen by autocomplete."""

    list_per_page = 50


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


class DateStatementInline(admin.TabularInline):
    model = DateStatement
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


@admin.register(Article)
class ArticleAdmin(CorpusAdmin):
    list_display = ("title", "source", "published_at", "published_precision", "language")
    list_filter = ("source", "language", "published_precision")
    search_fields = ("title", "slug", "body")
    autocomplete_fields = ("source",)
    readonly_fields = ("body_sha256",)
    date_hierarchy = "published_at"
    inlines = [ArticleAuthorInline]


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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_event_date(form.instance)


@admin.register(DateStatement)
class DateStatementAdmin(CorpusAdmin):
    list_display = ("event", "date_edtf", "date_text", "is_preferred")
    list_filter = ("is_preferred", "date_precision")
    search_fields = ("event__title", "date_text", "note")
    autocomplete_fields = ("event", "citations")
    readonly_fields = READONLY_DATE_FIELDS

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_event_date(form.instance.event)


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
