"""Login, logout and password change views."""

from urllib.parse import urlsplit

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from kinerja.clock import utcnow
from kinerja.services import auth as auth_service
from kinerja.services.auth import LoginOutcome
from portal.auth import bp
from portal.auth.forms import ChangePasswordForm, LoginForm
from portal.security import LOGIN_AT, SessionUser, login_required, public

STATUS = {
    LoginOutcome.WRONG: 401,
    LoginOutcome.LOCKED: 429,
    LoginOutcome.THROTTLED: 429,
    LoginOutcome.SLOWED: 429,
}


def safe_next(target: str | None) -> str:
    """Only a local path may be a redirect target (no open redirects)."""
    if not target:
        return url_for("staff.home")
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return url_for("staff.home")
    return target


def client_address() -> str:
    """The client address as waitress (or a trusted proxy via PROXY_FIX) reports it."""
    return request.remote_addr or "-"


@bp.route("/masuk", methods=["GET", "POST"])
@public
def login():
    """Log in by NIP and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    error = None
    retry_after = None
    if request.method == "POST":
        if form.validate_on_submit():
            result = auth_service.authenticate(form.nip.data, form.password.data, client_address())
            if result.outcome is LoginOutcome.OK:
                login_user(SessionUser(result.account))
                # The absolute lifetime counts from here (portal/security.py).
                session[LOGIN_AT] = int(utcnow().timestamp())
                if result.notice:
                    flash(result.notice, "error")
                if result.account.must_change_password:
                    flash("Silakan ganti kata sandi awal Anda sebelum melanjutkan.", "info")
                    return redirect(url_for("auth.change_password"))
                return redirect(safe_next(request.args.get("next")))
            error = result.message
            status = STATUS[result.outcome]
            if result.wait is not None:
                retry_after = str(max(1, int(result.wait.total_seconds() + 0.999)))
        else:
            status = 422
    response = make_response(render_template("auth/login.html", form=form, error=error), status)
    if retry_after:
        response.headers["Retry-After"] = retry_after
    return response


@bp.route("/keluar", methods=["POST"])
@login_required
def logout():
    """Log out (POST only, CSRF-protected): every session of the account ends."""
    auth_service.record_logout(current_user.account)
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password (forced at first login)."""
    form = ChangePasswordForm()
    account = current_user.account
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                problems = auth_service.change_password(
                    account, form.current.data, form.new.data, form.confirm.data
                )
            except auth_service.TooManyPasswordGuesses:
                logout_user()
                session.clear()
                flash(
                    "Terlalu banyak kata sandi saat ini yang salah. Demi keamanan, semua sesi "
                    "akun ini diakhiri; silakan masuk kembali.",
                    "error",
                )
                return redirect(url_for("auth.login"), code=303)
            if not problems:
                # The nonce changed: log in again under the new one (other sessions end).
                login_user(SessionUser(account))
                flash("Kata sandi berhasil diganti.", "success")
                return redirect(url_for("staff.home"), code=303)
        status = 422
    return render_template(
        "auth/change_password.html",
        form=form,
        problems=problems,
        forced=account.must_change_password,
    ), status
