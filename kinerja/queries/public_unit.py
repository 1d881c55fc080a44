"""The unit page: a unit's IKM, unsur, sample, quick index, trend, service and predikat.

One dict, rendered as HTML, JSON and CSV (docs/spec/product.md §6).
"""

import json

from kinerja.anonymise import Thresholds
from kinerja.enums import Unsur
from kinerja.formatting import format_count, format_number
from kinerja.models.public import (
    FigureStatus,
    PublicServiceTypeFigure,
    PublicSnapshot,
    PublicTrendPoint,
    PublicUnitFigure,
)
from kinerja.queries.public_common import (
    PREDIKAT_COLUMNS,
    duration_label,
    figure,
    group_ref,
    head_ref,
    mutu_lines,
    mutu_meaning,
    periods,
    provenance,
    snapshot_for,
    thresholds_of,
    unit_summary,
    with_rate_reason,
)

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
    t = thresholds_of(snapshot)
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
    summary = unit_summary(row, t, names, trend)
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
        item = figure(status, value, None, t, group_ref(row, "ikm", names) if not ikm_ok else None)
        item.pop("n")
        unsur.append({"kode": u.value, "nama": u.label, **item})
    sample = summary["sampel"]
    quick = figure(
        row.quick_status,
        row.quick_index,
        row.quick_n,
        t,
        head_ref(row, row.quick_status, names),
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
        "periode_tersedia": periods(snapshots, snapshot),
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
        satuan=duration_label(row.duration_unit),
        pengerjaan_ulang=row.rework_rate,
    )
    return {"nama": row.name, "standar": row.standard_label, **with_rate_reason(out, t)}


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
    out = figure(row.predikat_status, None, None, t, group_ref(row, "predikat", names))
    out.pop("nilai")
    out.pop("n")
    out.update(
        periode=snapshot.predikat_period_name or None,
        total=row.predikat_total if ok else None,
        sel=cells,
        cakupan=json.loads(row.predikat_covers or "[]"),
    )
    return out


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
