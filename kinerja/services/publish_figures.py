"""The public figures of a period, computed from the raw data (docs/spec/product.md §6).

Read only: :func:`compute_figures` returns the rows that
:func:`kinerja.services.publish.publish` writes as the period's snapshot. Formulas come from
:mod:`kinerja.scoring` (one home each), disclosure control from :mod:`kinerja.anonymise`;
this module decides which data each figure covers and which units share a figure.
``publish(period)`` computes every public figure of a period from the raw data and writes
them, already through disclosure control (:mod:`kinerja.anonymise`), into the snapshot
tables of :mod:`kinerja.models.public`, replacing that period's previous snapshot in one
transaction. Public pages read only those tables, so repeated requests cannot difference
out a person, and changes to raw data show only after the next publication.

Which data a figure covers:
- IKM, NRR per unsur, quick index and the monthly trend: kiosk answers (KioskResponse) by
  their WIB day; n = respondents who answered at least one unsur (quick index: every
  answer with a face). The trend covers the 12 calendar months up to the period end.
- Service users N for the Krejcie–Morgan sample size: the number of service requests
  (ServiceRequest) *received* in the period, because every request is one use of the
  service; the sample is sufficient when the IKM n reaches S(N).
- Where data meets (issue 18): kiosk answers belong to the kiosk's unit; a request to the
  unit of its serving officer (handler, else the officer who registered it) when that unit
  lies under the unit that recorded it, else to the recording unit (``serving_unit``). A
  published unit's IKM, n, N, S, verdict, quick index, timeliness, trend and jenis layanan
  cover the unit and its whole subtree (``_nested``); the predikat keeps disjoint groups.
- Service standards: requests received in the period; rates over the completed ones
  (kinerja.scoring.service_figures with the city's working-day calendar).
- Predikat distribution: final evaluations (FINAL, DITERIMA, KEBERATAN, DIPUTUS) of the
  last *closed* period that ends no later than this period; counted by the evaluation's unit.
- Process figures per OPD: active employees with an SKP of the year approved by the year's
  SKP deadline; evaluations of this period finalised; objections filed and decided.

Disclosure control, in this order, before any row is written:
1. roll-up: per figure kind, a unit is published when its subtree reaches ``public_min_n``
   and its parent is published; a parent's figure minus its published children's covers 0
   or ≥ ``public_min_n`` in every count, else the smallest child joins the parent
   (``_nested``); the same check hides a parent's month or jenis layanan
   (``anonymise.blocked_parts``).
   Predikat: disjoint groups (``rollup_units``), every unit in exactly one figure;
2. each aggregate (a group, a month, a jenis layanan, an OPD) is shown only at
   n ≥ ``public_min_n`` (``publish_aggregate``), otherwise "data ditahan (n < 10)", and
   "belum ada data" when there is nothing at all;
3. complementary suppression of parts of a shown total (months inside the period, jenis
   layanan of a unit; ``anonymise.complementary_parts``): while the hidden parts together
   cover 1..9 responses (and so could be recomputed as total minus shown parts), the
   smallest shown part is hidden too;
4. predikat distributions through ``suppress_distribution`` (counts 1–4 hidden, plus
   complementary cells); objection counts 1–4 hidden.
Aggregation runs in SQL (GROUP BY unit and day) so a million kiosk answers take seconds.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from fractions import Fraction

from peewee import SQL, Case, fn

from kinerja.anonymise import (
    PublishStatus,
    Thresholds,
    UnitCount,
    blocked_parts,
    complementary_parts,
    publish_aggregate,
    published_below,
    reveals_few,
    rollup_units,
    safe_rate,
    small_count,
    suppress_distribution,
)
from kinerja.clock import WIB, as_aware_utc, utcnow
from kinerja.db import is_sqlite
from kinerja.enums import EvaluationStatus, PeriodKind, PeriodStatus, Predikat, Unsur
from kinerja.formatting import round_half_up
from kinerja.models.evaluation import Evaluation, Objection
from kinerja.models.kiosk import Channel, KioskResponse
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.public import (
    NRR_PLACES,
    CityScope,
    FigureStatus,
)
from kinerja.models.service import ServiceRequest, ServiceType
from kinerja.models.skp import Skp
from kinerja.queries.service_figures import calendar as work_calendar
from kinerja.scoring import (
    RequestRecord,
    ServiceStandard,
    StandardUnit,
    ikm_konversi,
    krejcie_morgan,
    nrr_from_sums,
    quick_index_from_sum,
    service_figures,
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


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Naive-UTC [lo, hi) covering the WIB dates start..end inclusive."""
    lo = datetime.combine(start, dtime(0), tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)
    hi = datetime.combine(end + timedelta(days=1), dtime(0), tzinfo=WIB)
    return lo, hi.astimezone(UTC).replace(tzinfo=None)


def _month(day: date) -> date:
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
class _Tree:
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


def _tree() -> _Tree:
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
    return _Tree(units, dict(children), order, opd)


@dataclass
class _Groups:
    """Which published figure covers each unit, for one figure kind."""

    head_of: dict[int, int]  # unit id → id of the unit whose figure covers it
    covers: dict[int, frozenset[int]]
    withheld: frozenset[int]

    def status(self, unit_id: int, own_n: dict[int, int], tree: _Tree) -> FigureStatus:
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

    def head(self, unit_id: int, tree: _Tree) -> int:
        """The unit whose figure holds this unit's data: its group's head, or for a withheld
        unit the top unit it rolled into (a withheld group has no published figure)."""
        if unit_id in self.head_of:
            return self.head_of[unit_id]
        while tree.units[unit_id].parent_id in tree.units:
            unit_id = tree.units[unit_id].parent_id
        return unit_id

    def members(self, head: int, tree: _Tree) -> frozenset[int]:
        """The units a head's figure covers (a withheld top unit: what rolled into it)."""
        if head in self.covers:
            return self.covers[head]
        return frozenset(u for u in tree.subtree(head) if u in self.withheld)

    def part(self, unit_id: int, tree: _Tree) -> list[int]:
        """The units of this unit's subtree whose data sits in the same figure as its own.

        A published unit's subtree holds no withheld unit, so "no head" (None) on both
        sides means: withheld, rolled into the same top unit.
        """
        head = self.head_of.get(unit_id)
        return [u for u in tree.subtree(unit_id) if self.head_of.get(u) == head]


def _groups(tree: _Tree, own_n: dict[int, int], min_n: int) -> _Groups:
    """Disjoint groups (each unit in exactly one figure): used for the predikat."""
    rollup = rollup_units(tree.counts(own_n), min_n)
    head_of = {member: head for head, members in rollup.covers.items() for member in members}
    return _Groups(head_of, dict(rollup.covers), rollup.withheld)


def _nested(tree: _Tree, own: dict[int, tuple[int, ...]], min_n: int) -> _Groups:
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
    return _Groups(head_of, covers, frozenset(withheld))


# --- kiosk answers ------------------------------------------------------------------------------


@dataclass
class _Answers:
    """Sums of SKM answers (kiosk and phone): respondents, per-unsur sums and counts, faces."""

    n: int = 0  # respondents with at least one unsur answered
    phone_n: int = 0  # of those, respondents on their own phone (channel "ponsel")
    sums: list[int] = field(default_factory=lambda: [0] * 9)
    counts: list[int] = field(default_factory=lambda: [0] * 9)
    face_n: int = 0
    face_sum: int = 0

    def add(self, other: "_Answers") -> None:
        self.n += other.n
        self.phone_n += other.phone_n
        self.face_n += other.face_n
        self.face_sum += other.face_sum
        for i in range(9):
            self.sums[i] += other.sums[i]
            self.counts[i] += other.counts[i]

    @classmethod
    def total(cls, parts: Iterable["_Answers"]) -> "_Answers":
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


def _kiosk_by_unit_day(lo: date, hi: date) -> dict[tuple[int, date], _Answers]:
    """SKM answers (kiosk and phone) summed per unit and WIB day in SQL (one GROUP BY query).

    On SQLite the unit is grouped as ``unit_id + 0`` so the planner scans the table once
    and groups in a temporary B-tree instead of walking the (unit, day) index and fetching
    every row by rowid, which is about twice as slow for a year of answers.
    """
    r = KioskResponse
    columns = [getattr(r, f"u{i}") for i in range(1, 10)]
    valid_face = (r.face >= 1) & (r.face <= 4)
    phone = (r.channel == Channel.PONSEL.value) & fn.COALESCE(*columns).is_null(False)
    unit = r.unit + SQL("0") if is_sqlite() else r.unit
    query = (
        r.select(
            unit,
            r.day,
            fn.COUNT(fn.COALESCE(*columns)),  # respondents with at least one unsur
            fn.SUM(Case(None, [(valid_face, 1)], 0)),
            fn.SUM(Case(None, [(valid_face, r.face)], 0)),
            *[fn.SUM(c) for c in columns],
            *[fn.COUNT(c) for c in columns],
            fn.SUM(Case(None, [(phone, 1)], 0)),
        )
        .where((r.day >= lo) & (r.day <= hi))
        .group_by(unit, r.day)
        .tuples()
    )
    out = {}
    for row in query:
        unit_id, day = row[0], row[1]
        if isinstance(day, str):
            day = date.fromisoformat(day[:10])
        elif isinstance(day, datetime):
            day = day.date()
        out[(unit_id, day)] = _Answers(
            n=int(row[2] or 0),
            face_n=int(row[3] or 0),
            face_sum=int(row[4] or 0),
            sums=[int(v or 0) for v in row[5:14]],
            counts=[int(v or 0) for v in row[14:23]],
            phone_n=int(row[23] or 0),
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


def _requests(period: Period, tree: _Tree) -> tuple[dict[int, list], dict[int, ServiceType]]:
    """Requests received in the period per serving unit, as (type id, RequestRecord)."""
    lo, hi = _utc_bounds(period.start, period.end)
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


def _standard_label(value: int, unit: str) -> str:
    return f"{value} {StandardUnit(unit).label}"


# --- publishing ----------------------------------------------------------------------------


def _dec(value: Fraction | None, places: int = 2) -> Decimal | None:
    return None if value is None else round_half_up(value, places)


# --- the computation, one function per figure group -----------------------------------------


@dataclass
class _Kiosk:
    """SKM answers of the period per unit, of the trend months per (unit, month), grouped."""

    months: list[date]
    period_answers: dict[int, _Answers]
    month_answers: dict[tuple[int, date], _Answers]
    groups: _Groups

    @property
    def n(self) -> dict[int, int]:
        return {uid: a.n for uid, a in self.period_answers.items()}


@dataclass
class _Service:
    """Requests received in the period per serving unit, grouped by completed ones."""

    requests: dict[int, list]
    types: dict[int, ServiceType]
    received_n: dict[int, int]
    completed_n: dict[int, int]
    groups: _Groups


@dataclass
class _Predikat:
    """Final predikat counts of the last closed period per unit, in disjoint groups."""

    closed: Period | None
    counts: dict[int, dict[Predikat, int]]
    n: dict[int, int]
    groups: _Groups


@dataclass
class Figures:
    """A period's computed public figures, ready to be written as one snapshot."""

    period: Period
    thresholds: Thresholds
    built_at: datetime
    closed: Period | None
    rows: dict[int, dict]
    trend_rows: list[dict]
    service_rows: list[dict]
    process_rows: list[dict]
    city: dict


def compute_figures(period: Period, thresholds: Thresholds) -> Figures:
    """Every public figure of the period, through disclosure control (no write)."""
    min_n = thresholds.public_min_n
    built_at = utcnow()
    tree = _tree()
    kiosk = _kiosk(period, tree, min_n)
    service = _service(period, tree, min_n)
    predikat = _predikat(period, tree, min_n)
    shown = _units_shown(tree, kiosk, service, predikat)
    rows = _unit_rows(tree, shown, kiosk, service, predikat, thresholds)
    trend_rows, service_rows = _part_rows(period, tree, rows, kiosk, service, thresholds)
    process_rows = _process(period, tree, thresholds)
    city = _city(rows, tree, kiosk.groups, kiosk.period_answers, min_n)
    return Figures(
        period=period,
        thresholds=thresholds,
        built_at=built_at,
        closed=predikat.closed,
        rows=rows,
        trend_rows=trend_rows,
        service_rows=service_rows,
        process_rows=process_rows,
        city=city,
    )


def _kiosk(period: Period, tree: _Tree, min_n: int) -> _Kiosk:
    """IKM, quick index and trend data: answers summed per unit for the period and months."""
    months = trend_months(period.end)
    by_day = _kiosk_by_unit_day(min(months[0], period.start), period.end)
    period_answers: dict[int, _Answers] = defaultdict(_Answers)
    month_answers: dict[tuple[int, date], _Answers] = defaultdict(_Answers)
    for (unit_id, day), answers in by_day.items():
        if period.start <= day <= period.end:
            period_answers[unit_id].add(answers)
        if day >= months[0]:
            month_answers[(unit_id, _month(day))].add(answers)
    own = {uid: (*a.measures(), a.face_n) for uid, a in period_answers.items()}
    return _Kiosk(months, period_answers, month_answers, _nested(tree, own, min_n))


def _service(period: Period, tree: _Tree, min_n: int) -> _Service:
    """Service-standard data: requests per serving unit, nested groups by completed ones."""
    requests, types = _requests(period, tree)
    received_n = {uid: len(recs) for uid, recs in requests.items()}
    completed_n = {
        uid: sum(1 for _, r in recs if r.completed is not None) for uid, recs in requests.items()
    }
    groups = _nested(tree, {uid: (n,) for uid, n in completed_n.items()}, min_n)
    return _Service(requests, types, received_n, completed_n, groups)


def _predikat(period: Period, tree: _Tree, min_n: int) -> _Predikat:
    """Predikat distribution of the last closed period, counted by the evaluation's unit."""
    closed = last_closed_period(period)
    counts: dict[int, dict[Predikat, int]] = defaultdict(dict)
    if closed is not None:
        ev = Evaluation
        query = (
            ev.select(ev.unit, ev.predikat, fn.COUNT(ev.id))
            .where(
                (ev.period == closed)
                & ev.predikat.is_null(False)
                & ev.status.in_([str(s) for s in FINAL_STATUSES])
            )
            .group_by(ev.unit, ev.predikat)
            .tuples()
        )
        for unit_id, predikat, count in query:
            counts[unit_id][Predikat(predikat)] = int(count)
    n = {uid: sum(c.values()) for uid, c in counts.items()}
    return _Predikat(closed, counts, n, _groups(tree, n, min_n))


def _units_shown(tree: _Tree, kiosk: _Kiosk, service: _Service, predikat: _Predikat) -> set[int]:
    """Which units get a row: public-service units, and heads of groups covering them."""
    shown = {uid for uid, u in tree.units.items() if u.serves_public}
    for groups in (kiosk.groups, service.groups, predikat.groups):
        for head, members in groups.covers.items():
            if head in shown or members & shown:
                shown.add(head)
    # A top unit that stays withheld still shows the quick index and N of what rolled
    # into it (each at n ≥ public_min_n), so it gets a row when a shown unit is inside.
    for head in kiosk.groups.withheld - shown:
        if tree.units[head].parent_id in tree.units:
            continue
        members = kiosk.groups.members(head, tree)
        has_data = any(
            (u in kiosk.period_answers and kiosk.period_answers[u].face_n)
            or service.received_n.get(u, 0)
            for u in members
        )
        if members & shown and has_data:
            shown.add(head)
    return shown


def _unit_rows(tree, shown, kiosk, service, predikat, thresholds) -> dict[int, dict]:
    """One row per shown unit, in tree order: who it is, then its three figure groups."""
    min_n = thresholds.public_min_n
    rows: dict[int, dict] = {}
    for position, unit_id in enumerate(uid for uid in tree.order if uid in shown):
        unit = tree.units[unit_id]
        opd = tree.units[tree.opd[unit_id]]
        parent = tree.units.get(unit.parent_id)
        row = {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent_code": parent.code if parent else "",
            "opd_code": opd.code,
            "opd_name": opd.name,
            "serves_public": bool(unit.serves_public),
            "position": position,
        }
        row.update(
            _ikm_fields(
                unit_id,
                tree,
                kiosk.groups,
                kiosk.n,
                kiosk.period_answers,
                service.received_n,
                min_n,
            )
        )
        row.update(
            _service_fields(
                unit_id,
                tree,
                service.groups,
                service.completed_n,
                service.requests,
                min_n,
                thresholds.small_count_max,
            )
        )
        row.update(
            _predikat_fields(
                unit_id, tree, predikat.groups, predikat.n, predikat.counts, thresholds
            )
        )
        rows[unit_id] = row
    return rows


def _part_rows(period, tree, rows, kiosk, service, thresholds) -> tuple[list[dict], list[dict]]:
    """Trend months and jenis layanan rows, in tree order.

    Computed children first: a unit's part (a month, a jenis layanan) is hidden when it
    minus the same parts published directly below it covers 1..min_n-1 (nested figures,
    see _nested).
    """
    min_n = thresholds.public_min_n
    trend_below: dict[int, dict] = {}
    type_below: dict[int, dict] = {}
    trend_shown: dict[int, dict] = {}
    type_shown: dict[int, dict] = {}
    trend_out: dict[int, list[dict]] = {}
    type_out: dict[int, list[dict]] = {}
    for unit_id in reversed(tree.order):
        kids = tree.children.get(unit_id, [])
        trend_below[unit_id] = published_below(kids, trend_shown, trend_below)
        type_below[unit_id] = published_below(kids, type_shown, type_below)
        if unit_id not in rows:
            continue
        code = tree.units[unit_id].code
        if rows[unit_id]["ikm_status"] == FigureStatus.OK:
            trend_out[unit_id], trend_shown[unit_id] = _trend(
                code,
                kiosk.groups.covers[unit_id],
                kiosk.months,
                period,
                kiosk.month_answers,
                min_n,
                trend_below[unit_id],
            )
        if unit_id in service.groups.covers:
            type_out[unit_id], type_shown[unit_id] = _service_types(
                code,
                service.groups.covers[unit_id],
                service.requests,
                service.types,
                min_n,
                type_below[unit_id],
                thresholds.small_count_max,
            )
    trend_rows = [row for uid in tree.order for row in trend_out.get(uid, [])]
    service_rows = [row for uid in tree.order for row in type_out.get(uid, [])]
    return trend_rows, service_rows


def _names(tree: _Tree, ids: Iterable[int]) -> str:
    return json.dumps(sorted(tree.units[u].name for u in ids), ensure_ascii=False)


def _group_code(tree: _Tree, groups: _Groups, unit_id: int, status: FigureStatus) -> str:
    if status in (FigureStatus.OK, FigureStatus.ROLLED):
        return tree.units[groups.head_of[unit_id]].code
    return ""


def _ikm_fields(unit_id, tree, groups, own_n, answers_by_unit, received_n, min_n) -> dict:
    """IKM, NRR, N (service users) and quick index of a unit's row.

    Quick index and N follow the IKM grouping but have their own n: on the row of a
    group's head, and of a top unit whose IKM stays withheld, each is shown at n ≥ min_n,
    else withheld or "belum ada data"; on a unit whose data sits in another unit's figure
    they read ROLLED when the unit has such data (never "belum ada data" when it has).
    """
    status = groups.status(unit_id, own_n, tree)
    out = {
        "ikm_status": status,
        "ikm_group": _group_code(tree, groups, unit_id, status),
        "ikm_covers": "[]",
        "population_status": FigureStatus.NO_DATA,
        "quick_status": FigureStatus.NO_DATA,
    }
    head = groups.head(unit_id, tree)
    if head != unit_id:
        part = groups.part(unit_id, tree)
        faces = any(answers_by_unit[u].face_n for u in part if u in answers_by_unit)
        used = any(received_n.get(u, 0) for u in part)
        if faces:
            out["quick_status"] = FigureStatus.ROLLED
        if used:
            out["population_status"] = FigureStatus.ROLLED
        if faces or used:
            out["ikm_group"] = tree.units[head].code
        return out
    members = groups.members(unit_id, tree)
    answers = _Answers.total(answers_by_unit[u] for u in members if u in answers_by_unit)
    out["ikm_covers"] = _names(tree, members)
    out["_basis_ikm"] = list(answers.measures())
    out["_basis_quick"] = [answers.face_n]
    if status == FigureStatus.OK:
        shown = answers.ikm_shown(min_n)
        out["ikm_status"] = FigureStatus(shown.value)
        if shown is PublishStatus.OK:
            out.update(ikm_n=answers.n, **answers.published_ikm())
        elif answers.n >= min_n:
            out["ikm_n"] = answers.n  # n reached min_n: some unsur has fewer answers
        if "ikm_n" in out:  # respondents per channel, only beside a shown n
            out.update(kiosk_n=answers.kiosk_n, phone_n=answers.phone_n)
        for unsur, value, count in zip(Unsur, answers.nrr(), answers.counts, strict=True):
            if count >= min_n:
                out[f"nrr_{unsur.value.lower()}"] = round_half_up(value, NRR_PLACES)
    population = sum(received_n.get(u, 0) for u in members)
    pop = publish_aggregate(population, population, _thresholds(min_n))
    out["population_status"] = FigureStatus(pop.status.value)
    if pop.status is PublishStatus.OK:
        out["population"] = population
        sample = krejcie_morgan(population)
        out["sample_size"] = sample
        if out.get("ikm_n") is not None:
            out["sample_reached"] = answers.n >= sample
    quick = publish_aggregate(answers.face_n, answers.face_sum, _thresholds(min_n))
    out["quick_status"] = FigureStatus(quick.status.value)
    if quick.status is PublishStatus.OK:
        out["quick_n"] = answers.face_n
        out["quick_index"] = quick_index_from_sum(answers.face_sum, answers.face_n)
    return out


def _city(rows: dict[int, dict], tree: _Tree, groups: _Groups, answers_by_unit, min_n) -> dict:
    """The city IKM of the period (issue 22) with its scope, as snapshot columns.

    Over every answer of the period (kiosk and phone), with the unit figures' IKM rule
    (``_Answers.published_ikm``). Disclosure control as for a parent and its children: the
    city minus the units whose IKM is shown leaves the answers of the units not shown; when
    that remainder covers 1..min_n-1 in any count (respondents or one unsur's answers) the
    city is computed over the shown units only (``CityScope.SHOWN``), so no subtraction
    isolates a few answers. Its key ``_basis`` feeds the re-publication check.
    """
    shown = [uid for uid, row in rows.items() if row["ikm_status"] == FigureStatus.OK]
    covered = set().union(*(groups.covers[uid] for uid in shown)) if shown else set()
    tops = [uid for uid in shown if tree.units[uid].parent_id not in covered]
    everything = _Answers.total(answers_by_unit.values())
    inside = _Answers.total(a for uid, a in answers_by_unit.items() if uid in covered)
    rest = [a - b for a, b in zip(everything.measures(), inside.measures(), strict=True)]
    scope = CityScope.SHOWN if reveals_few(rest, min_n) else CityScope.ALL
    answers = inside if scope is CityScope.SHOWN else everything
    status = answers.ikm_shown(min_n)
    if status is PublishStatus.NO_DATA and everything.n:
        status = PublishStatus.WITHHELD  # answers exist, but none of a shown unit
    out = {
        "city_ikm_status": FigureStatus(status.value),
        "city_scope": scope,
        "city_units": len(tops),
        "_basis": list(answers.measures()),
    }
    if status is PublishStatus.OK:
        published = answers.published_ikm()
        out.update(
            city_ikm_n=answers.n,
            city_ikm_konversi=published["ikm_konversi"],
            city_mutu=published["mutu"],
            city_kiosk_n=answers.kiosk_n,
            city_phone_n=answers.phone_n,
        )
    return out


def _thresholds(min_n: int) -> Thresholds:
    return Thresholds(public_min_n=min_n)


def _trend(code, members, months, period, month_answers, min_n, below) -> tuple[list, dict]:
    """A unit's trend points and the counts of the months it shows (for its parent)."""
    points = {}
    for month in months:
        points[month] = _Answers.total(
            month_answers[(u, month)] for u in members if (u, month) in month_answers
        )
    status = {m: a.ikm_shown(min_n) for m, a in points.items()}
    in_period = {m for m in months if period.start <= m <= period.end or _month(period.start) == m}
    shows_n = {m: a.measures() for m, a in points.items() if a.n >= min_n}
    blocked = blocked_parts(shows_n, below, min_n)
    hidden = {m for m in in_period if status[m] is PublishStatus.WITHHELD} | (blocked & in_period)
    parts = {m: points[m].measures() for m in in_period}
    extra = complementary_parts(parts, hidden, min_n) | blocked
    rows, shown_parts = [], {}
    for month in months:
        answers, shown = points[month], status[month]
        row = {
            "unit_code": code,
            "month": month,
            "in_period": month in in_period,
            "status": FigureStatus(shown.value),
        }
        if month in extra:
            row["status"] = FigureStatus.SUPPRESSED
        elif shown is PublishStatus.WITHHELD and answers.n >= min_n:
            row["n"] = answers.n  # n reached min_n: some unsur has fewer answers
            shown_parts[month] = answers.measures()
        elif shown is PublishStatus.OK:
            ikm_value = shown_ikm(answers.konversi())
            row.update(n=answers.n, ikm_konversi=ikm_value.konversi, mutu=str(ikm_value.mutu))
            row["_basis"] = list(answers.measures())
            shown_parts[month] = answers.measures()
        rows.append(row)
    return rows, shown_parts


def _figures_fields(figures, prefix: str = "", small_max: int = 4) -> dict:
    n = figures.n_completed
    return {
        f"{prefix}on_time_rate": safe_rate(figures.n_on_time, n, small_max),
        f"{prefix}median": figures.median,
        f"{prefix}p90": figures.p90,
        f"{prefix}duration_unit": str(figures.unit) if figures.unit else "",
        f"{prefix}rework_rate": safe_rate(figures.n_rework, n, small_max),
    }


def _service_fields(unit_id, tree, groups, own_n, requests, min_n, small_max) -> dict:
    status = groups.status(unit_id, own_n, tree)
    out = {
        "svc_status": status,
        "svc_group": _group_code(tree, groups, unit_id, status),
        "svc_covers": "[]",
    }
    if status != FigureStatus.OK:
        return out
    members = groups.covers[unit_id]
    records = [rec for u in members for _, rec in requests.get(u, [])]
    figures = service_figures(records, work_calendar())
    shown = publish_aggregate(figures.n_completed, figures.on_time_rate, _thresholds(min_n))
    out["svc_status"] = FigureStatus(shown.status.value)
    out["svc_covers"] = _names(tree, members)
    out["_basis_svc"] = [figures.n_completed, figures.n_on_time, figures.n_rework]
    if shown.status is PublishStatus.OK:
        out["svc_n"] = figures.n_completed
        out.update(_figures_fields(figures, small_max=small_max))
    return out


def _service_types(code, members, requests, types, min_n, below, small_max=4) -> tuple[list, dict]:
    """A unit's jenis layanan rows and the counts of those it shows (for its parent)."""
    by_kind: dict[tuple, list] = defaultdict(list)
    for u in members:
        for type_id, record in requests.get(u, []):
            t = types[type_id]
            by_kind[(t.name, t.standard_value, t.standard_unit)].append(record)
    for t in types.values():  # the unit's catalogue, also without requests
        if t.unit_id in members and t.active:
            by_kind.setdefault((t.name, t.standard_value, t.standard_unit), [])
    cal = work_calendar()
    figures = {key: service_figures(recs, cal) for key, recs in by_kind.items()}
    parts = {key: (f.n_completed,) for key, f in figures.items()}
    hidden = {key for key, f in figures.items() if 0 < f.n_completed < min_n}
    blocked = blocked_parts({k: v for k, v in parts.items() if k not in hidden}, below, min_n)
    extra = complementary_parts(parts, hidden | blocked, min_n) | blocked
    rows, shown_parts = [], {}
    for position, key in enumerate(sorted(figures, key=lambda k: (k[0].lower(), k[1], k[2]))):
        f = figures[key]
        row = {
            "unit_code": code,
            "position": position,
            "name": key[0],
            "standard_label": _standard_label(key[1], key[2]),
        }
        if f.n_completed == 0:
            row["status"] = FigureStatus.NO_DATA
        elif key in hidden:
            row["status"] = FigureStatus.WITHHELD
        elif key in extra:
            row["status"] = FigureStatus.SUPPRESSED
        else:
            row.update(status=FigureStatus.OK, n=f.n_completed, **_figures_fields(f, "", small_max))
            row["_basis"] = [f.n_completed, f.n_on_time, f.n_rework]
            shown_parts[key] = parts[key]
        rows.append(row)
    return rows, shown_parts


def _predikat_fields(unit_id, tree, groups, own_n, counts_by_unit, thresholds) -> dict:
    status = groups.status(unit_id, own_n, tree)
    out = {
        "predikat_status": status,
        "predikat_group": _group_code(tree, groups, unit_id, status),
        "predikat_covers": "[]",
    }
    if status != FigureStatus.OK:
        return out
    members = groups.covers[unit_id]
    total: dict[Predikat, int] = defaultdict(int)
    for u in members:
        for predikat, count in counts_by_unit.get(u, {}).items():
            total[predikat] += count
    distribution = suppress_distribution(total, thresholds)
    out["_basis_predikat"] = [sum(total.values())]
    out["predikat_status"] = FigureStatus(distribution.status.value)
    out["predikat_covers"] = _names(tree, members)
    if distribution.status is PublishStatus.OK:
        out["predikat_total"] = distribution.total
        hidden = {}
        for predikat, column in PREDIKAT_COLUMNS.items():
            out[column] = distribution.cells[predikat]
            if predikat in distribution.hidden:
                small = total[predikat] <= thresholds.small_count_max
                hidden[predikat.value] = "SMALL" if small else "EXTRA"
        out["predikat_hidden"] = json.dumps(hidden, sort_keys=True)
    return out


def _process(period: Period, tree: _Tree, thresholds: Thresholds) -> list[dict]:
    """SKP approved by the deadline, evaluations finalised, objections, per OPD."""
    employees: dict[int, int] = defaultdict(int)
    approved: dict[int, int] = defaultdict(int)
    evaluations: dict[int, int] = defaultdict(int)
    finalised: dict[int, int] = defaultdict(int)
    filed: dict[int, int] = defaultdict(int)
    decided: dict[int, int] = defaultdict(int)
    opd = tree.opd

    query = (
        Employee.select(Employee.unit, fn.COUNT(Employee.id))
        .where(Employee.active)
        .group_by(Employee.unit)
        .tuples()
    )
    for unit_id, count in query:
        if unit_id in opd:
            employees[opd[unit_id]] += count
    annual = Period.get_or_none((Period.year == period.year) & (Period.kind == PeriodKind.TAHUNAN))
    deadline = annual.skp_deadline if annual is not None else None
    if deadline is not None:
        _, hi = _utc_bounds(deadline, deadline)
        query = (
            Skp.select(Employee.unit, fn.COUNT(Skp.id))
            .join(Employee, on=(Skp.employee == Employee.id))
            .where(
                (Skp.year == period.year)
                & Employee.active
                & Skp.approved_at.is_null(False)
                & (Skp.approved_at < hi)
            )
            .group_by(Employee.unit)
            .tuples()
        )
        for unit_id, count in query:
            if unit_id in opd:
                approved[opd[unit_id]] += count

    ev = Evaluation
    final = {str(s) for s in FINAL_STATUSES}
    query = (
        ev.select(ev.unit, ev.status, fn.COUNT(ev.id))
        .where(ev.period == period)
        .group_by(ev.unit, ev.status)
        .tuples()
    )
    for unit_id, status, count in query:
        if unit_id in opd:
            evaluations[opd[unit_id]] += count
            if status in final:
                finalised[opd[unit_id]] += count
    query = (
        Objection.select(ev.unit, fn.COUNT(Objection.id), fn.COUNT(Objection.decided_at))
        .join(ev, on=(Objection.evaluation == ev.id))
        .where(ev.period == period)
        .group_by(ev.unit)
        .tuples()
    )
    for unit_id, count, done in query:
        if unit_id in opd:
            filed[opd[unit_id]] += count
            decided[opd[unit_id]] += done

    rows = []
    tops = [uid for uid in tree.order if opd[uid] == uid]
    for position, opd_id in enumerate(tops):
        unit = tree.units[opd_id]
        row = {"opd_code": unit.code, "opd_name": unit.name, "position": position}
        n = employees[opd_id]
        rate = Fraction(approved[opd_id] * 100, n) if n and deadline is not None else None
        skp = publish_aggregate(n if deadline is not None else 0, rate, thresholds)
        row["skp_status"] = FigureStatus(skp.status.value)
        row["_basis_skp"] = [n, approved[opd_id]]
        if skp.status is PublishStatus.OK:
            small = thresholds.small_count_max
            row.update(skp_n=n, skp_on_time_rate=safe_rate(approved[opd_id], n, small))
        n_eval = evaluations[opd_id]
        rate = Fraction(finalised[opd_id] * 100, n_eval) if n_eval else None
        shown = publish_aggregate(n_eval, rate, thresholds)
        row["eval_status"] = FigureStatus(shown.status.value)
        row["objections_status"] = FigureStatus(shown.status.value)
        row["_basis_eval"] = [n_eval, finalised[opd_id], filed[opd_id], decided[opd_id]]
        if shown.status is PublishStatus.OK:
            small = thresholds.small_count_max
            row.update(eval_n=n_eval, eval_final_rate=safe_rate(finalised[opd_id], n_eval, small))
            row["objections_filed"] = small_count(filed[opd_id], thresholds)
            if row["objections_filed"] is not None:
                row["objections_decided"] = small_count(decided[opd_id], thresholds)
        if n == 0 and n_eval == 0:
            continue  # an OPD without staff (e.g. a placeholder) is not listed
        rows.append(row)
    return rows
