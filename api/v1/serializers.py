"""Serializers of API v1: one per model, each with a brief form used wherever it is nested.

``XBriefSerializer`` holds the fields every nested reference carries (slug or key, url,
display and a name); ``XSerializer`` adds the list fields and ``XDetailSerializer`` the
related collections shown on the detail page.

They are the one declaration of each resource's shape: the hot reads' row renderers are
compiled from them (api.v1.rows), with the SQL of each many-valued field declared beside it in
``Meta.row_collections``.
"""

from dataclasses import dataclass
from functools import lru_cache

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.query_params import csv_param
from corpus.dates import FuzzyDate, Precision
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


@dataclass(frozen=True, eq=False)
class Collection:
    """The SQL of a many-valued field, for the row renderers compiled from its serializer (api.v1.rows).

    The ``model`` rows whose ``key`` is the rendered object, in ``order_by``, come as JSON in the object's
    own statement, each rendered by ``serializer`` (default: the field's child serializer) from the row
    itself or, with ``via``, from the object its ``via`` foreign key names: joined, or with ``lookup``
    found by primary key. ``grouped``: on PostgreSQL a page's rows come from one pass over the page
    rather than a subquery per row (docs/performance.md measured both). ``distinct`` (field of
    ``serializer``: foreign key of the rows) renders ``serializer``'s lists instead, each holding what
    that foreign key of a row names, each once, in order of first row.
    """

    model: type
    key: str
    order_by: tuple[str, ...]
    serializer: type | None = None
    via: str = ""
    lookup: bool = False
    grouped: bool = False
    distinct: dict | None = None


def url_field(basename: str, lookup: str = "slug"):
    return serializers.HyperlinkedIdentityField(
        view_name=f"v1:{basename}-detail", lookup_field=lookup, help_text="This object's address in the API."
    )


def display_field():
    return serializers.CharField(source="__str__", read_only=True, help_text="A human-readable label.")


# --- Field descriptions ---------------------------------------------------------------------

# Descriptions for fields that do not bring their own help_text, so every field of the schema is described.
FIELD_HELP = {
    "slug": "Stable public identifier, used in URLs and filters.",
    "key": "Stable public identifier of an object without a slug.",
    "name": "The name the corpus uses.",
    "title": "The title.",
    "kind": "What kind of thing this is (a stable code).",
    "type": "What kind of event this is (a stable code).",
    "description": "What the articles say about it.",
    "country": "The state it belongs to or happened in, when the articles say.",
    "parent": "The organisation this one is part of.",
    "iso_code": "ISO 3166 code (states only, where sure).",
    "wikidata_id": "Wikidata ID, where sure.",
    "homepage": "The outlet's home page.",
    "organisation": "The organisation, as an actor.",
    "owner": "The organisation that runs the programme.",
    "acronym": "The usual acronym.",
    "source": "The outlet that published it; null when unknown (see source_note).",
    "language": "BCP 47 language code.",
    "published": "When the article was published, as precisely as its page says.",
    "body_sha256": "SHA-256 of the body, to detect changes.",
    "mentions": "The actors, programmes and events the article names, each once.",
    "aliases": "Other names: acronyms, translations, variant spellings.",
    "affiliations": "Roles the actor holds in organisations or states, dated and cited.",
    "events": "Related events.",
    "citations": "The passages of articles this rests on.",
    "date": "The date as its source words it, with its bounds and precision.",
    "date_statements": "What each source says about the date.",
    "participants": "Who took part, and in what role.",
    "participations": "Periods in which actors took part, dated and cited.",
    "programmes": "Related programmes.",
    "quotes": "Words attributed verbatim to speakers.",
    "speaker": "Who said or wrote the words.",
    "article": "The article.",
    "articles": "Related articles.",
    "actors": "Related actors.",
    "citation": "Where the words stand in the article.",
    "event": "The event.",
    "context": "To whom or in what setting, per the article.",
    "role": "The actor's part (a stable code).",
    "participant": "The participating actor.",
    "actor": "The actor.",
    "label": "A label for the period, e.g. 'second IPAP'.",
    "note": "A curator's note: why preferred, how it disagrees, or what it covers.",
    "is_preferred": "Whether the corpus prefers this statement; the event's own date copies it.",
    "excerpt": "The exact words of the article.",
    "is_ambiguous": "The name also names something else, so it is not used for automatic linking.",
    "precision": "How precise the date is (a stable code).",
    "nodes": "Actors.",
    "edges": "Links between two actors.",
}


class DescribedFieldsMixin:
    """Fill in a description from FIELD_HELP for any field that has none."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if not field.help_text and name in FIELD_HELP:
                field.help_text = FIELD_HELP[name]
        return fields


class Serializer(DescribedFieldsMixin, serializers.Serializer):
    pass


class ModelSerializer(DescribedFieldsMixin, serializers.ModelSerializer):
    pass


# --- Dates ----------------------------------------------------------------------------------


class FuzzyDateSerializer(Serializer):
    """A date as its source words it: EDTF, the calendar days it may denote, precision and labels."""

    edtf = serializers.CharField(help_text="EDTF (ISO 8601-2), e.g. '2009-04' or '1993~/1997~'; empty when unknown.")
    earliest = serializers.DateField(allow_null=True, help_text="First day the date may denote (null: open or unknown).")
    latest = serializers.DateField(allow_null=True, help_text="Last day the date may denote (null: open or unknown).")
    precision = serializers.ChoiceField(choices=Precision.choices, help_text="How precise the source is.")
    label = serializers.CharField(help_text="An English label derived from the EDTF, e.g. 'April 2009'.")
    text = serializers.CharField(help_text="The source's own words for the date.")


@lru_cache(maxsize=4096)
def _label(edtf: str) -> str:
    return FuzzyDate.parse(edtf).label


@extend_schema_field(FuzzyDateSerializer)
class FuzzyDateField(serializers.Field):
    """The date of any FuzzyDated model (event, date statement, affiliation, participation)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return fuzzy_date(obj.date_edtf, obj.date_earliest, obj.date_latest, obj.date_precision, obj.date_text)


def iso_date(value) -> str | None:
    """A date as ISO 8601; already so when it comes out of JSON built by the database (api.v1.rows)."""
    return value.isoformat() if value and not isinstance(value, str) else value or None


def fuzzy_date(edtf: str, earliest, latest, precision: str, text: str) -> dict:
    """A FuzzyDated row's date as the API shows it (FuzzyDateSerializer's shape)."""
    return {
        "edtf": edtf,
        "earliest": iso_date(earliest),
        "latest": iso_date(latest),
        "precision": precision,
        "label": _label(edtf),
        "text": text,
    }


class PublicationSerializer(ModelSerializer):
    """When an article was published, as precisely as its page says."""

    at = serializers.DateTimeField(source="published_at", allow_null=True, help_text="In UTC; null when unknown.")
    utc_offset = serializers.CharField(source="published_utc_offset", help_text="The page's own UTC offset, if given.")
    precision = serializers.ChoiceField(source="published_precision", choices=Precision.choices)
    text = serializers.CharField(source="published_text", help_text="The dateline as the page words it.")
    note = serializers.CharField(source="published_note", help_text="Why the date is unknown, when it is.")

    class Meta:
        model = Article
        fields = ["at", "utc_offset", "precision", "text", "note"]


# --- Sparse fieldsets -----------------------------------------------------------------------


class SparseFieldsMixin:
    """On the top-level serializer only: ``?fields=a,b`` keeps those fields; ``Meta.optional_fields``
    (e.g. an article's body in lists) are left out unless ``?fields=`` or ``?include=`` names them."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        top_level = self.parent is None or (isinstance(self.parent, serializers.ListSerializer) and self.parent.parent is None)
        if request is None or not top_level:
            return fields
        names = self.context.get("fields")  # read once per request by the view (api.v1.views.StrictQueryMixin)
        return {name: fields[name] for name in (self.field_names(request) if names is None else names)}

    @classmethod
    def field_names(cls, request) -> list[str]:
        """The fields this request asks for, in order (a 400 for an unknown name), without building any field."""
        names = cls.Meta.fields
        optional = set(getattr(cls.Meta, "optional_fields", []))
        wanted = csv_param(request, "fields", names)
        included = csv_param(request, "include", names)  # naming a field that is always there is a no-op
        if wanted:
            return [name for name in names if name in wanted]
        return [name for name in names if name not in optional or name in included]


# --- Brief forms (nested references) --------------------------------------------------------


class SourceBriefSerializer(ModelSerializer):
    """A reference to an outlet."""

    url = url_field("source")
    display = display_field()

    class Meta:
        model = Source
        fields = ["slug", "url", "display", "name", "kind"]


class ArticleBriefSerializer(ModelSerializer):
    """A reference to an article."""

    url = url_field("article")
    display = display_field()

    class Meta:
        model = Article
        fields = ["slug", "url", "display", "title"]


class ActorBriefSerializer(ModelSerializer):
    """A reference to an actor: a person, organisation, state or region."""

    url = url_field("actor")
    display = display_field()

    class Meta:
        model = Actor
        fields = ["slug", "url", "display", "name", "kind"]


class ProgrammeBriefSerializer(ModelSerializer):
    """A reference to a programme."""

    url = url_field("programme")
    display = display_field()

    class Meta:
        model = Programme
        fields = ["slug", "url", "display", "name", "acronym"]


class EventBriefSerializer(ModelSerializer):
    """A reference to an event, with its date."""

    url = url_field("event")
    display = display_field()
    date = FuzzyDateField()

    class Meta:
        model = Event
        fields = ["slug", "url", "display", "title", "type", "date"]


class CitationSerializer(ModelSerializer):
    """The exact words of an article a fact rests on, with their character offsets in its body."""

    article = ArticleBriefSerializer(read_only=True)
    # Declared so that the schema does not depend on the database's integer range.
    start = serializers.IntegerField(read_only=True, help_text="Offset of the excerpt's first character in the body.")
    end = serializers.IntegerField(read_only=True, help_text="Offset just after its last character: body[start:end].")

    class Meta:
        model = Citation
        fields = ["article", "excerpt", "start", "end"]


class QuoteBriefSerializer(ModelSerializer):
    """A quote: who said what."""

    url = url_field("quote", lookup="key")
    display = display_field()
    speaker = ActorBriefSerializer(read_only=True)
    text = serializers.CharField(source="citation.excerpt", read_only=True, help_text="The quoted words.")

    class Meta:
        model = Quote
        fields = ["key", "url", "display", "speaker", "text"]


class AliasSerializer(ModelSerializer):
    """Another name of an actor or programme: an acronym, translation or variant spelling."""

    class Meta:
        model = Alias
        fields = ["name", "kind", "language", "is_ambiguous"]


# --- Sources and articles -------------------------------------------------------------------


class SourceSerializer(SparseFieldsMixin, SourceBriefSerializer):
    """An outlet that publishes articles."""

    organisation = ActorBriefSerializer(read_only=True, allow_null=True)

    class Meta(SourceBriefSerializer.Meta):
        fields = [*SourceBriefSerializer.Meta.fields, "homepage", "description", "organisation"]


class SourceDetailSerializer(SourceSerializer):
    """An outlet, with its articles."""

    articles = ArticleBriefSerializer(many=True, read_only=True)

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "articles"]


class ArticleSerializer(SparseFieldsMixin, ArticleBriefSerializer):
    """An article's metadata (its body only with ?include=body or ?fields=...,body)."""

    source = SourceBriefSerializer(read_only=True, allow_null=True)
    original_url = serializers.URLField(source="url", read_only=True, help_text="The article's address on the web.")
    authors = serializers.SerializerMethodField(help_text="Authors in byline order.")
    published = PublicationSerializer(source="*", read_only=True)
    body = serializers.CharField(read_only=True, help_text="The article's clean text. In lists only with ?include=body.")

    class Meta(ArticleBriefSerializer.Meta):
        fields = [
            *ArticleBriefSerializer.Meta.fields,
            *["source", "source_note", "original_url", "language", "authors", "published", "body"],
        ]
        optional_fields = ["body"]
        # authors: each looked up by primary key, not joined (docs/performance.md)
        row_collections = {
            "authors": Collection(ArticleAuthor, "article", ("position",), ActorBriefSerializer, via="author", lookup=True)
        }

    @extend_schema_field(ActorBriefSerializer(many=True))
    def get_authors(self, article):
        authors = [byline.author for byline in article.bylines.all()]
        return ActorBriefSerializer(authors, many=True, context=self.context).data


class ArticleMentionsSerializer(Serializer):
    """What an article names, each once, in order of first mention."""

    actors = ActorBriefSerializer(many=True)
    programmes = ProgrammeBriefSerializer(many=True)
    events = EventBriefSerializer(many=True)


class ArticleDetailSerializer(ArticleSerializer):
    """An article: metadata, body, what it mentions and whom it quotes."""

    mentions = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField(help_text="Words the article attributes to speakers, in text order.")

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body_sha256", "mentions", "quotes"]
        optional_fields = []
        row_collections = {
            **ArticleSerializer.Meta.row_collections,
            "mentions": Collection(
                Mention, "article", ("start", "end"), ArticleMentionsSerializer,
                distinct={"actors": "actor", "programmes": "programme", "events": "event"},
            ),
            "quotes": Collection(Quote, "citation__article", ("citation__start", "citation__end"), QuoteBriefSerializer),
        }  # fmt: skip

    @extend_schema_field(ArticleMentionsSerializer)
    def get_mentions(self, article):
        found = {"actors": {}, "programmes": {}, "events": {}}
        for mention in article.mentions.all():
            for kind, target in (("actors", mention.actor), ("programmes", mention.programme), ("events", mention.event)):
                if target is not None:
                    found[kind].setdefault(target.pk, target)
        lists = {kind: list(targets.values()) for kind, targets in found.items()}
        return ArticleMentionsSerializer(lists, context=self.context).data

    @extend_schema_field(QuoteBriefSerializer(many=True))
    def get_quotes(self, article):
        quotes = [citation.quote for citation in article.citations.all() if hasattr(citation, "quote")]
        return QuoteBriefSerializer(quotes, many=True, context=self.context).data


# --- Actors ---------------------------------------------------------------------------------


class AffiliationSerializer(ModelSerializer):
    """A role an actor holds in an organisation or state over a period."""

    organisation = ActorBriefSerializer(read_only=True)
    date = FuzzyDateField()
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Affiliation
        fields = ["key", "organisation", "role", "date", "citations"]


class ActorEventSerializer(ModelSerializer):
    """An event an actor took part in, and in what role."""

    event = EventBriefSerializer(read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["event", "role", "citations"]


class ActorSerializer(SparseFieldsMixin, ActorBriefSerializer):
    """A person, organisation, state or region."""

    country = ActorBriefSerializer(read_only=True, allow_null=True)
    parent = ActorBriefSerializer(read_only=True, allow_null=True)

    class Meta(ActorBriefSerializer.Meta):
        fields = [*ActorBriefSerializer.Meta.fields, "description", "country", "parent", "iso_code", "wikidata_id"]


class ActorDetailSerializer(ActorSerializer):
    """An actor with its aliases, affiliations, events and the articles that mention it."""

    aliases = AliasSerializer(many=True, read_only=True)
    affiliations = AffiliationSerializer(many=True, read_only=True)
    events = ActorEventSerializer(
        source="event_participations", many=True, read_only=True, help_text="Events the actor took part in, and its role."
    )
    articles = serializers.SerializerMethodField(help_text="Articles that mention this actor.")
    citations = CitationSerializer(many=True, read_only=True)

    class Meta(ActorSerializer.Meta):
        fields = [*ActorSerializer.Meta.fields, "aliases", "affiliations", "events", "articles", "citations"]

    @extend_schema_field(ArticleBriefSerializer(many=True))
    def get_articles(self, actor):
        articles = {mention.article.pk: mention.article for mention in actor.mentions.all()}
        return ArticleBriefSerializer(articles.values(), many=True, context=self.context).data


# --- Programmes -----------------------------------------------------------------------------


class ParticipationSerializer(ModelSerializer):
    """A period in which an actor took part in a programme."""

    participant = ActorBriefSerializer(read_only=True)
    date = FuzzyDateField()
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = ProgrammeParticipation
        fields = ["key", "participant", "label", "date", "note", "citations"]


class ProgrammeSerializer(SparseFieldsMixin, ProgrammeBriefSerializer):
    """A NATO partnership programme or mechanism, or a project the corpus names."""

    owner = ActorBriefSerializer(read_only=True, allow_null=True)

    class Meta(ProgrammeBriefSerializer.Meta):
        fields = [*ProgrammeBriefSerializer.Meta.fields, "kind", "owner", "description"]


class ProgrammeDetailSerializer(ProgrammeSerializer):
    """A programme with its aliases, participation periods, events and citations."""

    aliases = AliasSerializer(many=True, read_only=True)
    participations = ParticipationSerializer(many=True, read_only=True)
    events = EventBriefSerializer(many=True, read_only=True, help_text="Events that belong to the programme.")
    citations = CitationSerializer(many=True, read_only=True)

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "aliases", "participations", "events", "citations"]


# --- Events ---------------------------------------------------------------------------------


class DateStatementSerializer(ModelSerializer):
    """What one source says about when an event happened."""

    date = FuzzyDateField()
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = DateStatement
        fields = ["key", "date", "is_preferred", "note", "citations"]


class ParticipantBriefSerializer(ModelSerializer):
    """An actor's part in an event."""

    actor = ActorBriefSerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["actor", "role"]


class ParticipantSerializer(ParticipantBriefSerializer):
    """An actor's part in an event, with its citations."""

    citations = CitationSerializer(many=True, read_only=True)

    class Meta(ParticipantBriefSerializer.Meta):
        fields = [*ParticipantBriefSerializer.Meta.fields, "citations"]


class EventSerializer(SparseFieldsMixin, EventBriefSerializer):
    """Something that happened, dated by its preferred date statement."""

    country = ActorBriefSerializer(read_only=True, allow_null=True)

    class Meta(EventBriefSerializer.Meta):
        fields = [*EventBriefSerializer.Meta.fields, "place", "country", "description"]


class EventDetailSerializer(EventSerializer):
    """An event with every date statement (preferred first), participants, programmes, quotes and citations."""

    date_statements = DateStatementSerializer(many=True, read_only=True, help_text="Every statement, the preferred one first.")
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    programmes = ProgrammeBriefSerializer(many=True, read_only=True)
    quotes = QuoteBriefSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "date_statements", "participants", "programmes", "quotes", "citations"]


class TimelineEntrySerializer(EventSerializer):
    """An event on the timeline: its date (label and precision), what it was and who took part."""

    participants = ParticipantBriefSerializer(source="participations", many=True, read_only=True)
    programmes = ProgrammeBriefSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "participants", "programmes"]
        row_collections = {  # in the order the models order them (role, then the actor's own; the programme's own)
            "participants": Collection(EventParticipant, "event", ("role", "actor__name", "actor__slug"), grouped=True),
            "programmes": Collection(
                Event.programmes.through, "event", ("programme__name", "programme__slug"), via="programme", grouped=True
            ),
        }


class DisputeSerializer(SparseFieldsMixin, EventBriefSerializer):
    """An event whose sources disagree on its date: every statement, each with its citations."""

    date_statements = DateStatementSerializer(many=True, read_only=True)

    class Meta(EventBriefSerializer.Meta):
        fields = [*EventBriefSerializer.Meta.fields, "date_statements"]


# --- Quotes ---------------------------------------------------------------------------------


class QuoteSerializer(SparseFieldsMixin, QuoteBriefSerializer):
    """Words an article attributes verbatim to a speaker."""

    article = ArticleBriefSerializer(source="citation.article", read_only=True)
    citation = CitationSerializer(read_only=True)
    event = EventBriefSerializer(read_only=True, allow_null=True)

    class Meta(QuoteBriefSerializer.Meta):
        fields = [*QuoteBriefSerializer.Meta.fields, "article", "citation", "event", "context"]


# --- Search and graph -----------------------------------------------------------------------


class ArticleHitSerializer(Serializer):
    """An article that matches a search, with a highlighted snippet."""

    article = ArticleBriefSerializer()
    snippet = serializers.CharField(help_text="Matching passage, matches wrapped in <mark>…</mark>.")
    rank = serializers.FloatField(
        help_text="Relevance, higher first; compare it within one response only. PostgreSQL: ts_rank, or the RUM "
        "extension's rum_ts_score where its index is installed (the same for one word). SQLite: 1.0 for a title match, else 0.5."
    )


class SearchResultSerializer(Serializer):
    """Search results, by kind of object."""

    q = serializers.CharField(help_text="The query as received.")
    backend = serializers.ChoiceField(choices=["postgresql", "simple"], help_text="Full-text search or the fallback.")
    articles = ArticleHitSerializer(many=True, required=False, help_text="Present unless `kinds` leaves articles out.")
    actors = ActorBriefSerializer(many=True, required=False, help_text="Present unless `kinds` leaves actors out.")
    programmes = ProgrammeBriefSerializer(many=True, required=False, help_text="Present unless `kinds` leaves programmes out.")
    events = EventBriefSerializer(many=True, required=False, help_text="Present unless `kinds` leaves events out.")


class GraphEdgeSerializer(Serializer):
    """Two actors linked by the events they shared and the articles that mention both."""

    source = serializers.SlugField(help_text="Slug of one actor (the alphabetically first).")
    target = serializers.SlugField(help_text="Slug of the other actor.")
    weight = serializers.IntegerField(help_text="Shared events plus articles mentioning both.")
    events = serializers.ListField(child=serializers.SlugField(), help_text="Slugs of the events both took part in.")
    articles = serializers.ListField(child=serializers.SlugField(), help_text="Slugs of the articles mentioning both.")


class GraphSerializer(Serializer):
    """The actor network: actors as nodes, shared events and co-mentions as edges."""

    nodes = ActorBriefSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)
