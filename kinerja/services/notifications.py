"""Notifications and reminders (issue 23 part 4).

A use case that concerns someone (an SKP returned or approved, a 360 request, results ready,
a keberatan decided) calls one of the event functions below inside its own transaction, so
the notification exists exactly when the change does. The daily deadline reminder reads the
task lists of ``kinerja.queries.tasks`` and adds at most one reminder per person, item and day.

E-mail goes out through SMTP as each person chooses (daily digest by default, at once, or
never). Sending never happens inside a write transaction: what to send is read first, the
mail is sent, then what was sent is marked in one short transaction; a failed send stays
unsent and is reported.
"""

import hashlib
import json
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from peewee import JOIN, fn

from kinerja.clock import WIB, as_aware_utc, today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import EmailMode, NotificationKind
from kinerja.formatting import format_date
from kinerja.models.account import Account
from kinerja.models.notification import Notification, NotificationPreference
from kinerja.models.org import Employee
from kinerja.permissions import Actor
from kinerja.permissions.notifications import can_read_notification
from kinerja.services import audit
from kinerja.statements import statement

REMIND_BEFORE_DAYS = 3
"""A deadline is reminded from this many days before it ..."""
REMIND_AFTER_DAYS = 7
"""... until this many days after it (a task still open past its deadline)."""
LIST_LIMIT = 100
EMAIL_MAX = 254
SUBJECT_PREFIX = "[Kinerja Sibolga]"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NotificationError(ValueError):
    """Input that cannot be accepted (with an Indonesian message)."""

    def __init__(self, message: str = "", errors: dict | None = None):
        super().__init__(message or "; ".join((errors or {}).values()))
        self.errors = errors or {}


class NotFound(LookupError):
    """No such notification for this person."""


# --- creating notifications (inside the caller's transaction) ---------------------------


def notify(
    employee_id: int,
    kind: NotificationKind,
    title: str,
    body: str,
    endpoint: str = "staff.notifications",
    args: dict | None = None,
    dedupe_key: str | None = None,
) -> Notification:
    """Add one notification for one person (in the caller's transaction, if any)."""
    with write_tx():
        return Notification.create(
            employee=employee_id,
            kind=kind,
            title=title[:200],
            body=body,
            link_endpoint=endpoint,
            link_args=json.dumps(args or {}, sort_keys=True),
            dedupe_key=dedupe_key,
        )


def skp_returned(skp, note: str) -> Notification:
    """The supervisor returned the SKP: tell its owner, with the note."""
    return notify(
        skp.employee_id,
        NotificationKind.SKP_DIKEMBALIKAN,
        f"SKP {skp.year} Anda dikembalikan oleh Pejabat Penilai",
        f"Catatan Pejabat Penilai: {note}\nPerbaiki SKP Anda lalu ajukan kembali.",
        "staff.skp_detail",
        {"skp_id": skp.id},
    )


def skp_approved(skp) -> Notification:
    """The supervisor approved the SKP: tell its owner."""
    return notify(
        skp.employee_id,
        NotificationKind.SKP_DISETUJUI,
        f"SKP {skp.year} Anda disetujui",
        f"SKP Anda tahun {skp.year} disetujui pada {format_date(skp.approved_at)}. "
        "Realisasinya diisi per periode.",
        "staff.skp_detail",
        {"skp_id": skp.id},
    )


def feedback_requested(ev, requests) -> list[Notification]:
    """Raters were asked for 360 feedback: tell each of them."""
    period = ev.period
    deadline = (
        f" Mohon dijawab paling lambat {format_date(period.rating_deadline)}."
        if period.rating_deadline
        else ""
    )
    return [
        notify(
            request.rater_id,
            NotificationKind.UMPAN_BALIK_360,
            f"Permintaan umpan balik 360 ({period.name})",
            f"Anda diminta memberi umpan balik 360 tentang {ev.employee.name} untuk "
            f"{period.name}. Nama Anda tidak disimpan bersama jawaban.{deadline}",
            "staff.feedback_answer",
            {"request_id": request.id},
        )
        for request in requests
    ]


def results_ready(ev) -> Notification:
    """The evaluation was finalised: tell the person rated."""
    deadline = (
        f" Anda dapat menerima hasil ini atau mengajukan keberatan paling lambat "
        f"{format_date(ev.objection_deadline)}."
        if ev.objection_deadline
        else ""
    )
    return notify(
        ev.employee_id,
        NotificationKind.HASIL_EVALUASI,
        f"Hasil evaluasi {ev.period.name} sudah final",
        f"Pejabat Penilai telah memfinalisasi evaluasi kinerja Anda.{deadline}",
        "staff.evaluation_detail",
        {"evaluation_id": ev.id},
    )


def objection_decided(objection, ev, decision_label: str) -> Notification:
    """The keberatan was decided (by the atasan or recorded for an official): tell the
    person who filed it."""
    return notify(
        ev.employee_id,
        NotificationKind.PUTUSAN_KEBERATAN,
        f"Keberatan Anda atas evaluasi {ev.period.name} telah diputus",
        f"Putusan: {decision_label}.\nAlasan: {objection.decision_reason}\n"
        "Putusan ini bersifat final.",
        "staff.evaluation_detail",
        {"evaluation_id": ev.id},
    )


# --- deadline reminders (daily) -----------------------------------------------------------


def _reminder_key(day: date, task) -> str:
    raw = json.dumps([day.isoformat(), task.endpoint, task.args, task.title], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def _reminder_text(task, day: date) -> tuple[str, str]:
    when = format_date(task.deadline)
    if task.deadline < day:
        return (
            f"Tenggat terlewat: {task.title}",
            f"Tenggatnya {when} telah lewat. Mohon segera diselesaikan.",
        )
    left = (task.deadline - day).days
    soon = "hari ini" if left == 0 else f"{left} hari lagi"
    return f"Pengingat tenggat: {task.title}", f"Tenggatnya {when} ({soon})."


def due_reminders(day: date) -> list[tuple[int, object]]:
    """(employee id, task) for every open task whose deadline is near or recently past
    on ``day``, for every active account (reads only)."""
    from kinerja.queries.tasks import tasks_for

    found = []
    accounts = (
        Account.select(Account, Employee)
        .join(Employee)
        .where(Account.active & Employee.active)
        .order_by(Account.id)
    )
    for account in accounts:
        for task in tasks_for(Actor(account, day=day)):
            if task.deadline is None:
                continue
            days = (task.deadline - day).days
            if -REMIND_AFTER_DAYS <= days <= REMIND_BEFORE_DAYS:
                found.append((account.employee_id, task))
    return found


def remind_deadlines(day: date | None = None) -> int:
    """Add the day's deadline reminders; return how many are new. Running it again on the
    same day adds nothing (one reminder per person, item and day)."""
    day = day or today_wib()
    due = due_reminders(day)  # the reading happens before the write transaction
    if not due:
        return 0
    created = 0
    with write_tx():
        keys = {_reminder_key(day, task) for _, task in due}
        existing = set(
            Notification.select(Notification.employee, Notification.dedupe_key)
            .where(Notification.dedupe_key.in_(list(keys)))
            .tuples()
        )
        for employee_id, task in due:
            key = _reminder_key(day, task)
            if (employee_id, key) in existing:
                continue
            title, body = _reminder_text(task, day)
            notify(
                employee_id, NotificationKind.TENGGAT, title, body, task.endpoint, task.args, key
            )
            existing.add((employee_id, key))
            created += 1
    return created


# --- in the portal ------------------------------------------------------------------------


def unread_count(employee_id: int) -> int:
    """How many notifications the person has not read (one COUNT)."""
    return _unread.scalar(employee_id)


@statement
def _unread(employee_id):
    return Notification.select(fn.COUNT(Notification.id)).where(
        (Notification.employee == employee_id) & Notification.read_at.is_null()
    )


def list_for(actor: Actor, limit: int = LIST_LIMIT) -> list[Notification]:
    """The actor's notifications, newest first."""
    return list(
        Notification.select()
        .where(Notification.employee == actor.employee_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )


def mark_read(actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read; NotFound for anyone else's."""
    with write_tx():
        item = Notification.get_or_none(Notification.id == notification_id)
        if item is None or not can_read_notification(actor, item):
            raise NotFound()
        if item.read_at is None:
            item.read_at = utcnow()
            item.save()
    return item


def mark_all_read(actor: Actor) -> int:
    """Mark every unread notification of the actor read; return how many."""
    with write_tx():
        return (
            Notification.update(read_at=utcnow())
            .where((Notification.employee == actor.employee_id) & Notification.read_at.is_null())
            .execute()
        )


@dataclass(frozen=True)
class Preferences:
    """How a person wants notifications by e-mail, and where."""

    email_mode: EmailMode
    email: str


def preferences_of(actor: Actor) -> Preferences:
    """The actor's choice (the daily digest when never chosen) and e-mail address."""
    row = NotificationPreference.get_or_none(NotificationPreference.employee == actor.employee_id)
    mode = EmailMode(row.email_mode) if row else EmailMode.HARIAN
    email = Account.get_by_id(actor.account.id).email or ""
    return Preferences(mode, email)


def _clean_preferences(mode: str, email: str) -> tuple[EmailMode, str]:
    errors = {}
    try:
        chosen = EmailMode(mode)
    except ValueError:
        chosen = None
        errors["email_mode"] = "Pilih salah satu cara pengiriman e-mail."
    email = (email or "").strip()
    if len(email) > EMAIL_MAX:
        errors["email"] = f"Alamat e-mail paling banyak {EMAIL_MAX} karakter."
    elif email and not EMAIL_PATTERN.match(email):
        errors["email"] = "Alamat e-mail tidak valid (contoh: nama@sibolgakota.go.id)."
    elif not email and chosen in (EmailMode.HARIAN, EmailMode.SEGERA):
        errors["email"] = "Isi alamat e-mail, atau pilih Tidak untuk tanpa e-mail."
    if errors:
        raise NotificationError(errors=errors)
    return chosen, email


def set_preferences(actor: Actor, mode: str, email: str) -> Preferences:
    """Save the actor's e-mail choice and address (audited)."""
    chosen, email = _clean_preferences(mode, email)
    with write_tx():
        before = preferences_of(actor)
        row = NotificationPreference.get_or_none(
            NotificationPreference.employee == actor.employee_id
        )
        if row is None:
            NotificationPreference.create(employee=actor.employee_id, email_mode=chosen)
        else:
            row.email_mode = chosen
            row.updated_at = utcnow()
            row.save()
        Account.update(email=email or None).where(Account.id == actor.account.id).execute()
        actor.account.email = email or None
        audit.record(
            "notifikasi.pilihan_diubah",
            actor=actor.account,
            object_type="account",
            object_id=actor.account.id,
            before={"email_mode": before.email_mode.value, "email": before.email},
            after={"email_mode": chosen.value, "email": email},
        )
    return Preferences(chosen, email)


# --- e-mail ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server and sender, as plain values from the portal's configuration."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True
    sender: str = ""
    base_url: str = ""

    @property
    def configured(self) -> bool:
        """Whether mail can be sent at all (a server and a sender address)."""
        return bool(self.host and self.sender)


NOT_CONFIGURED = "E-mail tidak dikirim: server SMTP belum diatur."


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to send and the notifications it carries."""

    to: str
    subject: str
    body: str
    notification_ids: tuple[int, ...]


@dataclass
class SendReport:
    """What a send run did."""

    sent: int = 0
    notifications: int = 0
    failures: list[str] = field(default_factory=list)


LinkFor = Callable[[str, dict], str]


def _start_of(day: date) -> datetime:
    """The start of a WIB day as a naive UTC datetime (as stored)."""
    return as_aware_utc(datetime.combine(day, time.min, tzinfo=WIB)).replace(tzinfo=None)


def _recipients(mode: EmailMode) -> dict[int, tuple[str, str]]:
    """employee id → (address, name) of every active account with an address whose choice
    is ``mode`` (no choice recorded counts as the daily digest)."""
    rows = (
        Account.select(
            Account.employee, Account.email, Employee.name, NotificationPreference.email_mode
        )
        .join(Employee)
        .switch(Account)
        .join(
            NotificationPreference,
            join_type=JOIN.LEFT_OUTER,
            on=(NotificationPreference.employee == Account.employee),
        )
        .where(Account.active & Account.email.is_null(False) & (Account.email != ""))
        .tuples()
    )
    return {
        employee_id: (email, name)
        for employee_id, email, name, chosen in rows
        if EmailMode(chosen or EmailMode.HARIAN) is mode
    }


def _pending(employee_ids, since: datetime) -> list[Notification]:
    if not employee_ids:
        return []
    return list(
        Notification.select()
        .where(
            Notification.employee.in_(list(employee_ids))
            & Notification.emailed_at.is_null()
            & Notification.read_at.is_null()
            & (Notification.created_at >= since)
        )
        .order_by(Notification.employee, Notification.created_at, Notification.id)
    )


def _item_text(item: Notification, link_for: LinkFor | None) -> str:
    lines = [item.title, item.body]
    if link_for is not None and item.link_endpoint:
        lines.append(f"Buka: {link_for(item.link_endpoint, item.args)}")
    return "\n".join(line for line in lines if line)


FOOTER = (
    "\n\n--\nPesan ini dikirim otomatis oleh portal Kinerja Sibolga. Cara pengiriman e-mail "
    "dapat Anda ubah di halaman Notifikasi > Pengaturan."
)


def immediate_mail(link_for: LinkFor | None = None, day: date | None = None) -> list[Outgoing]:
    """One e-mail per unread, unsent notification of the people who chose "Segera" (of the
    last two days, so choosing it later does not send old news)."""
    day = day or today_wib()
    people = _recipients(EmailMode.SEGERA)
    mails = []
    for item in _pending(people, _start_of(day - timedelta(days=1))):
        email, name = people[item.employee_id]
        mails.append(
            Outgoing(
                email,
                f"{SUBJECT_PREFIX} {item.title}",
                f"Yth. {name},\n\n{_item_text(item, link_for)}{FOOTER}",
                (item.id,),
            )
        )
    return mails


def digest_mail(link_for: LinkFor | None = None, day: date | None = None) -> list[Outgoing]:
    """One e-mail per person who chose the daily digest, with their unread, unsent
    notifications of ``day`` and the day before (a run in the afternoon misses nothing of
    the evening before)."""
    day = day or today_wib()
    people = _recipients(EmailMode.HARIAN)
    grouped: dict[int, list[Notification]] = {}
    for item in _pending(people, _start_of(day - timedelta(days=1))):
        grouped.setdefault(item.employee_id, []).append(item)
    mails = []
    for employee_id, items in grouped.items():
        email, name = people[employee_id]
        parts = "\n\n".join(f"{i}. {_item_text(n, link_for)}" for i, n in enumerate(items, 1))
        mails.append(
            Outgoing(
                email,
                f"{SUBJECT_PREFIX} Ringkasan pemberitahuan {format_date(day)}",
                f"Yth. {name},\n\nAda {len(items)} pemberitahuan baru untuk Anda:\n\n"
                f"{parts}{FOOTER}",
                tuple(n.id for n in items),
            )
        )
    return mails


def _message(settings: MailSettings, mail: Outgoing) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(mail.body)
    return message


def send(settings: MailSettings, mails: list[Outgoing], timeout: float = 30) -> SendReport:
    """Send ``mails`` (outside any write transaction), then mark what went out as e-mailed
    in one short transaction. A mail that fails stays unsent and is reported."""
    report = SendReport()
    if not settings.configured or not mails:
        return report
    sent_ids: list[int] = []
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user:
                smtp.login(settings.user, settings.password)
            for mail in mails:
                try:
                    smtp.send_message(_message(settings, mail))
                except (smtplib.SMTPException, OSError) as exc:
                    report.failures.append(f"{mail.to}: {exc}")
                    continue
                report.sent += 1
                sent_ids.extend(mail.notification_ids)
    except (smtplib.SMTPException, OSError) as exc:
        report.failures.append(f"Server SMTP {settings.host}:{settings.port}: {exc}")
    if sent_ids:
        mark_emailed(sent_ids)
    report.notifications = len(sent_ids)
    return report


def mark_emailed(notification_ids: list[int]) -> int:
    """Record that these notifications were e-mailed (one short transaction)."""
    with write_tx():
        return (
            Notification.update(emailed_at=utcnow())
            .where(Notification.id.in_(notification_ids) & Notification.emailed_at.is_null())
            .execute()
        )
