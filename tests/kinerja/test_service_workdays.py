"""Working days with the city's own days off, and the overdue flag (docs/spec/product.md §4)."""

from datetime import UTC, date, datetime

import holidays
import pytest

from kinerja.clock import WIB
from kinerja.models.service import CityDayOff
from kinerja.queries.service_figures import calendar, is_overdue
from kinerja.scoring import working_days_between
from tests.builders import make_unit
from tests.builders_service import make_request, make_service_type, wib


def aware(*args) -> datetime:
    return datetime(*args, tzinfo=WIB).astimezone(UTC)


def test_library_knows_the_dates_used_here():
    table = holidays.country_holidays("ID", years=2026, language="id")
    assert "Kemerdekaan" in table[date(2026, 8, 17)]  # a Monday
    assert "Maulid" in table[date(2026, 8, 25)]  # a Tuesday
    assert "Natal" in table[date(2026, 12, 25)]  # a Friday
    assert date(2026, 8, 18) not in table


@pytest.mark.parametrize(
    ("received", "completed", "without", "with_city_day"),
    [
        # Fri 14 Aug → Wed 19 Aug: weekend, Mon 17 national holiday, Tue 18 city day off
        (aware(2026, 8, 14, 9), aware(2026, 8, 19, 9), 2, 1),
        # Mon 24 Aug → Wed 26 Aug: Tue 25 is Maulid Nabi → 1 either way
        (aware(2026, 8, 24, 9), aware(2026, 8, 26, 9), 1, 1),
        # Thu 24 Dec → Mon 28 Dec: Christmas Friday and the weekend → 1
        (aware(2026, 12, 24, 9), aware(2026, 12, 28, 9), 1, 1),
        # Mon 17 Aug (holiday) → Tue 18 Aug: completed on the city day off → 0 with it
        (aware(2026, 8, 17, 9), aware(2026, 8, 18, 9), 1, 0),
        # same day, late evening WIB (already the next day in no timezone that matters)
        (aware(2026, 8, 19, 8), aware(2026, 8, 19, 23, 30), 0, 0),
    ],
)
def test_working_days_with_a_city_day_off(app, received, completed, without, with_city_day):
    assert working_days_between(received, completed, calendar()) == without
    CityDayOff.create(date=date(2026, 8, 18), name="Hari jadi kota (uji)")
    assert working_days_between(received, completed, calendar()) == with_city_day


def test_overdue_in_working_days(app):
    unit = make_unit()
    ktp = make_service_type(unit, "Penerbitan KTP-el", value=1)
    request = make_request(ktp, wib(2026, 8, 14, 9))  # Friday
    cal = calendar()
    # Monday 17 is a holiday: still within one working day on Tuesday 18
    assert not is_overdue(request, ktp, wib(2026, 8, 18, 15), cal)
    assert is_overdue(request, ktp, wib(2026, 8, 19, 8), cal)
    CityDayOff.create(date=date(2026, 8, 18), name="Libur kota")
    cal = calendar()
    assert not is_overdue(request, ktp, wib(2026, 8, 19, 8), cal)
    assert is_overdue(request, ktp, wib(2026, 8, 20, 8), cal)


def test_overdue_in_minutes(app):
    unit = make_unit()
    domisili = make_service_type(unit, "Surat keterangan domisili", value=30, standard_unit="MENIT")
    request = make_request(domisili, wib(2026, 11, 2, 9, 0))
    cal = calendar()
    assert not is_overdue(request, domisili, wib(2026, 11, 2, 9, 30), cal)
    assert is_overdue(request, domisili, wib(2026, 11, 2, 9, 31), cal)
