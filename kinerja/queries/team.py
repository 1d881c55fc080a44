"""The supervisor's team table: one row per subordinate with the year's SKP status, the
latest realisation and what is late (docs/spec/product.md §2, docs/spec/regulation.md
§1–§2). Two statements whatever the team's size. No writes.
"""

from peewee import JOIN, fn

from kinerja.enums import PeriodStatus, SkpStatus
from kinerja.models.org import Employee, Unit
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from kinerja.org import supervised_query
from kinerja.permissions import Actor
from kinerja.queries.periods import year_periods
from kinerja.statements import statement


def team_overview(actor: Actor, year: int | None = None) -> list[dict]:
    """One row dict per subordinate: SKP status, latest realisation, what is late.

    Other areas add keys to these dicts (the table renders from them). ``employee`` and
    ``skp`` carry the columns the table shows (name, NIP, jabatan, unit; status, version,
    approval), not whole rows.
    """
    year = year or actor.day.year
    if not actor.supervised:
        return []
    # Each subordinate with the year's SKP (``skp_row``, absent without one) and its
    # indicator count; the subordinates are those of actor.supervised, as a subquery.
    employees = _team.rows(actor.employee_id, actor.day, year)
    skps = {e.id: e.skp_row for e in employees if getattr(e, "skp_row", None) is not None}
    annual, periods = year_periods(year)
    open_now = [p for p in periods if p.status == PeriodStatus.DIBUKA]
    indicator_counts = {e.skp_row.id: e.indicator_total for e in employees if e.id in skps}
    latest: dict[int, tuple] = {}
    filled_now: dict[int, int] = {}
    if skps:
        by_period = {p.id: p for p in periods}
        for skp_id, period_id, n, last in _team_realisations.cursor(
            actor.employee_id, actor.day, year, tuples=True
        ):
            period = by_period.get(period_id)
            if period is None:
                continue
            if skp_id not in latest or latest[skp_id][0].number < period.number:
                latest[skp_id] = (period, n, last)
            if any(p.id == period_id for p in open_now):
                filled_now[skp_id] = filled_now.get(skp_id, 0) + n
    today = actor.day
    rows = []
    for e in employees:
        skp = skps.get(e.id)
        status = SkpStatus(skp.status) if skp else None
        deadline = annual.skp_deadline if annual else None
        skp_late = bool(deadline and today > deadline and (skp is None or skp.approved_at is None))
        total = indicator_counts.get(skp.id, 0) if skp else 0
        due = [p for p in open_now if p.realisation_deadline and today > p.realisation_deadline]
        realisation_late = bool(
            skp and skp.approved_at and due and filled_now.get(skp.id, 0) < total
        )
        last = latest.get(skp.id) if skp else None
        rows.append(
            {
                "employee": e,
                "employee_id": e.id,
                "name": e.full_name,
                "nip": e.nip,
                "jabatan": e.jabatan,
                "unit": e.unit.display_name,
                "skp": skp,
                "skp_id": skp.id if skp else None,
                "skp_status": str(status) if status else None,
                "skp_status_label": (
                    (status.label + (" (revisi)" if skp.in_revision else ""))
                    if status
                    else "Belum ada"
                ),
                "skp_version": skp.version if skp else None,
                "waiting": status == SkpStatus.DIAJUKAN,
                "skp_deadline": deadline,
                "skp_late": skp_late,
                "latest_period": last[0].name if last else None,
                "latest_filled": last[1] if last else 0,
                "latest_at": last[2] if last else None,
                "indicator_total": total,
                "open_filled": filled_now.get(skp.id, 0) if skp else 0,
                "realisation_late": realisation_late,
                "late": skp_late or realisation_late,
            }
        )
    return rows


@statement
def _team(employee_id, day, year):
    indicators = Indicator.select(fn.COUNT(Indicator.id)).join(Rhk).where(Rhk.skp == Skp.id)
    return (
        Employee.select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.gelar_depan,
            Employee.gelar_belakang,
            Employee.jabatan,
            Employee.unit,
            Unit.id,
            Unit.name,
            Unit.short_name,
            Skp.id,
            Skp.employee,
            Skp.year,
            Skp.status,
            Skp.version,
            Skp.approved_at,
            Skp.in_revision,
            indicators.alias("indicator_total"),
        )
        .join(Unit)
        .switch(Employee)
        .join(
            Skp,
            JOIN.LEFT_OUTER,
            on=((Skp.employee == Employee.id) & (Skp.year == year)),
            attr="skp_row",
        )
        .where(Employee.id.in_(supervised_query(employee_id, day)))
        .order_by(Employee.name)
    )


@statement
def _team_realisations(employee_id, day, year):
    return (
        Realisation.select(
            Rhk.skp,
            Realisation.period,
            fn.COUNT(Realisation.id),
            fn.MAX(Realisation.updated_at),
        )
        .join(Indicator)
        .join(Rhk)
        .join(Skp)
        .where(
            Skp.employee.in_(supervised_query(employee_id, day))
            & (Skp.year == year)
            & (Realisation.value.is_null(False) | (Realisation.narrative != ""))
        )
        .group_by(Rhk.skp, Realisation.period)
    )
