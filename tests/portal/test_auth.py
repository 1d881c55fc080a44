"""Login, lockout, throttle, password change, session expiry, open redirects."""

from datetime import timedelta

import pytest

from kinerja.clock import utcnow
from kinerja.formatting import format_date
from kinerja.models.audit import AuditEvent
from kinerja.services import auth as auth_service
from tests.builders import TEST_PASSWORD, make_account, make_employee
from tests.html import check_page, find_all


def _login(client, nip, password, next_url=None):
    url = "/masuk" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"nip": nip, "password": password})


def test_login_page_renders_valid_indonesian_html(client):
    response = client.get("/masuk")
    assert response.status_code == 200
    tree = check_page(response.get_data(as_text=True))
    assert tree.get("lang") == "id"
    assert find_all(tree, "input", name="nip")
    assert find_all(tree, "input", name="password", type="password")
    # Citizens who land on the login page are one click from their public home (issue 22).
    public = {"".join(a.itertext()).strip(): a.get("href") for a in tree.iter("a")}
    assert public["Lihat kinerja layanan kota (untuk warga)"] == "/publik/beranda"


def test_login_logout_roundtrip(client, app):
    person = make_employee("Rina Siregar")
    make_account(person)
    response = _login(client, person.nip, TEST_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beranda")
    home = client.get("/beranda")
    assert home.status_code == 200
    assert "Rina Siregar" in home.get_data(as_text=True)
    out = client.post("/keluar")
    assert out.status_code == 303
    assert client.get("/beranda").status_code == 302
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-2:] == ["auth.login", "auth.logout"]


def test_login_accepts_formatted_nip(client):
    person = make_employee()
    make_account(person)
    spaced = f"{person.nip[:8]} {person.nip[8:14]} {person.nip[14]} {person.nip[15:]}"
    assert _login(client, spaced, TEST_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("nip", "password", "status", "message"),
    [
        ("", "x", 422, "NIP wajib diisi."),
        ("19860926abc", "x", 422, "NIP hanya boleh berisi angka."),
        ("1986092620150", "x", 422, "NIP terdiri dari 18 angka"),
        ("198609262015051001", "", 422, "Kata sandi wajib diisi."),
    ],
)
def test_bad_login_input_gives_indonesian_4xx(client, nip, password, status, message):
    response = _login(client, nip, password)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_unknown_nip_and_wrong_password_look_the_same(client):
    person = make_employee()
    make_account(person)
    wrong = _login(client, person.nip, "salah-sekali-123")
    unknown = _login(client, "198001012005011999", "salah-sekali-123")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert "NIP atau kata sandi salah." in response.get_data(as_text=True)


def test_five_failures_make_that_address_wait_not_the_owner(app):
    """Five wrong passwords from one address make that address wait on that NIP; the
    owner at another address logs in at once and is told about the failed attempts."""
    person = make_employee()
    make_account(person)
    stranger = app.test_client()
    for _ in range(4):
        assert _login(stranger, person.nip, "salah-sekali-123").status_code == 401
    locked = _login(stranger, person.nip, "salah-sekali-123")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan gagal untuk NIP ini dari perangkat ini" in locked.get_data(
        as_text=True
    )
    assert locked.headers["Retry-After"] == "60"
    # The right password does not help the waiting address.
    assert _login(stranger, person.nip, TEST_PASSWORD).status_code == 429
    assert AuditEvent.select().where(AuditEvent.action == "auth.locked").count() == 1
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    response = _login(owner, person.nip, TEST_PASSWORD)
    assert response.status_code == 302
    home = owner.get("/beranda").get_data(as_text=True)
    assert f"Ada 6 percobaan masuk gagal ke akun Anda sejak {format_date(utcnow())}" in home


def test_client_throttle_across_nips(client, monkeypatch):
    monkeypatch.setattr(auth_service, "CLIENT_FREE", 3)
    for i in range(3):
        _login(client, f"19800101200501100{i}", "salah-sekali-123")
    response = _login(client, "198001012005011009", "salah-sekali-123")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk dari perangkat ini" in response.get_data(as_text=True)


def test_initial_password_must_be_changed(client):
    person = make_employee()
    make_account(person, must_change=True)
    response = _login(client, person.nip, TEST_PASSWORD)
    assert response.headers["Location"].endswith("/akun/kata-sandi")
    # Every other page sends the person back to the change form.
    assert client.get("/beranda").headers["Location"].endswith("/akun/kata-sandi")
    bad = client.post(
        "/akun/kata-sandi", data={"current": TEST_PASSWORD, "new": "pendek", "confirm": "pendek"}
    )
    assert bad.status_code == 422
    assert "Kata sandi minimal 10 karakter." in bad.get_data(as_text=True)
    ok = client.post(
        "/akun/kata-sandi",
        data={"current": TEST_PASSWORD, "new": "KataSandiBaru2026", "confirm": "KataSandiBaru2026"},
    )
    assert ok.status_code == 303
    assert client.get("/beranda").status_code == 200
    client.post("/keluar")
    assert _login(client, person.nip, "KataSandiBaru2026").status_code == 302


def test_password_change_ends_other_sessions(app):
    person = make_employee()
    make_account(person)
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        assert _login(c, person.nip, TEST_PASSWORD).status_code == 302
    first.post(
        "/akun/kata-sandi",
        data={"current": TEST_PASSWORD, "new": "KataSandiBaru2026", "confirm": "KataSandiBaru2026"},
    )
    assert first.get("/beranda").status_code == 200
    assert second.get("/beranda").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://jahat.example/",
        "//jahat.example/x",
        "/\\jahat.example",
        "javascript:alert(1)",
        "http:/x",
    ],
)
def test_open_redirect_refused(client, target):
    person = make_employee()
    make_account(person)
    response = _login(client, person.nip, TEST_PASSWORD, next_url=target)
    assert response.headers["Location"].endswith("/beranda")


def test_local_next_is_followed(client):
    person = make_employee()
    make_account(person)
    response = _login(client, person.nip, TEST_PASSWORD, next_url="/akun/kata-sandi")
    assert response.headers["Location"].endswith("/akun/kata-sandi")


def test_session_cookie_flags(client):
    person = make_employee()
    make_account(person)
    response = _login(client, person.nip, TEST_PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # idle expiry


def test_idle_session_expires(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=30)
    assert app.config["SESSION_REFRESH_EACH_REQUEST"] is True


def test_deactivated_account_cannot_log_in(client):
    person = make_employee()
    make_account(person, active=False)
    assert _login(client, person.nip, TEST_PASSWORD).status_code == 401


def test_control_characters_are_not_echoed(client):
    from tests.html import check_page

    response = client.post("/masuk", data={"nip": "1986\x00abc", "password": "x"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "\x00" not in text
    check_page(text)


def test_every_nav_link_opens_for_its_viewer(app, world, login_as):
    """No menu entry leads a person to a page that refuses them."""
    import re

    world.units["seksi"].serves_public = True
    world.units["seksi"].save()
    for key in ("pegawai", "supervisor", "atasan", "admin", "auditor"):
        client = app.test_client()
        with client.session_transaction() as session:
            account = world.accounts[key]
            session["_user_id"] = f"{account.id}.{account.session_nonce}"
        home = client.get("/beranda").get_data(as_text=True)
        nav = re.search(r'<nav class="main-nav".*?</nav>', home, re.S).group(0)
        for link in re.findall(r'href="(/[^"]*)"', nav):
            assert client.get(link).status_code == 200, (key, link)
