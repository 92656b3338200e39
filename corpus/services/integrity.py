"""Integrity checks over the whole corpus, shared by ``check_corpus`` and ``load_corpus``."""

from collections import defaultdict

from django.db.models import Count, Q

from corpus.dates import FuzzyDate
from corpus.models import (
    Actor,
    Affiliation,
    Alias,
    Article,
    Citation,
    DateStatement,
    Event,
    Mention,
    ProgrammeParticipation,
)
from corpus.models.articles import checksum
from corpus.normalize import normalize_name


def find_problems() -> list[str]:
    """Every broken invariant the database cannot enforce, one sentence each."""
    return [
        *_article_problems(),
        *_span_problems(),
        *_date_problems(),
        *_orphan_problems(),
        *_duplicate_actor_problems(),
    ]


def _article_problems():
    for slug, body, digest in Article.objects.values_list("slug", "body", "body_sha256"):
        if checksum(body) != digest:
            yield f"article {slug}: body_sha256 does not match its body"


def _span_problems():
    bodies = dict(Article.objects.values_list("pk", "body"))
    slugs = dict(Article.objects.values_list("pk", "slug"))
    for key, article, start, end, excerpt in Citation.objects.values_list("key", "article", "start", "end", "excerpt"):
        if end > len(bodies[article]):
            yield f"citation {key}: offsets {start}-{end} run past the end of article {slugs[article]}"
        elif bodies[article][start:end] != excerpt:
            yield f"citation {key}: excerpt is not article {slugs[article]}'s text at {start}-{end}"
    for key, article, start, end, text in Mention.objects.values_list("key", "article", "start", "end", "text"):
        if bodies[article][start:end] != text:
            yield f"mention {key}: text is not article {slugs[article]}'s text at {start}-{end}"


def _date_problems():
    for model in (Event, DateStatement, Affiliation, ProgrammeParticipation):
        label = model._meta.model_name
        fields = ("pk", "date_edtf", "date_earliest", "date_latest", "date_precision")
        for pk, edtf, earliest, latest, precision in model.objects.values_list(*fields):
            parsed = FuzzyDate.parse(edtf)
            if (parsed.earliest, parsed.latest, parsed.precision) != (earliest, latest, precision):
                yield f"{label} {pk}: date bounds or precision do not match its EDTF '{edtf}'"
    preferred = {event: edtf for event, edtf in DateStatement.objects.filter(is_preferred=True).values_list("event", "date_edtf")}
    for pk, slug, edtf in Event.objects.values_list("pk", "slug", "date_edtf"):
        if preferred.get(pk, "") != edtf:
            yield f"event {slug}: its date '{edtf}' is not its preferred statement's '{preferred.get(pk, '')}'"


def _orphan_problems():
    used = Q()
    for relation in ("actors", "affiliations", "participations", "programmes", "events",
                     "event_participations", "date_statements", "quote"):  # fmt: skip
        used |= Q(**{f"{relation}__isnull": False})
    for key in Citation.objects.exclude(used).values_list("key", flat=True).distinct():
        yield f"citation {key}: cites no fact"
    unused = Actor.objects.annotate(
        n=Count("mentions", distinct=True) + Count("citations", distinct=True) + Count("bylines", distinct=True)
    ).filter(n=0)
    for slug in unused.values_list("slug", flat=True):
        yield f"actor {slug}: no article mentions, cites or is written by it"
    for model, field in ((DateStatement, "citations"),):
        for pk in model.objects.filter(**{f"{field}__isnull": True}).values_list("key", flat=True):
            yield f"{model._meta.model_name} {pk}: has no citation"


def _duplicate_actor_problems():
    owners = defaultdict(set)
    for slug, name in Actor.objects.values_list("slug", "name"):
        owners[normalize_name(name)].add(slug)
    for slug, normalized in Alias.objects.filter(actor__isnull=False, is_ambiguous=False).values_list(
        "actor__slug", "normalized"
    ):
        owners[normalized].add(slug)
    for name, slugs in sorted(owners.items()):
        if len(slugs) > 1:
            yield f"actors {', '.join(sorted(slugs))}: share the name or alias '{name}' (duplicates?)"
