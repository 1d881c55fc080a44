"""The admin dashboard: completion per OPD and period, late lists, unfinished evaluations
(docs/spec/product.md §7). Read-only queries."""

from dataclasses import dataclass, field
from datetime import date

from kinerja.clock import today_wib
from kinerja.enums import (
    FINALISED,
    FINISHED,
    RATED,
    SELF_DONE,
    EvaluationStatus,
    PeriodKind,
    SkpStatus,
)
from kinerja.models.evaluation import Evaluation
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.skp import Skp
from kinerja.queries.periods import current_period

S = EvaluationStatus
LATE_LIMIT = 200


@dataclass
class UnitCompletion:
    """Completion figures of one OPD (the unit and everything below it)."""

    unit: Unit
    employees: int = 0
    skp_approved: int = 0
    evaluations: int = 0
    self_assessed: int = 0
    rated: int = 0
    finalised: int = 0
    objections_open: int = 0

    def percent(self, part: int, whole: int | None = None) -> float | None:
        """``part`` as a percentage of ``whole`` (employees by default)."""
        whole = self.employees if whole is None else whole
        return round(100 * part / whole, 1) if whole else None


@dataclass
class LateItem:
    """Someone behind a deadline."""

    employee: Employee
    what: str
    deadline: date | None
    who: str = ""


@dataclass
class Dashboard:
    """Everything the dashboard shows for one period."""

    period: Period | None
    rows: list[UnitCompletion] = field(default_factory=list)
    total: UnitCompletion | None = None
    late: list[LateItem] = field(default_factory=list)
    late_total: int = 0


def default_period() -> Period | None:
    """The current periodic period (containing today, else the latest started; never a
    future one), else the current annual one."""
    return current_period(
        Period.select().where(Period.kind != PeriodKind.TAHUNAN)
    ) or current_period(Period.select())


def _opd_map() -> tuple[list[Unit], dict[int, int]]:
    units = {u.id: u for u in Unit.select()}
    top_of = {}
    for unit in units.values():
        top, seen = unit, set()
        while top.parent_id in units and top.id not in seen:
            seen.add(top.id)
            top = units[top.parent_id]
        top_of[unit.id] = top.id
    tops = sorted({units[t] for t in top_of.values()}, key=lambda u: u.code)
    return tops, top_of


def build(period: Period | None, today: date | None = None) -> Dashboard:
    """Completion per OPD for ``period`` and the late lists."""
    today = today or today_wib()
    board = Dashboard(period)
    tops, top_of = _opd_map()
    rows = {u.id: UnitCompletion(u) for u in tops}
    staff = list(Employee.select(Employee.id, Employee.unit).where(Employee.active).tuples())
    for _, unit_id in staff:
        rows[top_of[unit_id]].employees += 1
    if period is not None:
        approved = (
            Skp.select(Employee.unit)
            .join(Employee, on=(Skp.employee == Employee.id))
            .where(
                (Skp.year == period.year) & (Skp.status == SkpStatus.DISETUJUI) & Employee.active
            )
            .tuples()
        )
        for (unit_id,) in approved:
            rows[top_of[unit_id]].skp_approved += 1
        query = Evaluation.select(Evaluation.unit, Evaluation.status).where(
            Evaluation.period == period.id
        )
        for unit_id, status in query.tuples():
            row = rows.get(top_of.get(unit_id))
            if row is None:
                continue
            status = S(status)
            row.evaluations += 1
            row.self_assessed += status in SELF_DONE
            row.rated += status in RATED
            row.finalised += status in FINALISED
            row.objections_open += status is S.KEBERATAN
        board.late, board.late_total = late_items(period, today)
    board.rows = [r for r in rows.values() if r.employees or r.evaluations]
    total = UnitCompletion(Unit(name="Seluruh Kota", code=""))
    for r in board.rows:
        for name in (
            "employees",
            "skp_approved",
            "evaluations",
            "self_assessed",
            "rated",
            "finalised",
            "objections_open",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    board.total = total
    return board


def evaluation_lateness(status: EvaluationStatus, period: Period, today: date):
    """What an evaluation in ``status`` is late for on ``today`` against the deadlines of
    ``period`` (self-assessment, rating), as ``(what, deadline)``; None when not late."""
    self_due, rating_due = period.self_assessment_deadline, period.rating_deadline
    if status is S.TERBUKA and self_due and today > self_due:
        return "Penilaian diri belum selesai", self_due
    if status in (S.TERBUKA, S.PENILAIAN_DIRI) and rating_due and today > rating_due:
        return "Belum dinilai Pejabat Penilai", rating_due
    if status is S.DINILAI and rating_due and today > rating_due:
        return "Belum difinalkan", rating_due
    return None


def late_items(period: Period, today: date) -> tuple[list[LateItem], int]:
    """People behind a deadline of ``period`` (SKP, self-assessment, rating)."""
    items: list[LateItem] = []
    annual = Period.get_or_none((Period.year == period.year) & (Period.kind == PeriodKind.TAHUNAN))
    if annual is not None and annual.skp_deadline and today > annual.skp_deadline:
        # Approved once is approved (as on the task list, the team page and the
        # participation report): an SKP being revised keeps its approved version.
        approved = Skp.select(Skp.employee).where(
            (Skp.year == period.year) & Skp.approved_at.is_null(False)
        )
        missing = (
            Employee.select(Employee, Unit)
            .join(Unit)
            .where(Employee.active & ~Employee.id.in_(approved))
            .order_by(Unit.code, Employee.name)
        )
        for e in missing:
            items.append(LateItem(e, "SKP belum disetujui", annual.skp_deadline))
    behind = (
        Evaluation.select(Evaluation, Employee)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(
            (Evaluation.period == period.id)
            & Evaluation.status.in_([S.TERBUKA, S.PENILAIAN_DIRI, S.DINILAI])
        )
        .order_by(Evaluation.unit, Employee.name)
    )
    for ev in behind:
        late = evaluation_lateness(S(ev.status), period, today)
        if late is not None:
            items.append(LateItem(ev.employee, *late))
    return items[:LATE_LIMIT], len(items)


def unfinished_evaluations(period: Period) -> list:
    """Evaluations of ``period`` not yet final (objections still open count as
    unfinished); closing the period waits for them."""
    return list(
        Evaluation.select(Evaluation, Employee, Unit)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Unit, on=(Evaluation.unit == Unit.id))
        .where((Evaluation.period == period.id) & ~Evaluation.status.in_(list(FINISHED)))
        .order_by(Unit.code, Employee.name)
    )
