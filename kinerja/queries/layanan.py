"""Read models of the service standards (docs/spec/product.md §4): the catalogue, the
units where an employee serves, the open requests at the counter, and the figures behind a
linked SKP indicator. No writes.
"""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from kinerja.clock import today_wib, utcnow
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.service import (
    ServiceRequest,
    ServiceType,
)
from kinerja.models.skp import Indicator, Realisation
from kinerja.permissions.service import (
    own_unit_chain_ids,
    skp_of,
)
from kinerja.queries.service_figures import (
    LinkedFigure,
    calendar,
    employee_figures,
    figure_value,
    is_overdue,
    utc_bounds,
)


def catalogue(unit_id: int | None = None, active_only: bool = False) -> list[ServiceType]:
    """Service types with their units, by unit then name."""
    query = ServiceType.select(ServiceType, Unit).join(Unit)
    if unit_id is not None:
        query = query.where(ServiceType.unit == unit_id)
    if active_only:
        query = query.where(ServiceType.active)
    return list(query.order_by(Unit.name, ServiceType.name))


def service_units_for(employee: Employee) -> list[Unit]:
    """Units with an active catalogue where the employee is staff, nearest first."""
    chain = own_unit_chain_ids(employee)
    with_types = {
        row.unit_id
        for row in ServiceType.select(ServiceType.unit)
        .where(ServiceType.unit.in_(chain) & ServiceType.active)
        .distinct()
    }
    units = {u.id: u for u in Unit.select().where(Unit.id.in_(list(with_types)))}
    return [units[i] for i in chain if i in units]


@dataclass(frozen=True)
class OpenRequest:
    """An open request at the counter, with whether it is past its standard time."""

    request: ServiceRequest
    service_type: ServiceType
    overdue: bool


def open_requests(unit_id: int, now: datetime | None = None) -> list[OpenRequest]:
    """The unit's open requests, oldest first, each flagged when overdue."""
    moment = now or utcnow()
    cal = calendar()
    rows = (
        ServiceRequest.select(ServiceRequest, ServiceType)
        .join(ServiceType)
        .where((ServiceRequest.unit == unit_id) & ServiceRequest.completed_at.is_null())
        .order_by(ServiceRequest.received_at, ServiceRequest.id)
    )
    return [
        OpenRequest(row, row.service_type, is_overdue(row, row.service_type, moment, cal))
        for row in rows
    ]


def completed_today(unit_id: int, employee_id: int) -> int:
    """How many of the unit's requests this employee completed today (WIB)."""
    today = today_wib()
    lo, hi = utc_bounds(today, today)
    return (
        ServiceRequest.select()
        .where(
            (ServiceRequest.unit == unit_id)
            & (ServiceRequest.handler == employee_id)
            & (ServiceRequest.completed_at >= lo)
            & (ServiceRequest.completed_at < hi)
        )
        .count()
    )


@dataclass(frozen=True)
class LinkedDetail:
    """The numbers behind an automatic realisation (stored as ``auto_detail`` JSON)."""

    figure: str
    figure_label: str
    service_type_id: int
    service_type: str
    standard: str
    start: str
    end: str
    n: int
    on_time: int
    late: int
    rework: int
    on_time_rate: str | None
    rework_rate: str | None
    median: int | None
    p90: int | None
    duration_unit: str | None
    value: str | None

    def to_json(self) -> str:
        """The detail as JSON text."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def parse_detail(text: str) -> dict:
    """``auto_detail`` JSON as a dict (empty when absent or unreadable)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def linked_realisation_detail(indicator: Indicator, period: Period) -> LinkedDetail | None:
    """The figure of a linked indicator in a period, from the requests its owner completed
    in the period (None when the indicator is not linked)."""
    if not indicator.linked_service_type_id or not indicator.linked_figure:
        return None
    service_type = ServiceType.get_or_none(ServiceType.id == indicator.linked_service_type_id)
    if service_type is None:
        return None
    try:
        figure = LinkedFigure(indicator.linked_figure)
    except ValueError:
        return None
    employee_id = skp_of(indicator).employee_id
    table = employee_figures(employee_id, period.start, period.end, service_type.id)
    figures = table.total
    value = figure_value(figures, figure)
    return LinkedDetail(
        figure=figure.value,
        figure_label=figure.label,
        service_type_id=service_type.id,
        service_type=service_type.name,
        standard=service_type.standard_label,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        n=figures.n_completed,
        on_time=figures.n_on_time,
        late=figures.n_completed - figures.n_on_time,
        rework=figures.n_rework,
        on_time_rate=str(figures.on_time_rate) if figures.on_time_rate is not None else None,
        rework_rate=str(figures.rework_rate) if figures.rework_rate is not None else None,
        median=figures.median,
        p90=figures.p90,
        duration_unit=figures.unit.label if figures.unit else None,
        value=str(value) if value is not None else None,
    )


def linkable_service_types(employee: Employee) -> list[ServiceType]:
    """Active service types of the units where the employee is staff."""
    chain = own_unit_chain_ids(employee)
    return list(
        ServiceType.select(ServiceType, Unit)
        .join(Unit)
        .where(ServiceType.unit.in_(chain) & ServiceType.active)
        .order_by(Unit.name, ServiceType.name)
    )


def periods_of_indicator(indicator: Indicator) -> list[Period]:
    """The periods of the indicator's SKP year, in order."""
    year = skp_of(indicator).year
    return list(Period.select().where(Period.year == year).order_by(Period.start, Period.id))


@dataclass(frozen=True)
class LinkedRow:
    """One period of a linked indicator: the stored realisation and the live figures."""

    period: Period
    realisation: Realisation | None
    detail: LinkedDetail | None


def linked_realisation_rows(indicator: Indicator, today: date | None = None) -> list[LinkedRow]:
    """Per period that has started: the stored realisation and the numbers behind it
    (what ``templates/staff/service/_linked_indicator.html`` shows)."""
    today = today or today_wib()
    return [
        LinkedRow(
            period,
            realisation_of(indicator.id, period.id),
            linked_realisation_detail(indicator, period),
        )
        for period in periods_of_indicator(indicator)
        if period.start <= today
    ]


def realisation_of(indicator_id: int, period_id: int) -> Realisation | None:
    """The stored realisation of an indicator in a period, if any."""
    return Realisation.get_or_none(
        (Realisation.indicator == indicator_id) & (Realisation.period == period_id)
    )


def employees_by_id(ids: Iterable[int]) -> dict[int, Employee]:
    """Employees by id (one query)."""
    ids = list(set(ids))
    if not ids:
        return {}
    return {e.id: e for e in Employee.select().where(Employee.id.in_(ids))}


def completed_request_in(unit_id: int, request_id: int) -> ServiceRequest | None:
    """A completed request of this unit (the one a receipt may be offered for)."""
    return ServiceRequest.get_or_none(
        (ServiceRequest.id == request_id)
        & (ServiceRequest.unit == unit_id)
        & ServiceRequest.completed_at.is_null(False)
    )


def service_type_in(unit_id: int, service_type_id: int) -> ServiceType | None:
    """A jenis layanan of this unit's catalogue, if it is one."""
    return ServiceType.get_or_none(
        (ServiceType.id == service_type_id) & (ServiceType.unit == unit_id)
    )


def linked_service_type(indicator: Indicator) -> ServiceType | None:
    """The jenis layanan an indicator is linked to, if any."""
    if not indicator.linked_service_type_id:
        return None
    return ServiceType.get_or_none(ServiceType.id == indicator.linked_service_type_id)
