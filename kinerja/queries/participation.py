"""Participation: how far the appraisal cycle has gone, per unit, and who is late
(issue 23 part 3). Read-only.

Every figure is counted in SQL with ``GROUP BY`` unit; the unit tree and its subtotals are
summed in Python from those rows, so the number of statements does not grow with the city.
Lateness follows the deadlines the task lists already use: the SKP deadline of the annual
period (as ``queries.team.team_overview``), the realisation deadline of an open period (as
``queries.skp.task_provider``), the self-assessment and rating deadlines
(``queries.admin_dashboard.evaluation_lateness``) and a development plan's due date.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from peewee import JOIN, Case, fn

from kinerja.enums import FINALISED, SELF_DONE, EvaluationStatus, PeriodStatus, SkpStatus
from kinerja.formatting import round_half_up
from kinerja.models.evaluation import DevelopmentPlan, Evaluation, Objection, PlanStatus
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from kinerja.queries.admin_dashboard import evaluation_lateness
from kinerja.queries.periods import annual_period

S = EvaluationStatus
LATE_LIMIT = 500
PLAN_OPEN = (PlanStatus.RENCANA, PlanStatus.BERJALAN)
COUNTS = (
    "staff",
    "skp_drafted",
    "skp_submitted",
    "skp_approved",
    "realisation_filled",
    "evaluations",
    "self_assessed",
    "final",
    "acknowledged",
    "objected",
    "plans_on_track",
    "plans_overdue",
    "plans_done",
)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal, half-up; None when ``whole`` is 0."""
    if not whole:
        return None
    return round_half_up(Decimal(100) * part / whole, 1)


@dataclass
class Figures:
    """The counts of one unit (own) or of a subtree (subtotal)."""

    staff: int = 0
    skp_drafted: int = 0
    skp_submitted: int = 0
    skp_approved: int = 0
    realisation_filled: int = 0
    evaluations: int = 0
    self_assessed: int = 0
    final: int = 0
    acknowledged: int = 0
    objected: int = 0
    plans_on_track: int = 0
    plans_overdue: int = 0
    plans_done: int = 0

    def add(self, other: "Figures") -> None:
        """Add ``other``'s counts to these."""
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def responded(self) -> int:
        """Final results acknowledged or objected to (keberatan)."""
        return self.acknowledged + self.objected

    def steps(self, realisation: bool = True) -> list[dict]:
        """The stages of the cycle, each with its count and its share of the staff, in
        order (the progress chart and its table)."""
        rows = [
            ("SKP disusun", self.skp_drafted),
            ("SKP diajukan", self.skp_submitted),
            ("SKP disetujui", self.skp_approved),
        ]
        if realisation:
            rows.append(("Realisasi periode lengkap", self.realisation_filled))
        rows += [
            ("Penilaian diri selesai", self.self_assessed),
            ("Evaluasi final", self.final),
            ("Hasil diterima atau keberatan", self.responded),
        ]
        return [
            {"label": label, "count": count, "percent": percent(count, self.staff)}
            for label, count in rows
        ]


@dataclass
class UnitRow:
    """A unit of the tree with its own figures and the subtotal of its subtree."""

    unit: Unit
    depth: int
    own: Figures = field(default_factory=Figures)
    subtotal: Figures = field(default_factory=Figures)
    has_children: bool = False


@dataclass
class LateEntry:
    """Someone behind a deadline (names are internal: heads and BKPSDM only)."""

    employee_id: int
    name: str
    nip: str
    unit_id: int
    unit: str
    what: str
    deadline: date | None


@dataclass
class Participation:
    """Everything the participation page shows for one period and one set of units."""

    period: Period
    rows: list[UnitRow]
    total: Figures
    late: list[LateEntry]
    late_total: int
    realisation_counted: bool

    def row(self, unit_id: int) -> UnitRow | None:
        """The row of a unit, or None when it is outside the scope."""
        return next((r for r in self.rows if r.unit.id == unit_id), None)

    def late_in(self, unit_ids: set[int]) -> list[LateEntry]:
        """The late entries of the given units."""
        return [e for e in self.late if e.unit_id in unit_ids]

    def subtree_ids(self, unit_id: int) -> set[int]:
        """The unit and the units below it within the scope."""
        found: set[int] = set()
        collecting = None
        for r in self.rows:
            if collecting is not None and r.depth <= collecting:
                break
            if r.unit.id == unit_id:
                collecting = r.depth
            if collecting is not None:
                found.add(r.unit.id)
        return found


def _tree(units: list[Unit], roots: set[int] | None) -> list[tuple[Unit, int, bool]]:
    """Units in tree order (by code under each parent) with their depth and whether they
    have children; with ``roots``, only those units and everything below them."""
    by_id = {u.id: u for u in units}
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        parent = u.parent_id if u.parent_id in by_id else None
        children.setdefault(parent, []).append(u)
    for group in children.values():
        group.sort(key=lambda u: u.code)
    ordered: list[tuple[Unit, int, bool]] = []
    seen: set[int] = set()

    def walk(unit: Unit, depth: int) -> None:
        if unit.id in seen:
            return
        seen.add(unit.id)
        ordered.append((unit, depth, bool(children.get(unit.id))))
        for child in children.get(unit.id, []):
            walk(child, depth + 1)

    if roots is None:
        starts = children.get(None, [])
    else:
        # the highest units of the scope: those whose parent is not in it
        starts = sorted(
            (by_id[i] for i in roots if i in by_id and by_id[i].parent_id not in roots),
            key=lambda u: u.code,
        )
    for unit in starts:
        walk(unit, 0)
    return ordered


def _in_units(column, unit_ids: set[int] | None):
    return True if unit_ids is None else column.in_(sorted(unit_ids))


def _sum(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def build(
    period: Period, today: date, roots: set[int] | None = None, late_limit: int = LATE_LIMIT
) -> Participation:
    """Participation in ``period`` for every unit (``roots`` None: the whole city) or for
    the units ``roots`` and everything below them."""
    units = list(Unit.select().order_by(Unit.code))
    ordered = _tree(units, roots)
    scope = {u.id for u, _, _ in ordered} if roots is not None else None
    own = {u.id: Figures() for u, _, _ in ordered}
    year = period.year
    realisation_counted = not period.is_annual

    def bump(unit_id, **counts):
        figures = own.get(unit_id)
        if figures is not None:
            for name, value in counts.items():
                setattr(figures, name, getattr(figures, name) + int(value or 0))

    staff = (
        Employee.select(Employee.unit, fn.COUNT(Employee.id))
        .where(Employee.active & _in_units(Employee.unit, scope))
        .group_by(Employee.unit)
        .tuples()
    )
    for unit_id, n in staff:
        bump(unit_id, staff=n)

    submitted = Skp.status.in_([SkpStatus.DIAJUKAN, SkpStatus.DISETUJUI]) | Skp.approved_at.is_null(
        False
    )
    skps = (
        Skp.select(
            Employee.unit,
            fn.COUNT(Skp.id),
            _sum(submitted),
            _sum(Skp.approved_at.is_null(False)),
        )
        .join(Employee, on=(Skp.employee == Employee.id))
        .where((Skp.year == year) & Employee.active & _in_units(Employee.unit, scope))
        .group_by(Employee.unit)
        .tuples()
    )
    for unit_id, drafted, sent, approved in skps:
        bump(unit_id, skp_drafted=drafted, skp_submitted=sent, skp_approved=approved)

    per_skp = None
    if realisation_counted:
        total = Indicator.select(fn.COUNT(Indicator.id)).join(Rhk).where(Rhk.skp == Skp.id)
        filled = (
            Realisation.select(fn.COUNT(Realisation.id))
            .join(Indicator)
            .join(Rhk)
            .where(
                (Rhk.skp == Skp.id)
                & (Realisation.period == period.id)
                & (Realisation.value.is_null(False) | (Realisation.narrative != ""))
            )
        )
        per_skp = (
            Skp.select(
                Employee.unit.alias("unit_id"),
                Employee.id.alias("employee_id"),
                total.alias("total"),
                filled.alias("filled"),
            )
            .join(Employee, on=(Skp.employee == Employee.id))
            .where(
                (Skp.year == year)
                & Skp.approved_at.is_null(False)
                & Employee.active
                & _in_units(Employee.unit, scope)
            )
            .alias("per_skp")
        )
        complete = (
            Skp.select(
                per_skp.c.unit_id,
                _sum((per_skp.c.total > 0) & (per_skp.c.filled >= per_skp.c.total)),
            )
            .from_(per_skp)
            .group_by(per_skp.c.unit_id)
            .tuples()
        )
        for unit_id, n in complete:
            bump(unit_id, realisation_filled=n)

    evaluations = (
        Evaluation.select(
            Evaluation.unit,
            fn.COUNT(Evaluation.id),
            _sum(Evaluation.status.in_([s.value for s in SELF_DONE])),
            _sum(Evaluation.status.in_([s.value for s in FINALISED])),
            _sum(Evaluation.acknowledged_at.is_null(False)),
            _sum(Objection.id.is_null(False)),
        )
        .join(Objection, JOIN.LEFT_OUTER, on=(Objection.evaluation == Evaluation.id))
        .where((Evaluation.period == period.id) & _in_units(Evaluation.unit, scope))
        .group_by(Evaluation.unit)
        .tuples()
    )
    for unit_id, n, self_done, final, acknowledged, objected in evaluations:
        bump(
            unit_id,
            evaluations=n,
            self_assessed=self_done,
            final=final,
            acknowledged=acknowledged,
            objected=objected,
        )

    plan_open = DevelopmentPlan.status.in_([s.value for s in PLAN_OPEN])
    plans = (
        DevelopmentPlan.select(
            Evaluation.unit,
            _sum(plan_open & (DevelopmentPlan.due >= today)),
            _sum(plan_open & (DevelopmentPlan.due < today)),
            _sum(DevelopmentPlan.status == PlanStatus.SELESAI),
        )
        .join(Evaluation)
        .join(Period)
        .where((Period.year == year) & _in_units(Evaluation.unit, scope))
        .group_by(Evaluation.unit)
        .tuples()
    )
    for unit_id, on_track, overdue, done in plans:
        bump(unit_id, plans_on_track=on_track, plans_overdue=overdue, plans_done=done)

    rows = [UnitRow(u, depth, own[u.id], has_children=kids) for u, depth, kids in ordered]
    # subtotals bottom-up: a row's subtree is the rows after it that are deeper
    for i in range(len(rows) - 1, -1, -1):
        row = rows[i]
        row.subtotal = Figures()
        row.subtotal.add(row.own)
        j = i + 1
        while j < len(rows) and rows[j].depth > row.depth:
            if rows[j].depth == row.depth + 1:
                row.subtotal.add(rows[j].subtotal)
            j += 1
    total = Figures()
    for row in rows:
        if row.depth == 0:
            total.add(row.subtotal)
    # keep the units where something happens (an inactive empty unit is noise)
    rows = [r for r in rows if r.unit.active or r.subtotal.staff or r.subtotal.evaluations]

    late = _late(period, today, scope, per_skp)
    late.sort(key=lambda e: (e.unit, e.name, e.what))
    return Participation(
        period=period,
        rows=rows,
        total=total,
        late=late[:late_limit],
        late_total=len(late),
        realisation_counted=realisation_counted,
    )


def _entry(row, what: str, deadline: date | None) -> LateEntry:
    employee_id, name, nip, unit_id, unit_name, short_name = row[:6]
    return LateEntry(employee_id, name, nip, unit_id, short_name or unit_name, what, deadline)


PERSON = (Employee.id, Employee.name, Employee.nip, Unit.id, Unit.name, Unit.short_name)


def _late(period: Period, today: date, scope: set[int] | None, per_skp) -> list[LateEntry]:
    """Everyone in ``scope`` behind a deadline of ``period`` or of the year."""
    found: list[LateEntry] = []
    annual = annual_period(period.year)
    deadline = annual.skp_deadline if annual else None
    if deadline and today > deadline:
        rows = (
            Employee.select(*PERSON, Skp.status)
            .join(Unit, on=(Employee.unit == Unit.id))
            .switch(Employee)
            .join(
                Skp,
                JOIN.LEFT_OUTER,
                on=((Skp.employee == Employee.id) & (Skp.year == period.year)),
            )
            .where(Employee.active & Skp.approved_at.is_null() & _in_units(Employee.unit, scope))
            .tuples()
        )
        for row in rows:
            status = row[6]
            state = SkpStatus(status).label.lower() if status else "belum disusun"
            found.append(_entry(row, f"SKP belum disetujui ({state})", deadline))

    due = period.realisation_deadline
    if per_skp is not None and period.status == PeriodStatus.DIBUKA and due and today > due:
        rows = (
            Employee.select(*PERSON, per_skp.c.total, per_skp.c.filled)
            .join(Unit, on=(Employee.unit == Unit.id))
            .switch(Employee)
            .join(per_skp, on=(per_skp.c.employee_id == Employee.id))
            .where(per_skp.c.filled < per_skp.c.total)
            .tuples()
        )
        for row in rows:
            total, filled = row[6], row[7]
            found.append(
                _entry(row, f"Realisasi {period.name} belum lengkap ({filled} dari {total})", due)
            )

    rows = (
        Evaluation.select(*PERSON, Evaluation.status)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .join(Unit, on=(Evaluation.unit == Unit.id))
        .where(
            (Evaluation.period == period.id)
            & Evaluation.status.in_([S.TERBUKA.value, S.PENILAIAN_DIRI.value, S.DINILAI.value])
            & _in_units(Evaluation.unit, scope)
        )
        .tuples()
    )
    for row in rows:
        late = evaluation_lateness(S(row[6]), period, today)
        if late is not None:
            found.append(_entry(row, *late))

    rows = (
        DevelopmentPlan.select(*PERSON, DevelopmentPlan.due)
        .join(Evaluation)
        .join(Period)
        .switch(DevelopmentPlan)
        .join(Employee, on=(DevelopmentPlan.employee == Employee.id))
        .join(Unit, on=(Evaluation.unit == Unit.id))
        .where(
            (Period.year == period.year)
            & DevelopmentPlan.status.in_([s.value for s in PLAN_OPEN])
            & (DevelopmentPlan.due < today)
            & _in_units(Evaluation.unit, scope)
        )
        .tuples()
    )
    for row in rows:
        found.append(_entry(row, "Rencana pengembangan melewati tenggat", row[6]))
    return found


def table(report: Participation):
    """The unit tree with its subtotals as an export table (CSV for BKPSDM and heads)."""
    from kinerja.queries.exports import Table

    headers = [
        "Kode unit",
        "Unit",
        "Tingkat",
        "Pegawai aktif",
        "SKP disusun",
        "SKP diajukan",
        "SKP disetujui",
        "Realisasi periode lengkap",
        "Penilaian diri selesai",
        "Evaluasi final",
        "Hasil diterima",
        "Keberatan",
        "Rencana pengembangan sesuai jadwal",
        "Rencana pengembangan melewati tenggat",
        "Rencana pengembangan selesai",
    ]
    rows = []
    for r in report.rows:
        t = r.subtotal
        rows.append(
            [
                r.unit.code,
                r.unit.name,
                r.depth + 1,
                t.staff,
                t.skp_drafted,
                t.skp_submitted,
                t.skp_approved,
                t.realisation_filled if report.realisation_counted else None,
                t.self_assessed,
                t.final,
                t.acknowledged,
                t.objected,
                t.plans_on_track,
                t.plans_overdue,
                t.plans_done,
            ]
        )
    return Table(
        title=f"Partisipasi {report.period.name}",
        headers=headers,
        rows=rows,
        filename=f"partisipasi-{report.period.year}-{report.period.number}",
    )
