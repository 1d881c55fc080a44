"""Service-standard figures over any date range (docs/spec/product.md §4).

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
from kinerja.db import database
from kinerja.enums import Direction, LabelledEnum
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
from kinerja.statements import statement

_CALENDARS: dict[frozenset, WorkCalendar] = {}
_NATIONAL = WorkCalendar()  # stands in where no working day is counted


class LinkedFigure(LabelledEnum):
    """The figure an SKP indicator takes from service data."""

    ON_TIME_RATE = "ON_TIME_RATE", "Persentase selesai tepat waktu (%)"
    COUNT_COMPLETED = "COUNT_COMPLETED", "Jumlah permohonan diselesaikan"
    MEDIAN_DURATION = "MEDIAN_DURATION", "Median waktu penyelesaian"
    REWORK_RATE = "REWORK_RATE", "Persentase dikembalikan untuk perbaikan (%)"


FIGURE_DIRECTION = {
    LinkedFigure.ON_TIME_RATE: Direction.HIGHER_BETTER,
    LinkedFigure.COUNT_COMPLETED: Direction.HIGHER_BETTER,
    LinkedFigure.MEDIAN_DURATION: Direction.LOWER_BETTER,
    LinkedFigure.REWORK_RATE: Direction.LOWER_BETTER,
}
"""The arah an indicator fed by each figure must have (the arah decides the capaian)."""


@statement
def _days_off():
    return CityDayOff.select(CityDayOff.date).tuples()


def calendar() -> WorkCalendar:
    """The working-day calendar: national holidays plus the city's days off."""
    days = frozenset(day for (day,) in _days_off.cursor())
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


@dataclass(frozen=True)
class Row:
    """The columns of a request that the figures need (fetched without model objects)."""

    unit_id: int
    service_type_id: int
    handler_id: int | None
    received: datetime  # aware UTC
    completed: datetime | None  # aware UTC
    rework: bool


def _moment(value) -> datetime | None:
    # SQLite hands back text; parsing it here is much faster than the ORM's strptime.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_ROW_COLUMNS = (
    ServiceRequest.unit,
    ServiceRequest.service_type,
    ServiceRequest.handler,
    ServiceRequest.received_at,
    ServiceRequest.completed_at,
    ServiceRequest.rework,
)


def _rows(values) -> list[Row]:
    return [
        Row(unit, service_type, handler, _moment(received), _moment(completed), bool(rework))
        for unit, service_type, handler, received, completed, rework in values
    ]


def fetch_rows(where) -> list[Row]:
    """The requests matching ``where``, in one query, as plain rows."""
    return _rows(database.execute(ServiceRequest.select(*_ROW_COLUMNS).where(where)))


@statement
def _completed_by(handler_id, lo, hi):
    # The values as the driver gives them (not coerced by the fields): _moment reads them.
    return (
        ServiceRequest.select(*(column.coerce(False) for column in _ROW_COLUMNS))
        .where(
            (ServiceRequest.handler == handler_id)
            & (ServiceRequest.completed_at >= lo)
            & (ServiceRequest.completed_at < hi)
        )
        .tuples()
    )


def _types(ids) -> dict[int, ServiceType]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {t.id: t for t in ServiceType.select().where(ServiceType.id.in_(ids))}


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


def _table(
    rows: list[Row],
    start: date,
    end: date,
    cal: WorkCalendar,
    types: Iterable[ServiceType] = (),
) -> FigureTable:
    known = {t.id: t for t in types}
    missing = {r.service_type_id for r in rows} - set(known)
    known.update(_types(missing))
    standards = {i: t.standard for i, t in known.items()}
    by_type: dict[int, list[RequestRecord]] = defaultdict(list)
    for r in rows:
        by_type[r.service_type_id].append(
            RequestRecord(r.received, r.completed, r.rework, standards[r.service_type_id])
        )
    table_rows = [
        TypeFigures(t, service_figures(by_type.get(t.id, []), cal))
        for t in sorted(known.values(), key=lambda t: (t.name.lower(), t.id))
    ]
    every = [rec for recs in by_type.values() for rec in recs]
    return FigureTable(start, end, table_rows, service_figures(every, cal))


def unit_figures(unit_id: int, start: date, end: date) -> FigureTable:
    """Figures of one unit's service types over requests received in the range."""
    lo, hi = utc_bounds(start, end)
    rows = fetch_rows(
        (ServiceRequest.unit == unit_id)
        & (ServiceRequest.received_at >= lo)
        & (ServiceRequest.received_at < hi)
    )
    types = ServiceType.select().where(ServiceType.unit == unit_id)
    return _table(rows, start, end, calendar(), types)


def figures_by_unit(start: date, end: date) -> dict[int, FigureTable]:
    """Every unit's figures over requests received in the range, from one query."""
    lo, hi = utc_bounds(start, end)
    rows = fetch_rows((ServiceRequest.received_at >= lo) & (ServiceRequest.received_at < hi))
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.unit_id].append(row)
    types = _types(r.service_type_id for r in rows)
    cal = calendar()
    return {
        unit_id: _table(
            unit_rows, start, end, cal, [types[i] for i in {r.service_type_id for r in unit_rows}]
        )
        for unit_id, unit_rows in grouped.items()
    }


def employee_figures(
    employee_id: int, start: date, end: date, service_type_id: int | None = None
) -> FigureTable:
    """Figures of the requests one employee completed in the range (internal only)."""
    lo, hi = utc_bounds(start, end)
    if service_type_id is None:
        rows = _rows(_completed_by.cursor(employee_id, lo, hi))
    else:
        rows = fetch_rows(
            (ServiceRequest.handler == employee_id)
            & (ServiceRequest.completed_at >= lo)
            & (ServiceRequest.completed_at < hi)
            & (ServiceRequest.service_type == service_type_id)
        )
    # Nothing completed, no duration to count in working days: the days off are not read.
    return _table(rows, start, end, calendar() if rows else _NATIONAL)


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
