"""A deterministic synthetic corpus shaped like the seeds, for benchmarks at 1k–100k articles."""

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from corpus.choices import ActorKind, EventType, ParticipantRole, ProgrammeKind, SourceKind
from corpus.models import (
    Actor,
    Alias,
    Article,
    ArticleAuthor,
    Citation,
    DateStatement,
    Event,
    EventParticipant,
    Mention,
    Programme,
    Source,
)
from corpus.models.articles import checksum
from corpus.normalize import normalize_name

PREFIX = "synthetic-"
BATCH = 1000
WORDS = (
    "cooperation partnership security alliance defence ministry exercise summit visit delegation "
    "programme regional stability energy corridor training reform dialogue strategy officials "
    "agreement mission peacekeeping logistics transit modernisation standards interoperability"
).split()
EDTF_FORMS = ["{y}", "{y}-{m:02d}", "{y}-{m:02d}-{d:02d}", "{y}/{y2}", "{dec}X", "{y}~/{y2}~"]


class Command(BaseCommand):
    help = "Generate a deterministic synthetic corpus (slugs start with 'synthetic-') with bulk inserts."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--actors", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="Delete an existing synthetic corpus first.")

    def handle(self, *args, articles, actors, seed, replace, **options):
        if articles < 1 or actors < 10:
            raise CommandError("--articles must be at least 1 and --actors at least 10.")
        if Article.objects.filter(slug__startswith=PREFIX).exists():
            if not replace:
                raise CommandError("A synthetic corpus exists already: pass --replace to regenerate it.")
            self.delete()
        rng = random.Random(seed)
        with transaction.atomic():
            sources = self.make_sources()
            actor_rows = self.make_actors(rng, actors)
            programmes = self.make_programmes(actor_rows[0])
            self.make_articles(rng, articles, sources, actor_rows, programmes)
        self.stdout.write(self.style.SUCCESS(f"Generated {articles} articles and {actors} actors (seed {seed})."))

    @override_settings(SIMPLE_HISTORY_ENABLED=False)  # synthetic rows need no history
    def delete(self):
        for model, field in [(Mention, "article__slug"), (EventParticipant, "event__slug"),
                             (DateStatement, "event__slug"), (Event, "slug"), (ArticleAuthor, "article__slug")]:  # fmt: skip
            model.objects.filter(**{f"{field}__startswith": PREFIX}).delete()
        Citation.objects.filter(article__slug__startswith=PREFIX).delete()
        Article.objects.filter(slug__startswith=PREFIX).delete()
        Programme.objects.filter(slug__startswith=PREFIX).delete()
        Source.objects.filter(slug__startswith=PREFIX).delete()
        Alias.objects.filter(actor__slug__startswith=PREFIX).delete()
        Actor.objects.filter(slug__startswith=PREFIX).delete()

    def progress(self, label, done, total):
        if done == total or done % (BATCH * 10) == 0:
            self.stdout.write(f"\r{label}: {done}/{total} ({100 * done // total}%)", ending="")
            if done == total:
                self.stdout.write("")
            self.stdout.flush()

    def make_sources(self):
        kinds = list(SourceKind.values)
        return Source.objects.bulk_create(
            Source(slug=f"{PREFIX}source-{i}", name=f"Synthetic Source {i}", kind=kinds[i % len(kinds)])
            for i in range(20)
        )

    def make_actors(self, rng, count):
        kinds = [ActorKind.PERSON] * 6 + [ActorKind.ORGANISATION] * 3 + [ActorKind.STATE]
        rows = []
        for start in range(0, count, BATCH):
            batch = [Actor(slug=f"{PREFIX}actor-{i}", name=f"Actor{i} {rng.choice(WORDS).title()}",
                           kind=kinds[i % len(kinds)], description="Synthetic actor.")
                     for i in range(start, min(count, start + BATCH))]  # fmt: skip
            rows += Actor.objects.bulk_create(batch)
            aliases = [Alias(actor=a, name=f"A{a.slug[len(PREFIX) + 6:]}", normalized=normalize_name(f"A{a.slug[len(PREFIX) + 6:]}"),
                             kind="acronym", key=f"actor:{a.slug}:alias") for a in batch]  # fmt: skip
            Alias.objects.bulk_create(aliases)
            self.progress("actors", len(rows), count)
        return rows

    def make_programmes(self, owner):
        kinds = list(ProgrammeKind.values)
        return Programme.objects.bulk_create(
            Programme(slug=f"{PREFIX}programme-{i}", name=f"Synthetic Programme {i}", acronym=f"SP{i}",
                      kind=kinds[i % len(kinds)], owner=owner)  # fmt: skip
            for i in range(20)
        )

    def body(self, rng, names):
        """~3,000 characters of text naming some actors; returns the text and the name spans."""
        parts, spans, length = [], [], 0
        while length < 3000:
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16)))
            name = rng.choice(names)
            sentence_start = length + len(words) + 1
            sentence = f"{words} {name.name} {rng.choice(WORDS)}. "
            spans.append((sentence_start, sentence_start + len(name.name), name))
            parts.append(sentence)
            length += len(sentence)
        return "".join(parts).strip(), spans

    def make_articles(self, rng, count, sources, actors, programmes):
        types, roles = list(EventType.values), list(ParticipantRole.values)
        people = [a for a in actors if a.kind == ActorKind.PERSON]
        for start in range(0, count, BATCH):
            numbers = range(start, min(count, start + BATCH))
            drafts = []
            for i in numbers:
                body, spans = self.body(rng, rng.sample(actors, 5))
                published = dt.datetime(1995, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(15_000_000))
                article = Article(slug=f"{PREFIX}article-{i}", title=f"Synthetic article {i} on {rng.choice(WORDS)}",
                                  source=rng.choice(sources), language="en", published_at=published,
                                  published_precision="day", published_text=published.isoformat(), body=body,
                                  body_sha256=checksum(body))  # fmt: skip
                drafts.append((article, spans))
            saved = Article.objects.bulk_create([a for a, _ in drafts])
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=a, author=rng.choice(people), position=1, key=f"{a.slug}:1") for a in saved
            )
            Mention.objects.bulk_create(
                Mention(article=a, start=s, end=e, text=a.body[s:e], actor=actor, key=f"{a.slug}:{s}-{e}")
                for a, (_, spans) in zip(saved, drafts, strict=True) for s, e, actor in spans
            )  # fmt: skip
            self.make_events(rng, [a for a in saved if rng.random() < 0.2], actors, programmes, types, roles)
            self.progress("articles", start + len(saved), count)

    def make_events(self, rng, articles, actors, programmes, types, roles):
        events, citations, statements, participants = [], [], [], []
        for article in articles:
            y = rng.randint(1992, 2024)
            form = rng.choice(EDTF_FORMS)
            edtf = form.format(y=y, y2=min(y + 2, 2025), m=rng.randint(1, 12), d=rng.randint(1, 28), dec=str(y)[:3])
            event = Event(slug=f"event-of-{article.slug}", title=f"Synthetic event of {article.title}",
                          type=rng.choice(types), place="Baku")  # fmt: skip
            event.set_date(edtf, edtf)
            start = rng.randrange(0, len(article.body) - 200)
            citation = Citation(article=article, start=start, end=start + 120,
                                excerpt=article.body[start : start + 120], key=f"{article.slug}:{start}-{start + 120}")  # fmt: skip
            statement = DateStatement(event=event, is_preferred=True, key=f"{event.slug}:1")
            statement.set_date(edtf, edtf)
            events.append(event)
            citations.append(citation)
            statements.append(statement)
            participants += [
                EventParticipant(event=event, actor=actor, role=rng.choice(roles), key=f"{event.slug}:{actor.slug}")
                for actor in rng.sample(actors, 3)
            ]
        Event.objects.bulk_create(events)
        Citation.objects.bulk_create(citations)
        DateStatement.objects.bulk_create(statements)
        EventParticipant.objects.bulk_create(participants)
        Event.citations.through.objects.bulk_create(
            Event.citations.through(event=e, citation=c) for e, c in zip(events, citations, strict=True)
        )
        DateStatement.citations.through.objects.bulk_create(
            DateStatement.citations.through(datestatement=s, citation=c) for s, c in zip(statements, citations, strict=True)
        )
        Event.programmes.through.objects.bulk_create(
            Event.programmes.through(event=e, programme=rng.choice(programmes)) for e in events
        )
