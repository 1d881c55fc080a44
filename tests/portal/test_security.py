"""CSRF, security headers, error pages, oversized input."""

import pytest

from tests.builders import TEST_PASSWORD, make_account, make_employee
from tests.html import check_page


def test_post_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    person = make_employee()
    make_account(person)
    response = client.post("/masuk", data={"nip": person.nip, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "Token keamanan formulir (CSRF)" in response.get_data(as_text=True)


def test_wrong_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    client.get("/masuk")
    response = client.post("/masuk", data={"nip": "1", "password": "x", "csrf_token": "palsu"})
    assert response.status_code == 400


def test_csrf_token_in_form_and_htmx_header(csrf_app):
    import re

    client = csrf_app.test_client()
    person = make_employee()
    make_account(person)
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf-token" content="([^"]+)"', page)
    response = client.post(
        "/masuk",
        data={"nip": person.nip, "password": TEST_PASSWORD},
        headers={"X-CSRFToken": token.group(1)},
    )
    assert response.status_code == 302


def test_security_headers_on_every_response(client):
    for url in ("/masuk", "/tidak-ada", "/static/css/app.css"):
        response = client.get(url)
        headers = response.headers
        response.close()
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]


def test_hsts_when_configured(app):
    app.config["HSTS"] = True
    assert "max-age" in app.test_client().get("/masuk").headers["Strict-Transport-Security"]


@pytest.mark.parametrize(
    ("method", "url", "status", "title"),
    [
        ("GET", "/tidak-ada", 404, "Halaman tidak ditemukan"),
        ("DELETE", "/masuk", 405, "Metode tidak diizinkan"),
        ("GET", "/keluar", 405, "Metode tidak diizinkan"),
    ],
)
def test_error_pages_are_indonesian(client, method, url, status, title):
    response = client.open(url, method=method)
    assert response.status_code == status
    tree = check_page(response.get_data(as_text=True))
    assert title in "".join(tree.itertext())


def test_json_errors_for_json_callers(client):
    response = client.get("/tidak-ada", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"]["title"] == "Halaman tidak ditemukan"


def test_ten_megabyte_field_is_refused(client):
    response = client.post("/masuk", data={"nip": "1" * 10_000_000, "password": "x"})
    assert response.status_code == 413
    assert "melebihi batas ukuran" in response.get_data(as_text=True)


def test_many_form_parts_refused(client):
    data = {f"f{i}": "x" for i in range(2000)}
    response = client.post("/masuk", data=data, content_type="multipart/form-data")
    assert response.status_code in (400, 413)
    # The same as a url-encoded form is parsed, and refused as invalid login input.
    assert client.post("/masuk", data=data).status_code == 422


def test_unexpected_error_gives_indonesian_500(app):
    @app.route("/_meledak")
    def _boom():
        raise RuntimeError("uji")

    response = app.test_client().get("/_meledak")
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.get_data(as_text=True)


def test_secret_key_required_in_production(monkeypatch):
    from portal.config import ConfigError, load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("KINERJA_ENV", raising=False)
    with pytest.raises(ConfigError):
        load_config()
