"""Periods as pages read them: the annual period of a year, its quarters or months, the
open ones and the one a page shows by default (docs/spec/product.md §3).
"""

from datetime import date

from kinerja.clock import today_wib
from kinerja.enums import PeriodKind, PeriodStatus
from kinerja.models.period import Period
from kinerja.statements import statement


def annual_period(year: int) -> Period | None:
    """The annual period of ``year`` (it carries the SKP deadline)."""
    return _annual.first(year)


@statement
def _annual(year):
    return (
        Period.select()
        .where((Period.year == year) & (Period.kind == PeriodKind.TAHUNAN) & (Period.number == 0))
        .limit(1)
    )


def periodic(year: int) -> list[Period]:
    """The quarters or months of ``year``, in order."""
    return _periodic.rows(year)


@statement
def _periodic(year):
    return (
        Period.select()
        .where((Period.year == year) & (Period.kind != PeriodKind.TAHUNAN))
        .order_by(Period.number)
    )


def year_periods(year: int) -> tuple[Period | None, list[Period]]:
    """The annual period of ``year`` and its quarters or months in order, in one read of
    the columns a list of them shows (as ``annual_period`` and ``periodic``; the deadlines
    of self-assessment and rating, the frozen settings and the times are not read)."""
    annual, periods = None, []
    for period in _year_periods.cursor(year):
        if period.kind == PeriodKind.TAHUNAN:
            if period.number == 0:
                annual = period
        else:
            periods.append(period)
    return annual, periods


@statement
def _year_periods(year):
    return (
        Period.select(
            Period.id,
            Period.year,
            Period.kind,
            Period.number,
            Period.name,
            Period.start,
            Period.end,
            Period.status,
            Period.skp_deadline,
            Period.realisation_deadline,
        )
        .where(Period.year == year)
        .order_by(Period.number, Period.id)
    )


def _open_query():
    return Period.select().where(
        (Period.status == PeriodStatus.DIBUKA) & (Period.kind != PeriodKind.TAHUNAN)
    )


def open_periods(year: int | None = None) -> list[Period]:
    """Periods (not annual) currently open, oldest first."""
    if year is not None:
        return _open_of_year.rows(year)
    return list(_open_query().order_by(Period.year, Period.number))


@statement
def _open_of_year(year):
    return _open_query().where(Period.year == year).order_by(Period.year, Period.number)


def find(year: int, number: int) -> Period | None:
    """A periodic (number ≥ 1) or the annual (number 0) period of ``year``."""
    if number == 0:
        return annual_period(year)
    return Period.get_or_none(
        (Period.year == year) & (Period.kind != PeriodKind.TAHUNAN) & (Period.number == number)
    )


def current_period(candidates=None, today: date | None = None) -> Period | None:
    """The period a page shows by default: among ``candidates`` (default: every period),
    the one containing today (the shortest if several, so a quarter before its year),
    else the latest that has started; never one that starts after today."""
    today = today or today_wib()
    if candidates is None:
        candidates = Period.select()
    started = [p for p in candidates if p.start <= today]
    if not started:
        return None
    containing = [p for p in started if p.end >= today]
    pool = containing or started
    return min(pool, key=lambda p: (-p.start.toordinal(), p.end, -p.id))


def period_by_id(period_id: int) -> Period | None:
    """A period, if it exists."""
    return _by_id.first(period_id)


@statement
def _by_id(period_id):
    return Period.select().where(Period.id == period_id).limit(1)
