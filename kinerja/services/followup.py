"""Follow-up of an evaluation (docs/spec/product.md §2): a development plan after Butuh Perbaikan
or worse, before the annual period closes; Pegawai Teladan nominations with consent."""

from datetime import date

from peewee import IntegrityError, fn

from kinerja.clock import today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import PeriodKind, PeriodStatus, Predikat
from kinerja.models.evaluation import (
    DevelopmentPlan,
    Evaluation,
    PlanKind,
    PlanStatus,
    Recognition,
)
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.services import audit
from kinerja.services.evaluation import LOCKED, EvaluationError, Forbidden, S, _text
from kinerja.tasks import Task

NEEDS_PLAN = frozenset({Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG})


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


def plans_of(ev: Evaluation) -> list[DevelopmentPlan]:
    """The development plans of an evaluation, by due date."""
    return list(
        DevelopmentPlan.select()
        .where(DevelopmentPlan.evaluation == ev.id)
        .order_by(DevelopmentPlan.due, DevelopmentPlan.id)
    )


def add_plan(
    actor: Actor,
    ev: Evaluation,
    kind: str,
    description: str,
    owner_id: int | None,
    due: date | None,
) -> DevelopmentPlan:
    """Add a development plan (coaching, mentoring, pelatihan) with owner and due date."""
    if not perm.can_plan(actor, ev.employee):
        raise Forbidden(
            "Hanya Pejabat Penilai (atau atasannya) yang menyusun rencana pengembangan."
        )
    errors = []
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
            created_by=actor.employee_id,
        )
        audit.record(
            "rencana_pengembangan.dibuat",
            actor=actor.account,
            object_type="development_plan",
            object_id=plan.id,
            after={"evaluation": ev.id, "kind": kind, "owner": owner.id, "due": due},
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
    """The nominee records whether their name may be published (docs/spec/product.md §2)."""
    if rec.evaluation.employee_id != actor.employee_id:
        raise Forbidden("Hanya pegawai yang diusulkan yang memberi persetujuan.")
    with write_tx():
        rec = Recognition.get_by_id(rec.id)
        before = {"consent": rec.consent}
        rec.consent = bool(consent)
        rec.consent_recorded_at = utcnow()
        rec.save()
        audit.record(
            "teladan.persetujuan",
            actor=actor.account,
            object_type="recognition",
            object_id=rec.id,
            before=before,
            after={"consent": rec.consent},
        )
    return rec


def my_followups(actor: Actor) -> tuple[list[DevelopmentPlan], list[Recognition]]:
    """The actor's own development plans and nominations."""
    plans = list(
        DevelopmentPlan.select()
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


def task_provider(actor: Actor) -> list[Task]:
    """Plans to make (supervisors), plans due (owners and employees), consents to give."""
    tasks = []
    if actor.supervised:
        # As unfinished_followups for every annual period still open, in one narrow query.
        Annual = Period.alias()
        active_plan = DevelopmentPlan.select(DevelopmentPlan.id).where(
            (DevelopmentPlan.evaluation == Evaluation.id)
            & (DevelopmentPlan.status != PlanStatus.BATAL)
        )
        missing = (
            Evaluation.select(Evaluation.id, Employee.name, Annual.end)
            .join(Employee, on=(Evaluation.employee == Employee.id))
            .switch(Evaluation)
            .join(Period)
            .join(
                Annual,
                on=(
                    (Annual.year == Period.year)
                    & (Annual.kind == PeriodKind.TAHUNAN)
                    & (Annual.status != PeriodStatus.DITUTUP)
                ),
            )
            .where(
                Evaluation.employee.in_(list(actor.supervised))
                & Evaluation.predikat.in_([p.value for p in NEEDS_PLAN])
                & Evaluation.status.in_([s.value for s in LOCKED if s is not S.KEBERATAN])
                & ~fn.EXISTS(active_plan)
            )
            .order_by(Annual.year, Employee.name)
            .tuples()
        )
        for ev_id, name, end in missing:
            tasks.append(
                Task(
                    f"Susun rencana pengembangan {name}",
                    "supervisor.development_plan",
                    {"evaluation_id": ev_id},
                    deadline=end,
                    area="tindak lanjut",
                )
            )
    today = actor.day
    pending_consent = (
        Recognition.select(Recognition.id)
        .join(Evaluation)
        .where((Evaluation.employee == actor.employee_id) & Recognition.consent.is_null())
    )
    count, first, consent = (
        DevelopmentPlan.select(
            fn.COUNT(DevelopmentPlan.id), fn.MIN(DevelopmentPlan.due), fn.EXISTS(pending_consent)
        )
        .where(
            (
                (DevelopmentPlan.owner == actor.employee_id)
                | (DevelopmentPlan.employee == actor.employee_id)
            )
            & DevelopmentPlan.status.in_([PlanStatus.RENCANA.value, PlanStatus.BERJALAN.value])
        )
        .tuples()
        .get()
    )
    if count:
        tasks.append(
            Task(
                "Rencana pengembangan berjalan",
                "staff.development_plans",
                count=count,
                deadline=first,
                late=first < today,
                area="tindak lanjut",
            )
        )
    if consent:
        tasks.append(
            Task(
                "Beri persetujuan usulan Pegawai Teladan",
                "staff.development_plans",
                area="tindak lanjut",
            )
        )
    return tasks
