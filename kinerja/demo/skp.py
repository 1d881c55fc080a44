"""Demo SKP data: the periods of every year the demo touches (``story.period_years``),
cascading SKPs for (almost) every employee for the evaluated quarter's year and the current
year (``story.skp_years``), realisation for past quarters, and the continuous feedback log.

Everything here is DEMO DATA. Rows are written with bulk inserts so seeding stays fast.
Named people: "pelaksana" has an approved SKP (two RHK, three indicators) with realisation
and feedback; "rekan1" waits for approval, "rekan2" was returned, "rekan3" is drafting;
"pegawai_baru" has no SKP so the demo shows drafting from scratch.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from peewee import chunked

from kinerja import settings
from kinerja.demo import story
from kinerja.enums import PeriodStatus
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.skp import (
    FeedbackNote,
    FeedbackReply,
    Indicator,
    PerilakuExpectation,
    Realisation,
    Rhk,
    Skp,
)
from kinerja.services import periods as period_service

CHUNK = 200
D = Decimal

# (rhk text, [(indicator text, aspek, target, unit, direction)]) per level; "{u}" is the unit.
JPT_RHK = [
    (
        "Meningkatnya kualitas pelayanan publik {u}",
        [("Indeks Kepuasan Masyarakat (IKM) {u}", "KUALITAS", "85", "indeks", "HIGHER_BETTER")],
        "PENERIMA_LAYANAN",
    ),
    (
        "Terwujudnya tata kelola {u} yang akuntabel",
        [("Nilai SAKIP perangkat daerah", "KUALITAS", "70", "nilai", "HIGHER_BETTER")],
        "PROSES_BISNIS",
    ),
    (
        "Terlaksananya anggaran {u} secara efektif",
        [("Persentase realisasi anggaran", "KUANTITAS", "95", "%", "HIGHER_BETTER")],
        "ANGGARAN",
    ),
]
ADMIN_RHK = [
    (
        "Meningkatnya kinerja layanan {u}",
        [
            ("Persentase layanan selesai sesuai standar", "KUALITAS", "90", "%", "HIGHER_BETTER"),
            ("Rata-rata waktu penyelesaian layanan", "WAKTU", "3", "hari kerja", "LOWER_BETTER"),
        ],
    ),
    (
        "Tersusunnya laporan kinerja {u} tepat waktu",
        [("Jumlah laporan kinerja triwulanan", "KUANTITAS", "1", "laporan", "HIGHER_BETTER")],
    ),
]
PENGAWAS_RHK = [
    (
        "Terselenggaranya kegiatan {u} sesuai rencana",
        [("Persentase kegiatan terlaksana", "KUANTITAS", "100", "%", "HIGHER_BETTER")],
    ),
    (
        "Terkendalinya mutu layanan {u}",
        [("Persentase berkas tanpa kesalahan", "KUALITAS", "95", "%", "HIGHER_BETTER")],
    ),
]
STAFF_RHK = [
    (
        "Terlayaninya permohonan masyarakat di {u}",
        [
            (
                "Jumlah berkas yang diproses per triwulan",
                "KUANTITAS",
                "240",
                "berkas",
                "HIGHER_BETTER",
            ),
            ("Persentase berkas selesai tepat waktu", "WAKTU", "95", "%", "HIGHER_BETTER"),
        ],
    ),
    (
        "Tersusunnya administrasi dan arsip {u} yang tertib",
        [("Jumlah laporan administrasi", "KUANTITAS", "3", "laporan", "HIGHER_BETTER")],
    ),
]
IDENTITAS_RHK = [
    (
        "Terlayaninya penerbitan KTP-el yang cepat dan tepat",
        [
            (
                "Jumlah KTP-el yang dicetak per triwulan",
                "KUANTITAS",
                "450",
                "keping",
                "HIGHER_BETTER",
            ),
            ("Persentase KTP-el selesai pada hari yang sama", "WAKTU", "90", "%", "HIGHER_BETTER"),
        ],
    ),
    (
        "Termutakhirkannya data perekaman biometrik",
        [("Persentase data perekaman tanpa duplikasi", "KUALITAS", "99", "%", "HIGHER_BETTER")],
    ),
]
TAMBAHAN = (
    "Terlaksananya tugas tambahan sebagai anggota tim reformasi birokrasi",
    [("Jumlah rapat tim yang diikuti", "KUANTITAS", "4", "kali", "HIGHER_BETTER")],
)

NOTES = [
    ("PUJIAN", "Antrean loket pagi ini tertangani dengan sangat baik. Terima kasih."),
    ("KOREKSI", "Masih ada dua berkas tanpa tanda terima; mohon dilengkapi sebelum Jumat."),
    (
        "KESEPAKATAN",
        "Disepakati: realisasi triwulan diisi paling lambat tanggal 5 bulan berikutnya.",
    ),
]


def _level(e: Employee, by_id: dict) -> int:
    depth, current, seen = 0, e.supervisor_id, set()
    while current is not None and current in by_id and current not in seen:
        seen.add(current)
        depth += 1
        current = by_id[current].supervisor_id
    return depth


def _plan_for(e: Employee, unit: Unit) -> list:
    if e.jenis_jabatan == "JPT":
        return JPT_RHK
    if e.jenis_jabatan == "ADMINISTRATOR":
        return ADMIN_RHK
    if e.jenis_jabatan == "PENGAWAS":
        return PENGAWAS_RHK
    if unit.code.endswith(".IDP"):
        return IDENTITAS_RHK
    return STAFF_RHK


def _periods(ctx, year: int) -> list[Period]:
    created = period_service.create_year(year, "TRIWULAN", skp_deadline=date(year, 1, 31))
    frozen = json.dumps(settings.current(), sort_keys=True)
    for p in created:
        if p.is_annual:
            continue  # the annual evaluation opens at the end of the year
        if p.end < ctx.today:
            status = PeriodStatus.DITUTUP
        elif p.start <= ctx.today:
            status = PeriodStatus.DIBUKA
        else:
            continue
        p.status = status
        p.frozen_settings = frozen
        p.opened_at = ctx.at(p.start)
        closed = status == PeriodStatus.DITUTUP
        p.closed_at = ctx.at(p.end + timedelta(days=21)) if closed else None
        p.save()
    return [p for p in created if not p.is_annual]


def seed_skp(ctx) -> None:
    """Periods of every year the demo touches; SKPs, realisation and feedback notes."""
    quarters = {year: _periods(ctx, year) for year in story.period_years(ctx.today)}
    for year in story.skp_years(ctx.today):
        _seed_year(ctx, year, quarters[year], current=year == ctx.today.year)


def _seed_year(ctx, year: int, quarters: list[Period], *, current: bool) -> None:
    """One year's SKPs. The current year has the named people's special states ("rekan1"
    waits, "rekan2" was returned, "rekan3" drafts) and the feedback log; a past year (only
    when today is in TW I) is simply approved for everyone who had an SKP."""
    rng = ctx.rng
    employees = list(Employee.select().where(Employee.active))
    by_id = {e.id: e for e in employees}
    units = {u.id: u for u in Unit.select()}
    named = {key: e.id for key, e in ctx.people.items()}
    skip = {named.get("pegawai_baru")}
    special = (
        {
            named.get("rekan1"): "DIAJUKAN",
            named.get("rekan2"): "DIKEMBALIKAN",
            named.get("rekan3"): "DRAFT",
        }
        if current
        else {}
    )
    ordered = sorted(employees, key=lambda e: _level(e, by_id))
    status_of: dict[int, str] = {}
    for e in ordered:
        if e.id in skip:
            continue
        if e.id in special:
            status_of[e.id] = special[e.id]
            continue
        if e.id in named.values():
            status_of[e.id] = "DISETUJUI"
            continue
        roll = rng.random()
        if roll < 0.03:
            continue  # no SKP yet: late
        if not current:
            status_of[e.id] = "DISETUJUI"
        else:
            status_of[e.id] = "DRAFT" if roll < 0.06 else "DIAJUKAN" if roll < 0.09 else "DISETUJUI"
    # SKPs are drafted from 10 January; early in January they were drafted in December.
    start = min(date(year, 1, 10), ctx.today - timedelta(days=25))
    skp_rows = []
    for e in ordered:
        status = status_of.get(e.id)
        if status is None:
            continue
        submitted = ctx.at(start + timedelta(days=rng.randint(0, 18)))
        if status == "DIAJUKAN" and e.id == named.get("rekan1"):
            submitted = ctx.at(ctx.today - timedelta(days=3))
        skp_rows.append(
            {
                "employee": e.id,
                "year": year,
                "approach": "KUANTITATIF",
                "status": status,
                "version": 1,
                "pejabat_penilai": e.supervisor_id,
                "submitted_at": submitted if status != "DRAFT" else None,
                "approved_at": (
                    min(submitted + timedelta(days=3), ctx.now) if status == "DISETUJUI" else None
                ),
                "approved_by": e.supervisor_id if status == "DISETUJUI" else None,
                "return_note": (
                    "Target jumlah berkas terlalu rendah dibanding realisasi tahun lalu; "
                    "mohon dinaikkan dan tambahkan indikator waktu."
                    if status == "DIKEMBALIKAN"
                    else ""
                ),
                "returned_at": ctx.at(ctx.today - timedelta(days=2))
                if status == "DIKEMBALIKAN"
                else None,
                "created_at": ctx.at(start),
                "updated_at": submitted,
            }
        )
    for batch in chunked(skp_rows, CHUNK):
        Skp.insert_many(batch).execute()
    skp_of = {
        s.employee_id: s
        for s in Skp.select(Skp.id, Skp.employee, Skp.status).where(Skp.year == year)
    }
    pelaksana_id = named.get("pelaksana")
    # RHK rows (parents linked afterwards, top-down)
    rhk_rows, plans = [], {}
    for e in ordered:
        skp = skp_of.get(e.id)
        if skp is None:
            continue
        plan = list(_plan_for(e, units[e.unit_id]))
        if e.id == pelaksana_id:
            plan = plan[:2]
        elif e.jenis_jabatan not in ("JPT",) and rng.random() < 0.3:
            plan = [*plan, TAMBAHAN]
        plans[e.id] = plan
        name = units[e.unit_id].short_name or units[e.unit_id].name
        for position, entry in enumerate(plan, start=1):
            kind = "TAMBAHAN" if entry is TAMBAHAN else "UTAMA"
            rhk_rows.append(
                {
                    "skp": skp.id,
                    "kind": kind,
                    "position": position,
                    "text": entry[0].format(u=name),
                    "perspektif": entry[2] if len(entry) > 2 else None,
                }
            )
    for batch in chunked(rhk_rows, CHUNK):
        Rhk.insert_many(batch).execute()
    rhk_ids: dict[int, list[tuple[int, str]]] = {}
    for r in (
        Rhk.select(Rhk.id, Rhk.skp, Rhk.kind)
        .join(Skp)
        .where(Skp.year == year)
        .order_by(Rhk.skp, Rhk.position)
    ):
        rhk_ids.setdefault(r.skp_id, []).append((r.id, r.kind))
    # cascading: the i-th Utama RHK serves the supervisor's (i mod n)-th approved Utama RHK
    by_parent: dict[int, list[int]] = {}
    for e in ordered:
        skp = skp_of.get(e.id)
        boss = skp_of.get(e.supervisor_id) if e.supervisor_id else None
        if skp is None or boss is None or boss.status != "DISETUJUI":
            continue
        boss_utama = [i for i, k in rhk_ids.get(boss.id, []) if k == "UTAMA"]
        own_utama = [i for i, k in rhk_ids.get(skp.id, []) if k == "UTAMA"]
        for n, rhk_id in enumerate(own_utama):
            if boss_utama:
                by_parent.setdefault(boss_utama[n % len(boss_utama)], []).append(rhk_id)
    for parent_id, children in by_parent.items():
        Rhk.update(parent_rhk=parent_id).where(Rhk.id.in_(children)).execute()
    # indicators
    ind_rows = []
    for e in ordered:
        skp = skp_of.get(e.id)
        if skp is None:
            continue
        for (rhk_id, _), entry in zip(rhk_ids.get(skp.id, []), plans[e.id], strict=True):
            name = units[e.unit_id].short_name or units[e.unit_id].name
            for position, (text, aspek, target, unit, direction) in enumerate(entry[1], start=1):
                ind_rows.append(
                    {
                        "rhk": rhk_id,
                        "position": position,
                        "text": text.format(u=name),
                        "aspek": aspek,
                        "target_value": D(target),
                        "target_unit": unit,
                        "direction": direction,
                    }
                )
    for batch in chunked(ind_rows, CHUNK):
        Indicator.insert_many(batch).execute()
    # realisation: every closed quarter, about half of the open one (approved SKPs only)
    approved_skps = [s.id for s in skp_of.values() if s.status == "DISETUJUI"]
    indicators = list(
        Indicator.select(Indicator.id, Indicator.target_value, Indicator.target_unit, Rhk.skp)
        .join(Rhk)
        .where(Rhk.skp.in_(approved_skps))
        .dicts()
    )
    pelaksana_skp = skp_of.get(pelaksana_id)
    real_rows = []
    for q in quarters:
        if q.status == PeriodStatus.DIRENCANAKAN:
            continue
        open_now = q.status == PeriodStatus.DIBUKA
        for ind in indicators:
            if open_now and (
                rng.random() < 0.5 or (pelaksana_skp and ind["skp"] == pelaksana_skp.id)
            ):
                continue
            factor = D(rng.randint(82, 118)) / 100
            value = (ind["target_value"] * factor).quantize(D("0.01"))
            if ind["target_unit"] == "%" and value > 100:
                value = D(100)
            real_rows.append(
                {
                    "indicator": ind["id"],
                    "period": q.id,
                    "value": value if ind["target_value"] >= 10 else ind["target_value"],
                    "evidence_note": "Rekap aplikasi layanan dan register berkas",
                    "updated_at": ctx.at(q.end + timedelta(days=3)),
                }
            )
    for batch in chunked(real_rows, CHUNK):
        Realisation.insert_many(batch).execute()
    # the feedback log and expectations of the named pelaksana
    pelaksana = ctx.people.get("pelaksana")
    if current and pelaksana is not None and pelaksana.supervisor_id:
        notes = []
        for n, (kind, text) in enumerate(NOTES):
            notes.append(
                {
                    "employee": pelaksana.id,
                    "author": pelaksana.supervisor_id,
                    "day": ctx.today - timedelta(days=60 - 25 * n),
                    "kind": kind,
                    "text": text,
                    "is_dialog": kind == "KESEPAKATAN",
                    "created_at": ctx.at(ctx.today - timedelta(days=60 - 25 * n)),
                }
            )
        FeedbackNote.insert_many(notes).execute()
        last = (
            FeedbackNote.select()
            .where(FeedbackNote.employee == pelaksana.id)
            .order_by(FeedbackNote.id.desc())
            .first()
        )
        FeedbackReply.create(
            note=last, author=pelaksana.id, text="Baik, Bu/Pak. Akan saya isi tepat waktu."
        )
        if pelaksana_skp is not None:
            PerilakuExpectation.insert_many(
                [
                    {
                        "skp": pelaksana_skp.id,
                        "value": "BERORIENTASI_PELAYANAN",
                        "text": "Menyapa dan menjelaskan persyaratan kepada setiap pemohon.",
                        "author": pelaksana.supervisor_id,
                    },
                    {
                        "skp": pelaksana_skp.id,
                        "value": "AKUNTABEL",
                        "text": "Mencatat setiap berkas di register pada hari yang sama.",
                        "author": pelaksana.supervisor_id,
                    },
                ]
            ).execute()
        first_ind = (
            Indicator.select()
            .join(Rhk)
            .where(Rhk.skp == pelaksana_skp.id)
            .order_by(Indicator.id)
            .first()
            if pelaksana_skp
            else None
        )
        closed = [q for q in quarters if q.status == PeriodStatus.DITUTUP]
        if first_ind is not None and closed:
            Realisation.update(
                supervisor_feedback="Capaian baik; pertahankan kecepatan pelayanan.",
                feedback_by=pelaksana.supervisor_id,
                feedback_at=ctx.at(closed[-1].end + timedelta(days=7)),
            ).where(
                (Realisation.indicator == first_ind.id) & (Realisation.period == closed[-1].id)
            ).execute()
    counts = {
        "skp": len(skp_rows),
        "rhk": len(rhk_rows),
        "indicators": len(ind_rows),
        "realisation": len(real_rows),
    }
    for key, value in counts.items():
        ctx.counts[f"skp_{key}"] = ctx.counts.get(f"skp_{key}", 0) + value
    states = ", ".join(f"{q.name} ({PeriodStatus(q.status).label.lower()})" for q in quarters)
    ctx.summary.append(
        f"SKP {year}: {counts['skp']} SKP, {counts['rhk']} RHK, {counts['indicators']} "
        f"indikator, {counts['realisation']} realisasi; {states}."
    )
