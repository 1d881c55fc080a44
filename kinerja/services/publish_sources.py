"""The raw data a publication reads, summed, and the unit tree its figures follow.

Read only, for :mod:`kinerja.services.publish_figures`: SKM answers summed per unit and
month in SQL (``kiosk_by_unit_month``), service requests per serving unit
(``requests_by_unit``, ``serving_unit``), the unit tree, and which published figure
covers each unit (``nested_groups`` for IKM and service standards, ``disjoint_groups``
for the predikat) (docs/spec/product.md §6, issue 18).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from fractions import Fraction

from peewee import SQL, Case, fn

from kinerja.anonymise import PublishStatus, UnitCount, reveals_few, rollup_units
from kinerja.clock import WIB, as_aware_utc
from kinerja.db import is_sqlite
from kinerja.enums import EvaluationStatus, PeriodStatus, Predikat
from kinerja.models.kiosk import Channel, KioskResponse
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.public import FigureStatus
from kinerja.models.service import ServiceRequest, ServiceType
from kinerja.scoring import (
    RequestRecord,
    ServiceStandard,
    StandardUnit,
    ikm_konversi,
    nrr_from_sums,
    shown_ikm,
)

FINAL_STATUSES = (
    EvaluationStatus.FINAL,
    EvaluationStatus.DITERIMA,
    EvaluationStatus.KEBERATAN,
    EvaluationStatus.DIPUTUS,
)
PREDIKAT_COLUMNS = {
    Predikat.SANGAT_BAIK: "sangat_baik",
    Predikat.BAIK: "baik",
    Predikat.BUTUH_PERBAIKAN: "butuh_perbaikan",
    Predikat.KURANG: "kurang",
    Predikat.SANGAT_KURANG: "sangat_kurang",
}
TREND_MONTHS = 12


def last_closed_period(period: Period) -> Period | None:
    """The last closed period ending no later than ``period`` (annual first on a tie)."""
    return (
        Period.select()
        .where((Period.status == PeriodStatus.DITUTUP) & (Period.end <= period.end))
        .order_by(Period.end.desc(), Period.start.asc(), Period.id.desc())
        .first()
    )


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Naive-UTC [lo, hi) covering the WIB dates start..end inclusive."""
    lo = datetime.combine(start, dtime(0), tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)
    hi = datetime.combine(end + timedelta(days=1), dtime(0), tzinfo=WIB)
    return lo, hi.astimezone(UTC).replace(tzinfo=None)


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def trend_months(period_end: date) -> list[date]:
    """The first days of the 12 calendar months up to and including the period end's."""
    year, month = period_end.year, period_end.month
    months = []
    for _ in range(TREND_MONTHS):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


# --- the unit tree ----------------------------------------------------------------------------


@dataclass
class UnitTree:
    units: dict[int, Unit]
    children: dict[int, list[int]]
    order: list[int]  # depth-first by code
    opd: dict[int, int]  # unit id → its OPD (or root) id

    def counts(self, n: dict[int, int]) -> list[UnitCount]:
        parents = self.units
        return [
            UnitCount(uid, u.parent_id if u.parent_id in parents else None, n.get(uid, 0))
            for uid, u in self.units.items()
        ]

    def subtree(self, unit_id: int) -> list[int]:
        out, stack = [], [unit_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children.get(current, []))
        return out


def load_tree() -> UnitTree:
    units = {u.id: u for u in Unit.select().order_by(Unit.code)}
    children: dict[int, list[int]] = defaultdict(list)
    roots = []
    for unit in units.values():
        if unit.parent_id in units:
            children[unit.parent_id].append(unit.id)
        else:
            roots.append(unit.id)
    order, opd = [], {}
    stack = [(root, root) for root in reversed(roots)]
    while stack:
        unit_id, top = stack.pop()
        if units[unit_id].kind == "OPD" or units[unit_id].parent_id not in units:
            top = unit_id
        order.append(unit_id)
        opd[unit_id] = top
        stack.extend((child, top) for child in reversed(children[unit_id]))
    return UnitTree(units, dict(children), order, opd)


@dataclass
class FigureGroups:
    """Which published figure covers each unit, for one figure kind."""

    head_of: dict[int, int]  # unit id → id of the unit whose figure covers it
    covers: dict[int, frozenset[int]]
    withheld: frozenset[int]

    def status(self, unit_id: int, own_n: dict[int, int], tree: UnitTree) -> FigureStatus:
        """The status shown on a unit's row for this figure kind."""
        if unit_id in self.covers:
            return FigureStatus.OK
        if unit_id in self.withheld:
            subtree = [u for u in tree.subtree(unit_id) if u in self.withheld]
            has = any(own_n.get(u, 0) for u in subtree)
            return FigureStatus.WITHHELD if has else FigureStatus.NO_DATA
        head = self.head_of.get(unit_id)
        covered = [u for u in tree.subtree(unit_id) if self.head_of.get(u) == head]
        if any(own_n.get(u, 0) for u in covered):
            return FigureStatus.ROLLED
        return FigureStatus.NO_DATA

    def head(self, unit_id: int, tree: UnitTree) -> int:
        """The unit whose figure holds this unit's data: its group's head, or for a withheld
        unit the top unit it rolled into (a withheld group has no published figure)."""
        if unit_id in self.head_of:
            return self.head_of[unit_id]
        while tree.units[unit_id].parent_id in tree.units:
            unit_id = tree.units[unit_id].parent_id
        return unit_id

    def members(self, head: int, tree: UnitTree) -> frozenset[int]:
        """The units a head's figure covers (a withheld top unit: what rolled into it)."""
        if head in self.covers:
            return self.covers[head]
        return frozenset(u for u in tree.subtree(head) if u in self.withheld)

    def part(self, unit_id: int, tree: UnitTree) -> list[int]:
        """The units of this unit's subtree whose data sits in the same figure as its own.

        A published unit's subtree holds no withheld unit, so "no head" (None) on both
        sides means: withheld, rolled into the same top unit.
        """
        head = self.head_of.get(unit_id)
        return [u for u in tree.subtree(unit_id) if self.head_of.get(u) == head]


def disjoint_groups(tree: UnitTree, own_n: dict[int, int], min_n: int) -> FigureGroups:
    """Disjoint groups (each unit in exactly one figure): used for the predikat."""
    rollup = rollup_units(tree.counts(own_n), min_n)
    head_of = {member: head for head, members in rollup.covers.items() for member in members}
    return FigureGroups(head_of, dict(rollup.covers), rollup.withheld)


def nested_groups(tree: UnitTree, own: dict[int, tuple[int, ...]], min_n: int) -> FigureGroups:
    """Nested roll-up: a published unit's figure covers its whole subtree (issue 18).

    ``own`` maps a unit to its own counts (the first one decides publication, the others
    only the difference check). Bottom-up, a unit is published when its subtree's first
    count reaches ``min_n``; before that, what a reader could compute as the unit's figure
    minus its published children's figures (the unit's own data plus its unpublished
    sub-units) must be 0 or ≥ ``min_n`` in every count, else the smallest published child
    is unpublished together with its whole subtree (its data stays inside the unit's
    figure, shown there as "digabung ke"). So a unit is published only when its parent
    is (no parent ever reads "ditahan" above a shown child), a parent's n is at least each
    child's, and every set recoverable by subtracting published figures covers 0 or
    ≥ ``min_n``. A root still too small is withheld with its whole subtree.
    """
    width = max((len(v) for v in own.values()), default=1)
    zero = (0,) * width
    total: dict[int, tuple[int, ...]] = {}
    shown: set[int] = set()

    def add(a, b):
        return tuple(x + y for x, y in zip(a, b, strict=True))

    def unshow(unit_id: int) -> None:
        for u in tree.subtree(unit_id):
            shown.discard(u)

    for unit_id in reversed(tree.order):  # children before their parent
        kids = tree.children.get(unit_id, [])
        subtotal = own.get(unit_id, zero)
        for kid in kids:
            subtotal = add(subtotal, total[kid])
        total[unit_id] = subtotal
        rest = own.get(unit_id, zero)
        for kid in kids:
            if kid not in shown:
                rest = add(rest, total[kid])
        published = sorted(
            (k for k in kids if k in shown),
            key=lambda k: (total[k][0], tree.units[k].code),
        )
        while published and reveals_few(rest, min_n):
            smallest = published.pop(0)
            unshow(smallest)
            rest = add(rest, total[smallest])
        if subtotal[0] >= min_n:
            shown.add(unit_id)
        else:
            for kid in kids:  # nothing below a small unit is shown (its total is smaller)
                unshow(kid)

    covers: dict[int, frozenset[int]] = {}
    head_of: dict[int, int] = {}
    withheld: set[int] = set()
    for unit_id in tree.order:  # parents before their children
        parent = tree.units[unit_id].parent_id
        if unit_id in shown:
            covers[unit_id] = frozenset(tree.subtree(unit_id))
            head_of[unit_id] = unit_id
        elif parent in head_of:
            head_of[unit_id] = head_of[parent]
        else:
            withheld.add(unit_id)
    return FigureGroups(head_of, covers, frozenset(withheld))


# --- kiosk answers ------------------------------------------------------------------------------


@dataclass
class AnswerSums:
    """Sums of SKM answers (kiosk and phone): respondents, per-unsur sums and counts, faces."""

    n: int = 0  # respondents with at least one unsur answered
    phone_n: int = 0  # of those, respondents on their own phone (channel "ponsel")
    sums: list[int] = field(default_factory=lambda: [0] * 9)
    counts: list[int] = field(default_factory=lambda: [0] * 9)
    face_n: int = 0
    face_sum: int = 0

    def add(self, other: "AnswerSums") -> None:
        self.n += other.n
        self.phone_n += other.phone_n
        self.face_n += other.face_n
        self.face_sum += other.face_sum
        for i in range(9):
            self.sums[i] += other.sums[i]
            self.counts[i] += other.counts[i]

    @classmethod
    def total(cls, parts: Iterable["AnswerSums"]) -> "AnswerSums":
        out = cls()
        for part in parts:
            out.add(part)
        return out

    @property
    def kiosk_n(self) -> int:
        """Respondents at a kiosk (every answer is a kiosk's or a phone's)."""
        return self.n - self.phone_n

    def measures(self) -> tuple[int, ...]:
        """Every count a difference of published figures could reveal."""
        return (self.n, *self.counts)

    def nrr(self) -> list[Fraction | None]:
        return nrr_from_sums(self.sums, self.counts)

    def konversi(self) -> Fraction | None:
        """IKM × 25 exactly (docs/spec/regulation.md §7); None when an unsur has no answer."""
        return ikm_konversi(self.nrr())

    def ikm_shown(self, min_n: int) -> PublishStatus:
        """OK only when n and every unsur's answers reach min_n (no NRR is recomputable)."""
        if self.n == 0:
            return PublishStatus.NO_DATA
        if self.n < min_n or min(self.counts) < min_n:
            return PublishStatus.WITHHELD
        return PublishStatus.OK

    def published_ikm(self) -> dict:
        """The IKM as published (konversi to 2 decimals, interval, mutu): one rule for the
        unit figures and the city figure."""
        shown = shown_ikm(self.konversi())
        return {
            "ikm_konversi": shown.konversi,
            "ikm_interval": shown.interval,
            "mutu": str(shown.mutu),
        }


def kiosk_by_unit_month(
    lo: date, start: date, end: date
) -> dict[tuple[int, date, bool], AnswerSums]:
    """SKM answers (kiosk and phone) of the WIB days ``lo``..``end`` summed in SQL (one
    GROUP BY query) per unit, calendar month (its first day) and whether the day lies in
    the period ``start``..``end``: what the period's figures and the monthly trend read.

    Summing per month rather than per day leaves a few thousand rows to read on a city of
    a million answers instead of tens of thousands. On SQLite the unit is grouped as
    ``unit_id + 0`` so the planner scans the table once and groups in a temporary B-tree
    instead of walking the (unit, day) index and fetching every row by rowid.
    """
    r = KioskResponse
    columns = [getattr(r, f"u{i}") for i in range(1, 10)]
    valid_face = (r.face >= 1) & (r.face <= 4)
    phone = (r.channel == Channel.PONSEL.value) & fn.COALESCE(*columns).is_null(False)
    if is_sqlite():
        unit, month = r.unit + SQL("0"), fn.strftime("%Y-%m-01", r.day)
    else:
        unit, month = r.unit, fn.date_trunc("month", r.day)
    in_period = Case(None, [((r.day >= start) & (r.day <= end), 1)], 0)
    query = (
        r.select(
            unit,
            month,
            in_period,
            fn.COUNT(fn.COALESCE(*columns)),  # respondents with at least one unsur
            fn.SUM(Case(None, [(valid_face, 1)], 0)),
            fn.SUM(Case(None, [(valid_face, r.face)], 0)),
            *[fn.SUM(c) for c in columns],
            *[fn.COUNT(c) for c in columns],
            fn.SUM(Case(None, [(phone, 1)], 0)),
        )
        .where((r.day >= lo) & (r.day <= end))
        .group_by(unit, month, in_period)
        .tuples()
    )
    out = {}
    for row in query:
        first = row[1]
        if isinstance(first, str):
            first = date.fromisoformat(first[:10])
        elif isinstance(first, datetime):
            first = first.date()
        out[(row[0], first, bool(row[2]))] = AnswerSums(
            n=int(row[3] or 0),
            face_n=int(row[4] or 0),
            face_sum=int(row[5] or 0),
            sums=[int(v or 0) for v in row[6:15]],
            counts=[int(v or 0) for v in row[15:24]],
            phone_n=int(row[24] or 0),
        )
    return out


# --- service requests -----------------------------------------------------------------------


def serving_unit(
    unit_id: int, staff_units: Iterable[int | None], tree_units: dict[int, Unit]
) -> int:
    """The unit a request is attributed to (issue 18): the first of its serving officers'
    units (the handler who completed it, else the officer who registered it) that lies in
    the subtree of the unit that recorded it; else that unit itself."""
    for staff_unit in staff_units:
        current = staff_unit
        while current is not None and current in tree_units:
            if current == unit_id:
                return staff_unit
            current = tree_units[current].parent_id
    return unit_id


def requests_by_unit(
    period: Period, tree: UnitTree
) -> tuple[dict[int, list], dict[int, ServiceType]]:
    """Requests received in the period per serving unit, as (type id, RequestRecord)."""
    lo, hi = utc_bounds(period.start, period.end)
    types = {t.id: t for t in ServiceType.select()}
    staff = dict(Employee.select(Employee.id, Employee.unit).tuples())
    q = ServiceRequest
    rows = (
        q.select(
            q.unit,
            q.service_type,
            q.received_at,
            q.completed_at,
            q.rework,
            q.handler,
            q.registered_by,
        )
        .where((q.received_at >= lo) & (q.received_at < hi))
        .tuples()
    )
    by_unit: dict[int, list] = defaultdict(list)
    for recorded_at, type_id, received, completed, rework, handler, registrar in rows:
        unit_id = serving_unit(recorded_at, (staff.get(handler), staff.get(registrar)), tree.units)
        service_type = types[type_id]
        standard = ServiceStandard(service_type.standard_value, service_type.standard_unit)
        record = RequestRecord(
            received=as_aware_utc(received),
            completed=as_aware_utc(completed) if completed else None,
            rework=bool(rework),
            standard=standard,
        )
        by_unit[unit_id].append((type_id, record))
    return by_unit, types


def standard_label(value: int, unit: str) -> str:
    return f"{value} {StandardUnit(unit).label}"
