"""The admin console's accounts (docs/spec/product.md §7): bulk creation with one-time
passwords, password reset, unlock, admin and auditor roles."""

from flask import Response, abort, flash, redirect, render_template, request, url_for

from kinerja import org
from kinerja.clock import utcnow
from kinerja.enums import Role
from kinerja.models.account import Account
from kinerja.permissions.admin import can_remove_admin_of
from kinerja.queries import admin as admin_queries
from kinerja.queries import exports
from kinerja.services import admin_accounts
from kinerja.services.admin_org import AdminError
from portal.admin import bp
from portal.admin.common import current_account, fail, page_args, paginate, unit_pairs
from portal.security import current_actor, internal_reader_required


@bp.route("/akun")
@internal_reader_required
def accounts():
    """Accounts: who has none, who is locked, roles; bulk creation per unit."""
    unit_id = request.args.get("unit", type=int)
    q = request.args.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL
    query = admin_queries.search_accounts(
        unit_id=unit_id, q=q, locked=request.args.get("terkunci") == "1"
    )
    page = paginate(query)
    scope = org.descendant_unit_ids(unit_id) if unit_id else None
    without = admin_queries.employees_without_account(scope).count()
    return render_template(
        "admin/console/accounts.html",
        page=page,
        roles=admin_queries.roles_of(page.items),
        without=without,
        unit_choices=unit_pairs("Semua unit"),
        filters=request.args,
        page_args=page_args(),
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
    issued = admin_accounts.create_accounts(scope, actor=current_account())
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
    issued = admin_accounts.reset_password(account.id, actor=current_account())
    return render_template("admin/console/slips.html", issued=[issued], login_url=_login_url())


@bp.route("/akun/<int:account_id>/buka-kunci", methods=["POST"])
@internal_reader_required
def account_unlock(account_id):
    """Clear a lockout."""
    account = _account_or_404(account_id)
    admin_accounts.unlock(account.id, actor=current_account())
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
        admin_accounts.set_role(account.id, role, granted, actor=current_account())
    except AdminError as exc:
        fail(str(exc))
    else:
        label = Role(role).label
        flash(
            f"Peran {label} {'diberikan kepada' if granted else 'dicabut dari'} "
            f"{account.employee.nip}.",
            "success",
        )
    back = request.form.get("kembali")
    return redirect(back if _local(back) else url_for("admin.accounts"), 303)
