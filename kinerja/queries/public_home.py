"""The citizens' home: the city headline, its changes and meanings, and the unit list.

One dict, rendered as HTML, JSON and CSV (docs/spec/product.md §6).
"""

from decimal import Decimal

from kinerja.enums import Mutu
from kinerja.formatting import format_count, format_number
from kinerja.models.public import CityScope, FigureStatus, PublicSnapshot, PublicUnitFigure
from kinerja.queries.public_common import (
    MUTU_MEANING,
    channels,
    figure,
    mutu_meaning,
    mutu_ref,
    periods,
    provenance,
    snapshot_for,
    thresholds_of,
)
from kinerja.scoring import GOOD_MUTU

# --- the citizens' home ---------------------------------------------------------------------

ON_TIME_TARGET = 90  # a unit "mostly on time": at least 9 of 10 requests done on time


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
    t = thresholds_of(snapshot)
    status = snapshot.city_ikm_status or str(FigureStatus.NO_DATA)
    if status == FigureStatus.OK and snapshot.city_ikm_konversi is None:
        status = str(FigureStatus.NO_DATA)
    shown_only = snapshot.city_scope == CityScope.SHOWN
    out = figure(
        status,
        snapshot.city_ikm_konversi,
        snapshot.city_ikm_n,
        t,
        mutu=mutu_ref(snapshot.city_mutu),
        kanal=channels(snapshot.city_kiosk_n, snapshot.city_phone_n),
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
            "unit_baik": sum(per_mutu[m.value] for m in GOOD_MUTU),
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
        "periode_tersedia": periods(snapshots, snapshot),
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
                "mutu": mutu_ref(row.mutu) if ok else None,
                "perubahan_ikm": _change(row.ikm_konversi if ok else None, old.get(row.code)),
            }
        )
    return data
