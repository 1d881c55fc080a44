"""The demo step of the service standards: catalogue, spread of requests, linked indicator."""

import random
from datetime import date
from decimal import Decimal

from kinerja.demo import DemoContext
from kinerja.demo.service import seed_service
from kinerja.models.service import CityDayOff, ServiceRequest, ServiceType
from kinerja.models.skp import Indicator, Realisation
from kinerja.queries.service_figures import unit_figures
from tests.builders import make_employee, make_unit
from tests.builders_service import make_indicator, make_period


def test_demo_step_seeds_a_realistic_spread_and_links_the_pelaksana(app):
    dukcapil = make_unit("Disdukcapil", code="DISDUKCAPIL")
    idp = make_unit("Seksi Identitas", code="DISDUKCAPIL.PDP.IDP", kind="SEKSI", parent=dukcapil)
    kasi = make_employee(unit=idp, jenis="PENGAWAS")
    pelaksana = make_employee("Pelaksana Demo", unit=idp, supervisor=kasi)
    make_employee(unit=idp, supervisor=kasi)
    indicator = make_indicator(pelaksana, year=2026, text="Persentase KTP-el selesai")
    period = make_period(start=date(2026, 10, 1), end=date(2026, 12, 31))
    ctx = DemoContext(
        rng=random.Random(7),
        today=date(2026, 11, 29),
        units={"DISDUKCAPIL": dukcapil, "DISDUKCAPIL.PDP.IDP": idp},
        people={"pelaksana": pelaksana},
    )
    seed_service(ctx)

    names = {t.name for t in ServiceType.select()}
    # Akta and Surat Pindah need units this small tree lacks: skipped, not failed
    assert names == {"Penerbitan KTP-el", "Penerbitan Kartu Keluarga", "Kartu Identitas Anak"}
    assert CityDayOff.select().count() >= 1
    table = unit_figures(dukcapil.id, date(2026, 6, 1), date(2026, 11, 29))
    total = table.total
    assert total.n_received > 3000
    assert Decimal(80) < total.on_time_rate < Decimal(99)
    assert Decimal(0) < total.rework_rate < Decimal(10)
    assert 0 < total.n_open < 100
    handlers = {r.handler_id for r in ServiceRequest.select() if r.handler_id}
    assert pelaksana.id in handlers and kasi.id not in handlers

    indicator = Indicator.get_by_id(indicator.id)
    assert indicator.linked_figure == "ON_TIME_RATE" and indicator.target_value == 95
    row = Realisation.get((Realisation.indicator == indicator.id) & (Realisation.period == period))
    assert row.automatic and row.value > 80
