"""Finding known actors and programmes in text by their names and aliases."""

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    text: str
    target_type: str  # "actor" or "programme"
    target_slug: str


class NameIndex:
    """An Aho–Corasick automaton over surface names: exact, case-sensitive, whole words, longest first.

    A surface name claimed by two different targets is ambiguous and never matched.
    """

    def __init__(self, names: Iterable[tuple[str, str, str]]):
        targets: dict[str, set[tuple[str, str]]] = {}
        for surface, target_type, slug in names:
            if surface.strip():
                targets.setdefault(surface, set()).add((target_type, slug))
        self.automaton = ahocorasick.Automaton()
        for surface, owners in targets.items():
            if len(owners) == 1:
                ((target_type, slug),) = owners
                self.automaton.add_word(surface, (surface, target_type, slug))
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[NameMatch]:
        if self.empty:
            return []
        matches = []
        for last, (surface, target_type, slug) in self.automaton.iter_long(text):
            start, end = last - len(surface) + 1, last + 1
            if _is_word_edge(text, start - 1) and _is_word_edge(text, end):
                matches.append(NameMatch(start, end, surface, target_type, slug))
        return matches


def _is_word_edge(text: str, index: int) -> bool:
    return index < 0 or index >= len(text) or not text[index].isalnum()
