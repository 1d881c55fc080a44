"""Taking over a counter's duty (issue 19, Low): the colleague who was signed in is told
in the portal, the takeover is audited, and only the kiosk's own unit (or a supervisor who
rosters the counter) may take over an occupied counter."""

from datetime import datetime, timedelta

import pytest

from kinerja.models.audit import AuditEvent
from kinerja.models.kiosk import CounterDuty
from kinerja.permissions import Actor
from kinerja.queries.kiosk_duty import takeover_notices
from kinerja.queries.tasks import tasks_for
from kinerja.services import kiosk_duty
from kinerja.services.kiosk import KioskError
from tests.builders import make_account, make_employee, make_unit
from tests.builders_kiosk import make_kiosk

MONDAY_9_WIB = datetime(2026, 6, 1, 2, 0)


def test_a_takeover_tells_the_colleague_and_is_audited(world):
    kiosk, _ = make_kiosk(world)
    pegawai, peer = Actor(world.accounts["pegawai"]), Actor(world.accounts["peer"])
    t0 = MONDAY_9_WIB
    first = kiosk_duty.sign_in(pegawai, kiosk.id, now=t0)
    kiosk_duty.sign_in(peer, kiosk.id, now=t0 + timedelta(hours=1))
    ended = CounterDuty.get_by_id(first.id)
    assert ended.end == t0 + timedelta(hours=1)
    assert ended.taken_over_by_id == world.people["peer"].id
    event = AuditEvent.get(AuditEvent.action == "kiosk.duty_taken_over")
    assert event.object_id == str(first.id)
    notices = takeover_notices(pegawai)
    assert [n.text for n in notices] == [
        "Tugas loket Anda di Kios Uji (Loket 1) diambil alih oleh Rekan Uji "
        "pada 1 Juni 2026 pukul 10.00 WIB."
    ]
    titles = [t.title for t in tasks_for(pegawai)]
    assert any("diambil alih oleh Rekan Uji" in t for t in titles)
    kiosk_duty.acknowledge_takeovers(pegawai)
    assert takeover_notices(pegawai) == []
    assert not any("diambil alih" in t.title for t in tasks_for(pegawai))
    assert AuditEvent.select().where(AuditEvent.action == "kiosk.takeover_read").count() == 1


def test_signing_in_at_a_free_counter_or_again_is_no_takeover(world):
    kiosk, _ = make_kiosk(world)
    pegawai = Actor(world.accounts["pegawai"])
    kiosk_duty.sign_in(pegawai, kiosk.id, now=MONDAY_9_WIB)
    kiosk_duty.sign_in(pegawai, kiosk.id, now=MONDAY_9_WIB + timedelta(minutes=5))
    assert takeover_notices(pegawai) == []
    assert not AuditEvent.select().where(AuditEvent.action == "kiosk.duty_taken_over").exists()


def test_only_the_kiosks_unit_takes_over_an_occupied_counter(world):
    kiosk, _ = make_kiosk(world)  # at the seksi
    other_unit = make_unit("Bidang Lain", kind="BIDANG", parent=world.units["opd"])
    stranger = make_employee("Pegawai Bidang Lain", unit=other_unit)
    outsider = Actor(make_account(stranger))
    pegawai = Actor(world.accounts["pegawai"])
    kiosk_duty.sign_in(pegawai, kiosk.id, now=MONDAY_9_WIB)
    with pytest.raises(KioskError, match="mengambil alih"):
        kiosk_duty.sign_in(outsider, kiosk.id, now=MONDAY_9_WIB + timedelta(minutes=5))
    assert (
        kiosk_duty.on_duty_at(kiosk.id, MONDAY_9_WIB + timedelta(minutes=6)) == pegawai.employee_id
    )
    # A free counter of the OPD stays open to them, as before.
    kiosk_duty.sign_out(pegawai, now=MONDAY_9_WIB + timedelta(minutes=7))
    kiosk_duty.sign_in(outsider, kiosk.id, now=MONDAY_9_WIB + timedelta(minutes=8))
    # The supervisor who rosters the counter may take over.
    kiosk_duty.sign_in(
        Actor(world.accounts["atasan"]), kiosk.id, now=MONDAY_9_WIB + timedelta(hours=1)
    )
    assert takeover_notices(outsider)
