"""Rules of the evaluation: who rates and decides, locking, frozen thresholds, keberatan
window, unit heads, follow-up, angka kredit."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja import settings
from kinerja.clock import today_wib
from kinerja.enums import Berakhlak, EvaluationStatus, OrgPredikat, Predikat, RaterGroup, Rating
from kinerja.models.evaluation import Evaluation, FeedbackAnswer, FeedbackRequest
from kinerja.models.org import ActingOfficial
from kinerja.permissions import Actor
from kinerja.queries import evaluation as evaluation_queries
from kinerja.scoring import predikat_for
from kinerja.services import calibration as calib
from kinerja.services import evaluation as svc
from kinerja.services import evaluation_feedback as fb
from kinerja.services import followup
from kinerja.services import objection as obj
from kinerja.services.evaluation import ORG_TO_HASIL, EvaluationError, Forbidden
from tests.builders import make_account, make_employee
from tests.builders_evaluation import make_evaluation, make_peers, make_period

A, S, B = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI


def _actor(world, key):
    return Actor(world.accounts[key])


def _rated(world, period=None, **fields):
    period = period or make_period()
    ev = make_evaluation(world.people["pegawai"], period, **fields)
    return svc.rate(_actor(world, "supervisor"), ev, S, "sesuai", S, "sesuai")


@pytest.mark.parametrize("who", ["pegawai", "peer", "atasan", "kadis", "admin", "auditor"])
def test_only_the_pejabat_penilai_rates(world, who):
    ev = make_evaluation(world.people["pegawai"], make_period())
    with pytest.raises(Forbidden):
        svc.rate(_actor(world, who), ev, S, "x", S, "x")
    with pytest.raises(Forbidden):
        svc.finalise(_actor(world, who), ev)
    with pytest.raises(Forbidden):
        fb.request_raters(_actor(world, who), ev, [world.people["peer"].id])


def test_a_plt_standing_in_for_the_supervisor_rates(world):
    plt = make_employee("Plt Uji", unit=world.units["bidang"], jenis="PENGAWAS")
    account = make_account(plt)
    today = today_wib()
    ActingOfficial.create(
        acting=plt,
        for_employee=world.people["supervisor"],
        kind="PLT",
        start=today - timedelta(days=1),
        end=today + timedelta(days=30),
    )
    ev = make_evaluation(world.people["pegawai"], make_period())
    ev = svc.rate(Actor(account), ev, A, "baik", A, "baik")
    assert ev.predikat == Predikat.SANGAT_BAIK and ev.rated_by_id == plt.id


@pytest.mark.parametrize("who", ["pegawai", "supervisor", "kadis", "admin", "auditor"])
def test_only_the_atasan_decides_an_objection(world, who):
    ev = svc.finalise(_actor(world, "supervisor"), _rated(world))
    objection = obj.file_objection(_actor(world, "pegawai"), ev, "Tidak setuju")
    with pytest.raises(Forbidden):
        obj.decide(_actor(world, who), objection, "CONFIRM", "tetap")
    obj.decide(_actor(world, "atasan"), objection, "CONFIRM", "tetap")
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.DIPUTUS


def test_a_final_evaluation_cannot_be_edited_except_by_the_decision(world):
    ev = svc.finalise(_actor(world, "supervisor"), _rated(world))
    assert ev.status == EvaluationStatus.FINAL and ev.finalised_by_id
    with pytest.raises(EvaluationError, match="final"):
        svc.rate(_actor(world, "supervisor"), ev, A, "ubah", A, "ubah")
    with pytest.raises(Forbidden):
        svc.rate(_actor(world, "admin"), ev, A, "ubah", A, "ubah")
    with pytest.raises(EvaluationError):
        svc.save_self_assessment(_actor(world, "pegawai"), ev, {}, {})
    with pytest.raises(EvaluationError, match="final"):
        fb.request_raters(_actor(world, "supervisor"), ev, [world.people["peer"].id])
    with pytest.raises(EvaluationError):
        svc.finalise(_actor(world, "supervisor"), ev)
    assert Evaluation.get_by_id(ev.id).predikat == Predikat.BAIK
    objection = obj.file_objection(_actor(world, "pegawai"), ev, "Mohon ditinjau")
    with pytest.raises(EvaluationError):
        svc.rate(_actor(world, "supervisor"), ev, A, "ubah", A, "ubah")
    obj.decide(_actor(world, "atasan"), objection, "CHANGE", "lebih baik", A, A)
    ev = Evaluation.get_by_id(ev.id)
    assert ev.predikat == Predikat.SANGAT_BAIK and ev.status == EvaluationStatus.DIPUTUS
    with pytest.raises(EvaluationError):
        obj.decide(_actor(world, "atasan"), objection, "CONFIRM", "lagi")
    with pytest.raises(EvaluationError):
        svc.rate(_actor(world, "supervisor"), ev, B, "ubah", B, "ubah")


def test_admin_pages_cannot_edit_a_final_evaluation(client, login_as, world):
    ev = svc.finalise(_actor(world, "supervisor"), _rated(world))
    data = {"hasil": A, "hasil_reason": "x", "perilaku": A, "perilaku_reason": "x"}
    login_as(world.accounts["admin"])
    assert client.post(f"/atasan/penilaian/{ev.id}", data=data).status_code == 403
    login_as(world.accounts["supervisor"])
    assert client.post(f"/atasan/penilaian/{ev.id}", data=data).status_code == 422
    assert Evaluation.get_by_id(ev.id).predikat == Predikat.BAIK


def test_late_objection_is_refused_with_the_deadline(world):
    ev = svc.finalise(_actor(world, "supervisor"), _rated(world))
    Evaluation.update(objection_deadline=date(2026, 1, 14)).where(Evaluation.id == ev.id).execute()
    with pytest.raises(EvaluationError, match="14 Januari 2026"):
        obj.file_objection(_actor(world, "pegawai"), Evaluation.get_by_id(ev.id), "Terlambat")
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.FINAL


def test_objection_window_uses_the_setting_frozen_with_the_period(world):
    settings.store("objection_days", 7)
    period = make_period()
    settings.store("objection_days", 30)
    ev = svc.finalise(_actor(world, "supervisor"), _rated(world, period))
    assert ev.objection_deadline == today_wib() + timedelta(days=7)


def _answer(world, ev, peers, rating=A):
    for peer in peers:
        request = next(r for r in fb.requests_of(ev) if r.rater_id == peer.id)
        fb.answer(Actor(peer.accounts.get()), request, {v.value: rating for v in Berakhlak}, {})


def test_thresholds_are_read_from_the_configuration_frozen_at_opening(world):
    settings.store("feedback_scores_min", 4)
    period = make_period()  # frozen with 4
    settings.store("feedback_scores_min", 2)  # later change does not apply
    boss = _actor(world, "supervisor")
    peers = make_peers(world, 4)
    three = make_evaluation(world.people["peer"], period)
    fb.request_raters(boss, three, [p.id for p in peers[:3]])
    _answer(world, three, peers[:3])
    fb.close_round(boss, three)
    block = next(b for b in fb.summaries(three) if b.group is RaterGroup.PEER)
    assert not block.shown and "4" in block.scores_reason
    ev = make_evaluation(world.people["pegawai"], period)
    fb.request_raters(boss, ev, [p.id for p in peers])
    _answer(world, ev, peers)
    fb.close_round(boss, ev)
    block = next(b for b in fb.summaries(ev) if b.group is RaterGroup.PEER)
    assert block.shown and block.n == 4


def test_answers_carry_no_rater_and_cannot_be_given_twice(world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    peers = make_peers(world, 1)
    fb.request_raters(_actor(world, "supervisor"), ev, [peers[0].id])
    _answer(world, ev, peers)
    rows = list(FeedbackAnswer.select().where(FeedbackAnswer.evaluation == ev.id))
    assert len(rows) == 7
    # Nothing groups a submission's rows or dates them (issue 19 item 1).
    columns = set(FeedbackAnswer._meta.fields)
    assert columns == {"id", "evaluation", "group", "value", "rating", "comment"}
    assert set(FeedbackRequest._meta.fields) & {"answered_on", "answered_at"} == set()
    with pytest.raises(EvaluationError):
        _answer(world, ev, peers)
    with pytest.raises(Forbidden):
        request = fb.requests_of(ev)[0]
        fb.answer(_actor(world, "supervisor"), request, {}, {})


def test_raters_exclude_the_person_and_the_penilai(world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    boss = _actor(world, "supervisor")
    for bad in (world.people["pegawai"].id, world.people["supervisor"].id):
        with pytest.raises(EvaluationError):
            fb.request_raters(boss, ev, [bad])
    assert fb.request_raters(boss, ev, [world.people["peer"].id, world.people["admin"].id]) == 2
    groups = {r.rater_id: r.group for r in fb.requests_of(ev)}
    assert groups[world.people["peer"].id] == RaterGroup.PEER
    assert groups[world.people["admin"].id] == RaterGroup.OTHER


def test_unit_head_takes_the_organisation_predikat(world):
    period = make_period()
    kasi = world.people["supervisor"]  # heads the seksi
    ev = make_evaluation(kasi, period)
    assert evaluation_queries.is_unit_head(ev)
    atasan = _actor(world, "atasan")
    with pytest.raises(EvaluationError, match="Predikat Kinerja Organisasi"):
        svc.rate(atasan, ev, A, "", A, "perilaku")
    calib.set_org_predikat(_actor(world, "admin"), world.units["seksi"], period, "BAIK")
    ev = svc.rate(atasan, ev, A, "", A, "perilaku")  # the chosen hasil is ignored
    assert ev.hasil_rating == Rating.SESUAI_EKSPEKTASI and ev.is_unit_head_rating
    assert "SE MenPANRB 3/2023" in ev.hasil_reason
    assert ev.predikat == Predikat.BAIK


@given(st.sampled_from(list(OrgPredikat)), st.sampled_from(list(Rating)))
def test_unit_head_mapping_is_total_and_monotone(org, perilaku):
    hasil = ORG_TO_HASIL[org]
    assert predikat_for(hasil, perilaku).hasil is hasil
    order = list(OrgPredikat)
    ranks = [list(Rating).index(ORG_TO_HASIL[o]) for o in order]
    assert ranks == sorted(ranks)


def test_only_admin_sets_org_predikat_and_pattern(world):
    period = make_period()
    with pytest.raises(Forbidden):
        calib.set_org_predikat(_actor(world, "supervisor"), world.units["seksi"], period, "BAIK")
    with pytest.raises(Forbidden):
        calib.save_pattern(_actor(world, "auditor"), "{}")
    with pytest.raises(EvaluationError, match="tidak valid"):
        calib.save_pattern(_actor(world, "admin"), "{bukan json")
    version, pattern = calib.active_pattern()
    from kinerja.scoring import pattern_to_json

    row = calib.save_pattern(_actor(world, "admin"), pattern_to_json(pattern), "uji")
    assert row.version == version.version + 1 and calib.active_pattern()[0].id == row.id


def _plan_coaching(world, ev):
    """The supervisor plans coaching for ``ev`` within 30 days."""
    followup.add_plan(
        _actor(world, "supervisor"),
        ev,
        "COACHING",
        "Coaching pelayanan",
        world.people["supervisor"].id,
        today_wib() + timedelta(days=30),
    )


def test_butuh_perbaikan_requires_a_development_plan(world):
    annual = make_period(2025, kind="TAHUNAN")  # ended: finalised after its end
    ev = make_evaluation(world.people["pegawai"], annual)
    ev = svc.rate(_actor(world, "supervisor"), ev, B, "kurang", S, "sesuai")
    assert ev.predikat == Predikat.BUTUH_PERBAIKAN
    assert followup.unfinished_followups(annual) == []  # not final yet
    ev = svc.finalise(_actor(world, "supervisor"), ev)
    assert [e.id for e in followup.unfinished_followups(annual)] == [ev.id]
    assert followup.needs_plan(ev)
    with pytest.raises(EvaluationError):
        followup.add_plan(_actor(world, "supervisor"), ev, "COACHING", "", None, None)
    _plan_coaching(world, ev)
    assert followup.unfinished_followups(annual) == []


def test_closing_a_period_waits_for_evaluations_and_development_plans(world):
    from kinerja.services import periods

    annual = make_period(2025, kind="TAHUNAN")  # ended: finalised after its end
    ev = make_evaluation(world.people["pegawai"], annual)
    with pytest.raises(periods.PeriodUnfinished) as refused:
        periods.close_period(annual)
    assert [e.id for e in refused.value.evaluations] == [ev.id]
    assert "1 evaluasi belum final" in str(refused.value)
    ev = svc.rate(_actor(world, "supervisor"), ev, B, "kurang", S, "sesuai")
    ev = svc.finalise(_actor(world, "supervisor"), ev)
    ev = svc.acknowledge(_actor(world, "pegawai"), ev)
    with pytest.raises(periods.PeriodUnfinished) as refused:
        periods.close_period(annual)
    assert refused.value.evaluations == []
    assert [e.id for e in refused.value.followups] == [ev.id]
    assert "rencana pengembangan" in str(refused.value)
    _plan_coaching(world, ev)
    assert periods.close_period(annual).status == "DITUTUP"


def test_sangat_baik_nomination_with_consent(world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    ev = svc.rate(_actor(world, "supervisor"), ev, A, "baik", A, "baik")
    with pytest.raises(EvaluationError):
        followup.nominate(_actor(world, "supervisor"), ev, "teladan")  # not final yet
    ev = svc.finalise(_actor(world, "supervisor"), ev)
    rec = followup.nominate(_actor(world, "supervisor"), ev, "Teladan pelayanan")
    with pytest.raises(Forbidden):
        followup.record_consent(_actor(world, "supervisor"), rec, True)
    rec = followup.record_consent(_actor(world, "pegawai"), rec, True)
    assert rec.consent is True and rec.consent_recorded_at


def test_annual_angka_kredit_for_functional_positions(world):
    jf = make_employee(
        "Pranata Komputer",
        unit=world.units["seksi"],
        supervisor=world.people["supervisor"],
        jenis="FUNGSIONAL",
        jenjang="AHLI_PERTAMA",
    )
    annual = make_period(2025, kind="TAHUNAN")  # ended: finalised after its end
    ev = make_evaluation(jf, annual)
    ev = svc.rate(_actor(world, "supervisor"), ev, A, "baik", A, "baik")
    ev = svc.finalise(_actor(world, "supervisor"), ev)
    assert ev.angka_kredit == Decimal("18.750")  # 12,5 × 150 % × 12/12
    result = evaluation_queries.annual_result(ev)
    assert result.predikat is Predikat.SANGAT_BAIK and result.months == 12


def test_evaluations_created_only_for_approved_skp(world):
    from tests.builders_evaluation import make_approved_skp

    period = make_period()
    make_approved_skp(world.people["pegawai"])
    skp = make_approved_skp(world.people["peer"])
    skp.status = "DIAJUKAN"
    skp.save()
    assert svc.create_evaluations_for_period(period) == 1
    ev = Evaluation.get(Evaluation.period == period.id)
    assert ev.employee_id == world.people["pegawai"].id and ev.unit_id == ev.employee.unit_id


def test_task_lists(world):
    from kinerja.queries.tasks import tasks_for

    period = make_period()
    ev = make_evaluation(world.people["pegawai"], period)
    peers = make_peers(world, 1)
    fb.request_raters(_actor(world, "supervisor"), ev, [peers[0].id])
    endpoints = {t.endpoint for t in tasks_for(_actor(world, "pegawai"))}
    assert "staff.evaluation_self" in endpoints
    assert "supervisor.evaluations" in {t.endpoint for t in tasks_for(_actor(world, "supervisor"))}
    peer_tasks = tasks_for(Actor(peers[0].accounts.get()))
    assert "staff.feedback_answer" in {t.endpoint for t in peer_tasks}
    ev = svc.finalise(
        _actor(world, "supervisor"), svc.rate(_actor(world, "supervisor"), ev, S, "s", S, "s")
    )
    objection = obj.file_objection(_actor(world, "pegawai"), ev, "alasan")
    atasan_tasks = tasks_for(_actor(world, "atasan"))
    assert any(t.endpoint == "supervisor.objection_detail" for t in atasan_tasks)
    obj.add_message(_actor(world, "atasan"), objection, "jelaskan", requested_from="EMPLOYEE")
    assert "staff.evaluation_objection" in {t.endpoint for t in tasks_for(_actor(world, "pegawai"))}


def test_opening_a_period_creates_the_evaluations(world):
    from kinerja.services import periods
    from tests.builders_evaluation import make_approved_skp

    period = make_period(status="DIRENCANAKAN")
    make_approved_skp(world.people["pegawai"])
    periods.open_period(period, actor=world.accounts["admin"])
    ev = Evaluation.get(Evaluation.period == period.id)
    assert ev.employee_id == world.people["pegawai"].id and ev.status == EvaluationStatus.TERBUKA


def test_overseen_units_agree_with_oversees_unit_one_by_one(world):
    # The calibration list is computed in a bounded number of queries; it must name
    # exactly the units the one-unit check allows, for heads, the chain, a Plt and others.
    from datetime import timedelta

    from kinerja.clock import today_wib
    from kinerja.models.org import ActingOfficial, Unit
    from kinerja.permissions import evaluation as perm
    from tests.builders import make_account, make_employee, make_unit
    from tests.builders_evaluation import actor_of

    other = make_unit("Dinas Lain", code="LAIN", kind="OPD")
    make_employee("Kepala Lain", unit=other, jenis="JPT", golongan="IV/c")
    plt = make_employee("Plt Uji", unit=world.units["bkpsdm"])
    world.accounts["plt"] = make_account(plt)
    today = today_wib()
    ActingOfficial.create(
        acting=plt,
        for_employee=world.people["atasan"],
        kind="PLT",
        start=today - timedelta(days=1),
        end=today + timedelta(days=5),
    )
    units = list(Unit.select().where(Unit.active).order_by(Unit.code))
    for key in world.accounts:
        actor = actor_of(world, key)
        expected = [u.code for u in units if perm.oversees_unit(actor, u)]
        assert [u.code for u in perm.overseen_units(actor, units)] == expected, key
    assert [u.code for u in perm.overseen_units(actor_of(world, "plt"), units)] == [
        "DUKCAPIL.PDP.ID"
    ]


def _weak_final(world):
    """A final annual Butuh Perbaikan: its development plan is mandatory."""
    annual = make_period(2025, kind="TAHUNAN")  # ended: finalised after its end
    ev = make_evaluation(world.people["pegawai"], annual)
    ev = svc.rate(_actor(world, "supervisor"), ev, B, "kurang", S, "sesuai")
    return annual, svc.finalise(_actor(world, "supervisor"), ev)


@pytest.mark.parametrize("closing", ["SELESAI", "BATAL"])
def test_employee_records_progress_but_cannot_close_a_mandatory_plan(world, closing):
    annual, ev = _weak_final(world)
    # the employee is even the plan's owner (penanggung jawab)
    plan = followup.add_plan(
        _actor(world, "supervisor"),
        ev,
        "PELATIHAN",
        "Pelatihan pelayanan prima",
        world.people["pegawai"].id,
        today_wib() + timedelta(days=30),
    )
    pegawai = _actor(world, "pegawai")
    assert followup.set_plan_status(pegawai, plan, "BERJALAN").status == "BERJALAN"
    with pytest.raises(Forbidden, match="Pejabat Penilai"):
        followup.set_plan_status(pegawai, plan, closing)
    assert followup.plans_of(ev)[0].status == "BERJALAN"
    # a cancelled mandatory plan would have freed the period to close without a plan
    assert followup.unfinished_followups(annual) == []
    plan = followup.set_plan_status(_actor(world, "supervisor"), plan, closing)
    assert plan.status == closing
    with pytest.raises(Forbidden):  # nor reopen what the supervisor closed
        followup.set_plan_status(pegawai, plan, "BERJALAN")
    from kinerja.permissions import evaluation as perm

    assert perm.plan_statuses_for(pegawai, plan, mandatory=True) == []
    assert perm.plan_statuses_for(_actor(world, "supervisor"), plan, mandatory=True) == list(
        followup.PlanStatus
    )


def test_employee_may_close_a_plan_that_is_not_mandatory(world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    ev = svc.finalise(
        _actor(world, "supervisor"), svc.rate(_actor(world, "supervisor"), ev, S, "s", S, "s")
    )
    assert not followup.needs_plan(ev)
    plan = followup.add_plan(
        _actor(world, "supervisor"),
        ev,
        "MENTORING",
        "Mentoring sukarela",
        world.people["pegawai"].id,
        today_wib() + timedelta(days=30),
    )
    assert followup.set_plan_status(_actor(world, "pegawai"), plan, "SELESAI").status == "SELESAI"
