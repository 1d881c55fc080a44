"""Working days, durations and service-standard figures (docs/spec/product.md §4)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import holidays
import pytest

from kinerja.scoring import (
    WIB,
    RequestRecord,
    ServiceStandard,
    StandardUnit,
    WorkCalendar,
    duration_minutes,
    nearest_rank,
    request_duration,
    service_figures,
    working_days_between,
)

D = Decimal
HARI = StandardUnit.HARI_KERJA
MENIT = StandardUnit.MENIT


def wib(*args) -> datetime:
    """A WIB wall-clock time as the aware UTC datetime the code receives."""
    return datetime(*args, tzinfo=WIB).astimezone(UTC)


def library_days(year: int, name: str) -> list[date]:
    """The days the installed holidays package names ``name`` (Indonesian) in ``year``."""
    table = holidays.country_holidays("ID", years=year, language="id")
    return sorted(day for day, label in table.items() if name in label)


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar()


# --- the premises, from the installed library ---------------------------------------------


def test_library_knows_independence_day_2026_on_a_monday():
    [day] = library_days(2026, "Kemerdekaan")
    assert day == date(2026, 8, 17)
    assert day.weekday() == 0


def test_library_knows_idul_fitri_2025_on_monday_and_tuesday():
    days = library_days(2025, "Idul Fitri")
    assert days == [date(2025, 3, 31), date(2025, 4, 1)]
    assert [d.weekday() for d in days] == [0, 1]


# --- working days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "completed", "expected"),
    [
        # same day → 0
        (wib(2026, 8, 12, 8, 0), wib(2026, 8, 12, 15, 0), 0),
        # Wednesday → Thursday → 1
        (wib(2026, 8, 12, 8, 0), wib(2026, 8, 13, 8, 0), 1),
        # Friday → Monday across a weekend → 1
        (wib(2026, 8, 7, 15, 0), wib(2026, 8, 10, 9, 0), 1),
        # Friday 14 Aug → Tuesday 18 Aug: weekend and Independence Day → 1
        (wib(2026, 8, 14, 10, 0), wib(2026, 8, 18, 10, 0), 1),
        # Friday 14 Aug → Monday 17 Aug (a holiday): completed on a day off → 0
        (wib(2026, 8, 14, 10, 0), wib(2026, 8, 17, 10, 0), 0),
        # Received on Saturday, completed Monday → 1
        (wib(2026, 8, 8, 10, 0), wib(2026, 8, 10, 10, 0), 1),
        # Thursday 27 Mar 2025 → Wednesday 2 Apr 2025: Fri 28 counts, weekend, Idul Fitri
        # Mon 31 and Tue 1 do not, Wed 2 counts → 2
        (wib(2025, 3, 27, 9, 0), wib(2025, 4, 2, 9, 0), 2),
        # two full weeks without holidays → 10
        (wib(2026, 9, 7, 9, 0), wib(2026, 9, 21, 9, 0), 10),
    ],
)
def test_working_days_between(calendar, received, completed, expected):
    assert working_days_between(received, completed, calendar) == expected


def test_days_are_counted_in_wib_not_utc(calendar):
    # 13 Aug 18:00 UTC is 14 Aug 01:00 WIB: the same WIB day as completion → 0 (UTC would say 1)
    received = datetime(2026, 8, 13, 18, 0, tzinfo=UTC)
    completed = datetime(2026, 8, 14, 3, 0, tzinfo=UTC)
    assert working_days_between(received, completed, calendar) == 0


def test_extra_city_day_off_is_not_a_working_day():
    city_day_off = date(2026, 9, 9)  # a Wednesday, entered by the admin as data
    plain, city = WorkCalendar(), WorkCalendar(extra_days_off={city_day_off})
    received, completed = wib(2026, 9, 8, 9, 0), wib(2026, 9, 10, 9, 0)
    assert working_days_between(received, completed, plain) == 2
    assert working_days_between(received, completed, city) == 1
    assert not city.is_working_day(city_day_off)


def test_cuti_bersama_only_when_asked_for():
    joint = WorkCalendar(include_cuti_bersama=True)
    gov = holidays.country_holidays("ID", years=2025, categories="government")
    cuti = sorted(day for day in gov if day.weekday() < 5)
    assert cuti, "the library lists cuti bersama for 2025"
    assert WorkCalendar().is_working_day(cuti[0])
    assert not joint.is_working_day(cuti[0])


def test_holidays_in_names_the_day_in_indonesian(calendar):
    assert "Kemerdekaan" in calendar.holidays_in(2026)[date(2026, 8, 17)]


def test_times_must_be_aware_and_ordered(calendar):
    naive = datetime(2026, 8, 12, 8, 0)
    with pytest.raises(ValueError):
        working_days_between(naive, wib(2026, 8, 13, 8, 0), calendar)
    with pytest.raises(ValueError):
        working_days_between(wib(2026, 8, 13, 8, 0), wib(2026, 8, 12, 8, 0), calendar)
    with pytest.raises(ValueError):
        duration_minutes(wib(2026, 8, 13, 8, 0), wib(2026, 8, 13, 7, 59))


@pytest.mark.parametrize(
    ("received", "completed", "expected"),
    [
        (wib(2026, 8, 12, 8, 0), wib(2026, 8, 12, 8, 0), 0),
        (wib(2026, 8, 12, 8, 0), wib(2026, 8, 12, 8, 0, 59), 0),  # whole minutes, down
        (wib(2026, 8, 12, 8, 0), wib(2026, 8, 12, 8, 45, 30), 45),
        (wib(2026, 8, 12, 23, 50), wib(2026, 8, 13, 0, 20), 30),
    ],
)
def test_duration_minutes(received, completed, expected):
    assert duration_minutes(received, completed) == expected


# --- figures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [
        (list(range(1, 11)), 50, 5),
        (list(range(1, 11)), 90, 9),
        (list(range(1, 12)), 90, 10),  # rank ⌈9,9⌉ = 10
        ([7], 50, 7),
        ([7], 90, 7),
        ([3, 1, 2], 50, 2),
        ([1, 2], 50, 1),  # lower middle for an even count
        ([], 50, None),
    ],
)
def test_nearest_rank(values, percent, expected):
    assert nearest_rank(values, percent) == expected


def minutes_record(minutes, standard=30, rework=False, start=None):
    start = start or wib(2026, 8, 12, 8, 0)
    return RequestRecord(
        received=start,
        completed=start + timedelta(minutes=minutes),
        rework=rework,
        standard=ServiceStandard(standard, MENIT),
    )


def test_service_figures_in_minutes(calendar):
    records = [minutes_record(m, rework=(m == 40)) for m in (5, 10, 15, 20, 25, 30, 31, 40, 60, 90)]
    records.append(RequestRecord(wib(2026, 8, 12, 9, 0), None, False, ServiceStandard(30, MENIT)))
    figures = service_figures(records, calendar)
    assert (figures.n_received, figures.n_completed, figures.n_open) == (11, 10, 1)
    assert figures.n_on_time == 6
    assert figures.on_time_rate == D("60.00")
    assert figures.unit is MENIT
    assert (figures.median, figures.p90) == (25, 60)
    assert (figures.n_rework, figures.rework_rate) == (1, D("10.00"))


def test_service_figures_in_working_days(calendar):
    standard = ServiceStandard(1, HARI)
    records = [
        RequestRecord(wib(2026, 8, 12, 9, 0), wib(2026, 8, 12, 14, 0), False, standard),  # 0
        RequestRecord(wib(2026, 8, 14, 9, 0), wib(2026, 8, 18, 9, 0), False, standard),  # 1
        RequestRecord(wib(2026, 8, 10, 9, 0), wib(2026, 8, 13, 9, 0), True, standard),  # 3
    ]
    figures = service_figures(records, calendar)
    assert figures.on_time_rate == D("66.67")
    assert (figures.unit, figures.median, figures.p90) == (HARI, 1, 3)
    assert figures.rework_rate == D("33.33")
    assert request_duration(records[1], calendar) == 1


def test_service_figures_do_not_pool_days_and_minutes(calendar):
    records = [
        minutes_record(20),
        RequestRecord(
            wib(2026, 8, 12, 9, 0), wib(2026, 8, 12, 14, 0), False, ServiceStandard(1, HARI)
        ),
    ]
    figures = service_figures(records, calendar)
    assert figures.on_time_rate == D("100.00")
    assert (figures.unit, figures.median, figures.p90) == (None, None, None)


def test_service_figures_without_completed_requests(calendar):
    figures = service_figures([], calendar)
    assert (figures.n_completed, figures.on_time_rate, figures.rework_rate) == (0, None, None)
    assert figures.median is None


def test_service_standard_validates():
    with pytest.raises(ValueError):
        ServiceStandard(-1, MENIT)
    assert ServiceStandard(5, "HARI_KERJA").unit is HARI
