"""Notification pages: the bell's count (one COUNT per page), the list newest first, opening
and marking read, nobody else's notifications, the preferences, the admin's SMTP notice."""

from datetime import timedelta

import pytest

from kinerja.clock import now_wib, pinned_at, utcnow
from kinerja.enums import NotificationKind
from kinerja.models.audit import AuditEvent
from kinerja.models.notification import Notification
from kinerja.services import notifications as svc
from portal import create_app
from tests.builders_skp import make_skp
from tests.html import check_page, find_all, texts


def _note(person, title, endpoint="staff.home", args=None):
    return svc.notify(person.id, NotificationKind.TENGGAT, title, f"Isi {title}", endpoint, args)


def _bell(tree):
    [bell] = find_all(tree, "a", class_="nav-bell")
    return bell


def test_bell_shows_the_unread_count_with_one_count_query(client, login_as, world, count_queries):
    pegawai = world.people["pegawai"]
    _note(pegawai, "Satu")
    read = _note(pegawai, "Dua")
    _note(pegawai, "Tiga")
    _note(world.people["peer"], "Milik rekan")
    Notification.update(read_at=utcnow()).where(Notification.id == read.id).execute()
    login_as(world.accounts["pegawai"])
    with count_queries() as q:
        response = client.get("/beranda")
    assert response.status_code == 200
    bell = _bell(check_page(response.get_data(as_text=True)))
    assert bell.get("aria-label") == "Notifikasi, 2 belum dibaca"
    assert bell.get("href") == "/notifikasi"
    assert texts(bell, "span") == ["2"]
    on_notifications = [s for s in q.statements if '"notification"' in s]
    assert len(on_notifications) == 1 and "COUNT" in on_notifications[0]


def test_bell_without_unread_has_a_plain_name(client, login_as, world):
    login_as(world.accounts["peer"])
    tree = check_page(client.get("/beranda").get_data(as_text=True))
    bell = _bell(tree)
    assert bell.get("aria-label") == "Notifikasi"
    assert find_all(bell, "span", class_="badge") == []


def test_list_is_newest_first_and_opening_marks_read_and_reaches_the_page(client, login_as, world):
    pegawai = world.people["pegawai"]
    skp = make_skp(pegawai, status="DIKEMBALIKAN")
    with pinned_at(now_wib() - timedelta(hours=2)):
        _note(pegawai, "Lebih lama")
    newest = _note(pegawai, "SKP dikembalikan", "staff.skp_detail", {"skp_id": skp.id})
    login_as(world.accounts["pegawai"])
    tree = check_page(client.get("/notifikasi").get_data(as_text=True))
    titles = [t for t in texts(tree, "button") if t in ("SKP dikembalikan", "Lebih lama")]
    assert titles == ["SKP dikembalikan", "Lebih lama"]

    response = client.post(f"/notifikasi/{newest.id}/buka")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/skp/{skp.id}"
    assert Notification.get_by_id(newest.id).read_at is not None
    bell = _bell(check_page(client.get(f"/skp/{skp.id}").get_data(as_text=True)))
    assert bell.get("aria-label") == "Notifikasi, 1 belum dibaca"


def test_mark_one_and_all_read(client, login_as, world):
    pegawai = world.people["pegawai"]
    first, _second = _note(pegawai, "Satu"), _note(pegawai, "Dua")
    login_as(world.accounts["pegawai"])
    assert client.post(f"/notifikasi/{first.id}/dibaca").status_code == 303
    assert svc.unread_count(pegawai.id) == 1
    response = client.post("/notifikasi/baca-semua", follow_redirects=True)
    assert "1 pemberitahuan ditandai sudah dibaca." in texts(check_page(response.text), "p")
    assert svc.unread_count(pegawai.id) == 0


def test_other_peoples_notifications_are_not_found(client, login_as, world):
    theirs = _note(world.people["peer"], "Rahasia rekan")
    for key in ("pegawai", "admin", "auditor", "supervisor"):
        login_as(world.accounts[key])
        assert client.post(f"/notifikasi/{theirs.id}/buka").status_code == 404
        assert client.post(f"/notifikasi/{theirs.id}/dibaca").status_code == 404
        page = client.get("/notifikasi").get_data(as_text=True)
        assert "Rahasia rekan" not in texts(check_page(page), "button")
    client.post("/notifikasi/baca-semua")  # marks only the actor's own
    assert Notification.get_by_id(theirs.id).read_at is None


def test_preferences_page_saves_and_audits(client, login_as, world):
    login_as(world.accounts["pegawai"])
    tree = check_page(client.get("/notifikasi/pengaturan").get_data(as_text=True))
    checked = [
        i.get("value")
        for i in find_all(tree, "input", type="radio")
        if i.get("checked") is not None
    ]
    assert checked == ["HARIAN"]
    response = client.post(
        "/notifikasi/pengaturan", data={"email_mode": "SEGERA", "email": "p@sibolgakota.go.id"}
    )
    assert response.status_code == 303
    tree = check_page(client.get("/notifikasi/pengaturan").get_data(as_text=True))
    checked = [
        i.get("value")
        for i in find_all(tree, "input", type="radio")
        if i.get("checked") is not None
    ]
    assert checked == ["SEGERA"]
    [address] = find_all(tree, "input", name="email")
    assert address.get("value") == "p@sibolgakota.go.id"
    assert AuditEvent.select().where(AuditEvent.action == "notifikasi.pilihan_diubah").count() == 1


def test_bad_preferences_are_a_422_with_the_message_at_the_field(client, login_as, world):
    login_as(world.accounts["pegawai"])
    response = client.post(
        "/notifikasi/pengaturan", data={"email_mode": "HARIAN", "email": "bukan alamat"}
    )
    assert response.status_code == 422
    tree = check_page(response.get_data(as_text=True))
    [error] = find_all(tree, "p", id="email-error")
    assert "Alamat e-mail tidak valid" in "".join(error.itertext())
    response = client.post("/notifikasi/pengaturan", data={"email_mode": "X", "email": ""})
    assert response.status_code == 422
    assert find_all(check_page(response.text), "p", id="email_mode-error")


def test_preferences_need_the_csrf_token(csrf_app, world):
    client = csrf_app.test_client()
    account = world.accounts["pegawai"]
    with client.session_transaction() as session:
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
    note = _note(world.people["pegawai"], "Uji")
    assert client.post(f"/notifikasi/{note.id}/buka").status_code == 400
    assert client.post("/notifikasi/pengaturan", data={"email_mode": "TIDAK"}).status_code in (
        400,
        422,
    )
    assert Notification.get_by_id(note.id).read_at is None


def _admin_dashboard(app, world):
    client = app.test_client()
    account = world.accounts["admin"]
    with client.session_transaction() as session:
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
    return check_page(client.get("/admin/").get_data(as_text=True))


def test_admin_is_told_when_smtp_is_not_configured(app, world):
    app.config.update(SMTP_HOST="", MAIL_FROM="")
    [notice] = find_all(_admin_dashboard(app, world), "p", id="mail-notice")
    assert "".join(notice.itertext()).startswith("E-mail tidak dikirim: server SMTP belum diatur.")


def test_no_notice_when_smtp_is_configured(app, world):
    app.config.update(SMTP_HOST="smtp.sibolgakota.go.id", MAIL_FROM="kinerja@sibolgakota.go.id")
    assert find_all(_admin_dashboard(app, world), "p", id="mail-notice") == []


def test_smtp_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KINERJA_SMTP_HOST", "smtp.sibolgakota.go.id")
    monkeypatch.setenv("KINERJA_SMTP_PORT", "2525")
    monkeypatch.setenv("KINERJA_SMTP_STARTTLS", "0")
    monkeypatch.setenv("KINERJA_MAIL_FROM", "kinerja@sibolgakota.go.id")
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3"}
    )
    from portal.config import mail_settings

    settings = mail_settings(app.config)
    assert (settings.host, settings.port, settings.starttls) == (
        "smtp.sibolgakota.go.id",
        2525,
        False,
    )
    assert settings.configured


def test_a_bad_smtp_port_is_refused_in_indonesian(monkeypatch):
    from portal.config import ConfigError, load_config

    monkeypatch.setenv("KINERJA_SMTP_PORT", "dua lima")
    with pytest.raises(ConfigError, match="KINERJA_SMTP_PORT harus nomor port"):
        load_config({"TESTING": True})
