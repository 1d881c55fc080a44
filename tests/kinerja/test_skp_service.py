"""SKP use cases: the workflow, who may do what, cascading, revisions, realisation,
feedback, the team overview and the task list."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kinerja.clock import pinned_at, today_wib
from kinerja.models.audit import AuditEvent
from kinerja.models.org import ActingOfficial
from kinerja.models.period import Period
from kinerja.models.skp import Skp, SkpRevision
from kinerja.permissions import Actor
from kinerja.permissions import skp as perm
from kinerja.queries import periods as period_queries
from kinerja.queries import skp as skp_queries
from kinerja.queries import team as team_queries
from kinerja.services import periods as period_service
from kinerja.services import skp as service
from kinerja.services import skp_realisation
from kinerja.services.skp import NotAllowed, SkpError, StateConflict
from tests.builders_skp import first_indicator, first_rhk, make_skp, make_year

YEAR = today_wib().year
pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def actors(world):
    return {key: Actor(account) for key, account in world.accounts.items()}


def _draft(actors, world, boss_rhk=None):
    a = actors["pegawai"]
    skp = service.start(a, YEAR, "KUANTITATIF")
    rhk1 = service.add_rhk(
        a, skp, {"text": "Terlayaninya KTP-el", "kind": "UTAMA", "parent_rhk": boss_rhk}
    )
    rhk2 = service.add_rhk(a, skp, {"text": "Tertibnya arsip", "kind": "UTAMA"})
    service.add_indicator(
        a,
        rhk1,
        {
            "text": "Jumlah KTP-el",
            "aspek": "KUANTITAS",
            "target_value": "450",
            "target_unit": "keping",
        },
    )
    service.add_indicator(
        a,
        rhk1,
        {"text": "Selesai hari itu", "aspek": "WAKTU", "target_value": "90", "target_unit": "%"},
    )
    service.add_indicator(
        a, rhk2, {"text": "Laporan arsip", "target_value": "3", "target_unit": "laporan"}
    )
    return skp


# --- periods -------------------------------------------------------------------------------


def test_create_year_quarterly_with_annual_period():
    periods = period_service.create_year(2027, "TRIWULAN", skp_deadline=date(2027, 2, 15))
    names = [p.name for p in periods]
    assert names == [
        "Tahunan 2027",
        "Triwulan I 2027",
        "Triwulan II 2027",
        "Triwulan III 2027",
        "Triwulan IV 2027",
    ]
    annual = period_queries.annual_period(2027)
    assert (
        annual.kind == "TAHUNAN" and annual.number == 0 and annual.skp_deadline == date(2027, 2, 15)
    )
    q2 = periods[2]
    assert (q2.start, q2.end) == (date(2027, 4, 1), date(2027, 6, 30))
    assert q2.realisation_deadline > q2.end


def test_create_year_monthly_and_refuses_twice():
    periods = period_service.create_year(2028, "BULANAN")
    assert [p.name for p in periods[1:3]] == ["Januari 2028", "Februari 2028"]
    assert periods[2].end == date(2028, 2, 29)
    with pytest.raises(period_service.PeriodError, match="sudah ada"):
        period_service.create_year(2028, "TRIWULAN")


def test_open_period_freezes_settings_and_close_locks():
    period = period_service.create_year(2029)[1]
    with pinned_at(period.start):  # a period opens from its first day on
        opened = period_service.open_period(period)
    assert opened.status == "DIBUKA" and json.loads(opened.frozen_settings)["objection_days"] == 14
    with pytest.raises(period_service.PeriodError):
        period_service.open_period(opened)
    assert period_service.close_period(opened).status == "DITUTUP"
    assert AuditEvent.select().where(AuditEvent.action == "period.opened").count() == 1


# --- the workflow -----------------------------------------------------------------------------


def test_draft_submit_return_resubmit_approve(world, actors):
    skp = _draft(actors, world)
    assert skp_queries.plan(skp).indicator_count == 3
    service.submit(actors["pegawai"], skp)
    with pytest.raises(StateConflict):
        service.add_rhk(actors["pegawai"], skp, {"text": "Terlambat", "kind": "UTAMA"})
    service.return_skp(actors["supervisor"], skp, "Naikkan target KTP-el.")
    skp = Skp.get_by_id(skp.id)
    assert skp.status == "DIKEMBALIKAN" and skp.return_note == "Naikkan target KTP-el."
    service.update_indicator(
        actors["pegawai"],
        first_indicator(skp),
        {
            "text": "Jumlah KTP-el",
            "aspek": "KUANTITAS",
            "target_value": "500",
            "target_unit": "keping",
        },
    )
    service.submit(actors["pegawai"], skp)
    service.approve(actors["supervisor"], skp)
    skp = Skp.get_by_id(skp.id)
    assert (
        skp.status == "DISETUJUI"
        and skp.version == 1
        and skp.approved_by_id == world.people["supervisor"].id
    )
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.object_type == "skp")]
    for action in (
        "skp.created",
        "skp.rhk_added",
        "skp.indicator_added",
        "skp.submitted",
        "skp.returned",
        "skp.indicator_changed",
        "skp.approved",
    ):
        assert action in actions


def test_only_the_owner_edits_a_draft(world, actors):
    skp = _draft(actors, world)
    for who in ("supervisor", "atasan", "admin", "auditor", "peer"):
        with pytest.raises(NotAllowed):
            service.add_rhk(actors[who], skp, {"text": "x", "kind": "UTAMA"})
        with pytest.raises(NotAllowed):
            service.submit(actors[who], skp)


def test_only_the_current_supervisor_or_acting_official_decides(world, actors):
    skp = _draft(actors, world)
    service.submit(actors["pegawai"], skp)
    for who in ("pegawai", "atasan", "admin", "auditor", "peer", "kadis"):
        with pytest.raises(NotAllowed):
            service.approve(actors[who], skp)
    ActingOfficial.create(
        acting=world.people["peer"],
        for_employee=world.people["supervisor"],
        kind="PLH",
        start=today_wib() - timedelta(days=1),
        end=today_wib() + timedelta(days=1),
    )
    service.approve(Actor(world.accounts["peer"]), skp)
    assert Skp.get_by_id(skp.id).status == "DISETUJUI"


def test_stale_decision_page_is_refused(world, actors):
    skp = _draft(actors, world)
    service.submit(actors["pegawai"], skp)
    with pytest.raises(StateConflict, match="diajukan ulang"):
        service.approve(actors["supervisor"], skp, seen="2000-01-01T00:00:00")


def test_incomplete_draft_cannot_be_submitted(world, actors):
    skp = service.start(actors["pegawai"], YEAR)
    service.add_rhk(actors["pegawai"], skp, {"text": "Tanpa indikator", "kind": "TAMBAHAN"})
    with pytest.raises(SkpError) as exc:
        service.submit(actors["pegawai"], skp)
    assert (
        "RHK Utama" in exc.value.errors["skp"]
        and "belum memiliki indikator" in exc.value.errors["skp"]
    )


@pytest.mark.parametrize(
    "data, field",
    [
        ({"text": "", "target_value": "5", "target_unit": "x"}, "text"),
        ({"text": "ok", "target_value": "-1", "target_unit": "x"}, "target_value"),
        ({"text": "ok", "target_value": "0", "target_unit": "x"}, "target_value"),
        ({"text": "ok", "target_value": "5", "target_unit": ""}, "target_unit"),
        ({"text": "x" * 501, "target_value": "5", "target_unit": "x"}, "text"),
    ],
)
def test_invalid_indicator_gives_field_errors(world, actors, data, field):
    skp = service.start(actors["pegawai"], YEAR)
    rhk = service.add_rhk(actors["pegawai"], skp, {"text": "RHK", "kind": "UTAMA"})
    with pytest.raises(SkpError) as exc:
        service.add_indicator(actors["pegawai"], rhk, data)
    assert field in exc.value.errors


def test_waktu_in_days_with_higher_better_is_refused_on_add_edit_and_submit(world, actors):
    """Issue 18: the arah decides the capaian, so a duration cannot be "higher is better"."""
    a = actors["pegawai"]
    skp = service.start(a, YEAR)
    rhk = service.add_rhk(a, skp, {"text": "RHK", "kind": "UTAMA"})
    days = {
        "text": "Rata-rata waktu penyelesaian",
        "aspek": "WAKTU",
        "target_value": "3",
        "target_unit": "hari kerja",
        "direction": "HIGHER_BETTER",
    }
    with pytest.raises(SkpError) as exc:
        service.add_indicator(a, rhk, days)
    assert "Semakin rendah semakin baik" in exc.value.errors["direction"]
    indicator = service.add_indicator(a, rhk, {**days, "direction": "LOWER_BETTER"})
    with pytest.raises(SkpError) as exc:
        service.update_indicator(a, indicator, days)
    assert set(exc.value.errors) == {"direction"}
    # one stored before the rule (e.g. imported) keeps the draft from being submitted
    indicator.direction = "HIGHER_BETTER"
    indicator.save()
    with pytest.raises(SkpError) as exc:
        service.submit(a, skp)
    assert "Semakin rendah semakin baik" in exc.value.errors["skp"]


def test_cascade_must_point_to_supervisors_approved_rhk_of_same_year(world, actors):
    p = world.people
    boss_ok = make_skp(p["supervisor"], year=YEAR, status="DISETUJUI")
    boss_other_year = make_skp(p["supervisor"], year=YEAR - 1, status="DISETUJUI")
    peer_skp = make_skp(p["peer"], year=YEAR, status="DISETUJUI")
    skp = service.start(actors["pegawai"], YEAR)
    rhk = service.add_rhk(
        actors["pegawai"],
        skp,
        {"text": "Turunan", "kind": "UTAMA", "parent_rhk": first_rhk(boss_ok).id},
    )
    assert rhk.parent_rhk_id == first_rhk(boss_ok).id
    assert [r.id for r in skp_queries.supervisor_rhks(skp)] == [first_rhk(boss_ok).id]
    for bad in (first_rhk(boss_other_year).id, first_rhk(peer_skp).id, 999999, "abc"):
        with pytest.raises(SkpError) as exc:
            service.add_rhk(
                actors["pegawai"], skp, {"text": "x", "kind": "UTAMA", "parent_rhk": bad}
            )
        assert "parent_rhk" in exc.value.errors
    Skp.update(status="DIAJUKAN").where(Skp.id == boss_ok.id).execute()
    with pytest.raises(SkpError) as exc:
        service.add_rhk(
            actors["pegawai"],
            skp,
            {"text": "x", "kind": "UTAMA", "parent_rhk": first_rhk(boss_ok).id},
        )
    assert "disetujui" in exc.value.errors["parent_rhk"]


def test_move_and_delete_rhk(world, actors):
    a = actors["pegawai"]
    skp = service.start(a, YEAR)
    one = service.add_rhk(a, skp, {"text": "Satu", "kind": "UTAMA"})
    two = service.add_rhk(a, skp, {"text": "Dua", "kind": "UTAMA"})
    service.move_rhk(a, two, "up")
    assert [r.rhk.text for r in skp_queries.plan(skp).utama] == ["Dua", "Satu"]
    service.move_rhk(a, two, "up")  # already first: nothing happens
    service.delete_rhk(a, one)
    assert [r.rhk.text for r in skp_queries.plan(skp).utama] == ["Dua"]


def test_revision_freezes_the_old_version(world, actors):
    skp = _draft(actors, world)
    service.submit(actors["pegawai"], skp)
    service.approve(actors["supervisor"], skp)
    with pytest.raises(StateConflict, match="revisi"):
        service.add_rhk(actors["pegawai"], skp, {"text": "x", "kind": "UTAMA"})
    with pytest.raises(NotAllowed):
        service.start_revision(actors["supervisor"], skp, "bukan pemilik")
    service.start_revision(actors["pegawai"], skp, "Tugas baru dari pimpinan")
    skp = Skp.get_by_id(skp.id)
    assert skp.status == "DRAFT" and skp.in_revision and skp.version == 1
    service.add_rhk(actors["pegawai"], skp, {"text": "RHK tugas baru", "kind": "TAMBAHAN"})
    rhk = skp_queries.plan(skp).tambahan[0].rhk
    service.add_indicator(
        actors["pegawai"], rhk, {"text": "Rapat", "target_value": "4", "target_unit": "kali"}
    )
    service.submit(actors["pegawai"], skp)
    service.approve(actors["supervisor"], skp)
    skp = Skp.get_by_id(skp.id)
    assert skp.version == 2 and not skp.in_revision and skp.status == "DISETUJUI"
    row, data = skp_queries.revision(skp, 1)
    assert row.reason == "Tugas baru dari pimpinan"
    assert (
        len(data["rhks"]) == 2 and Decimal(data["rhks"][0]["indicators"][0]["target_value"]) == 450
    )
    assert SkpRevision.select().count() == 1


# --- realisation and feedback ------------------------------------------------------------------


def _approved(world, actors):
    skp = _draft(actors, world)
    service.submit(actors["pegawai"], skp)
    service.approve(actors["supervisor"], skp)
    return Skp.get_by_id(skp.id)


def test_realisation_in_an_open_period_with_capaian(world, actors):
    periods = make_year(YEAR, open_numbers=(1,))
    skp = _approved(world, actors)
    ind = first_indicator(skp)
    skp_realisation.save_realisation(
        actors["pegawai"],
        ind,
        periods[1],
        {
            "value": "540",
            "evidence_link": "https://arsip.example.go.id/ktp",
            "evidence_note": "Register",
        },
    )
    row = skp_queries.plan(skp, periods[1]).utama[0].indicators[0]
    assert row.realisation.value == Decimal("540") and row.capaian == Decimal("120.00")
    with pytest.raises(StateConflict, match="tidak sedang dibuka"):
        skp_realisation.save_realisation(actors["pegawai"], ind, periods[2], {"value": "1"})
    with pytest.raises(NotAllowed):
        skp_realisation.save_realisation(actors["supervisor"], ind, periods[1], {"value": "1"})
    with pytest.raises(SkpError) as exc:
        skp_realisation.save_realisation(
            actors["pegawai"], ind, periods[1], {"value": "x", "evidence_link": "javascript:x"}
        )
    assert set(exc.value.errors) == {"value", "evidence_link"}
    with pytest.raises(StateConflict, match="tidak dapat diubah"):
        service.delete_indicator(actors["pegawai"], ind)
    skp_realisation.save_feedback(actors["supervisor"], ind, periods[1], "Bagus, pertahankan.")
    with pytest.raises(NotAllowed):
        skp_realisation.save_feedback(actors["atasan"], ind, periods[1], "Bukan penilai")
    assert (
        skp_queries.plan(skp, periods[1]).utama[0].indicators[0].realisation.supervisor_feedback
        == "Bagus, pertahankan."
    )


def test_feedback_log_notes_and_replies(world, actors):
    p = world.people
    note = skp_realisation.add_note(
        actors["supervisor"],
        p["pegawai"],
        {"kind": "PUJIAN", "text": "Antrean tertangani baik.", "is_dialog": "y"},
    )
    assert note.is_dialog and note.day == today_wib()
    for who in ("pegawai", "peer", "atasan", "admin"):
        with pytest.raises(NotAllowed):
            skp_realisation.add_note(actors[who], p["pegawai"], {"kind": "CATATAN", "text": "x"})
    with pytest.raises(SkpError):
        skp_realisation.add_note(actors["supervisor"], p["pegawai"], {"kind": "GOSIP", "text": ""})
    skp_realisation.reply(actors["pegawai"], note, "Terima kasih")
    with pytest.raises(NotAllowed):
        skp_realisation.reply(actors["peer"], note, "ikut")
    log = skp_queries.feedback_log(p["pegawai"])
    assert [r.text for r in log[0].reply_list] == ["Terima kasih"]


def test_read_permissions(world, actors):
    skp = _draft(actors, world)
    allowed = {k: perm.can_read_skp(a, skp) for k, a in actors.items()}
    assert allowed == {
        "kadis": True,
        "atasan": True,
        "supervisor": True,
        "pegawai": True,
        "peer": False,
        "admin": True,
        "auditor": True,
    }


def test_expectations_by_supervisor(world, actors):
    skp = _draft(actors, world)
    service.set_expectations(actors["supervisor"], skp, {"AKUNTABEL": "Register harian"})
    assert skp_queries.plan(skp).expectation_items[0][1] == "Register harian"
    service.set_expectations(actors["supervisor"], skp, {"AKUNTABEL": ""})
    assert skp_queries.plan(skp).expectations == {}
    with pytest.raises(NotAllowed):
        service.set_expectations(actors["pegawai"], skp, {"AKUNTABEL": "saya sendiri"})


# --- overview and tasks -------------------------------------------------------------------------


def test_team_overview_and_tasks(world, actors):
    periods = make_year(YEAR, open_numbers=(1,))
    Period.update(skp_deadline=today_wib() - timedelta(days=1)).where(Period.number == 0).execute()
    Period.update(realisation_deadline=today_wib() - timedelta(days=1)).where(
        Period.id == periods[1].id
    ).execute()
    _approved(world, actors)
    rows = {r["name"]: r for r in team_queries.team_overview(actors["supervisor"])}
    pegawai, peer = rows["Pegawai Uji"], rows["Rekan Uji"]
    assert pegawai["skp_status"] == "DISETUJUI" and pegawai["realisation_late"] and pegawai["late"]
    assert peer["skp_status"] is None and peer["skp_late"]
    tasks = skp_queries.task_provider(actors["pegawai"])
    assert [(t.title, t.count, t.late) for t in tasks] == [
        (f"Isi realisasi Triwulan I {YEAR}", 3, True)
    ]
    peer_tasks = skp_queries.task_provider(actors["peer"])
    assert peer_tasks[0].title == f"Susun SKP {YEAR}" and peer_tasks[0].late
    peer_skp = service.start(actors["peer"], YEAR)
    rhk = service.add_rhk(actors["peer"], peer_skp, {"text": "RHK", "kind": "UTAMA"})
    service.add_indicator(
        actors["peer"], rhk, {"text": "i", "target_value": "1", "target_unit": "u"}
    )
    service.submit(actors["peer"], peer_skp)
    queue_task = [
        t
        for t in skp_queries.task_provider(actors["supervisor"])
        if t.endpoint == "supervisor.skp_queue"
    ]
    assert queue_task and queue_task[0].count == 1


def test_cli_create_year_and_open_period(runner):
    result = runner.invoke(args=["create-year", "2031", "--skp-deadline", "2031-02-01"])
    assert result.exit_code == 0, result.output
    assert "Triwulan IV 2031" in result.output
    assert runner.invoke(args=["create-year", "2031"]).exit_code == 1
    assert runner.invoke(args=["open-period", "2031", "1"]).exit_code == 1  # not started yet
    with pinned_at(date(2031, 1, 1)):
        result = runner.invoke(args=["open-period", "2031", "1"])
    assert result.exit_code == 0 and "Triwulan I 2031 dibuka." in result.output
    assert runner.invoke(args=["open-period", "2031", "1", "--close"]).exit_code == 0
    assert runner.invoke(args=["open-period", "2031", "9"]).exit_code == 1
    assert period_queries.find(2031, 1).status == "DITUTUP"
