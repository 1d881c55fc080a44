"""Logout, password change and the absolute lifetime end sessions (issue 19, 5 and Low)."""

import logging
from datetime import timedelta

from kinerja import clock
from kinerja.models.account import Account
from kinerja.models.audit import AuditEvent
from kinerja.services import auth as auth_service
from portal import create_app
from portal.config import load_config
from tests.builders import TEST_PASSWORD, make_account, make_employee


def _login(client, nip, password):
    return client.post("/masuk", data={"nip": nip, "password": password})


def _copy_cookie(source, target, app):
    cookie = source.get_cookie(app.config["SESSION_COOKIE_NAME"])
    target.set_cookie(cookie.key, cookie.value)


def test_logout_ends_a_copied_session_cookie(app):
    person = make_employee()
    make_account(person)
    owner, thief = app.test_client(), app.test_client()
    assert _login(owner, person.nip, TEST_PASSWORD).status_code == 302
    _copy_cookie(owner, thief, app)
    assert thief.get("/beranda").status_code == 200
    assert owner.post("/keluar").status_code == 303
    assert thief.get("/beranda").status_code == 302


def test_logout_ends_every_session_of_the_account(app):
    person = make_employee()
    make_account(person)
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        assert _login(client, person.nip, TEST_PASSWORD).status_code == 302
    first.post("/keluar")
    assert second.get("/beranda").status_code == 302


def test_session_has_an_absolute_lifetime(app, monkeypatch):
    assert app.config["SESSION_ABSOLUTE_LIFETIME"] == timedelta(hours=12)
    person = make_employee()
    make_account(person)
    client = app.test_client()
    assert _login(client, person.nip, TEST_PASSWORD).status_code == 302
    start = clock.utcnow()
    # Busy all along (every 20 minutes, under the idle timeout), still ended after 12 hours.
    for minutes in range(20, 12 * 60, 20):
        monkeypatch.setattr(clock, "_offset", clock._offset + timedelta(minutes=20))
        assert client.get("/beranda").status_code == 200, minutes
    monkeypatch.setattr(
        clock, "_offset", clock._offset + (start + timedelta(hours=12) - clock.utcnow())
    )
    assert client.get("/beranda").status_code == 302


def test_absolute_lifetime_is_configurable(monkeypatch):
    monkeypatch.setenv("SESSION_ABSOLUTE_HOURS", "8")
    config = load_config({"TESTING": True, "SECRET_KEY": "x"})
    assert config["SESSION_ABSOLUTE_LIFETIME"] == timedelta(hours=8)


def test_guessing_the_current_password_ends_the_session(app):
    person = make_employee()
    account = make_account(person, must_change=False)
    thief, owner = app.test_client(), app.test_client()
    for client in (thief, owner):
        assert _login(client, person.nip, TEST_PASSWORD).status_code == 302
    data = {"new": "KataSandiBaru2026", "confirm": "KataSandiBaru2026"}
    for i in range(auth_service.PASSWORD_CHECK_FREE - 1):
        response = thief.post("/akun/kata-sandi", data={"current": f"tebakan-{i}", **data})
        assert response.status_code == 422
        assert "Kata sandi saat ini salah." in response.get_data(as_text=True)
    last = thief.post("/akun/kata-sandi", data={"current": "tebakan-x", **data})
    assert last.status_code == 303 and last.headers["Location"].endswith("/masuk")
    assert thief.get("/beranda").status_code == 302
    assert owner.get("/beranda").status_code == 302  # every session of the account ended
    assert Account.get_by_id(account.id).session_nonce != account.session_nonce
    assert AuditEvent.select().where(AuditEvent.action == "auth.sessions_ended").count() == 1
    # The right password still logs in afterwards.
    assert _login(app.test_client(), person.nip, TEST_PASSWORD).status_code == 302


def test_production_defaults_to_secure_cookies_and_hsts(monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.delenv("KINERJA_HSTS", raising=False)
    config = load_config({"ENV_MODE": "production", "SECRET_KEY": "x"})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["HSTS"] is True
    dev = load_config({"ENV_MODE": "development"})
    assert dev["SESSION_COOKIE_SECURE"] is False and dev["HSTS"] is False


def test_production_without_https_protections_warns(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    monkeypatch.setenv("KINERJA_HSTS", "0")
    with caplog.at_level(logging.WARNING):
        create_app(
            {
                "ENV_MODE": "production",
                "SECRET_KEY": "x",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
                "PASSWORD_COST": "fast",
            }
        )
    text = caplog.text
    assert "SESSION_COOKIE_SECURE mati di mode produksi" in text
    assert "KINERJA_HSTS mati di mode produksi" in text
