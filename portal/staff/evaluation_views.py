"""Evaluation pages of every employee: my evaluations, self-assessment, my result with the
full explanation, acknowledge / keberatan, 360 requests to answer, the printable document,
development plans and nomination consent (docs/spec/product.md §2 "Evaluation", §3)."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja import org
from kinerja.clock import today_wib
from kinerja.enums import (
    BERAKHLAK_GUIDELINES,
    Berakhlak,
    EvaluationStatus,
    OrgPredikat,
    Predikat,
    RaterGroup,
    Rating,
)
from kinerja.models.evaluation import (
    DevelopmentPlan,
    Evaluation,
    FeedbackRequest,
    MessageRole,
    ObjectionDecision,
    PlanKind,
    PlanStatus,
    Recognition,
)
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.permissions import evaluation as perm
from kinerja.scoring import KUADRAN
from kinerja.services import evaluation as svc
from kinerja.services import evaluation_feedback as fb
from kinerja.services import followup
from kinerja.services import objection as obj
from kinerja.services.evaluation import EvaluationError, Forbidden
from portal.security import current_actor, login_required, require
from portal.staff import bp

LABELS = {
    "Rating": Rating,
    "Predikat": Predikat,
    "Status": EvaluationStatus,
    "OrgPredikat": OrgPredikat,
    "RaterGroup": RaterGroup,
    "Berakhlak": Berakhlak,
    "PlanKind": PlanKind,
    "PlanStatus": PlanStatus,
    "MessageRole": MessageRole,
    "Decision": ObjectionDecision,
}
HASIL_ROWS = (Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI)
PERILAKU_COLS = (Rating.DIBAWAH_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIATAS_EKSPEKTASI)


def kuadran_grid() -> list[tuple[Rating, list[tuple[Rating, Predikat]]]]:
    """The kuadran kinerja as rows (hasil) of cells (perilaku, predikat)."""
    return [(h, [(p, KUADRAN[(h, p)]) for p in PERILAKU_COLS]) for h in HASIL_ROWS]


def evaluation_or_404(evaluation_id: int) -> Evaluation:
    """The evaluation, or 404."""
    ev = (
        Evaluation.select(Evaluation, Period, Employee)
        .join(Period)
        .switch(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(Evaluation.id == evaluation_id)
        .first()
    )
    if ev is None:
        abort(404)
    return ev


def result_context(ev: Evaluation) -> dict:
    """Everything a result page shows: ratings, explanation, 360 summaries (thresholded),
    self-assessment, objection, follow-up, annual result."""
    rhk_self, value_self = svc.self_assessment(ev)
    objection = obj.objection_of(ev)
    head = org.unit_head(ev.unit_id) if ev.is_unit_head_rating else None
    return {
        "ev": ev,
        "E": LABELS,
        "grid": kuadran_grid(),
        "cols": PERILAKU_COLS,
        "basis": svc.rating_basis(ev),
        "rhk_self": rhk_self,
        "value_self": value_self,
        "blocks": fb.summaries(ev),
        "feedback_closed": fb.round_closed(ev),
        "thresholds": svc.thresholds_for(ev.period),
        "objection": objection,
        "messages": obj.messages_of(objection) if objection else [],
        "objection_decided_by": obj.decided_by_label(objection) if objection else "",
        "objection_decider": (
            obj.decider_label(objection, today_wib())
            if objection and not objection.decision
            else ""
        ),
        "plans": followup.plans_of(ev),
        "recognition": Recognition.get_or_none(Recognition.evaluation == ev.id),
        "annual": svc.annual_result(ev),
        "org_predikat": svc.org_predikat_of(ev.unit_id, ev.period) if head else None,
        "guidelines": BERAKHLAK_GUIDELINES,
    }


@bp.route("/penilaian")
@login_required
def evaluation_index():
    """My evaluations, newest first."""
    actor = current_actor()
    evaluations = svc.evaluations_of(actor.employee_id)
    return render_template(
        "staff/evaluation/index.html", evaluations=evaluations, E=LABELS, late=svc.is_late
    )


@bp.route("/penilaian/<int:evaluation_id>")
@login_required
def evaluation_detail(evaluation_id):
    """An evaluation's result with the full explanation (the person, chain, admins)."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_read_evaluation(actor, ev))
    return render_template(
        "staff/evaluation/detail.html",
        is_owner=perm.is_owner(actor, ev),
        can_rate=perm.can_rate(actor, ev),
        **result_context(ev),
    )


@bp.route("/penilaian/<int:evaluation_id>/penilaian-diri", methods=["GET", "POST"])
@login_required
def evaluation_self(evaluation_id):
    """Self-assessment: own rating and narrative per RHK and per BerAKHLAK value."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.is_owner(actor, ev))
    rhks = svc.rhks_of(ev)
    rhk_self, value_self = svc.self_assessment(ev)
    errors = []
    status = 200
    form = request.form
    if request.method == "POST":
        rhk_items = {
            r.id: (form.get(f"rhk-{r.id}-rating", ""), form.get(f"rhk-{r.id}-narrative", ""))
            for r in rhks
        }
        value_items = {
            v.value: (
                form.get(f"val-{v.value}-rating", ""),
                form.get(f"val-{v.value}-narrative", ""),
            )
            for v in Berakhlak
        }
        try:
            svc.save_self_assessment(actor, ev, rhk_items, value_items)
        except EvaluationError as exc:
            errors, status = [str(exc)], 422
        else:
            flash("Penilaian diri tersimpan dan dapat dilihat Pejabat Penilai.", "success")
            return redirect(url_for("staff.evaluation_detail", evaluation_id=ev.id), 303)
    editable = svc.S(ev.status) in (svc.S.TERBUKA, svc.S.PENILAIAN_DIRI)
    return (
        render_template(
            "staff/evaluation/self.html",
            ev=ev,
            rhks=rhks,
            rhk_self=rhk_self,
            value_self=value_self,
            form=form,
            errors=errors,
            editable=editable,
            guidelines=BERAKHLAK_GUIDELINES,
            E=LABELS,
        ),
        status,
    )


@bp.route("/penilaian/<int:evaluation_id>/terima", methods=["POST"])
@login_required
def evaluation_acknowledge(evaluation_id):
    """Acknowledge receipt of the final result (recorded)."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.is_owner(actor, ev))
    try:
        svc.acknowledge(actor, ev)
    except EvaluationError as exc:
        flash(str(exc), "error")
    else:
        flash("Anda telah menerima hasil evaluasi ini; penerimaan tercatat.", "success")
    return redirect(url_for("staff.evaluation_detail", evaluation_id=ev.id), 303)


@bp.route("/penilaian/<int:evaluation_id>/keberatan", methods=["GET", "POST"])
@login_required
def evaluation_objection(evaluation_id):
    """File a keberatan with reasons, or follow it and answer requests for explanation."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.is_owner(actor, ev))
    objection = obj.objection_of(ev)
    errors = []
    status = 200
    if request.method == "POST":
        try:
            if objection is None:
                obj.file_objection(actor, ev, request.form.get("reasons", ""))
                flash("Keberatan Anda diajukan kepada atasan Pejabat Penilai.", "success")
            else:
                obj.add_message(actor, objection, request.form.get("text", ""))
                flash("Penjelasan Anda tercatat.", "success")
        except EvaluationError as exc:
            errors, status = [str(exc)], 422
        else:
            return redirect(url_for("staff.evaluation_objection", evaluation_id=ev.id), 303)
    return (
        render_template(
            "staff/evaluation/objection.html",
            ev=ev,
            objection=objection,
            messages=obj.messages_of(objection) if objection else [],
            objection_decided_by=obj.decided_by_label(objection) if objection else "",
            objection_decider=(
                obj.decider_label(objection, actor.day)
                if objection and not objection.decision
                else ""
            ),
            errors=errors,
            form=request.form,
            E=LABELS,
            today=actor.day,
        ),
        status,
    )


@bp.route("/penilaian/<int:evaluation_id>/dokumen")
@login_required
def evaluation_document(evaluation_id):
    """Printable A4 Dokumen Evaluasi Kinerja Pegawai."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_read_evaluation(actor, ev))
    rater = Employee.get_or_none(Employee.id == ev.rated_by_id) if ev.rated_by_id else None
    atasan = None
    if ev.employee.supervisor_id:
        boss = Employee.get_or_none(Employee.id == ev.employee.supervisor_id)
        atasan = boss.supervisor if boss and boss.supervisor_id else None
    return render_template(
        "staff/evaluation/document.html", rater=rater, atasan=atasan, **result_context(ev)
    )


@bp.route("/umpan-balik-360")
@login_required
def feedback_tasks():
    """My 360 requests: the ones to answer and the ones answered."""
    actor = current_actor()
    return render_template("staff/evaluation/feedback_tasks.html", requests=fb.my_requests(actor))


@bp.route("/umpan-balik-360/<int:request_id>", methods=["GET", "POST"])
@login_required
def feedback_answer(request_id):
    """Answer a 360 request: each BerAKHLAK value with an optional comment (anonymous)."""
    actor = current_actor()
    fr = FeedbackRequest.get_or_none(FeedbackRequest.id == request_id)
    if fr is None:
        abort(404)
    require(perm.can_answer(actor, fr))
    errors = []
    status = 200
    if request.method == "POST":
        ratings = {v.value: request.form.get(f"rating-{v.value}", "") for v in Berakhlak}
        comments = {v.value: request.form.get(f"comment-{v.value}", "") for v in Berakhlak}
        try:
            fb.answer(actor, fr, ratings, comments)
        except EvaluationError as exc:
            errors, status = [str(exc)], 422
        else:
            flash("Terima kasih. Jawaban Anda tersimpan tanpa nama Anda.", "success")
            return redirect(url_for("staff.feedback_tasks"), 303)
    open_ = not fr.answered and svc.S(fr.evaluation.status) in svc.EDITABLE
    return (
        render_template(
            "staff/evaluation/feedback_answer.html",
            fr=fr,
            errors=errors,
            form=request.form,
            open_=open_,
            guidelines=BERAKHLAK_GUIDELINES,
            E=LABELS,
        ),
        status,
    )


@bp.route("/rencana-pengembangan", methods=["GET", "POST"])
@login_required
def development_plans():
    """My development plans (and plans I own), nominations and their consent."""
    actor = current_actor()
    status = 200
    if request.method == "POST":
        plan = DevelopmentPlan.get_or_none(
            DevelopmentPlan.id == request.values.get("plan", type=int)
        )
        if plan is None:
            abort(404)
        require(perm.can_update_plan(actor, plan))
        try:
            followup.set_plan_status(actor, plan, request.values.get("status", ""))
        except Forbidden as exc:
            flash(str(exc), "error")
            status = 403
        except EvaluationError as exc:
            flash(str(exc), "error")
            return redirect(url_for("staff.development_plans"), 303)
        else:
            flash("Status rencana diperbarui.", "success")
            return redirect(url_for("staff.development_plans"), 303)
    plans, recs = followup.my_followups(actor)
    owned = followup.owned_plans(actor)
    statuses = {}
    completable = set()
    for p in plans + owned:
        mandatory = followup.is_mandatory(p)
        statuses[p.id] = perm.plan_statuses_for(actor, p, mandatory=mandatory)
        if perm.can_record_completion(actor, p, mandatory=mandatory):
            completable.add(p.id)
    return (
        render_template(
            "staff/evaluation/plans.html",
            plans=plans,
            owned=owned,
            recs=recs,
            statuses=statuses,
            completable=completable,
            today=actor.day,
            E=LABELS,
        ),
        status,
    )


@bp.route("/penghargaan/<int:recognition_id>/persetujuan", methods=["POST"])
@login_required
def recognition_consent(recognition_id):
    """Record my consent (or refusal) to publishing my Pegawai Teladan nomination."""
    actor = current_actor()
    rec = Recognition.get_or_none(Recognition.id == recognition_id)
    if rec is None:
        abort(404)
    require(rec.evaluation.employee_id == actor.employee_id)
    consent = request.form.get("consent") == "ya"
    withdrawn = rec.consent is True and not consent
    followup.record_consent(actor, rec, consent)
    if withdrawn:
        message = "Persetujuan Anda ditarik; nama Anda tidak lagi tampil sebagai Pegawai Teladan."
    elif consent:
        message = "Persetujuan Anda tercatat; nama Anda tampil di halaman Pegawai Teladan."
    else:
        message = "Penolakan Anda tercatat; nama tidak dipublikasikan."
    flash(message, "success")
    return redirect(url_for("staff.development_plans"), 303)


def _day(text: str):
    """An ISO date from a date field, or None."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@bp.route("/rencana-pengembangan/<int:plan_id>/selesai", methods=["GET", "POST"])
@login_required
def plan_completion(plan_id):
    """Record that a development plan was carried out (the plan's owner or the head)."""
    actor = current_actor()
    plan = DevelopmentPlan.get_or_none(DevelopmentPlan.id == plan_id)
    if plan is None:
        abort(404)
    require(perm.can_record_completion(actor, plan, mandatory=followup.is_mandatory(plan)))
    head = perm.can_plan(actor, plan.employee)
    back = (
        url_for("supervisor.development_plan", evaluation_id=plan.evaluation_id)
        if head
        else url_for("staff.development_plans")
    )
    errors, status = [], 200
    if request.method == "POST":
        try:
            followup.record_completion(
                actor, plan, _day(request.form.get("completed_at")), request.form.get("note", "")
            )
        except EvaluationError as exc:
            errors, status = [str(exc)], 422
        else:
            flash("Penyelesaian rencana pengembangan tercatat.", "success")
            return redirect(back, 303)
    return (
        render_template(
            "staff/evaluation/plan_completion.html",
            plan=plan,
            back=back,
            errors=errors,
            form=request.form,
            today=actor.day,
            E=LABELS,
        ),
        status,
    )
