"""Service-standard figures over any date range (product.md §4).

Rows are fetched once per question (one query, joined with the service type) and the
figures computed in Python by :func:`kinerja.scoring.service_figures`, so per-unit figures
can later be precomputed from the same rows.

Which requests belong to a range:
- per unit and per service type: requests **received** in the range (WIB dates, inclusive);
  requests still open are counted as open;
- per employee: requests the employee **completed** in the range (the handler is known only
  once a request is completed).

Working days use :class:`kinerja.scoring.WorkCalendar` (Indonesian public holidays) plus the
city's own days off (:class:`kinerja.models.service.CityDayOff`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from kinerja.clock import WIB, as_aware_utc, utcnow
from kinerja.enums import LabelledEnum
from kinerja.models.service import CityDayOff, ServiceRequest, ServiceType
from kinerja.scoring import (
    RequestRecord,
    ServiceFigures,
    StandardUnit,
    WorkCalendar,
    duration_minutes,
    service_figures,
    working_days_between,
)

_CALENDARS: dict[frozenset, WorkCalendar] = {}


class LinkedFigure(LabelledEnum):
    """The figure an SKP indicator takes from service data."""

    ON_TIME_RATE = "ON_TIME_RATE", "Persentase selesai tepat waktu (%)"
    COUNT_COMPLETED = "COUNT_COMPLETED", "Jumlah permohonan diselesaikan"
    MEDIAN_DURATION = "MEDIAN_DURATION", "Median waktu penyelesaian"
    REWORK_RATE = "REWORK_RATE", "Persentase dikembalikan untuk perbaikan (%)"


def calendar() -> WorkCalendar:
    """The working-day calendar: national holidays plus the city's days off."""
    days = frozenset(row.date for row in CityDayOff.select(CityDayOff.date))
    found = _CALENDARS.get(days)
    if found is None:
        if len(_CALENDARS) > 16:
            _CALENDARS.clear()
        found = _CALENDARS[days] = WorkCalendar(extra_days_off=days)
    return found


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Naive-UTC [lo, hi) covering the WIB dates ``start``..``end`` inclusive."""
    lo = datetime.combine(start, time(0), tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=WIB)
    return lo, hi.astimezone(UTC).replace(tzinfo=None)


def record_of(row: ServiceRequest, service_type: ServiceType) -> RequestRecord:
    """A stored request as the scoring core's record."""
    return RequestRecord(
        received=as_aware_utc(row.received_at),
        completed=as_aware_utc(row.completed_at) if row.completed_at else None,
        rework=bool(row.rework),
        standard=service_type.standard,
    )


def is_overdue(
    row: ServiceRequest, service_type: ServiceType, now: datetime, cal: WorkCalendar
) -> bool:
    """Whether an open request has already passed its standard time at ``now`` (naive UTC)."""
    received, moment = as_aware_utc(row.received_at), as_aware_utc(now)
    if moment < received:
        return False
    if service_type.standard_unit == StandardUnit.HARI_KERJA:
        return working_days_between(received, moment, cal) > service_type.standard_value
    return duration_minutes(received, moment) > service_type.standard_value


@dataclass(frozen=True)
class TypeFigures:
    """Figures of one service type."""

    service_type: ServiceType
    figures: ServiceFigures


@dataclass(frozen=True)
class FigureTable:
    """Figures per service type and over all of them, for one range."""

    start: date
    end: date
    rows: list[TypeFigures]
    total: ServiceFigures


def _rows(query) -> list[tuple[ServiceRequest, ServiceType]]:
    return [(r, r.service_type) for r in query]


def _table(
    pairs: list[tuple[ServiceRequest, ServiceType]],
    start: date,
    end: date,
    cal: WorkCalendar,
    types: Iterable[ServiceType] = (),
) -> FigureTable:
    by_type: dict[int, list[RequestRecord]] = defaultdict(list)
    known = {t.id: t for t in types}
    for row, service_type in pairs:
        known.setdefault(service_type.id, service_type)
        by_type[service_type.id].append(record_of(row, service_type))
    rows = [
        TypeFigures(t, service_figures(by_type.get(t.id, []), cal))
        for t in sorted(known.values(), key=lambda t: (t.name.lower(), t.id))
    ]
    every = [rec for recs in by_type.values() for rec in recs]
    return FigureTable(start, end, rows, service_figures(every, cal))


def _base():
    return ServiceRequest.select(ServiceRequest, ServiceType).join(ServiceType)


def unit_figures(unit_id: int, start: date, end: date) -> FigureTable:
    """Figures of one unit's service types over requests received in the range."""
    lo, hi = utc_bounds(start, end)
    query = _base().where(
        (ServiceRequest.unit == unit_id)
        & (ServiceRequest.received_at >= lo)
        & (ServiceRequest.received_at < hi)
    )
    types = ServiceType.select().where(ServiceType.unit == unit_id)
    return _table(_rows(query), start, end, calendar(), types)


def figures_by_unit(start: date, end: date) -> dict[int, FigureTable]:
    """Every unit's figures over requests received in the range, from one query."""
    lo, hi = utc_bounds(start, end)
    query = _base().where((ServiceRequest.received_at >= lo) & (ServiceRequest.received_at < hi))
    grouped: dict[int, list] = defaultdict(list)
    for row in query:
        grouped[row.unit_id].append((row, row.service_type))
    cal = calendar()
    return {unit_id: _table(pairs, start, end, cal) for unit_id, pairs in grouped.items()}


def employee_figures(
    employee_id: int, start: date, end: date, service_type_id: int | None = None
) -> FigureTable:
    """Figures of the requests one employee completed in the range (internal only)."""
    lo, hi = utc_bounds(start, end)
    where = (
        (ServiceRequest.handler == employee_id)
        & (ServiceRequest.completed_at >= lo)
        & (ServiceRequest.completed_at < hi)
    )
    if service_type_id is not None:
        where &= ServiceRequest.service_type == service_type_id
    return _table(_rows(_base().where(where)), start, end, calendar())


def figure_value(figures: ServiceFigures, figure: LinkedFigure) -> Decimal | None:
    """The value of one linked figure (None when there is nothing to measure)."""
    figure = LinkedFigure(figure)
    if figure is LinkedFigure.COUNT_COMPLETED:
        return Decimal(figures.n_completed)
    if figure is LinkedFigure.ON_TIME_RATE:
        return figures.on_time_rate
    if figure is LinkedFigure.REWORK_RATE:
        return figures.rework_rate
    return Decimal(figures.median) if figures.median is not None else None


def now_utc() -> datetime:
    """The current naive-UTC time (a seam for tests)."""
    return utcnow()
