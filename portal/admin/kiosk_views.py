"""Admin kiosk pages: list, register (pairing code shown once), edit, hours, revoke.

The pairing code is shown in the response to the POST that creates it and nowhere else
(it is stored hashed), so those two responses are not redirects and are never cached.
"""

from flask import abort, flash, make_response, redirect, render_template, request, url_for

from kinerja.models.kiosk import WEEKDAYS, Kiosk
from kinerja.org import UNIT_PLACEHOLDER, unit_choices
from kinerja.permissions import is_admin
from kinerja.queries import admin as admin_queries
from kinerja.services import kiosk as kiosk_service
from kinerja.services import kiosk_duty
from kinerja.services.kiosk import KioskError
from portal.admin import bp
from portal.admin.kiosk_forms import ConfirmForm, HoursForm, KioskForm
from portal.security import current_actor, internal_reader_required


def _kiosk(kiosk_id: int) -> Kiosk:
    kiosk = Kiosk.get_or_none(Kiosk.id == kiosk_id)
    if kiosk is None:
        abort(404)
    return kiosk


def _unit_choices() -> list[tuple[int | str, str]]:
    """Active units labelled with their parents; an empty first option (never preselected)."""
    return unit_choices(blank=UNIT_PLACEHOLDER)


def _code_page(kiosk: Kiosk, code: str, new: bool):
    response = make_response(
        render_template(
            "admin/kiosk/code.html",
            kiosk=kiosk,
            code=kiosk_service.format_code(code),
            new=new,
            ttl_hours=int(kiosk_service.PAIRING_TTL.total_seconds() // 3600),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/kios")
@internal_reader_required
def kiosk_list():
    """Every kiosk with its unit, counter, status and who is on duty."""
    kiosks = admin_queries.kiosks()
    on_duty = {k.id: kiosk_duty.open_duty(k.id) for k in kiosks}
    return render_template("admin/kiosk/list.html", kiosks=kiosks, on_duty=on_duty)


@bp.route("/kios/baru", methods=["GET", "POST"])
@internal_reader_required
def kiosk_new():
    """Register a kiosk for a unit and show its one-time pairing code."""
    form = KioskForm()
    form.unit_id.choices = _unit_choices()
    error = None
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                kiosk, code = kiosk_service.register_kiosk(
                    current_actor(), form.unit_id.data, form.name.data, form.counter.data or ""
                )
            except KioskError as exc:
                error, status = str(exc), 422
            else:
                return _code_page(kiosk, code, new=True)
        else:
            status = 422
    return render_template("admin/kiosk/new.html", form=form, error=error), status


@bp.route("/kios/<int:kiosk_id>", methods=["GET", "POST"])
@internal_reader_required
def kiosk_edit(kiosk_id: int):
    """A kiosk's details: name, counter, service types, opening hours, pairing, revoke."""
    kiosk = _kiosk(kiosk_id)
    form = KioskForm(obj=None)
    form.unit_id.choices = unit_choices(only={kiosk.unit_id}, include_inactive=True)
    form.service_type_ids.choices = kiosk_service.unit_service_types(kiosk.unit_id)
    error = None
    status = 200
    if form.is_submitted():
        form.unit_id.data = kiosk.unit_id
        if form.validate():
            try:
                kiosk_service.update_kiosk(
                    current_actor(),
                    kiosk.id,
                    form.name.data,
                    form.counter.data or "",
                    form.service_type_ids.data or [],
                )
            except KioskError as exc:
                error, status = str(exc), 422
            else:
                flash("Data kios disimpan.", "success")
                return redirect(url_for("admin.kiosk_edit", kiosk_id=kiosk.id), code=303)
        else:
            status = 422
    else:
        form.unit_id.data = kiosk.unit_id
        form.name.data = kiosk.name
        form.counter.data = kiosk.counter
        form.service_type_ids.data = kiosk.services
    return _edit_page(kiosk, form, _hours_form(kiosk), error=error, status=status)


def _hours_form(kiosk: Kiosk, formdata=None) -> HoursForm:
    form = HoursForm(formdata=formdata) if formdata is not None else HoursForm()
    if formdata is None:
        for day in range(7):
            start, end = kiosk.hours.get(day, ("", ""))
            getattr(form, f"start_{day}").data = start
            getattr(form, f"end_{day}").data = end
    return form


def _edit_page(kiosk, form, hours_form, error=None, hours_error=None, status=200):
    return (
        render_template(
            "admin/kiosk/edit.html",
            kiosk=kiosk,
            form=form,
            hours_form=hours_form,
            confirm=ConfirmForm(),
            weekdays=list(enumerate(WEEKDAYS)),
            error=error,
            hours_error=hours_error,
            has_services=bool(form.service_type_ids.choices),
        ),
        status,
    )


@bp.route("/kios/<int:kiosk_id>/jam", methods=["POST"])
@internal_reader_required
def kiosk_hours(kiosk_id: int):
    """Set a kiosk's opening hours (WIB) per weekday."""
    kiosk = _kiosk(kiosk_id)
    hours_form = HoursForm()
    if not hours_form.validate_on_submit():
        abort(400)
    raw = {
        day: (
            getattr(hours_form, f"start_{day}").data or "",
            getattr(hours_form, f"end_{day}").data or "",
        )
        for day in range(7)
    }
    try:
        kiosk_service.set_opening_hours(current_actor(), kiosk.id, raw)
    except KioskError as exc:
        form = KioskForm()
        form.unit_id.choices = unit_choices(only={kiosk.unit_id}, include_inactive=True)
        form.service_type_ids.choices = kiosk_service.unit_service_types(kiosk.unit_id)
        form.name.data, form.counter.data = kiosk.name, kiosk.counter
        form.service_type_ids.data = kiosk.services
        return _edit_page(kiosk, form, hours_form, hours_error=str(exc), status=422)
    flash("Jam layanan kios disimpan.", "success")
    return redirect(url_for("admin.kiosk_edit", kiosk_id=kiosk.id), code=303)


@bp.route("/kios/<int:kiosk_id>/kode", methods=["POST"])
@internal_reader_required
def kiosk_code(kiosk_id: int):
    """Issue a new one-time pairing code (e.g. for a replacement tablet)."""
    kiosk = _kiosk(kiosk_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        code = kiosk_service.reissue_pairing_code(current_actor(), kiosk.id)
    except KioskError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.kiosk_edit", kiosk_id=kiosk.id), code=303)
    return _code_page(kiosk, code, new=False)


@bp.route("/kios/<int:kiosk_id>/cabut", methods=["GET", "POST"])
@internal_reader_required
def kiosk_revoke(kiosk_id: int):
    """Revoke a kiosk: its device is refused from the next request on. GET (or a POST
    without ``confirm=1``) shows what revoking does first: answers kept, device refused,
    the counter officer on duty."""
    kiosk = _kiosk(kiosk_id)
    if request.method == "GET" or request.form.get("confirm") != "1":
        if request.method == "POST" and not ConfirmForm().validate_on_submit():
            abort(400)
        return render_template(
            "admin/kiosk/revoke_confirm.html",
            kiosk=kiosk,
            answers=admin_queries.kiosk_answer_count(kiosk),
            duty=kiosk_duty.open_duty(kiosk.id),
            writable=is_admin(current_actor()) and kiosk.is_active,
            form=ConfirmForm(),
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        kiosk_service.revoke(current_actor(), kiosk.id)
        flash(f"{kiosk.label} telah dicabut.", "success")
    except KioskError as exc:
        flash(str(exc), "error")
    return redirect(url_for("admin.kiosk_edit", kiosk_id=kiosk.id), code=303)
