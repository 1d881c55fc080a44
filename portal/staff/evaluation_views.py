"""Evaluation pages of every employee: my evaluations, self-assessment, my result with the
full explanation, acknowledge / keberatan, 360 requests to answer, the printable document,
development plans and nomination consent (docs/spec/product.md §2 "Evaluation", §3)."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja.enums import (
    BERAKHLAK_GUIDELINES,
    EDITABLE,
    Berakhlak,
    EvaluationStatus,
)
from kinerja.permissions import evaluation as perm
from kinerja.queries import evaluation as evaluation_queries
from kinerja.queries import objection as objection_queries
from kinerja.services import evaluation as svc
from kinerja.services import evaluation_feedback as fb
from kinerja.services import followup
from kinerja.services import objection as obj
from kinerja.services.evaluation import EvaluationError, Forbidden
from portal.evaluation_pages import (
    LABELS,
    evaluation_or_404,
    result_context,
)
from portal.security import current_actor, login_required, require
from portal.staff import bp


@bp.route("/penilaian")
@login_required
def evaluation_index():
    """My evaluations, newest first."""
    actor = current_actor()
    evaluations = evaluation_queries.evaluations_of(actor.employee_id)
    return render_template(
        "staff/evaluation/index.html",
        evaluations=evaluations,
        E=LABELS,
        late=evaluation_queries.is_late,
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
    rhks = evaluation_queries.rhks_of(ev)
    rhk_self, value_self = evaluation_queries.self_assessment(ev)
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
    editable = EvaluationStatus(ev.status) in (
        EvaluationStatus.TERBUKA,
        EvaluationStatus.PENILAIAN_DIRI,
    )
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
    objection = objection_queries.objection_of(ev)
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
            messages=objection_queries.messages_of(objection) if objection else [],
            objection_decided_by=objection_queries.decided_by_label(objection) if objection else "",
            objection_decider=(
                objection_queries.decider_label(objection, actor.day)
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
    rater, atasan = evaluation_queries.document_signatories(ev)
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
    fr = evaluation_queries.feedback_request_by_id(request_id)
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
    open_ = not fr.answered and EvaluationStatus(fr.evaluation.status) in EDITABLE
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
        plan = evaluation_queries.plan_by_id(request.values.get("plan", type=int))
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
    rec = evaluation_queries.recognition_by_id(recognition_id)
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
    plan = evaluation_queries.plan_by_id(plan_id)
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
