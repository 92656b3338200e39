"""The corpus domain: who did what, when, according to which words of which article."""

from corpus.models.actors import Actor, Affiliation, Alias
from corpus.models.articles import Article, ArticleAuthor, Source
from corpus.models.events import DateStatement, Event, EventParticipant
from corpus.models.programmes import Programme, ProgrammeParticipation
from corpus.models.provenance import Citation, Mention, Quote
from corpus.models.state import DatabaseEpoch, SeedRecord
from corpus.models.version import CorpusVersion

# Bookkeeping about the database, not content a curator edits: no admin, no history, not in the seed.
BOOKKEEPING = ("CorpusVersion", "DatabaseEpoch", "SeedRecord")

__all__ = [
    "BOOKKEEPING",
    "Actor",
    "Affiliation",
    "Alias",
    "Article",
    "ArticleAuthor",
    "Citation",
    "CorpusVersion",
    "DatabaseEpoch",
    "DateStatement",
    "Event",
    "EventParticipant",
    "Mention",
    "Programme",
    "ProgrammeParticipation",
    "Quote",
    "SeedRecord",
    "Source",
]
