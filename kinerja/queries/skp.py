"""SKP read models: an SKP laid out for reading (plan), its supervisor's plan, the approval
queue, the team overview, history, revisions, the feedback log and the SKP tasks of
"Tugas Anda" (docs/spec/regulation.md §1–§2, docs/spec/product.md §2). No writes.
"""

import json
from dataclasses import dataclass, field

from peewee import JOIN, fn

from kinerja import org, scoring
from kinerja.enums import (
    Berakhlak,
    PeriodKind,
    PeriodStatus,
    RhkKind,
    SkpApproach,
    SkpStatus,
)
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
    SkpRevision,
)
from kinerja.org import supervised_query
from kinerja.permissions import Actor
from kinerja.queries.periods import periodic
from kinerja.queries.tasks import Glance, Task
from kinerja.statements import statement


@dataclass
class IndicatorRow:
    """An indicator with (for one period) its realisation and capaian."""

    indicator: Indicator
    realisation: Realisation | None = None
    capaian: object = None


@dataclass
class RhkRow:
    """An RHK with its intervensi and indicators."""

    rhk: Rhk
    parent: Rhk | None
    indicators: list[IndicatorRow] = field(default_factory=list)


@dataclass
class Plan:
    """An SKP laid out for reading: RHK Utama and Tambahan with their indicators."""

    skp: Skp
    employee: Employee
    penilai: Employee | None
    utama: list[RhkRow]
    tambahan: list[RhkRow]
    expectations: dict

    @property
    def rows(self) -> list[RhkRow]:
        """Every RHK, Utama first."""
        return self.utama + self.tambahan

    @property
    def expectation_items(self) -> list[tuple[Berakhlak, str]]:
        """The ekspektasi khusus pimpinan in BerAKHLAK order."""
        return [(v, self.expectations[v].text) for v in Berakhlak if v in self.expectations]

    @property
    def indicator_count(self) -> int:
        """Number of indicators."""
        return sum(len(r.indicators) for r in self.rows)


def load(skp_id: int) -> Skp | None:
    """An SKP with its employee and unit."""
    return _load.first(skp_id)


@statement
def _load(skp_id):
    return (
        Skp.select(Skp, Employee, Unit)
        .join(Employee, on=(Skp.employee == Employee.id))
        .join(Unit)
        .where(Skp.id == skp_id)
        .limit(1)
    )


def skp_of(employee_id: int, year: int) -> Skp | None:
    """The SKP of an employee for a year."""
    return Skp.get_or_none((Skp.employee == employee_id) & (Skp.year == year))


def history(employee_id: int) -> list[Skp]:
    """Every SKP of an employee, newest year first."""
    return list(Skp.select().where(Skp.employee == employee_id).order_by(Skp.year.desc()))


def capaian_of(skp: Skp, indicator: Indicator, realisation: Realisation | None):
    """Capaian (percent) of a kuantitatif indicator's realisation, or None."""
    if skp.approach != SkpApproach.KUANTITATIF or realisation is None:
        return None
    if indicator.target_value is None or realisation.value is None:
        return None
    return scoring.capaian(
        indicator.target_value, realisation.value, indicator.direction, indicator.aspek
    )


def expectations(skp: Skp) -> dict[str, PerilakuExpectation]:
    """The ekspektasi khusus pimpinan by BerAKHLAK value."""
    return {e.value: e for e in _expectations.cursor(skp.id)}


@statement
def _expectations(skp_id):
    return PerilakuExpectation.select().where(PerilakuExpectation.skp == skp_id)


@statement
def _employee(employee_id):
    return Employee.select(Employee, Unit).join(Unit).where(Employee.id == employee_id).limit(1)


def _owner(skp: Skp) -> Employee:
    """The SKP's owner with unit: as ``load`` read them with the SKP, else read now."""
    employee = skp.__rel__.get("employee")
    if employee is not None and "unit" in employee.__rel__:
        return employee
    return _employee.first(skp.employee_id)


@statement
def _rhks(skp_id):
    Parent = Rhk.alias()
    return (
        Rhk.select(Rhk, Parent)
        .join(Parent, JOIN.LEFT_OUTER, on=(Rhk.parent_rhk == Parent.id), attr="parent_row")
        .where(Rhk.skp == skp_id)
        .order_by(Rhk.position, Rhk.id)
    )


@statement
def _indicators(skp_id):
    return (
        Indicator.select()
        .join(Rhk)
        .where(Rhk.skp == skp_id)
        .order_by(Indicator.position, Indicator.id)
    )


@statement
def _realisations(skp_id, period_id):
    return (
        Realisation.select()
        .join(Indicator)
        .join(Rhk)
        .where((Rhk.skp == skp_id) & (Realisation.period == period_id))
    )


def plan(skp: Skp, period: Period | None = None) -> Plan:
    """The SKP's RHK and indicators (and, for ``period``, realisation and capaian)."""
    employee = _owner(skp)
    penilai_id = skp.pejabat_penilai_id or employee.supervisor_id
    penilai = _employee.first(penilai_id) if penilai_id else None
    # Each RHK with the supervisor's RHK it supports (``parent_row``, absent without one).
    rhks = _rhks.rows(skp.id)
    indicators: dict[int, list[Indicator]] = {}
    for ind in _indicators.cursor(skp.id):
        indicators.setdefault(ind.rhk_id, []).append(ind)
    realisations = {}
    if period is not None:
        realisations = {r.indicator_id: r for r in _realisations.cursor(skp.id, period.id)}
    rows = []
    for rhk in rhks:
        row = RhkRow(rhk, getattr(rhk, "parent_row", None))
        for ind in indicators.get(rhk.id, []):
            real = realisations.get(ind.id)
            row.indicators.append(IndicatorRow(ind, real, capaian_of(skp, ind, real)))
        rows.append(row)
    return Plan(
        skp=skp,
        employee=employee,
        penilai=penilai,
        utama=[r for r in rows if r.rhk.kind == RhkKind.UTAMA],
        tambahan=[r for r in rows if r.rhk.kind == RhkKind.TAMBAHAN],
        expectations=expectations(skp),
    )


def supervisor_rhks(skp: Skp) -> list[Rhk]:
    """The approved RHK of the owner's Pejabat Penilai for the same year (the intervensi
    choices)."""
    return _supervisor_rhks.rows(skp.employee_id, skp.year)


@statement
def _supervisor_rhks(employee_id, year):
    supervisor = Employee.select(Employee.supervisor).where(Employee.id == employee_id)
    return (
        Rhk.select(Rhk)
        .join(Skp)
        .where(
            (Skp.employee == supervisor) & (Skp.year == year) & (Skp.status == SkpStatus.DISETUJUI)
        )
        .order_by(Rhk.kind.desc(), Rhk.position)  # Utama first
    )


def supervisor_plan(skp: Skp) -> Plan | None:
    """The owner's supervisor's approved SKP of the same year (for the side-by-side view)."""
    supervisor_id = (
        Employee.select(Employee.supervisor).where(Employee.id == skp.employee_id).scalar()
    )
    if supervisor_id is None:
        return None
    boss = skp_of(supervisor_id, skp.year)
    if boss is None:
        return None
    return plan(boss)


def realisation_periods(skp: Skp) -> list[Period]:
    """The periodic periods of the SKP's year."""
    return periodic(skp.year)


def approval_queue(actor: Actor) -> list[Skp]:
    """SKP waiting for the actor's decision, oldest submission first."""
    if not actor.supervised:
        return []
    return _approval_queue.rows(actor.employee_id, actor.day)


@statement
def _approval_queue(employee_id, day):
    return (
        Skp.select(Skp, Employee, Unit)
        .join(Employee, on=(Skp.employee == Employee.id))
        .join(Unit)
        .where(
            Skp.employee.in_(supervised_query(employee_id, day))
            & (Skp.status == SkpStatus.DIAJUKAN)
        )
        .order_by(Skp.submitted_at, Skp.id)
    )


def revisions(skp: Skp) -> list[SkpRevision]:
    """The frozen earlier versions, newest first (for a list: without their snapshots)."""
    # Only start_revision freezes a version, and it sets in_revision until the approval
    # that raises the version: a first version never revised has nothing to read.
    if skp.version <= 1 and not skp.in_revision:
        return []
    return _revisions.rows(skp.id)


@statement
def _revisions(skp_id):
    return (
        SkpRevision.select(
            SkpRevision.id,
            SkpRevision.skp,
            SkpRevision.version,
            SkpRevision.reason,
            SkpRevision.created_at,
        )
        .where(SkpRevision.skp == skp_id)
        .order_by(SkpRevision.version.desc())
    )


def revision(skp: Skp, version: int) -> tuple[SkpRevision, dict] | None:
    """One frozen version and its snapshot."""
    row = SkpRevision.get_or_none((SkpRevision.skp == skp.id) & (SkpRevision.version == version))
    if row is None:
        return None
    return row, json.loads(row.snapshot)


def feedback_log(employee: Employee) -> list[FeedbackNote]:
    """An employee's feedback log, newest first, with authors and replies loaded."""
    Author = Employee.alias()
    notes = list(
        FeedbackNote.select(FeedbackNote, Author)
        .join(Author, on=(FeedbackNote.author == Author.id))
        .where(FeedbackNote.employee == employee.id)
        .order_by(FeedbackNote.day.desc(), FeedbackNote.id.desc())
    )
    replies: dict[int, list] = {}
    if notes:
        ReplyAuthor = Employee.alias()
        for r in (
            FeedbackReply.select(FeedbackReply, ReplyAuthor)
            .join(ReplyAuthor, on=(FeedbackReply.author == ReplyAuthor.id))
            .where(FeedbackReply.note.in_([n.id for n in notes]))
            .order_by(FeedbackReply.id)
        ):
            replies.setdefault(r.note_id, []).append(r)
    for n in notes:
        n.reply_list = replies.get(n.id, [])
    return notes


def employee_summary(employee_id: int) -> Employee | None:
    """An employee with unit (for page headers)."""
    return Employee.select(Employee, Unit).join(Unit).where(Employee.id == employee_id).first()


# The reads of task_provider (statements: their SQL text is built once per process).


@statement
def _year_periods(employee_id, year):
    """The year's periods, few columns; the annual one (number 0) joined, as ``own``, with
    the person's SKP of the year (absent: no SKP), and its number of ``indicators``."""
    indicators = Indicator.select(fn.COUNT(Indicator.id)).join(Rhk).where(Rhk.skp == Skp.id)
    return (
        Period.select(
            Period.id,
            Period.kind,
            Period.number,
            Period.name,
            Period.status,
            Period.start,
            Period.skp_deadline,
            Period.realisation_deadline,
            Skp.id,
            Skp.status,
            Skp.in_revision,
            Skp.created_at,
            Skp.approved_at,
            indicators.alias("indicators"),
        )
        .join(
            Skp,
            JOIN.LEFT_OUTER,
            on=(
                (Skp.employee == employee_id)
                & (Skp.year == Period.year)
                & (Period.kind == PeriodKind.TAHUNAN)
                & (Period.number == 0)
            ),
            attr="own",
        )
        .where(Period.year == year)
        .order_by(Period.number, Period.id)
    )


@statement
def _filled_in_open_periods(skp_id, year):
    """(period id, realisations filled) of an SKP in each open quarter or month of the year.

    The period is checked by EXISTS, not ``IN``: SQLite would otherwise read every
    realisation of the open period (the whole city's) through its index, not the SKP's."""
    in_open_period = Period.select(Period.id).where(
        (Period.id == Realisation.period)
        & (Period.year == year)
        & (Period.status == PeriodStatus.DIBUKA)
        & (Period.kind != PeriodKind.TAHUNAN)
    )
    return (
        Realisation.select(Realisation.period, fn.COUNT(Realisation.id))
        .join(Indicator)
        .join(Rhk)
        .where(
            (Rhk.skp == skp_id)
            & fn.EXISTS(in_open_period)
            & (Realisation.value.is_null(False) | (Realisation.narrative != ""))
        )
        .group_by(Realisation.period)
        .tuples()
    )


@statement
def _submitted_times(employee_id, day):
    """As approval_queue, only the submission times: the SKP waiting for this person."""
    return (
        Skp.select(Skp.submitted_at)
        .where(
            Skp.employee.in_(org.supervised_query(employee_id, day))
            & (Skp.status == SkpStatus.DIAJUKAN)
        )
        .order_by(Skp.submitted_at, Skp.id)
        .tuples()
    )


def task_provider(actor: Actor, glance: Glance | None = None) -> list[Task]:
    """SKP to draft or fix, SKP waiting for approval, realisation due; with ``glance``, also
    the year's SKP status and the open period's realisation (no extra query)."""
    tasks: list[Task] = []
    today = actor.day
    year = today.year
    # The year's periods in one narrow query: the annual one (as annual_period) and the
    # open quarters or months (as open_periods).
    periods = _year_periods(actor.employee_id, year)
    annual = next((p for p in periods if p.kind == PeriodKind.TAHUNAN and p.number == 0), None)
    if annual is not None:
        own = getattr(annual, "own", None)  # Peewee sets no empty joined row
        deadline = annual.skp_deadline
        late = bool(deadline and today > deadline)
        if glance is not None:
            glance.year = year
            glance.has_annual = True
            glance.skp_deadline = deadline
            if own is not None:
                glance.skp_status = str(own.status)
                glance.skp_id = own.id
        if own is None:
            tasks.append(
                Task(
                    f"Susun SKP {year}", "staff.skp_index", deadline=deadline, late=late, area="skp"
                )
            )
        elif own.status in (SkpStatus.DRAFT, SkpStatus.DIKEMBALIKAN):
            if own.status == SkpStatus.DIKEMBALIKAN:
                title = f"Perbaiki SKP {year} yang dikembalikan"
            elif own.in_revision:
                title = f"Selesaikan revisi SKP {year}"
            else:
                title = f"Lengkapi dan ajukan SKP {year}"
            tasks.append(
                Task(
                    title,
                    "staff.skp_detail",
                    {"skp_id": own.id},
                    deadline=None if own.in_revision else deadline,
                    since=own.created_at.date(),
                    late=late and not own.in_revision,
                    area="skp",
                )
            )
        elif own.approved_at is not None:
            open_periods = [
                p
                for p in periods
                if p.status == PeriodStatus.DIBUKA and p.kind != PeriodKind.TAHUNAN
            ]
            if open_periods:
                total = annual.indicators
                filled = dict(_filled_in_open_periods(own.id, year))
            if glance is not None and open_periods:
                first_open = open_periods[0]
                glance.realisation = {
                    "period": first_open.name,
                    "filled": filled.get(first_open.id, 0),
                    "total": total,
                    "deadline": first_open.realisation_deadline,
                    "late": bool(
                        first_open.realisation_deadline and today > first_open.realisation_deadline
                    ),
                    "args": {"skp_id": own.id, "period_id": first_open.id},
                }
            for period in open_periods:
                missing = total - filled.get(period.id, 0)
                if missing > 0:
                    d = period.realisation_deadline
                    tasks.append(
                        Task(
                            f"Isi realisasi {period.name}",
                            "staff.realisation",
                            {"skp_id": own.id, "period_id": period.id},
                            count=missing,
                            deadline=d,
                            since=period.start,
                            late=bool(d and today > d),
                            area="skp",
                        )
                    )
    if actor.supervised:
        submitted = [at for (at,) in _submitted_times(actor.employee_id, actor.day)]
        if submitted:
            oldest = submitted[0]
            tasks.append(
                Task(
                    "SKP menunggu persetujuan Anda",
                    "supervisor.skp_queue",
                    count=len(submitted),
                    since=oldest.date() if oldest else None,
                    area="skp",
                )
            )
    return tasks


def rhk_by_id(rhk_id: int) -> Rhk | None:
    """An RHK, if it exists."""
    return Rhk.get_or_none(Rhk.id == rhk_id)


def indicator_by_id(indicator_id: int) -> Indicator | None:
    """An indicator, if it exists."""
    return Indicator.get_or_none(Indicator.id == indicator_id)


def indicator_in(skp: Skp, indicator_id: int) -> Indicator | None:
    """An indicator of ``skp``, or None (missing, or of another SKP)."""
    return _indicator_of.first(skp.id, indicator_id)


@statement
def _indicator_of(skp_id, indicator_id):
    return (
        Indicator.select()
        .join(Rhk)
        .where((Indicator.id == indicator_id) & (Rhk.skp == skp_id))
        .limit(1)
    )


def note_by_id(note_id: int) -> FeedbackNote | None:
    """A note of the feedback log, if it exists."""
    return FeedbackNote.get_or_none(FeedbackNote.id == note_id)
