"""A deterministic synthetic corpus shaped like the seeds, for benchmarks at 1k–100k articles.

Every value is drawn from one ``random.Random(seed)`` in a fixed order and every primary key is
assigned here, so a seed gives the same rows on any backend: the bench relies on it to give
Datasette an SQLite copy of the PostgreSQL data. Rows are plain tuples, not model instances,
written with COPY on PostgreSQL and ``executemany`` elsewhere, one batch of articles (with their
mentions, citations and facts) at a time, so memory stays flat whatever the size.

Shape, per 100k articles and 5,000 actors: bodies of 2,400–3,600 characters drawn from a Zipf
vocabulary (so a word such as "summit" is in about one article in ten, not in all), five mentions
an article (500k) with a few popular actors named often, a byline on most articles, an event for
one article in four (three to a dispute: two statements that disagree), and quotes, affiliations
and programme participations, every fact citing a sentence of its article at valid offsets.
"""

import datetime as dt
import hashlib
import itertools
import random
from collections import Counter
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Max

from corpus.choices import ActorKind, AliasKind, EventType, ParticipantRole, ProgrammeKind, SourceKind
from corpus.dates import FuzzyDate
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
from corpus.normalize import normalize_name
from corpus.services.search_index import rum_index_set_aside
from corpus.services.synthetic.tables import Table, Writer
from corpus.services.synthetic.words import (
    ACTOR_KINDS,
    AFFILIATION_ROLES,
    DOMAIN_WORDS,
    FIRST_NAMES,
    LAST_NAMES,
    ORG_ADJECTIVES,
    ORG_NOUNS,
    ORG_TOPICS,
    PLACES,
    PROGRAMME_WORDS,
    PSEUDO_WORDS,
    SOURCE_NAMES,
    SOURCE_SUFFIXES,
    VOCABULARY,
    VOCABULARY_WEIGHTS,
    zipf,
)

# Bump when the rows a seed produces change: the bench rebuilds databases made by another version.
GENERATOR_VERSION = 2
PREFIX = "synthetic-"  # every slug and key starts with it, so the synthetic corpus can be told apart and deleted
BATCH = 1000  # articles drawn and written at a time
MENTIONS_PER_ARTICLE = 5
EVENT_RATE, DISPUTE_RATE, QUOTE_RATE, AFFILIATION_RATE, PARTICIPATION_RATE = 0.25, 0.12, 0.1, 0.05, 0.02
SOURCES, PROGRAMMES = 20, 20
PUBLISHED_FROM = dt.datetime(1995, 1, 1, tzinfo=dt.UTC)
PUBLISHED_MINUTES = 30 * 365 * 24 * 60


class Generator:
    """Draws the corpus in a fixed order; ``run`` writes it. One instance per generated corpus."""

    def __init__(self, articles: int, actors: int, seed: int, progress: Callable[[int, int], None] | None = None):
        self.articles, self.actor_count, self.rng = articles, actors, random.Random(seed)
        self.progress = progress or (lambda done, total: None)
        models = [
            Source,
            Actor,
            Alias,
            Affiliation,
            Programme,
            ProgrammeParticipation,
            Article,
            ArticleAuthor,
            Citation,
            Mention,
            Event,
            EventParticipant,
            DateStatement,
            Quote,
        ]
        self.t = {model: Table(model) for model in models}
        self.through = {
            name: Table(through, with_pk=False)
            for name, through in [
                ("event_citations", Event.citations.through),
                ("event_programmes", Event.programmes.through),
                ("statement_citations", DateStatement.citations.through),
                ("participant_citations", EventParticipant.citations.through),
                ("affiliation_citations", Affiliation.citations.through),
                ("participation_citations", ProgrammeParticipation.citations.through),
            ]
        }
        self.ids = {model: itertools.count((model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1) for model in models}

    def next_id(self, model) -> int:
        return next(self.ids[model])

    @transaction.atomic
    def run(self) -> Counter:
        self.writer = Writer()
        self.write_sources()
        self.write_actors()
        self.write_programmes()
        with rum_index_set_aside():
            for start in range(0, self.articles, BATCH):
                self.write_articles(range(start, min(self.articles, start + BATCH)))
                self.progress(min(self.articles, start + BATCH), self.articles)
        self.reset_sequences()  # the corpus version is bumped by its triggers, once, at commit
        return self.writer.rows

    def reset_sequences(self):
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.t)):
                cursor.execute(sql)

    # -- Sources, actors, programmes (all in memory: a few thousand rows) --

    def write_sources(self):
        kinds = list(SourceKind.values)
        rows = []
        for i in range(SOURCES):
            name = f"{SOURCE_NAMES[i % len(SOURCE_NAMES)]} {SOURCE_SUFFIXES[i % len(SOURCE_SUFFIXES)]}"
            rows.append(
                self.t[Source].row(
                    id=self.next_id(Source),
                    slug=f"{PREFIX}source-{i}",
                    name=name,
                    kind=kinds[i % len(kinds)],
                    homepage=f"https://source-{i}.example.org",
                    description=f"A synthetic {kinds[i % len(kinds)].replace('_', ' ')}.",
                )
            )
        self.writer.write(self.t[Source], rows)
        self.source_ids = [row[0] for row in rows]
        self.source_weights = zipf(SOURCES, 0.8)

    def write_actors(self):
        kinds = [ACTOR_KINDS[i % len(ACTOR_KINDS)] for i in range(self.actor_count)]
        # Names already in the database (the seeds, say) are taken too: the integrity check flags shared names.
        self.existing = [normalize_name(n) for n in Actor.objects.values_list("name", flat=True)]
        self.existing += list(Alias.objects.filter(actor__isnull=False).values_list("normalized", flat=True))
        names, seen = [], set(self.existing)
        counters = Counter()
        for kind in kinds:
            n = counters[kind]
            counters[kind] += 1
            name = self._actor_name(kind, n)
            while normalize_name(name) in seen:  # made-up names can collide: number the later one
                name = f"{name} {n}"
            seen.add(normalize_name(name))
            names.append(name)
        ids = [self.next_id(Actor) for _ in kinds]
        states = [i for i, kind in enumerate(kinds) if kind == ActorKind.STATE]
        rows = []
        for i, (actor_id, kind, name) in enumerate(zip(ids, kinds, names, strict=True)):
            country = (
                ids[states[self.rng.randrange(len(states))]]
                if states and kind != ActorKind.STATE and self.rng.random() < 0.5
                else None
            )
            rows.append(
                self.t[Actor].row(
                    id=actor_id,
                    slug=f"{PREFIX}actor-{i}",
                    name=name,
                    kind=kind,
                    country_id=country,
                    description=f"A synthetic {kind} for benchmarks.",
                    iso_code=f"Q{i:02d}"[:3] if kind == ActorKind.STATE else "",
                )
            )
        self.writer.write(self.t[Actor], rows)
        self.actor_ids, self.actor_kinds, self.actor_names = ids, kinds, names
        self.people = [i for i, kind in enumerate(kinds) if kind == ActorKind.PERSON] or list(range(len(kinds)))
        self.actor_weights = zipf(len(ids), 0.9)  # a few actors (NATO, Azerbaijan...) are named in most articles
        self.people_weights = zipf(len(self.people), 0.9)
        self.write_aliases(names)

    @staticmethod
    def _actor_name(kind: str, n: int) -> str:
        if kind == ActorKind.PERSON:
            first, rest = FIRST_NAMES[n % len(FIRST_NAMES)], n // len(FIRST_NAMES)
            last, initial = LAST_NAMES[rest % len(LAST_NAMES)], rest // len(LAST_NAMES)
            return f"{first} {chr(ord('A') + initial - 1)}. {last}" if 0 < initial <= 26 else f"{first} {last}"
        if kind == ActorKind.ORGANISATION:
            adjective, rest = ORG_ADJECTIVES[n % len(ORG_ADJECTIVES)], n // len(ORG_ADJECTIVES)
            noun, rest = ORG_NOUNS[rest % len(ORG_NOUNS)], rest // len(ORG_NOUNS)
            return f"{adjective} {noun} {ORG_TOPICS[rest % len(ORG_TOPICS)]}".strip()
        return (
            PSEUDO_WORDS[-1 - n % len(PSEUDO_WORDS)].capitalize() + ["ia", "stan", "land", "ova"][n % 4]
        )  # not vocabulary words

    def write_aliases(self, names):
        drafts = []  # (actor index, alias name, kind)
        for i, (kind, name) in enumerate(zip(self.actor_kinds, names, strict=True)):
            if kind == ActorKind.PERSON:
                drafts.append((i, name.split()[-1], AliasKind.SHORT_NAME))
            elif kind == ActorKind.ORGANISATION:
                drafts.append((i, "".join(word[0] for word in name.split() if word[0].isupper()), AliasKind.ACRONYM))
            else:
                drafts.append((i, f"{name} Republic", AliasKind.OFFICIAL_NAME))
                drafts.append((i, f"{name[:-1]}i", AliasKind.ADJECTIVAL))
        # A name that several actors share is ambiguous, as 'Aliyev' is: kept, but not used for linking.
        uses = (
            Counter(self.existing) + Counter(normalize_name(n) for n in names) + Counter(normalize_name(n) for _, n, _ in drafts)
        )
        rows = [
            self.t[Alias].row(
                id=(alias_id := self.next_id(Alias)),
                key=f"{PREFIX}alias-{alias_id}",
                actor_id=self.actor_ids[i],
                name=alias,
                normalized=normalize_name(alias),
                kind=kind,
                language="en",
                is_ambiguous=uses[normalize_name(alias)] > 1,
            )
            for i, alias, kind in drafts
        ]
        self.writer.write(self.t[Alias], rows)

    def write_programmes(self):
        kinds = list(ProgrammeKind.values)
        organisations = [i for i, kind in enumerate(self.actor_kinds) if kind == ActorKind.ORGANISATION]
        owner = self.actor_ids[organisations[0]] if organisations else None
        rows, aliases = [], []
        for i in range(PROGRAMMES):
            words = [PROGRAMME_WORDS[(i + k * 5) % len(PROGRAMME_WORDS)] for k in range(3)]
            name, acronym = (
                f"{' '.join(words)} {kinds[i % len(kinds)].replace('_', ' ').title()} {i}",
                f"{''.join(w[0] for w in words)}{i}",
            )
            programme_id = self.next_id(Programme)
            rows.append(
                self.t[Programme].row(
                    id=programme_id,
                    slug=f"{PREFIX}programme-{i}",
                    name=name,
                    acronym=acronym,
                    kind=kinds[i % len(kinds)],
                    owner_id=owner,
                    description="A synthetic programme.",
                )
            )
            alias_id = self.next_id(Alias)
            aliases.append(
                self.t[Alias].row(
                    id=alias_id,
                    key=f"{PREFIX}alias-{alias_id}",
                    programme_id=programme_id,
                    name=acronym,
                    normalized=normalize_name(acronym),
                    kind=AliasKind.ACRONYM,
                    language="en",
                )
            )
        self.writer.write(self.t[Programme], rows)
        self.writer.write(self.t[Alias], aliases)
        self.programme_ids = [row[0] for row in rows]

    # -- Articles, in batches --

    def body(self, names: list[str]) -> tuple[str, list[tuple[int, int]], list[tuple[int, int, int]]]:
        """2,400–3,600 characters of sentences naming ``names`` in order, one per sentence.

        Returns the text, the (start, end) of each sentence and the (start, end, sentence) of each name.
        """
        rng, target = self.rng, self.rng.randint(2400, 3600)
        words = iter(rng.choices(VOCABULARY, cum_weights=VOCABULARY_WEIGHTS, k=target // 5))
        named = {i * 4 + rng.randrange(4): name for i, name in enumerate(names)}  # one name in every ~4 sentences
        parts, sentences, spans, length = [], [], [], 0
        while length < target or len(spans) < len(names):
            count = rng.randint(8, 20)
            sentence_words = [next(words, "and") for _ in range(count)]
            sentence_words[0] = sentence_words[0].capitalize()
            name = named.get(len(sentences))
            if name is not None:
                at = rng.randint(1, count)
                before = " ".join(sentence_words[:at]) + " "
                spans.append((length + len(before), length + len(before) + len(name), len(sentences)))
                sentence = f"{before}{name} {' '.join(sentence_words[at:])}".rstrip() + "."
            else:
                sentence = " ".join(sentence_words) + "."
            sentences.append((length, length + len(sentence)))
            parts.append(sentence)
            length += len(sentence) + 1
        return " ".join(parts), sentences, spans

    def write_articles(self, numbers: range):
        rng, t = self.rng, self.t
        out = {table: [] for table in [*t.values(), *self.through.values()]}
        for n in numbers:
            article_id = self.next_id(Article)
            slug = f"{PREFIX}article-{n}"
            # The first mention(s) go round the actors so every actor is named somewhere; the rest favour popular ones.
            actors = len(self.actor_ids)
            covering = min(MENTIONS_PER_ARTICLE, -(-actors // self.articles))
            picks = [(n * covering + k) % actors for k in range(covering)]
            picks += rng.choices(range(actors), cum_weights=self.actor_weights, k=MENTIONS_PER_ARTICLE - covering)
            rng.shuffle(picks)
            names = [self.actor_names[i] for i in picks]
            body, sentences, spans = self.body(names)
            published = PUBLISHED_FROM + dt.timedelta(minutes=rng.randrange(PUBLISHED_MINUTES))
            topic = rng.choice(DOMAIN_WORDS)
            title = f"{names[0]} and {names[1]} on {topic} and {rng.choice(DOMAIN_WORDS)}"
            out[t[Article]].append(
                t[Article].row(
                    id=article_id,
                    slug=slug,
                    title=title,
                    source_id=rng.choices(self.source_ids, cum_weights=self.source_weights)[0],
                    url=f"https://news.example.org/{n}",
                    language="en",
                    published_at=published,
                    published_precision="day",
                    published_utc_offset="+04:00",
                    published_text=published.strftime("%d %B %Y, %H:%M"),
                    body=body,
                    body_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
                )
            )
            authors = rng.choices(range(len(self.people)), cum_weights=self.people_weights, k=rng.choice((0, 1, 1, 1, 1, 2)))
            for position, author in enumerate(dict.fromkeys(authors), start=1):
                out[t[ArticleAuthor]].append(
                    t[ArticleAuthor].row(
                        id=self.next_id(ArticleAuthor),
                        key=f"{slug}:{position}",
                        article_id=article_id,
                        author_id=self.actor_ids[self.people[author]],
                        position=position,
                    )
                )
            for (start, end, _), actor in zip(spans, picks, strict=True):
                out[t[Mention]].append(
                    t[Mention].row(
                        id=self.next_id(Mention),
                        key=f"{slug}:{start}-{end}",
                        article_id=article_id,
                        start=start,
                        end=end,
                        text=body[start:end],
                        actor_id=self.actor_ids[actor],
                        method="automatic",
                    )
                )
            self.draw_facts(out, n, article_id, slug, body, sentences, spans, picks, published)
        for table, rows in out.items():  # in dependency order: the dict keeps the order of self.t, then through tables
            self.writer.write(table, rows)

    def draw_facts(self, out, n, article_id, slug, body, sentences, spans, picks, published):
        """Events, quotes, affiliations and participations this article is the source of, each citing one of its sentences."""
        rng, t = self.rng, self.t
        cited = {}  # sentence index -> citation id: facts citing the same sentence share one citation

        def cite(sentence: int) -> int:
            if sentence not in cited:
                start, end = sentences[sentence]
                cited[sentence] = self.next_id(Citation)
                out[t[Citation]].append(
                    t[Citation].row(
                        id=cited[sentence],
                        key=f"{slug}:{start}-{end}",
                        article_id=article_id,
                        start=start,
                        end=end,
                        excerpt=body[start:end],
                    )
                )
            return cited[sentence]

        mentioned = list(dict.fromkeys(zip(picks, (s for _, _, s in spans), strict=True)))  # (actor, sentence)
        if rng.random() < QUOTE_RATE:  # at most one quote an article, so a citation has at most one (one-to-one)
            people = [(a, s) for a, s in mentioned if self.actor_kinds[a] == ActorKind.PERSON]
            if people:
                speaker, sentence = rng.choice(people)
                out[t[Quote]].append(
                    t[Quote].row(
                        id=self.next_id(Quote),
                        key=f"{PREFIX}quote-{slug}",
                        citation_id=cite(sentence),
                        speaker_id=self.actor_ids[speaker],
                        context="As quoted by the article.",
                    )
                )
        if rng.random() < EVENT_RATE:
            self.draw_event(out, n, published, mentioned, len(sentences), cite)
        if rng.random() < AFFILIATION_RATE:
            people = [(a, s) for a, s in mentioned if self.actor_kinds[a] == ActorKind.PERSON]
            bodies = [a for a, _ in mentioned if self.actor_kinds[a] != ActorKind.PERSON]
            if people and bodies:
                member, sentence = rng.choice(people)
                affiliation_id = self.next_id(Affiliation)
                out[t[Affiliation]].append(
                    t[Affiliation].row(
                        id=affiliation_id,
                        key=f"{PREFIX}affiliation-{affiliation_id}",
                        member_id=self.actor_ids[member],
                        organisation_id=self.actor_ids[rng.choice(bodies)],
                        role=rng.choice(AFFILIATION_ROLES),
                        **self.date_fields(""),
                    )
                )
                out[self.through["affiliation_citations"]].append(
                    self.through["affiliation_citations"].row(affiliation_id=affiliation_id, citation_id=cite(sentence))
                )
        if rng.random() < PARTICIPATION_RATE:
            participant, sentence = rng.choice(mentioned)
            participation_id = self.next_id(ProgrammeParticipation)
            year = published.year - rng.randint(0, 5)
            out[t[ProgrammeParticipation]].append(
                t[ProgrammeParticipation].row(
                    id=participation_id,
                    key=f"{PREFIX}participation-{participation_id}",
                    programme_id=rng.choice(self.programme_ids),
                    participant_id=self.actor_ids[participant],
                    label=f"cycle {year}",
                    **self.date_fields(f"{year}/{year + 2}"),
                )
            )
            out[self.through["participation_citations"]].append(
                self.through["participation_citations"].row(
                    programmeparticipation_id=participation_id, citation_id=cite(sentence)
                )
            )

    def draw_event(self, out, n, published, mentioned, sentences: int, cite):
        rng, t = self.rng, self.t
        event_id = self.next_id(Event)
        slug = f"{PREFIX}event-{n}"
        type_ = rng.choice(EventType.values)
        participants = list(dict.fromkeys(a for a, _ in mentioned))[: rng.randint(2, 3)]
        place = rng.choice(PLACES)
        states = [a for a in participants if self.actor_kinds[a] == ActorKind.STATE]
        edtf = self.draw_edtf(published)
        label = EventType(type_).label
        title = f"{label[0].upper()}{label[1:]} in {place}: {' and '.join(self.actor_names[a] for a in participants[:2])}"
        out[t[Event]].append(
            t[Event].row(
                id=event_id,
                slug=slug,
                title=title[:300],
                type=type_,
                place=place,
                description=f"A synthetic {label}.",
                country_id=self.actor_ids[states[0]] if states else None,
                **self.date_fields(edtf),
            )
        )
        citation_id = cite(next(s for a, s in mentioned if a == participants[0]))
        out[self.through["event_citations"]].append(
            self.through["event_citations"].row(event_id=event_id, citation_id=citation_id)
        )
        roles = rng.sample(ParticipantRole.values, len(participants))
        for actor, role in zip(participants, roles, strict=True):
            participant_id = self.next_id(EventParticipant)
            out[t[EventParticipant]].append(
                t[EventParticipant].row(
                    id=participant_id, key=f"{slug}:{actor}:{role}", event_id=event_id, actor_id=self.actor_ids[actor], role=role
                )
            )
            out[self.through["participant_citations"]].append(
                self.through["participant_citations"].row(eventparticipant_id=participant_id, citation_id=citation_id)
            )
        statements = [(edtf, citation_id, True)]
        if rng.random() < DISPUTE_RATE:  # another source of the same article dates it differently
            other = self.draw_edtf(published - dt.timedelta(days=rng.randint(200, 800)))
            if other != edtf:
                statements.append((other, cite(rng.randrange(sentences)), False))
        for position, (statement_edtf, statement_citation, preferred) in enumerate(statements, start=1):
            statement_id = self.next_id(DateStatement)
            out[t[DateStatement]].append(
                t[DateStatement].row(
                    id=statement_id,
                    key=f"{slug}:{position}",
                    event_id=event_id,
                    is_preferred=preferred,
                    note="" if preferred else "Another passage gives an earlier date.",
                    **self.date_fields(statement_edtf),
                )
            )
            out[self.through["statement_citations"]].append(
                self.through["statement_citations"].row(datestatement_id=statement_id, citation_id=statement_citation)
            )
        if rng.random() < 0.3:
            out[self.through["event_programmes"]].append(
                self.through["event_programmes"].row(event_id=event_id, programme_id=rng.choice(self.programme_ids))
            )

    def draw_edtf(self, before: dt.datetime) -> str:
        """An EDTF date up to ten years before ``before``, as precise as sources tend to be."""
        day = (before - dt.timedelta(days=self.rng.randrange(3650))).date()
        form = self.rng.choices(
            ["day", "month", "year", "interval", "approximate", "decade"], cum_weights=[40, 65, 80, 90, 95, 100]
        )[0]
        if form == "day":
            return day.isoformat()
        if form == "month":
            return day.isoformat()[:7]
        if form == "year":
            return str(day.year)
        if form == "interval":
            return f"{day.isoformat()[:7]}/{min(day.year + 1, before.year)}-{day.month:02d}"
        if form == "approximate":
            return f"{day.year}~/{day.year + 2}~"
        return f"{str(day.year)[:3]}X"

    @staticmethod
    def date_fields(edtf: str) -> dict:
        parsed = FuzzyDate.parse(edtf)
        return {
            "date_edtf": parsed.edtf,
            "date_text": parsed.label if edtf else "",
            "date_earliest": parsed.earliest,
            "date_latest": parsed.latest,
            "date_precision": parsed.precision,
        }


def generate(articles: int, actors: int, seed: int, progress: Callable[[int, int], None] | None = None) -> Counter:
    """Write a synthetic corpus in one transaction; return the rows written per table."""
    rows = Generator(articles, actors, seed, progress).run()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # fresh statistics, or the planner guesses from an empty table
            for table in rows:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return rows


def delete_synthetic() -> None:
    """Delete every synthetic row (slugs and keys start with PREFIX) with plain DELETEs, children first.

    Not ``QuerySet.delete()``: it would load every row to send signals and collect cascades.
    """
    quote = connection.ops.quote_name
    by_slug = {"slug__startswith": PREFIX}
    steps = [
        (Event.citations.through, {"event__slug__startswith": PREFIX}),
        (Event.programmes.through, {"event__slug__startswith": PREFIX}),
        (DateStatement.citations.through, {"datestatement__key__startswith": PREFIX}),
        (EventParticipant.citations.through, {"eventparticipant__key__startswith": PREFIX}),
        (Affiliation.citations.through, {"affiliation__key__startswith": PREFIX}),
        (ProgrammeParticipation.citations.through, {"programmeparticipation__key__startswith": PREFIX}),
        (Quote, {"key__startswith": PREFIX}),
        (DateStatement, {"key__startswith": PREFIX}),
        (EventParticipant, {"key__startswith": PREFIX}),
        (Event, by_slug),
        (Affiliation, {"key__startswith": PREFIX}),
        (ProgrammeParticipation, {"key__startswith": PREFIX}),
        (Mention, {"key__startswith": PREFIX}),
        (Citation, {"key__startswith": PREFIX}),
        (ArticleAuthor, {"key__startswith": PREFIX}),
        (Article, by_slug),
        (Alias, {"key__startswith": PREFIX}),
        (Programme, by_slug),
        (Source, by_slug),
        (Actor, by_slug),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for model, lookup in steps:
            pks, params = model.objects.filter(**lookup).values("pk").query.sql_with_params()
            table = quote(model._meta.db_table)
            # SQLite and PostgreSQL both take "IN (SELECT ...)" over the same table.
            cursor.execute(f"DELETE FROM {table} WHERE {quote(model._meta.pk.column)} IN ({pks})", params)
