"""Counter log, catalogue, permissions and linked SKP indicators (docs/spec/product.md §4)."""

import json
from datetime import date
from decimal import Decimal

import pytest

from kinerja.models.audit import AuditEvent
from kinerja.models.service import ServiceRequest
from kinerja.models.skp import Realisation
from kinerja.permissions import Actor
from kinerja.permissions import service as perm
from kinerja.queries import layanan as layanan_q
from kinerja.services import layanan as svc
from kinerja.services import layanan_linked, layanan_log
from tests.builders_service import (
    make_indicator,
    make_period,
    make_request,
    make_service_type,
    wib,
)


@pytest.fixture
def counter(world):
    """A KTP-el service on the bidang: pegawai, supervisor and atasan are its staff."""
    ktp = make_service_type(world.units["bidang"], "Penerbitan KTP-el", value=1)
    return ktp


def actor(world, key) -> Actor:
    return Actor(world.accounts[key])


def test_only_unit_staff_log_requests(world, counter):
    unit_id = counter.unit_id
    assert perm.can_log_requests(actor(world, "pegawai"), unit_id)
    assert perm.can_log_requests(actor(world, "atasan"), unit_id)
    assert not perm.can_log_requests(actor(world, "kadis"), unit_id)  # above, not staff
    assert not perm.can_log_requests(actor(world, "admin"), unit_id)
    with pytest.raises(svc.NotAllowed):
        layanan_log.register_request(actor(world, "admin"), counter)
    assert ServiceRequest.select().count() == 0


def test_register_and_complete_in_one_step_each(world, counter):
    pegawai = actor(world, "pegawai")
    request = layanan_log.register_request(pegawai, counter, now=wib(2026, 11, 30, 8, 15))
    assert request.reference == "DUKCAPIL-20261130-0001"
    second = layanan_log.register_request(pegawai, counter, now=wib(2026, 11, 30, 9))
    assert second.reference == "DUKCAPIL-20261130-0002"
    own = layanan_log.register_request(pegawai, counter, " KTP  77 ", now=wib(2026, 11, 30, 9))
    assert own.reference == "KTP 77"
    with pytest.raises(svc.ServiceError, match="sudah dipakai"):
        layanan_log.register_request(pegawai, counter, "KTP 77")
    done = layanan_log.complete_request(
        actor(world, "peer"), request, rework=True, now=wib(2026, 11, 30, 11)
    )
    assert done.handler_id == world.people["peer"].id
    assert done.registered_by_id == world.people["pegawai"].id
    assert done.rework and done.completed_at == wib(2026, 11, 30, 11)
    with pytest.raises(svc.ServiceError, match="sudah diselesaikan"):
        layanan_log.complete_request(pegawai, request)
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions.count("service.request_registered") == 3
    assert actions.count("service.request_completed") == 1


def test_open_requests_oldest_first_with_overdue_flag(world, counter):
    domisili = make_service_type(
        world.units["bidang"], "Surat keterangan", value=30, standard_unit="MENIT"
    )
    late = make_request(counter, wib(2026, 11, 25, 9))
    fresh = make_request(domisili, wib(2026, 11, 30, 9, 50))
    make_request(counter, wib(2026, 11, 24, 9), wib(2026, 11, 24, 10))  # completed
    rows = layanan_q.open_requests(counter.unit_id, now=wib(2026, 11, 30, 10))
    assert [(r.request.id, r.overdue) for r in rows] == [(late.id, True), (fresh.id, False)]


def test_catalogue_use_cases(world):
    admin = world.accounts["admin"]
    data = svc.ServiceTypeData("  Akta   Kelahiran ", 1, "HARI_KERJA", "KK, surat lahir", 0)
    created = svc.create_service_type(admin, world.units["opd"], data)
    assert created.name == "Akta Kelahiran" and created.fee == Decimal("0.00")
    with pytest.raises(svc.ServiceError, match="sudah ada"):
        svc.create_service_type(admin, world.units["opd"], data)
    with pytest.raises(svc.ServiceError):
        svc.create_service_type(admin, world.units["opd"], svc.ServiceTypeData("X", 0, "MENIT"))
    with pytest.raises(svc.ServiceError):
        svc.create_service_type(admin, world.units["opd"], svc.ServiceTypeData("X", 3, "JAM"))
    svc.set_service_type_active(admin, created, False)
    assert layanan_q.catalogue(world.units["opd"].id, active_only=True) == []
    assert layanan_q.service_units_for(world.people["pegawai"]) == []


def test_day_off_unique(world):
    admin = world.accounts["admin"]
    svc.add_day_off(admin, date(2026, 8, 18), "Hari jadi")
    with pytest.raises(svc.ServiceError):
        svc.add_day_off(admin, date(2026, 8, 18), "Lagi")


# --- linked indicators ----------------------------------------------------------------------


def test_linked_indicator_fills_its_realisation(world, counter):
    pegawai = world.people["pegawai"]
    period = make_period(start=date(2026, 10, 1), end=date(2026, 12, 31))
    indicator = make_indicator(pegawai)
    for day in (2, 3, 4):
        make_request(counter, wib(2026, 11, day, 8), wib(2026, 11, day, 10), handler=pegawai)
    make_request(counter, wib(2026, 11, 5, 8), wib(2026, 11, 9, 10), handler=pegawai)  # late
    make_request(counter, wib(2026, 11, 5, 8), wib(2026, 11, 5, 9), handler=world.people["peer"])

    indicator = layanan_linked.link_indicator(
        actor(world, "pegawai"), indicator, counter.id, "ON_TIME_RATE"
    )
    row = layanan_linked.refresh_linked_realisation(indicator, period)
    assert row.automatic and row.value == Decimal("75.00")
    detail = json.loads(row.auto_detail)
    assert (detail["n"], detail["on_time"], detail["late"]) == (4, 3, 1)
    assert (detail["start"], detail["end"]) == ("2026-10-01", "2026-12-31")

    # the owner's note stays when the figure refreshes; completing a request refreshes it
    layanan_linked.save_linked_note(actor(world, "pegawai"), indicator, period, "Loket ramai", "")
    request = make_request(counter, wib(2026, 11, 30, 8))
    layanan_log.complete_request(actor(world, "pegawai"), request, now=wib(2026, 11, 30, 9))
    row = Realisation.get_by_id(row.id)
    assert row.value == Decimal("80.00") and row.narrative == "Loket ramai"


def test_only_the_owner_of_a_draft_links(world, counter):
    indicator = make_indicator(world.people["pegawai"])
    with pytest.raises(svc.NotAllowed):
        layanan_linked.link_indicator(
            actor(world, "supervisor"), indicator, counter.id, "ON_TIME_RATE"
        )
    with pytest.raises(svc.ServiceError, match="angka layanan"):
        layanan_linked.link_indicator(actor(world, "pegawai"), indicator, counter.id, "BOGUS")
    other = make_service_type(world.units["bkpsdm"], "Layanan lain")
    with pytest.raises(svc.ServiceError, match="unit tempat Anda"):
        layanan_linked.link_indicator(actor(world, "pegawai"), indicator, other.id, "ON_TIME_RATE")
    approved = make_indicator(world.people["peer"], status="DISETUJUI")
    with pytest.raises(svc.NotAllowed):
        layanan_linked.link_indicator(actor(world, "peer"), approved, counter.id, "ON_TIME_RATE")


def test_figures_visibility(world, counter):
    pegawai = world.people["pegawai"]
    assert perm.can_view_employee_figures(actor(world, "pegawai"), pegawai)
    assert perm.can_view_employee_figures(actor(world, "atasan"), pegawai)
    assert perm.can_view_employee_figures(actor(world, "auditor"), pegawai)
    assert not perm.can_view_employee_figures(actor(world, "peer"), pegawai)
    unit_id = counter.unit_id
    assert perm.can_view_unit_figures(actor(world, "supervisor"), unit_id)
    assert perm.can_view_unit_figures(actor(world, "kadis"), unit_id)
    assert not perm.can_view_unit_figures(actor(world, "pegawai"), unit_id)


def test_owner_cannot_overwrite_an_automatic_figure(world, counter):
    from kinerja.clock import utcnow
    from kinerja.models.skp import Skp
    from kinerja.services import skp_realisation

    pegawai = world.people["pegawai"]
    period = make_period(start=date(2026, 10, 1), end=date(2026, 12, 31))
    indicator = make_indicator(pegawai)
    make_request(counter, wib(2026, 11, 2, 8), wib(2026, 11, 2, 10), handler=pegawai)
    indicator = layanan_linked.link_indicator(
        actor(world, "pegawai"), indicator, counter.id, "ON_TIME_RATE"
    )
    Skp.update(status="DISETUJUI", approved_at=utcnow()).execute()
    row = layanan_linked.refresh_linked_realisation(indicator, period)
    assert row.value == Decimal("100.00")

    saved = skp_realisation.save_realisation(
        actor(world, "pegawai"),
        indicator,
        period,
        {"value": "5", "narrative": "Dua loket buka", "evidence_link": "", "evidence_note": ""},
    )
    saved = Realisation.get_by_id(saved.id)
    assert saved.value == Decimal("100.00") and saved.automatic
    assert saved.narrative == "Dua loket buka"


def test_a_linked_figure_must_match_the_indicators_arah(world, counter):
    """Issue 18: the arah decides the capaian, so a figure that is better when lower (median
    duration, rework) cannot feed a higher-is-better indicator, nor the other way round."""
    pegawai = actor(world, "pegawai")
    indicator = make_indicator(world.people["pegawai"])  # higher is better
    for figure in ("MEDIAN_DURATION", "REWORK_RATE"):
        with pytest.raises(svc.ServiceError, match="Semakin rendah semakin baik"):
            layanan_linked.link_indicator(pegawai, indicator, counter.id, figure)
    indicator.direction = "LOWER_BETTER"
    indicator.save()
    for figure in ("ON_TIME_RATE", "COUNT_COMPLETED"):
        with pytest.raises(svc.ServiceError, match="Semakin tinggi semakin baik"):
            layanan_linked.link_indicator(pegawai, indicator, counter.id, figure)
    linked = layanan_linked.link_indicator(pegawai, indicator, counter.id, "REWORK_RATE")
    assert linked.linked_figure == "REWORK_RATE"
    from kinerja.services import skp as skp_service

    data = {
        "text": linked.text,
        "aspek": "KUALITAS",
        "target_value": "5",
        "target_unit": "%",
        "direction": "HIGHER_BETTER",
    }
    with pytest.raises(skp_service.SkpError) as exc:
        skp_service.update_indicator(pegawai, linked, data)
    assert "Lepaskan tautannya" in exc.value.errors["direction"]
    assert skp_service.update_indicator(pegawai, linked, {**data, "direction": "LOWER_BETTER"})
