"""Notifications (issue 23 part 4): each event tells the right person in the same
transaction as its use case, deadline reminders are idempotent, preferences are kept."""

from datetime import timedelta

import pytest

from kinerja.clock import today_wib
from kinerja.enums import Berakhlak, EmailMode, NotificationKind, Rating
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import Evaluation
from kinerja.models.notification import Notification
from kinerja.models.period import Period
from kinerja.models.skp import Skp
from kinerja.queries.evaluation import rhks_of
from kinerja.services import evaluation as ev_svc
from kinerja.services import evaluation_feedback as fb
from kinerja.services import notifications as svc
from kinerja.services import objection as obj
from kinerja.services import skp as skp_svc
from tests.builders_evaluation import (
    actor_of,
    add_realisation,
    make_approved_skp,
    make_peers,
    make_period,
)
from tests.builders_skp import make_skp, make_year

A, SES = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI
LETTER = obj.DecisionLetter(
    "800/123/BKPSDM/2026",
    today_wib(),
    "putusan.pdf",
    b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
)


def _of(person) -> list[Notification]:
    return list(
        Notification.select().where(Notification.employee == person.id).order_by(Notification.id)
    )


def test_returned_skp_tells_its_owner_with_the_note(world):
    pegawai = world.people["pegawai"]
    skp = make_skp(pegawai, status="DIAJUKAN")
    skp_svc.return_skp(actor_of(world, "supervisor"), skp, "Target indikator belum terukur.")
    [note] = _of(pegawai)
    assert note.kind == NotificationKind.SKP_DIKEMBALIKAN
    assert note.title == f"SKP {skp.year} Anda dikembalikan oleh Pejabat Penilai"
    assert "Target indikator belum terukur." in note.body
    assert (note.link_endpoint, note.args) == ("staff.skp_detail", {"skp_id": skp.id})
    assert note.unread and note.emailed_at is None
    assert _of(world.people["supervisor"]) == []


def test_approved_skp_tells_its_owner(world):
    pegawai = world.people["pegawai"]
    skp = make_skp(pegawai, status="DIAJUKAN")
    skp_svc.approve(actor_of(world, "supervisor"), skp)
    [note] = _of(pegawai)
    assert note.kind == NotificationKind.SKP_DISETUJUI
    assert note.args == {"skp_id": skp.id}


def test_a_failing_use_case_leaves_no_notification(world, monkeypatch):
    """The notification is written in the use case's transaction: when the use case fails
    after writing it, both the SKP change and the notification are rolled back."""
    pegawai = world.people["pegawai"]
    skp = make_skp(pegawai, status="DIAJUKAN")
    original = svc.skp_returned

    def written_then_failing(*args, **kwargs):
        original(*args, **kwargs)
        assert Notification.select().count() == 1  # it was written...
        raise RuntimeError("gagal setelah pemberitahuan ditulis")

    monkeypatch.setattr(svc, "skp_returned", written_then_failing)
    with pytest.raises(RuntimeError):
        skp_svc.return_skp(actor_of(world, "supervisor"), skp, "Catatan")
    assert Notification.select().count() == 0  # ... and rolled back with the use case
    assert Skp.get_by_id(skp.id).status == "DIAJUKAN"


def test_refused_use_case_writes_nothing(world):
    skp = make_skp(world.people["pegawai"], status="DRAFT")
    with pytest.raises(skp_svc.StateConflict):
        skp_svc.return_skp(actor_of(world, "supervisor"), skp, "Catatan")
    assert Notification.select().count() == 0


def _ended_period():
    """A quarter of last year: it has ended on any day, so it can be finalised."""
    return make_period(today_wib().year - 1, 4)


def _rated_evaluation(world):
    period = _ended_period()
    pegawai = world.people["pegawai"]
    skp = make_approved_skp(pegawai, period.year, indicators=((100, 0),))
    add_realisation(skp, period, [120])
    ev_svc.create_evaluations_for_period(period)
    return Evaluation.get(Evaluation.employee == pegawai)


def test_360_request_tells_each_rater_and_nobody_else(world):
    ev = _rated_evaluation(world)
    peers = make_peers(world, 2)
    fb.request_raters(actor_of(world, "supervisor"), ev, [p.id for p in peers])
    requests = {r.rater_id: r for r in fb.requests_of(ev)}
    for peer in peers:
        [note] = _of(peer)
        assert note.kind == NotificationKind.UMPAN_BALIK_360
        assert note.link_endpoint == "staff.feedback_answer"
        assert note.args == {"request_id": requests[peer.id].id}
    assert _of(world.people["pegawai"]) == []
    # asking the same raters again asks nobody new and tells nobody again
    fb.request_raters(actor_of(world, "supervisor"), ev, [p.id for p in peers])
    assert Notification.select().count() == 2


def test_finalised_results_and_the_keberatan_decision_reach_the_employee(world):
    ev = _rated_evaluation(world)
    me, boss = actor_of(world, "pegawai"), actor_of(world, "supervisor")
    rhk = rhks_of(ev)[0]
    ev_svc.save_self_assessment(
        me, ev, {rhk.id: (A.value, "Melampaui")}, {v.value: (SES.value, "") for v in Berakhlak}
    )
    ev = ev_svc.rate(boss, Evaluation.get_by_id(ev.id), A, "Di atas target", A, "Melayani")
    ev = ev_svc.finalise(boss, ev)
    [ready] = _of(world.people["pegawai"])
    assert ready.kind == NotificationKind.HASIL_EVALUASI
    assert ready.args == {"evaluation_id": ev.id}
    assert "mengajukan keberatan" in ready.body

    objection = obj.file_objection(me, ev, "Rating perilaku saya kurang tepat menurut saya.")
    obj.decide(actor_of(world, "atasan"), objection, "CONFIRM", "Dasar rating sudah tepat.")
    decided = _of(world.people["pegawai"])[-1]
    assert decided.kind == NotificationKind.PUTUSAN_KEBERATAN
    assert "Menguatkan hasil evaluasi" in decided.body
    assert "Dasar rating sudah tepat." in decided.body
    assert _of(world.people["atasan"]) == []


def _skp_deadline_in(days: int) -> Period:
    make_year(open_numbers=())
    annual = Period.get((Period.year == today_wib().year) & (Period.number == 0))
    annual.skp_deadline = today_wib() + timedelta(days=days)
    annual.save()
    return annual


def test_deadline_reminders_are_idempotent_per_day(world):
    _skp_deadline_in(2)
    today = today_wib()
    created = svc.remind_deadlines(today)
    assert created == len(world.people)  # nobody has an SKP yet: "Susun SKP"
    note = _of(world.people["pegawai"])[0]
    assert note.kind == NotificationKind.TENGGAT
    assert note.title == f"Pengingat tenggat: Susun SKP {today.year}"
    assert "(2 hari lagi)" in note.body
    assert svc.remind_deadlines(today) == 0  # the same day again: nothing new
    assert Notification.select().count() == created
    # another day of the same year (its SKP tasks), within the reminder window
    other_day = today + timedelta(days=1)
    if other_day.year != today.year:
        other_day = today - timedelta(days=1)
    assert svc.remind_deadlines(other_day) == created  # one a day


def test_no_reminder_for_a_far_deadline_nor_for_work_done(world):
    _skp_deadline_in(svc.REMIND_BEFORE_DAYS + 1)
    assert svc.remind_deadlines(today_wib()) == 0
    Period.update(skp_deadline=today_wib()).where(Period.number == 0).execute()
    make_skp(world.people["pegawai"], status="DISETUJUI")
    svc.remind_deadlines(today_wib())
    assert _of(world.people["pegawai"]) == []
    assert len(_of(world.people["peer"])) == 1


def test_a_past_deadline_is_reminded_as_late(world):
    _skp_deadline_in(-1)
    svc.remind_deadlines(today_wib())
    note = _of(world.people["pegawai"])[0]
    assert note.title.startswith("Tenggat terlewat:")


def test_preferences_default_to_the_daily_digest_and_are_audited(world):
    me = actor_of(world, "pegawai")
    assert svc.preferences_of(me) == svc.Preferences(EmailMode.HARIAN, "")
    svc.set_preferences(me, "SEGERA", " pegawai.uji@sibolgakota.go.id ")
    assert svc.preferences_of(me) == svc.Preferences(
        EmailMode.SEGERA, "pegawai.uji@sibolgakota.go.id"
    )
    event = AuditEvent.select().where(AuditEvent.action == "notifikasi.pilihan_diubah").get()
    assert '"SEGERA"' in event.after and '"HARIAN"' in event.before


@pytest.mark.parametrize(
    ("mode", "email", "field"),
    [
        ("HARIAN", "", "email"),
        ("SEGERA", "bukan-alamat", "email"),
        ("SETIAP_JAM", "a@sibolgakota.go.id", "email_mode"),
        ("TIDAK", "a" * 250 + "@x.id", "email"),
    ],
)
def test_bad_preferences_are_refused_in_indonesian(world, mode, email, field):
    with pytest.raises(svc.NotificationError) as caught:
        svc.set_preferences(actor_of(world, "pegawai"), mode, email)
    assert set(caught.value.errors) == {field}
    assert AuditEvent.select().where(AuditEvent.action == "notifikasi.pilihan_diubah").count() == 0


def test_off_needs_no_address(world):
    me = actor_of(world, "pegawai")
    assert svc.set_preferences(me, "TIDAK", "").email_mode is EmailMode.TIDAK


def test_marking_read_is_for_the_owner_only(world):
    note = svc.notify(world.people["pegawai"].id, NotificationKind.TENGGAT, "Uji", "Isi")
    with pytest.raises(svc.NotFound):
        svc.mark_read(actor_of(world, "peer"), note.id)
    with pytest.raises(svc.NotFound):
        svc.mark_read(actor_of(world, "admin"), note.id)
    assert Notification.get_by_id(note.id).read_at is None
    svc.mark_read(actor_of(world, "pegawai"), note.id)
    assert svc.unread_count(world.people["pegawai"].id) == 0


def test_an_official_decision_recorded_by_the_admin_reaches_the_employee(world):
    """The Wali Kota's decision on the kepala dinas's keberatan, recorded by an admin."""
    from tests.builders import make_account, make_employee
    from tests.builders_evaluation import make_evaluation

    sekda = make_employee("Sekda Uji", unit=world.units["opd"], jenis="JPT", golongan="IV/d")
    world.people["kadis"].supervisor = sekda
    world.people["kadis"].save()
    world.accounts["sekda"] = make_account(sekda)
    kadis = world.people["kadis"]
    ev = make_evaluation(kadis, _ended_period())
    ev = ev_svc.rate(actor_of(world, "sekda"), ev, SES, "sesuai", SES, "sesuai")
    ev = ev_svc.finalise(actor_of(world, "sekda"), ev)
    objection = obj.file_objection(actor_of(world, "kadis"), ev, "Mohon ditinjau kembali")
    obj.record_official_decision(
        actor_of(world, "admin"), objection, "CHANGE", "Kendala di luar kendali", LETTER, A, A
    )
    decided = _of(kadis)[-1]
    assert decided.kind == NotificationKind.PUTUSAN_KEBERATAN
    assert "Mengubah hasil evaluasi" in decided.body and "Kendala di luar kendali" in decided.body
    assert _of(world.people["admin"]) == []
