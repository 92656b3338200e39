"""Fuzzy dates keep the source's precision: 'April 2009' never becomes a day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from corpus.dates import FuzzyDate, Precision


@pytest.mark.parametrize(
    ("edtf", "earliest", "latest", "precision", "label"),
    [
        ("2009-04", dt.date(2009, 4, 1), dt.date(2009, 4, 30), Precision.MONTH, "April 2009"),
        ("2023-12-13", dt.date(2023, 12, 13), dt.date(2023, 12, 13), Precision.DAY, "13 December 2023"),
        ("1994", dt.date(1994, 1, 1), dt.date(1994, 12, 31), Precision.YEAR, "1994"),
        ("2005/2007", dt.date(2005, 1, 1), dt.date(2007, 12, 31), Precision.YEAR, "2005 – 2007"),
        ("1993~/1997~", dt.date(1993, 1, 1), dt.date(1997, 12, 31), Precision.YEAR, "c. 1993 – c. 1997"),
        ("199X", dt.date(1990, 1, 1), dt.date(1999, 12, 31), Precision.DECADE, "1990s"),
        ("../2021", None, dt.date(2021, 12, 31), Precision.YEAR, "by 2021"),
        ("XXXX-11", None, None, Precision.MONTH, "November (year not stated)"),
        ("2012-01/2012-06", dt.date(2012, 1, 1), dt.date(2012, 6, 30), Precision.MONTH, "January 2012 – June 2012"),
        ("", None, None, Precision.UNKNOWN, "date unknown"),
    ],
)
def test_parse_keeps_bounds_and_precision(edtf, earliest, latest, precision, label):
    parsed = FuzzyDate.parse(edtf)
    assert (parsed.earliest, parsed.latest, parsed.precision, parsed.label) == (earliest, latest, precision, label)


@pytest.mark.parametrize("edtf", ["April 2009", "2009-13", "2010/2005"])
def test_invalid_edtf_is_refused_with_a_message(edtf):
    with pytest.raises(ValidationError) as excinfo:
        FuzzyDate.parse(edtf)
    assert edtf in str(excinfo.value)
