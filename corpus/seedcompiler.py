"""Compile the curated seed YAML (fixtures/curated/) and saved pages (fixtures/pages/) into a fixture.

The output is a Django fixture with natural keys: ``fixtures/corpus.json``. Every citation's
offsets are computed here from its excerpt, so ``article.body[start:end] == excerpt`` by
construction. See docs/seed-format.md for the input format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from corpus.dates import FuzzyDate, Precision
from corpus.models.articles import checksum
from corpus.normalize import normalize_name
from corpus.services.linking import NameIndex

LOAD_ORDER = ["actor", "source", "article", "citation", "articleauthor", "programme", "alias", "affiliation",
              "programmeparticipation", "event", "eventparticipant", "datestatement", "quote", "mention"]  # fmt: skip
FILES = ["sources", "articles", "actors", "programmes", "events", "quotes"]


class CompileError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Compiler:
    curated_dir: Path
    pages_dir: Path
    problems: list[str] = field(default_factory=list)
    objects: list[dict] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)
    citations: dict[str, dict] = field(default_factory=dict)
    slugs: dict[str, set[str]] = field(default_factory=dict)
    event_citations: dict[str, list[str]] = field(default_factory=dict)

    # -- helpers -------------------------------------------------------------------------------

    def problem(self, file: str, obj: str, fld: str, message: str) -> None:
        self.problems.append(f"{file}.yaml: {obj}: {fld}: {message}")

    def emit(self, model: str, fields: dict) -> None:
        self.objects.append({"model": f"corpus.{model}", "fields": fields})

    def ref(self, kind: str, slug, file: str, obj: str, fld: str, *, required: bool = False):
        """A natural foreign key to a slugged row, or None; records a problem if it dangles."""
        if slug in (None, ""):
            if required:
                self.problem(file, obj, fld, "is required")
            return None
        if slug not in self.slugs.get(kind, set()):
            self.problem(file, obj, fld, f"no {kind} with slug '{slug}'")
            return None
        return [slug]

    def cite(self, passages, file: str, obj: str, fld: str = "cite") -> list[list[str]]:
        """Resolve ``[[article, excerpt(, n)], ...]`` to citation natural keys, creating citations."""
        keys = []
        for passage in passages or []:
            key = self.passage(passage, file, obj, fld)
            if key:
                keys.append([key])
        return keys

    def passage(self, passage, file: str, obj: str, fld: str) -> str | None:
        if not isinstance(passage, list | tuple) or len(passage) not in (2, 3):
            self.problem(file, obj, fld, f"{passage!r} is not [article, excerpt] or [article, excerpt, n]")
            return None
        article, excerpt = passage[0], passage[1]
        occurrence = passage[2] if len(passage) == 3 else None
        body = self.bodies.get(article)
        if body is None:
            self.problem(file, obj, fld, f"no article with slug '{article}'")
            return None
        starts = _occurrences(body, excerpt)
        if not starts:
            self.problem(file, obj, fld, f"excerpt not found in article '{article}': {excerpt!r}")
            return None
        if occurrence is None and len(starts) > 1:
            self.problem(file, obj, fld, f"excerpt occurs {len(starts)} times in '{article}'; add which (1-based): {excerpt!r}")
            return None
        if occurrence is not None and not 1 <= occurrence <= len(starts):
            self.problem(file, obj, fld, f"excerpt occurs {len(starts)} times in '{article}', not {occurrence}")
            return None
        start = starts[(occurrence or 1) - 1]
        end = start + len(excerpt)
        key = f"{article}:{start}-{end}"
        self.citations[key] = {"article": [article], "start": start, "end": end, "excerpt": excerpt}
        return key

    def date(self, value, file: str, obj: str, fld: str = "date") -> dict:
        value = value or {}
        try:
            parsed = FuzzyDate.parse(value.get("edtf") or "")
        except ValidationError as exc:
            self.problem(file, obj, fld, "; ".join(exc.messages))
            parsed = FuzzyDate.parse("")
        return {
            "date_edtf": parsed.edtf,
            "date_earliest": _iso(parsed.earliest),
            "date_latest": _iso(parsed.latest),
            "date_precision": str(parsed.precision),
            "date_text": value.get("text") or "",
        }

    def load(self, name: str) -> list[dict]:
        path = self.curated_dir / f"{name}.yaml"
        if not path.exists():
            self.problems.append(f"{name}.yaml: missing")
            return []
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list):
            self.problems.append(f"{name}.yaml: the file must hold a list of entries")
            return []
        return entries

    # -- compilation ---------------------------------------------------------------------------

    def compile(self) -> list[dict]:
        data = {name: self.load(name) for name in FILES}
        for kind, file in [("source", "sources"), ("article", "articles"), ("actor", "actors"),
                           ("programme", "programmes"), ("event", "events")]:  # fmt: skip
            seen = self.slugs.setdefault(kind, set())
            for entry in data[file]:
                slug = entry.get("slug")
                if not slug or slug != slugify(slug):
                    self.problem(file, repr(slug), "slug", "must be a lowercase slug")
                elif slug in seen:
                    self.problem(file, slug, "slug", "is used twice")
                seen.add(slug)
        self.compile_articles(data["articles"])
        self.compile_sources(data["sources"])
        self.compile_actors(data["actors"])
        self.compile_programmes(data["programmes"])
        self.compile_events(data["events"])
        self.compile_quotes(data["quotes"])
        self.compile_mentions(data)
        citations = [{"model": "corpus.citation", "fields": {"key": k, **v}} for k, v in sorted(self.citations.items())]
        if self.problems:
            raise CompileError(self.problems)
        # Referenced rows before the rows whose non-null foreign keys point to them.
        objects = citations + self.objects
        return sorted(objects, key=lambda obj: LOAD_ORDER.index(obj["model"].split(".")[1]))

    def compile_sources(self, entries):
        for entry in entries:
            slug = entry.get("slug")
            self.emit("source", {
                "slug": slug,
                "name": entry.get("name", ""),
                "kind": entry.get("kind", ""),
                "homepage": entry.get("homepage") or "",
                "description": entry.get("description") or "",
                "organisation": self.ref("actor", entry.get("organisation"), "sources", slug, "organisation"),
            })  # fmt: skip

    def compile_articles(self, entries):
        for entry in entries:
            slug = entry.get("slug")
            page = self.pages_dir / (entry.get("page") or "")
            if not page.is_file():
                self.problem("articles", slug, "page", f"no saved page {page.name!r}")
                continue
            lines = page.read_text(encoding="utf-8").splitlines()
            paragraphs = []
            for first, last in entry.get("body_lines") or []:
                if not 1 <= first <= last <= len(lines):
                    self.problem("articles", slug, "body_lines", f"[{first}, {last}] is outside 1..{len(lines)}")
                    continue
                paragraphs += [line.strip() for line in lines[first - 1 : last] if line.strip()]
            self.bodies[slug] = "\n\n".join(paragraphs)
        for entry in entries:
            slug = entry.get("slug")
            if slug not in self.bodies:
                continue
            published = entry.get("published") or {}
            at, offset = None, ""
            if published:
                try:
                    moment = dt.datetime.fromisoformat(published["at"])
                except (KeyError, TypeError, ValueError):
                    self.problem("articles", slug, "published.at", "must be an ISO 8601 date-time with its offset")
                    moment = None
                if moment is not None:
                    if moment.tzinfo is None:
                        self.problem("articles", slug, "published.at", "needs the page's UTC offset")
                    else:
                        at = moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
                        offset = moment.strftime("%z")
                        offset = f"{offset[:3]}:{offset[3:]}"
            elif not entry.get("published_note"):
                self.problem("articles", slug, "published_note", "say why the publication date is unknown")
            if not entry.get("source") and not entry.get("source_note"):
                self.problem("articles", slug, "source_note", "say why the outlet is unknown")
            self.emit("article", {
                "slug": slug,
                "title": entry.get("title", ""),
                "source": self.ref("source", entry.get("source"), "articles", slug, "source"),
                "source_note": entry.get("source_note") or "",
                "url": entry.get("url") or "",
                "language": entry.get("language") or "en",
                "published_at": at,
                "published_utc_offset": offset,
                "published_precision": published.get("precision", Precision.DAY) if published else Precision.UNKNOWN,
                "published_text": published.get("text", "") if published else "",
                "published_note": entry.get("published_note") or "",
                "body": self.bodies[slug],
                "body_sha256": checksum(self.bodies[slug]),
                "seed_file": entry.get("page"),
            })  # fmt: skip
            for position, author in enumerate(entry.get("authors") or [], start=1):
                self.emit("articleauthor", {
                    "key": f"{slug}:{position}",
                    "article": [slug],
                    "author": self.ref("actor", author, "articles", slug, "authors", required=True),
                    "position": position,
                })  # fmt: skip

    def aliases(self, owner_type: str, owner: str, aliases, file: str):
        for alias in aliases or []:
            name = alias.get("name", "")
            self.emit("alias", {
                "key": f"{owner_type}:{owner}:{normalize_name(name)}",
                "actor": [owner] if owner_type == "actor" else None,
                "programme": [owner] if owner_type == "programme" else None,
                "name": name,
                "normalized": normalize_name(name),
                "kind": alias.get("kind", ""),
                "language": alias.get("language") or "en",
                "is_ambiguous": bool(alias.get("ambiguous", False)),
            })  # fmt: skip

    def compile_actors(self, entries):
        for entry in entries:
            slug = entry.get("slug")
            self.emit("actor", {
                "slug": slug,
                "name": entry.get("name", ""),
                "kind": entry.get("kind", ""),
                "description": entry.get("description") or "",
                "country": self.ref("actor", entry.get("country"), "actors", slug, "country"),
                "parent": self.ref("actor", entry.get("parent"), "actors", slug, "parent"),
                "iso_code": entry.get("iso_code") or "",
                "wikidata_id": entry.get("wikidata_id") or "",
                "citations": self.cite(entry.get("cite"), "actors", slug),
            })  # fmt: skip
            self.aliases("actor", slug, entry.get("aliases"), "actors")
            for n, affiliation in enumerate(entry.get("affiliations") or [], start=1):
                organisation = affiliation.get("organisation")
                self.emit("affiliation", {
                    "key": f"{slug}:{organisation}:{n}",
                    "member": [slug],
                    "organisation": self.ref(
                        "actor", organisation, "actors", slug, f"affiliations[{n}].organisation", required=True
                    ),
                    "role": affiliation.get("role", ""),
                    **self.date(affiliation.get("date"), "actors", slug, f"affiliations[{n}].date"),
                    "citations": self.cite(affiliation.get("cite"), "actors", slug, f"affiliations[{n}].cite"),
                })  # fmt: skip

    def compile_programmes(self, entries):
        for entry in entries:
            slug = entry.get("slug")
            self.emit("programme", {
                "slug": slug,
                "name": entry.get("name", ""),
                "acronym": entry.get("acronym") or "",
                "kind": entry.get("kind", ""),
                "owner": self.ref("actor", entry.get("owner"), "programmes", slug, "owner"),
                "description": entry.get("description") or "",
                "citations": self.cite(entry.get("cite"), "programmes", slug),
            })  # fmt: skip
            self.aliases("programme", slug, entry.get("aliases"), "programmes")
            for n, participation in enumerate(entry.get("participations") or [], start=1):
                participant = participation.get("participant")
                self.emit("programmeparticipation", {
                    "key": f"{slug}:{participant}:{n}",
                    "programme": [slug],
                    "participant": self.ref(
                        "actor", participant, "programmes", slug, f"participations[{n}].participant", required=True
                    ),
                    "label": participation.get("label") or "",
                    "note": participation.get("note") or "",
                    **self.date(participation.get("date"), "programmes", slug, f"participations[{n}].date"),
                    "citations": self.cite(participation.get("cite"), "programmes", slug, f"participations[{n}].cite"),
                })  # fmt: skip

    def compile_events(self, entries):
        for entry in entries:
            slug = entry.get("slug")
            dates = entry.get("dates") or []
            preferred = [d for d in dates if d.get("preferred")]
            if len(preferred) > 1:
                self.problem("events", slug, "dates", "at most one date may be preferred")
            if len(dates) == 1 and not preferred:
                preferred = dates  # a lone statement is the event's date
            self.emit("event", {
                "slug": slug,
                "title": entry.get("title", ""),
                "type": entry.get("type", ""),
                "description": entry.get("description") or "",
                "place": entry.get("place") or "",
                "country": self.ref("actor", entry.get("country"), "events", slug, "country"),
                "programmes": [self.ref("programme", p, "events", slug, "programmes") for p in entry.get("programmes") or []],
                "citations": self.cite_event(entry, slug),
                **self.date(preferred[0] if preferred else None, "events", slug, "dates"),
            })  # fmt: skip
            for participant in entry.get("participants") or []:
                actor, role = participant.get("actor"), participant.get("role")
                self.emit("eventparticipant", {
                    "key": f"{slug}:{actor}:{role}",
                    "event": [slug],
                    "actor": self.ref("actor", actor, "events", slug, "participants.actor", required=True),
                    "role": role,
                    "citations": self.cite(participant.get("cite"), "events", slug, f"participants[{actor}].cite"),
                })  # fmt: skip
            for n, statement in enumerate(dates, start=1):
                citations = self.cite(statement.get("cite"), "events", slug, f"dates[{n}].cite")
                if not citations:
                    self.problem("events", slug, f"dates[{n}].cite", "a date statement must cite its source")
                self.emit("datestatement", {
                    "key": f"{slug}:{n}",
                    "event": [slug],
                    "is_preferred": statement is (preferred[0] if preferred else None),
                    "note": statement.get("note") or "",
                    **self.date(statement, "events", slug, f"dates[{n}]"),
                    "citations": citations,
                })  # fmt: skip

    def cite_event(self, entry, slug):
        keys = self.cite(entry.get("cite"), "events", slug)
        self.event_citations[slug] = [key for (key,) in keys]
        return keys

    def compile_quotes(self, entries):
        for n, entry in enumerate(entries, start=1):
            name = f"quote {n} ({entry.get('speaker')})"
            key = self.passage(entry.get("cite"), "quotes", name, "cite")
            if key is None:
                continue
            self.emit("quote", {
                "key": f"quote:{key}",
                "citation": [key],
                "speaker": self.ref("actor", entry.get("speaker"), "quotes", name, "speaker", required=True),
                "event": self.ref("event", entry.get("event"), "quotes", name, "event"),
                "context": entry.get("context") or "",
            })  # fmt: skip

    def compile_mentions(self, data):
        names = []
        for target_type, file in [("actor", "actors"), ("programme", "programmes")]:
            for entry in data[file]:
                names.append((entry.get("name", ""), target_type, entry["slug"]))
                if entry.get("acronym"):
                    names.append((entry["acronym"], target_type, entry["slug"]))
                names += [(a.get("name", ""), target_type, entry["slug"]) for a in entry.get("aliases") or []
                          if not a.get("ambiguous")]  # fmt: skip
        index = NameIndex(names)
        mentions: dict[tuple[str, int, int], dict] = {}
        for article, body in self.bodies.items():
            for match in index.find(body):
                mentions[(article, match.start, match.end)] = {match.target_type: [match.target_slug]}
        for target_type, file in [("actor", "actors"), ("programme", "programmes"), ("event", "events")]:
            for entry in data[file]:
                for passage in entry.get("mentions") or []:
                    key = self.passage(passage, file, entry["slug"], "mentions")
                    if key:
                        cited = self.citations.pop(key)
                        mentions[(passage[0], cited["start"], cited["end"])] = {target_type: [entry["slug"]]}
        for event, keys in self.event_citations.items():  # an event is mentioned where it is cited
            for key in keys:
                citation = self.citations[key]
                mentions.setdefault((citation["article"][0], citation["start"], citation["end"]), {"event": [event]})
        for (article, start, end), target in sorted(mentions.items()):
            self.emit("mention", {
                "key": f"{article}:{start}-{end}",
                "article": [article],
                "start": start,
                "end": end,
                "text": self.bodies[article][start:end],
                "actor": target.get("actor"),
                "programme": target.get("programme"),
                "event": target.get("event"),
                "method": "curated",
            })  # fmt: skip


def _occurrences(body: str, excerpt: str) -> list[int]:
    if not excerpt:
        return []
    starts, i = [], body.find(excerpt)
    while i != -1:
        starts.append(i)
        i = body.find(excerpt, i + 1)
    return starts


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
