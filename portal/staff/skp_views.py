"""The pegawai's SKP: drafting, submission, revision, realisation, feedback log, print."""

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja.enums import BERAKHLAK_GUIDELINES, Berakhlak, RhkKind
from kinerja.models.period import Period
from kinerja.permissions import skp as perm
from kinerja.queries import periods as period_queries
from kinerja.queries import skp as skp_queries
from kinerja.services import skp as service
from kinerja.services import skp_copy, skp_realisation
from kinerja.services.skp import NotAllowed, SkpError
from kinerja.skp_validation import FEEDBACK_KINDS, check_field
from portal.render import page_or_fragment, wants_fragment
from portal.security import current_actor, login_required, require
from portal.staff import bp
from portal.staff.skp_forms import (
    ApproachForm,
    IndicatorForm,
    RealisationForm,
    ReplyForm,
    RevisionForm,
    RhkForm,
    StartForm,
    apply_errors,
    options,
)

# --- helpers ---------------------------------------------------------------------------------


def _skp_or_404(skp_id: int):
    skp = skp_queries.load(skp_id)
    if skp is None:
        abort(404)
    return skp


def _readable(skp_id: int):
    skp = _skp_or_404(skp_id)
    require(perm.can_read_skp(current_actor(), skp))
    return skp


def _owned(skp_id: int):
    skp = _skp_or_404(skp_id)
    require(perm.can_edit_skp(current_actor(), skp))
    return skp


def _done(message: str, target: str, code: int = 303):
    """Post/Redirect/Get with a flash message."""
    flash(message, "success")
    return redirect(target, code=code)


def _refused(exc: SkpError, target: str):
    """A state conflict: the message, and back to the page (409 for htmx)."""
    if wants_fragment():
        return render_template("staff/skp/_message.html", message=exc.message), exc.status
    flash(exc.message, "error")
    return redirect(target, code=303)


def _rhk_form(skp, *, prefix: str, obj=None, formdata=None, parents=None) -> RhkForm:
    """An RHK form; ``parents``: the supervisor's RHK when the caller already read them."""
    form = RhkForm(formdata=formdata, prefix=prefix, obj=obj)
    if parents is None:
        parents = skp_queries.supervisor_rhks(skp)
    form.parent_rhk.choices = options(
        [("", "— tidak mengintervensi RHK pimpinan —")]
        + [(r.id, f"{RhkKind(r.kind).label}: {r.text[:140]}") for r in parents]
    )
    if obj is not None and formdata is None:
        form.parent_rhk.data = str(obj.parent_rhk_id or "")
        form.perspektif.data = obj.perspektif or ""
    return form


def _indicator_form(prefix: str, obj=None, formdata=None) -> IndicatorForm:
    form = IndicatorForm(formdata=formdata, prefix=prefix, obj=obj)
    if obj is not None and formdata is None and obj.target_value is not None:
        form.target_value.data = _plain_number(obj.target_value)
    return form


def _plain_number(value) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _render_plan(skp, status: int = 200, **context):
    """The SKP page, or only its plan fragment for htmx."""
    actor = current_actor()
    plan = skp_queries.plan(skp)
    editable = perm.can_edit_skp(actor, skp) and perm.is_editable(skp)
    # The add forms show only on an editable plan; their choices are read once for both.
    add_forms = context.pop("add_forms", None)
    if add_forms is None and editable:
        parents = skp_queries.supervisor_rhks(skp)
        add_forms = {
            kind: _rhk_form(skp, prefix=f"new{kind.lower()}", parents=parents)
            for kind in ("UTAMA", "TAMBAHAN")
        }
    add_forms = add_forms or {}
    for kind, form in add_forms.items():
        if form.kind.data != kind and not form.errors:
            form.kind.data = kind
    indicator_forms = context.pop("indicator_forms", {})
    if editable:
        for row in plan.rows:
            indicator_forms.setdefault(row.rhk.id, _indicator_form(f"i{row.rhk.id}"))
    _, periods = period_queries.year_periods(skp.year)
    return page_or_fragment(
        "staff/skp/detail.html",
        "staff/skp/_plan.html",
        status,
        skp=skp,
        plan=plan,
        editable=editable,
        is_owner=perm.is_owner(actor, skp),
        is_jpt=plan.employee.jenis_jabatan == "JPT",
        add_forms=add_forms,
        indicator_forms=indicator_forms,
        approach_form=ApproachForm(approach=skp.approach) if editable else None,
        revision_form=context.pop("revision_form", None) or RevisionForm(),
        revisions=skp_queries.revisions(skp),
        periods=periods,
        problems=context.pop("problems", []),
        quick=skp_copy.quick_start(skp) if editable else None,
        **context,
    )


def _first_invalid(form) -> str | None:
    """The id of the first field of ``form`` with an error (where focus goes)."""
    return next((f.id for f in form if f.errors), None)


def _edit_error(skp, exc: SkpError, form=None, **context):
    """A use case refused an edit: 409 message for conflicts, else the plan with errors
    (focus on the first invalid field of ``form``)."""
    if exc.status == 409:
        return _refused(exc, url_for("staff.skp_detail", skp_id=skp.id))
    if form is not None:
        context.setdefault("focus", _first_invalid(form))
    return _render_plan(skp, 422, **context)


def _after_edit(skp, message: str, focus: str | None = None):
    """After an edit: the plan again (htmx; focus on ``focus``, else on the message),
    or Post/Redirect/Get."""
    if wants_fragment():
        return _render_plan(skp, flash_message=message, focus=focus or "plan-message")
    return _done(message, url_for("staff.skp_detail", skp_id=skp.id) + "#skp-plan")


# --- my SKP ---------------------------------------------------------------------------------


@bp.route("/skp")
@login_required
def skp_index():
    """My SKP for the current year, its periods, and the earlier years."""
    actor = current_actor()
    year = actor.day.year
    current = skp_queries.skp_of(actor.employee_id, year)
    plan = skp_queries.plan(current) if current else None
    return render_template(
        "staff/skp/index.html",
        year=year,
        current=current,
        plan=plan,
        history=[s for s in skp_queries.history(actor.employee_id) if s.year != year],
        annual=period_queries.annual_period(year),
        periods=period_queries.periodic(year),
        form=StartForm(year=year),
        notes=skp_queries.feedback_log(skp_queries.employee_summary(actor.employee_id))[:3],
    )


@bp.route("/skp/mulai", methods=["POST"])
@login_required
def skp_start():
    """Start this year's SKP with the chosen approach."""
    actor = current_actor()
    form = StartForm()
    try:
        year = int(form.year.data or actor.day.year)
    except ValueError:
        year = actor.day.year
    if year not in (actor.day.year, actor.day.year + 1):
        abort(400)
    try:
        skp = service.start(actor, year, form.approach.data or "KUANTITATIF")
    except SkpError as exc:
        flash(" ".join(exc.errors.values()) or exc.message, "error")
        return redirect(url_for("staff.skp_index"), code=303)
    return _done(
        f"SKP {year} dibuat. Tambahkan RHK dan indikatornya.",
        url_for("staff.skp_detail", skp_id=skp.id),
    )


@bp.route("/skp/<int:skp_id>")
@login_required
def skp_detail(skp_id):
    """One SKP: the drafting page for its owner, a read-only view for the others."""
    return _render_plan(_readable(skp_id))


@bp.route("/skp/<int:skp_id>/pendekatan", methods=["POST"])
@login_required
def skp_approach(skp_id):
    """Change the approach (kuantitatif/kualitatif) of a draft."""
    skp = _owned(skp_id)
    try:
        service.set_approach(current_actor(), skp, request.form.get("approach", ""))
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        if exc.status == 409:
            return _refused(exc, url_for("staff.skp_detail", skp_id=skp.id))
        flash(" ".join(exc.errors.values()), "error")
        return redirect(url_for("staff.skp_detail", skp_id=skp.id), code=303)
    return _after_edit(skp_queries.load(skp.id), "Pendekatan SKP diubah.")


@bp.route("/skp/<int:skp_id>/rhk", methods=["POST"])
@login_required
def rhk_add(skp_id):
    """Add an RHK under Utama or Tambahan."""
    skp = _owned(skp_id)
    kind = "TAMBAHAN" if request.form.get("group") == "TAMBAHAN" else "UTAMA"
    form = _rhk_form(skp, prefix=f"new{kind.lower()}", formdata=request.form)
    form.kind.data = kind  # the add form of a group always adds to that group
    if not form.validate():
        return _edit_error(skp, SkpError(), form, add_forms=_add_forms_with(skp, kind, form))
    try:
        rhk = service.add_rhk(current_actor(), skp, form.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        apply_errors(form, exc.errors)
        return _edit_error(skp, exc, form, add_forms=_add_forms_with(skp, kind, form))
    return _after_edit(skp, "RHK ditambahkan.", f"rhk-{rhk.id}")


def _add_forms_with(skp, kind: str, form) -> dict:
    forms = {k: _rhk_form(skp, prefix=f"new{k.lower()}") for k in ("UTAMA", "TAMBAHAN")}
    forms[kind] = form
    return forms


def _rhk_or_404(rhk_id: int):
    rhk = skp_queries.rhk_by_id(rhk_id)
    if rhk is None:
        abort(404)
    return rhk, _owned(rhk.skp_id)


@bp.route("/skp/rhk/<int:rhk_id>/ubah", methods=["GET", "POST"])
@login_required
def rhk_edit(rhk_id):
    """Edit an RHK in place."""
    rhk, skp = _rhk_or_404(rhk_id)
    if request.method == "GET":
        form = _rhk_form(skp, prefix=f"r{rhk.id}", obj=rhk)
        return _render_plan(skp, edit_rhk=rhk.id, edit_rhk_form=form, focus=form.text.id)
    form = _rhk_form(skp, prefix=f"r{rhk.id}", formdata=request.form)
    if not form.validate():
        return _edit_error(skp, SkpError(), form, edit_rhk=rhk.id, edit_rhk_form=form)
    try:
        service.update_rhk(current_actor(), rhk, form.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        apply_errors(form, exc.errors)
        return _edit_error(skp, exc, form, edit_rhk=rhk.id, edit_rhk_form=form)
    return _after_edit(skp, "RHK disimpan.", f"rhk-{rhk.id}")


@bp.route("/skp/rhk/<int:rhk_id>/hapus", methods=["POST"])
@login_required
def rhk_delete(rhk_id):
    """Delete an RHK and its indicators."""
    rhk, skp = _rhk_or_404(rhk_id)
    try:
        service.delete_rhk(current_actor(), rhk)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        return _refused(exc, url_for("staff.skp_detail", skp_id=skp.id))
    return _after_edit(skp, "RHK dihapus.")


@bp.route("/skp/rhk/<int:rhk_id>/pindah", methods=["POST"])
@login_required
def rhk_move(rhk_id):
    """Move an RHK up or down within its group."""
    rhk, skp = _rhk_or_404(rhk_id)
    try:
        service.move_rhk(current_actor(), rhk, request.form.get("direction", ""))
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        if exc.status == 409:
            return _refused(exc, url_for("staff.skp_detail", skp_id=skp.id))
        abort(400)
    return _after_edit(skp, "Urutan RHK diubah.", f"rhk-{rhk.id}")


@bp.route("/skp/rhk/<int:rhk_id>/indikator", methods=["POST"])
@login_required
def indicator_add(rhk_id):
    """Add an indicator to an RHK."""
    rhk, skp = _rhk_or_404(rhk_id)
    form = _indicator_form(f"i{rhk.id}", formdata=request.form)
    forms = {rhk.id: form}
    if not form.validate():
        return _edit_error(skp, SkpError(), form, indicator_forms=forms, open_indicator=rhk.id)
    try:
        indicator = service.add_indicator(current_actor(), rhk, form.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        apply_errors(form, exc.errors)
        return _edit_error(skp, exc, form, indicator_forms=forms, open_indicator=rhk.id)
    return _after_edit(skp, "Indikator ditambahkan.", f"ind-{indicator.id}-text")


def _indicator_or_404(indicator_id: int):
    indicator = skp_queries.indicator_by_id(indicator_id)
    if indicator is None:
        abort(404)
    rhk = skp_queries.rhk_by_id(indicator.rhk_id)
    return indicator, _owned(rhk.skp_id)


@bp.route("/skp/indikator/<int:indicator_id>/ubah", methods=["GET", "POST"])
@login_required
def indicator_edit(indicator_id):
    """Edit an indicator in place."""
    indicator, skp = _indicator_or_404(indicator_id)
    prefix = f"e{indicator.id}"
    if request.method == "GET":
        form = _indicator_form(prefix, indicator)
        return _render_plan(
            skp, edit_indicator=indicator.id, edit_indicator_form=form, focus=form.text.id
        )
    form = _indicator_form(prefix, formdata=request.form)
    if not form.validate():
        return _edit_error(
            skp, SkpError(), form, edit_indicator=indicator.id, edit_indicator_form=form
        )
    try:
        service.update_indicator(current_actor(), indicator, form.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        apply_errors(form, exc.errors)
        return _edit_error(skp, exc, form, edit_indicator=indicator.id, edit_indicator_form=form)
    return _after_edit(skp, "Indikator disimpan.", f"ind-{indicator.id}-text")


@bp.route("/skp/indikator/<int:indicator_id>/hapus", methods=["POST"])
@login_required
def indicator_delete(indicator_id):
    """Delete an indicator."""
    indicator, skp = _indicator_or_404(indicator_id)
    try:
        service.delete_indicator(current_actor(), indicator)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        return _refused(exc, url_for("staff.skp_detail", skp_id=skp.id))
    return _after_edit(skp, "Indikator dihapus.")


@bp.route("/skp/periksa")
@login_required
def skp_field_check():
    """Inline validation of one field with the same validator the submit uses."""
    check = request.args.get("check", "")
    values = [v for k, v in request.args.items(multi=True) if k != "check"]
    error = check_field(check, values[0] if values else "")
    return page_or_fragment(
        "staff/skp/field_check.html", "staff/skp/_field_check.html", error=error
    )


@bp.route("/skp/<int:skp_id>/ajukan", methods=["POST"])
@login_required
def skp_submit(skp_id):
    """Submit the draft to the Pejabat Penilai."""
    skp = _owned(skp_id)
    try:
        service.submit(current_actor(), skp)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        if exc.status == 409:
            return _refused(exc, url_for("staff.skp_detail", skp_id=skp.id))
        problems = [exc.message, *exc.errors.values()]
        return _render_plan(skp, 422, problems=problems, focus="plan-problems")
    target = url_for("staff.skp_detail", skp_id=skp.id)
    if wants_fragment():
        # The whole page changes (status, read-only plan, the message): htmx loads it anew
        # rather than swapping the plan alone, which left "Draf" and no confirmation shown.
        flash("SKP diajukan kepada Pejabat Penilai.", "success")
        return "", 204, {"HX-Redirect": target}
    return _done("SKP diajukan kepada Pejabat Penilai.", target)


@bp.route("/skp/<int:skp_id>/revisi", methods=["POST"])
@login_required
def skp_revise(skp_id):
    """Start a recorded revision of an approved SKP."""
    skp = _owned(skp_id)
    form = RevisionForm()
    if not form.validate():
        return _render_plan(skp, 422, revision_form=form)
    try:
        service.start_revision(current_actor(), skp, form.reason.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        if exc.status == 409:
            return _refused(exc, url_for("staff.skp_detail", skp_id=skp.id))
        apply_errors(form, exc.errors)
        return _render_plan(skp, 422, revision_form=form)
    return _done(
        f"Revisi dimulai; versi {skp.version} disimpan dan tetap dapat dilihat.",
        url_for("staff.skp_detail", skp_id=skp.id),
    )


@bp.route("/skp/<int:skp_id>/versi/<int:version>")
@login_required
def skp_version(skp_id, version):
    """An earlier, frozen version of an SKP."""
    skp = _readable(skp_id)
    found = skp_queries.revision(skp, version)
    if found is None:
        abort(404)
    row, data = found
    return render_template("staff/skp/version.html", skp=skp, revision=row, data=data)


@bp.route("/skp/<int:skp_id>/cetak")
@login_required
def skp_print(skp_id):
    """The SKP as the official A4 form (print CSS)."""
    skp = _readable(skp_id)
    return render_template(
        "staff/skp/print.html",
        skp=skp,
        plan=skp_queries.plan(skp),
        berakhlak=list(Berakhlak),
        guidelines=BERAKHLAK_GUIDELINES,
        today=current_actor().day,
    )


# --- realisation ----------------------------------------------------------------------------


def _period_or_404(skp, period_id: int) -> Period:
    period = period_queries.period_by_id(period_id)
    if period is None or period.year != skp.year or period.is_annual:
        abort(404)
    return period


def _render_realisation(skp, period, status=200, forms=None, saved=None, focus=None):
    actor = current_actor()
    plan = skp_queries.plan(skp, period)
    can_enter = (
        perm.can_enter_realisation(actor, skp) and period.is_open and skp.approved_at is not None
    )
    forms = forms or {}
    if can_enter:
        for row in plan.rows:
            for item in row.indicators:
                if item.indicator.id not in forms:
                    real = item.realisation
                    form = RealisationForm(formdata=None, prefix=f"x{item.indicator.id}", obj=real)
                    if real is not None and real.value is not None:
                        form.value.data = _plain_number(real.value)
                    forms[item.indicator.id] = form
    return page_or_fragment(
        "staff/skp/realisation.html",
        "staff/skp/_realisation_items.html",
        status,
        skp=skp,
        plan=plan,
        period=period,
        periods=period_queries.periodic(skp.year),
        can_enter=can_enter,
        forms=forms,
        saved=saved,
        focus=focus,
    )


@bp.route("/skp/<int:skp_id>/realisasi/<int:period_id>")
@login_required
def realisation(skp_id, period_id):
    """Realisation of every indicator in one period, with capaian and feedback."""
    skp = _readable(skp_id)
    return _render_realisation(skp, _period_or_404(skp, period_id))


@bp.route("/skp/<int:skp_id>/realisasi/<int:period_id>/<int:indicator_id>", methods=["POST"])
@login_required
def realisation_save(skp_id, period_id, indicator_id):
    """Save one indicator's realisation and evidence."""
    skp = _owned(skp_id)
    period = _period_or_404(skp, period_id)
    indicator = skp_queries.indicator_in(skp, indicator_id)
    if indicator is None:
        abort(404)
    form = RealisationForm(prefix=f"x{indicator.id}")
    target = url_for("staff.realisation", skp_id=skp.id, period_id=period.id)
    if not form.validate():
        return _render_realisation(
            skp, period, 422, forms={indicator.id: form}, focus=_first_invalid(form)
        )
    try:
        skp_realisation.save_realisation(current_actor(), indicator, period, form.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        if exc.status == 409:
            return _refused(exc, target)
        apply_errors(form, exc.errors)
        return _render_realisation(
            skp, period, 422, forms={indicator.id: form}, focus=_first_invalid(form)
        )
    if wants_fragment():
        return _render_realisation(skp, period, saved=indicator.id)
    return _done("Realisasi disimpan.", f"{target}#real-{indicator.id}")


# --- the feedback log -----------------------------------------------------------------------


@bp.route("/skp/umpan-balik")
@login_required
def skp_feedback():
    """My continuous feedback log (dialog kinerja) with replies."""
    actor = current_actor()
    employee = skp_queries.employee_summary(actor.employee_id)
    return render_template(
        "staff/skp/feedback.html",
        employee=employee,
        notes=skp_queries.feedback_log(employee),
        kinds=FEEDBACK_KINDS,
        reply_form=ReplyForm(),
    )


@bp.route("/skp/umpan-balik/<int:note_id>/balas", methods=["POST"])
@login_required
def feedback_reply(note_id):
    """Reply to a note in the feedback log."""
    actor = current_actor()
    note = skp_queries.note_by_id(note_id)
    if note is None:
        abort(404)
    require(perm.can_reply(actor, note))
    back = (
        url_for("staff.skp_feedback")
        if note.employee_id == actor.employee_id
        else url_for("supervisor.feedback_log", employee_id=note.employee_id)
    )
    form = ReplyForm()
    if not form.validate():
        flash(" ".join(form.text.errors), "error")
        return redirect(f"{back}#note-{note.id}", code=303)
    try:
        skp_realisation.reply(actor, note, form.text.data)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        flash(" ".join(exc.errors.values()) or exc.message, "error")
        return redirect(f"{back}#note-{note.id}", code=303)
    return _done("Balasan terkirim.", f"{back}#note-{note.id}")
