"""The kiosk demo step: kiosks, six months of answers, Loket 1 with someone on duty."""

from collections import Counter
from datetime import date

import kinerja.demo as demo
from kinerja.clock import today_wib
from kinerja.demo import kiosk as demo_kiosk
from kinerja.demo import org as demo_org
from kinerja.models.kiosk import CounterDuty, Kiosk, KioskResponse
from kinerja.queries import kiosk_figures
from kinerja.services import kiosk as ks
from kinerja.services import kiosk_answers, kiosk_duty
from kinerja.services.kiosk_answers import Outcome
from tests.builders_kiosk import payload


def test_demo_kiosks_and_answers(app, monkeypatch):
    assert demo_kiosk.seed_kiosk in demo.STEPS
    monkeypatch.setattr(demo, "STEPS", [demo_org.seed_org, demo_kiosk.seed_kiosk])
    demo.seed()
    loket = Kiosk.get(Kiosk.counter == "Loket 1")
    assert loket.unit.code == demo_kiosk.LOKET_1_UNIT
    pelaksana = demo.demo_person("pelaksana")
    open_duty = kiosk_duty.open_duty(loket.id)
    assert open_duty is not None and open_duty.employee_id == pelaksana.id
    assert CounterDuty.select().count() > 100
    mine = kiosk_figures.employee_figures(pelaksana.id, date(2000, 1, 1), today_wib())
    assert mine.n > 100 and mine.ikm.konversi is not None
    per_unit_month = Counter((r.unit_id, r.day.year, r.day.month) for r in KioskResponse.select())
    assert min(per_unit_month.values()) < 10 < max(per_unit_month.values())
    faces = Counter(r.face for r in KioskResponse.select(KioskResponse.face))
    assert faces[4] + faces[3] > 2 * (faces[1] + faces[2]) and faces[1] > 0
    # The admin pairs Loket 1 anew and a citizen answers: attributed to the one on duty.
    from kinerja.permissions import Actor

    admin = Actor(demo.demo_person("admin").accounts.get())
    code = ks.reissue_pairing_code(admin, loket.id)
    _, token = ks.pair_device(code, client="demo")
    ks.set_opening_hours(admin, loket.id, {d: ("00:00", "23:59") for d in range(7)})
    result = kiosk_answers.record_answer(token, payload(4))
    assert result.outcome is Outcome.STORED
    assert KioskResponse.get_by_id(result.response_id).employee_id == pelaksana.id
