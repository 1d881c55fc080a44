"""Commands of notifications and reminders (docs/notifications.md), for cron or
a systemd timer: ``remind-deadlines``, ``send-notifications`` and ``send-digest``."""

import sys

import click
from flask import url_for

from kinerja.clock import today_wib
from kinerja.db import database
from kinerja.formatting import format_date
from kinerja.services import notifications as svc
from portal.config import mail_settings


def _link_maker(app):
    """A function giving the absolute address of a page (KINERJA_PUBLIC_BASE_URL)."""
    base = app.config.get("PUBLIC_BASE_URL") or "http://localhost"

    def link_for(endpoint: str, args: dict) -> str:
        with app.test_request_context("/", base_url=base):
            try:
                return url_for(endpoint, _external=True, **args)
            except Exception:  # noqa: BLE001 - a page that no longer exists: the list
                return url_for("staff.notifications", _external=True)

    return link_for


def _send(app, build) -> None:
    settings = mail_settings(app.config)
    if not settings.configured:
        click.echo(
            f"{svc.NOT_CONFIGURED} Atur KINERJA_SMTP_HOST dan KINERJA_MAIL_FROM; "
            "pemberitahuan tetap tampil di portal."
        )
        return
    with database.connection_context():
        mails = build(_link_maker(app), today_wib())
    # no transaction is open while the mail goes out; send() marks what was sent in its
    # own short transaction afterwards
    with database.connection_context():
        report = svc.send(settings, mails)
    click.echo(f"{report.sent} e-mail terkirim ({report.notifications} pemberitahuan).")
    for failure in report.failures:
        click.echo(f"Gagal: {failure}", err=True)
    if report.failures:
        click.echo("Pemberitahuan yang gagal tetap belum terkirim dan dicoba lagi nanti.", err=True)
        sys.exit(1)


def register(app) -> None:
    """Attach the notification commands to ``app``."""

    @app.cli.command("remind-deadlines")
    def remind_deadlines():
        """Add today's deadline reminders (idempotent: once per person, item and day)."""
        day = today_wib()
        with database.connection_context():
            created = svc.remind_deadlines(day)
        click.echo(f"{created} pengingat tenggat baru untuk {format_date(day)}.")

    @app.cli.command("send-notifications")
    def send_notifications():
        """E-mail each unsent notification of the people who chose "Segera"."""
        _send(app, lambda link_for, day: svc.immediate_mail(link_for, day))

    @app.cli.command("send-digest")
    def send_digest():
        """E-mail one daily digest per person who chose "Ringkasan harian"."""
        _send(app, lambda link_for, day: svc.digest_mail(link_for, day))
