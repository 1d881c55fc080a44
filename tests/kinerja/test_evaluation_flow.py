"""The issue's "Done when" flow at service level: self-assessment, 360 (scores after the
third answer), rating with predikat, calibration breach, finalise, keberatan, decision."""

from kinerja.enums import Berakhlak, EvaluationStatus, OrgPredikat, Predikat, RaterGroup, Rating
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import Evaluation, FeedbackAnswer
from kinerja.permissions import Actor
from kinerja.queries.evaluation import rhks_of
from kinerja.services import calibration as calib
from kinerja.services import evaluation as svc
from kinerja.services import evaluation_feedback as fb
from kinerja.services import objection as obj
from tests.builders_evaluation import add_realisation, make_approved_skp, make_peers, make_period

A, SES, B = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI


def _all(rating):
    return {v.value: rating.value for v in Berakhlak}


def test_done_when_flow(world):
    period = make_period(number=3)  # ended 28 September: can be finalised
    pegawai = world.people["pegawai"]
    skp = make_approved_skp(pegawai, indicators=((100, 0), (50, 0)))
    add_realisation(skp, period, [130, 60])
    make_approved_skp(world.people["peer"])
    assert svc.create_evaluations_for_period(period) == 2
    assert svc.create_evaluations_for_period(period) == 0  # idempotent
    ev = Evaluation.get(Evaluation.employee == pegawai)

    me = Actor(world.accounts["pegawai"])
    boss = Actor(world.accounts["supervisor"])
    atasan = Actor(world.accounts["atasan"])

    # 1. self-assessment
    rhk = rhks_of(ev)[0]
    svc.save_self_assessment(
        me,
        ev,
        {rhk.id: (A.value, "Melampaui target")},
        {v.value: (SES.value, "") for v in Berakhlak},
    )
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.PENILAIAN_DIRI

    # 2. three peers answer; nothing shows while the round is open (issue 19), then the
    #    Pejabat Penilai closes it and the summary of all three is released once
    peers = make_peers(world, 3)
    assert fb.request_raters(boss, ev, [p.id for p in peers]) == 3
    requests = fb.requests_of(ev)
    assert {r.group for r in requests} == {RaterGroup.PEER}
    for i, request in enumerate(requests):
        peer_block = next(b for b in fb.summaries(ev) if b.group is RaterGroup.PEER)
        assert not peer_block.shown, f"scores visible after {i} answers"
        rater = Actor(request.rater.accounts.get())
        fb.answer(rater, request, _all(A), {Berakhlak.ADAPTIF.value: "Sigap"})
    peer_block = next(b for b in fb.summaries(ev) if b.group is RaterGroup.PEER)
    assert not peer_block.shown, "scores visible before the round is closed"
    assert fb.close_round(boss, ev)
    peer_block = next(b for b in fb.summaries(ev) if b.group is RaterGroup.PEER)
    assert peer_block.shown and peer_block.n == 3
    assert peer_block.values[0].summary.counts[A] == 3
    assert peer_block.values[0].summary.comments is None  # comments only at 5

    # 3. the supervisor rates; the predikat follows
    basis = svc.rating_basis(ev)
    assert basis.suggestion.rating is A
    ev = svc.rate(boss, ev, A, "Capaian di atas target", A, "Sangat melayani")
    assert ev.predikat == Predikat.SANGAT_BAIK
    assert "Sangat Baik" in ev.predikat_explanation

    # 4. calibration: unit Baik, everyone Sangat Baik → breaches named, evaluation linked
    #    (judged only once every evaluation of the unit is rated: the peer's too)
    seksi = world.units["seksi"]
    peer_ev = Evaluation.get(Evaluation.employee == world.people["peer"])
    calib.set_org_predikat(Actor(world.accounts["admin"]), seksi, period, OrgPredikat.BAIK)
    assert calib.calibration(seksi, period).breaches == []  # 1 of 2 rated: nothing judged
    svc.rate(boss, peer_ev, A, "Capaian di atas target", A, "Sangat melayani")
    calib.set_org_predikat(Actor(world.accounts["admin"]), seksi, period, OrgPredikat.BAIK)
    view = calib.calibration(seksi, period)
    assert view.breaches
    codes = {b.breach.code for b in view.breaches}
    assert "BAIK.BAIK_TERBESAR" in codes and "BAIK.ADA_BP_ATAU_KURANG" in codes
    assert any(ev.id in {e.id for e in b.concerned} for b in view.breaches)

    # 5. finalise
    ev = svc.finalise(boss, ev)
    assert ev.status == EvaluationStatus.FINAL and ev.objection_deadline

    # 6. the pelaksana objects
    objection = obj.file_objection(me, ev, "Perilaku saya dinilai terlalu tinggi? Tidak: hasil.")
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.KEBERATAN
    obj.add_message(atasan, objection, "Mohon jelaskan dasar rating.", requested_from="PENILAI")
    obj.add_message(boss, objection, "Dasar rating: capaian 130 %.")

    # 7. the supervisor's supervisor changes the rating with a reason
    obj.decide(atasan, objection, "CHANGE", "Perilaku sesuai ekspektasi saja", A, SES)
    ev = Evaluation.get_by_id(ev.id)
    assert ev.status == EvaluationStatus.DIPUTUS
    assert ev.predikat == Predikat.BAIK
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    for action in (
        "evaluasi.penilaian_diri",
        "umpan_balik_360.diminta",
        "umpan_balik_360.ditutup",
        "evaluasi.dinilai",
        "evaluasi.difinalisasi",
        "keberatan.diajukan",
        "keberatan.permintaan_penjelasan",
        "keberatan.diputus",
    ):
        assert action in actions
    # the answers carry no rater
    assert "rater" not in FeedbackAnswer._meta.fields
    assert "umpan_balik_360.dijawab" not in actions  # no per-rater entry at answer time
