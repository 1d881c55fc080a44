"""The one formatter of figures, dates and CSV cells (kinerja.formatting)."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.formatting import (
    csv_cell,
    csv_text,
    format_count,
    format_date,
    format_datetime,
    format_month,
    format_number,
    format_percent,
    round_half_up,
)


def _parse(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("3.125"), 2, "3,13"),  # half-up, not half-even
        (Decimal("3.135"), 2, "3,14"),
        (Decimal("76.605"), 2, "76,61"),
        (Decimal("76.6049"), 2, "76,60"),
        (3.125, 2, "3,13"),  # a JSON float rounds as the decimal it was written as
        (0.125, 2, "0,13"),
        (2.675, 2, "2,68"),  # binary 2.67499999… but written 2.675
        (Fraction(1, 8), 2, "0,13"),
        (Decimal("-2.5"), 0, "-3"),
        (1234567, 0, "1.234.567"),
        (Decimal("1234.5"), 2, "1.234,50"),
        ("100", 2, "100,00"),
        (None, 2, "—"),
    ],
)
def test_format_number_rounds_half_up_in_indonesian(value, places, expected):
    assert format_number(value, places) == expected


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=6),
    st.integers(0, 4),
)
def test_format_number_writes_the_half_up_rounded_value(value, places):
    text = format_number(value, places)
    assert _parse(text) == round_half_up(value, places)
    decimals = text.partition(",")[2]
    assert len(decimals) == places


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False))
def test_a_float_formats_as_its_shortest_decimal_text(value):
    assert format_number(value, 2) == format_number(Decimal(repr(value)), 2)


def test_places_none_keeps_a_published_decimal_as_it_is():
    assert format_number(Decimal("79.40"), None) == "79,40"
    assert format_number(Decimal("12.5"), None) == "12,5"
    assert format_number(50, None) == "50"
    assert format_number(Fraction(1, 3), None) == "0,333333"


def test_percent_count_date_time_month():
    assert format_percent(Decimal("94.449"), 1) == "94,4 %"
    assert format_count(89584) == "89.584"
    assert format_date(date(2026, 11, 29)) == "29 November 2026"
    # stored as naive UTC, shown in WIB: 23.30 UTC is the next morning in Sibolga
    assert format_date(datetime(2026, 12, 31, 23, 30)) == "1 Januari 2027"
    assert format_datetime(datetime(2026, 11, 29, 2, 0)) == "29 November 2026 09.00 WIB"
    assert format_month(date(2026, 7, 1)) == "Juli 2026"
    assert format_month("2026-07") == "Juli 2026"


def test_csv_cells_follow_the_indonesian_excel_dialect():
    assert csv_cell(Decimal("3.13")) == "3,13"
    assert csv_cell(Decimal("1234.50")) == "1234,50"  # no thousands separator
    assert csv_cell(datetime(2026, 11, 29, 2, 0)) == "2026-11-29 09:00"  # WIB
    assert csv_cell(date(2026, 11, 29)) == "2026-11-29"
    assert csv_cell("=SUM(A1)") == "'=SUM(A1)"
    for formula in ("+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(formula) == "'" + formula  # formula injection (issue 19)
    assert csv_cell(Decimal("-1.5")) == "-1,5" and csv_cell(-3) == "-3"  # numbers stay numbers
    assert csv_cell(None) == "" and csv_cell(True) == "Ya"
    text = csv_text(["a", "b"], [[Decimal("1.5"), "x;y"]])
    assert text == '\ufeffa;b\r\n1,5;"x;y"\r\n'


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)))
def test_dates_are_written_as_babel_writes_them_in_indonesian(moment):
    from babel.dates import format_date as babel_date
    from babel.dates import format_datetime as babel_datetime

    from kinerja.clock import WIB, to_wib

    assert format_date(moment.date()) == babel_date(moment.date(), "d MMMM y", locale="id_ID")
    assert format_date(moment) == babel_date(to_wib(moment).date(), "d MMMM y", locale="id_ID")
    expected = babel_datetime(to_wib(moment), "d MMMM y HH.mm", tzinfo=WIB, locale="id_ID")
    assert format_datetime(moment) == expected + " WIB"
