"""The BKPSDM admin console (docs/spec/product.md §7): dashboard, units, employees, roster import,
accounts, periods, settings, exports, audit log. Admins change; auditors read every page
and get 403 on every POST (``internal_reader_required``)."""

import math
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from peewee import fn

from kinerja import audit_labels, org, settings
from kinerja.clock import WIB, today_wib, utcnow
from kinerja.db import database
from kinerja.enums import EmployeeStatus, JenisJabatan, PeriodKind, PeriodStatus, Role
from kinerja.imports import roster_jobs, roster_parse
from kinerja.models.account import Account, AccountRole
from kinerja.models.admin import ImportJob
from kinerja.models.audit import AuditEvent
from kinerja.models.org import ActingOfficial, Employee, Unit
from kinerja.models.period import Period
from kinerja.nip import normalise
from kinerja.org import UNIT_PLACEHOLDER, unit_choices
from kinerja.permissions.admin import can_remove_admin_of
from kinerja.queries import admin_dashboard, exports
from kinerja.services import admin_accounts, admin_org, admin_settings
from kinerja.services.admin_org import AdminError
from kinerja.services.audit import verify_chain
from portal.admin import bp
from portal.admin.console_forms import (
    ActingForm,
    EmployeeForm,
    RosterUploadForm,
    SupervisorForm,
    UnitEditForm,
    UnitForm,
    UnitMoveForm,
    YearForm,
    choices,
    settings_form_class,
)
from portal.config import mail_settings
from portal.errors import refuse
from portal.render import page_or_fragment
from portal.security import current_actor, internal_reader_required

PER_PAGE = 50


def _account():
    return current_actor().account


@dataclass
class Page:
    """One page of a query's results."""

    items: list
    number: int
    pages: int
    total: int


def _paginate(query, per_page: int = PER_PAGE) -> Page:
    page = request.args.get("hal", 1, type=int) or 1
    total = query.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    return Page(list(query.paginate(page, per_page)), page, pages, total)


def _page_args(**extra) -> dict:
    """The current query string without ``hal`` (for pagination links)."""
    args = {k: v for k, v in request.args.items() if k != "hal" and v != ""}
    args.update(extra)
    return args


def _unit_choices(blank: str | None = None, exclude: set[int] | None = None):
    """Units in tree order as SelectChoice objects for a form field."""
    return choices(_unit_pairs(blank, exclude))


def _unit_pairs(blank: str | None = None, exclude: set[int] | None = None):
    """Units in tree order as (id, indented label) pairs."""
    inactive = {u.id for u, _depth in admin_org.unit_tree() if not u.active}
    return [
        (value, f"{label} (nonaktif)" if value in inactive else label)
        for value, label in unit_choices(include_inactive=True, blank=blank)
        if not (exclude and value in exclude)
    ]


def _history(object_type: str, object_id, limit: int = 100) -> list:
    return audit_labels.describe(
        AuditEvent.select()
        .where((AuditEvent.object_type == object_type) & (AuditEvent.object_id == str(object_id)))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )


def _fail(message: str) -> None:
    flash(message, "error")


# --- Dashboard ----------------------------------------------------------------------------


@bp.route("/")
@internal_reader_required
def dashboard():
    """Completion per OPD for a period, late lists, links to every console page."""
    period_id = request.args.get("periode", type=int)
    period = (
        Period.get_or_none(Period.id == period_id)
        if period_id
        else admin_dashboard.default_period()
    )
    if period_id and period is None:
        abort(404)
    board = admin_dashboard.build(period)
    periods = list(Period.select().order_by(Period.year.desc(), Period.number))
    return render_template(
        "admin/console/dashboard.html",
        board=board,
        period=period,
        periods=periods,
        mail_configured=mail_settings(current_app.config).configured,
    )


# --- Units --------------------------------------------------------------------------------


@bp.route("/unit")
@internal_reader_required
def units():
    """The unit tree with a form to add a unit."""
    form = UnitForm()
    form.parent_id.choices = _unit_choices("— (tingkat teratas)")
    return _units_page(form)


def _units_page(form, status=200):
    counts = _staff_counts()
    return (
        render_template(
            "admin/console/units.html", tree=admin_org.unit_tree(), form=form, counts=counts
        ),
        status,
    )


def _staff_counts() -> dict[int, int]:
    from peewee import fn

    return dict(
        Employee.select(Employee.unit, fn.COUNT(Employee.id))
        .where(Employee.active)
        .group_by(Employee.unit)
        .tuples()
    )


@bp.route("/unit", methods=["POST"])
@internal_reader_required
def unit_create():
    """Add a unit to the tree."""
    form = UnitForm()
    form.parent_id.choices = _unit_choices("— (tingkat teratas)")
    if form.validate_on_submit():
        try:
            unit = admin_org.create_unit(
                code=form.code.data,
                name=form.name.data,
                short_name=form.short_name.data,
                kind=form.kind.data,
                parent_id=form.parent_id.data,
                serves_public=form.serves_public.data,
                actor=_account(),
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
    move.parent_id.choices = _unit_choices(
        "— (tingkat teratas)", exclude=org.descendant_unit_ids(unit.id)
    )
    staff = (
        Employee.select()
        .where((Employee.unit == unit.id) & Employee.active)
        .order_by(Employee.name)
    )
    children = list(Unit.select().where(Unit.parent == unit.id).order_by(Unit.code))
    return (
        render_template(
            "admin/console/unit.html",
            unit=unit,
            ancestors=list(reversed(org.ancestors(unit))),
            children=children,
            staff=list(staff.limit(200)),
            staff_total=staff.count(),
            edit=edit,
            move=move,
            history=_history("unit", unit.id),
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
                actor=_account(),
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
    form.parent_id.choices = _unit_choices("— (tingkat teratas)")
    if form.validate_on_submit():
        try:
            admin_org.move_unit(unit.id, form.parent_id.data, actor=_account())
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
        admin_org.set_unit_active(unit.id, active, actor=_account())
    except AdminError as exc:
        _fail(str(exc))
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
    query = admin_org.search_employees(
        q=q,
        unit_id=unit_id,
        jenis=request.args.get("jenis", ""),
        status=request.args.get("status", ""),
        active=request.args.get("aktif", ""),
    )
    page = _paginate(query)
    accounts = {
        a.employee_id: a
        for a in Account.select().where(Account.employee.in_([e.id for e in page.items]))
    }
    return page_or_fragment(
        "admin/console/employees.html",
        "admin/console/_employee_rows.html",
        results=page,
        accounts=accounts,
        q=q,
        unit_choices=_unit_pairs("Semua unit"),
        filters=request.args,
        jenis_choices=JenisJabatan.choices(),
        now=utcnow(),
        status_choices=EmployeeStatus.choices(),
        page_args=_page_args(),
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
    form.unit_id.choices = _unit_choices(UNIT_PLACEHOLDER)
    if boss is None:
        boss = SupervisorForm(
            formdata=None,
            supervisor_nip=employee.supervisor.nip if employee.supervisor_id else "",
        )
    if acting is None:
        acting = ActingForm(formdata=None, start=today_wib())
    stand_ins = list(
        ActingOfficial.select()
        .where(ActingOfficial.for_employee == employee.id)
        .order_by(ActingOfficial.start.desc())
    )
    acting_for = list(
        ActingOfficial.select()
        .where(ActingOfficial.acting == employee.id)
        .order_by(ActingOfficial.start.desc())
    )
    account = Account.get_or_none(Account.employee == employee.id)
    subordinates = list(
        Employee.select().where(Employee.supervisor == employee.id).order_by(Employee.name)
    )
    return (
        render_template(
            "admin/console/employee.html",
            employee=employee,
            form=form,
            boss=boss,
            acting=acting,
            stand_ins=stand_ins,
            acting_for=acting_for,
            account=account,
            subordinates=subordinates,
            history=_history("employee", employee.id),
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
    form.unit_id.choices = _unit_choices(UNIT_PLACEHOLDER)
    if form.validate_on_submit():
        try:
            admin_org.update_employee(
                employee.id,
                actor=_account(),
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


def _employee_by_nip(raw: str) -> Employee | None:
    nip = normalise(raw or "")
    return Employee.get_or_none(Employee.nip == nip) if nip else None


@bp.route("/pegawai/<int:employee_id>/atasan", methods=["POST"])
@internal_reader_required
def employee_supervisor(employee_id):
    """Set or clear the direct supervisor (cycles refused)."""
    employee = _employee_or_404(employee_id)
    form = SupervisorForm()
    if form.validate_on_submit():
        raw = (form.supervisor_nip.data or "").strip()
        boss = _employee_by_nip(raw)
        if raw and boss is None:
            form.supervisor_nip.errors = ["Tidak ada pegawai dengan NIP tersebut."]
        else:
            try:
                admin_org.set_supervisor(employee.id, boss.id if boss else None, actor=_account())
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
        admin_org.set_employee_active(employee.id, active, reason=reason, actor=_account())
    except AdminError as exc:
        _fail(str(exc))
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
        acting = _employee_by_nip(form.acting_nip.data)
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
                    actor=_account(),
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
        admin_org.end_acting(row.id, day=today_wib(), actor=_account())
    except AdminError as exc:
        _fail(str(exc))
    else:
        flash("Penunjukan Plt/Plh diakhiri hari ini.", "success")
    return redirect(url_for("admin.employee_detail", employee_id=row.for_employee_id), 303)


# --- Roster import ------------------------------------------------------------------------


@bp.route("/impor")
@internal_reader_required
def roster():
    """Upload a roster file; recent import jobs."""
    roster_jobs.stop_stale_jobs()
    return _roster_page(RosterUploadForm())


def _roster_page(form, status=200, errors=()):
    jobs = list(
        ImportJob.select(
            ImportJob.id,
            ImportJob.filename,
            ImportJob.status,
            ImportJob.total,
            ImportJob.summary,
            ImportJob.created_at,
        )
        .order_by(ImportJob.id.desc())
        .limit(20)
    )
    return (
        render_template(
            "admin/console/roster.html",
            form=form,
            jobs=jobs,
            errors=list(errors),
            aliases=roster_parse.ALIASES,
            summary_of=roster_jobs.job_summary,
        ),
        status,
    )


def _run_job(runner, job_id: int, account_id: int | None) -> None:
    """Run a job in a background thread (its own connection), or inline in tests."""

    def work():
        actor = Account.get_or_none(Account.id == account_id) if account_id else None
        if runner is roster_jobs.run_import:
            runner(job_id, actor)
        else:
            runner(job_id)

    if current_app.config.get("TESTING") or current_app.config.get("IMPORT_INLINE"):
        work()
        return

    def in_thread():
        with database.connection_context():
            work()

    threading.Thread(target=in_thread, name=f"impor-{job_id}", daemon=True).start()


@bp.route("/impor", methods=["POST"])
@internal_reader_required
def roster_upload():
    """Store the file and start its dry run (every row checked; nothing imported yet)."""
    form = RosterUploadForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        return _roster_page(form, 422, ["Pilih berkas CSV atau XLSX."])
    content = upload.read()
    if not content:
        return _roster_page(form, 422, ["Berkas kosong."])
    job = roster_jobs.create_job(content, upload.filename, actor=_account())
    _run_job(roster_jobs.run_dry_run, job.id, None)
    return redirect(url_for("admin.roster_job", job_id=job.id), 303)


def _job_or_404(job_id: int) -> ImportJob:
    job = ImportJob.get_or_none(ImportJob.id == job_id)
    if job is None:
        abort(404)
    return job


# The job page polls every second while the job runs; past this many polls (20 minutes) it
# stops and asks for a reload, so a page left open never polls forever.
JOB_MAX_POLLS = 1200


@bp.route("/impor/<int:job_id>")
@internal_reader_required
def roster_job(job_id):
    """A job's progress (polled by htmx while it runs), errors and summary."""
    roster_jobs.stop_stale_jobs()
    job = _job_or_404(job_id)
    errors = roster_jobs.job_errors(job)
    poll = max(0, min(request.args.get("n", 0, type=int), JOB_MAX_POLLS))
    running = job.status in roster_jobs.JOB_RUNNING
    return page_or_fragment(
        "admin/console/roster_job.html",
        "admin/console/_roster_job.html",
        job=job,
        errors=errors,
        summary=roster_jobs.job_summary(job),
        running=running,
        poll_next=poll + 1 if running and poll < JOB_MAX_POLLS else None,
        can_retry=roster_jobs.can_retry(job),
        form=RosterUploadForm(),
    )


@bp.route("/impor/<int:job_id>/ulangi", methods=["POST"])
@internal_reader_required
def roster_retry(job_id):
    """Run a stopped job's stored file again (a new job: dry run first, then import)."""
    job = _job_or_404(job_id)
    try:
        again = roster_jobs.retry_job(job.id, actor=_account())
    except ValueError as exc:
        _fail(str(exc))
        return redirect(url_for("admin.roster_job", job_id=job.id), 303)
    _run_job(roster_jobs.run_dry_run, again.id, None)
    return redirect(url_for("admin.roster_job", job_id=again.id), 303)


@bp.route("/impor/<int:job_id>/terapkan", methods=["POST"])
@internal_reader_required
def roster_apply(job_id):
    """Import a checked file: all rows in one transaction, or none."""
    job = _job_or_404(job_id)
    if job.status != "SIAP":
        _fail("Berkas ini belum lolos pemeriksaan atau sudah diimpor.")
        return redirect(url_for("admin.roster_job", job_id=job.id), 303)
    _run_job(roster_jobs.run_import, job.id, _account().id)
    return redirect(url_for("admin.roster_job", job_id=job.id), 303)


@bp.route("/impor/templat.csv")
@internal_reader_required
def roster_template():
    """A CSV template with the recognised headers and sample rows that import as they are
    (their unit: BKPSDM if it exists, else the first active top unit)."""
    units = Unit.select().where(Unit.active).order_by(Unit.parent.is_null(False), Unit.id)
    bkpsdm = units.where(fn.UPPER(Unit.code) == "BKPSDM").first()
    unit = bkpsdm or units.first()
    body = roster_parse.template_csv(unit.code if unit else "BKPSDM")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=templat-daftar-pegawai.csv"},
    )


# --- Accounts -----------------------------------------------------------------------------


@bp.route("/akun")
@internal_reader_required
def accounts():
    """Accounts: who has none, who is locked, roles; bulk creation per unit."""
    unit_id = request.args.get("unit", type=int)
    q = request.args.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL
    query = (
        Account.select(Account, Employee, Unit)
        .join(Employee)
        .join(Unit)
        .order_by(Unit.code, Employee.name)
    )
    if unit_id:
        query = query.where(Employee.unit.in_(list(org.descendant_unit_ids(unit_id))))
    if q:
        digits = normalise(q)
        cond = Employee.name.contains(q)
        if digits.isdigit():
            cond = cond | Employee.nip.contains(digits)
        query = query.where(cond)
    if request.args.get("terkunci") == "1":
        query = query.where(Account.locked_until.is_null(False))
    page = _paginate(query)
    roles: dict[int, set[str]] = {}
    for r in AccountRole.select().where(AccountRole.account.in_([a.id for a in page.items])):
        roles.setdefault(r.account_id, set()).add(r.role)
    scope = org.descendant_unit_ids(unit_id) if unit_id else None
    without = admin_accounts.employees_without_account(scope).count()
    return render_template(
        "admin/console/accounts.html",
        page=page,
        roles=roles,
        without=without,
        unit_choices=_unit_pairs("Semua unit"),
        filters=request.args,
        page_args=_page_args(),
        now=utcnow(),
        role_choices=Role.choices(),
        can_remove_admin_of=lambda a: can_remove_admin_of(current_actor(), a),
    )


@bp.route("/akun/buat", methods=["POST"])
@internal_reader_required
def accounts_create():
    """Create accounts for employees without one; passwords shown once (slips or CSV)."""
    unit_id = request.form.get("unit", type=int)
    scope = org.descendant_unit_ids(unit_id) if unit_id else None
    issued = admin_accounts.create_accounts(scope, actor=_account())
    if not issued:
        flash("Semua pegawai aktif pada cakupan tersebut sudah memiliki akun.", "info")
        return redirect(url_for("admin.accounts", unit=unit_id or ""), 303)
    if request.form.get("format") == "csv":
        table = exports.Table(
            "Kata sandi awal",
            ["NIP/NI PPPK", "Nama", "Unit Kerja", "Kata Sandi Awal"],
            [[i.nip, i.name, i.unit, i.password] for i in issued],
        )
        return Response(
            exports.to_csv(table),
            mimetype="text/csv",
            headers={
                "Content-Disposition": "attachment; filename=kata-sandi-awal.csv",
                "Cache-Control": "no-store",
            },
        )
    return render_template("admin/console/slips.html", issued=issued, login_url=_login_url())


def _login_url() -> str:
    return url_for("auth.login", _external=True)


def _account_or_404(account_id: int) -> Account:
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        abort(404)
    return account


@bp.route("/akun/<int:account_id>/reset", methods=["POST"])
@internal_reader_required
def account_reset(account_id):
    """Give an account a new initial password, shown once on a slip."""
    account = _account_or_404(account_id)
    issued = admin_accounts.reset_password(account.id, actor=_account())
    return render_template("admin/console/slips.html", issued=[issued], login_url=_login_url())


@bp.route("/akun/<int:account_id>/buka-kunci", methods=["POST"])
@internal_reader_required
def account_unlock(account_id):
    """Clear a lockout."""
    account = _account_or_404(account_id)
    admin_accounts.unlock(account.id, actor=_account())
    flash(f"Akun {account.employee.nip} dibuka kuncinya.", "success")
    back = request.form.get("kembali")
    return redirect(back if _local(back) else url_for("admin.accounts"), 303)


def _local(target: str | None) -> bool:
    return bool(target) and target.startswith("/") and not target.startswith("//")


@bp.route("/akun/<int:account_id>/peran", methods=["POST"])
@internal_reader_required
def account_role(account_id):
    """Grant or remove the admin or auditor role."""
    account = _account_or_404(account_id)
    role = request.form.get("peran", "")
    granted = request.form.get("beri") == "1"
    try:
        admin_accounts.set_role(account.id, role, granted, actor=_account())
    except AdminError as exc:
        _fail(str(exc))
    else:
        label = Role(role).label
        flash(
            f"Peran {label} {'diberikan kepada' if granted else 'dicabut dari'} "
            f"{account.employee.nip}.",
            "success",
        )
    back = request.form.get("kembali")
    return redirect(back if _local(back) else url_for("admin.accounts"), 303)


# --- Settings -----------------------------------------------------------------------------


@bp.route("/pengaturan", methods=["GET", "POST"])
@internal_reader_required
def settings_page():
    """The configurable values; each open period keeps the values frozen when it opened."""
    Form = settings_form_class(settings.SPECS)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        form = Form()
        if form.validate_on_submit():
            values = {key: getattr(form, key).data for key in settings.SPECS}
            found = admin_settings.problems(values)
            if found:
                for key, message in found.items():
                    getattr(form, key).errors = [*getattr(form, key).errors, message]
            else:
                changed = admin_settings.update(values, actor=_account())
                flash(
                    f"{len(changed)} pengaturan diubah." if changed else "Tidak ada perubahan.",
                    "success",
                )
                return redirect(url_for("admin.settings_page"), 303)
        errors = [
            f"{getattr(form, k).label.text}: {' '.join(getattr(form, k).errors)}"
            for k in settings.SPECS
            if getattr(form, k).errors
        ]
        status = 422
    else:
        form = Form(formdata=None, data=settings.current())
    return (
        render_template(
            "admin/console/settings.html",
            form=form,
            specs=settings.SPECS,
            frozen=admin_settings.frozen_by_open_period(),
            errors=errors,
        ),
        status,
    )


# --- Periods ------------------------------------------------------------------------------


def _periods_service():
    try:
        from kinerja.services import periods
    except ImportError:  # pragma: no cover - provided by the SKP area
        return None
    return periods


@bp.route("/periode")
@internal_reader_required
def periods():
    """Years and their periods: create a year, open and close periods."""
    return _periods_page(YearForm(formdata=None, year=today_wib().year))


def _periods_page(form, status=200, unfinished=None, refused=None, followups=None):
    rows = list(Period.select().order_by(Period.year.desc(), Period.kind.desc(), Period.number))
    years: dict[int, list[Period]] = {}
    for p in rows:
        years.setdefault(p.year, []).append(p)
    return (
        render_template(
            "admin/console/periods.html",
            form=form,
            years=years,
            service=_periods_service() is not None,
            unfinished=unfinished or [],
            followups=followups or [],
            refused=refused,
            annual_kind=PeriodKind.TAHUNAN,
            statuses=PeriodStatus,
        ),
        status,
    )


@bp.route("/periode/tahun", methods=["POST"])
@internal_reader_required
def period_year_create():
    """Create a year: its annual period, quarters or months, and deadlines."""
    service = _periods_service()
    form = YearForm()
    if service is None:
        abort(404)
    if form.validate_on_submit():
        try:
            service.create_year(
                form.year.data,
                form.kind.data,
                skp_deadline=form.skp_deadline.data,
                realisation_days=form.realisation_days.data,
                self_assessment_days=form.self_assessment_days.data,
                rating_days=form.rating_days.data,
                actor=_account(),
            )
        except service.PeriodError as exc:
            form.year.errors = [*form.year.errors, str(exc)]
        else:
            flash(f"Tahun {form.year.data} dan periodenya dibuat.", "success")
            return redirect(url_for("admin.periods"), 303)
    return _periods_page(form, 422)


def _period_or_404(period_id: int) -> Period:
    period = Period.get_or_none(Period.id == period_id)
    if period is None:
        abort(404)
    return period


@bp.route("/periode/<int:period_id>/buka", methods=["GET", "POST"])
@internal_reader_required
def period_open(period_id):
    """Open a period after a confirmation that says what opening does (GET shows it;
    the POST needs ``konfirmasi=ya``). Refused before the period's first day."""
    service = _periods_service()
    period = _period_or_404(period_id)
    if service is None:
        abort(404)
    refusal = service.open_refusal(period)
    if request.method == "POST" and not refusal:
        if request.form.get("konfirmasi") != "ya":
            return _period_open_page(
                service, period, None, 422, "Centang konfirmasi untuk membuka periode."
            )
        try:
            service.open_period(period, actor=_account())
        except service.PeriodError as exc:
            _fail(str(exc))
        else:
            flash(f"{period.name} dibuka; pengaturan yang berlaku dibekukan.", "success")
            return redirect(url_for("admin.periods"), 303)
        refusal = service.open_refusal(period)
    return _period_open_page(service, period, refusal, 409 if refusal else 200)


def _period_open_page(service, period, refusal, status, error=None):
    return (
        render_template(
            "admin/console/period_open.html",
            period=period,
            refusal=refusal,
            error=error,
            consequences=service.open_consequences(period) if not refusal else None,
            objection_days=settings.current()["objection_days"],
        ),
        status,
    )


@bp.route("/periode/<int:period_id>/tutup", methods=["GET", "POST"])
@internal_reader_required
def period_close(period_id):
    """Close a period after a confirmation that says what closing does (GET shows it; the
    POST needs ``konfirmasi=ya``); refused (with the list) while evaluations are unfinished."""
    service = _periods_service()
    period = _period_or_404(period_id)
    if service is None:
        abort(404)
    from kinerja.queries.admin_dashboard import unfinished_evaluations
    from kinerja.services.followup import unfinished_followups

    if request.method == "POST" and request.form.get("konfirmasi") == "ya":
        try:
            service.close_period(period, actor=_account())
        except service.PeriodUnfinished as exc:
            form = YearForm(formdata=None, year=today_wib().year)
            return _periods_page(
                form, 409, unfinished=exc.evaluations, followups=exc.followups, refused=period
            )
        except service.PeriodError as exc:
            _fail(str(exc))
        else:
            flash(f"{period.name} ditutup.", "success")
        return redirect(url_for("admin.periods"), 303)
    pending = unfinished_evaluations(period) if period.status == PeriodStatus.DIBUKA else []
    followups = (
        unfinished_followups(period)
        if period.status == PeriodStatus.DIBUKA and period.is_annual
        else []
    )
    if pending or followups:
        form = YearForm(formdata=None, year=today_wib().year)
        return _periods_page(form, 409, unfinished=pending, followups=followups, refused=period)
    from kinerja.models.evaluation import Evaluation

    error = "Centang konfirmasi untuk menutup periode." if request.method == "POST" else None
    return (
        render_template(
            "admin/console/period_close.html",
            period=period,
            error=error,
            evaluations=Evaluation.select().where(Evaluation.period == period.id).count(),
        ),
        422 if error else 200,
    )


# --- Exports ------------------------------------------------------------------------------

EXPORT_KINDS = {
    "skp": "SKP",
    "evaluasi": "Evaluasi kinerja",
    "ikm": "IKM (SKM kios)",
    "layanan": "Standar layanan",
}


@bp.route("/ekspor")
@internal_reader_required
def exports_page():
    """Choose an export: SKP, evaluations, IKM, service figures; per unit or city-wide."""
    today = today_wib()
    return render_template(
        "admin/console/exports.html",
        unit_choices=_unit_pairs("Seluruh kota"),
        years=exports.export_years() or [today.year],
        periods=exports.exportable_periods(),
        has_evaluations=exports.evaluation_model() is not None,
        start=date(today.year, 1, 1),
        end=today,
    )


def _date_arg(name: str, default: date) -> date:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        refuse(400, f"Tanggal {name} tidak valid.")


@bp.route("/ekspor/<kind>.<fmt>")
@internal_reader_required
def export_download(kind, fmt):
    """Download one export as XLSX or CSV."""
    if kind not in EXPORT_KINDS or fmt not in ("xlsx", "csv"):
        abort(404)
    unit_id = request.args.get("unit", type=int) or None
    if unit_id and Unit.get_or_none(Unit.id == unit_id) is None:
        abort(404)
    try:
        if kind == "skp":
            year = request.args.get("tahun", type=int) or today_wib().year
            table = exports.skp_table(year, unit_id)
        elif kind == "evaluasi":
            period = _period_or_404(request.args.get("periode", type=int) or 0)
            table = exports.evaluation_table(period.id, unit_id)
        else:
            today = today_wib()
            start = _date_arg("dari", date(today.year, 1, 1))
            end = _date_arg("sampai", today)
            if end < start:
                refuse(400, "Tanggal akhir tidak boleh sebelum tanggal awal.")
            maker = exports.ikm_table if kind == "ikm" else exports.service_table
            table = maker(start, end, unit_id)
    except exports.ExportUnavailable as exc:
        refuse(404, str(exc))
    if fmt == "csv":
        body, mimetype = exports.to_csv(table), "text/csv"
    else:
        body = exports.to_xlsx(table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={table.filename}.{fmt}"},
    )


# --- Audit log ----------------------------------------------------------------------------


def _audit_query():
    query = AuditEvent.select().order_by(AuditEvent.id.desc())
    args = request.args
    person = args.get("orang", "").strip()[:120]
    if person:
        digits = normalise(person)
        cond = AuditEvent.actor_label.contains(person)
        if digits.isdigit():
            cond = cond | AuditEvent.actor_label.contains(digits)
            who = Employee.get_or_none(Employee.nip == digits)
            account = Account.get_or_none(Account.employee == who.id) if who else None
            if account is not None:
                cond = cond | (AuditEvent.actor_account_id == account.id)
        query = query.where(cond)
    if args.get("jenis"):
        query = query.where(AuditEvent.object_type == args["jenis"][:40])
    if args.get("objek"):
        query = query.where(AuditEvent.object_id == args["objek"][:40])
    if args.get("aksi"):
        wanted = args["aksi"].strip()[:60]
        codes = [
            code
            for code, label in audit_labels.ACTION_LABELS.items()
            if wanted.lower() in label.lower()
        ]
        query = query.where(AuditEvent.action.contains(wanted) | AuditEvent.action.in_(codes))
    if not args.get("masuk"):
        query = query.where(AuditEvent.action.not_in(audit_labels.SIGN_IN_OUT_ACTIONS))
    for name, op in (("dari", "ge"), ("sampai", "lt")):
        raw = args.get(name, "")
        if not raw:
            continue
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            refuse(400, "Tanggal tidak valid (format TTTT-BB-HH).")
        if op == "lt":
            day += timedelta(days=1)
        moment = datetime.combine(day, time(0), tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)
        query = query.where(AuditEvent.at >= moment if op == "ge" else AuditEvent.at < moment)
    return query


@bp.route("/audit")
@internal_reader_required
def audit_log():
    """The audit log with filters, pagination and the chain verification result."""
    page = _paginate(_audit_query())
    object_types = [
        r.object_type
        for r in AuditEvent.select(AuditEvent.object_type)
        .where(AuditEvent.object_type != "")
        .distinct()
        .order_by(AuditEvent.object_type)
    ]
    return render_template(
        "admin/console/audit.html",
        page=page,
        entries=audit_labels.describe(page.items),
        object_labels=audit_labels.OBJECT_LABELS,
        report=verify_chain(),
        filters=request.args,
        object_types=object_types,
        page_args=_page_args(),
    )


@bp.route("/audit.csv")
@internal_reader_required
def audit_csv():
    """The filtered audit log as CSV (the same labels as the page, times in WIB)."""
    table = exports.Table(
        "Log audit",
        [
            "No",
            "Waktu (WIB)",
            "Pelaku",
            "Aksi",
            "Kode Aksi",
            "Jenis Objek",
            "ID Objek",
            "Perubahan (sebelum → sesudah)",
            "Hash",
        ],
    )
    query = _audit_query().limit(100_000)
    for start in range(0, 100_000, 1000):
        chunk = list(query.offset(start).limit(1000))
        for e in audit_labels.describe(chunk):
            table.rows.append(
                [
                    e.id,
                    e.at,
                    e.actor,
                    e.action_label,
                    e.action,
                    e.object_label,
                    e.object_id,
                    audit_labels.changes_text(e.changes),
                    e.hash,
                ]
            )
        if len(chunk) < 1000:
            break
    return Response(
        exports.to_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=log-audit.csv"},
    )
