"""Indonesian formatting through Babel's ``id`` locale, registered as Jinja filters."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from kinerja.clock import WIB, to_wib
from kinerja.nip import format_nip
from kinerja.ranks import pangkat_label

LOCALE = "id_ID"


def tanggal(value) -> str:
    """A date as "29 November 2026"."""
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        value = to_wib(value).date()
    if not isinstance(value, date):
        return str(value)
    return format_date(value, "d MMMM y", locale=LOCALE)


def waktu(value) -> str:
    """A stored UTC datetime shown in WIB: "29 November 2026 14.05 WIB"."""
    if value in (None, ""):
        return "—"
    return format_datetime(to_wib(value), "d MMMM y HH.mm", tzinfo=WIB, locale=LOCALE) + " WIB"


def angka(value, places: int = 2) -> str:
    """A number with the Indonesian decimal comma and thousands point, rounded half-up."""
    if value in (None, ""):
        return "—"
    if isinstance(value, int) and places == 0:
        return format_decimal(value, locale=LOCALE)
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(number, format=pattern, locale=LOCALE, decimal_quantization=False)


def bilangan(value) -> str:
    """A whole number with the thousands point: 89.584."""
    if value in (None, ""):
        return "—"
    return format_decimal(int(value), locale=LOCALE)


def persen(value, places: int = 1) -> str:
    """A percentage value given on 0–100: "95,0 %"."""
    if value in (None, ""):
        return "—"
    return f"{angka(value, places)} %"


def register(app) -> None:
    """Register the filters on a Flask app."""
    app.jinja_env.filters.update(
        tanggal=tanggal,
        waktu=waktu,
        angka=angka,
        bilangan=bilangan,
        persen=persen,
        nip=format_nip,
        pangkat=pangkat_label,
        fraction_percent=lambda v: format_percent(v, locale=LOCALE),
    )
