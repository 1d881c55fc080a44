"""Keberatan pages of the atasan Pejabat Penilai (and the Pejabat Penilai's side):
both statements, requests for explanation, and the final decision (docs/spec/regulation.md §6)."""

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja.enums import Predikat, Rating
from kinerja.models.evaluation import Objection, ObjectionDecision
from kinerja.permissions import evaluation as perm
from kinerja.queries import objection as objection_queries
from kinerja.scoring import predikat_for
from kinerja.services import objection as obj
from kinerja.services.evaluation import EvaluationError
from portal.evaluation_pages import LABELS, result_context
from portal.render import page_or_fragment
from portal.security import current_actor, login_required, require
from portal.supervisor import bp


def _objection_or_404(objection_id: int) -> Objection:
    objection = objection_queries.objection_by_id(objection_id)
    if objection is None:
        abort(404)
    return objection


@bp.route("/keberatan")
@login_required
def objections():
    """Keberatan waiting for my decision, and those I decided."""
    actor = current_actor()
    every = objection_queries.objections_to_decide(actor, include_decided=True)
    return render_template(
        "supervisor/evaluation/objections.html",
        open_=[o for o in every if not o.decision],
        decided=[o for o in every if o.decision],
        as_penilai=objection_queries.objections_as_penilai(actor),
        E=LABELS,
    )


def _page(objection, errors=(), status=200):
    actor = current_actor()
    ev = objection.evaluation
    can_decide = perm.can_decide_objection(actor, objection)
    return (
        render_template(
            "supervisor/evaluation/objection.html",
            objection=objection,
            role=perm.objection_role(actor, objection),
            can_decide=can_decide,
            messages=objection_queries.messages_of(objection),
            errors=list(errors),
            form=request.form,
            preview=_preview(objection, request.form)
            if can_decide and not objection.decision
            else None,
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


def _preview(objection: Objection, values) -> dict:
    """The predikat a decision would give, from the chosen decision and ratings."""
    ev = objection.evaluation
    old = Predikat(ev.predikat)
    decision = values.get("decision", "")
    if decision == ObjectionDecision.CONFIRM.value:
        return {"old": old, "new": old, "explanation": "Rating dan predikat tetap."}
    try:
        result = predikat_for(Rating(values.get("hasil")), Rating(values.get("perilaku")))
    except ValueError:  # a "mengubah" decision needs both new ratings
        return {"old": old, "new": None, "explanation": ""}
    return {"old": old, "new": result.predikat, "explanation": result.explanation}


@bp.route("/keberatan/<int:objection_id>/pratinjau")
@login_required
def objection_preview(objection_id):
    """The predikat that would follow from the chosen decision and ratings (htmx fragment)."""
    objection = _objection_or_404(objection_id)
    require(perm.can_decide_objection(current_actor(), objection))
    return page_or_fragment(
        "supervisor/evaluation/objection_preview.html",
        "supervisor/evaluation/_objection_preview.html",
        objection=objection,
        preview=_preview(objection, request.args),
        E=LABELS,
    )


@bp.route("/keberatan/<int:objection_id>/putusan", methods=["POST"])
@login_required
def objection_decide(objection_id):
    """The final decision: confirm, or change the ratings, with a reason. The first POST
    shows what the decision does (ratings and predikat before and after); the second
    (``confirm=1``) decides. "Kembali" (``back``) returns to the form with what was typed."""
    actor = current_actor()
    objection = _objection_or_404(objection_id)
    require(perm.can_decide_objection(actor, objection))
    values = (
        request.form.get("decision", ""),
        request.form.get("reason", ""),
        request.form.get("hasil") or None,
        request.form.get("perilaku") or None,
    )
    if request.form.get("back"):
        return _page(objection)
    if request.form.get("confirm") != "1":
        try:
            outcome = obj.decision_outcome(objection, *values)
        except EvaluationError as exc:
            return _page(objection, [str(exc)], 422)
        return render_template(
            "supervisor/evaluation/objection_confirm.html",
            objection=objection,
            ev=objection.evaluation,
            outcome=outcome,
            form=request.form,
            E=LABELS,
        )
    try:
        obj.decide(actor, objection, *values)
    except EvaluationError as exc:
        return _page(objection, [str(exc)], 422)
    flash("Keberatan telah diputus. Putusan bersifat final dan tercatat.", "success")
    return redirect(url_for("supervisor.objection_detail", objection_id=objection.id), 303)
