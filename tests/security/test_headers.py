"""Security headers on every kind of response, and the flags of the session cookie."""

import re

import pytest

from tests.builders import TEST_PASSWORD, make_account, make_employee


def _csp(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_secure_headers(response, where: str) -> None:
    """The headers every response of the portal carries."""
    headers = response.headers
    csp = _csp(headers.get("Content-Security-Policy", ""))
    assert csp, f"{where}: no Content-Security-Policy"
    scripts = csp.get("script-src") or csp.get("default-src")
    assert scripts == ["'self'"], f"{where}: script-src {scripts}"
    for directive, sources in csp.items():
        assert "'unsafe-inline'" not in sources or directive == "style-src-attr", (
            f"{where}: {directive} allows unsafe-inline"
        )
        assert "'unsafe-eval'" not in sources, f"{where}: {directive} allows unsafe-eval"
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("object-src") == ["'none'"], where
    assert csp.get("base-uri") in (["'none'"], ["'self'"]), where
    assert csp.get("form-action") == ["'self'"], where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin"), where
    permissions = headers.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in permissions, f"{where}: Permissions-Policy lacks {feature}"
    assert "Server" not in headers or "Werkzeug" not in headers["Server"], where


RESPONSE_KINDS = [
    ("html page", "GET", "/masuk", {}, 200),
    ("redirect", "GET", "/beranda", {}, 302),
    ("static file", "GET", "/static/css/app.css", {}, 200),
    ("vendored script", "GET", "/static/vendor/htmx-2.0.11.min.js", {}, 200),
    ("html 404", "GET", "/tidak-ada", {}, 404),
    ("json 404", "GET", "/tidak-ada", {"Accept": "application/json"}, 404),
    ("htmx 401", "GET", "/beranda", {"HX-Request": "true"}, 401),
    ("json 401", "GET", "/beranda", {"Accept": "application/json"}, 401),
    ("html 405", "DELETE", "/masuk", {}, 405),
    ("json 405", "PUT", "/masuk", {"Accept": "application/json"}, 405),
    ("static 404", "GET", "/static/tidak-ada.css", {}, 404),
    ("422 form", "POST", "/masuk", {}, 422),
]


@pytest.mark.parametrize(
    ("kind", "method", "url", "headers", "status"),
    RESPONSE_KINDS,
    ids=[k[0] for k in RESPONSE_KINDS],
)
def test_headers_on_every_response_kind(client, kind, method, url, headers, status):
    response = client.open(url, method=method, headers=headers)
    try:
        assert response.status_code == status, kind
        assert_secure_headers(response, kind)
        if kind.startswith("json"):
            assert response.mimetype == "application/json"
    finally:
        response.close()


def test_headers_on_a_csrf_failure(csrf_app):
    response = csrf_app.test_client().post("/masuk", data={"nip": "1"})
    assert response.status_code == 400
    assert_secure_headers(response, "csrf 400")


def test_headers_on_a_500(app):
    @app.route("/_meledak")
    def _boom():
        raise RuntimeError("uji")

    response = app.test_client().get("/_meledak")
    assert response.status_code == 500
    assert_secure_headers(response, "500")
    assert "RuntimeError" not in response.get_data(as_text=True), "traceback leaked"


def test_headers_on_every_get_page_of_a_logged_in_person(app, world, login_as):
    client = login_as(world.accounts["admin"])
    for url in ("/", "/beranda", "/akun/kata-sandi"):
        response = client.get(url)
        assert_secure_headers(response, url)
        assert response.headers.get("Cache-Control") == "no-store", f"{url} cacheable"


def test_hsts_only_over_https_or_when_configured(app):
    client = app.test_client()
    plain = client.get("/masuk")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/masuk", base_url="https://kinerja.sibolgakota.go.id")
    hsts = secure.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    app.config["HSTS"] = True
    assert "max-age" in client.get("/masuk").headers["Strict-Transport-Security"]


def _set_cookies(response) -> dict[str, str]:
    return {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}


def test_session_cookie_flags(app):
    person = make_employee()
    make_account(person)
    client = app.test_client()
    response = client.post("/masuk", data={"nip": person.nip, "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookie = _set_cookies(response)["kinerja_session"]
    attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert "samesite=lax" in cookie.lower()
    assert "expires" in attributes, "the session should expire (idle timeout)"
    # No secret data in the cookie: it is signed, and holds ids, not the password.
    assert TEST_PASSWORD not in cookie


def test_session_cookie_secure_when_configured(app):
    app.config["SESSION_COOKIE_SECURE"] = True
    person = make_employee()
    make_account(person)
    response = app.test_client().post("/masuk", data={"nip": person.nip, "password": TEST_PASSWORD})
    assert "secure" in _set_cookies(response)["kinerja_session"].lower()


def test_session_cookie_secure_from_the_environment(monkeypatch):
    from portal.config import load_config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    assert load_config({"TESTING": True})["SESSION_COOKIE_SECURE"] is True
