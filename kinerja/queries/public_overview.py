"""The city overview page: public-service units, sorted and paged, and the process figures.

One dict, rendered as HTML, JSON and CSV (docs/spec/product.md §6).
"""

from peewee import Case

from kinerja.anonymise import Thresholds
from kinerja.models.public import (
    FigureStatus,
    PublicProcessFigure,
    PublicSnapshot,
    PublicTrendPoint,
    PublicUnitFigure,
)
from kinerja.queries.public_common import (
    figure,
    mutu_lines,
    periods,
    provenance,
    snapshot_for,
    thresholds_of,
    trend_points,
    unit_summary,
    with_rate_reason,
)

SORT_KEYS = ("unit", "ikm", "n", "tepat_waktu")
PAGE_SIZE = 25  # units per page of the HTML overview (its JSON and CSV hold them all)
PAGE_WINDOW = 2  # page links either side of the current one in the overview's page nav


# --- the city overview ----------------------------------------------------------------------


def _sort_value(unit: dict, key: str):
    if key == "ikm":
        return unit["ikm"]["nilai"]
    if key == "n":
        return unit["ikm"]["n"]
    if key == "tepat_waktu":
        return unit["layanan"]["nilai"]
    return None


def sort_units(units: list[dict], key: str, descending: bool) -> list[dict]:
    """Units sorted by a column; figures not shown always last, then by name."""
    if key not in SORT_KEYS or key == "unit":
        ordered = sorted(units, key=lambda u: u["_posisi"])
        return ordered[::-1] if descending else ordered
    shown = [u for u in units if _sort_value(u, key) is not None]
    hidden = [u for u in units if _sort_value(u, key) is None]
    shown.sort(key=lambda u: (_sort_value(u, key), u["nama"]), reverse=descending)
    return shown + sorted(hidden, key=lambda u: u["_posisi"])


def page_count(total: int) -> int:
    """How many pages of :data:`PAGE_SIZE` units a list of ``total`` units fills (at least 1)."""
    return max(1, -(-total // PAGE_SIZE))


def page_numbers(current: int, pages: int, window: int = PAGE_WINDOW) -> list[int | None]:
    """The page links to show: first, last and ``window`` either side of ``current``.

    ``None`` marks an ellipsis; a gap of a single page shows that page instead.
    """
    wanted = {1, pages, *range(current - window, current + window + 1)}
    out: list[int | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= pages):
        if number - previous == 2:
            out.append(previous + 1)
        elif number - previous > 2:
            out.append(None)
        out.append(number)
        previous = number
    return out


def _pagination(page: int, total: int) -> dict:
    pages = page_count(total)
    first = (page - 1) * PAGE_SIZE
    return {
        "nomor": page,
        "jumlah_halaman": pages,
        "per_halaman": PAGE_SIZE,
        "jumlah_unit": total,
        "dari": min(first + 1, total),
        "sampai": min(first + PAGE_SIZE, total),
        "tautan": page_numbers(page, pages) if page <= pages else [],
    }


def overview(
    period_id: int | None = None,
    sort: str = "unit",
    descending: bool = False,
    page: int | None = None,
) -> dict:
    """The city overview: the public-service units and the process figures per OPD.

    Without ``page`` every unit (the JSON and CSV twins: open data is complete). With a
    1-based ``page`` SQL sorts and cuts that page's :data:`PAGE_SIZE` units (only they and
    their trend are read, whatever the city's size); ``paginasi`` says which they are. A
    page past the last one keeps no unit: ``paginasi["nomor"] > paginasi["jumlah_halaman"]``.
    """
    snapshot, snapshots = snapshot_for(period_id)
    data = {
        "halaman": "ringkasan",
        "judul": "Kinerja layanan publik Kota Sibolga",
        "asal": provenance(snapshot),
        "periode_tersedia": periods(snapshots, snapshot),
        "urutan": {"kolom": sort if sort in SORT_KEYS else "unit", "turun": bool(descending)},
        "garis_mutu": mutu_lines(),
        "unit": [],
        "proses": [],
    }
    if page is not None:
        data["paginasi"] = _pagination(page, 0)
    if snapshot is None:
        return data
    t = thresholds_of(snapshot)
    kolom = data["urutan"]["kolom"]
    if page is None:
        units = _all_units(snapshot, t, kolom, descending)
    else:
        shown = PublicUnitFigure.select().where(
            (PublicUnitFigure.snapshot == snapshot)
            & (PublicUnitFigure.serves_public | (PublicUnitFigure.ikm_status == FigureStatus.OK))
        )
        data["paginasi"] = _pagination(page, shown.count())
        rows = list(shown.order_by(*_sql_order(kolom, descending)).paginate(page, PAGE_SIZE))
        groups = {code for r in rows for code in (r.ikm_group, r.svc_group)} - {""}
        names = {
            r.code: r.short_name or r.name
            for r in PublicUnitFigure.select(
                PublicUnitFigure.code, PublicUnitFigure.name, PublicUnitFigure.short_name
            ).where(
                (PublicUnitFigure.snapshot == snapshot) & PublicUnitFigure.code.in_(list(groups))
            )
        }
        units = [unit_summary(row, t, names, []) for row in rows]
    points = PublicTrendPoint.select().where(PublicTrendPoint.snapshot == snapshot)
    if page is not None:
        points = points.where(PublicTrendPoint.unit_code.in_([u["kode"] for u in units]))
    trend: dict[str, list] = {}
    for point in points.order_by(PublicTrendPoint.unit_code, PublicTrendPoint.month):
        trend.setdefault(point.unit_code, []).append(point)
    for unit in units:
        unit.pop("_posisi", None)
        unit["tren"] = trend_points(trend.get(unit["kode"], []), t)
    data["unit"] = units
    data["proses"] = [
        _process(p, t)
        for p in PublicProcessFigure.select()
        .where(PublicProcessFigure.snapshot == snapshot)
        .order_by(PublicProcessFigure.position)
    ]
    return data


def _all_units(snapshot: PublicSnapshot, t: Thresholds, kolom: str, descending: bool) -> list:
    """Every unit of the overview (the open-data twins), sorted as the HTML pages are."""
    rows = list(
        PublicUnitFigure.select()
        .where(PublicUnitFigure.snapshot == snapshot)
        .order_by(PublicUnitFigure.position)
    )
    names = {r.code: r.short_name or r.name for r in rows}
    units = []
    for row in rows:
        if not row.serves_public and row.ikm_status != FigureStatus.OK:
            continue  # a parent shown only for rolled-up data without public figures
        unit = unit_summary(row, t, names, [])
        unit["_posisi"] = row.position
        units.append(unit)
    return sort_units(units, kolom, descending)


def _sort_expression(key: str):
    """The SQL value :func:`_sort_value` reads for ``key`` (NULL when the figure is hidden)."""
    F = PublicUnitFigure
    if key == "ikm":
        return Case(None, [(F.ikm_status == FigureStatus.OK, F.ikm_konversi)], None)
    if key == "n":
        shown = F.ikm_status.in_([FigureStatus.OK, FigureStatus.WITHHELD])
        return Case(None, [(shown, F.ikm_n)], None)
    return Case(None, [(F.svc_status == FigureStatus.OK, F.on_time_rate)], None)


def _sql_order(key: str, descending: bool) -> list:
    """ORDER BY terms matching :func:`sort_units`, so SQL can cut one page of units."""
    F = PublicUnitFigure
    if key not in SORT_KEYS or key == "unit":
        return [F.position.desc() if descending else F.position]
    value = _sort_expression(key)
    hidden = value.is_null()
    name = Case(None, [(hidden, None)], F.name)
    if descending:
        return [hidden, value.desc(), name.desc(), F.position]
    return [hidden, value, name, F.position]


def _process(row: PublicProcessFigure, t: Thresholds) -> dict:
    objections = figure(row.objections_status, None, None, t)
    objections["diajukan"] = _small(row.objections_filed, row.objections_status, t)
    objections["diputus"] = _small(row.objections_decided, row.objections_status, t)
    return {
        "opd": {"kode": row.opd_code, "nama": row.opd_name},
        "skp_disetujui_tepat_waktu": with_rate_reason(
            figure(row.skp_status, row.skp_on_time_rate, row.skp_n, t), t
        ),
        "evaluasi_final": with_rate_reason(
            figure(row.eval_status, row.eval_final_rate, row.eval_n, t), t
        ),
        "keberatan": objections,
    }


def _small(value, status, t: Thresholds) -> dict:
    if status != FigureStatus.OK:
        return {"nilai": None, "tersembunyi": None}
    if value is None:
        return {"nilai": None, "tersembunyi": f"≤{t.small_count_max}"}
    return {"nilai": value, "tersembunyi": None}
