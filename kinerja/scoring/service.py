"""Service figures and the work calendar: durations, on-time and rework rates.

docs/spec/product.md §4.
"""

import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from kinerja.enums import LabelledEnum
from kinerja.formatting import round_half_up
from kinerja.scoring.exact import percent_of

WIB = ZoneInfo("Asia/Jakarta")


# --- Service standards (docs/spec/product.md §4) --------------------------------------------------


class StandardUnit(LabelledEnum):
    """Unit of a service standard's completion time."""

    HARI_KERJA = "HARI_KERJA", "hari kerja"
    MENIT = "MENIT", "menit"


@dataclass(frozen=True)
class ServiceStandard:
    """Standard completion time of a jenis layanan, from the unit's Standar Pelayanan."""

    value: int
    unit: StandardUnit

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", StandardUnit(self.unit))
        if isinstance(self.value, bool) or not isinstance(self.value, int) or self.value < 0:
            raise ValueError("standar waktu harus bilangan bulat tidak negatif")


@dataclass(frozen=True)
class WorkCalendar:
    """Working days in WIB: Monday–Friday minus Indonesian public holidays and extra days off.

    Holidays come from the ``holidays`` package (category "public"). ``include_cuti_bersama``
    also takes the library's cuti bersama (category "government"); it is off by default,
    and a city adds its own days off (cuti bersama included, if it closes) as data.
    """

    extra_days_off: frozenset[date] = frozenset()
    include_cuti_bersama: bool = False
    _years: dict[int, Mapping[date, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra_days_off", frozenset(self.extra_days_off))

    def holidays_in(self, year: int) -> Mapping[date, str]:
        """The year's national days off (date → Indonesian name), cached per year."""
        with self._lock:
            if year not in self._years:
                categories = ("public", "government") if self.include_cuti_bersama else "public"
                table = holidays.country_holidays(
                    "ID", years=year, language="id", categories=categories
                )
                self._years[year] = MappingProxyType(dict(table))
            return self._years[year]

    def is_working_day(self, day: date) -> bool:
        """Whether the day is a working day."""
        return (
            day.weekday() < 5
            and day not in self.extra_days_off
            and day not in self.holidays_in(day.year)
        )


def _wib_date(moment: datetime, what: str) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} harus datetime dengan zona waktu (UTC)")
    return moment.astimezone(WIB).date()


def working_days_between(received: datetime, completed: datetime, calendar: WorkCalendar) -> int:
    """Working days after the received day up to and including the completed day (WIB).

    Completed on the day received → 0; received on a non-working day and completed on the
    next working day → 1. Dates are taken in WIB (Asia/Jakarta). docs/spec/product.md §4.
    """
    start, end = _wib_date(received, "waktu terima"), _wib_date(completed, "waktu selesai")
    if completed < received:
        raise ValueError("waktu selesai tidak boleh sebelum waktu terima")
    days = (end - start).days
    return sum(calendar.is_working_day(start + timedelta(days=i)) for i in range(1, days + 1))


def duration_minutes(received: datetime, completed: datetime) -> int:
    """Whole minutes from received to completed, rounded down (docs/spec/product.md §4)."""
    _wib_date(received, "waktu terima")
    _wib_date(completed, "waktu selesai")
    if completed < received:
        raise ValueError("waktu selesai tidak boleh sebelum waktu terima")
    return int((completed - received).total_seconds() // 60)


@dataclass(frozen=True)
class RequestRecord:
    """One service request (permohonan); ``completed`` None while it is still open."""

    received: datetime
    completed: datetime | None
    rework: bool
    standard: ServiceStandard


@dataclass(frozen=True)
class ServiceFigures:
    """Service-standard figures over completed requests (docs/spec/product.md §4).

    ``median`` and ``p90`` are in ``unit``; both None when the completed requests mix
    standards in different units (days and minutes cannot be pooled).
    """

    n_received: int
    n_completed: int
    n_open: int
    n_on_time: int
    on_time_rate: Decimal | None  # percent, two decimals half-up
    unit: StandardUnit | None
    median: int | None
    p90: int | None
    n_rework: int
    rework_rate: Decimal | None  # percent of completed requests, two decimals half-up


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """Nearest-rank percentile, the value at rank ⌈percent/100 × n⌉ (docs/spec/product.md §4)."""
    if not values:
        return None
    if not 0 < percent <= 100:
        raise ValueError("persentil harus di antara 0 (tidak termasuk) dan 100")
    rank = math.ceil(Fraction(percent * len(values), 100))
    return sorted(values)[rank - 1]


def request_duration(record: RequestRecord, calendar: WorkCalendar) -> int | None:
    """A completed request's duration in its standard's unit; None while open (§4)."""
    if record.completed is None:
        return None
    if record.standard.unit is StandardUnit.HARI_KERJA:
        return working_days_between(record.received, record.completed, calendar)
    return duration_minutes(record.received, record.completed)


def service_figures(records: Iterable[RequestRecord], calendar: WorkCalendar) -> ServiceFigures:
    """On-time rate, median and p90 (nearest rank) and rework rate (docs/spec/product.md §4).

    All rates are over completed requests: on time means duration ≤ the request's own
    standard; rework means it was returned for rework at least once. Open requests are
    counted in ``n_open`` only.
    """
    records = list(records)
    done = [(r, request_duration(r, calendar)) for r in records if r.completed is not None]
    n = len(done)
    on_time = sum(1 for record, duration in done if duration <= record.standard.value)
    rework = sum(1 for record, _ in done if record.rework)
    units = {record.standard.unit for record, _ in done}
    unit = units.pop() if len(units) == 1 else None
    durations = [duration for _, duration in done] if unit else []
    return ServiceFigures(
        n_received=len(records),
        n_completed=n,
        n_open=len(records) - n,
        n_on_time=on_time,
        on_time_rate=round_half_up(percent_of(on_time, n)) if n else None,
        unit=unit,
        median=nearest_rank(durations, 50),
        p90=nearest_rank(durations, 90),
        n_rework=rework,
        rework_rate=round_half_up(percent_of(rework, n)) if n else None,
    )
