"""Serve rendered pages from :mod:`kinerja.render_cache` (shared by every app process).

Two kinds of views use it:

- ``@cached("public")``: pages that are the same for every anonymous visitor (the public
  transparency pages). Only canonical requests are cached (known query arguments with valid
  values), so the cache cannot be filled with junk URLs.
- ``@cached("core", per_account=True)``: a logged-in person's own pages (home, team
  overview, rating page), placed ABOVE the access decorator. The key holds the session's
  user id (account and password nonce); the stamp holds the day (task deadlines and acting
  officials depend on it). A hit therefore means: nothing in the database changed since
  this same session user passed every access check and saw this page today, so the checks
  would pass again and the page would be identical; any change (a disabled account, a new
  password, a new supervisor) raises the generation and the page is rendered again, checks
  first. The session's CSRF token is cut out of the
  stored body and put back for each reader. Pages with a pending flash message, htmx
  fragments and requests with a query string are always rendered.

Only ``200`` HTML/JSON/CSV responses are stored. A hit costs one SQL query.
"""

import hashlib
from functools import wraps
from pathlib import Path
from urllib.parse import parse_qsl

from flask import Response, make_response, request, session
from flask_wtf.csrf import generate_csrf
from peewee import DatabaseError
from werkzeug.http import is_resource_modified, unquote_etag

from kinerja import render_cache
from kinerja.clock import today_wib
from kinerja.db import database
from portal.security import HSTS, SECURITY_HEADERS

CSRF_SLOT = b"__kinerja_csrf_token__"
STORED_HEADERS = ("Content-Disposition", "Vary", "Cache-Control", "ETag")
_ROOT = Path(__file__).resolve().parent.parent
_version: str | None = None


def code_version() -> str:
    """A digest of the code and templates: a new release never serves an old rendering."""
    global _version  # computed once per process; identical in every process of a release
    if _version is None:
        digest = hashlib.sha256()
        for folder in ("portal", "kinerja", "templates"):
            for path in sorted((_ROOT / folder).rglob("*")):
                if path.suffix in (".py", ".html", ".md", ".json", ".txt") and path.is_file():
                    digest.update(str(path.relative_to(_ROOT)).encode())
                    digest.update(path.read_bytes())
        _version = digest.hexdigest()[:16]
    return _version


def _conditional() -> bool:
    """Whether the request may be answered with 304 (it names a version it already has)."""
    environ = request.environ
    return "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ


def _anonymous() -> bool:
    return "_user_id" not in session


def public_key(path: str, pairs) -> str | None:
    """The cache key of a public URL from its (name, value) query pairs; None if repeated."""
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        return None
    return f"public|{path}?{'&'.join(f'{name}={value}' for name, value in sorted(pairs))}"


def _public_key(canonical_args) -> str | None:
    pairs = list(request.args.items(multi=True))
    if any(name not in canonical_args or not canonical_args[name](v) for name, v in pairs):
        return None
    return public_key(request.path, pairs)


def _account_key() -> str | None:
    if request.args or request.headers.get("HX-Request") or "_flashes" in session:
        return None
    user_id = session.get("_user_id")
    if not user_id:
        return None
    return f"core|{user_id}|{request.path}"


def _respond(found: render_cache.Lookup, per_account: bool) -> Response:
    body = found.body
    if per_account and CSRF_SLOT in body:
        body = body.replace(CSRF_SLOT, generate_csrf().encode())
    response = Response(body, status=200, content_type=found.content_type)
    for name, value in (found.headers or {}).items():
        response.headers[name] = value
    if per_account:
        response.headers["Cache-Control"] = "no-store"
    response.headers["X-Kinerja-Cache"] = "hit"
    return response


def _store(scope, key, stamp, generation, response, per_account) -> None:
    if response.status_code != 200 or response.direct_passthrough or response.is_streamed:
        return
    if response.headers.get("Set-Cookie") and not per_account:
        return
    body = response.get_data()
    if per_account:
        token = generate_csrf().encode()
        body = body.replace(token, CSRF_SLOT)
    headers = {k: response.headers[k] for k in STORED_HEADERS if k in response.headers}
    render_cache.store(scope, key, stamp, generation, response.content_type, body, headers)
    response.headers["X-Kinerja-Cache"] = "miss"


def cached(scope: str, *, per_account: bool = False, canonical_args=None):
    """Serve the view's 200 responses from the shared cache while its scope is unchanged.

    ``canonical_args`` (public pages) maps each query argument that may be cached to a
    predicate of its value; any other argument or value renders without the cache.
    """
    canonical_args = canonical_args or {}

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(*args, **kwargs)
            if per_account:
                key = _account_key()
                stamp = f"{code_version()}|{today_wib().isoformat()}"
            else:
                key = _public_key(canonical_args) if _anonymous() else None
                stamp = code_version()
            if key is None:
                return view(*args, **kwargs)
            found = render_cache.lookup(scope, key, stamp)
            if found.hit:
                response = _respond(found, per_account)
                if per_account or not _conditional():
                    return response
                return response.make_conditional(request)
            response = make_response(view(*args, **kwargs))
            if found.generation is not None:
                _store(scope, key, stamp, found.generation, response, per_account)
            return response

        wrapped.render_cache = scope
        return wrapped

    return decorator


class PublicFastPath:
    """WSGI middleware: answer a cached public page before Flask builds a request.

    For an anonymous GET/HEAD under ``/publik`` (no session cookie), the key is built from
    the raw path and query string exactly as :func:`cached` builds it. Only canonical URLs
    were ever stored by that decorator, so anything unusual simply misses and goes on to
    Flask (which validates, renders and stores). A hit is answered with the stored body,
    its stored headers and the same security headers Flask would add, with conditional GET
    (304) — one SQL query and no Flask request context.
    """

    def __init__(self, app):
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.cookie = app.config["SESSION_COOKIE_NAME"] + "="
        self.hsts = bool(app.config.get("HSTS"))

    def __call__(self, environ, start_response):
        found = self._lookup(environ)
        if found is None or not found.hit:
            return self.wsgi_app(environ, start_response)
        return self._respond(environ, start_response, found)

    def _key(self, environ) -> str | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/publik") or self.cookie in environ.get("HTTP_COOKIE", ""):
            return None
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        return public_key(path, pairs)

    def _lookup(self, environ) -> render_cache.Lookup | None:
        key = self._key(environ)
        if key is None:
            return None
        try:
            database.connect(reuse_if_open=True)
            try:
                return render_cache.lookup("public", key, code_version())
            finally:
                database.close()
        except DatabaseError:  # an old schema or a database hiccup: let Flask answer
            return None

    def _respond(self, environ, start_response, found):
        stored = found.headers or {}
        headers = [(name, value) for name, value in stored.items()]
        headers += list(SECURITY_HEADERS)
        if self.hsts or environ.get("wsgi.url_scheme") == "https":
            headers.append(HSTS)
        headers.append(("X-Kinerja-Cache", "hit"))
        etag = stored.get("ETag")
        if etag and not is_resource_modified(environ, etag=unquote_etag(etag)[0]):
            start_response("304 NOT MODIFIED", headers)
            return []
        headers.append(("Content-Type", found.content_type))
        headers.append(("Content-Length", str(len(found.body))))
        start_response("200 OK", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [found.body]
