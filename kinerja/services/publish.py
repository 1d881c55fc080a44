"""Publishing the public snapshot of a period (docs/spec/product.md §6, issue 8).

``publish(period)`` computes every public figure of a period from the raw data
(:func:`kinerja.services.publish_figures.compute_figures`, already through disclosure
control) and then writes them into the snapshot tables of :mod:`kinerja.models.public`,
replacing that period's previous snapshot in one short transaction. Public pages read only
those tables, so repeated requests cannot difference out a person, and changes to raw data
show only after the next publication. A re-publication whose figures differ from the
published ones by fewer than ``public_min_n`` answers is refused (issue 19).
"""

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from kinerja import settings
from kinerja.anonymise import Thresholds, isolates
from kinerja.clock import today_wib
from kinerja.db import database, insert_rows, write_tx
from kinerja.models.period import Period
from kinerja.models.public import (
    PublicProcessFigure,
    PublicServiceTypeFigure,
    PublicSnapshot,
    PublicTrendPoint,
    PublicUnitFigure,
)
from kinerja.scoring import METHOD_VERSION
from kinerja.services import audit
from kinerja.services.publish_figures import Figures, compute_figures
from kinerja.services.publish_sources import PREDIKAT_COLUMNS


class PublishError(ValueError):
    """Publishing refused, with an Indonesian message."""


class RebuildRefused(PublishError):
    """A re-publication refused because two snapshots could be differenced (issue 19).

    The command line exits with ``REFUSED_EXIT`` so scripts can tell it from an error.
    """


REFUSED_EXIT = 3


@dataclass(frozen=True)
class PublishReport:
    """What one publication wrote."""

    snapshot_id: int
    period_id: int
    period_name: str
    built_at: datetime
    units: int
    trend_points: int
    service_types: int
    opds: int
    seconds: float
    replaced: bool

    def text(self) -> str:
        """One Indonesian line for the command line and the admin page."""
        verb = "diterbitkan ulang" if self.replaced else "diterbitkan"
        took = f"{self.seconds:.1f}".replace(".", ",")
        return (
            f"Data publik {self.period_name} {verb}: {self.units} unit, "
            f"{self.trend_points} titik tren, {self.service_types} jenis layanan, "
            f"{self.opds} OPD ({took} detik)."
        )


# --- periods and thresholds -----------------------------------------------------------------


def latest_period(today: date | None = None) -> Period | None:
    """The latest period that has started: latest start first, then the shortest."""
    today = today or today_wib()
    return (
        Period.select()
        .where(Period.start <= today)
        .order_by(Period.start.desc(), Period.end.asc(), Period.id.desc())
        .first()
    )


def thresholds_for(period: Period) -> Thresholds:
    """The disclosure thresholds frozen for the period (kinerja.settings.for_period)."""
    values = settings.for_period(period)
    return Thresholds(
        feedback_scores_min=int(values["feedback_scores_min"]),
        feedback_comments_min=int(values["feedback_comments_min"]),
        public_min_n=int(values["public_min_n"]),
        small_count_max=int(values["public_small_count_max"]),
    )


def _resolve(period) -> Period:
    if period is None:
        found = latest_period()
        if found is None:
            raise PublishError("Belum ada periode; buat tahun kinerja terlebih dahulu.")
        return found
    if isinstance(period, Period):
        return period
    try:
        found = Period.get_or_none(Period.id == int(period))
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise PublishError(f"Periode {period!r} tidak ditemukan.")
    return found


def publish(period=None, actor=None, *, actor_label: str | None = None) -> PublishReport:
    """Compute a period's public figures, then store them as a fresh snapshot (audited).

    The figures are computed before the write transaction, which only replaces the
    period's snapshot: writers wait for the insert of finished rows, never for the
    computation.

    ``period`` is a Period, its id, or None for :func:`latest_period`. ``actor`` is the
    publishing account (None for the system, e.g. the command line or the demo).
    """
    started = time.perf_counter()
    label = actor_label or ("sistem" if actor is None else f"Admin BKPSDM (akun {actor.id})")
    # Compute first, in a read transaction (one consistent view of the data; on SQLite in
    # WAL mode it blocks no writer): kiosk answers and other writes go on meanwhile.
    with database.atomic():
        period = _resolve(period)
        figures = compute_figures(period, thresholds_for(period))
        basis = _basis(
            period,
            figures.rows,
            figures.trend_rows,
            figures.service_rows,
            figures.process_rows,
            figures.city,
        )
    # Then write the finished snapshot in one short transaction.
    with write_tx():
        snapshot, old = _write_snapshot(figures, basis, label)
        _audit(figures, snapshot, old, actor, label)
    return PublishReport(
        snapshot_id=snapshot.id,
        period_id=period.id,
        period_name=period.name,
        built_at=figures.built_at,
        units=len(figures.rows),
        trend_points=len(figures.trend_rows),
        service_types=len(figures.service_rows),
        opds=len(figures.process_rows),
        seconds=time.perf_counter() - started,
        replaced=old is not None,
    )


_SNAPSHOT_TABLES = (
    PublicUnitFigure,
    PublicServiceTypeFigure,
    PublicTrendPoint,
    PublicProcessFigure,
)


def _write_snapshot(figures: Figures, basis: dict, label: str) -> tuple:
    """Replace the period's snapshot by the computed figures; returns (new, old or None)."""
    period, thresholds = figures.period, figures.thresholds
    old = PublicSnapshot.get_or_none(PublicSnapshot.period == period)
    _check_rebuild(period, basis, thresholds.public_min_n)
    if old is not None:
        for model in _SNAPSHOT_TABLES:
            model.delete().where(model.snapshot == old.id).execute()
        old.delete_instance()
    snapshot = PublicSnapshot.create(
        period=period,
        period_name=period.name,
        period_start=period.start,
        period_end=period.end,
        built_at=figures.built_at,
        method_version=METHOD_VERSION,
        thresholds=json.dumps(
            {
                "public_min_n": thresholds.public_min_n,
                "small_count_max": thresholds.small_count_max,
            },
            sort_keys=True,
        ),
        built_by=label[:120],
        predikat_period_name=figures.closed.name if figures.closed is not None else "",
        basis=json.dumps(basis, sort_keys=True, default=str),
        **{k: v for k, v in figures.city.items() if not k.startswith("_")},
    )
    for model, items in (
        (PublicUnitFigure, list(figures.rows.values())),
        (PublicServiceTypeFigure, figures.service_rows),
        (PublicTrendPoint, figures.trend_rows),
        (PublicProcessFigure, figures.process_rows),
    ):
        # One statement run per row (executemany): Peewee writing a multi-row INSERT value
        # by value took 0,6 s of the transaction on a city of 290 units, SQLite 0,03 s.
        insert_rows(
            model, [model(**_complete(model, {**item, "snapshot": snapshot.id})) for item in items]
        )
    return snapshot, old


def _audit(figures: Figures, snapshot, old, actor, label: str) -> None:
    """Record the publication in the audit log."""
    audit.record(
        "public.published",
        actor=actor,
        actor_label=label,
        object_type="public_snapshot",
        object_id=snapshot.id,
        before={"built_at": old.built_at} if old is not None else None,
        after={
            "period": figures.period.name,
            "period_id": figures.period.id,
            "method_version": METHOD_VERSION,
            "thresholds": json.loads(snapshot.thresholds),
            "units": len(figures.rows),
            "trend_points": len(figures.trend_rows),
            "service_types": len(figures.service_rows),
            "opds": len(figures.process_rows),
        },
    )


# --- rebuilds that cannot be differenced (issue 19) --------------------------------------------

# Per published figure: its label, the row's private key holding its counts, and the
# published fields whose values a reader sees.
_UNIT_FIGURES = (
    (
        "ikm",
        "IKM dan NRR",
        "_basis_ikm",
        (
            "ikm_status",
            "ikm_n",
            "ikm_konversi",
            "mutu",
            *(f"nrr_u{i}" for i in range(1, 10)),
            "sample_reached",
        ),
    ),
    ("quick", "indeks cepat", "_basis_quick", ("quick_status", "quick_n", "quick_index")),
    (
        "svc",
        "standar pelayanan",
        "_basis_svc",
        ("svc_status", "svc_n", "on_time_rate", "median", "p90", "duration_unit", "rework_rate"),
    ),
    (
        "predikat",
        "sebaran predikat",
        "_basis_predikat",
        ("predikat_status", "predikat_total", *PREDIKAT_COLUMNS.values(), "predikat_hidden"),
    ),
)
_PROCESS_FIGURES = (
    ("skp", "SKP disetujui tepat waktu", "_basis_skp", ("skp_status", "skp_n", "skp_on_time_rate")),
    (
        "eval",
        "evaluasi dan keberatan",
        "_basis_eval",
        (
            "eval_status",
            "eval_n",
            "eval_final_rate",
            "objections_filed",
            "objections_decided",
        ),
    ),
)


def _shown(row: dict, fields: Iterable[str]) -> list[str | None]:
    return [None if row.get(f) is None else str(row[f]) for f in fields]


# The city IKM's published values (its scope and unit count only say how it was made: a
# change of scope alone changes no value a reader could subtract).
_CITY_FIELDS = ("city_ikm_n", "city_ikm_konversi", "city_mutu", "city_kiosk_n", "city_phone_n")


def _basis(period, rows, trend_rows, service_rows, process_rows, city=None) -> dict:
    """Per published figure: {"c": its counts, "v": the values shown, "t": its label}.

    Keys of figures tied to the period start with ``p<id>:``; a trend month is the same
    data in every period whose trend shows it, so its key ("trend:") has no period.
    """
    out: dict[str, dict] = {}
    prefix = f"p{period.id}:"

    def put(key, label, counts, values):
        if counts is not None and any(v is not None for v in values):
            out[key] = {"c": list(counts), "v": values, "t": label}

    for row in rows.values():
        name = row["name"]
        for kind, label, counts, fields in _UNIT_FIGURES:
            put(
                f"{prefix}unit:{row['code']}:{kind}",
                f"{label} {name}",
                row.get(counts),
                _shown(row, fields[1:]),
            )
    for row in trend_rows:
        month = row["month"]
        label = f"tren {month:%m/%Y} unit {row['unit_code']}"
        fields = ("n", "ikm_konversi", "mutu")
        put(
            f"trend:{row['unit_code']}:{month:%Y-%m}", label, row.get("_basis"), _shown(row, fields)
        )
    for row in service_rows:
        key = f"{prefix}type:{row['unit_code']}:{row['name']}|{row['standard_label']}"
        fields = ("n", "on_time_rate", "median", "p90", "rework_rate")
        label = f"jenis layanan {row['name']} unit {row['unit_code']}"
        put(key, label, row.get("_basis"), _shown(row, fields))
    for row in process_rows:
        for kind, label, counts, fields in _PROCESS_FIGURES:
            key = f"{prefix}opd:{row['opd_code']}:{kind}"
            put(key, f"{label} {row['opd_name']}", row.get(counts), _shown(row, fields[1:]))
    if city is not None:
        put(f"{prefix}city:ikm", "IKM kota", city.get("_basis"), _shown(city, _CITY_FIELDS))
    return out


def _check_rebuild(period: Period, basis: dict, min_n: int) -> None:
    """Refuse a publication whose figures differ from published ones by < min_n answers.

    Compared: the period's previous snapshot (every figure) and every other snapshot's
    trend months. Raises :class:`RebuildRefused` naming the first figures concerned.
    """
    earlier: list[tuple[bool, dict]] = []
    for snap in PublicSnapshot.select(PublicSnapshot.period, PublicSnapshot.basis):
        try:
            stored = json.loads(snap.basis or "{}")
        except ValueError:
            stored = {}
        earlier.append((snap.period_id == period.id, stored))
    problems: list[str] = []
    for key, new in basis.items():
        for same_period, stored in earlier:
            old = stored.get(key)
            if old is None or (not same_period and not key.startswith("trend:")):
                continue
            if isolates(old, new, min_n):
                delta = new["c"][0] - old["c"][0] if old["c"] and new["c"] else 0
                problems.append(f"{new['t']} (n berubah {delta:+d})")
                break
    if problems:
        shown = "; ".join(problems[:3]) + (
            f"; dan {len(problems) - 3} angka lain" if len(problems) > 3 else ""
        )
        raise RebuildRefused(
            f"Penerbitan ulang data publik {period.name} ditolak: {len(problems)} angka yang "
            f"sudah terbit akan berubah karena kurang dari {min_n} data baru ({shown}). "
            f"Selisih dua terbitan seperti itu dapat mengungkap jawaban satu orang. Data "
            f"publik yang terbit tetap berlaku; terbitkan ulang setelah setiap angka yang "
            f"berubah mendapat sedikitnya {min_n} data baru."
        )


def _complete(model, row: dict) -> dict:
    """Every column of ``model`` in ``row`` (insert_rows takes the columns of the first row)."""
    out = {}
    for name, fld in model._meta.fields.items():
        if name == "id":
            continue
        if name in row:
            out[name] = row[name]
        elif fld.default is not None:
            out[name] = fld.default() if callable(fld.default) else fld.default
        else:
            out[name] = None
    return out
