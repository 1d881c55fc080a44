"""The Pejabat Penilai's SKP pages: team overview, approval queue, side-by-side review,
ekspektasi khusus pimpinan, feedback on realisation and the continuous feedback log."""

from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for

from kinerja.enums import BERAKHLAK_GUIDELINES, Berakhlak
from kinerja.permissions import skp as perm
from kinerja.queries import periods as period_queries
from kinerja.queries import skp as skp_queries
from kinerja.queries import team as team_queries
from kinerja.services import skp as service
from kinerja.services import skp_realisation
from kinerja.services.skp import NotAllowed, SkpError
from kinerja.skp_validation import FEEDBACK_KINDS
from portal.render import page_or_fragment, wants_fragment
from portal.security import current_actor, login_required, require, supervisor_required
from portal.staff.skp_forms import ReplyForm, apply_errors
from portal.supervisor import bp
from portal.supervisor.skp_forms import (
    ApproveForm,
    FeedbackForm,
    NoteForm,
    ReturnForm,
    expectation_form_class,
)


def _decidable(skp_id: int):
    skp = skp_queries.load(skp_id)
    if skp is None:
        abort(404)
    require(perm.can_decide_skp(current_actor(), skp))
    return skp


def _default_period(skp, periods):
    """The period to show: ?periode=, else the current one of the SKP's year (containing
    today, else the latest started); None (the whole year's plan) before the year starts."""
    wanted = request.args.get("periode", type=int)
    for p in periods:
        if p.id == wanted:
            return p
    return period_queries.current_period(periods, current_actor().day)


def _expectation_form(skp, formdata=None):
    form = expectation_form_class()(formdata=formdata)
    if formdata is None:
        current = skp_queries.expectations(skp)
        for value in Berakhlak:
            form[str(value)].data = current[value].text if value in current else ""
    return form


def _review(skp, status=200, **context):
    periods = period_queries.periodic(skp.year)
    period = context.pop("period", None) or _default_period(skp, periods)
    plan = skp_queries.plan(skp, period)
    boss_plan = skp_queries.supervisor_plan(skp)
    linked = {}
    for row in plan.rows:
        linked.setdefault(row.rhk.parent_rhk_id, []).append(row)
    seen = service.token(skp)
    feedback_forms = context.pop("feedback_forms", {})
    return page_or_fragment(
        "supervisor/skp/review.html",
        context.pop("fragment", "supervisor/skp/_decision.html"),
        status,
        skp=skp,
        plan=plan,
        boss_plan=boss_plan,
        linked=linked,
        period=period,
        periods=periods,
        approve_form=ApproveForm(seen=seen),
        return_form=context.pop("return_form", None) or ReturnForm(seen=seen),
        expectation_form=context.pop("expectation_form", None) or _expectation_form(skp),
        guidelines=BERAKHLAK_GUIDELINES,
        berakhlak=list(Berakhlak),
        feedback_forms=feedback_forms,
        **context,
    )


# --- team and queue -------------------------------------------------------------------------


@bp.route("/tim")
@supervisor_required
def team():
    """Each subordinate's SKP status and latest realisation; late items highlighted."""
    actor = current_actor()
    year = actor.day.year
    annual, periods = period_queries.year_periods(year)
    return render_template(
        "supervisor/skp/team.html",
        year=year,
        rows=team_queries.team_overview(actor, year),
        queue=skp_queries.approval_queue(actor),
        annual=annual,
        open_periods=[p for p in periods if p.is_open],
    )


@bp.route("/skp")
@supervisor_required
def skp_queue():
    """SKP waiting for my approval, oldest first."""
    return render_template(
        "supervisor/skp/queue.html", queue=skp_queries.approval_queue(current_actor())
    )


@bp.route("/skp/<int:skp_id>")
@login_required
def skp_review(skp_id):
    """Side-by-side review of a subordinate's SKP: approve, return, expectations, feedback."""
    return _review(_decidable(skp_id))


def _decision_done(skp, message: str):
    if wants_fragment():
        return _review(skp_queries.load(skp.id), decision_message=message)
    flash(message, "success")
    return redirect(url_for("supervisor.skp_review", skp_id=skp.id), code=303)


def _decision_refused(skp, exc: SkpError, **context):
    if exc.status == 409:
        if wants_fragment():
            return _review(skp_queries.load(skp.id), exc.status, decision_message=exc.message)
        flash(exc.message, "error")
        return redirect(url_for("supervisor.skp_review", skp_id=skp.id), code=303)
    return _review(skp, 422, **context)


@bp.route("/skp/<int:skp_id>/setujui", methods=["POST"])
@login_required
def skp_approve(skp_id):
    """Approve a submitted SKP in two steps: the first POST (the review page's expectations
    form with its "Setujui SKP…" button) shows what approving does and the expectations that
    will be saved with it; the second (``confirm=1``) saves them and approves."""
    skp = _decidable(skp_id)
    form = ApproveForm()
    expectation_form = _expectation_form(skp, formdata=request.form)
    if not expectation_form.validate():
        return _review(
            skp,
            422,
            expectation_form=expectation_form,
            fragment="supervisor/skp/_expectations.html",
        )
    typed = {
        str(value): expectation_form[str(value)].data or ""
        for value in Berakhlak
        if str(value) in request.form
    }
    if request.form.get("confirm") != "1":
        if not skp.is_submitted:
            flash("SKP ini tidak lagi menunggu persetujuan.", "error")
            return _redirect_to_review(skp)
        response = page_or_fragment(
            "supervisor/skp/approve_confirm.html",
            "supervisor/skp/_approve_confirm.html",
            skp=skp,
            seen=form.seen.data or "",
            typed=typed,
            berakhlak=list(Berakhlak),
            version_after=skp.version + 1 if skp.in_revision else skp.version,
        )
        if wants_fragment():
            response.headers["HX-Retarget"] = "#decision"
            response.headers["HX-Reswap"] = "outerHTML show:top"
        return response
    try:
        service.approve(current_actor(), skp, form.seen.data or None, expectations=typed or None)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        if exc.status == 409:
            flash(exc.message, "error")
            return _redirect_to_review(skp)
        apply_errors(expectation_form, exc.errors)
        return _review(skp, 422, expectation_form=expectation_form)
    flash(f"SKP {skp.employee.name} disetujui.", "success")
    return _redirect_to_review(skp)


def _redirect_to_review(skp):
    """A full page load of the review page (the status badge at the top changes too)."""
    url = url_for("supervisor.skp_review", skp_id=skp.id)
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


@bp.route("/skp/<int:skp_id>/kembalikan", methods=["POST"])
@login_required
def skp_return(skp_id):
    """Return a submitted SKP with a note."""
    skp = _decidable(skp_id)
    form = ReturnForm()
    if not form.validate():
        return _review(skp, 422, return_form=form)
    try:
        service.return_skp(current_actor(), skp, form.note.data, form.seen.data or None)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        apply_errors(form, exc.errors)
        return _decision_refused(skp, exc, return_form=form)
    return _decision_done(skp, f"SKP {skp.employee.name} dikembalikan dengan catatan.")


@bp.route("/skp/<int:skp_id>/ekspektasi", methods=["POST"])
@login_required
def skp_expectations(skp_id):
    """Set the ekspektasi khusus pimpinan per BerAKHLAK value."""
    skp = _decidable(skp_id)
    form = _expectation_form(skp, formdata=request.form)
    fragment = "supervisor/skp/_expectations.html"
    if not form.validate():
        return _review(skp, 422, expectation_form=form, fragment=fragment)
    try:
        service.set_expectations(current_actor(), skp, form.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        apply_errors(form, exc.errors)
        return _review(skp, 422, expectation_form=form, fragment=fragment)
    if wants_fragment():
        return _review(skp, fragment=fragment, expectations_saved=True)
    flash("Ekspektasi khusus pimpinan disimpan.", "success")
    return redirect(url_for("supervisor.skp_review", skp_id=skp.id) + "#ekspektasi", code=303)


@bp.route("/skp/<int:skp_id>/realisasi/<int:period_id>/<int:indicator_id>", methods=["POST"])
@login_required
def realisation_feedback(skp_id, period_id, indicator_id):
    """Umpan balik on one indicator's realisation in one period."""
    skp = _decidable(skp_id)
    period = period_queries.period_by_id(period_id)
    indicator = skp_queries.indicator_in(skp, indicator_id)
    if period is None or indicator is None or period.year != skp.year:
        abort(404)
    form = FeedbackForm(prefix=f"f{indicator.id}")
    fragment = "supervisor/skp/_realisation.html"
    back = url_for("supervisor.skp_review", skp_id=skp.id, periode=period.id)
    if not form.validate():
        return _review(
            skp, 422, period=period, feedback_forms={indicator.id: form}, fragment=fragment
        )
    try:
        skp_realisation.save_feedback(current_actor(), indicator, period, form.feedback.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        if exc.status == 409:
            flash(exc.message, "error")
            return redirect(back, code=303)
        apply_errors(form, exc.errors)
        return _review(
            skp, 422, period=period, feedback_forms={indicator.id: form}, fragment=fragment
        )
    if wants_fragment():
        return _review(skp, period=period, fragment=fragment, feedback_saved=indicator.id)
    flash("Umpan balik disimpan.", "success")
    return redirect(f"{back}#fb-{indicator.id}", code=303)


# --- the continuous feedback log --------------------------------------------------------------


@bp.route("/pegawai/<int:employee_id>/umpan-balik", methods=["GET", "POST"])
@login_required
def feedback_log(employee_id):
    """A subordinate's feedback log: read it (chain) and add dated notes (Pejabat Penilai)."""
    actor = current_actor()
    employee = skp_queries.employee_summary(employee_id)
    if employee is None:
        abort(404)
    require(perm.can_read_feedback_log(actor, employee) and employee.id != actor.employee_id)
    can_write = perm.can_give_feedback(actor, employee)
    form = NoteForm(day=actor.day.isoformat()) if request.method == "GET" else NoteForm()
    status = 200
    if request.method == "POST":
        require(can_write)
        ok = form.validate()
        if ok:
            day = date.fromisoformat(form.day.data)
            if day > actor.day or day < date(actor.day.year - 1, 1, 1):
                form.day.errors = [
                    "Tanggal tidak boleh di masa depan atau lebih dari setahun lalu."
                ]
                ok = False
        if ok:
            try:
                skp_realisation.add_note(actor, employee, form.data, day=day)
            except NotAllowed:
                abort(403)
            except SkpError as exc:
                apply_errors(form, exc.errors)
                ok = False
        if ok:
            if not wants_fragment():
                flash("Catatan ditambahkan ke log umpan balik.", "success")
                return redirect(
                    url_for("supervisor.feedback_log", employee_id=employee.id), code=303
                )
            form = NoteForm(formdata=None, day=actor.day.isoformat())
        else:
            status = 422
    return page_or_fragment(
        "supervisor/skp/feedback.html",
        "supervisor/skp/_feedback_log.html",
        status,
        employee=employee,
        notes=skp_queries.feedback_log(employee),
        form=form,
        kinds=FEEDBACK_KINDS,
        can_write=can_write,
        reply_form=ReplyForm(),
        skp=skp_queries.skp_of(employee.id, actor.day.year),
    )
