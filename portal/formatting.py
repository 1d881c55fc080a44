"""The Jinja filters: every figure, date and time on a page goes through kinerja.formatting."""

from babel.numbers import format_percent

from kinerja.formatting import (
    LOCALE,
    format_count,
    format_date,
    format_datetime,
    format_month,
    format_number,
)
from kinerja.formatting import (
    format_percent as persen_text,
)
from kinerja.nip import format_nip
from kinerja.ranks import pangkat_label
from kinerja.scoring import capaian_formula


def register(app) -> None:
    """Register the filters on a Flask app."""
    app.jinja_env.filters.update(
        tanggal=format_date,
        waktu=format_datetime,
        bulan=format_month,
        angka=format_number,
        bilangan=format_count,
        persen=persen_text,
        nip=format_nip,
        pangkat=pangkat_label,
        rumus_capaian=capaian_formula,
        fraction_percent=lambda v: format_percent(v, locale=LOCALE),
        unit_label=unit_label,
    )


def unit_label(unit) -> str:
    """A unit's picker label with its parents ("Sekretariat — Dinas Kesehatan"), read once
    per request from ``kinerja.org.unit_choices``."""
    from flask import g

    from kinerja.org import unit_choices

    labels = getattr(g, "_unit_labels", None)
    if labels is None:
        labels = g._unit_labels = dict(unit_choices(include_inactive=True))
    return labels.get(unit.id, unit.name)
