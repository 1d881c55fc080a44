"""E-mail of notifications through a real local SMTP server (aiosmtpd): the daily digest is
one mail per person, "Segera" one mail per notification, "Tidak" nothing, and nothing at
all without an SMTP server; a failed send is never marked as sent."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from kinerja.clock import today_wib
from kinerja.enums import NotificationKind
from kinerja.formatting import format_date
from kinerja.models.notification import Notification
from kinerja.services import notifications as svc
from tests.builders_evaluation import actor_of


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"

    def to(self, address: str) -> list:
        """The messages sent to ``address``."""
        return [m for rcpt, m in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """A local SMTP server on a free port and the settings that reach it."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = svc.MailSettings(
        host="127.0.0.1", port=port, starttls=False, sender="kinerja@sibolgakota.go.id"
    )
    yield inbox, settings
    controller.stop()


def _link(endpoint, args):
    return f"https://kinerja.sibolgakota.go.id/{endpoint}/{args}"


def _choose(world, key, mode, address):
    svc.set_preferences(actor_of(world, key), mode, address)


def _notes(person, *titles):
    return [
        svc.notify(person.id, NotificationKind.TENGGAT, title, f"Isi {title}", "staff.home")
        for title in titles
    ]


def test_digest_groups_the_days_items_into_one_mail_per_person(world, smtp):
    inbox, settings = smtp
    _choose(world, "pegawai", "HARIAN", "pegawai@sibolgakota.go.id")
    _choose(world, "peer", "HARIAN", "rekan@sibolgakota.go.id")
    mine = _notes(world.people["pegawai"], "Pertama", "Kedua")
    _notes(world.people["peer"], "Untuk rekan")
    svc.mark_read(actor_of(world, "peer"), _notes(world.people["peer"], "Sudah dibaca")[0].id)

    report = svc.send(settings, svc.digest_mail(_link))
    assert (report.sent, report.notifications, report.failures) == (2, 3, [])
    [message] = inbox.to("pegawai@sibolgakota.go.id")
    assert message["Subject"] == (
        f"[Kinerja Sibolga] Ringkasan pemberitahuan {format_date(today_wib())}"
    )
    assert message["From"] == "kinerja@sibolgakota.go.id"
    body = message.get_content()
    assert body.startswith("Yth. Pegawai Uji,")
    assert "Ada 2 pemberitahuan baru untuk Anda" in body
    assert "1. Pertama" in body and "2. Kedua" in body
    assert "Buka: https://kinerja.sibolgakota.go.id/staff.home/" in body
    [theirs] = inbox.to("rekan@sibolgakota.go.id")
    assert "Untuk rekan" in theirs.get_content()
    assert "Sudah dibaca" not in theirs.get_content()
    assert all(Notification.get_by_id(n.id).emailed_at is not None for n in mine)
    # a second run the same day sends nothing again
    assert svc.digest_mail(_link) == []


def test_off_gets_nothing_and_immediate_gets_one_mail_each(world, smtp):
    inbox, settings = smtp
    _choose(world, "pegawai", "TIDAK", "pegawai@sibolgakota.go.id")
    _choose(world, "peer", "SEGERA", "rekan@sibolgakota.go.id")
    _notes(world.people["pegawai"], "Diam")
    _notes(world.people["peer"], "SKP 2026 Anda disetujui", "Pengingat tenggat")

    assert svc.digest_mail(_link) == []  # nobody chose the digest
    report = svc.send(settings, svc.immediate_mail(_link))
    assert report.sent == 2
    assert inbox.to("pegawai@sibolgakota.go.id") == []
    subjects = sorted(m["Subject"] for m in inbox.to("rekan@sibolgakota.go.id"))
    assert subjects == [
        "[Kinerja Sibolga] Pengingat tenggat",
        "[Kinerja Sibolga] SKP 2026 Anda disetujui",
    ]
    assert svc.immediate_mail(_link) == []  # marked as sent
    # the person who chose "Tidak" still has the notification in the portal
    assert svc.unread_count(world.people["pegawai"].id) == 1


def test_nobody_without_an_address_is_mailed(world, smtp):
    inbox, settings = smtp
    _notes(world.people["pegawai"], "Tanpa alamat")  # default digest, no address
    assert svc.digest_mail(_link) == []
    assert svc.send(settings, []).sent == 0
    assert inbox.messages == []


def test_without_smtp_nothing_is_sent_nor_marked(world, smtp):
    inbox, _ = smtp
    _choose(world, "pegawai", "HARIAN", "pegawai@sibolgakota.go.id")
    [note] = _notes(world.people["pegawai"], "Tanpa server")
    report = svc.send(svc.MailSettings(), svc.digest_mail(_link))
    assert report.sent == 0 and inbox.messages == []
    assert Notification.get_by_id(note.id).emailed_at is None


def test_a_failed_send_stays_unsent_and_is_reported(world):
    _choose(world, "pegawai", "SEGERA", "pegawai@sibolgakota.go.id")
    [note] = _notes(world.people["pegawai"], "Server mati")
    down = svc.MailSettings(
        host="127.0.0.1", port=_free_port(), starttls=False, sender="kinerja@sibolgakota.go.id"
    )
    report = svc.send(down, svc.immediate_mail(_link), timeout=2)
    assert report.sent == 0 and len(report.failures) == 1
    assert "Server SMTP 127.0.0.1" in report.failures[0]
    assert Notification.get_by_id(note.id).emailed_at is None
    assert len(svc.immediate_mail(_link)) == 1  # tried again next time


def test_commands_send_through_the_configured_server(app, world, smtp):
    inbox, settings = smtp
    app.config.update(
        SMTP_HOST=settings.host,
        SMTP_PORT=settings.port,
        SMTP_STARTTLS=False,
        MAIL_FROM=settings.sender,
        PUBLIC_BASE_URL="https://kinerja.sibolgakota.go.id",
    )
    _choose(world, "pegawai", "HARIAN", "pegawai@sibolgakota.go.id")
    _choose(world, "peer", "SEGERA", "rekan@sibolgakota.go.id")
    _notes(world.people["pegawai"], "Harian")
    _notes(world.people["peer"], "Segera")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-notifications"])
    assert result.exit_code == 0 and "1 e-mail terkirim" in result.output
    result = runner.invoke(args=["send-digest"])
    assert result.exit_code == 0 and "1 e-mail terkirim" in result.output
    [digest] = inbox.to("pegawai@sibolgakota.go.id")
    assert "Buka: https://kinerja.sibolgakota.go.id/beranda" in digest.get_content()
    assert len(inbox.to("rekan@sibolgakota.go.id")) == 1


def test_commands_say_when_smtp_is_not_configured(app, world, smtp):
    inbox, _ = smtp
    app.config.update(SMTP_HOST="", MAIL_FROM="")
    _choose(world, "pegawai", "SEGERA", "pegawai@sibolgakota.go.id")
    _notes(world.people["pegawai"], "Tidak terkirim")
    runner = app.test_cli_runner()
    for command in ("send-notifications", "send-digest"):
        result = runner.invoke(args=[command])
        assert result.exit_code == 0
        assert "E-mail tidak dikirim: server SMTP belum diatur." in result.output
    assert inbox.messages == []
    assert Notification.select().where(Notification.emailed_at.is_null(False)).count() == 0


def test_remind_deadlines_command_is_idempotent(app, world):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["remind-deadlines"])
    assert first.exit_code == 0
    assert f"pengingat tenggat baru untuk {format_date(today_wib())}" in first.output
    again = runner.invoke(args=["remind-deadlines"])
    assert again.output.startswith("0 pengingat tenggat baru")
