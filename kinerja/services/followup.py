"""Follow-up of an evaluation (docs/spec/product.md §2): a development plan after Butuh Perbaikan
or worse, before the annual period closes; Pegawai Teladan nominations with consent."""

from datetime import date

from peewee import JOIN, IntegrityError

from kinerja.clock import today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import LOCKED, NEEDS_PLAN, EvaluationStatus, Predikat
from kinerja.models.evaluation import (
    DevelopmentPlan,
    Evaluation,
    PlanKind,
    PlanStatus,
    Recognition,
    TrainingCourse,
    TrainingKind,
)
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.services import audit
from kinerja.services.evaluation import EvaluationError, Forbidden, _text
from kinerja.statements import statement

S = EvaluationStatus


def needs_plan(ev: Evaluation) -> bool:
    """A final Butuh Perbaikan or worse requires a development plan."""
    return S(ev.status) in LOCKED and bool(ev.predikat) and Predikat(ev.predikat) in NEEDS_PLAN


CLOSING_REFUSED = (
    "Rencana pengembangan wajib hanya dapat dinyatakan selesai atau dibatalkan oleh Pejabat "
    "Penilai (atau atasannya). Anda dapat mencatat kemajuannya (Direncanakan, Sedang berjalan)."
)


def is_mandatory(plan: DevelopmentPlan) -> bool:
    """The plan follows a final Butuh Perbaikan or worse (its evaluation needs a plan)."""
    return needs_plan(plan.evaluation)


@statement
def _plans(evaluation_id):
    return (
        DevelopmentPlan.select(DevelopmentPlan, TrainingCourse)
        .join(TrainingCourse, JOIN.LEFT_OUTER, on=DevelopmentPlan.course)
        .where(DevelopmentPlan.evaluation == evaluation_id)
        .order_by(DevelopmentPlan.due, DevelopmentPlan.id)
    )


def plans_of(ev: Evaluation) -> list[DevelopmentPlan]:
    """The development plans of an evaluation, by due date."""
    return _plans(ev.id)


def add_plan(
    actor: Actor,
    ev: Evaluation,
    kind: str,
    description: str,
    owner_id: int | None,
    due: date | None,
    course_id: int | None = None,
) -> DevelopmentPlan:
    """Add a development plan (coaching, mentoring, pelatihan) with owner and due date,
    optionally a course of the catalogue (its kind then decides the plan's kind, and its
    name stands in for an empty description)."""
    if not perm.can_plan(actor, ev.employee):
        raise Forbidden(
            "Hanya Pejabat Penilai (atau atasannya) yang menyusun rencana pengembangan."
        )
    errors = []
    course = None
    if course_id:
        course = TrainingCourse.get_or_none(
            (TrainingCourse.id == course_id) & TrainingCourse.active
        )
        if course is None:
            errors.append("Pelatihan yang dipilih tidak ada di katalog atau sudah nonaktif.")
        else:
            kind = TrainingKind(course.kind).plan_kind
            description = (description or "").strip() or course.name
    try:
        kind = PlanKind(kind)
    except ValueError:
        errors.append("Pilih jenis rencana pengembangan.")
    try:
        description = _text(description, "Uraian rencana")
    except EvaluationError as exc:
        errors.append(str(exc))
    owner = Employee.get_or_none((Employee.id == (owner_id or 0)) & Employee.active)
    if owner is None:
        errors.append("Pilih penanggung jawab rencana.")
    if due is None:
        errors.append("Isi tanggal target.")
    elif due < today_wib():
        errors.append("Tanggal target tidak boleh sebelum hari ini.")
    if errors:
        raise EvaluationError(" ".join(errors))
    with write_tx():
        plan = DevelopmentPlan.create(
            evaluation=ev.id,
            employee=ev.employee_id,
            kind=kind,
            description=description,
            owner=owner.id,
            due=due,
            course=course.id if course else None,
            created_by=actor.employee_id,
        )
        audit.record(
            "rencana_pengembangan.dibuat",
            actor=actor.account,
            object_type="development_plan",
            object_id=plan.id,
            after={
                "evaluation": ev.id,
                "kind": kind,
                "course": course.name if course else None,
                "owner": owner.id,
                "due": due,
            },
        )
    return plan


def set_plan_status(actor: Actor, plan: DevelopmentPlan, status: str) -> DevelopmentPlan:
    """Update a plan's status: the planner's side any status; the plan's owner and the
    employee record progress, and close only a plan that is not mandatory
    (permissions.evaluation.plan_statuses_for)."""
    if not perm.can_update_plan(actor, plan):
        raise Forbidden("Anda tidak dapat mengubah rencana ini.")
    try:
        status = PlanStatus(status)
    except ValueError:
        raise EvaluationError("Pilih status rencana.") from None
    with write_tx():
        plan = DevelopmentPlan.get_by_id(plan.id)
        if not perm.can_set_plan_status(actor, plan, status, mandatory=is_mandatory(plan)):
            raise Forbidden(CLOSING_REFUSED)
        before = {"status": plan.status}
        plan.status = status
        plan.updated_at = utcnow()
        plan.save()
        audit.record(
            "rencana_pengembangan.status",
            actor=actor.account,
            object_type="development_plan",
            object_id=plan.id,
            before=before,
            after={"status": status},
        )
    return plan


MAX_COMPLETION_NOTE = 2000


def record_completion(
    actor: Actor, plan: DevelopmentPlan, completed_on: date | None, note: str
) -> DevelopmentPlan:
    """Record that a plan was carried out: the day (not in the future) and a note or the
    evidence (certificate number, STTPP). The plan becomes Selesai. Recorded by the plan's
    owner or the head (permissions.evaluation.can_record_completion)."""
    if not perm.can_record_completion(actor, plan, mandatory=is_mandatory(plan)):
        raise Forbidden(
            "Penyelesaian dicatat oleh penanggung jawab rencana atau Pejabat Penilai "
            "(atau atasannya)."
        )
    errors = []
    note = (note or "").strip()
    if completed_on is None:
        errors.append("Isi tanggal selesai.")
    elif completed_on > today_wib():
        errors.append("Tanggal selesai tidak boleh setelah hari ini.")
    if not note:
        errors.append("Isi catatan atau bukti penyelesaian (misalnya nomor sertifikat).")
    elif len(note) > MAX_COMPLETION_NOTE:
        errors.append("Catatan penyelesaian paling banyak 2.000 karakter.")
    if errors:
        raise EvaluationError(" ".join(errors))
    with write_tx():
        plan = DevelopmentPlan.get_by_id(plan.id)
        if not perm.can_record_completion(actor, plan, mandatory=is_mandatory(plan)):
            raise Forbidden("Rencana ini tidak dapat dicatat selesai.")
        before = {
            "status": plan.status,
            "completed_at": plan.completed_at,
            "completion_note": plan.completion_note,
        }
        plan.status = PlanStatus.SELESAI
        plan.completed_at = completed_on
        plan.completion_note = note
        plan.recorded_by = actor.employee_id
        plan.updated_at = utcnow()
        plan.save()
        audit.record(
            "rencana_pengembangan.selesai",
            actor=actor.account,
            object_type="development_plan",
            object_id=plan.id,
            before=before,
            after={"status": plan.status, "completed_at": completed_on, "completion_note": note},
        )
    return plan


def unfinished_followups(period: Period, employee_ids=None) -> list[Evaluation]:
    """Final evaluations of ``period``'s year at Butuh Perbaikan or worse without an active
    development plan (a pending keberatan waits for its decision); the annual period may
    not close while this is non-empty. ``employee_ids`` limits it to those employees."""
    evaluations = (
        Evaluation.select(Evaluation, Employee, Period)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period)
        .where(
            (Period.year == period.year)
            & Evaluation.predikat.in_([p.value for p in NEEDS_PLAN])
            & Evaluation.status.in_([s.value for s in LOCKED if s is not S.KEBERATAN])
        )
        .order_by(Employee.name)
    )
    plans = DevelopmentPlan.select(DevelopmentPlan.evaluation).where(
        DevelopmentPlan.status != PlanStatus.BATAL
    )
    if employee_ids is not None:
        evaluations = evaluations.where(Evaluation.employee.in_(list(employee_ids)))
        ids = evaluations.select(Evaluation.id).order_by()
        plans = plans.where(DevelopmentPlan.evaluation.in_(ids))
    with_plan = {p.evaluation_id for p in plans}
    return [e for e in evaluations if e.id not in with_plan]


def nominate(actor: Actor, ev: Evaluation, reason: str) -> Recognition:
    """Nominate a final Sangat Baik for Pegawai Teladan (Pejabat Penilai or the chain)."""
    if not perm.can_plan(actor, ev.employee):
        raise Forbidden("Hanya Pejabat Penilai (atau atasannya) yang dapat mengusulkan.")
    reason = _text(reason, "Alasan usulan")
    if S(ev.status) not in LOCKED or ev.predikat != Predikat.SANGAT_BAIK:
        raise EvaluationError("Hanya predikat Sangat Baik yang final dapat diusulkan.")
    with write_tx():
        try:
            rec = Recognition.create(
                evaluation=ev.id, nominated_by=actor.employee_id, reason=reason
            )
        except IntegrityError:
            raise EvaluationError("Pegawai ini sudah diusulkan untuk periode ini.") from None
        audit.record(
            "teladan.diusulkan",
            actor=actor.account,
            object_type="evaluation",
            object_id=ev.id,
            after={"reason": reason},
        )
    return rec


def record_consent(actor: Actor, rec: Recognition, consent: bool) -> Recognition:
    """The nominee records whether their name may be published (docs/spec/product.md §2);
    they may change their mind at any time, and a withdrawal takes the name off the public
    page at once (``published_recognitions`` reads live)."""
    if rec.evaluation.employee_id != actor.employee_id:
        raise Forbidden("Hanya pegawai yang diusulkan yang memberi persetujuan.")
    with write_tx():
        rec = Recognition.get_by_id(rec.id)
        before = {"consent": rec.consent}
        withdrawn = rec.consent is True and not consent
        rec.consent = bool(consent)
        rec.consent_recorded_at = utcnow()
        rec.save()
        audit.record(
            "teladan.persetujuan_ditarik" if withdrawn else "teladan.persetujuan",
            actor=actor.account,
            object_type="recognition",
            object_id=rec.id,
            before=before,
            after={"consent": rec.consent},
        )
    return rec


PUBLIC_LIMIT = 200
REASON_CHARS = 240


def short_reason(text: str, limit: int = REASON_CHARS) -> str:
    """The reason cut at a word boundary to ``limit`` characters, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def published_recognitions(limit: int = PUBLIC_LIMIT) -> list[dict]:
    """The Pegawai Teladan the public page shows: only nominations with recorded consent
    (true, now), of a final Sangat Baik, newest period first; name, unit, period, year and a
    short reason. One bounded query, read live on every request (a withdrawal shows at
    once)."""
    rows = (
        Recognition.select(
            Recognition.reason,
            Employee.name,
            Employee.gelar_depan,
            Employee.gelar_belakang,
            Unit.name,
            Period.name,
            Period.year,
        )
        .join_from(Recognition, Evaluation, on=Recognition.evaluation)
        .join_from(Evaluation, Employee, on=Evaluation.employee)
        .join_from(Evaluation, Unit, on=Evaluation.unit)
        .join_from(Evaluation, Period, on=Evaluation.period)
        .where(
            (Recognition.consent == True)  # noqa: E712 (SQL, not Python truthiness)
            & (Evaluation.predikat == Predikat.SANGAT_BAIK.value)
            & Evaluation.status.in_([s.value for s in LOCKED])
        )
        .order_by(Period.year.desc(), Period.end.desc(), Employee.name, Recognition.id)
        .limit(limit)
        .tuples()
    )
    return [
        {
            "nama": Employee(name=name, gelar_depan=depan, gelar_belakang=belakang).full_name,
            "unit": unit,
            "periode": period if str(year) in period else f"{period} {year}",
            "tahun": year,
            "alasan": short_reason(reason),
        }
        for reason, name, depan, belakang, unit, period, year in rows
    ]


def owned_plans(actor: Actor) -> list[DevelopmentPlan]:
    """Plans of other employees with the actor as owner (penanggung jawab), by due date."""
    return list(
        DevelopmentPlan.select(DevelopmentPlan, TrainingCourse)
        .join(TrainingCourse, JOIN.LEFT_OUTER, on=DevelopmentPlan.course)
        .where(
            (DevelopmentPlan.owner == actor.employee_id)
            & (DevelopmentPlan.employee != actor.employee_id)
        )
        .order_by(DevelopmentPlan.due)
    )


def my_followups(actor: Actor) -> tuple[list[DevelopmentPlan], list[Recognition]]:
    """The actor's own development plans and nominations."""
    plans = list(
        DevelopmentPlan.select(DevelopmentPlan, TrainingCourse)
        .join(TrainingCourse, JOIN.LEFT_OUTER, on=DevelopmentPlan.course)
        .where(DevelopmentPlan.employee == actor.employee_id)
        .order_by(DevelopmentPlan.due)
    )
    recs = list(
        Recognition.select(Recognition, Evaluation)
        .join(Evaluation)
        .where(Evaluation.employee == actor.employee_id)
        .order_by(Recognition.nominated_at.desc())
    )
    return plans, recs
