"""Access table: evaluation, 360 feedback, calibration, keberatan, follow-up, admin."""

from datetime import timedelta

from kinerja.clock import today_wib
from kinerja.models.evaluation import (
    DevelopmentPlan,
    FeedbackRequest,
    Objection,
    Recognition,
)
from tests.access import INTERNAL, LOGGED_IN, both, get, post
from tests.builders_evaluation import make_evaluation, make_period

PEGAWAI = {"pegawai"}
RATER = {"supervisor"}
CHAIN = {"supervisor", "atasan"}
READERS = {"pegawai", "supervisor", "atasan", "admin", "auditor"}


def setup(world):
    """An open evaluation of the pegawai, a 360 request to the pegawai on the peer's
    evaluation, and a final evaluation under keberatan with a plan and a nomination."""
    pegawai, peer = world.people["pegawai"], world.people["peer"]
    open_period = make_period(number=3)
    ev_open = make_evaluation(pegawai, open_period)
    ev_peer = make_evaluation(peer, open_period)
    request = FeedbackRequest.create(
        evaluation=ev_peer,
        rater=pegawai,
        group="PEER",
        requested_by=world.people["supervisor"],
        requested_on=today_wib(),
    )
    final_period = make_period(number=2)
    ev_final = make_evaluation(
        pegawai,
        final_period,
        status="KEBERATAN",
        hasil_rating="SESUAI_EKSPEKTASI",
        perilaku_rating="SESUAI_EKSPEKTASI",
        predikat="BAIK",
        objection_deadline=today_wib() + timedelta(days=10),
    )
    objection = Objection.create(
        evaluation=ev_final,
        reasons="Tidak setuju",
        old_hasil_rating="SESUAI_EKSPEKTASI",
        old_perilaku_rating="SESUAI_EKSPEKTASI",
        old_predikat="BAIK",
    )
    plan = DevelopmentPlan.create(
        evaluation=ev_final,
        employee=pegawai,
        kind="COACHING",
        description="Coaching layanan",
        owner=world.people["supervisor"],
        due=today_wib() + timedelta(days=30),
    )
    rec = Recognition.create(evaluation=ev_final, reason="Teladan")
    world.objects.update(
        ev_open=ev_open,
        ev_final=ev_final,
        request=request,
        objection=objection,
        plan=plan,
        rec=rec,
        open_period=open_period,
    )


def _o(key):
    return lambda w: w.objects[key].id


ROUTES = {
    "staff.evaluation_index": get(LOGGED_IN, "/penilaian"),
    "staff.evaluation_detail": get(READERS, lambda w: f"/penilaian/{_o('ev_open')(w)}"),
    "staff.evaluation_self": both(
        PEGAWAI, PEGAWAI, lambda w: f"/penilaian/{_o('ev_open')(w)}/penilaian-diri"
    ),
    "staff.evaluation_acknowledge": post(
        PEGAWAI, lambda w: f"/penilaian/{_o('ev_open')(w)}/terima"
    ),
    "staff.evaluation_objection": both(
        PEGAWAI, PEGAWAI, lambda w: f"/penilaian/{_o('ev_final')(w)}/keberatan"
    ),
    "staff.evaluation_document": get(READERS, lambda w: f"/penilaian/{_o('ev_final')(w)}/dokumen"),
    "staff.feedback_tasks": get(LOGGED_IN, "/umpan-balik-360"),
    "staff.feedback_answer": both(
        PEGAWAI, PEGAWAI, lambda w: f"/umpan-balik-360/{_o('request')(w)}"
    ),
    "staff.development_plans": both(
        LOGGED_IN,
        {"pegawai", "supervisor", "atasan"},
        lambda w: f"/rencana-pengembangan?plan={_o('plan')(w)}&status=BERJALAN",
        note="POST changes the status of the setup's plan",
    ),
    "staff.recognition_consent": post(
        PEGAWAI, lambda w: f"/penghargaan/{_o('rec')(w)}/persetujuan"
    ),
    "supervisor.evaluations": get(CHAIN, "/atasan/penilaian"),
    "supervisor.evaluation_rate": both(
        CHAIN, RATER, lambda w: f"/atasan/penilaian/{_o('ev_open')(w)}"
    ),
    "supervisor.evaluation_predikat": get(
        RATER,
        lambda w: (
            f"/atasan/penilaian/{_o('ev_open')(w)}/predikat"
            "?hasil=SESUAI_EKSPEKTASI&perilaku=SESUAI_EKSPEKTASI"
        ),
    ),
    "supervisor.evaluation_raters": both(
        RATER, RATER, lambda w: f"/atasan/penilaian/{_o('ev_open')(w)}/360"
    ),
    "supervisor.evaluation_feedback_close": post(
        RATER, lambda w: f"/atasan/penilaian/{_o('ev_open')(w)}/360/tutup"
    ),
    "supervisor.evaluation_finalise_confirm": get(
        RATER,
        lambda w: f"/atasan/penilaian/{_o('ev_open')(w)}/finalisasi",
        note="the open evaluation is not rated: the page says why (409)",
    ),
    "supervisor.evaluation_finalise": post(
        RATER, lambda w: f"/atasan/penilaian/{_o('ev_open')(w)}/finalisasi"
    ),
    "supervisor.calibration": get(
        CHAIN | INTERNAL,
        lambda w: (
            f"/atasan/kalibrasi?unit_id={w.units['seksi'].id}&period_id={_o('open_period')(w)}"
        ),
    ),
    "supervisor.development_plan": both(
        CHAIN, CHAIN, lambda w: f"/atasan/penilaian/{_o('ev_final')(w)}/rencana-pengembangan"
    ),
    "supervisor.nominate": post(CHAIN, lambda w: f"/atasan/penilaian/{_o('ev_final')(w)}/teladan"),
    "supervisor.objections": get(LOGGED_IN, "/atasan/keberatan"),
    "supervisor.objection_detail": both(
        CHAIN | INTERNAL, CHAIN, lambda w: f"/atasan/keberatan/{_o('objection')(w)}"
    ),
    "supervisor.objection_preview": get(
        {"atasan"},
        lambda w: f"/atasan/keberatan/{_o('objection')(w)}/pratinjau?decision=CHANGE",
    ),
    "supervisor.objection_decide": post(
        {"atasan"}, lambda w: f"/atasan/keberatan/{_o('objection')(w)}/putusan"
    ),
    "admin.org_predikat": both(INTERNAL, {"admin"}, "/admin/predikat-organisasi"),
    "admin.pattern": both(INTERNAL, {"admin"}, "/admin/pola-distribusi"),
}
