"""Service-standard figures per service type, unit and employee (docs/spec/product.md §4)."""

from datetime import date
from decimal import Decimal

from kinerja.queries.service_figures import (
    LinkedFigure,
    employee_figures,
    figure_value,
    figures_by_unit,
    unit_figures,
    utc_bounds,
)
from kinerja.scoring import StandardUnit
from tests.builders import make_employee, make_unit
from tests.builders_service import make_request, make_service_type, wib

D = Decimal


def _setup():
    unit = make_unit("Disdukcapil Uji")
    ana = make_employee("Ana", unit=unit)
    budi = make_employee("Budi", unit=unit)
    ktp = make_service_type(unit, "Penerbitan KTP-el", value=1)
    kk = make_service_type(unit, "Penerbitan Kartu Keluarga", value=1)
    # KTP-el in November 2026 (Mon 2 Nov .. Fri 6 Nov)
    make_request(ktp, wib(2026, 11, 2, 8), wib(2026, 11, 2, 10), handler=ana)  # 0 days
    make_request(ktp, wib(2026, 11, 2, 9), wib(2026, 11, 3, 9), handler=ana)  # 1 day
    make_request(ktp, wib(2026, 11, 2, 9), wib(2026, 11, 5, 9), handler=ana, rework=True)  # 3
    make_request(ktp, wib(2026, 11, 6, 9), wib(2026, 11, 9, 9), handler=budi)  # Fri→Mon 1
    make_request(ktp, wib(2026, 11, 6, 10))  # open
    make_request(kk, wib(2026, 11, 4, 9), wib(2026, 11, 4, 11), handler=budi)  # 0
    # outside the range: received 31 Oct 23:30 WIB (16:30 UTC)
    make_request(ktp, wib(2026, 10, 31, 23, 30), wib(2026, 11, 2, 8), handler=ana)
    return unit, ana, budi, ktp, kk


def test_utc_bounds_follow_wib_dates():
    lo, hi = utc_bounds(date(2026, 11, 1), date(2026, 11, 30))
    assert lo == wib(2026, 11, 1, 0, 0)
    assert hi == wib(2026, 12, 1, 0, 0)


def test_unit_figures_per_service_type(app):
    unit, *_ = _setup()
    table = unit_figures(unit.id, date(2026, 11, 1), date(2026, 11, 30))
    by_name = {row.service_type.name: row.figures for row in table.rows}
    ktp = by_name["Penerbitan KTP-el"]
    assert (ktp.n_received, ktp.n_completed, ktp.n_open) == (5, 4, 1)
    assert ktp.n_on_time == 3
    assert ktp.on_time_rate == D("75.00")
    assert ktp.unit is StandardUnit.HARI_KERJA
    assert (ktp.median, ktp.p90) == (1, 3)
    assert ktp.rework_rate == D("25.00")
    kk = by_name["Penerbitan Kartu Keluarga"]
    assert (kk.n_completed, kk.on_time_rate, kk.median) == (1, D("100.00"), 0)
    assert table.total.n_received == 6
    assert table.total.on_time_rate == D("80.00")


def test_october_holds_the_late_evening_request(app):
    unit, *_ = _setup()
    table = unit_figures(unit.id, date(2026, 10, 1), date(2026, 10, 31))
    assert table.total.n_received == 1


def test_employee_figures_by_completion_date(app):
    unit, ana, budi, ktp, _ = _setup()
    table = employee_figures(ana.id, date(2026, 11, 1), date(2026, 11, 30))
    assert table.total.n_completed == 4  # includes the one received in October
    assert table.total.n_on_time == 3
    only = employee_figures(budi.id, date(2026, 11, 1), date(2026, 11, 30), ktp.id)
    assert only.total.n_completed == 1
    assert figure_value(only.total, LinkedFigure.ON_TIME_RATE) == D("100.00")
    assert figure_value(only.total, LinkedFigure.COUNT_COMPLETED) == D(1)
    assert figure_value(only.total, LinkedFigure.MEDIAN_DURATION) == D(1)
    assert figure_value(only.total, LinkedFigure.REWORK_RATE) == D("0.00")


def test_figures_by_unit_use_one_query(app):
    unit, *_ = _setup()
    other = make_unit("Kelurahan Uji")
    domisili = make_service_type(
        other, "Surat keterangan domisili", value=30, standard_unit="MENIT"
    )
    make_request(domisili, wib(2026, 11, 2, 9, 0), wib(2026, 11, 2, 9, 45))
    from kinerja.db import database

    queries = []
    original = database.obj.execute_sql

    def spy(sql, *args, **kw):
        queries.append(sql)
        return original(sql, *args, **kw)

    database.obj.execute_sql = spy
    try:
        tables = figures_by_unit(date(2026, 11, 1), date(2026, 11, 30))
    finally:
        database.obj.execute_sql = original
    assert len([q for q in queries if "service_request" in q]) == 1
    assert tables[other.id].total.on_time_rate == D("0.00")
    assert tables[other.id].total.median == 45
    assert tables[unit.id].total.n_received == 6


def test_empty_range_has_no_rates(app):
    unit, *_ = _setup()
    table = unit_figures(unit.id, date(2025, 1, 1), date(2025, 1, 31))
    assert table.total.on_time_rate is None
    assert all(row.figures.n_received == 0 for row in table.rows)
    assert len(table.rows) == 2
