"""Evaluation pages of the Pejabat Penilai and the chain above: team evaluations, the
rating page (with the predikat shown at once via htmx), 360 raters, calibration per unit,
finalisation, development plans and nominations (docs/spec/product.md §2 "Evaluation")."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja import org
from kinerja.clock import today_wib
from kinerja.enums import EDITABLE, EvaluationStatus, Rating
from kinerja.formatting import format_date
from kinerja.models.evaluation import PlanKind, PlanStatus
from kinerja.models.period import Period
from kinerja.permissions import evaluation as perm
from kinerja.queries import evaluation as evaluation_queries
from kinerja.queries import kiosk_figures, service_figures
from kinerja.queries import periods as period_queries
from kinerja.scoring import predikat_for
from kinerja.services import calibration as calib
from kinerja.services import evaluation as svc
from kinerja.services import evaluation_feedback as fb
from kinerja.services import followup, training
from kinerja.services.evaluation import EvaluationError
from portal.evaluation_pages import (
    LABELS,
    PERILAKU_COLS,
    evaluation_or_404,
    kuadran_grid,
    result_context,
)
from portal.render import page_or_fragment
from portal.security import current_actor, login_required, require, supervisor_required
from portal.supervisor import bp


def _period_arg() -> Period | None:
    period_id = request.args.get("period_id", type=int)
    if period_id:
        period = period_queries.period_by_id(period_id)
        if period is None:
            abort(404)
        return period
    return evaluation_queries.default_period()


def citizen_and_service(ev) -> dict:
    """Citizen feedback (kiosk) and service-standard figures linked to the employee in the
    period (internal only)."""
    start, end = ev.period.start, ev.period.end
    result = {"kiosk": None, "service": None, "kiosk_comments": [], "kiosk_officer": None}
    # Issue 19: nothing of a period in progress; an ended period's figures are the
    # union of its months with at least the public minimum n; comments only from
    # months with at least the comment threshold, in alphabetical order.
    officer = kiosk_figures.period_officer_figures(ev.employee_id, ev.period, today_wib())
    result["kiosk_officer"] = officer
    if officer is not None:
        result["kiosk"] = officer.figures
        result["kiosk_comments"] = officer.comments
    result["service"] = service_figures.employee_figures(ev.employee_id, start, end)
    return result


@bp.route("/penilaian")
@supervisor_required
def evaluations():
    """Team evaluations for a period: status, predikat, late ones highlighted."""
    actor = current_actor()
    period = _period_arg()
    rows = evaluation_queries.team_evaluations(actor, period) if period else []
    return render_template(
        "supervisor/evaluation/index.html",
        period=period,
        periods=evaluation_queries.periods_with_evaluations(),
        rows=rows,
        late=evaluation_queries.is_late,
        E=LABELS,
    )


def _rate_page(ev, errors=(), status=200, form=None, can_rate=None):
    actor = current_actor()
    if can_rate is None:
        can_rate = perm.can_rate(actor, ev)
    editable = EvaluationStatus(ev.status) in EDITABLE
    # The form replaces the result while the Pejabat Penilai can rate; follow-up shows once
    # the evaluation is locked.
    ctx = result_context(
        ev, result=not (editable and can_rate), follow_up=not editable and can_rate
    )
    head_rating = svc.head_rating(ev)
    head = head_rating is not None
    head_hasil = head_rating.hasil if head else None
    head_error = head_rating.error if head else None
    form = form if form is not None else {}
    hasil = form.get("hasil") or ev.hasil_rating or ""
    perilaku = form.get("perilaku") or ev.perilaku_rating or ""
    if head_hasil:
        hasil = head_hasil[0].value
    return (
        render_template(
            "supervisor/evaluation/rate.html",
            editable=editable,
            can_rate=can_rate,
            head=head,
            head_hasil=head_hasil,
            head_error=head_error,
            hasil=hasil,
            perilaku=perilaku,
            preview=_preview(hasil, perilaku),
            form=form,
            errors=list(errors),
            asked=fb.asked_count(ev) if can_rate else 0,
            extra=citizen_and_service(ev),
            judged={row.indicator.id: row.rating for row in ctx["basis"].rows if row.qualitative},
            today=actor.day,
            **ctx,
        ),
        status,
    )


def _preview(hasil, perilaku):
    try:
        return predikat_for(Rating(hasil), Rating(perilaku))
    except ValueError:
        return None


@bp.route("/penilaian/<int:evaluation_id>", methods=["GET", "POST"])
@supervisor_required
def evaluation_rate(evaluation_id):
    """The rating page: indicators, suggestion, self-assessment, 360, ratings with reasons."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    if request.method == "POST":
        require(perm.can_rate(actor, ev))
        judged = {}
        for key, value in request.form.items():
            if key.startswith("ind-"):
                try:
                    judged[int(key[4:])] = value
                except ValueError:
                    continue
        try:
            svc.rate(
                actor,
                ev,
                request.form.get("hasil"),
                request.form.get("hasil_reason", ""),
                request.form.get("perilaku"),
                request.form.get("perilaku_reason", ""),
                judged,
            )
        except EvaluationError as exc:
            return _rate_page(ev, [str(exc)], 422, request.form)
        flash("Rating tersimpan. Periksa kalibrasi unit sebelum finalisasi.", "success")
        return redirect(url_for("supervisor.evaluation_rate", evaluation_id=ev.id), 303)
    can_rate = perm.can_rate(actor, ev)
    require(can_rate or perm.can_read_evaluation(actor, ev))
    return _rate_page(ev, can_rate=can_rate)


@bp.route("/penilaian/<int:evaluation_id>/predikat")
@supervisor_required
def evaluation_predikat(evaluation_id):
    """The predikat and its explanation for the chosen pair of ratings (htmx fragment)."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_rate(actor, ev))
    hasil = request.args.get("hasil", "")
    head_rating = svc.head_rating(ev)
    if head_rating is not None:
        hasil = head_rating.hasil[0].value if head_rating.hasil else ""
    preview = _preview(hasil, request.args.get("perilaku", ""))
    return page_or_fragment(
        "supervisor/evaluation/predikat.html",
        "supervisor/evaluation/_predikat.html",
        ev=ev,
        preview=preview,
        grid=kuadran_grid(),
        cols=PERILAKU_COLS,
        E=LABELS,
    )


@bp.route("/penilaian/<int:evaluation_id>/360", methods=["GET", "POST"])
@supervisor_required
def evaluation_raters(evaluation_id):
    """Ask peers, subordinates and other employees for 360 feedback."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_rate(actor, ev))
    errors = []
    status = 200
    if request.method == "POST":
        ids = request.form.getlist("rater", type=int)
        other = (request.form.get("other_nip") or "").replace(" ", "").strip()
        if other:
            person = evaluation_queries.active_employee_by_nip(other)
            if person is None:
                errors.append(f"Pegawai aktif dengan NIP {other} tidak ditemukan.")
            else:
                ids.append(person.id)
        if not errors:
            try:
                count = fb.request_raters(actor, ev, ids)
            except EvaluationError as exc:
                errors.append(str(exc))
            else:
                flash(f"{count} penilai diminta memberi umpan balik 360.", "success")
                return redirect(url_for("supervisor.evaluation_raters", evaluation_id=ev.id), 303)
        status = 422
    asked = {r.rater_id for r in fb.requests_of(ev)}
    return (
        render_template(
            "supervisor/evaluation/raters.html",
            ev=ev,
            peers=fb.peer_candidates(ev),
            subordinates=fb.subordinate_candidates(ev),
            requests=fb.requests_of(ev),
            asked=asked,
            errors=errors,
            editable=EvaluationStatus(ev.status) in EDITABLE and not fb.round_closed(ev),
            closed=fb.round_closed(ev),
            E=LABELS,
        ),
        status,
    )


@bp.route("/penilaian/<int:evaluation_id>/360/tutup", methods=["POST"])
@supervisor_required
def evaluation_feedback_close(evaluation_id):
    """Close the 360 round: the summary is released once and no longer changes."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_rate(actor, ev))
    if fb.close_round(actor, ev):
        flash(
            "Putaran umpan balik 360 ditutup; ringkasannya kini tampil dan tidak berubah lagi.",
            "success",
        )
    return redirect(url_for("supervisor.evaluation_rate", evaluation_id=ev.id), 303)


@bp.route("/penilaian/<int:evaluation_id>/finalisasi", methods=["GET"])
@supervisor_required
def evaluation_finalise_confirm(evaluation_id):
    """Confirm before finalising: what will be locked and the objection deadline it sets."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_rate(actor, ev))
    blocker = svc.finalise_refusal(ev)
    # before the period ends the page still offers finalising, with a written reason
    early = blocker is not None and blocker == svc.msg_too_early(ev.period)
    days, deadline = svc.objection_window(ev.period)  # what svc.finalise would set
    return (
        render_template(
            "supervisor/evaluation/finalise_confirm.html",
            ev=ev,
            blocker=blocker,
            early=early,
            objection_days=days,
            deadline=deadline,
            E=LABELS,
        ),
        409 if blocker and not early else 200,
    )


@bp.route("/penilaian/<int:evaluation_id>/finalisasi", methods=["POST"])
@supervisor_required
def evaluation_finalise(evaluation_id):
    """Finalise: lock the evaluation and start the objection window."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_rate(actor, ev))
    try:
        ev = svc.finalise(actor, ev, early_reason=request.form.get("early_reason"))
    except EvaluationError as exc:
        flash(str(exc), "error")
    else:
        flash(
            f"Evaluasi difinalisasi. Batas keberatan: {format_date(ev.objection_deadline)}.",
            "success",
        )
    return redirect(url_for("supervisor.evaluation_rate", evaluation_id=ev.id), 303)


@bp.route("/kalibrasi")
@login_required
def calibration():
    """Calibration per unit: proposed predikat distribution against the organisation
    predikat's pattern, every breach named with links to the evaluations concerned."""
    actor = current_actor()
    units = calib.calibration_units(actor)
    unit_id = request.args.get("unit_id", type=int)
    if unit_id is None and units:
        heads = org.unit_heads()
        own = [u for u in units if heads.get(u.id) == actor.employee_id]
        unit_id = (own or units)[0].id
    unit = calib.unit_by_id(unit_id) if unit_id else None
    if unit_id and unit is None:
        abort(404)
    if unit is not None:
        require(perm.oversees_unit(actor, unit))
    elif not units:
        abort(403)
    period = _period_arg()
    view = calib.calibration(unit, period) if unit and period else None
    return render_template(
        "supervisor/evaluation/calibration.html",
        units=units,
        unit=unit,
        period=period,
        periods=evaluation_queries.periods_with_evaluations(),
        view=view,
        E=LABELS,
    )


@bp.route("/penilaian/<int:evaluation_id>/rencana-pengembangan", methods=["GET", "POST"])
@supervisor_required
def development_plan(evaluation_id):
    """Development plans for an evaluation at Butuh Perbaikan or worse."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_plan(actor, ev.employee))
    errors = []
    status = 200
    if request.method == "POST":
        try:
            due = date.fromisoformat(request.form.get("due", ""))
        except ValueError:
            due = None
        try:
            followup.add_plan(
                actor,
                ev,
                request.form.get("kind", ""),
                request.form.get("description", ""),
                request.form.get("owner", type=int),
                due,
                course_id=request.form.get("course", type=int),
            )
        except EvaluationError as exc:
            errors, status = [str(exc)], 422
        else:
            flash("Rencana pengembangan tersimpan.", "success")
            return redirect(url_for("supervisor.development_plan", evaluation_id=ev.id), 303)
    owners = [actor.employee, ev.employee]
    plans = followup.plans_of(ev)
    return (
        render_template(
            "supervisor/evaluation/plan.html",
            ev=ev,
            plans=plans,
            needs=followup.needs_plan(ev),
            owners=owners,
            kinds=PlanKind,
            courses=training.catalogue(active_only=True),
            completable={
                p.id
                for p in plans
                if perm.can_record_completion(actor, p, mandatory=followup.is_mandatory(p))
            },
            today=actor.day,
            statuses=PlanStatus,
            errors=errors,
            form=request.form,
            E=LABELS,
        ),
        status,
    )


@bp.route("/penilaian/<int:evaluation_id>/teladan", methods=["POST"])
@supervisor_required
def nominate(evaluation_id):
    """Nominate a Sangat Baik for Pegawai Teladan (the nominee's consent is asked)."""
    actor = current_actor()
    ev = evaluation_or_404(evaluation_id)
    require(perm.can_plan(actor, ev.employee))
    try:
        followup.nominate(actor, ev, request.form.get("reason", ""))
    except EvaluationError as exc:
        flash(str(exc), "error")
    else:
        flash("Usulan Pegawai Teladan tercatat; persetujuan pegawai diminta.", "success")
    return redirect(url_for("supervisor.evaluation_rate", evaluation_id=ev.id), 303)
