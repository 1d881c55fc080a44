"""Process figures per OPD for the public snapshot (docs/spec/product.md §6).

Active employees with an SKP of the year approved by the year's SKP deadline; evaluations
of the period finalised; objections filed and decided. Counted in SQL per unit, summed per
OPD; shown through :mod:`kinerja.anonymise` (n ≥ public_min_n, rates that would give back
a few cases withheld, objection counts 1–4 hidden).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from peewee import fn

from kinerja.anonymise import (
    PublishStatus,
    Thresholds,
    publish_aggregate,
    safe_rate,
    small_count,
)
from kinerja.enums import PeriodKind
from kinerja.models.evaluation import Evaluation, Objection
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.models.public import FigureStatus
from kinerja.models.skp import Skp
from kinerja.scoring.exact import percent_of
from kinerja.services.publish_sources import (
    FINAL_STATUSES,
    UnitTree,
    utc_bounds,
)

# --- publishing ----------------------------------------------------------------------------


@dataclass
class _ProcessCounts:
    """Per OPD id: active staff, SKP approved by the deadline, evaluations, objections."""

    deadline: date | None
    employees: dict[int, int]
    approved: dict[int, int]
    evaluations: dict[int, int]
    finalised: dict[int, int]
    filed: dict[int, int]
    decided: dict[int, int]


def process_rows(period: Period, tree: UnitTree, thresholds: Thresholds) -> list[dict]:
    """SKP approved by the deadline, evaluations finalised, objections, per OPD."""
    counts = _process_counts(period, tree)
    tops = [uid for uid in tree.order if tree.opd[uid] == uid]
    rows = [
        _process_row(tree.units[opd_id], position, counts, thresholds)
        for position, opd_id in enumerate(tops)
    ]
    return [row for row in rows if row is not None]


def _process_counts(period: Period, tree: UnitTree) -> _ProcessCounts:
    """The counts behind the process figures, summed per OPD (GROUP BY unit in SQL)."""
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
        _, hi = utc_bounds(deadline, deadline)
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
    return _ProcessCounts(deadline, employees, approved, evaluations, finalised, filed, decided)


def _process_row(unit, position: int, c: _ProcessCounts, thresholds: Thresholds) -> dict | None:
    """One OPD's process figures; None for an OPD without staff (e.g. a placeholder)."""
    opd_id, small = unit.id, thresholds.small_count_max
    row = {"opd_code": unit.code, "opd_name": unit.name, "position": position}
    n = c.employees[opd_id]
    rate = percent_of(c.approved[opd_id], n) if n and c.deadline is not None else None
    skp = publish_aggregate(n if c.deadline is not None else 0, rate, thresholds)
    row["skp_status"] = FigureStatus(skp.status.value)
    row["_basis_skp"] = [n, c.approved[opd_id]]
    if skp.status is PublishStatus.OK:
        row.update(skp_n=n, skp_on_time_rate=safe_rate(c.approved[opd_id], n, small))
    n_eval = c.evaluations[opd_id]
    rate = percent_of(c.finalised[opd_id], n_eval) if n_eval else None
    shown = publish_aggregate(n_eval, rate, thresholds)
    row["eval_status"] = FigureStatus(shown.status.value)
    row["objections_status"] = FigureStatus(shown.status.value)
    row["_basis_eval"] = [n_eval, c.finalised[opd_id], c.filed[opd_id], c.decided[opd_id]]
    if shown.status is PublishStatus.OK:
        row.update(eval_n=n_eval, eval_final_rate=safe_rate(c.finalised[opd_id], n_eval, small))
        row["objections_filed"] = small_count(c.filed[opd_id], thresholds)
        if row["objections_filed"] is not None:
            row["objections_decided"] = small_count(c.decided[opd_id], thresholds)
    if n == 0 and n_eval == 0:
        return None
    return row
