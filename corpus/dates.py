"""Fuzzy dates: a source's wording kept with its precision, as EDTF (ISO 8601-2).

A date statement is authored as an EDTF string plus the source's own words, e.g.
``("2009-04", "April 2009")`` or ``("1993~/1997~", "mid-1990s")``. From the EDTF string we
derive the earliest and latest calendar days it may denote, its precision and a human label.
"April 2009" stays a month: it never becomes 2009-04-01 with day precision.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException


class Precision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    SEASON = "season", "season"
    YEAR = "year", "year"
    DECADE = "decade", "decade"
    CENTURY = "century", "century"
    UNKNOWN = "unknown", "unknown"


# From finest to coarsest: an interval takes the coarser precision of its two ends.
_PRECISION_ORDER = [p.value for p in Precision]
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_POINT = re.compile(r"^(?P<year>[0-9X]{4})(?:-(?P<month>[0-9X]{2}))?(?:-(?P<day>[0-9X]{2}))?(?P<qualifier>[?~%])?$")


@dataclass(frozen=True)
class FuzzyDate:
    """A parsed EDTF date or interval with its bounds, precision and label."""

    edtf: str
    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    label: str

    @classmethod
    def parse(cls, edtf: str) -> FuzzyDate:
        return _parse_cached(cls, (edtf or "").strip())

    @classmethod
    def _parse(cls, edtf: str) -> FuzzyDate:
        if not edtf:
            return cls("", None, None, Precision.UNKNOWN, "date unknown")
        if "/" in edtf:
            start, end = edtf.split("/", 1)
            ends = [_point(start), _point(end)]
            for text, point in ((start, ends[0]), (end, ends[1])):
                if point is None and text not in ("", ".."):
                    _parse_edtf(edtf)  # raises with the library's message
                    raise ValidationError(f"'{edtf}': interval ends other than dates are not supported.")
            known = [p for p in ends if p is not None]
            precision = max((p.precision for p in known), key=_PRECISION_ORDER.index, default=Precision.UNKNOWN)
            earliest = ends[0].earliest if ends[0] else None
            latest = ends[1].latest if ends[1] else None
            label = _interval_label(ends[0], ends[1])
        else:
            point = _point(edtf)
            if point is None:  # a form we do not label (e.g. a set): the edtf library validates and bounds it
                parsed = _parse_edtf(edtf)
                return cls(edtf, _bound(parsed.lower_strict()), _bound(parsed.upper_strict()), Precision.UNKNOWN, edtf)
            precision, earliest, latest, label = point.precision, point.earliest, point.latest, point.label
        if earliest and latest and latest < earliest:
            raise ValidationError(f"'{edtf}' ends before it starts.")
        return cls(edtf, earliest, latest, precision, label)


@lru_cache(maxsize=4096)  # EDTF parsing (pyparsing) is slow; the set of distinct dates is small
def _parse_cached(cls, edtf: str) -> FuzzyDate:
    return cls._parse(edtf)


@dataclass(frozen=True)
class _Point:
    precision: str
    earliest: dt.date | None
    latest: dt.date | None
    label: str


def _parse_edtf(edtf: str):
    try:
        return parse_edtf(edtf)
    except EDTFParseException as exc:
        raise ValidationError(f"'{edtf}' is not a valid EDTF date: {exc}") from exc


def _bound(value) -> dt.date | None:
    if not isinstance(value, time.struct_time) or value.tm_year in (0, 9999):
        return None
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday)


def _point(text: str) -> _Point | None:
    """Parse one end of an interval (or a single date); None for an open or unknown end.

    Bounds are computed here rather than by the edtf library: its parser is slow (~10 ms a call)
    and these are the forms the corpus uses. Anything else falls back to the library.
    """
    if text in ("", ".."):
        return None
    match = _POINT.match(text)
    if not match:
        return None
    year, month, day, qualifier = match["year"], match["month"], match["day"], match["qualifier"]
    try:
        precision, earliest, latest, label = _calendar_bounds(year, month, day)
    except ValueError as exc:
        raise ValidationError(f"'{text}' is not a valid EDTF date: {exc}") from exc
    if qualifier in ("~", "%"):
        label = f"c. {label}"
    if qualifier in ("?", "%"):
        label = f"{label}?"
    return _Point(precision, earliest, latest, label)


def _calendar_bounds(year: str, month: str | None, day: str | None):
    if year == "XXXX":  # the source gives a month or day but no year
        if day:
            dt.date(2000, int(month), int(day))  # validates, in a leap year
            return Precision.DAY, None, None, f"{int(day)} {_MONTHS[int(month) - 1]} (year not stated)"
        if month:
            return Precision.MONTH, None, None, f"{_MONTHS[int(month) - 1]} (year not stated)"
        return Precision.UNKNOWN, None, None, "year not stated"
    if "X" in year:
        if month or not re.fullmatch(r"[0-9]{2,3}X+", year):
            raise ValueError("only whole decades (199X) or centuries (19XX) may be unspecified")
        first = int(year.replace("X", "0"))
        span = 10 ** year.count("X")
        precision = Precision.DECADE if span == 10 else Precision.CENTURY
        return precision, dt.date(first, 1, 1), dt.date(first + span - 1, 12, 31), f"{first}s"
    y = int(year)
    if not month:
        return Precision.YEAR, dt.date(y, 1, 1), dt.date(y, 12, 31), year
    m = int(month)
    if m in _SEASONS:
        start_month = {21: 3, 22: 6, 23: 9, 24: 12}[m]
        end = dt.date(y + 1, 2, calendar.monthrange(y + 1, 2)[1]) if m == 24 else None
        end = end or dt.date(y, start_month + 2, calendar.monthrange(y, start_month + 2)[1])
        return Precision.SEASON, dt.date(y, start_month, 1), end, f"{_SEASONS[m]} {year}"
    if not day:
        return Precision.MONTH, dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), f"{_MONTHS[m - 1]} {year}"
    date = dt.date(y, m, int(day))
    return Precision.DAY, date, date, f"{int(day)} {_MONTHS[m - 1]} {year}"


def _interval_label(start: _Point | None, end: _Point | None) -> str:
    if start and end:
        return f"{start.label} – {end.label}"
    if end:
        return f"by {end.label}"
    if start:
        return f"from {start.label}"
    return "date unknown"


# Date ranges: the one parser of ``date_after``/``date_before`` and the one place their conditions are written.

BOUND_FORMS = (
    "2009, 2009-04, 2009-04-12, 1993~ (approximate), 2009? (uncertain), 199X (a decade), 19XX (a century), "
    "2009-21 to 2009-24 (spring to winter 2009)"
)
# How many months the unit of a coarse precision spans (seasons start in March: winter is December to February).
_UNIT_MONTHS = {Precision.MONTH: 1, Precision.SEASON: 3, Precision.YEAR: 12, Precision.DECADE: 120, Precision.CENTURY: 1200}


@dataclass(frozen=True)
class DateRange:
    """The days ``start``..``end`` (inclusive; either may be open) and how a fuzzy date must meet them:
    ``overlaps`` (it may fall within: its bounds overlap the range) or ``within`` (it certainly does)."""

    start: dt.date | None = None
    end: dt.date | None = None
    match: str = "overlaps"

    @staticmethod
    def bound(text: str) -> FuzzyDate:
        """One end of a range: a single EDTF date whose year is known (``2009``, ``1993~``, ``2009-04-12``...)."""
        accepted = f"Enter an EDTF date: {BOUND_FORMS}."
        point = _POINT.match(text)
        if not point or point["year"] == "XXXX":
            raise ValidationError(f"'{text}' is not an EDTF date with a year. {accepted}")
        try:
            return FuzzyDate.parse(text)
        except ValidationError as exc:
            raise ValidationError(f"{exc.messages[0].rstrip('.')}. {accepted}") from exc

    @classmethod
    def of(cls, after: FuzzyDate | None = None, before: FuzzyDate | None = None, match: str | None = None) -> DateRange:
        """From ``after``'s earliest day to ``before``'s latest (``date_after=2009&date_before=2009`` is all of 2009)."""
        start, end = after and after.earliest, before and before.latest
        if start and end and end < start:
            message = f"'{before.edtf}' ends ({end}) before date_after '{after.edtf}' starts ({start})."
            raise ValidationError({"date_before": [message]})
        return cls(start, end, match or "overlaps")

    def __bool__(self) -> bool:
        return bool(self.start or self.end)

    def q(self, prefix: str = "") -> Q:
        """A FuzzyDated row (``<prefix>date_earliest``/``date_latest``) meets the range; an undated one never does."""
        earliest, latest = f"{prefix}date_earliest", f"{prefix}date_latest"
        if self.match == "within":  # a NULL bound compares false: an open end is not certainly within a closed one
            condition = Q()
            if self.start:
                condition &= Q(**{f"{earliest}__gte": self.start})
            if self.end:
                condition &= Q(**{f"{latest}__lte": self.end})
            return condition
        condition = Q(**{f"{earliest}__isnull": False}) | Q(**{f"{latest}__isnull": False})
        if self.start:
            condition &= Q(**{f"{latest}__gte": self.start}) | Q(**{f"{latest}__isnull": True})
        if self.end:
            condition &= Q(**{f"{earliest}__lte": self.end}) | Q(**{f"{earliest}__isnull": True})
        return condition

    def published_q(self, prefix: str = "") -> Q:
        """An article (``<prefix>published_at``/``published_precision``) meets the range by its publication date.

        That date is the calendar unit of its precision holding ``published_at`` (in the server's time
        zone): the day, or the month, season, year, decade or century. A day (also when the precision is
        unknown but the instant given) overlaps the range exactly when it is within it. Each precision
        is one range of instants, which the (published_precision, published_at) index serves (corpus
        migration 0009). Undated articles never match.
        """
        at, precision = f"{prefix}published_at", f"{prefix}published_precision"
        overlaps = self.match != "within"
        condition = Q()
        for precisions in ([Precision.DAY, Precision.UNKNOWN], *([unit] for unit in _UNIT_MONTHS)):
            unit = precisions[0]
            span = Q(**{f"{precision}__in": precisions} if len(precisions) > 1 else {precision: unit})
            if self.start:  # the unit ends on or after start (overlaps), or begins on or after it (within)
                first = _unit_start(unit, self.start)
                first = first if overlaps or first == self.start else _next_unit(unit, first)
                if first is None:  # no unit of this precision begins after start
                    continue
                span &= Q(**{f"{at}__gte": _midnight(first)})
            if self.end:  # the unit begins on or before end (overlaps), or ends on or before it (within)
                after_end = _next_unit(unit, _unit_start(unit, self.end)) if overlaps else _unit_start(unit, _next_day(self.end))
                if after_end:
                    span &= Q(**{f"{at}__lt": _midnight(after_end)})
            condition |= span
        return condition


def _unit_start(precision: str, day: dt.date | None) -> dt.date | None:
    """The first day of ``precision``'s unit holding ``day`` (``day`` itself for a day)."""
    if day is None or precision not in _UNIT_MONTHS:
        return day
    months = day.year * 12 + day.month - 1
    months -= (months - (2 if precision == Precision.SEASON else 0)) % _UNIT_MONTHS[precision]
    return _month(months) or dt.date.min


def _next_unit(precision: str, start: dt.date | None) -> dt.date | None:
    """The first day of the unit after the one starting on ``start``; None past the calendar's end."""
    if start is None or precision not in _UNIT_MONTHS:
        return _next_day(start)
    return _month(start.year * 12 + start.month - 1 + _UNIT_MONTHS[precision])


def _month(months: int) -> dt.date | None:
    year, month = divmod(months, 12)
    return dt.date(year, month + 1, 1) if dt.MINYEAR <= year <= dt.MAXYEAR else None


def _next_day(day: dt.date | None) -> dt.date | None:
    return None if day is None or day == dt.date.max else day + dt.timedelta(days=1)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
