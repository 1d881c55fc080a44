"""What every public page shares: snapshots, provenance, figure dicts (docs/spec/product.md §6).

The public pages read only published snapshots. Nothing here touches raw answers: every
figure was already through disclosure control when :func:`kinerja.services.publish.publish`
wrote the snapshot. A figure that may not be shown comes as ``{"status": ...,
"keterangan": ...}`` without value. Each page has its own module (``public_home``,
``public_overview``, ``public_unit``, ``public_method``); ``public_csv`` turns any page's
dict into the long CSV table (style habit 9: one dict, rendered as HTML, JSON and CSV).
"""

import json

from kinerja.anonymise import NO_DATA_REASON, Thresholds, withheld_reason
from kinerja.enums import Mutu, Predikat
from kinerja.models.public import FigureStatus, PublicSnapshot, PublicUnitFigure
from kinerja.scoring import METHOD_VERSION, StandardUnit, mutu_chart_lines
from kinerja.statements import statement

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

PREDIKAT_COLUMNS = {
    Predikat.SANGAT_BAIK: "sangat_baik",
    Predikat.BAIK: "baik",
    Predikat.BUTUH_PERBAIKAN: "butuh_perbaikan",
    Predikat.KURANG: "kurang",
    Predikat.SANGAT_KURANG: "sangat_kurang",
}
CHART_BOTTOM = 50  # the IKM charts show konversi 50–100
SUPPRESSED_REASON = "data ditahan agar angka yang ditahan tidak dapat dihitung"


def _status_is(status: FigureStatus):
    def test(figure) -> bool:
        return bool(figure) and figure.get("status") == str(status)

    test.__doc__ = f"Whether a public figure dict has the status {status.value} (a Jinja test)."
    return test


FIGURE_TESTS = {
    "shown": _status_is(FigureStatus.OK),
    "no_data": _status_is(FigureStatus.NO_DATA),
    "rolled": _status_is(FigureStatus.ROLLED),
}
"""Jinja tests for the public templates: ``{% if fig is shown %}`` instead of comparing the
published status code as a string."""


def rate_withheld_reason(thresholds: Thresholds) -> str:
    """Why a shown figure's percentage is withheld (issue 19): with n it would give back
    a count of 1..small_count_max (e.g. 92,86 % of 14 is exactly one)."""
    return f"persen ditahan (≤ {thresholds.small_count_max} kasus)"


def with_rate_reason(out: dict, thresholds: Thresholds) -> dict:
    if out["status"] == str(FigureStatus.OK) and out["nilai"] is None:
        out["keterangan"] = rate_withheld_reason(thresholds)
    return out


# --- snapshots and provenance ---------------------------------------------------------------


SNAPSHOT_ORDER = (
    PublicSnapshot.period_start.desc(),
    PublicSnapshot.period_end.asc(),
    PublicSnapshot.id.desc(),
)
"""Latest period first (latest start, then the shortest)."""


def published_snapshots() -> list[PublicSnapshot]:
    """Every published snapshot, latest period first (latest start, then the shortest)."""
    return list(PublicSnapshot.select().order_by(*SNAPSHOT_ORDER))


@statement
def _snapshot_versions():
    return PublicSnapshot.select(PublicSnapshot.id, PublicSnapshot.built_at).order_by(
        *SNAPSHOT_ORDER
    )


def snapshot_versions() -> tuple[tuple[int, object], ...]:
    """(id, build time) of every published snapshot in :func:`published_snapshots`' order:
    what a public page's cache key holds (one narrow read on every public request)."""
    return tuple(_snapshot_versions.cursor(tuples=True))


def snapshot_for(period_id: int | None = None) -> tuple[PublicSnapshot | None, list]:
    """The snapshot of ``period_id`` (or the latest one) and the list of all snapshots."""
    snapshots = published_snapshots()
    if period_id is None:
        return (snapshots[0] if snapshots else None), snapshots
    for snap in snapshots:
        if snap.period_id == period_id:
            return snap, snapshots
    return None, snapshots


def thresholds_of(snapshot: PublicSnapshot | None) -> Thresholds:
    values = snapshot.threshold_values if snapshot is not None else {}
    return Thresholds(
        public_min_n=int(values.get("public_min_n", 10)),
        small_count_max=int(values.get("small_count_max", 4)),
    )


def provenance(snapshot: PublicSnapshot | None) -> dict:
    """Source, method version, last update and licence (the footer of every page)."""
    thresholds = thresholds_of(snapshot)
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


def periods(snapshots, current) -> list[dict]:
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


def channels(kiosk: int | None, phone: int | None) -> dict | None:
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


def mutu_ref(code: str) -> dict | None:
    return {"kode": code, "label": Mutu(code).label} if code else None


def duration_label(unit: str) -> str:
    return StandardUnit(unit).label if unit else ""


def group_ref(row: PublicUnitFigure, field: str, names: dict[str, str]) -> dict | None:
    code = getattr(row, f"{field}_group")
    if getattr(row, f"{field}_status") != FigureStatus.ROLLED or not code:
        return None
    return {"kode": code, "nama": names.get(code, code)}


def head_ref(row: PublicUnitFigure, status: str, names: dict[str, str]) -> dict | None:
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
        group_ref(row, "ikm", names),
        nilai_interval=row.ikm_interval,
        mutu=mutu_ref(row.mutu),
    )
    _unsur_short(out, row.ikm_status, row.ikm_n, t)
    out["kanal"] = channels(row.kiosk_n, row.phone_n) if out["n"] is not None else None
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
        group_ref(row, "svc", names),
        median=row.median,
        p90=row.p90,
        satuan=duration_label(row.duration_unit),
        pengerjaan_ulang=row.rework_rate,
    )
    with_rate_reason(out, t)
    out["cakupan"] = json.loads(row.svc_covers or "[]")
    return out


def trend_points(points, t: Thresholds) -> list[dict]:
    out = []
    for p in points:
        item = {
            "bulan": p.month.strftime("%Y-%m"),
            "dalam_periode": bool(p.in_period),
            **figure(p.status, p.ikm_konversi, p.n, t, mutu=mutu_ref(p.mutu)),
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
        head_ref(row, row.population_status, names),
        pengguna_layanan=row.population,
        sampel_minimal=row.sample_size,
        tercapai=row.sample_reached,
    )
    sample.pop("n")
    sample.pop("nilai")
    return sample


def unit_summary(row: PublicUnitFigure, t: Thresholds, names: dict, trend) -> dict:
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
        "tren": trend_points(trend, t),
    }


MUTU_MEANING = {
    "A": "Sangat baik: hampir semua warga puas dengan layanannya.",
    "B": "Baik: sebagian besar warga puas, masih ada yang perlu diperbaiki.",
    "C": "Kurang baik: banyak warga belum puas; layanan perlu diperbaiki.",
    "D": "Tidak baik: sebagian besar warga tidak puas; layanan harus segera diperbaiki.",
}


def mutu_meaning(code: str | None) -> str | None:
    """What a mutu letter means for a citizen, in one plain sentence."""
    return MUTU_MEANING.get(code or "")
