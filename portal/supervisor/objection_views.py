"""Keberatan pages of the atasan Pejabat Penilai (and the Pejabat Penilai's side):
both statements, requests for explanation, and the final decision (regulation.md §6)."""

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja.models.evaluation import Objection
from kinerja.permissions import evaluation as perm
from kinerja.services import objection as obj
from kinerja.services.evaluation import EvaluationError
from portal.security import current_actor, login_required, require
from portal.staff.evaluation_views import LABELS, result_context
from portal.supervisor import bp


def _objection_or_404(objection_id: int) -> Objection:
    objection = Objection.get_or_none(Objection.id == objection_id)
    if objection is None:
        abort(404)
    return objection


@bp.route("/keberatan")
@login_required
def objections():
    """Keberatan waiting for my decision, and those I decided."""
    actor = current_actor()
    every = obj.objections_to_decide(actor, include_decided=True)
    return render_template(
        "supervisor/evaluation/objections.html",
        open_=[o for o in every if not o.decision],
        decided=[o for o in every if o.decision],
        as_penilai=obj.objections_as_penilai(actor),
        E=LABELS,
    )


def _page(objection, errors=(), status=200):
    actor = current_actor()
    ev = objection.evaluation
    return (
        render_template(
            "supervisor/evaluation/objection.html",
            objection=objection,
            role=perm.objection_role(actor, objection),
            can_decide=perm.can_decide_objection(actor, objection),
            messages=obj.messages_of(objection),
            errors=list(errors),
            form=request.form,
            **{k: v for k, v in result_context(ev).items() if k not in ("objection", "messages")},
        ),
        status,
    )


@bp.route("/keberatan/<int:objection_id>", methods=["GET", "POST"])
@login_required
def objection_detail(objection_id):
    """Both sides' statements; the atasan asks for explanations, the penilai answers."""
    actor = current_actor()
    objection = _objection_or_404(objection_id)
    if request.method == "POST":
        require(perm.objection_role(actor, objection) in ("ATASAN", "PENILAI"))
        try:
            obj.add_message(
                actor,
                objection,
                request.form.get("text", ""),
                request.form.get("requested_from") or None,
            )
        except EvaluationError as exc:
            return _page(objection, [str(exc)], 422)
        flash("Catatan keberatan tersimpan.", "success")
        return redirect(url_for("supervisor.objection_detail", objection_id=objection.id), 303)
    require(
        perm.can_view_objection(actor, objection) and not perm.is_owner(actor, objection.evaluation)
    )
    return _page(objection)


@bp.route("/keberatan/<int:objection_id>/putusan", methods=["POST"])
@login_required
def objection_decide(objection_id):
    """The final decision: confirm, or change the ratings, with a reason."""
    actor = current_actor()
    objection = _objection_or_404(objection_id)
    require(perm.can_decide_objection(actor, objection))
    try:
        obj.decide(
            actor,
            objection,
            request.form.get("decision", ""),
            request.form.get("reason", ""),
            request.form.get("hasil") or None,
            request.form.get("perilaku") or None,
        )
    except EvaluationError as exc:
        return _page(objection, [str(exc)], 422)
    flash("Keberatan telah diputus. Putusan bersifat final dan tercatat.", "success")
    return redirect(url_for("supervisor.objection_detail", objection_id=objection.id), 303)
