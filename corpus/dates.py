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
