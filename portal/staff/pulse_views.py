"""The pulse of trust: staff answer once per open period; heads and BKPSDM read results."""

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja.enums import PulseQuestion
from kinerja.services import pulse
from portal.security import current_actor, login_required
from portal.staff import bp


@bp.route("/survei-denyut", methods=["GET", "POST"])
@login_required
def pulse_form():
    """The open period's pulse survey (one answer per person and period)."""
    actor = current_actor()
    errors = []
    status = 200
    if request.method == "POST":
        scores = {q.value: request.form.get(f"score-{q.value}", "") for q in PulseQuestion}
        try:
            pulse.answer(actor, scores, request.form.get("comment", ""))
        except pulse.PulseError as exc:
            errors, status = [str(exc)], 422
        else:
            flash("Terima kasih. Jawaban Anda tersimpan tanpa nama Anda.", "success")
            return redirect(url_for("staff.home"), 303)
    period = pulse.open_pulse_period()
    answered = period is not None and pulse.has_answered(actor, period)
    if answered and status == 422:
        status = 409
    return (
        render_template(
            "staff/pulse/form.html",
            period=period,
            answered=answered,
            errors=errors,
            form=request.form,
            questions=list(PulseQuestion),
            scale=pulse.scale_labels(),
            max_comment=pulse.MAX_COMMENT,
        ),
        status,
    )


@bp.route("/survei-denyut/hasil")
@login_required
def pulse_results():
    """Per-unit results of closed periods (units of at least PULSE_MIN_ANSWERS only)."""
    actor = current_actor()
    try:
        data = pulse.results(actor, request.args.get("periode", type=int))
    except pulse.Forbidden:
        abort(403)
    return render_template(
        "staff/pulse/results.html",
        data=data,
        questions=list(PulseQuestion),
        scale=pulse.scale_labels(),
        minimum=pulse.PULSE_MIN_ANSWERS,
    )
