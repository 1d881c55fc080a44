"""Keberatan decided by an official without an account (issue 18 item 4).

A kepala dinas is rated by the Sekda, so his keberatan is decided by the Wali Kota (the
Pejabat Pembina Kepegawaian), who has no account. The Admin BKPSDM lists the keberatan
waiting for such an official and records the written decision: the decision and its reason,
the letter's number and date, and the letter itself (PDF, at most 2 MB). Auditors read.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for

from kinerja.models.evaluation import Objection, ObjectionOfficialDecision
from kinerja.permissions import evaluation as perm
from kinerja.queries import objection as objection_queries
from kinerja.services import objection as obj
from kinerja.services.evaluation import EvaluationError
from portal.admin import bp
from portal.evaluation_pages import LABELS
from portal.security import current_actor, internal_reader_required, require


def _objection_or_404(objection_id: int) -> Objection:
    objection = Objection.get_or_none(Objection.id == objection_id)
    if objection is None:
        abort(404)
    return objection


@bp.route("/keberatan")
@internal_reader_required
def objections():
    """Keberatan waiting for the decision of an official without an account, and those
    whose decision was recorded."""
    actor = current_actor()
    require(perm.can_list_official_objections(actor))
    every = objection_queries.objections_for_officials(actor.day, include_decided=True)
    return render_template(
        "admin/console/objections.html",
        waiting=[o for o in every if not o.decision],
        recorded=[o for o in every if o.decision],
        decider=lambda o: perm.objection_decider(o, actor.day),
        E=LABELS,
    )


def _page(objection: Objection, errors=(), status=200):
    actor = current_actor()
    decider = perm.objection_decider(objection, actor.day)
    return (
        render_template(
            "admin/console/objection.html",
            objection=objection,
            ev=objection.evaluation,
            decider=decider,
            decider_label=objection_queries.decider_label(objection, actor.day),
            record=objection_queries.official_decision_of(objection),
            decided_by=objection_queries.decided_by_label(objection),
            can_record=perm.can_record_official_decision(actor, objection)
            and not objection.decision,
            messages=objection_queries.messages_of(objection),
            max_mb=obj.LETTER_MAX_BYTES // (1024 * 1024),
            errors=list(errors),
            form=request.form,
            E=LABELS,
        ),
        status,
    )


@bp.route("/keberatan/<int:objection_id>", methods=["GET", "POST"])
@internal_reader_required
def objection_record(objection_id):
    """A keberatan; an admin records the written decision of an official without an account
    (one transaction, audited)."""
    actor = current_actor()
    objection = _objection_or_404(objection_id)
    require(perm.can_view_objection(actor, objection))
    if request.method == "GET":
        return _page(objection)
    require(perm.can_record_official_decision(actor, objection))
    upload = request.files.get("letter")
    content, filename = b"", ""
    if upload is not None and upload.filename:
        filename = upload.filename
        try:
            content = upload.stream.read(obj.LETTER_MAX_BYTES + 1)
        finally:
            upload.close()
    letter = obj.DecisionLetter(
        request.form.get("letter_number", ""),
        request.form.get("letter_date", ""),
        filename,
        content,
    )
    try:
        obj.record_official_decision(
            actor,
            objection,
            request.form.get("decision", ""),
            request.form.get("reason", ""),
            letter,
            request.form.get("hasil") or None,
            request.form.get("perilaku") or None,
        )
    except EvaluationError as exc:
        status = 413 if len(content) > obj.LETTER_MAX_BYTES else 422
        return _page(objection, [str(exc)], status)
    flash("Putusan pejabat tercatat. Putusan bersifat final.", "success")
    return redirect(url_for("admin.objection_record", objection_id=objection.id), 303)


@bp.route("/keberatan/<int:objection_id>/surat.pdf")
@internal_reader_required
def objection_letter(objection_id):
    """The recorded decision letter (PDF), as an attachment."""
    actor = current_actor()
    objection = _objection_or_404(objection_id)
    require(perm.can_view_objection(actor, objection))
    record = ObjectionOfficialDecision.get_or_none(
        ObjectionOfficialDecision.objection == objection.id
    )
    if record is None:
        abort(404)
    return Response(
        bytes(record.content),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="surat-putusan-{objection.id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
