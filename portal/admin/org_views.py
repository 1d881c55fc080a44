"""The admin console's organisation pages (docs/spec/product.md §7): the unit tree, units,
employees, their supervisor and Plt/Plh appointments."""

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja import org
from kinerja.clock import today_wib, utcnow
from kinerja.enums import EmployeeStatus, JenisJabatan
from kinerja.models.org import ActingOfficial, Employee, Unit
from kinerja.org import UNIT_PLACEHOLDER
from kinerja.queries import admin as admin_queries
from kinerja.services import admin_org
from kinerja.services.admin_org import AdminError
from portal.admin import bp
from portal.admin.common import (
    current_account,
    fail,
    page_args,
    paginate,
    unit_pairs,
    unit_select_choices,
)
from portal.admin.console_forms import (
    ActingForm,
    EmployeeForm,
    SupervisorForm,
    UnitEditForm,
    UnitForm,
    UnitMoveForm,
)
from portal.render import page_or_fragment
from portal.security import internal_reader_required

# --- Units --------------------------------------------------------------------------------


@bp.route("/unit")
@internal_reader_required
def units():
    """The unit tree with a form to add a unit."""
    form = UnitForm()
    form.parent_id.choices = unit_select_choices("— (tingkat teratas)")
    return _units_page(form)


def _units_page(form, status=200):
    return (
        render_template(
            "admin/console/units.html",
            tree=admin_queries.unit_tree(),
            form=form,
            counts=admin_queries.staff_counts(),
        ),
        status,
    )


@bp.route("/unit", methods=["POST"])
@internal_reader_required
def unit_create():
    """Add a unit to the tree."""
    form = UnitForm()
    form.parent_id.choices = unit_select_choices("— (tingkat teratas)")
    if form.validate_on_submit():
        try:
            unit = admin_org.create_unit(
                code=form.code.data,
                name=form.name.data,
                short_name=form.short_name.data,
                kind=form.kind.data,
                parent_id=form.parent_id.data,
                serves_public=form.serves_public.data,
                actor=current_account(),
            )
        except AdminError as exc:
            form.code.errors = [*form.code.errors, str(exc)]
        else:
            flash(f"Unit {unit.code} ditambahkan.", "success")
            return redirect(url_for("admin.unit_detail", unit_id=unit.id), 303)
    return _units_page(form, 422)


def _unit_or_404(unit_id: int) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        abort(404)
    return unit


def _unit_page(unit, edit=None, move=None, status=200):
    if edit is None:
        edit = UnitEditForm(obj=unit, formdata=None)
    if move is None:
        move = UnitMoveForm(formdata=None, parent_id=unit.parent_id)
    move.parent_id.choices = unit_select_choices(
        "— (tingkat teratas)", exclude=org.descendant_unit_ids(unit.id)
    )
    panel = admin_queries.unit_panel(unit)
    return (
        render_template(
            "admin/console/unit.html",
            unit=unit,
            ancestors=panel.ancestors,
            children=panel.children,
            staff=panel.staff,
            staff_total=panel.staff_total,
            edit=edit,
            move=move,
            history=admin_queries.history("unit", unit.id),
        ),
        status,
    )


@bp.route("/unit/<int:unit_id>")
@internal_reader_required
def unit_detail(unit_id):
    """A unit: data, sub-units, staff, history, and the change forms."""
    return _unit_page(_unit_or_404(unit_id))


@bp.route("/unit/<int:unit_id>/ubah", methods=["POST"])
@internal_reader_required
def unit_update(unit_id):
    """Rename a unit, change its kind or mark it as a public-service unit."""
    unit = _unit_or_404(unit_id)
    form = UnitEditForm()
    if form.validate_on_submit():
        try:
            admin_org.update_unit(
                unit.id,
                name=form.name.data,
                short_name=form.short_name.data,
                kind=form.kind.data,
                serves_public=form.serves_public.data,
                actor=current_account(),
            )
        except AdminError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            flash("Data unit tersimpan.", "success")
            return redirect(url_for("admin.unit_detail", unit_id=unit.id), 303)
    return _unit_page(unit, edit=form, status=422)


@bp.route("/unit/<int:unit_id>/pindah", methods=["POST"])
@internal_reader_required
def unit_move(unit_id):
    """Move a unit under another parent (cycles refused)."""
    unit = _unit_or_404(unit_id)
    form = UnitMoveForm()
    form.parent_id.choices = unit_select_choices("— (tingkat teratas)")
    if form.validate_on_submit():
        try:
            admin_org.move_unit(unit.id, form.parent_id.data, actor=current_account())
        except AdminError as exc:
            form.parent_id.errors = [*form.parent_id.errors, str(exc)]
        else:
            flash("Unit dipindahkan.", "success")
            return redirect(url_for("admin.unit_detail", unit_id=unit.id), 303)
    return _unit_page(unit, move=form, status=422)


@bp.route("/unit/<int:unit_id>/status", methods=["POST"])
@internal_reader_required
def unit_active(unit_id):
    """Deactivate or reactivate a unit (never deleted)."""
    unit = _unit_or_404(unit_id)
    active = request.form.get("aktif") == "1"
    try:
        admin_org.set_unit_active(unit.id, active, actor=current_account())
    except AdminError as exc:
        fail(str(exc))
    else:
        flash("Unit diaktifkan." if active else "Unit dinonaktifkan.", "success")
    return redirect(url_for("admin.unit_detail", unit_id=unit.id), 303)


# --- Employees ----------------------------------------------------------------------------


@bp.route("/pegawai")
@internal_reader_required
def employees():
    """Search and filter employees (name or NIP, unit, jenis, status, active)."""
    q = request.args.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL
    unit_id = request.args.get("unit", type=int)
    query = admin_queries.search_employees(
        q=q,
        unit_id=unit_id,
        jenis=request.args.get("jenis", ""),
        status=request.args.get("status", ""),
        active=request.args.get("aktif", ""),
    )
    page = paginate(query)
    accounts = admin_queries.accounts_of(page.items)
    return page_or_fragment(
        "admin/console/employees.html",
        "admin/console/_employee_rows.html",
        results=page,
        accounts=accounts,
        q=q,
        unit_choices=unit_pairs("Semua unit"),
        filters=request.args,
        jenis_choices=JenisJabatan.choices(),
        now=utcnow(),
        status_choices=EmployeeStatus.choices(),
        page_args=page_args(),
    )


def _employee_or_404(employee_id: int) -> Employee:
    employee = Employee.get_or_none(Employee.id == employee_id)
    if employee is None:
        abort(404)
    return employee


def _employee_page(employee, form=None, boss=None, acting=None, status=200):
    if form is None:
        form = EmployeeForm(
            formdata=None, obj=employee, unit_id=employee.unit_id, jenjang=employee.jenjang or ""
        )
    form.unit_id.choices = unit_select_choices(UNIT_PLACEHOLDER)
    if boss is None:
        boss = SupervisorForm(
            formdata=None,
            supervisor_nip=employee.supervisor.nip if employee.supervisor_id else "",
        )
    if acting is None:
        acting = ActingForm(formdata=None, start=today_wib())
    panel = admin_queries.employee_panel(employee)
    return (
        render_template(
            "admin/console/employee.html",
            employee=employee,
            form=form,
            boss=boss,
            acting=acting,
            stand_ins=panel.stand_ins,
            acting_for=panel.acting_for,
            account=panel.account,
            subordinates=panel.subordinates,
            history=admin_queries.history("employee", employee.id),
            today=today_wib(),
            now=utcnow(),
        ),
        status,
    )


@bp.route("/pegawai/<int:employee_id>")
@internal_reader_required
def employee_detail(employee_id):
    """An employee: data, supervisor, Plt/Plh, account, history."""
    return _employee_page(_employee_or_404(employee_id))


@bp.route("/pegawai/<int:employee_id>/ubah", methods=["POST"])
@internal_reader_required
def employee_update(employee_id):
    """Edit an employee's data."""
    employee = _employee_or_404(employee_id)
    form = EmployeeForm()
    form.unit_id.choices = unit_select_choices(UNIT_PLACEHOLDER)
    if form.validate_on_submit():
        try:
            admin_org.update_employee(
                employee.id,
                actor=current_account(),
                name=form.name.data,
                gelar_depan=form.gelar_depan.data,
                gelar_belakang=form.gelar_belakang.data,
                jabatan=form.jabatan.data,
                jenis_jabatan=form.jenis_jabatan.data,
                jenjang=form.jenjang.data,
                golongan=form.golongan.data,
                status=form.status.data,
                unit_id=form.unit_id.data,
            )
        except AdminError as exc:
            form.golongan.errors = [*form.golongan.errors, str(exc)]
        else:
            flash("Data pegawai tersimpan.", "success")
            return redirect(url_for("admin.employee_detail", employee_id=employee.id), 303)
    return _employee_page(employee, form=form, status=422)


@bp.route("/pegawai/<int:employee_id>/atasan", methods=["POST"])
@internal_reader_required
def employee_supervisor(employee_id):
    """Set or clear the direct supervisor (cycles refused)."""
    employee = _employee_or_404(employee_id)
    form = SupervisorForm()
    if form.validate_on_submit():
        raw = (form.supervisor_nip.data or "").strip()
        boss = admin_queries.employee_by_nip(raw)
        if raw and boss is None:
            form.supervisor_nip.errors = ["Tidak ada pegawai dengan NIP tersebut."]
        else:
            try:
                admin_org.set_supervisor(
                    employee.id, boss.id if boss else None, actor=current_account()
                )
            except AdminError as exc:
                form.supervisor_nip.errors = [str(exc)]
            else:
                flash("Atasan langsung tersimpan.", "success")
                return redirect(url_for("admin.employee_detail", employee_id=employee.id), 303)
    return _employee_page(employee, boss=form, status=422)


@bp.route("/pegawai/<int:employee_id>/status", methods=["POST"])
@internal_reader_required
def employee_active(employee_id):
    """Deactivate (transfer, retirement) or reactivate an employee."""
    employee = _employee_or_404(employee_id)
    active = request.form.get("aktif") == "1"
    reason = request.form.get("alasan", "")[:200]
    try:
        admin_org.set_employee_active(employee.id, active, reason=reason, actor=current_account())
    except AdminError as exc:
        fail(str(exc))
    else:
        flash("Pegawai diaktifkan." if active else "Pegawai dinonaktifkan.", "success")
    return redirect(url_for("admin.employee_detail", employee_id=employee.id), 303)


@bp.route("/pegawai/<int:employee_id>/plt", methods=["POST"])
@internal_reader_required
def acting_add(employee_id):
    """Appoint a Plt/Plh standing in for this employee over a date range."""
    employee = _employee_or_404(employee_id)
    form = ActingForm()
    if form.validate_on_submit():
        acting = admin_queries.employee_by_nip(form.acting_nip.data)
        if acting is None:
            form.acting_nip.errors = ["Tidak ada pegawai dengan NIP tersebut."]
        else:
            try:
                admin_org.add_acting(
                    acting_id=acting.id,
                    for_id=employee.id,
                    kind=form.kind.data,
                    start=form.start.data,
                    end=form.end.data,
                    note=form.note.data,
                    actor=current_account(),
                )
            except AdminError as exc:
                form.end.errors = [*form.end.errors, str(exc)]
            else:
                flash("Penunjukan Plt/Plh tersimpan.", "success")
                return redirect(url_for("admin.employee_detail", employee_id=employee.id), 303)
    return _employee_page(employee, acting=form, status=422)


@bp.route("/plt/<int:acting_id>/akhiri", methods=["POST"])
@internal_reader_required
def acting_end(acting_id):
    """End a Plt/Plh appointment today (kept as history)."""
    row = ActingOfficial.get_or_none(ActingOfficial.id == acting_id)
    if row is None:
        abort(404)
    try:
        admin_org.end_acting(row.id, day=today_wib(), actor=current_account())
    except AdminError as exc:
        fail(str(exc))
    else:
        flash("Penunjukan Plt/Plh diakhiri hari ini.", "success")
    return redirect(url_for("admin.employee_detail", employee_id=row.for_employee_id), 303)
