"""Admin: the service catalogue per unit, CSV import of requests, city days off."""

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja.imports.service_requests import MAX_BYTES
from kinerja.models.org import Unit
from kinerja.models.service import CityDayOff, ImportBatch, ServiceType
from kinerja.org import UNIT_PLACEHOLDER, unit_choices
from kinerja.permissions import is_admin
from kinerja.queries import admin as admin_queries
from kinerja.queries import layanan as layanan_q
from kinerja.services import layanan as svc
from kinerja.services import layanan_log
from portal.admin import bp
from portal.admin.service_forms import (
    DayOffForm,
    ImportForm,
    ServiceTypeForm,
    options,
    parse_fee,
)
from portal.security import current_actor, internal_reader_required


def _unit_choices(form_field):
    """Active units labelled with their parents; an empty first option (never preselected)."""
    form_field.choices = options(unit_choices(blank=UNIT_PLACEHOLDER))


def _can_write() -> bool:
    return is_admin(current_actor())


@bp.route("/layanan")
@internal_reader_required
def service_index():
    """The service catalogue of every unit."""
    types = layanan_q.catalogue()
    grouped: dict[int, list[ServiceType]] = {}
    units: dict[int, Unit] = {}
    for t in types:
        grouped.setdefault(t.unit_id, []).append(t)
        units[t.unit_id] = t.unit
    return render_template(
        "admin/service/index.html",
        groups=[(units[i], grouped[i]) for i in sorted(units, key=lambda i: units[i].name)],
        can_write=_can_write(),
        batches=admin_queries.recent_service_batches(),
    )


def _data(form: ServiceTypeForm) -> svc.ServiceTypeData:
    return svc.ServiceTypeData(
        name=form.name.data,
        standard_value=form.standard_value.data,
        standard_unit=form.standard_unit.data,
        requirements=form.requirements.data or "",
        fee=parse_fee(form.fee.data),
        active=bool(form.active.data),
    )


def _form_page(form, service_type=None, status=200):
    return (
        render_template(
            "admin/service/form.html",
            form=form,
            service_type=service_type,
            can_write=_can_write(),
        ),
        status,
    )


@bp.route("/layanan/baru", methods=["GET", "POST"])
@internal_reader_required
def service_create():
    """Add a jenis layanan to a unit's catalogue."""
    form = ServiceTypeForm()
    _unit_choices(form.unit)
    if request.method == "GET":
        wanted = request.args.get("unit", type=int)
        if wanted:
            form.unit.data = wanted
        return _form_page(form)
    if not form.validate():
        return _form_page(form, status=422)
    unit = Unit.get_or_none(Unit.id == form.unit.data)
    try:
        created = svc.create_service_type(current_actor().account, unit, _data(form))
    except svc.ServiceError as exc:
        form.name.errors = [str(exc)]
        return _form_page(form, status=422)
    flash(f"Jenis layanan {created.name} ditambahkan.", "success")
    return redirect(url_for("admin.service_index"), code=303)


def _service_type(service_type_id: int) -> ServiceType:
    row = ServiceType.get_or_none(ServiceType.id == service_type_id)
    if row is None:
        abort(404)
    return row


@bp.route("/layanan/<int:service_type_id>/ubah", methods=["GET", "POST"])
@internal_reader_required
def service_edit(service_type_id):
    """Change a jenis layanan."""
    service_type = _service_type(service_type_id)
    if request.method == "GET":
        form = ServiceTypeForm(obj=service_type)
        form.fee.data = f"{service_type.fee:f}".replace(".", ",").removesuffix(",00")
        form.unit.data = service_type.unit_id
    else:
        form = ServiceTypeForm()
    _unit_choices(form.unit)
    form.unit.choices = options(unit_choices(only={service_type.unit_id}, include_inactive=True))
    if request.method == "GET":
        return _form_page(form, service_type)
    if not form.validate():
        return _form_page(form, service_type, 422)
    try:
        svc.update_service_type(current_actor().account, service_type, _data(form))
    except svc.ServiceError as exc:
        form.name.errors = [str(exc)]
        return _form_page(form, service_type, 422)
    flash(f"Jenis layanan {service_type.name} diperbarui.", "success")
    return redirect(url_for("admin.service_index"), code=303)


@bp.route("/layanan/<int:service_type_id>/nonaktifkan", methods=["POST"])
@internal_reader_required
def service_deactivate(service_type_id):
    """Deactivate a jenis layanan (it leaves the counter; history stays)."""
    service_type = _service_type(service_type_id)
    svc.set_service_type_active(current_actor().account, service_type, False)
    flash(f"Jenis layanan {service_type.name} dinonaktifkan.", "success")
    return redirect(url_for("admin.service_index"), code=303)


@bp.route("/layanan/<int:service_type_id>/aktifkan", methods=["POST"])
@internal_reader_required
def service_activate(service_type_id):
    """Reactivate a jenis layanan."""
    service_type = _service_type(service_type_id)
    svc.set_service_type_active(current_actor().account, service_type, True)
    flash(f"Jenis layanan {service_type.name} diaktifkan kembali.", "success")
    return redirect(url_for("admin.service_index"), code=303)


# --- CSV import --------------------------------------------------------------------------------


def _import_page(form, status=200, errors=()):
    return (
        render_template(
            "admin/service/import.html", form=form, errors=errors, can_write=_can_write()
        ),
        status,
    )


@bp.route("/layanan/impor", methods=["GET", "POST"])
@internal_reader_required
def service_import():
    """Upload a CSV of requests; the dry run follows on the batch page."""
    form = ImportForm()
    _unit_choices(form.unit)
    if request.method == "GET":
        return _import_page(form)
    if not form.validate():
        return _import_page(form, 422)
    upload = request.files.get(form.berkas.name)
    if upload is None or not upload.filename:
        form.berkas.errors = ["Pilih berkas CSV yang akan diperiksa."]
        return _import_page(form, 422)
    if not upload.filename.lower().endswith(".csv"):
        upload.close()
        form.berkas.errors = ["Hanya berkas .csv yang diterima."]
        return _import_page(form, 422)
    try:
        content = upload.stream.read(MAX_BYTES + 1)
    finally:
        upload.close()
    if len(content) > MAX_BYTES:
        form.berkas.errors = ["Berkas lebih besar dari 2 MB. Bagi menjadi beberapa berkas."]
        return _import_page(form, 413)
    unit = Unit.get_or_none(Unit.id == form.unit.data)
    batch, result = layanan_log.upload_import(
        current_actor().account, unit, upload.filename, content
    )
    if batch is None:
        form.berkas.errors = [e.text() for e in result.errors]
        return _import_page(form, 422)
    return redirect(url_for("admin.service_import_batch", batch_id=batch.id), code=303)


def _batch(batch_id: int) -> ImportBatch:
    batch = ImportBatch.get_or_none(ImportBatch.id == batch_id)
    if batch is None:
        abort(404)
    return batch


@bp.route("/layanan/impor/<int:batch_id>")
@internal_reader_required
def service_import_batch(batch_id):
    """The dry run of an uploaded CSV: every row error, or what the import will do."""
    batch = _batch(batch_id)
    unit = Unit.get_by_id(batch.unit_id)
    result = None if batch.is_imported else layanan_log.check_import(unit, batch.content)
    return render_template(
        "admin/service/import_batch.html",
        batch=batch,
        unit=unit,
        result=result,
        errors=layanan_log.import_errors(result) if result else [],
        can_write=_can_write(),
    )


@bp.route("/layanan/impor/<int:batch_id>/impor", methods=["POST"])
@internal_reader_required
def service_import_confirm(batch_id):
    """Import a checked CSV: all rows or none; rows already stored identically are skipped."""
    batch = _batch(batch_id)
    target = url_for("admin.service_import_batch", batch_id=batch.id)
    try:
        outcome = layanan_log.run_import(current_actor().account, batch)
    except layanan_log.ImportRefused as exc:
        flash(str(exc), "error")
        return redirect(target, code=303)
    except svc.ServiceError as exc:
        flash(str(exc), "error")
        return redirect(target, code=303)
    flash(
        f"Impor selesai: {outcome.inserted} permohonan baru, {outcome.unchanged} sudah ada "
        "(dilewati).",
        "success",
    )
    return redirect(target, code=303)


# --- city days off ---------------------------------------------------------------------------


@bp.route("/layanan/libur", methods=["GET", "POST"])
@internal_reader_required
def service_days_off():
    """City-specific days off (besides the national holidays)."""
    form = DayOffForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                svc.add_day_off(current_actor().account, form.date.data, form.name.data)
            except svc.ServiceError as exc:
                form.date.errors = [str(exc)]
                status = 422
            else:
                flash("Hari libur kota ditambahkan.", "success")
                return redirect(url_for("admin.service_days_off"), code=303)
        else:
            status = 422
    return (
        render_template(
            "admin/service/days_off.html",
            form=form,
            days=admin_queries.city_days_off(),
            can_write=_can_write(),
        ),
        status,
    )


@bp.route("/layanan/libur/<int:day_off_id>/hapus", methods=["POST"])
@internal_reader_required
def service_day_off_delete(day_off_id):
    """Remove a city day off."""
    row = CityDayOff.get_or_none(CityDayOff.id == day_off_id)
    if row is None:
        abort(404)
    svc.remove_day_off(current_actor().account, row)
    flash("Hari libur kota dihapus.", "success")
    return redirect(url_for("admin.service_days_off"), code=303)
