"""Evaluation read models: an evaluation's RHK and self-assessment, the unit-head rule's
inputs, lists of evaluations per employee, team and period, the annual result and the
evaluation tasks of "Tugas Anda" (docs/spec/regulation.md §3, §5; docs/spec/product.md §2).
No writes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kinerja import org
from kinerja.clock import today_wib
from kinerja.enums import (
    Berakhlak,
    EvaluationStatus,
    JenisJabatan,
    PeriodKind,
    PeriodStatus,
    Predikat,
    RhkKind,
)
from kinerja.models.evaluation import (
    DevelopmentPlan,
    Evaluation,
    FeedbackRequest,
    OrgPredikatAssignment,
    Recognition,
    SelfAssessmentRhk,
    SelfAssessmentValue,
)
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, Rhk
from kinerja.permissions import Actor
from kinerja.queries.periods import current_period
from kinerja.queries.tasks import Glance, Task
from kinerja.scoring import (
    angka_kredit,
    capaian,
)
from kinerja.statements import statement

S = EvaluationStatus


@statement
def _rhks(skp_id):
    return Rhk.select().where(Rhk.skp == skp_id)


def rhks_of(ev: Evaluation) -> list[Rhk]:
    """The RHK of the evaluation's SKP, Utama first."""
    if ev.skp_id is None:
        return []
    return sorted(
        _rhks.cursor(ev.skp_id),
        key=lambda r: (r.kind != RhkKind.UTAMA, r.position, r.id),
    )


@statement
def _self_rhk(evaluation_id):
    return SelfAssessmentRhk.select(
        SelfAssessmentRhk.rhk, SelfAssessmentRhk.rating, SelfAssessmentRhk.narrative
    ).where(SelfAssessmentRhk.evaluation == evaluation_id)


@statement
def _self_values(evaluation_id):
    return SelfAssessmentValue.select(
        SelfAssessmentValue.value, SelfAssessmentValue.rating, SelfAssessmentValue.narrative
    ).where(SelfAssessmentValue.evaluation == evaluation_id)


def self_assessment(ev: Evaluation) -> tuple[dict[int, SelfAssessmentRhk], dict]:
    """The stored self-assessment (rating and narrative): by RHK id, and by Berakhlak
    value."""
    rhk = {s.rhk_id: s for s in _self_rhk.cursor(ev.id)}
    values = {Berakhlak(s.value): s for s in _self_values.cursor(ev.id)}
    return rhk, values


def is_unit_head(ev: Evaluation) -> bool:
    """Whether the rated person heads the unit of the evaluation."""
    return org.unit_head_id(ev.unit_id) == ev.employee_id


@statement
def _org_predikat(unit_id, period_id):
    return (
        OrgPredikatAssignment.select()
        .where(
            (OrgPredikatAssignment.unit == unit_id) & (OrgPredikatAssignment.period == period_id)
        )
        .limit(1)
    )


def org_predikat_of(unit_id: int, period: Period) -> OrgPredikatAssignment | None:
    """The organisation predikat of a unit for a period, if set."""
    return _org_predikat.first(unit_id, period.id)


def indicator_capaian(indicator: Indicator, value) -> Decimal | None:
    """Capaian of one indicator (for display)."""
    if indicator.target_value is None or value is None:
        return None
    return capaian(indicator.target_value, value, indicator.direction, indicator.aspek)


def months_in_period(period: Period) -> int:
    """Whole calendar months the period covers, at most 12 (docs/spec/regulation.md §5)."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    return max(0, min(12, months))


def annual_angka_kredit(ev: Evaluation) -> Decimal | None:
    """Angka kredit of an annual evaluation for a functional position, else None."""
    employee = ev.employee
    if (
        not ev.period.is_annual
        or not ev.predikat
        or employee.jenis_jabatan != JenisJabatan.FUNGSIONAL
        or not employee.jenjang
    ):
        return None
    return angka_kredit(employee.jenjang, ev.predikat, months_in_period(ev.period))


def evaluations_of(employee_id: int) -> list[Evaluation]:
    """An employee's evaluations, newest period first."""
    return list(
        Evaluation.select(Evaluation, Period)
        .join(Period)
        .where(Evaluation.employee == employee_id)
        .order_by(Period.year.desc(), Period.end.desc())
    )


def team_evaluations(actor: Actor, period: Period) -> list[Evaluation]:
    """Evaluations in ``period`` of the people the actor rates today."""
    if not actor.supervised:
        return []
    return list(
        Evaluation.select(Evaluation, Employee, Period)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period, on=(Evaluation.period == Period.id))
        .where((Evaluation.period == period.id) & Evaluation.employee.in_(list(actor.supervised)))
        .order_by(Employee.name)
    )


def is_late(ev: Evaluation, today: date | None = None) -> bool:
    """Whether the evaluation is behind its period's deadlines."""
    today = today or today_wib()
    period = ev.period
    status = S(ev.status)
    deadline = period.self_assessment_deadline
    if status is S.TERBUKA and deadline and today > deadline:
        return True
    if status in (S.TERBUKA, S.PENILAIAN_DIRI, S.DINILAI) and period.rating_deadline:
        return today > period.rating_deadline
    return False


def periods_with_evaluations() -> list[Period]:
    """Periods that have evaluations, newest first."""
    return list(
        Period.select()
        .where(Period.id.in_(Evaluation.select(Evaluation.period).distinct()))
        .order_by(Period.year.desc(), Period.end.desc())
    )


def default_period() -> Period | None:
    """The current period among those with evaluations: the one containing today, else
    the latest that has started (``periods.current_period``); never a future one."""
    return current_period(periods_with_evaluations())


@dataclass
class AnnualResult:
    """The annual predikat, angka kredit and the year's periodic predikat."""

    predikat: Predikat | None
    angka_kredit: Decimal | None
    months: int
    periodic: list[Evaluation]


def annual_result(ev: Evaluation) -> AnnualResult | None:
    """For an annual evaluation: predikat, angka kredit (fungsional) and the periodic ones."""
    if not ev.period.is_annual:
        return None
    periodic = list(
        Evaluation.select(Evaluation, Period)
        .join(Period)
        .where(
            (Evaluation.employee == ev.employee_id)
            & (Period.year == ev.period.year)
            & (Period.kind != PeriodKind.TAHUNAN)
        )
        .order_by(Period.start)
    )
    return AnnualResult(
        predikat=Predikat(ev.predikat) if ev.predikat else None,
        angka_kredit=ev.angka_kredit if ev.angka_kredit is not None else annual_angka_kredit(ev),
        months=months_in_period(ev.period),
        periodic=periodic,
    )


@statement
def _task_rows(employee_id, day):
    """Only the columns the tasks need: every evaluation of the person (the glance reads
    them all) and those of the people they rate on ``day`` that wait for them in an open
    period."""
    team = (
        Evaluation.employee.in_(org.supervised_query(employee_id, day))
        & Evaluation.status.in_([S.TERBUKA.value, S.PENILAIAN_DIRI.value, S.DINILAI.value])
        & (Period.status == PeriodStatus.DIBUKA)
    )
    return (
        Evaluation.select(
            Evaluation.id,
            Evaluation.employee,
            Evaluation.status,
            Evaluation.objection_deadline,
            Evaluation.predikat,
            Period.id,
            Period.name,
            Period.status,
            Period.self_assessment_deadline,
            Period.rating_deadline,
        )
        .join(Period)
        .where((Evaluation.employee == employee_id) | team)
        .order_by(Evaluation.id)
        .tuples()
    )


def task_provider(actor: Actor, glance: Glance | None = None) -> list[Task]:
    """Self-assessment due, results to answer, ratings and finalisations due; with
    ``glance``, also the state of the actor's current evaluation (no extra query)."""
    tasks: list[Task] = []
    rows = _task_rows.cursor(actor.employee_id, actor.day)
    today = actor.day
    to_rate: dict[int, list[tuple]] = {}
    to_finalise: dict[int, list[tuple]] = {}
    current = None  # the actor's evaluation in an open period, else the latest
    for ev_id, employee_id, status, objection_deadline, predikat, *period in rows:
        period_id, period_name, period_status, self_deadline, rating_deadline = period
        if employee_id != actor.employee_id:
            target = to_finalise if S(status) is S.DINILAI else to_rate
            target.setdefault(period_id, []).append(period)
            continue
        if current is None or period_status == PeriodStatus.DIBUKA or not current["open"]:
            deadline = {
                S.TERBUKA: self_deadline,
                S.PENILAIAN_DIRI: rating_deadline,
                S.DINILAI: rating_deadline,
                S.FINAL: objection_deadline,
            }.get(S(status))
            current = {
                "id": ev_id,
                "period": period_name,
                "open": period_status == PeriodStatus.DIBUKA,
                "status": S(status),
                "predikat": Predikat(predikat) if predikat else None,
                "deadline": deadline,
                "late": bool(deadline and today > deadline and S(status) is S.TERBUKA),
            }
        if S(status) not in (S.TERBUKA, S.FINAL):
            continue
        if S(status) is S.TERBUKA and period_status == PeriodStatus.DIBUKA:
            tasks.append(
                Task(
                    f"Isi penilaian diri {period_name}",
                    "staff.evaluation_self",
                    {"evaluation_id": ev_id},
                    deadline=self_deadline,
                    late=bool(self_deadline and today > self_deadline),
                    area="evaluasi",
                )
            )
        elif S(status) is S.FINAL and objection_deadline and today <= objection_deadline:
            tasks.append(
                Task(
                    f"Tanggapi hasil evaluasi {period_name}",
                    "staff.evaluation_detail",
                    {"evaluation_id": ev_id},
                    deadline=objection_deadline,
                    area="evaluasi",
                )
            )
    for bucket, title in ((to_rate, "Nilai kinerja"), (to_finalise, "Finalisasi evaluasi")):
        for period_id, periods in bucket.items():
            _, period_name, _, _, deadline = periods[0]
            tasks.append(
                Task(
                    f"{title} bawahan {period_name}",
                    "supervisor.evaluations",
                    {"period_id": period_id},
                    count=len(periods),
                    deadline=deadline,
                    late=bool(deadline and today > deadline),
                    area="evaluasi",
                )
            )
    if glance is not None:
        glance.evaluation = current
    return tasks


@statement
def _evaluation_with_person(evaluation_id):
    return (
        Evaluation.select(Evaluation, Period, Employee)
        .join(Period)
        .switch(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(Evaluation.id == evaluation_id)
        .limit(1)
    )


def evaluation_with_person(evaluation_id: int) -> Evaluation | None:
    """An evaluation with its period and the rated employee (the page of one evaluation)."""
    return _evaluation_with_person.first(evaluation_id)


@statement
def _recognition(evaluation_id):
    return Recognition.select().where(Recognition.evaluation == evaluation_id).limit(1)


def recognition_of(ev: Evaluation) -> Recognition | None:
    """The Pegawai Teladan nomination of an evaluation, if any."""
    return _recognition.first(ev.id)


def document_signatories(ev: Evaluation) -> tuple[Employee | None, Employee | None]:
    """Who signs the printed evaluation: the Pejabat Penilai who rated, and the atasan
    Pejabat Penilai (the supervisor's supervisor), if known."""
    rater = Employee.get_or_none(Employee.id == ev.rated_by_id) if ev.rated_by_id else None
    atasan = None
    if ev.employee.supervisor_id:
        boss = Employee.get_or_none(Employee.id == ev.employee.supervisor_id)
        atasan = boss.supervisor if boss and boss.supervisor_id else None
    return rater, atasan


def feedback_request_by_id(request_id: int) -> FeedbackRequest | None:
    """A 360 request, if it exists."""
    return FeedbackRequest.get_or_none(FeedbackRequest.id == request_id)


def plan_by_id(plan_id: int | None) -> DevelopmentPlan | None:
    """A development plan, if it exists."""
    return DevelopmentPlan.get_or_none(DevelopmentPlan.id == plan_id)


def recognition_by_id(recognition_id: int) -> Recognition | None:
    """A Pegawai Teladan nomination, if it exists."""
    return Recognition.get_or_none(Recognition.id == recognition_id)


def active_employee_by_nip(nip: str) -> Employee | None:
    """An active employee by NIP."""
    return Employee.get_or_none((Employee.nip == nip) & Employee.active)
