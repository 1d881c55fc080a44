"""Configurable values with the spec's defaults, stored as data (docs/spec/regulation.md,
docs/spec/product.md).

Values are read from the ``setting`` table (JSON) over the defaults below. When a period
opens, the values in force are frozen into the period, and everything about that period
reads them from there (:func:`for_period`).
"""

import json
from dataclasses import dataclass

from kinerja.clock import utcnow
from kinerja.models.system import Setting
from kinerja.statements import statement


@dataclass(frozen=True)
class SettingSpec:
    """One setting: default, bounds and Indonesian label."""

    key: str
    default: object
    label: str
    minimum: int | None = None
    maximum: int | None = None
    frozen_per_period: bool = True
    privacy_floor: bool = False  # the minimum is the spec's disclosure floor (docs/spec/product.md)


SPECS = {
    s.key: s
    for s in [
        # The privacy thresholds may be raised, never lowered below the spec (docs/spec/product.md
        # §3:
        # scores at 3 answers, comments at 5; §6: aggregates over at least 10, counts 1-4
        # hidden in a predikat distribution).
        SettingSpec(
            "feedback_scores_min",
            3,
            "Minimal jawaban 360 agar skor kelompok tampil",
            3,
            50,
            privacy_floor=True,
        ),
        SettingSpec(
            "feedback_comments_min",
            5,
            "Minimal jawaban 360 agar komentar kelompok tampil",
            5,
            50,
            privacy_floor=True,
        ),
        SettingSpec(
            "public_min_n",
            10,
            "Minimal n agar angka publik ditampilkan",
            10,
            1000,
            privacy_floor=True,
        ),
        SettingSpec(
            "public_small_count_max",
            4,
            "Jumlah kecil yang disembunyikan pada sebaran predikat publik",
            4,
            20,
            privacy_floor=True,
        ),
        SettingSpec(
            "kiosk_min_interval_seconds",
            5,
            "Jeda minimal antar-responden di satu kios (detik)",
            1,
            600,
        ),
        SettingSpec("kiosk_max_per_hour", 120, "Batas responden per kios per jam", 10, 3600),
        SettingSpec("objection_days", 14, "Batas waktu keberatan (hari)", 1, 90),
        SettingSpec(
            "rating_band_above", 110, "Capaian minimal untuk Di Atas Ekspektasi (%)", 100, 300
        ),
        SettingSpec(
            "rating_band_meets", 100, "Capaian minimal untuk Sesuai Ekspektasi (%)", 1, 300
        ),
    ]
}


PRIVACY_FLOOR_MESSAGE = "ambang kerahasiaan tidak boleh di bawah ketentuan."


@statement
def _stored_settings():
    return Setting.select(Setting.key, Setting.value).tuples()


def current() -> dict:
    """Every setting's value in force now (defaults overlaid with stored values)."""
    values = {key: spec.default for key, spec in SPECS.items()}
    for key, stored in _stored_settings.cursor():
        if key in SPECS:
            values[key] = value(key, stored)
    return floored(values)


def floored(values: dict) -> dict:
    """``values`` with every privacy threshold raised to the spec's floor: a value stored
    before the floors were enforced (or written around the admin page) never weakens the
    disclosure control."""
    for key, spec in SPECS.items():
        if spec.privacy_floor and isinstance(values.get(key), int):
            values[key] = max(values[key], spec.minimum)
    return values


def value(key: str, stored: str | None):
    """A setting's value from its stored JSON text (None: not stored, the default)."""
    return json.loads(stored) if stored is not None else SPECS[key].default


def get(key: str):
    """One setting's value in force now."""
    return current()[key]


def store(key: str, value) -> None:
    """Store one setting (the caller validates, audits and holds the transaction)."""
    if key not in SPECS:
        raise KeyError(key)
    text = json.dumps(value)
    updated = Setting.update(value=text, updated_at=utcnow()).where(Setting.key == key).execute()
    if not updated:
        Setting.create(key=key, value=text)


def freeze(period) -> dict:
    """Copy the values in force into ``period`` (called when the period opens)."""
    values = current()
    period.frozen_settings = json.dumps(values, sort_keys=True)
    return values


def for_period(period) -> dict:
    """The values frozen for ``period``, or those in force if it has not opened yet."""
    frozen = json.loads(period.frozen_settings) if period and period.frozen_settings else {}
    if frozen and frozen.keys() >= SPECS.keys():
        return floored(frozen)  # every value was frozen: nothing left to read
    values = current()
    values.update(frozen)
    return floored(values)
