"""Demo evaluations (DEMO DATA), relative to today (``kinerja.demo.story``): organisation
predikat for the previous and the current quarter, the previous quarter's evaluations
finalised for most employees of three OPD (Disdukcapil, DPMPTSP, Dinkes) with a plausible
predikat spread, some acknowledged, one keberatan waiting for the atasan Pejabat Penilai,
development plans for Butuh Perbaikan, and the current quarter's open evaluations with 360
requests for "pelaksana" to rekan1..3 (unanswered, so the demo's "three peers answer" runs
live). On 26 November that is TW III final and TW IV open; on 1 January, last year's TW IV
final and TW I open.

Runs after the SKP step (it needs the periods and approved SKPs). Bulk inserts only.
"""

from __future__ import annotations

from datetime import timedelta

from peewee import chunked

from kinerja import org
from kinerja.demo import story
from kinerja.enums import EvaluationStatus, PeriodKind, Predikat, Rating
from kinerja.models.evaluation import (
    DevelopmentPlan,
    Evaluation,
    FeedbackRequest,
    Objection,
    ObjectionMessage,
    OrgPredikatAssignment,
)
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.skp import Skp
from kinerja.scoring import predikat_for
from kinerja.services.evaluation import ORG_TO_HASIL

CHUNK = 200
FINAL_OPDS = ("DISDUKCAPIL", "DPMPTSP", "DINKES")
A, S, B = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI
STRUCTURAL = ("JPT", "ADMINISTRATOR", "PENGAWAS")
REASONS = {
    A: "Sebagian besar hasil kerja di atas target dan tidak ada hasil Utama di bawah target.",
    S: "Hasil kerja sesuai target yang disepakati dalam SKP.",
    B: "Sebagian besar hasil kerja di bawah target; perlu pendampingan.",
}
PERILAKU_REASONS = {
    A: "Menjadi teladan dalam pelayanan dan kerja sama tim.",
    S: "Perilaku kerja sesuai ekspektasi pimpinan.",
    B: "Beberapa kali terlambat menindaklanjuti permohonan warga.",
}


def _pair(rng, org_predikat: str) -> tuple[Rating, Rating]:
    """A plausible rating pair for an employee of a unit with this organisation predikat."""
    roll = rng.random()
    if org_predikat == "ISTIMEWA":
        return (A, A) if roll < 0.45 else (S, S) if roll < 0.9 else (A, S)
    if org_predikat == "BUTUH_PERBAIKAN":
        return (B, S) if roll < 0.6 else (S, S)
    return (A, A) if roll < 0.15 else (S, S) if roll < 0.8 else (S, A) if roll < 0.88 else (B, S)


def _heads(employees: list[Employee]) -> dict[int, int]:
    """unit id → head employee id (structural whose supervisor is outside the unit)."""
    by_id = {e.id: e for e in employees}
    heads: dict[int, int] = {}
    for e in sorted(employees, key=lambda x: x.id):
        if e.jenis_jabatan not in STRUCTURAL or e.unit_id in heads:
            continue
        boss = by_id.get(e.supervisor_id)
        if boss is None or boss.unit_id != e.unit_id:
            heads[e.unit_id] = e.id
    return heads


def _quarter(year: int, number: int) -> Period | None:
    return Period.get_or_none(
        (Period.year == year) & (Period.kind == PeriodKind.TRIWULAN) & (Period.number == number)
    )


def seed_evaluation(ctx) -> None:
    """Organisation predikat, the previous quarter's results, the current quarter's open
    evaluations and 360 requests (``tw3`` and ``tw4`` below are those two quarters)."""
    rng = ctx.rng
    _at = ctx.at
    tw3, tw4 = (
        _quarter(*story.previous_quarter(ctx.today)),
        _quarter(*story.quarter_of(ctx.today)),
    )
    if tw3 is None or tw4 is None:
        return
    units = list(Unit.select().where(Unit.active))
    employees = list(Employee.select().where(Employee.active))
    heads = _heads(employees)
    named = {key: e.id for key, e in ctx.people.items()}

    # Organisation predikat per unit for TW III and TW IV (mostly Baik).
    org_rows, org_of = [], {}
    for period in (tw3, tw4):
        for unit in units:
            roll = rng.random()
            value = "ISTIMEWA" if roll < 0.2 else "BUTUH_PERBAIKAN" if roll < 0.27 else "BAIK"
            org_of[(unit.id, period.id)] = value
    pelaksana = ctx.people.get("pelaksana")
    if pelaksana is not None:
        # The demo flow's calibration: the pelaksana's unit is Baik in TW IV.
        org_of[(pelaksana.unit_id, tw4.id)] = "BAIK"
    set_on = _at(tw3.end + timedelta(days=5))
    for (unit_id, period_id), value in org_of.items():
        org_rows.append(
            {
                "unit": unit_id,
                "period": period_id,
                "predikat": value,
                "set_by": named.get("admin"),
                "set_at": set_on if period_id == tw3.id else _at(tw4.start + timedelta(days=3)),
                "note": "Ditetapkan berdasarkan capaian kinerja organisasi (data demo).",
            }
        )
    for batch in chunked(org_rows, CHUNK):
        OrgPredikatAssignment.insert_many(batch).execute()

    approved = {
        s.employee_id: s.id
        for s in Skp.select(Skp.id, Skp.employee).where(
            (Skp.year == tw3.year) & (Skp.status == "DISETUJUI")
        )
    }
    approved_now = {
        s.employee_id: s.id
        for s in Skp.select(Skp.id, Skp.employee).where(
            (Skp.year == tw4.year) & (Skp.status == "DISETUJUI")
        )
    }
    final_units: set[int] = set()
    for code in FINAL_OPDS:
        unit = ctx.units.get(code)
        if unit is not None:
            final_units |= org.descendant_unit_ids(unit.id)

    # TW III: most employees of the three OPD finalised; the rest of the city not started.
    rows = []
    finalised = _at(tw3.end + timedelta(days=24))
    deadline = finalised.date() + timedelta(days=14)
    for e in employees:
        skp_id = approved.get(e.id)
        if skp_id is None or e.unit_id not in final_units or rng.random() < 0.1:
            continue
        org_value = org_of[(e.unit_id, tw3.id)]
        head = heads.get(e.unit_id) == e.id
        hasil, perilaku = _pair(rng, org_value)
        if head:
            hasil = ORG_TO_HASIL[org_value]
        if e.id == named.get("pelaksana"):
            hasil, perilaku = S, S
        result = predikat_for(hasil, perilaku)
        acknowledged = rng.random() < 0.6 or e.id == named.get("pelaksana")
        rows.append(
            {
                "employee": e.id,
                "period": tw3.id,
                "skp": skp_id,
                "unit": e.unit_id,
                "status": (
                    EvaluationStatus.DITERIMA if acknowledged else EvaluationStatus.FINAL
                ).value,
                "self_assessed_at": _at(tw3.end + timedelta(days=8)),
                "hasil_rating": hasil.value,
                "hasil_reason": (
                    f"Kepala unit: Predikat Kinerja Organisasi {org_value.title()} → "
                    f"{hasil.label} (SE MenPANRB 3/2023)."
                    if head
                    else REASONS[hasil]
                ),
                "perilaku_rating": perilaku.value,
                "perilaku_reason": PERILAKU_REASONS[perilaku],
                "predikat": result.predikat.value,
                "predikat_explanation": result.explanation,
                "is_unit_head_rating": head,
                "rated_by": e.supervisor_id,
                "rated_at": _at(tw3.end + timedelta(days=18)),
                "finalised_by": e.supervisor_id,
                "finalised_at": finalised,
                "objection_deadline": deadline,
                "acknowledged_at": _at(tw3.end + timedelta(days=27)) if acknowledged else None,
                "created_at": _at(tw3.start),
                "updated_at": finalised,
            }
        )
    for batch in chunked(rows, CHUNK):
        Evaluation.insert_many(batch).execute()

    # One keberatan waiting for the atasan: a colleague of the pelaksana (same Pejabat
    # Penilai), finalised recently so the window is still open.
    if pelaksana is not None and pelaksana.supervisor_id:
        colleague = (
            Evaluation.select()
            .join(Employee, on=(Evaluation.employee == Employee.id))
            .where(
                (Evaluation.period == tw3.id)
                & (Employee.supervisor == pelaksana.supervisor_id)
                & (Employee.id.not_in(list(named.values())))
            )
            .order_by(Evaluation.id)
            .first()
        )
        if colleague is not None:
            # Finalised about a week ago (but after the quarter ended), objected since.
            decided = min(ctx.today, max(ctx.today - timedelta(days=6), tw3.end + timedelta(1)))
            filed = max(ctx.today - timedelta(days=3), decided)
            colleague.hasil_rating, colleague.perilaku_rating = B.value, S.value
            result = predikat_for(B, S)
            colleague.predikat = result.predikat.value
            colleague.predikat_explanation = result.explanation
            colleague.hasil_reason = REASONS[B]
            colleague.status = EvaluationStatus.KEBERATAN.value
            colleague.finalised_at = _at(decided)
            colleague.objection_deadline = decided + timedelta(days=14)
            colleague.acknowledged_at = None
            colleague.save()
            objection = Objection.create(
                evaluation=colleague.id,
                reasons=(
                    "Dua dari tiga target saya tidak tercapai karena blangko KTP-el kosong "
                    "selama tiga minggu pada triwulan ini; hal ini di luar kendali saya."
                ),
                filed_at=_at(filed),
                old_hasil_rating=B.value,
                old_perilaku_rating=S.value,
                old_predikat=result.predikat.value,
            )
            ObjectionMessage.create(
                objection=objection.id,
                author=pelaksana.supervisor_id,
                role="PENILAI",
                text="Kekosongan blangko memang terjadi, tetapi antrean rekam data juga menumpuk.",
                created_at=_at(filed + timedelta(days=1)),
            )

    # Development plans for final Butuh Perbaikan or worse (most of them; a few missing so
    # the supervisor's task list shows the follow-up).
    weak = list(
        Evaluation.select(Evaluation.id, Evaluation.employee, Employee.id, Employee.supervisor)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(
            (Evaluation.period == tw3.id)
            & Evaluation.predikat.in_(
                [
                    Predikat.BUTUH_PERBAIKAN.value,
                    Predikat.KURANG.value,
                    Predikat.SANGAT_KURANG.value,
                ]
            )
            & (Evaluation.status != EvaluationStatus.KEBERATAN.value)
        )
    )
    plans = []
    for ev in weak:
        if rng.random() < 0.2 or ev.employee.supervisor_id is None:
            continue
        kind = rng.choice(["COACHING", "MENTORING", "PELATIHAN"])
        plans.append(
            {
                "evaluation": ev.id,
                "employee": ev.employee_id,
                "kind": kind,
                "description": {
                    "COACHING": "Coaching mingguan tentang penyelesaian permohonan tepat waktu.",
                    "MENTORING": "Pendampingan oleh pegawai senior di loket layanan.",
                    "PELATIHAN": "Pelatihan pelayanan prima (BKPSDM).",
                }[kind],
                "owner": ev.employee.supervisor_id,
                "due": ctx.today + timedelta(days=rng.randint(10, 40)),
                "status": rng.choice(["RENCANA", "BERJALAN"]),
                "created_by": ev.employee.supervisor_id,
                "created_at": _at(tw3.end + timedelta(days=30)),
                "updated_at": _at(tw3.end + timedelta(days=30)),
            }
        )
    for batch in chunked(plans, CHUNK):
        DevelopmentPlan.insert_many(batch).execute()

    # TW IV: open evaluations for everyone with an approved SKP.
    rows = [
        {
            "employee": e.id,
            "period": tw4.id,
            "skp": approved_now[e.id],
            "unit": e.unit_id,
            "status": EvaluationStatus.TERBUKA.value,
            "created_at": _at(tw4.start),
            "updated_at": _at(tw4.start),
        }
        for e in employees
        if e.id in approved_now
    ]
    for batch in chunked(rows, CHUNK):
        Evaluation.insert_many(batch).execute()

    # 360 requests for the pelaksana's TW IV evaluation to rekan1..3, unanswered.
    ev4 = (
        Evaluation.get_or_none(
            (Evaluation.employee == pelaksana.id) & (Evaluation.period == tw4.id)
        )
        if pelaksana is not None
        else None
    )
    asked = 0
    if ev4 is not None:
        for key in ("rekan1", "rekan2", "rekan3"):
            rater = ctx.people.get(key)
            if rater is None or rater.id == pelaksana.supervisor_id:
                continue
            group = "PEER" if rater.supervisor_id == pelaksana.supervisor_id else "OTHER"
            FeedbackRequest.create(
                evaluation=ev4.id,
                rater=rater.id,
                group=group,
                requested_by=pelaksana.supervisor_id,
                requested_on=ctx.today - timedelta(days=2),
            )
            asked += 1
    finals = Evaluation.select().where(Evaluation.period == tw3.id).count()
    ctx.counts["evaluations"] = Evaluation.select().count()
    ctx.summary.append(
        f"Evaluasi: {finals} hasil final {tw3.name} (3 OPD), {len(rows)} evaluasi terbuka "
        f"{tw4.name}, 1 keberatan menunggu putusan, {len(plans)} rencana pengembangan, "
        f"{asked} permintaan umpan balik 360 untuk pelaksana."
    )
