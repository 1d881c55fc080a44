"""Plain data for the public pages, read only from published snapshots (docs/spec/product.md §6).

Each page function returns ONE dict that the web layer renders three ways: HTML, JSON and
CSV (style habit 9). Nothing here touches raw answers: every figure was already through
disclosure control when :func:`kinerja.services.publish.publish` wrote the snapshot. A
figure that may not be shown comes as ``{"status": ..., "keterangan": ...}`` without value.
"""

import json
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from peewee import Case

from kinerja.anonymise import NO_DATA_REASON, Thresholds, withheld_reason
from kinerja.enums import Mutu, Predikat, Unsur
from kinerja.formatting import format_count, format_number
from kinerja.models.public import (
    CityScope,
    FigureStatus,
    PublicProcessFigure,
    PublicServiceTypeFigure,
    PublicSnapshot,
    PublicTrendPoint,
    PublicUnitFigure,
)
from kinerja.scoring import METHOD_VERSION, StandardUnit, mutu_chart_lines

LICENCE = {
    "nama": "Creative Commons Atribusi 4.0 Internasional (CC BY 4.0)",
    "kode": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.id",
}
SOURCE = (
    "Pemerintah Kota Sibolga, portal Kinerja Sibolga: Survei Kepuasan Masyarakat di kios "
    "unit layanan dan dari ponsel warga (tautan sekali pakai pada tanda terima loket), "
    "catatan permohonan layanan, dan penilaian kinerja pegawai ASN."
)
METHOD_FILE = Path(__file__).resolve().parents[2] / "docs" / "metode.md"

PREDIKAT_COLUMNS = {
    Predikat.SANGAT_BAIK: "sangat_baik",
    Predikat.BAIK: "baik",
    Predikat.BUTUH_PERBAIKAN: "butuh_perbaikan",
    Predikat.KURANG: "kurang",
    Predikat.SANGAT_KURANG: "sangat_kurang",
}
SORT_KEYS = ("unit", "ikm", "n", "tepat_waktu")
CHART_BOTTOM = 50  # the IKM charts show konversi 50–100
PAGE_SIZE = 25  # units per page of the HTML overview (its JSON and CSV hold them all)
PAGE_WINDOW = 2  # page links either side of the current one in the overview's page nav
SUPPRESSED_REASON = "data ditahan agar angka yang ditahan tidak dapat dihitung"


def rate_withheld_reason(thresholds: Thresholds) -> str:
    """Why a shown figure's percentage is withheld (issue 19): with n it would give back
    a count of 1..small_count_max (e.g. 92,86 % of 14 is exactly one)."""
    return f"persen ditahan (≤ {thresholds.small_count_max} kasus)"


def _rate_reason(out: dict, thresholds: Thresholds) -> dict:
    if out["status"] == str(FigureStatus.OK) and out["nilai"] is None:
        out["keterangan"] = rate_withheld_reason(thresholds)
    return out


CSV_COLUMNS = (
    "periode",
    "bagian",
    "kode_unit",
    "nama_unit",
    "rincian",
    "ukuran",
    "nilai",
    "nilai_teks",
    "n",
    "status",
    "keterangan",
)
"""The long CSV of every public page: ``nilai`` holds only numbers (a Table Schema
``number`` with the decimal comma), ``nilai_teks`` every other value (mutu letter, unit of
time, Ya/Tidak, text), so a spreadsheet or a validator reads each column with one type."""


# --- snapshots and provenance ---------------------------------------------------------------


def published_snapshots() -> list[PublicSnapshot]:
    """Every published snapshot, latest period first (latest start, then the shortest)."""
    return list(
        PublicSnapshot.select().order_by(
            PublicSnapshot.period_start.desc(),
            PublicSnapshot.period_end.asc(),
            PublicSnapshot.id.desc(),
        )
    )


def snapshot_for(period_id: int | None = None) -> tuple[PublicSnapshot | None, list]:
    """The snapshot of ``period_id`` (or the latest one) and the list of all snapshots."""
    snapshots = published_snapshots()
    if period_id is None:
        return (snapshots[0] if snapshots else None), snapshots
    for snap in snapshots:
        if snap.period_id == period_id:
            return snap, snapshots
    return None, snapshots


def _thresholds(snapshot: PublicSnapshot | None) -> Thresholds:
    values = snapshot.threshold_values if snapshot is not None else {}
    return Thresholds(
        public_min_n=int(values.get("public_min_n", 10)),
        small_count_max=int(values.get("small_count_max", 4)),
    )


def provenance(snapshot: PublicSnapshot | None) -> dict:
    """Source, method version, last update and licence (the footer of every page)."""
    thresholds = _thresholds(snapshot)
    return {
        "sumber": SOURCE,
        "versi_metode": snapshot.method_version if snapshot else METHOD_VERSION,
        "diperbarui": snapshot.built_at if snapshot else None,
        "periode_id": snapshot.period_id if snapshot else None,
        "periode": snapshot.period_name if snapshot else None,
        "periode_mulai": snapshot.period_start if snapshot else None,
        "periode_selesai": snapshot.period_end if snapshot else None,
        "ambang_n": thresholds.public_min_n,
        "jumlah_kecil_maks": thresholds.small_count_max,
        "lisensi": LICENCE,
    }


def _periods(snapshots, current) -> list[dict]:
    return [
        {
            "id": s.period_id,
            "nama": s.period_name,
            "dipilih": current is not None and s.id == current.id,
        }
        for s in snapshots
    ]


# --- figures --------------------------------------------------------------------------------


def unsur_withheld_reason(thresholds: Thresholds) -> str:
    """Why an IKM over n ≥ public_min_n respondents is withheld: some unsur has fewer answers."""
    return f"data ditahan (ada unsur dengan n < {thresholds.public_min_n})"


def _reason(status: str, thresholds: Thresholds, group: dict | None = None) -> str | None:
    status = FigureStatus(status)
    if status is FigureStatus.OK:
        return None
    if status is FigureStatus.WITHHELD:
        return withheld_reason(thresholds)
    if status is FigureStatus.SUPPRESSED:
        return SUPPRESSED_REASON
    if status is FigureStatus.ROLLED:
        name = group["nama"] if group else "unit induk"
        return f"digabung ke {name} (n < {thresholds.public_min_n})"
    return NO_DATA_REASON


def figure(status: str, value=None, n=None, thresholds=Thresholds(), group=None, **extra) -> dict:
    """One public figure: status, value and n only when shown, else the reason."""
    ok = FigureStatus(status) is FigureStatus.OK
    out = {
        "status": str(status),
        "keterangan": _reason(status, thresholds, group),
        "nilai": value if ok else None,
        "n": n if ok else None,
    }
    if group is not None:
        out["digabung_ke"] = group
    out.update(extra if ok else dict.fromkeys(extra))
    return out


def _channels(kiosk: int | None, phone: int | None) -> dict | None:
    """Respondents per channel beside a shown n (None for snapshots without them)."""
    if kiosk is None or phone is None:
        return None
    return {"kios": kiosk, "ponsel": phone}


def mutu_lines() -> list[dict]:
    """The IKM charts' grid lines: 100, each mutu's lowest konversi (kinerja.scoring), 50."""
    return [
        {"nilai": value, "mutu": mutu.value if mutu else "", "label": label}
        for value, mutu, label in mutu_chart_lines(top=100, bottom=CHART_BOTTOM)
    ]


def _mutu(code: str) -> dict | None:
    return {"kode": code, "label": Mutu(code).label} if code else None


def _duration_label(unit: str) -> str:
    return StandardUnit(unit).label if unit else ""


def _group(row: PublicUnitFigure, field: str, names: dict[str, str]) -> dict | None:
    code = getattr(row, f"{field}_group")
    if getattr(row, f"{field}_status") != FigureStatus.ROLLED or not code:
        return None
    return {"kode": code, "nama": names.get(code, code)}


def _head(row: PublicUnitFigure, status: str, names: dict[str, str]) -> dict | None:
    """The unit whose row shows a ROLLED quick index or N (IKM grouping), if it has one."""
    code = row.ikm_group
    if status != FigureStatus.ROLLED or code not in names:
        return None
    return {"kode": code, "nama": names[code]}


def _ikm(row: PublicUnitFigure, t: Thresholds, names: dict) -> dict:
    out = figure(
        row.ikm_status,
        row.ikm_konversi,
        row.ikm_n,
        t,
        _group(row, "ikm", names),
        nilai_interval=row.ikm_interval,
        mutu=_mutu(row.mutu),
    )
    _unsur_short(out, row.ikm_status, row.ikm_n, t)
    out["kanal"] = _channels(row.kiosk_n, row.phone_n) if out["n"] is not None else None
    out["cakupan"] = json.loads(row.ikm_covers or "[]")
    return out


def _unsur_short(out: dict, status: str, n: int | None, t: Thresholds) -> None:
    """An IKM withheld although n reached the threshold: show n, say an unsur is short.

    Publishing stores n of a withheld IKM (or month) only when n ≥ public_min_n, so the
    IKM is withheld because some unsur was answered fewer than public_min_n times.
    """
    if n is not None and FigureStatus(status) is FigureStatus.WITHHELD:
        out["n"] = n
        out["keterangan"] = unsur_withheld_reason(t)


def _service(row: PublicUnitFigure, t: Thresholds, names: dict) -> dict:
    out = figure(
        row.svc_status,
        row.on_time_rate,
        row.svc_n,
        t,
        _group(row, "svc", names),
        median=row.median,
        p90=row.p90,
        satuan=_duration_label(row.duration_unit),
        pengerjaan_ulang=row.rework_rate,
    )
    _rate_reason(out, t)
    out["cakupan"] = json.loads(row.svc_covers or "[]")
    return out


def _trend(points, t: Thresholds) -> list[dict]:
    out = []
    for p in points:
        item = {
            "bulan": p.month.strftime("%Y-%m"),
            "dalam_periode": bool(p.in_period),
            **figure(p.status, p.ikm_konversi, p.n, t, mutu=_mutu(p.mutu)),
        }
        _unsur_short(item, p.status, p.n, t)
        out.append(item)
    return out


def _sample(row: PublicUnitFigure, t: Thresholds, names: dict) -> dict:
    """Krejcie–Morgan sufficiency: N (service users), S and whether n reaches S."""
    sample = figure(
        row.population_status,
        row.population,
        None,
        t,
        _head(row, row.population_status, names),
        pengguna_layanan=row.population,
        sampel_minimal=row.sample_size,
        tercapai=row.sample_reached,
    )
    sample.pop("n")
    sample.pop("nilai")
    return sample


def _unit_summary(row: PublicUnitFigure, t: Thresholds, names: dict, trend) -> dict:
    return {
        "kode": row.code,
        "nama": row.name,
        "nama_singkat": row.short_name or row.name,
        "jenis": row.kind,
        "opd": {"kode": row.opd_code, "nama": row.opd_name},
        "melayani_publik": bool(row.serves_public),
        "ikm": _ikm(row, t, names),
        "sampel": _sample(row, t, names),
        "layanan": _service(row, t, names),
        "tren": _trend(trend, t),
    }


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
        "periode_tersedia": _periods(snapshots, snapshot),
        "urutan": {"kolom": sort if sort in SORT_KEYS else "unit", "turun": bool(descending)},
        "garis_mutu": mutu_lines(),
        "unit": [],
        "proses": [],
    }
    if page is not None:
        data["paginasi"] = _pagination(page, 0)
    if snapshot is None:
        return data
    t = _thresholds(snapshot)
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
        units = [_unit_summary(row, t, names, []) for row in rows]
    points = PublicTrendPoint.select().where(PublicTrendPoint.snapshot == snapshot)
    if page is not None:
        points = points.where(PublicTrendPoint.unit_code.in_([u["kode"] for u in units]))
    trend: dict[str, list] = {}
    for point in points.order_by(PublicTrendPoint.unit_code, PublicTrendPoint.month):
        trend.setdefault(point.unit_code, []).append(point)
    for unit in units:
        unit.pop("_posisi", None)
        unit["tren"] = _trend(trend.get(unit["kode"], []), t)
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
        unit = _unit_summary(row, t, names, [])
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
        "skp_disetujui_tepat_waktu": _rate_reason(
            figure(row.skp_status, row.skp_on_time_rate, row.skp_n, t), t
        ),
        "evaluasi_final": _rate_reason(
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


# --- the unit page --------------------------------------------------------------------------


def unit_page(code: str, period_id: int | None = None) -> dict | None:
    """One unit: IKM with nine unsur, trend, sample, service standards, predikat."""
    snapshot, snapshots = snapshot_for(period_id)
    if snapshot is None:
        return None
    row = PublicUnitFigure.get_or_none(
        (PublicUnitFigure.snapshot == snapshot) & (PublicUnitFigure.code == code)
    )
    if row is None:
        return None
    t = _thresholds(snapshot)
    wanted = {row.ikm_group, row.svc_group, row.predikat_group, row.parent_code} - {""}
    names = {
        r.code: r.short_name or r.name
        for r in PublicUnitFigure.select(
            PublicUnitFigure.code, PublicUnitFigure.name, PublicUnitFigure.short_name
        ).where((PublicUnitFigure.snapshot == snapshot) & PublicUnitFigure.code.in_(list(wanted)))
    }
    trend = list(
        PublicTrendPoint.select()
        .where((PublicTrendPoint.snapshot == snapshot) & (PublicTrendPoint.unit_code == code))
        .order_by(PublicTrendPoint.month)
    )
    types = list(
        PublicServiceTypeFigure.select()
        .where(
            (PublicServiceTypeFigure.snapshot == snapshot)
            & (PublicServiceTypeFigure.unit_code == code)
        )
        .order_by(PublicServiceTypeFigure.position)
    )
    summary = _unit_summary(row, t, names, trend)
    ikm_ok = row.ikm_status == FigureStatus.OK
    unsur = []
    for u in Unsur:
        value = getattr(row, f"nrr_{u.value.lower()}")
        if value is not None:
            status = FigureStatus.OK
        elif row.ikm_status in (FigureStatus.ROLLED, FigureStatus.NO_DATA):
            status = FigureStatus(row.ikm_status)
        else:
            status = FigureStatus.WITHHELD
        item = figure(status, value, None, t, _group(row, "ikm", names) if not ikm_ok else None)
        item.pop("n")
        unsur.append({"kode": u.value, "nama": u.label, **item})
    sample = summary["sampel"]
    quick = figure(
        row.quick_status,
        row.quick_index,
        row.quick_n,
        t,
        _head(row, row.quick_status, names),
    )
    parent = (
        {"kode": row.parent_code, "nama": names.get(row.parent_code, row.parent_code)}
        if row.parent_code in names
        else None
    )
    data = {
        "halaman": "unit",
        "judul": row.name,
        "asal": provenance(snapshot),
        "periode_tersedia": _periods(snapshots, snapshot),
        "unit": {
            "kode": row.code,
            "nama": row.name,
            "nama_singkat": row.short_name or row.name,
            "jenis": row.kind,
            "opd": {"kode": row.opd_code, "nama": row.opd_name},
            "induk": parent,
            "melayani_publik": bool(row.serves_public),
        },
        "ikm": summary["ikm"],
        "unsur": unsur,
        "sampel": sample,
        "indeks_cepat": quick,
        "tren": summary["tren"],
        "garis_mutu": mutu_lines(),
        "layanan": summary["layanan"],
        "jenis_layanan": [_service_type(s, t) for s in types],
        "predikat": _predikat(row, snapshot, t, names),
    }
    data["kalimat_warga"] = unit_lead(data)
    data["arti_mutu"] = mutu_meaning(data["ikm"]["mutu"]["kode"]) if data["ikm"]["mutu"] else None
    return data


def _service_type(row: PublicServiceTypeFigure, t: Thresholds) -> dict:
    out = figure(
        row.status,
        row.on_time_rate,
        row.n,
        t,
        median=row.median,
        p90=row.p90,
        satuan=_duration_label(row.duration_unit),
        pengerjaan_ulang=row.rework_rate,
    )
    return {"nama": row.name, "standar": row.standard_label, **_rate_reason(out, t)}


def _predikat(row: PublicUnitFigure, snapshot: PublicSnapshot, t: Thresholds, names) -> dict:
    ok = row.predikat_status == FigureStatus.OK
    hidden = json.loads(row.predikat_hidden or "{}")
    cells = []
    for predikat, column in PREDIKAT_COLUMNS.items():
        value = getattr(row, column) if ok else None
        mark = None
        if ok and value is None:
            mark = f"≤{t.small_count_max}" if hidden.get(predikat.value) == "SMALL" else "ditahan"
        cells.append(
            {"kode": predikat.value, "nama": predikat.label, "jumlah": value, "tersembunyi": mark}
        )
    out = figure(row.predikat_status, None, None, t, _group(row, "predikat", names))
    out.pop("nilai")
    out.pop("n")
    out.update(
        periode=snapshot.predikat_period_name or None,
        total=row.predikat_total if ok else None,
        sel=cells,
        cakupan=json.loads(row.predikat_covers or "[]"),
    )
    return out


# --- the method page ------------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def inline(token) -> list[dict]:
    """An inline token's text as spans ``{"teks": ..., "gaya": ...}``; ``gaya`` is "tebal",
    "miring", "kode" or None."""
    spans: list[dict] = []
    styles: list[str] = []
    for child in token.children or []:
        if child.type in ("strong_open", "em_open"):
            styles.append("tebal" if child.type == "strong_open" else "miring")
            continue
        if child.type in ("strong_close", "em_close"):
            styles.pop()
            continue
        text = " " if child.type in ("softbreak", "hardbreak") else child.content
        style = "kode" if child.type == "code_inline" else (styles[-1] if styles else None)
        if spans and spans[-1]["gaya"] == style:
            spans[-1]["teks"] += text
        elif text:
            spans.append({"teks": text, "gaya": style})
    return spans


def _list_block(tokens, i: int) -> tuple[dict, int]:
    """The list opening at ``tokens[i]``: its items' text, and the index after it."""
    close = tokens[i].type.replace("_open", "_close")
    depth, items = tokens[i].level, []
    i += 1
    while not (tokens[i].type == close and tokens[i].level == depth):
        if tokens[i].type == "list_item_open":
            items.append([])
        elif tokens[i].type == "inline":
            if items[-1]:
                items[-1].append({"teks": " ", "gaya": None})
            items[-1].extend(inline(tokens[i]))
        i += 1
    ordered = close == "ordered_list_close"
    return {"jenis": "daftar", "berurut": ordered, "butir": items}, i + 1


def _table_block(tokens, i: int) -> tuple[dict, int]:
    """The table opening at ``tokens[i]``: head cells and body rows, and the index after it."""
    head: list = []
    rows: list = []
    in_body = False
    while tokens[i].type != "table_close":
        kind = tokens[i].type
        if kind == "tbody_open":
            in_body = True
        elif kind == "tr_open" and in_body:
            rows.append([])
        elif kind == "inline":
            (rows[-1] if in_body else head).append(inline(tokens[i]))
        i += 1
    return {"jenis": "tabel", "kepala": head, "baris": rows}, i + 1


def parse_markdown(text: str) -> list[dict]:
    """docs/metode.md as blocks, parsed by markdown-it-py (CommonMark and tables; raw HTML
    is not allowed, so nothing needs escaping beyond what the template does).

    Blocks: ``judul`` (tingkat, isi), ``paragraf`` (isi), ``daftar`` (berurut, butir),
    ``tabel`` (kepala, baris); ``isi``, items and cells are span lists from :func:`inline`.
    """
    tokens = _MARKDOWN.parse(text)
    blocks: list[dict] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            blocks.append(
                {"jenis": "judul", "tingkat": int(token.tag[1]), "isi": inline(tokens[i + 1])}
            )
            i += 3
        elif token.type == "paragraph_open":
            blocks.append({"jenis": "paragraf", "isi": inline(tokens[i + 1])})
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            block, i = _list_block(tokens, i)
            blocks.append(block)
        elif token.type == "table_open":
            block, i = _table_block(tokens, i)
            blocks.append(block)
        else:
            i += 1
    return blocks


@lru_cache(maxsize=4)
def _method_blocks(text: str) -> tuple:
    return tuple(parse_markdown(text))


def method() -> dict:
    """The method page: docs/metode.md as blocks, with the version and thresholds in force."""
    snapshot, snapshots = snapshot_for(None)
    text = METHOD_FILE.read_text(encoding="utf-8")
    blocks = [dict(b) for b in _method_blocks(text)]
    if blocks and blocks[0]["jenis"] == "judul" and blocks[0]["tingkat"] <= 2:
        blocks = blocks[1:]  # the page has its own title
    return {
        "halaman": "metode",
        "judul": "Metode perhitungan",
        "asal": provenance(snapshot),
        "periode_tersedia": _periods(snapshots, snapshot),
        "versi_metode": METHOD_VERSION,
        "blok": blocks,
    }


# --- the open data catalogue ----------------------------------------------------------------

DICTIONARY = [
    (
        "ringkasan, unit",
        "status",
        "OK = ditampilkan; WITHHELD = data ditahan (n kurang dari "
        "ambang); NO_DATA = belum ada data; ROLLED = digabung ke unit induk; SUPPRESSED = ditahan "
        "agar angka lain yang ditahan tidak dapat dihitung",
    ),
    ("ringkasan, unit", "keterangan", "Alasan bila angka tidak ditampilkan"),
    ("ringkasan, unit", "n", "Jumlah responden, permohonan selesai, atau pegawai yang dicakup"),
    ("ringkasan, unit", "ikm.nilai", "IKM unit pelayanan (nilai konversi 25–100), dua desimal"),
    ("unit", "ikm.nilai_interval", "IKM nilai interval (1–4), empat desimal"),
    ("ringkasan, unit", "ikm.mutu", "Mutu pelayanan A–D dari nilai konversi"),
    ("ringkasan, unit", "ikm.cakupan", "Unit yang tercakup dalam angka (unit dan sub-unitnya)"),
    (
        "unit",
        "ikm.kanal",
        "Jumlah responden IKM per kanal: kios dan ponsel (kode QR tanda terima); hanya jumlah, "
        "kosong bila n tidak ditampilkan",
    ),
    (
        "beranda",
        "utama.ikm_kota",
        "IKM kota (nilai konversi 25–100) dengan mutu, n dan responden per kanal, dari semua "
        "jawaban periode kios dan ponsel; cakupan unit_ditampilkan bila jawaban unit yang "
        "ditahan tidak ikut dihitung (kurang dari 10)",
    ),
    ("unit", "unsur[].nilai", "Nilai rata-rata (NRR) unsur U1–U9, skala 1–4, empat desimal"),
    (
        "ringkasan, unit",
        "sampel.pengguna_layanan",
        "N: jumlah permohonan layanan yang dilayani unit dan sub-unitnya dalam periode",
    ),
    ("ringkasan, unit", "sampel.sampel_minimal", "S: jumlah sampel minimal Krejcie–Morgan untuk N"),
    ("ringkasan, unit", "sampel.tercapai", "Apakah n responden IKM mencapai S"),
    ("unit", "indeks_cepat.nilai", "Indeks cepat empat wajah (0–100); bukan IKM"),
    ("ringkasan, unit", "tren[].bulan", "Bulan (TTTT-BB) dari 12 bulan sampai akhir periode"),
    ("ringkasan, unit", "tren[].nilai", "IKM bulan itu (nilai konversi)"),
    ("ringkasan, unit", "layanan.nilai", "Persentase permohonan selesai tepat waktu"),
    ("unit", "layanan.median, layanan.p90", "Median dan persentil ke-90 lama penyelesaian"),
    ("unit", "layanan.satuan", "Satuan lama penyelesaian: hari kerja atau menit"),
    ("unit", "layanan.pengerjaan_ulang", "Persentase permohonan yang dikembalikan untuk perbaikan"),
    ("unit", "jenis_layanan[]", "Angka yang sama per jenis layanan, dengan standar waktunya"),
    (
        "unit",
        "predikat.sel[].jumlah",
        "Jumlah pegawai per predikat kinerja periode terakhir "
        "yang ditutup; kosong bila disembunyikan",
    ),
    (
        "unit",
        "predikat.sel[].tersembunyi",
        "≤4 = jumlah kecil disembunyikan; ditahan = "
        "disembunyikan agar jumlah kecil tidak dapat dihitung dari total",
    ),
    (
        "ringkasan",
        "proses[].skp_disetujui_tepat_waktu",
        "Persentase pegawai aktif OPD yang SKP tahunnya disetujui paling lambat batas waktu SKP",
    ),
    ("ringkasan", "proses[].evaluasi_final", "Persentase evaluasi periode yang sudah final"),
    (
        "ringkasan",
        "proses[].keberatan",
        "Jumlah keberatan diajukan dan diputus (1–4 disembunyikan)",
    ),
    (
        "CSV",
        "periode, bagian, kode_unit, nama_unit, rincian, ukuran, nilai, nilai_teks, n, status, "
        "keterangan",
        "Format panjang: satu baris per angka; nilai berisi angka saja (koma desimal, tanpa "
        "pemisah ribuan), nilai_teks berisi kode mutu, satuan, Ya/Tidak atau teks; pemisah "
        "titik koma, UTF-8 dengan BOM",
    ),
]


def catalogue(period_id: int | None = None) -> dict:
    """The open data page: every download, the licence and the data dictionary.

    With ``period_id`` the downloads of that period's snapshot (its stable ``katalog.csv``).
    """
    snapshot, snapshots = snapshot_for(period_id)
    units = []
    if snapshot is not None:
        units = [
            {"kode": r.code, "nama": r.short_name or r.name}
            for r in PublicUnitFigure.select(
                PublicUnitFigure.code, PublicUnitFigure.name, PublicUnitFigure.short_name
            )
            .where(PublicUnitFigure.snapshot == snapshot)
            .order_by(PublicUnitFigure.position)
        ]
    return {
        "halaman": "data",
        "judul": "Data terbuka",
        "asal": provenance(snapshot),
        "periode_tersedia": _periods(snapshots, snapshot),
        "lisensi": LICENCE,
        "dataset": [
            {"halaman": "ringkasan", "nama": "Ringkasan kota: semua unit layanan dan proses OPD"},
            {"halaman": "metode", "nama": "Metode perhitungan"},
            {"halaman": "data", "nama": "Katalog data dan kamus data"},
        ]
        + [{"halaman": "unit", "kode": u["kode"], "nama": f"Unit: {u['nama']}"} for u in units],
        "kamus": [{"berlaku": a, "kolom": b, "arti": c} for a, b, c in DICTIONARY],
    }


# --- CSV: one long table per page -----------------------------------------------------------


def _fig_rows(base: dict, part: str, fig: dict, measures: dict[str, str]) -> list[dict]:
    rows = []
    for measure, key in measures.items():
        value = fig.get(key)
        if isinstance(value, dict):
            value = value.get("kode")
        rows.append(
            {
                **base,
                "bagian": part,
                "ukuran": measure,
                "nilai": value,
                "n": fig.get("n"),
                "status": fig["status"],
                "keterangan": fig.get("keterangan"),
            }
        )
    return rows


IKM_MEASURES = {"ikm_konversi": "nilai", "mutu": "mutu"}
SERVICE_MEASURES = {
    "persen_tepat_waktu": "nilai",
    "median": "median",
    "p90": "p90",
    "satuan": "satuan",
    "persen_pengerjaan_ulang": "pengerjaan_ulang",
}


def _unit_rows(period: str, unit: dict, full: dict | None = None) -> list[dict]:
    base = {"periode": period, "kode_unit": unit["kode"], "nama_unit": unit["nama"]}
    rows = _fig_rows({**base, "rincian": ""}, "ikm", unit["ikm"], IKM_MEASURES)
    rows += _fig_rows({**base, "rincian": ""}, "layanan", unit["layanan"], SERVICE_MEASURES)
    rows += _fig_rows(
        {**base, "rincian": ""},
        "sampel",
        {**unit["sampel"], "n": None},
        {
            "pengguna_layanan": "pengguna_layanan",
            "sampel_minimal": "sampel_minimal",
            "tercapai": "tercapai",
        },
    )
    for point in unit["tren"]:
        rows += _fig_rows({**base, "rincian": point["bulan"]}, "tren", point, IKM_MEASURES)
    if full is None:
        return rows
    for item in full["unsur"]:
        rows += _fig_rows(
            {**base, "rincian": f"{item['kode']} {item['nama']}"}, "unsur", item, {"nrr": "nilai"}
        )
    rows += _fig_rows(
        {**base, "rincian": ""}, "indeks_cepat", full["indeks_cepat"], {"indeks": "nilai"}
    )
    for item in full["jenis_layanan"]:
        rows += _fig_rows(
            {**base, "rincian": f"{item['nama']} (standar {item['standar']})"},
            "jenis_layanan",
            item,
            SERVICE_MEASURES,
        )
    pred = full["predikat"]
    rows.append(
        {
            **base,
            "bagian": "predikat",
            "rincian": pred["periode"] or "",
            "ukuran": "total",
            "nilai": pred["total"],
            "n": pred["total"],
            "status": pred["status"],
            "keterangan": pred["keterangan"],
        }
    )
    for cell in pred["sel"]:
        rows.append(
            {
                **base,
                "bagian": "predikat",
                "rincian": cell["nama"],
                "ukuran": "jumlah",
                "nilai": cell["jumlah"],
                "n": pred["total"],
                "status": pred["status"],
                "keterangan": cell["tersembunyi"] or pred["keterangan"],
            }
        )
    return rows


def csv_rows(data: dict) -> list[dict]:
    """The page's data as one long table (columns :data:`CSV_COLUMNS`), plain text cells."""
    period = data["asal"]["periode"] or ""
    rows: list[dict] = []
    page = data["halaman"]
    if page == "ringkasan":
        for unit in data["unit"]:
            rows += _unit_rows(period, unit)
        for item in data["proses"]:
            base = {
                "periode": period,
                "kode_unit": item["opd"]["kode"],
                "nama_unit": item["opd"]["nama"],
                "bagian": "proses",
            }
            for key in ("skp_disetujui_tepat_waktu", "evaluasi_final"):
                fig = item[key]
                rows.append(
                    {
                        **base,
                        "rincian": key,
                        "ukuran": "persen",
                        "nilai": fig["nilai"],
                        "n": fig["n"],
                        "status": fig["status"],
                        "keterangan": fig["keterangan"],
                    }
                )
            obj = item["keberatan"]
            for key in ("diajukan", "diputus"):
                rows.append(
                    {
                        **base,
                        "rincian": f"keberatan_{key}",
                        "ukuran": "jumlah",
                        "nilai": obj[key]["nilai"],
                        "n": None,
                        "status": obj["status"],
                        "keterangan": obj[key]["tersembunyi"] or obj["keterangan"],
                    }
                )
    elif page == "beranda":
        rows = _home_rows(period, data)
    elif page == "unit":
        rows = _unit_rows(
            period,
            {
                **data["unit"],
                "ikm": data["ikm"],
                "sampel": data["sampel"],
                "layanan": data["layanan"],
                "tren": data["tren"],
            },
            data,
        )
    elif page == "metode":
        heading = ""
        for block in data["blok"]:
            text = _plain(block)
            if block["jenis"] == "judul":
                heading = text
            rows.append(
                {
                    "periode": period,
                    "bagian": "metode",
                    "rincian": heading,
                    "ukuran": block["jenis"],
                    "nilai": text,
                }
            )
    elif page == "data":
        for item in data["dataset"]:
            rows.append(
                {
                    "periode": period,
                    "bagian": "dataset",
                    "kode_unit": item.get("kode", ""),
                    "rincian": item["halaman"],
                    "nilai": item["nama"],
                }
            )
        for item in data["kamus"]:
            rows.append(
                {
                    "periode": period,
                    "bagian": "kamus",
                    "rincian": item["kolom"],
                    "ukuran": item["berlaku"],
                    "nilai": item["arti"],
                }
            )
    return [_typed({c: row.get(c) for c in CSV_COLUMNS}) for row in rows]


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal | float | Fraction) and not isinstance(value, bool)


def _typed(row: dict) -> dict:
    """A row with a value that is not a number moved from ``nilai`` to ``nilai_teks``."""
    value = row["nilai"]
    if value is not None and not _is_number(value):
        row["nilai"], row["nilai_teks"] = None, value
    return row


def _spans(spans: list[dict]) -> str:
    return "".join(s["teks"] for s in spans)


def _plain(block: dict) -> str:
    kind = block["jenis"]
    if kind in ("judul", "paragraf"):
        return _spans(block["isi"])
    if kind == "daftar":
        return " | ".join(_spans(b) for b in block["butir"])
    rows = [block["kepala"], *block["baris"]]
    return " / ".join(" | ".join(_spans(c) for c in row) for row in rows)


# --- plain words for the technical terms (tooltips; the method page's "Daftar istilah") ----

GLOSSARY = {
    "ikm": (
        "IKM",
        "Indeks Kepuasan Masyarakat: nilai 25–100 dari survei kepuasan warga yang baru "
        "dilayani; makin tinggi makin puas.",
    ),
    "mutu": (
        "mutu",
        "Huruf A–D dari nilai IKM: A sangat baik, B baik, C kurang baik, D tidak baik.",
    ),
    "nrr": (
        "NRR",
        "Nilai rata-rata satu unsur pelayanan (misalnya biaya atau sikap petugas), skala 1–4.",
    ),
    "p90": (
        "P90",
        "9 dari 10 permohonan selesai dalam waktu ini atau lebih cepat.",
    ),
    "krejcie-morgan": (
        "Krejcie–Morgan",
        "Tabel jumlah responden minimal (S) agar survei mewakili semua pengguna layanan (N).",
    ),
    "indeks-cepat": (
        "indeks cepat",
        "Penilaian sekali tekan dengan empat wajah di kios (0–100); petunjuk cepat, bukan IKM.",
    ),
}


# --- the citizens' home ---------------------------------------------------------------------

GOOD_MUTU = ("A", "B")
ON_TIME_TARGET = 90  # a unit "mostly on time": at least 9 of 10 requests done on time
MUTU_MEANING = {
    "A": "Sangat baik: hampir semua warga puas dengan layanannya.",
    "B": "Baik: sebagian besar warga puas, masih ada yang perlu diperbaiki.",
    "C": "Kurang baik: banyak warga belum puas; layanan perlu diperbaiki.",
    "D": "Tidak baik: sebagian besar warga tidak puas; layanan harus segera diperbaiki.",
}


def mutu_meaning(code: str | None) -> str | None:
    """What a mutu letter means for a citizen, in one plain sentence."""
    return MUTU_MEANING.get(code or "")


def _previous(snapshot: PublicSnapshot, snapshots: list) -> PublicSnapshot | None:
    """The latest published snapshot of a period that ended before this one began."""
    earlier = [s for s in snapshots if s.period_end < snapshot.period_start]
    return earlier[0] if earlier else None


def _top_rows(snapshot: PublicSnapshot) -> list[PublicUnitFigure]:
    """The top units (OPD, kecamatan): their figures cover their whole subtree and never
    overlap, so the city headline counts every published answer at most once."""
    rows = list(
        PublicUnitFigure.select()
        .where(PublicUnitFigure.snapshot == snapshot)
        .order_by(PublicUnitFigure.position)
    )
    codes = {r.code for r in rows}
    return [r for r in rows if not r.parent_code or r.parent_code not in codes]


def city_ikm(snapshot: PublicSnapshot) -> dict:
    """The city IKM computed at publication (issue 22): value, mutu, n, channels, scope."""
    t = _thresholds(snapshot)
    status = snapshot.city_ikm_status or str(FigureStatus.NO_DATA)
    if status == FigureStatus.OK and snapshot.city_ikm_konversi is None:
        status = str(FigureStatus.NO_DATA)
    shown_only = snapshot.city_scope == CityScope.SHOWN
    out = figure(
        status,
        snapshot.city_ikm_konversi,
        snapshot.city_ikm_n,
        t,
        mutu=_mutu(snapshot.city_mutu),
        kanal=_channels(snapshot.city_kiosk_n, snapshot.city_phone_n),
    )
    out["arti_mutu"] = mutu_meaning(snapshot.city_mutu) if out["mutu"] else None
    out["cakupan"] = "unit_ditampilkan" if shown_only else "semua"
    out["unit_ditampilkan"] = snapshot.city_units
    return out


def _headline(snapshot: PublicSnapshot) -> dict:
    """The city headline: the city IKM stored at publication, and counts of published
    unit figures (no new aggregate of raw answers at request time).

    - city IKM: see :func:`city_ikm` (kinerja.services.publish computes it);
    - IKM per unit: how many of the top units with a published IKM reach mutu A or B;
    - on time: requests done on time over requests done, summed over the top units whose
      percentage is published (each unit's count is its published % × n);
    - respondents: the city IKM's n with its channels; for a snapshot published before the
      city IKM existed, the n of the top units' published IKM.
    """
    city = city_ikm(snapshot)
    rows = _top_rows(snapshot)
    ikm = [r for r in rows if r.ikm_status == FigureStatus.OK and r.mutu]
    per_mutu = {m.value: sum(1 for r in ikm if r.mutu == m.value) for m in Mutu}
    svc = [r for r in rows if r.svc_status == FigureStatus.OK and r.on_time_rate is not None]
    done = sum(r.svc_n for r in svc)
    on_time = sum(r.on_time_rate * r.svc_n / 100 for r in svc)
    share = round(on_time * 100 / done, 1) if done else None
    return {
        "ikm": {
            "unit_dinilai": len(ikm),
            "unit_baik": per_mutu["A"] + per_mutu["B"],
            "per_mutu": [
                {
                    "kode": m.value,
                    "label": m.label,
                    "arti": MUTU_MEANING[m.value],
                    "jumlah": per_mutu[m.value],
                }
                for m in Mutu
            ],
        },
        "tepat_waktu": {
            "persen": share,
            "permohonan": done,
            "unit_dihitung": len(svc),
            "unit_memenuhi": sum(1 for r in svc if r.on_time_rate >= ON_TIME_TARGET),
        },
        "responden": (
            {"jumlah": city["n"], "unit_dihitung": len(ikm), "kanal": city["kanal"]}
            if city["n"] is not None
            else {"jumlah": sum(r.ikm_n for r in ikm), "unit_dihitung": len(ikm), "kanal": None}
        ),
        "ikm_kota": city,
    }


def _change(now, before, unit: str = "") -> dict | None:
    """Up, down or same between two published values; None unless both are published."""
    if now is None or before is None:
        return None
    diff = now - before
    arah = "naik" if diff > 0 else "turun" if diff < 0 else "tetap"
    return {"arah": arah, "selisih": abs(diff), "sebelumnya": before, "satuan": unit}


def _headline_changes(now: dict, before: dict | None) -> dict:
    if before is None:
        return {"ikm_kota": None, "ikm": None, "tepat_waktu": None, "responden": None}
    share = lambda h: (  # noqa: E731 - share of units rated A/B, in percent
        round(Decimal(h["unit_baik"] * 100) / h["unit_dinilai"], 1) if h["unit_dinilai"] else None
    )
    return {
        "ikm_kota": _change(now["ikm_kota"]["nilai"], before["ikm_kota"]["nilai"], "poin"),
        "ikm": _change(share(now["ikm"]), share(before["ikm"]), "poin persen"),
        "tepat_waktu": _change(
            now["tepat_waktu"]["persen"], before["tepat_waktu"]["persen"], "poin persen"
        ),
        "responden": _change(
            now["responden"]["jumlah"] if now["responden"]["unit_dihitung"] else None,
            before["responden"]["jumlah"] if before["responden"]["unit_dihitung"] else None,
            "responden",
        ),
    }


def _headline_meanings(h: dict) -> dict:
    """The "Apa artinya?" sentence of each headline figure."""
    ikm, svc, resp = h["ikm"], h["tepat_waktu"], h["responden"]
    city = h["ikm_kota"]
    if ikm["unit_dinilai"]:
        ikm_text = (
            f"Dari {ikm['unit_dinilai']} OPD dan kecamatan yang nilainya ditampilkan, "
            f"{ikm['unit_baik']} dinilai warga Baik atau Sangat Baik (mutu B atau A). "
            "Mutu C atau D berarti banyak warga belum puas dan layanannya perlu diperbaiki."
        )
    else:
        ikm_text = "Belum ada nilai kepuasan warga yang cukup banyak jawabannya untuk ditampilkan."
    if svc["persen"] is not None:
        per_ten = round(svc["persen"] / 10)
        svc_text = (
            f"Dari setiap 10 permohonan layanan yang selesai, sekitar {per_ten} selesai "
            "dalam waktu yang dijanjikan unit (standar pelayanan)."
        )
    else:
        svc_text = "Belum ada catatan permohonan yang cukup banyak untuk ditampilkan."
    if resp["kanal"] is not None:
        resp_text = (
            f"Sebanyak {format_count(resp['jumlah'])} warga mengisi survei kepuasan: "
            f"{format_count(resp['kanal']['kios'])} di kios unit layanan dan "
            f"{format_count(resp['kanal']['ponsel'])} dari ponsel sendiri (kode QR pada tanda "
            "terima loket). Makin banyak yang mengisi, makin dapat dipercaya nilainya."
        )
    elif resp["unit_dihitung"]:
        resp_text = (
            f"Sebanyak {format_count(resp['jumlah'])} warga mengisi survei kepuasan di kios "
            "unit layanan atau dari ponsel. Makin banyak yang mengisi, makin dapat dipercaya "
            "nilainya."
        )
    else:
        resp_text = "Belum ada jawaban survei yang dapat ditampilkan."
    return {
        "ikm_kota": city_meaning(city),
        "ikm": ikm_text,
        "tepat_waktu": svc_text,
        "responden": resp_text,
    }


def city_meaning(city: dict) -> str:
    """The plain "Apa artinya?" of the city IKM: what the letter means, whose answers."""
    if city["status"] == str(FigureStatus.OK):
        value = format_number(city["nilai"], 2)
        text = (
            f"Rata-rata penilaian warga atas semua layanan kota adalah {value} dari 100, "
            f"mutu {city['mutu']['kode']} ({city['mutu']['label']}). {city['arti_mutu']} "
            f"Nilai ini menggabungkan jawaban di kios dan dari ponsel warga, "
            f"{format_count(city['n'])} responden."
        )
        if city["cakupan"] == "unit_ditampilkan":
            text += (
                f" Nilai kota dihitung dari {city['unit_ditampilkan']} unit yang ditampilkan "
                "(OPD dan kecamatan): jawaban unit yang nilainya ditahan terlalu sedikit, jadi "
                "tidak ikut agar tidak dapat dihitung kembali dengan mengurangkan angka unit."
            )
        else:
            text += " Jawaban untuk unit yang nilainya sendiri belum ditampilkan ikut dihitung."
        return text
    if city["status"] == str(FigureStatus.WITHHELD):
        return (
            "Jawaban warga pada periode ini belum cukup banyak untuk nilai kota, jadi nilainya "
            "belum ditampilkan agar tidak ada warga yang dapat dikenali."
        )
    return "Belum ada nilai kepuasan kota untuk periode ini."


def home() -> dict:
    """The citizens' home: the latest published period's city headline, what changed
    since the previous published period, a plain sentence per figure, and every unit."""
    snapshot, snapshots = snapshot_for(None)
    data = {
        "halaman": "beranda",
        "judul": "Seberapa baik layanan publik Kota Sibolga?",
        "asal": provenance(snapshot),
        "periode_tersedia": _periods(snapshots, snapshot),
        "pembanding": None,
        "utama": None,
        "perubahan": None,
        "arti": None,
        "unit": [],
    }
    if snapshot is None:
        return data
    previous = _previous(snapshot, snapshots)
    now = _headline(snapshot)
    before = _headline(previous) if previous is not None else None
    data["pembanding"] = (
        {"periode_id": previous.period_id, "nama": previous.period_name} if previous else None
    )
    data["utama"] = now
    data["perubahan"] = _headline_changes(now, before)
    data["arti"] = _headline_meanings(now)
    old = {}
    if previous is not None:
        old = {
            r.code: r.ikm_konversi
            for r in PublicUnitFigure.select(
                PublicUnitFigure.code, PublicUnitFigure.ikm_konversi
            ).where(
                (PublicUnitFigure.snapshot == previous)
                & (PublicUnitFigure.ikm_status == FigureStatus.OK)
            )
        }
    for row in (
        PublicUnitFigure.select()
        .where(PublicUnitFigure.snapshot == snapshot)
        .order_by(PublicUnitFigure.position)
    ):
        if not row.serves_public and row.ikm_status != FigureStatus.OK:
            continue
        ok = row.ikm_status == FigureStatus.OK
        data["unit"].append(
            {
                "kode": row.code,
                "nama": row.short_name or row.name,
                "jenis": row.kind,
                "ikm": row.ikm_konversi if ok else None,
                "mutu": _mutu(row.mutu) if ok else None,
                "perubahan_ikm": _change(row.ikm_konversi if ok else None, old.get(row.code)),
            }
        )
    return data


def unit_lead(data: dict) -> str:
    """The unit page's first sentence, for a citizen (from the page's own dict)."""
    name, ikm = data["unit"]["nama"], data["ikm"]
    period = data["asal"]["periode"]
    if ikm["status"] == str(FigureStatus.OK) and ikm["mutu"]:
        mutu = ikm["mutu"]
        value = format_number(ikm["nilai"], 2).rstrip("0").rstrip(",")
        return (
            f"Warga menilai layanan {name} “{mutu['label']}” ({mutu['kode']}): {value} dari "
            f"100, dari {format_count(ikm['n'])} responden pada {period}."
        )
    if ikm["status"] == str(FigureStatus.ROLLED) and ikm.get("digabung_ke"):
        return (
            f"Jawaban warga untuk {name} pada {period} terlalu sedikit untuk dinilai sendiri; "
            f"nilainya digabung ke {ikm['digabung_ke']['nama']}."
        )
    if ikm["status"] == str(FigureStatus.NO_DATA):
        return f"Belum ada warga yang menilai layanan {name} pada {period}."
    return (
        f"Jawaban warga untuk {name} pada {period} belum cukup banyak, jadi nilainya belum "
        "ditampilkan agar tidak ada warga yang dapat dikenali."
    )


def _home_rows(period: str, data: dict) -> list[dict]:
    """The home's headline and unit list as rows of the long table."""
    head = data["utama"]
    if head is None:
        return []
    base = {"periode": period, "bagian": "beranda", "kode_unit": "", "nama_unit": "Kota Sibolga"}
    city = head["ikm_kota"]
    kanal = city["kanal"] or {}
    city_base = {
        **base,
        "rincian": "ikm_kota",
        "n": city["n"],
        "status": city["status"],
        "keterangan": city["keterangan"],
    }
    rows = [
        {**city_base, "ukuran": "ikm_konversi", "nilai": city["nilai"]},
        {**city_base, "ukuran": "mutu", "nilai": (city["mutu"] or {}).get("kode")},
        {**city_base, "ukuran": "responden_kios", "nilai": kanal.get("kios")},
        {**city_base, "ukuran": "responden_ponsel", "nilai": kanal.get("ponsel")},
        {**base, "rincian": "ikm", "ukuran": "unit_dinilai", "nilai": head["ikm"]["unit_dinilai"]},
        {**base, "rincian": "ikm", "ukuran": "unit_baik", "nilai": head["ikm"]["unit_baik"]},
    ]
    rows += [
        {**base, "rincian": "ikm", "ukuran": f"mutu_{m['kode']}", "nilai": m["jumlah"]}
        for m in head["ikm"]["per_mutu"]
    ]
    svc = head["tepat_waktu"]
    rows += [
        {
            **base,
            "rincian": "tepat_waktu",
            "ukuran": "persen",
            "nilai": svc["persen"],
            "n": svc["permohonan"] if svc["persen"] is not None else None,
        },
        {**base, "rincian": "responden", "ukuran": "jumlah", "nilai": head["responden"]["jumlah"]},
    ]
    for unit in data["unit"]:
        rows.append(
            {
                "periode": period,
                "bagian": "unit",
                "kode_unit": unit["kode"],
                "nama_unit": unit["nama"],
                "ukuran": "ikm_konversi",
                "nilai": unit["ikm"],
                "status": "OK" if unit["ikm"] is not None else "",
            }
        )
    return rows
