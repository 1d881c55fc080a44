"""The counter log (loket), service-standard figures, and SKP indicators linked to them."""

from datetime import date

import segno
from flask import abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from kinerja.clock import today_wib
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.service import ServiceRequest
from kinerja.models.skp import Indicator
from kinerja.permissions import service as perm
from kinerja.queries import layanan as layanan_q
from kinerja.queries.service_figures import LinkedFigure, employee_figures, unit_figures
from kinerja.services import layanan as svc
from kinerja.services import layanan_linked, layanan_log, survey
from portal.render import page_or_fragment, wants_fragment
from portal.security import current_actor, login_required, require
from portal.staff import bp
from portal.staff.service_forms import (
    CompleteForm,
    LinkForm,
    NoteForm,
    RangeForm,
    RegisterForm,
    options,
)

# --- the counter ------------------------------------------------------------------------------


def _register_form(unit_id: int, formdata=None) -> RegisterForm:
    form = RegisterForm(formdata=formdata, prefix="daftar")
    form.service_type.choices = options(
        (t.id, f"{t.name} ({t.standard_label})")
        for t in layanan_q.catalogue(unit_id, active_only=True)
    )
    return form


def _live_context(
    unit: Unit,
    form: RegisterForm | None = None,
    message: str = "",
    category: str = "success",
    receipt_for: ServiceRequest | None = None,
) -> dict:
    actor = current_actor()
    return {
        "receipt_for": receipt_for,
        "unit": unit,
        "form": form or _register_form(unit.id),
        "complete_form": CompleteForm(prefix="selesai"),
        "open_rows": layanan_q.open_requests(unit.id),
        "done_today": layanan_q.completed_today(unit.id, actor.employee_id),
        "message": message,
        "category": category,
    }


def _staff_unit(unit_id: int) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        abort(404)
    require(perm.can_log_requests(current_actor(), unit.id))
    return unit


@bp.route("/loket")
@login_required
def counter():
    """The counter log: register and complete requests; open requests oldest first."""
    actor = current_actor()
    units = layanan_q.service_units_for(actor.employee)
    if not units:
        return render_template("staff/service/counter.html", unit=None, units=[])
    wanted = request.args.get("unit", type=int)
    unit = next((u for u in units if u.id == wanted), units[0])
    return render_template(
        "staff/service/counter.html",
        units=units,
        can_see_unit_figures=perm.can_view_unit_figures(actor, unit.id),
        **_live_context(unit, receipt_for=_receipt_offer(unit)),
    )


def _receipt_offer(unit: Unit) -> ServiceRequest | None:
    """The request just completed (``?tanda_terima=<id>``), if it is a completed one here."""
    wanted = request.args.get("tanda_terima", type=int)
    if wanted is None:
        return None
    return layanan_q.completed_request_in(unit.id, wanted)


@bp.route("/loket/<int:unit_id>/terbuka")
@login_required
def counter_open(unit_id):
    """The open requests of a counter (refreshed in place every 30 seconds)."""
    unit = _staff_unit(unit_id)
    if not wants_fragment():
        return redirect(url_for("staff.counter", unit=unit.id))
    return page_or_fragment(
        "staff/service/counter.html", "staff/service/_open_list.html", **_live_context(unit)
    )


def _after_action(
    unit: Unit,
    message: str,
    category: str = "success",
    status: int = 200,
    receipt_for: ServiceRequest | None = None,
):
    if wants_fragment():
        return page_or_fragment(
            "staff/service/counter.html",
            "staff/service/_counter_live.html",
            status,
            **_live_context(unit, message=message, category=category, receipt_for=receipt_for),
        )
    flash(message, category)
    extra = {"tanda_terima": receipt_for.id} if receipt_for else {}
    return redirect(url_for("staff.counter", unit=unit.id, **extra), code=303)


@bp.route("/loket/<int:unit_id>/daftar", methods=["POST"])
@login_required
def counter_register(unit_id):
    """Register a request in one step."""
    unit = _staff_unit(unit_id)
    form = _register_form(unit.id, request.form)
    if not form.validate():
        return _invalid(unit, form)
    service_type = layanan_q.service_type_in(unit.id, form.service_type.data)
    if service_type is None:
        form.service_type.errors = ["Jenis layanan tidak ada di unit ini."]
        return _invalid(unit, form)
    try:
        created = layanan_log.register_request(current_actor(), service_type, form.reference.data)
    except svc.ServiceError as exc:
        form.reference.errors = [str(exc)]
        return _invalid(unit, form)
    return _after_action(unit, f"Permohonan {created.reference} ({service_type.name}) dicatat.")


def _invalid(unit: Unit, form: RegisterForm):
    context = _live_context(unit, form=form)
    if wants_fragment():
        return render_template("staff/service/_counter_live.html", **context), 422
    actor = current_actor()
    return (
        render_template(
            "staff/service/counter.html",
            units=layanan_q.service_units_for(actor.employee),
            can_see_unit_figures=perm.can_view_unit_figures(actor, unit.id),
            **context,
        ),
        422,
    )


@bp.route("/loket/permohonan/<int:request_id>/selesai", methods=["POST"])
@login_required
def counter_complete(request_id):
    """Complete a request in one step (optionally returned for rework)."""
    row = ServiceRequest.get_or_none(ServiceRequest.id == request_id)
    if row is None:
        abort(404)
    unit = _staff_unit(row.unit_id)
    form = CompleteForm(request.form, prefix="selesai")
    try:
        done = layanan_log.complete_request(current_actor(), row, rework=bool(form.rework.data))
    except svc.ServiceError as exc:
        return _after_action(unit, str(exc), "error", 409)
    note = " (dikembalikan untuk perbaikan)" if done.rework else ""
    return _after_action(unit, f"Permohonan {done.reference} selesai{note}.", receipt_for=done)


@bp.route("/loket/permohonan/<int:request_id>/tanda-terima", methods=["POST"])
@login_required
def counter_receipt(request_id):
    """The receipt of a completed request with the QR code of its single-use survey link.

    A POST, because it issues a fresh link (the plain token exists only on this page); an
    unused earlier link of the same request stops working.
    """
    row = ServiceRequest.get_or_none(ServiceRequest.id == request_id)
    if row is None:
        abort(404)
    unit = _staff_unit(row.unit_id)
    try:
        receipt = survey.issue_receipt(current_actor(), row)
    except survey.SurveyError as exc:
        return _after_action(unit, str(exc), "error", 409)
    link = url_for("survey.form", token=receipt.token, _external=True)
    qr = segno.make(link, error="m").svg_inline(
        scale=4,
        border=4,
        light="#fff",
        svgclass="qr",
        lineclass="qr-dark",
        omitsize=True,
        title="Kode QR tautan survei kepuasan",
    )
    qr = qr.replace("<svg ", '<svg role="img" aria-label="Kode QR tautan survei kepuasan" ', 1)
    # segno's SVG holds only path data and our own title: no text from the request.
    svg = Markup(qr)  # noqa: S704
    page = render_template("staff/service/receipt.html", receipt=receipt, link=link, qr=svg)
    return page, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


# --- figures --------------------------------------------------------------------------------


def _range() -> tuple[RangeForm, date, date, bool]:
    form = RangeForm(request.args)
    today = today_wib()
    default_start = date(today.year, 1, 1)
    valid = form.validate()
    start = (form.dari.data if valid else None) or default_start
    end = (form.sampai.data if valid else None) or today
    if start > end:
        start = date(end.year, 1, 1)
    if not valid:
        form.dari.data, form.sampai.data = start, end
    return form, start, end, valid


def _figures_page(title: str, subject: str, table, *, internal: bool, **extra):
    form, _, _, valid = _range()
    return (
        render_template(
            "staff/service/figures.html",
            title=title,
            subject=subject,
            table=table,
            form=form,
            internal=internal,
            **extra,
        ),
        200 if valid else 400,
    )


@bp.route("/kinerja-layanan")
@login_required
def service_my_figures():
    """My own service figures (requests I completed) over a date range."""
    actor = current_actor()
    _, start, end, _ = _range()
    table = employee_figures(actor.employee_id, start, end)
    return _figures_page(
        "Kinerja layanan saya",
        actor.employee.full_name,
        table,
        internal=True,
        by_completion=True,
    )


@bp.route("/kinerja-layanan/pegawai/<int:employee_id>")
@login_required
def service_employee_figures(employee_id):
    """One employee's service figures: for them, their supervisor chain, admins, auditors."""
    employee = Employee.get_or_none(Employee.id == employee_id)
    if employee is None:
        abort(404)
    require(perm.can_view_employee_figures(current_actor(), employee))
    _, start, end, _ = _range()
    table = employee_figures(employee.id, start, end)
    return _figures_page(
        "Kinerja layanan pegawai", employee.full_name, table, internal=True, by_completion=True
    )


@bp.route("/kinerja-layanan/unit/<int:unit_id>")
@login_required
def service_unit_figures(unit_id):
    """A unit's service figures per jenis layanan (supervisors there, admins, auditors)."""
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        abort(404)
    require(perm.can_view_unit_figures(current_actor(), unit.id))
    _, start, end, _ = _range()
    table = unit_figures(unit.id, start, end)
    return _figures_page(
        "Kinerja layanan unit", unit.name, table, internal=False, by_completion=False
    )


# --- linked indicators ------------------------------------------------------------------------


def _indicator(indicator_id: int) -> Indicator:
    indicator = Indicator.get_or_none(Indicator.id == indicator_id)
    if indicator is None:
        abort(404)
    return indicator


def _link_form(indicator: Indicator, formdata=None) -> LinkForm:
    form = LinkForm(formdata=formdata, prefix="tautan")
    form.service_type.choices = options(
        [("", "— tidak ditautkan ke data layanan —")]
        + [
            (str(t.id), f"{t.name} · {t.unit.display_name}")
            for t in layanan_q.linkable_service_types(current_actor().employee)
        ]
    )
    if formdata is None:
        form.service_type.data = str(indicator.linked_service_type_id or "")
        if indicator.linked_figure:
            form.figure.data = indicator.linked_figure
    return form


@bp.route("/skp/indikator/<int:indicator_id>/tautan-layanan", methods=["GET", "POST"])
@login_required
def service_link_indicator(indicator_id):
    """Link a draft SKP's indicator to a jenis layanan and figure (owner only)."""
    indicator = _indicator(indicator_id)
    actor = current_actor()
    require(perm.can_link_indicator(actor, indicator))
    skp = perm.skp_of(indicator)
    form = _link_form(indicator, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.validate():
            chosen = int(form.service_type.data) if form.service_type.data else None
            try:
                layanan_linked.link_indicator(actor, indicator, chosen, form.figure.data)
            except svc.ServiceError as exc:
                form.service_type.errors = [str(exc)]
                status = 422
            else:
                flash(
                    "Indikator ditautkan ke data layanan; realisasinya terisi otomatis."
                    if chosen
                    else "Tautan indikator ke data layanan dihapus.",
                    "success",
                )
                return redirect(
                    url_for("staff.service_link_indicator", indicator_id=indicator.id), code=303
                )
        else:
            status = 422
    return (
        render_template(
            "staff/service/link_indicator.html",
            indicator=indicator,
            skp=skp,
            form=form,
        ),
        status,
    )


@bp.route("/indikator/<int:indicator_id>/realisasi-otomatis")
@login_required
def service_linked_indicator(indicator_id):
    """A linked indicator's automatic realisation per period, with the numbers behind it."""
    indicator = _indicator(indicator_id)
    actor = current_actor()
    require(perm.can_view_linked_indicator(actor, indicator))
    skp = perm.skp_of(indicator)
    service_type = layanan_q.linked_service_type(indicator)
    return render_template(
        "staff/service/linked_indicator.html",
        indicator=indicator,
        skp=skp,
        owner=Employee.get_by_id(skp.employee_id),
        service_type=service_type,
        figure=LinkedFigure(indicator.linked_figure) if indicator.linked_figure else None,
        rows=layanan_q.linked_realisation_rows(indicator),
        can_note=perm.can_note_linked_indicator(actor, indicator),
        note_form=NoteForm(prefix="catatan"),
    )


@bp.route(
    "/indikator/<int:indicator_id>/realisasi-otomatis/<int:period_id>/catatan", methods=["POST"]
)
@login_required
def service_linked_note(indicator_id, period_id):
    """The owner's note beside an automatic realisation (the figure stays automatic)."""
    indicator = _indicator(indicator_id)
    actor = current_actor()
    require(perm.can_note_linked_indicator(actor, indicator))
    period = Period.get_or_none(Period.id == period_id)
    if period is None:
        abort(404)
    target = url_for("staff.service_linked_indicator", indicator_id=indicator.id)
    form = NoteForm(request.form, prefix="catatan")
    if not form.validate():
        errors = [e for field in form for e in field.errors]
        flash("Catatan tidak disimpan: " + " ".join(errors), "error")
        return redirect(target, code=303)
    try:
        layanan_linked.save_linked_note(
            actor,
            indicator,
            period,
            form.narrative.data,
            form.evidence_link.data or "",
            form.evidence_note.data or "",
        )
    except svc.ServiceError as exc:
        flash(str(exc), "error")
        return redirect(target, code=303)
    flash(f"Catatan realisasi {period.name} disimpan.", "success")
    return redirect(target, code=303)
