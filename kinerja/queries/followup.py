"""Follow-up tasks of "Tugas Anda": development plans to make or finish and Pegawai Teladan
consents to give (docs/spec/product.md §2). No writes.
"""

from peewee import fn

from kinerja import org
from kinerja.enums import LOCKED, NEEDS_PLAN, PeriodKind, PeriodStatus
from kinerja.enums import EvaluationStatus as S
from kinerja.models.evaluation import (
    DevelopmentPlan,
    Evaluation,
    PlanStatus,
    Recognition,
)
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.permissions import Actor
from kinerja.queries.tasks import Task
from kinerja.statements import statement


@statement
def _plans_missing(employee_id, day):
    """As unfinished_followups for every annual period still open, in one narrow query: the
    evaluations of the people rated on ``day`` that need a development plan and have none."""
    Annual = Period.alias()
    active_plan = DevelopmentPlan.select(DevelopmentPlan.id).where(
        (DevelopmentPlan.evaluation == Evaluation.id) & (DevelopmentPlan.status != PlanStatus.BATAL)
    )
    return (
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
            Evaluation.employee.in_(org.supervised_query(employee_id, day))
            & Evaluation.predikat.in_([p.value for p in NEEDS_PLAN])
            & Evaluation.status.in_([s.value for s in LOCKED if s is not S.KEBERATAN])
            & ~fn.EXISTS(active_plan)
        )
        .order_by(Annual.year, Employee.name)
        .tuples()
    )


@statement
def _own_followups(employee_id):
    """(plans running or planned, their first due day, whether a consent is pending)."""
    pending_consent = (
        Recognition.select(Recognition.id)
        .join(Evaluation)
        .where((Evaluation.employee == employee_id) & Recognition.consent.is_null())
    )
    return (
        DevelopmentPlan.select(
            fn.COUNT(DevelopmentPlan.id), fn.MIN(DevelopmentPlan.due), fn.EXISTS(pending_consent)
        )
        .where(
            ((DevelopmentPlan.owner == employee_id) | (DevelopmentPlan.employee == employee_id))
            & DevelopmentPlan.status.in_([PlanStatus.RENCANA.value, PlanStatus.BERJALAN.value])
        )
        .tuples()
    )


def task_provider(actor: Actor) -> list[Task]:
    """Plans to make (supervisors), plans due (owners and employees), consents to give."""
    tasks = []
    if actor.supervised:
        for ev_id, name, end in _plans_missing.cursor(actor.employee_id, actor.day):
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
    count, first, consent = _own_followups.first(actor.employee_id)
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
