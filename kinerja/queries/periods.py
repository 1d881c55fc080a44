"""Periods as pages read them: the annual period of a year, its quarters or months, the
open ones and the one a page shows by default (docs/spec/product.md §3).
"""

from datetime import date

from kinerja.clock import today_wib
from kinerja.enums import PeriodKind, PeriodStatus
from kinerja.models.period import Period


def annual_period(year: int) -> Period | None:
    """The annual period of ``year`` (it carries the SKP deadline)."""
    return Period.get_or_none(
        (Period.year == year) & (Period.kind == PeriodKind.TAHUNAN) & (Period.number == 0)
    )


def periodic(year: int) -> list[Period]:
    """The quarters or months of ``year``, in order."""
    return list(
        Period.select()
        .where((Period.year == year) & (Period.kind != PeriodKind.TAHUNAN))
        .order_by(Period.number)
    )


def open_periods(year: int | None = None) -> list[Period]:
    """Periods (not annual) currently open, oldest first."""
    query = Period.select().where(
        (Period.status == PeriodStatus.DIBUKA) & (Period.kind != PeriodKind.TAHUNAN)
    )
    if year is not None:
        query = query.where(Period.year == year)
    return list(query.order_by(Period.year, Period.number))


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
    return Period.get_or_none(Period.id == period_id)
