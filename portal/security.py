"""Login sessions, the access decorators and the security headers.

One failure policy for every decorator: a browser is sent to the login page with
``next``; an htmx or JSON request gets 403 (401 when not logged in).
"""

import time
from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from kinerja import permissions
from kinerja.clock import utcnow
from kinerja.models.account import Account
from kinerja.permissions import Actor
from kinerja.services.auth import session_account

login_manager = LoginManager()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, cheaper on every request.

    - The signing serializer is built once per secret key (Flask builds a new one, with its
      key derivation, on every request, even one without a cookie).
    - The idle timeout slides as before, but an unchanged session's cookie is re-issued at
      most once a minute instead of on every request (signing and compressing it costs a
      fifth of a page served from the cache). The idle timeout therefore ends between
      ``PERMANENT_SESSION_LIFETIME`` minus one minute and that lifetime after the last
      request.
    """

    REFRESH_SECONDS = 60

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = getattr(self, "_serializer", None)
        if cached is None or cached[0] != keys:
            cached = (keys, super().get_signing_serializer(app))
            self._serializer = cached
        return cached[1]

    def should_set_cookie(self, app, session) -> bool:
        now = int(time.time())
        if session.modified:
            session["_r"] = now
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        if now - int(session.get("_r", 0)) < self.REFRESH_SECONDS:
            return False
        session["_r"] = now
        return True


csrf = CSRFProtect()

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)


class SessionUser:
    """The flask-login user: an account plus the session nonce that keeps it valid."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, account: Account):
        self.account = account

    def get_id(self) -> str:
        """Account id and nonce: a password change ends every older session."""
        return f"{self.account.id}.{self.account.session_nonce}"


LOGIN_AT = "_login_at"
"""Session key: when the session began (seconds since the epoch, from kinerja.clock)."""


def session_too_old() -> bool:
    """Whether this session has outlived ``SESSION_ABSOLUTE_LIFETIME`` since its login.

    A session from before the absolute lifetime existed (no login time) starts counting at
    its first use now.
    """
    from flask import current_app

    now = int(utcnow().timestamp())
    started = session.get(LOGIN_AT)
    if not isinstance(started, int):
        session[LOGIN_AT] = now
        return False
    lifetime = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    return now - started >= lifetime.total_seconds()


@login_manager.user_loader
def load_user(user_id: str):
    """Reload the account of a session; refuse stale nonces, disabled accounts and sessions
    older than the absolute lifetime (however active they were)."""
    if session_too_old():
        session.clear()
        return None
    try:
        account_id, nonce = user_id.split(".", 1)
        account = session_account.first(int(account_id))
    except (ValueError, TypeError):
        return None
    if account is None or account.session_nonce != nonce or not account.active:
        return None
    if not account.employee.active:
        return None
    return SessionUser(account)


def wants_fragment_or_json() -> bool:
    """htmx or JSON callers get status codes, not redirects."""
    if request.headers.get("HX-Request") == "true":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or request.path.endswith(".json")


@login_manager.unauthorized_handler
def unauthorized():
    """Not logged in: login page with ``next`` for browsers, 401 otherwise."""
    if wants_fragment_or_json():
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def current_actor() -> Actor | None:
    """The :class:`Actor` of this request (built once), or None when anonymous."""
    if not current_user.is_authenticated:
        return None
    if "actor" not in g:
        g.actor = Actor(current_user.account)
    return g.actor


def _guard(predicate):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            actor = current_actor()
            if actor is None:
                return login_manager.unauthorized()
            if actor.account.must_change_password and request.endpoint not in (
                "auth.change_password",
                "auth.logout",
            ):
                return redirect(url_for("auth.change_password"))
            if predicate is not None and not predicate(actor):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_predicate = predicate
        return wrapped

    return decorator


login_required = _guard(None)
"""Any logged-in person."""

admin_required = _guard(permissions.is_admin)
"""Admin BKPSDM only."""

supervisor_required = _guard(permissions.is_supervisor)
"""People who rate someone today (direct or acting)."""


def internal_reader_required(view):
    """Admins and auditors may read; only admins may change (auditors get 403 on writes)."""

    def predicate(actor):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return permissions.is_admin(actor)
        return permissions.reads_all_internal(actor)

    return _guard(predicate)(view)


def public(view):
    """Mark a view as open to everyone (documented in the access table)."""
    view.access_public = True
    return view


def reads_json(view):
    """Mark a view that reads a JSON body (a machine API); other views refuse JSON (415)."""
    view.reads_json = True
    return view


def require(allowed: bool) -> None:
    """Object-level check inside a view: 403 unless ``allowed``."""
    if not allowed:
        abort(403)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def apply_security_headers(response):
    """Security headers on every response (a view may set its own value of any of them)."""
    from flask import current_app

    headers = response.headers
    present = {key.lower() for key, _ in headers.items()}  # one pass (lookups raise, cost)
    missing = [(k, v) for k, v in SECURITY_HEADERS if k.lower() not in present]
    if (current_app.config.get("HSTS") or request.is_secure) and HSTS[0].lower() not in present:
        missing.append(HSTS)
    if "cache-control" not in present and current_user and current_user.is_authenticated:
        missing.append(("Cache-Control", "no-store"))
    headers.extend(missing)
    return response


def make_session_permanent(response):
    """Sessions expire after the configured idle time (refreshed on every request).

    Only a session that holds something is made permanent: a request without one (a kiosk
    answer, a public page, a health check) gets no cookie at all.
    """
    if session and not session.permanent:
        session.permanent = True
    return response
