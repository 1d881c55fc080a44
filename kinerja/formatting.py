"""How every figure, date and time is written for people: the one home of the rules.

Every page (HTML and print), CSV file and explanation text writes numbers through
:func:`format_number` (Babel's Indonesian locale: decimal comma, thousands point), rounding
half-up once from the exact value (round once, at the edge, half-up). The JSON
twins carry the same figures as numbers at their published precision, so the three twins of
a figure agree once rounded (``tests/kinerja/test_formatting.py``,
``tests/portal/test_public_twins.py``).

CSV files follow one dialect for Excel set to Indonesian (docs/public.md, "CSV"): UTF-8
with a byte-order mark, ``;`` between cells, CRLF line ends, the decimal comma without a
thousands separator, dates as ``YYYY-MM-DD`` and times in WIB as ``YYYY-MM-DD HH:MM``; a text
cell that starts like a formula gets a leading apostrophe (formula injection).
"""

import csv
import functools
import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from babel import Locale
from babel.numbers import NumberPattern, format_decimal, parse_pattern

from kinerja.clock import to_wib

LOCALE = "id_ID"
_LOCALE = Locale.parse(LOCALE)  # parsed once: Babel would parse the name on every number
Number = Decimal | Fraction | int | float | str
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


# --- exact numbers --------------------------------------------------------------------------


def exact(value: Number, what: str = "nilai") -> Fraction:
    """A number (int, Decimal, Fraction, decimal text, or a float by its shortest decimal
    text) as an exact Fraction.

    A float is read through ``repr`` (``0.1`` is one tenth), so a figure that travelled
    through JSON rounds as the decimal it was written as, never as its binary neighbour.
    """
    if isinstance(value, bool):
        raise TypeError(f"{what} harus berupa bilangan")
    if isinstance(value, str):
        value = Decimal(value.strip())  # a stored target such as "100"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} harus berupa bilangan terhingga")
        return Fraction(Decimal(repr(value)))
    if not isinstance(value, Decimal | Fraction | int):
        raise TypeError(f"{what} harus berupa Decimal, Fraction atau bilangan bulat")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} harus berupa bilangan terhingga")
    return Fraction(value)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """Round an exact value half-up (away from zero) to ``places`` decimals."""
    scaled = exact(value) * 10**places
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(-magnitude if scaled < 0 else magnitude).scaleb(-places)


def places_of(value: Decimal) -> int:
    """How many decimals a Decimal is written with (``Decimal("3.10")`` → 2)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


# --- numbers for people ---------------------------------------------------------------------


def format_number(value: Number | None, places: int | None = 2, grouping: bool = True) -> str:
    """A number in Indonesian: ``1.234,57``; half-up to ``places`` decimals.

    ``places=None`` writes an exact value as it is (a Decimal with its own decimals, other
    values with up to six decimals and no trailing zeros). ``None`` is written "—".
    """
    if value is None or value == "":
        return "—"
    if places is None:
        if isinstance(value, Decimal):
            places = places_of(value)  # a published figure keeps its own decimals
        else:
            places = places_of(round_half_up(value, 6).normalize())
    shown = round_half_up(value, places)
    return format_decimal(
        shown, format=_pattern(places, grouping), locale=_LOCALE, decimal_quantization=False
    )


@functools.cache
def _pattern(places: int, grouping: bool) -> NumberPattern:
    """The parsed Babel pattern (code, not data: the same for every number)."""
    return parse_pattern(("#,##0" if grouping else "0") + ("." + "0" * places if places else ""))


def format_percent(value: Number | None, places: int = 1) -> str:
    """A percentage given on 0–100: ``95,0 %``."""
    if value is None or value == "":
        return "—"
    return f"{format_number(value, places)} %"


def format_count(value: int | None) -> str:
    """A whole number with the thousands point: ``89.584``."""
    if value is None or value == "":
        return "—"
    return format_decimal(int(value), locale=_LOCALE)


# --- dates and times ------------------------------------------------------------------------


def format_date(value) -> str:
    """A date as "29 November 2026" (a stored datetime is read in WIB first)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        value = to_wib(value).date()
    if not isinstance(value, date):
        return str(value)
    return _day_month_year(value)


def format_datetime(value) -> str:
    """A stored UTC datetime in WIB: "29 November 2026 14.05 WIB"."""
    if value is None or value == "":
        return "—"
    local = to_wib(value)
    return f"{_day_month_year(local)} {local.hour:02d}.{local.minute:02d} WIB"


def _day_month_year(value: date) -> str:
    """Babel's ``d MMMM y`` in Indonesian, written directly (a page writes many dates and
    Babel takes some 40 µs for each; ``tests/kinerja/test_formatting.py`` checks that both
    agree on every month)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_month(value: date | str | None) -> str:
    """A month as "Juli 2026" (from a date or from ``"2026-07"``)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        year, month = value.split("-")[:2]
        return f"{MONTHS[int(month) - 1]} {int(year)}"
    return f"{MONTHS[value.month - 1]} {value.year}"


# --- CSV for Excel in Indonesian ------------------------------------------------------------


class IndonesianExcel(csv.excel):
    """The CSV dialect of every download: ``;`` between cells, CRLF line ends."""

    delimiter = ";"
    lineterminator = "\r\n"


def safe_cell(value):
    """A value safe to put in a spreadsheet cell (text never starts a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value) -> str:
    """One CSV cell: numbers with the decimal comma (no grouping), dates ISO, times in WIB."""
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, Decimal | float | Fraction):
        return format_number(value, None, grouping=False)
    if isinstance(value, datetime):
        return to_wib(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A whole CSV file as text, byte-order mark first, in :class:`IndonesianExcel`."""
    out = io.StringIO()
    writer = csv.writer(out, dialect=IndonesianExcel)
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return "\ufeff" + out.getvalue()
