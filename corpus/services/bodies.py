"""Writing an article's body without breaking the passages that point into it.

Citations (and so quotes) and mentions hold character offsets into ``Article.body`` and the
text found there (``excerpt``, ``text``); the invariant is ``body[start:end] == excerpt``. A
browser's textarea sends every line ending as ``\\r\\n``, so a body is normalised to ``\\n`` on
every write path (``normalize_body``: here, ``Article.clean()``/``save()``, the admin form and the
seed loader). An edit of a body re-anchors every dependant in the same transaction: its text is
found again in the new body, preferring the occurrence whose surrounding text matches the old one
best and then the one nearest its old position (shifted by the edit). A dependant whose text is
gone, or an edit that would leave any passage wrong, is refused naming each one, with nothing
written. The database holds the invariant too (migration 0012): constraint triggers on
PostgreSQL, checked at commit; row triggers on the citation and mention tables on SQLite.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from corpus.models import Article, Citation, Mention
from corpus.models.articles import normalize_body

__all__ = ["Move", "normalize_body", "plan_reanchoring", "save_article"]

CONTEXT = 40  # characters on each side compared when a passage occurs more than once


@dataclass(frozen=True)
class Move:
    """Where a dependant's text stands in the new body."""

    row: Citation | Mention
    start: int
    end: int


def describe(row: Citation | Mention) -> str:
    text = row.excerpt if isinstance(row, Citation) else row.text
    short = text if len(text) <= 80 else text[:77] + "..."
    if isinstance(row, Citation):
        return f"citation {row.key} [{row.start}:{row.end}] “{short}”"
    return f"mention of {row.target} [{row.start}:{row.end}] “{short}”"


def plan_reanchoring(article: Article, old: str, new: str) -> list[Move]:
    """The new offsets of every citation and mention of ``article`` (whose body was ``old``) in ``new``.

    Raises ValidationError naming each dependant whose text ``new`` no longer holds.
    """
    rows: list[Citation | Mention] = [*Citation.objects.filter(article=article), *Mention.objects.filter(article=article)]
    if old == new:
        return [Move(row, row.start, row.end) for row in rows]
    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old, new, limit=min(len(old), len(new)) - prefix)
    moves, lost = [], []
    for row in rows:
        text = row.excerpt if isinstance(row, Citation) else row.text
        if old[row.start : row.end] != text:
            lost.append(row)  # already wrong before the edit: not something to guess
            continue
        if row.end <= prefix:  # before the edit: stays
            moves.append(Move(row, row.start, row.end))
            continue
        if row.start >= len(old) - suffix:  # after the edit: shifts by the change in length
            shift = len(new) - len(old)
            moves.append(Move(row, row.start + shift, row.end + shift))
            continue
        found = _find_again(old, new, row.start, row.end, text)
        if found is None:
            lost.append(row)
        else:
            moves.append(Move(row, found, found + len(text)))
    if lost:
        raise ValidationError(
            "This edit removes or changes passages that the corpus cites or links: "
            + "; ".join(describe(row) for row in lost)
            + ". Keep their text in the body, or change or delete them first.",
            code="passages_lost",
        )
    return moves


@transaction.atomic
def save_article(article: Article) -> list[Move]:
    """Save ``article`` as its fields now stand (body normalised), re-anchoring every passage that points into its body.

    One transaction: the article row is locked while its dependants move. Raises ValidationError with nothing written.
    """
    article.body = normalize_body(article.body)
    if article.pk is None:
        article.save()
        return []
    old = Article.objects.select_for_update().values_list("body", flat=True).get(pk=article.pk)
    moves = plan_reanchoring(article, old, article.body)
    article.save()
    moved = [move for move in moves if (move.start, move.end) != (move.row.start, move.row.end)]
    # Move rightwards ones from the right and leftwards ones from the left, so no two citations share a span in between.
    moved.sort(key=lambda move: -move.row.start if move.start > move.row.start else move.row.start + len(old))
    for move in moved:
        move.row.start, move.row.end = move.start, move.end
        move.row.save(update_fields=["start", "end"])  # one history record each
    _verify(article)
    return moved


def _verify(article: Article) -> None:
    """The service's own check of the invariant, before the database's at commit."""
    body = article.body
    wrong = [c for c in Citation.objects.filter(article=article) if body[c.start : c.end] != c.excerpt]
    wrong += [m for m in Mention.objects.filter(article=article) if body[m.start : m.end] != m.text]
    if wrong:
        raise ValidationError("Passages no longer match the body: " + "; ".join(map(describe, wrong)), code="passages_lost")


def _find_again(old: str, new: str, start: int, end: int, text: str) -> int | None:
    """The start of ``text`` in ``new`` best matching its old place: longest matching context, then nearest."""
    before, after = old[max(0, start - CONTEXT) : start], old[end : end + CONTEXT]
    expected = start * len(new) / max(len(old), 1)
    best, best_score = None, None
    at = new.find(text)
    while at != -1:
        context = _common_suffix(before, new[max(0, at - CONTEXT) : at]) + _common_prefix(
            after, new[at + len(text) : at + len(text) + CONTEXT]
        )
        score = (-context, abs(at - expected))
        if best_score is None or score < best_score:
            best, best_score = at, score
        at = new.find(text, at + 1)
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str, limit: int | None = None) -> int:
    n, limit = 0, min(len(a), len(b)) if limit is None else limit
    while n < limit and a[-1 - n] == b[-1 - n]:
        n += 1
    return n
