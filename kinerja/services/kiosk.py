"""Kiosk use cases: registration, pairing, revocation, opening hours, the duty roster and
recording citizens' answers (product.md §5, regulation.md §7).

An answer is one ordinary transaction (:func:`record_answer`). It is idempotent on the
client-generated id (a UNIQUE column): a retry never counts twice and never changes what
was stored; a later submission of the same id may only add answers not given before. The
abuse rules (minimum interval between respondents, hourly limit per device) are one
conditional UPDATE of the kiosk row, so several app processes agree. The same code runs on
SQLite and PostgreSQL.

Pairing, revocation, configuration and duty-roster changes are audited; answers are data,
not audit events.
"""

import functools
import hashlib
import hmac
import json
import operator
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from peewee import Case

from kinerja import org, settings
from kinerja.clock import WIB, to_wib, utcnow
from kinerja.db import database, is_postgres, write_tx
from kinerja.enums import Unsur
from kinerja.formatting import format_date
from kinerja.models.account import LoginThrottle
from kinerja.models.kiosk import (
    WEEKDAYS,
    CounterDuty,
    Kiosk,
    KioskResponse,
    KioskStatus,
)
from kinerja.models.org import Employee, Unit
from kinerja.permissions import Actor
from kinerja.permissions import kiosk as kiosk_perms
from kinerja.services import audit
from kinerja.tasks import Task

PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: easy to type
PAIRING_LENGTH = 8
PAIRING_TTL = timedelta(hours=24)
PAIRING_MAX_FAILURES = 20
PAIRING_WINDOW = timedelta(minutes=15)
TOKEN_BYTES = 32
COMMENT_MAX = 280
NAME_MAX = 120
COUNTER_MAX = 80
# A queued answer keeps the time the citizen gave it (the kiosk's clock) when that time is
# plausible; otherwise it is dated on arrival.
ANSWER_MAX_AGE = timedelta(days=14)
ANSWER_MAX_AHEAD = timedelta(minutes=2)
# Back-dated answers (issue 19): an answer whose own time is more than BACKDATED_AFTER
# before its arrival came from the device's offline queue. The queue is flushed oldest
# first, one answer at a time (static/js/kiosk.js), so a back-dated answer is explained
# only if it is not older than the kiosk's pairing and not older than the newest respondent
# already stored (spaced by the interval, within the hourly cap of its own hour). At most
# BACKLOG_PER_MINUTE back-dated answers per kiosk are stored per arrival minute; the rest
# are told "busy" and stay in the device's queue for a later retry.
BACKDATED_AFTER = timedelta(minutes=2)
BACKLOG_PER_MINUTE = 30

CLIENT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PAYLOAD_KEYS = frozenset({"id", "answered_at", "face", "service_type_id", "unsur", "comment"})
UNSUR_FIELDS = {u: u.value.lower() for u in Unsur}

MSG_UNPAIRED = "Perangkat ini belum dipasangkan sebagai kios."
MSG_REVOKED = "Kios ini sudah dicabut oleh Admin BKPSDM."
MSG_CLOSED = "Kios sedang di luar jam layanan."
MSG_RATE = "Terlalu banyak jawaban dari kios ini dalam satu jam."
MSG_INTERVAL = "Jawaban terlalu cepat setelah responden sebelumnya; tidak dihitung."
MSG_BEFORE_PAIRING = "Jawaban lebih lama dari pemasangan kios ini; tidak dihitung."
MSG_BUSY = "Antrean kios sedang dikirim; coba lagi sebentar lagi."
MSG_CONFLICT = "Id jawaban ini sudah dipakai untuk jawaban lain; jawaban yang tersimpan tetap."
MSG_ID_TAKEN = "Id jawaban sudah dipakai kios lain."
MSG_SERVICE_DROPPED = (
    "Jenis layanan ini tidak lagi dilayani di kios ini; jawaban disimpan tanpa jenis layanan."
)
MSG_PAIR_WRONG = "Kode pemasangan salah, sudah dipakai, atau sudah kedaluwarsa."
MSG_PAIR_THROTTLED = "Terlalu banyak percobaan kode yang salah. Tunggu 15 menit lalu coba lagi."


class KioskError(ValueError):
    """A kiosk use case was refused; the message is Indonesian and safe to show."""


class AnswerInvalid(ValueError):
    """An answer payload failed validation; ``errors`` are Indonesian messages."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


class Outcome(StrEnum):
    """What happened to a submitted answer (the JSON ``code`` of the kiosk API)."""

    STORED = "stored"
    UPDATED = "updated"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    IGNORED_INTERVAL = "ignored_interval"
    CLOSED = "closed"
    RATE_LIMITED = "rate_limited"
    INVALID = "invalid"
    UNPAIRED = "unpaired"
    REVOKED = "revoked"
    BEFORE_PAIRING = "before_pairing"
    BUSY = "busy"

    @property
    def accepted(self) -> bool:
        """The kiosk may forget the answer: it was stored or deliberately not counted."""
        return self in ACCEPTED


ACCEPTED = frozenset(
    {
        Outcome.STORED,
        Outcome.UPDATED,
        Outcome.DUPLICATE,
        Outcome.IGNORED_INTERVAL,
        Outcome.CLOSED,
        Outcome.RATE_LIMITED,
        Outcome.BEFORE_PAIRING,
    }
)


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of :func:`record_answer`."""

    outcome: Outcome
    response_id: int | None = None
    message: str = ""


@dataclass(frozen=True)
class Answer:
    """A validated answer payload."""

    client_id: str
    face: int
    answered_at: datetime | None = None
    service_type_id: int | None = None
    unsur: dict[Unsur, int] = field(default_factory=dict)
    comment: str = ""


# --- secrets ---------------------------------------------------------------------------------


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def normalise_code(raw: str) -> str:
    """A pairing code as typed, upper-cased without spaces or hyphens."""
    return re.sub(r"[\s\-]", "", (raw or "")[:40]).upper()


def new_pairing_code() -> str:
    """A one-time pairing code from an alphabet without look-alike characters."""
    return "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_LENGTH))


def format_code(code: str) -> str:
    """The code split in two for reading aloud: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


def token_hash(token: str) -> str:
    """What the server keeps of a device token."""
    return _sha256(f"kiosk-token:{token}")


def api_key_for(token: str) -> str:
    """The per-device header value the kiosk page sends with every answer.

    Derived from the device token, so only a page rendered for that device (same origin)
    knows it; a cross-site request can neither read it nor set the header.
    """
    return hmac.new(
        token.encode("utf-8", "replace"), b"kiosk-api-header", hashlib.sha256
    ).hexdigest()


def check_api_key(token: str, presented: str) -> bool:
    """Whether ``presented`` is the header value of ``token`` (constant time)."""
    given = (presented or "")[:128].encode("utf-8", "replace")  # any header: bytes compare
    return hmac.compare_digest(api_key_for(token).encode(), given)


# --- reading -------------------------------------------------------------------------------


def kiosk_for_token(token: str | None) -> Kiosk | None:
    """The kiosk a device token belongs to (active or revoked), or None."""
    if not token or len(token) > 200:
        return None
    return Kiosk.get_or_none(Kiosk.token_hash == token_hash(token))


def _lock_kiosk(kiosk_id: int) -> Kiosk:
    query = Kiosk.select().where(Kiosk.id == kiosk_id)
    if is_postgres():
        query = query.for_update()
    return query.get()


def service_names(ids: list[int]) -> dict[int, str]:
    """Names of service types by id (the catalogue may not be installed yet)."""
    if not ids:
        return {}
    try:
        from kinerja.models.service import ServiceType
    except ImportError:
        return {}
    if not database.table_exists(ServiceType._meta.table_name):
        return {}
    return {
        s.id: s.name
        for s in ServiceType.select().where(ServiceType.id.in_(ids)).order_by(ServiceType.name)
    }


def unit_service_types(unit_id: int) -> list[tuple[int, str]]:
    """(id, name) of the active service types of a unit and its OPD, for the admin form."""
    try:
        from kinerja.models.service import ServiceType
    except ImportError:
        return []
    if not database.table_exists(ServiceType._meta.table_name):
        return []
    unit = Unit.get_by_id(unit_id)
    ids = org.descendant_unit_ids(org.opd_of(unit).id)
    return [
        (s.id, f"{s.name} ({s.unit.display_name})")
        for s in ServiceType.select(ServiceType, Unit)
        .join(Unit)
        .where(ServiceType.unit.in_(list(ids)) & ServiceType.active)
        .order_by(ServiceType.name)
    ]


def is_open(kiosk: Kiosk, at: datetime) -> bool:
    """Whether ``at`` (naive UTC) falls within the kiosk's opening hours (WIB)."""
    local = to_wib(at)
    hours = kiosk.hours.get(local.weekday())
    if not hours:
        return False
    hhmm = local.strftime("%H:%M")
    return hours[0] <= hhmm < hours[1]


def on_duty_at(kiosk_id: int, at: datetime) -> int | None:
    """The employee on duty at a kiosk's counter at ``at`` (naive UTC), if any: the latest
    duty begun by then and not yet ended."""
    return (
        CounterDuty.select(CounterDuty.employee)
        .where(
            (CounterDuty.kiosk == kiosk_id)
            & (CounterDuty.start <= at)
            & (CounterDuty.end.is_null() | (CounterDuty.end > at))
        )
        .order_by(CounterDuty.start.desc(), CounterDuty.id.desc())
        .limit(1)
        .scalar()
    )


def open_duty(kiosk_id: int) -> CounterDuty | None:
    """The duty at a kiosk that has no end yet."""
    return (
        CounterDuty.select(CounterDuty, Employee)
        .join(Employee)
        .where((CounterDuty.kiosk == kiosk_id) & CounterDuty.end.is_null())
        .order_by(CounterDuty.start.desc())
        .first()
    )


# --- validation ------------------------------------------------------------------------------


def _int_1_4(value, what: str, errors: list[str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        errors.append(f"{what} harus bilangan bulat 1–4.")
        return None
    return value


def clean_comment(text: str) -> str:
    """Plain text: control characters (other than line breaks) removed, trimmed."""
    kept = "".join(ch for ch in text if ch in "\n" or not unicodedata.category(ch).startswith("C"))
    return kept.strip()


def parse_answer(payload) -> Answer:
    """Validate an answer payload (a JSON object); raise :class:`AnswerInvalid`."""
    if not isinstance(payload, Mapping):
        raise AnswerInvalid(["Data jawaban harus berupa objek JSON."])
    errors: list[str] = []
    unknown = sorted(str(k)[:40] for k in payload if k not in PAYLOAD_KEYS)
    if unknown:
        errors.append(f"Kolom tidak dikenal: {', '.join(unknown[:5])}.")
    raw_id = payload.get("id")
    client_id = raw_id.lower() if isinstance(raw_id, str) else ""
    if not CLIENT_ID.fullmatch(client_id):  # whole string: no space, no line break
        errors.append("Id jawaban harus UUID.")
    face = _int_1_4(payload.get("face"), "Pilihan wajah", errors)
    answered_at = None
    raw_at = payload.get("answered_at")
    if raw_at is not None:
        if isinstance(raw_at, bool) or not isinstance(raw_at, int) or not 0 < raw_at < 10**14:
            errors.append("Waktu jawaban harus milidetik sejak 1970.")
        else:
            answered_at = datetime.fromtimestamp(raw_at / 1000, UTC).replace(tzinfo=None)
    service = payload.get("service_type_id")
    if service is not None and (
        isinstance(service, bool) or not isinstance(service, int) or not 0 < service < 2**31
    ):
        errors.append("Jenis layanan tidak valid.")
        service = None
    unsur: dict[Unsur, int] = {}
    raw_unsur = payload.get("unsur")
    if raw_unsur is not None:
        if not isinstance(raw_unsur, Mapping):
            errors.append("Unsur harus berupa objek U1–U9.")
        else:
            members = Unsur.__members__
            for key, value in raw_unsur.items():
                if not isinstance(key, str) or key not in members:
                    errors.append(f"Unsur tidak dikenal: {str(key)[:10]}.")
                elif type(value) is int and 1 <= value <= 4:
                    unsur[members[key]] = value
                elif value is not None:
                    errors.append(f"Jawaban {key} harus bilangan bulat 1–4.")
    comment = payload.get("comment")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        errors.append("Komentar harus berupa teks.")
        comment = ""
    comment = clean_comment(comment)
    if len(comment) > COMMENT_MAX:
        errors.append(f"Komentar paling banyak {COMMENT_MAX} karakter.")
    if errors:
        raise AnswerInvalid(errors)
    return Answer(client_id, face, answered_at, service, unsur, comment)


# --- recording answers -----------------------------------------------------------------------


def _moment(answer: Answer, now: datetime) -> datetime:
    at = answer.answered_at
    if at is None or at < now - ANSWER_MAX_AGE or at > now + ANSWER_MAX_AHEAD:
        return now
    return min(at, now)


def _hour_start(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _given(answer: Answer) -> dict:
    """The answer's values by column, only those the citizen gave."""
    values = {"face": answer.face, "service_type_id": answer.service_type_id}
    values |= {UNSUR_FIELDS[u]: v for u, v in answer.unsur.items()}
    values["comment"] = answer.comment or None
    return {name: value for name, value in values.items() if value is not None}


class _Taken(Exception):
    """The client id was stored by someone else meanwhile: undo the claim, treat as a repeat."""


def record_answer(token: str | None, payload, now: datetime | None = None) -> AnswerResult:
    """Store one respondent's answers from a paired kiosk, in one ordinary transaction.

    Raises :class:`AnswerInvalid` for a malformed payload; every other refusal is an
    :class:`AnswerResult` with its :class:`Outcome` (an unpaired or revoked kiosk is told
    so before anything about its payload).

    1. A client id already stored is a repeat (:func:`_repeat`): the stored answers stand.
    2. Outside opening hours nothing is stored.
    3. The kiosk row is claimed by one conditional UPDATE (:func:`_claim`): active, nobody
       answered within the minimum interval around this answer, its hour not full. The
       UPDATE holds the kiosk row (SQLite's one writer, a PostgreSQL row lock) to the commit.
    4. The answer is inserted with ON CONFLICT DO NOTHING on the unique client id; if the id
       was stored meanwhile (the same answer sent twice at once), the claim is rolled back
       and the answer is a repeat.
    """
    now = now or utcnow()
    kiosk = kiosk_for_token(token)
    if kiosk is None:
        return AnswerResult(Outcome.UNPAIRED, message=MSG_UNPAIRED)
    if not kiosk.is_active:
        return AnswerResult(Outcome.REVOKED, message=MSG_REVOKED)
    answer = parse_answer(payload)
    message = ""
    if answer.service_type_id is not None and answer.service_type_id not in kiosk.services:
        # The admin changed the kiosk's services after the citizen chose: the answers count,
        # the service is stored as unknown.
        answer = replace(answer, service_type_id=None)
        message = MSG_SERVICE_DROPPED
    at = _moment(answer, now)
    try:
        with write_tx():
            result = _store(kiosk, answer, at, now)
    except _Taken:
        with write_tx():
            result = _repeat(_stored(answer), kiosk, answer, now)
    if result.outcome in (Outcome.STORED, Outcome.UPDATED, Outcome.DUPLICATE) and message:
        result = replace(result, message=message)
    return result


def _stored(answer: Answer) -> KioskResponse | None:
    return KioskResponse.get_or_none(KioskResponse.client_id == answer.client_id)


def _store(kiosk: Kiosk, answer: Answer, at: datetime, now: datetime) -> AnswerResult:
    existing = _stored(answer)
    if existing is not None:
        return _repeat(existing, kiosk, answer, now)
    rules = settings.current()
    interval = timedelta(seconds=int(rules["kiosk_min_interval_seconds"]))
    per_hour = int(rules["kiosk_max_per_hour"])
    row = Kiosk.get_by_id(kiosk.id)
    if at < now - BACKDATED_AFTER and row.paired_at is not None and at < row.paired_at:
        Kiosk.update(last_seen_at=now).where(Kiosk.id == kiosk.id).execute()
        return AnswerResult(Outcome.BEFORE_PAIRING, message=MSG_BEFORE_PAIRING)
    newest = row.last_respondent_at
    if newest is not None and at <= newest - interval:
        # Older than a respondent already stored: the device's queue (flushed oldest first)
        # cannot explain that time, so the answer takes the first free moment after the
        # newest respondent (never later than its arrival) and is counted there.
        at = min(newest + interval, now)
    if not is_open(kiosk, at):
        Kiosk.update(last_seen_at=now).where(Kiosk.id == kiosk.id).execute()
        return AnswerResult(Outcome.CLOSED, message=MSG_CLOSED)
    if not _claim(kiosk.id, at, now, interval, per_hour):
        return _refusal(kiosk.id, answer, at, now, interval)
    local = to_wib(at)
    values = {
        "client_id": answer.client_id,
        "kiosk": kiosk.id,
        "unit": kiosk.unit_id,
        "day": local.date(),
        "hour": local.hour,
        "employee": on_duty_at(kiosk.id, at),
        "received_at": now,
        **_given(answer),
    }
    inserted = database.execute(KioskResponse.insert(values).on_conflict_ignore()).rowcount
    if inserted != 1:
        raise _Taken
    return AnswerResult(Outcome.STORED, _stored(answer).id)


def _minute_start(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def _claim(kiosk_id: int, at: datetime, now: datetime, interval: timedelta, limit: int) -> bool:
    """Claim the kiosk for a new respondent at ``at``: one conditional UPDATE of its row.

    It succeeds only if the kiosk is active, its newest respondent is at least ``interval``
    before ``at`` (the queue is flushed oldest first, so respondents are claimed in time
    order and the hourly count of ``at``'s hour is exact), the hour of ``at`` has fewer
    than ``limit`` respondents and, for a back-dated answer, its arrival minute has fewer
    than :data:`BACKLOG_PER_MINUTE` back-dated answers. It keeps the newest respondent's
    time and counts the answer in its hour (``rate_hour``, ``rate_count``) and, if
    back-dated, in its arrival minute (``backlog_minute``, ``backlog_count``).
    """
    newest, hour, count = Kiosk.last_respondent_at, Kiosk.rate_hour, Kiosk.rate_count
    this_hour = _hour_start(at)
    later_hour = hour.is_null() | (hour < this_hour)
    changes = {
        "last_seen_at": now,
        "last_respondent_at": Case(
            None, [(newest.is_null() | (newest < at), newest.to_value(at))], newest
        ),
        "rate_count": Case(None, [(hour == this_hour, count + 1), (later_hour, 1)], count),
        "rate_hour": Case(None, [(later_hour, hour.to_value(this_hour))], hour),
    }
    where = (
        (Kiosk.id == kiosk_id)
        & (Kiosk.status == KioskStatus.ACTIVE)
        & (newest.is_null() | (newest <= at - interval))
        & ((hour != this_hour) | hour.is_null() | (count < limit))
    )
    if at < now - BACKDATED_AFTER:
        minute, backlog = Kiosk.backlog_minute, Kiosk.backlog_count
        this_minute = _minute_start(now)
        same = minute == this_minute
        changes["backlog_count"] = Case(None, [(same, backlog + 1)], 1)
        changes["backlog_minute"] = minute.to_value(this_minute)
        where &= ~same | minute.is_null() | (backlog < BACKLOG_PER_MINUTE)
    return bool(Kiosk.update(**changes).where(where).execute())


def _refusal(kiosk_id: int, answer: Answer, at, now, interval) -> AnswerResult:
    """Why the claim failed: revoked, a repeat stored meanwhile, the interval, the hour or
    the backlog's arrival minute."""
    kiosk = Kiosk.get_by_id(kiosk_id)
    if not kiosk.is_active:
        return AnswerResult(Outcome.REVOKED, message=MSG_REVOKED)
    existing = _stored(answer)  # PostgreSQL: committed while this claim waited
    if existing is not None:
        return _repeat(existing, kiosk, answer, now)
    Kiosk.update(last_seen_at=now).where(Kiosk.id == kiosk_id).execute()
    newest = kiosk.last_respondent_at
    if newest is not None and newest > at - interval:
        return AnswerResult(Outcome.IGNORED_INTERVAL, message=MSG_INTERVAL)
    hour_full = kiosk.rate_hour == _hour_start(at) and kiosk.rate_count >= per_hour_limit()
    if at < now - BACKDATED_AFTER and not hour_full:
        return AnswerResult(Outcome.BUSY, message=MSG_BUSY)
    return AnswerResult(Outcome.RATE_LIMITED, message=MSG_RATE)


def per_hour_limit() -> int:
    """The kiosk hourly cap in force."""
    return int(settings.current()["kiosk_max_per_hour"])


def _repeat(row: KioskResponse, kiosk: Kiosk, answer: Answer, now: datetime) -> AnswerResult:
    """An id already stored: the stored answers stand.

    The same answers again (a retry) are a duplicate. Answers not given before complete
    the row (the kiosk sends the face at once and the rest when the citizen finishes). An
    answer that differs from a stored one is refused (409): nothing stored ever changes.
    """
    if row.kiosk_id != kiosk.id:
        return AnswerResult(Outcome.CONFLICT, row.id, MSG_ID_TAKEN)
    added = {}
    for name, value in _given(answer).items():
        stored = getattr(row, name) or None
        if stored is None:
            added[name] = value
        elif stored != value:
            return AnswerResult(Outcome.CONFLICT, row.id, MSG_CONFLICT)
    if not added:
        return AnswerResult(Outcome.DUPLICATE, row.id)
    Kiosk.update(last_seen_at=now).where(Kiosk.id == kiosk.id).execute()
    still_empty = [
        (getattr(KioskResponse, name) == "")
        if name == "comment"
        else getattr(KioskResponse, name).is_null()
        for name in added
    ]
    query = KioskResponse.update(**added, updated_at=now).where(
        (KioskResponse.id == row.id) & functools.reduce(operator.and_, still_empty)
    )
    if query.execute() != 1:  # PostgreSQL: completed by another request meanwhile
        return _repeat(KioskResponse.get_by_id(row.id), kiosk, answer, now)
    return AnswerResult(Outcome.UPDATED, row.id)


# --- registration, pairing, revocation ------------------------------------------------------


def _clean_name(value: str, limit: int, what: str, required: bool) -> str:
    text = clean_comment(value or "").replace("\n", " ")
    if required and not text:
        raise KioskError(f"{what} wajib diisi.")
    if len(text) > limit:
        raise KioskError(f"{what} paling banyak {limit} karakter.")
    return text


def _clean_services(unit: Unit, ids) -> list[int]:
    ids = sorted({int(i) for i in ids or []})
    if not ids:
        return []
    allowed = {i for i, _ in unit_service_types(unit.id)}
    unknown = [i for i in ids if i not in allowed]
    if unknown:
        raise KioskError("Jenis layanan harus milik OPD kios ini dan masih aktif.")
    return ids


def _snapshot(kiosk: Kiosk) -> dict:
    return {
        "unit_id": kiosk.unit_id,
        "name": kiosk.name,
        "counter": kiosk.counter,
        "service_type_ids": kiosk.services,
        "status": kiosk.status,
        "opening_hours": json.loads(kiosk.opening_hours),
    }


def _require_admin(actor: Actor | None) -> None:
    from kinerja.permissions import is_admin

    if actor is None or not is_admin(actor):
        raise KioskError("Hanya Admin BKPSDM yang dapat mengubah kios.")


def _issue_code(kiosk: Kiosk, now: datetime) -> str:
    for _ in range(5):
        code = new_pairing_code()
        digest = _sha256(code)
        if not Kiosk.select().where(Kiosk.pairing_code_hash == digest).exists():
            kiosk.pairing_code_hash = digest
            kiosk.pairing_expires_at = now + PAIRING_TTL
            return code
    raise KioskError("Gagal membuat kode pemasangan; coba lagi.")  # pragma: no cover


def register_kiosk(
    actor: Actor,
    unit_id: int,
    name: str,
    counter: str = "",
    service_type_ids=(),
    now: datetime | None = None,
) -> tuple[Kiosk, str]:
    """Register a kiosk for a unit; return it with its one-time pairing code (shown once)."""
    _require_admin(actor)
    now = now or utcnow()
    with write_tx():
        unit = Unit.get_or_none((Unit.id == unit_id) & Unit.active)
        if unit is None:
            raise KioskError("Unit tidak ditemukan atau tidak aktif.")
        kiosk = Kiosk(
            unit=unit,
            name=_clean_name(name, NAME_MAX, "Nama kios", True),
            counter=_clean_name(counter, COUNTER_MAX, "Nama loket", False),
            service_type_ids=json.dumps(_clean_services(unit, service_type_ids)),
            created_at=now,
        )
        code = _issue_code(kiosk, now)
        kiosk.save()
        audit.record(
            "kiosk.registered",
            actor=actor.account,
            object_type="kiosk",
            object_id=kiosk.id,
            after={**_snapshot(kiosk), "pairing_expires_at": kiosk.pairing_expires_at},
        )
    return kiosk, code


def update_kiosk(actor: Actor, kiosk_id: int, name: str, counter: str, service_type_ids) -> Kiosk:
    """Change a kiosk's name, counter and service types."""
    _require_admin(actor)
    with write_tx():
        kiosk = _lock_kiosk(kiosk_id)
        before = _snapshot(kiosk)
        kiosk.name = _clean_name(name, NAME_MAX, "Nama kios", True)
        kiosk.counter = _clean_name(counter, COUNTER_MAX, "Nama loket", False)
        kiosk.service_type_ids = json.dumps(_clean_services(kiosk.unit, service_type_ids))
        kiosk.save()
        audit.record(
            "kiosk.updated",
            actor=actor.account,
            object_type="kiosk",
            object_id=kiosk.id,
            before=before,
            after=_snapshot(kiosk),
        )
    return kiosk


def reissue_pairing_code(actor: Actor, kiosk_id: int, now: datetime | None = None) -> str:
    """A new one-time code (e.g. for a replacement tablet); pairing with it replaces the
    old device's token."""
    _require_admin(actor)
    now = now or utcnow()
    with write_tx():
        kiosk = _lock_kiosk(kiosk_id)
        if not kiosk.is_active:
            raise KioskError("Kios yang sudah dicabut tidak dapat dipasangkan lagi.")
        code = _issue_code(kiosk, now)
        kiosk.save()
        audit.record(
            "kiosk.pairing_code_issued",
            actor=actor.account,
            object_type="kiosk",
            object_id=kiosk.id,
            after={"pairing_expires_at": kiosk.pairing_expires_at},
        )
    return code


def _pair_throttle(client: str, now: datetime) -> LoginThrottle:
    key = "kiosk-pair:" + _sha256(client or "-")[:48]
    row = LoginThrottle.get_or_none(LoginThrottle.client_key == key)
    if row is None:
        row = LoginThrottle.create(client_key=key, window_start=now, failures=0)
    elif row.window_start + PAIRING_WINDOW <= now:
        row.window_start = now
        row.failures = 0
        row.save()
    return row


def pair_device(code: str, client: str = "-", now: datetime | None = None) -> tuple[Kiosk, str]:
    """Exchange a valid one-time pairing code for a new device token (raises KioskError).

    ``client`` (the requester's address) is used only to throttle guessing; it is stored
    hashed in the throttle table, never with the kiosk or its answers.
    """
    now = now or utcnow()
    normalised = normalise_code(code)
    # The refusal is raised after the transaction commits, so the failure count is kept.
    refusal = None
    kiosk = token = None
    with write_tx():
        throttle = _pair_throttle(client, now)
        if throttle.failures >= PAIRING_MAX_FAILURES:
            refusal = MSG_PAIR_THROTTLED
        else:
            kiosk, token = _pair(normalised, throttle, now)
            if kiosk is None:
                refusal = MSG_PAIR_WRONG
    if refusal:
        raise KioskError(refusal)
    return kiosk, token


def _pair(normalised: str, throttle: LoginThrottle, now: datetime):
    """Check a code and, if good, give the kiosk a new device token (in the caller's tx)."""
    kiosk = None
    if len(normalised) == PAIRING_LENGTH:
        kiosk = Kiosk.get_or_none(Kiosk.pairing_code_hash == _sha256(normalised))
    if (
        kiosk is None
        or not kiosk.is_active
        or kiosk.pairing_expires_at is None
        or kiosk.pairing_expires_at <= now
    ):
        throttle.failures += 1
        throttle.save()
        return None, None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    replaced = kiosk.token_hash is not None
    kiosk.token_hash = token_hash(token)
    kiosk.pairing_code_hash = None
    kiosk.pairing_expires_at = None
    kiosk.paired_at = now
    kiosk.last_seen_at = now
    kiosk.save()
    audit.record(
        "kiosk.paired",
        actor_label="perangkat kios",
        object_type="kiosk",
        object_id=kiosk.id,
        after={"replaced_device": replaced},
    )
    return kiosk, token


def revoke(actor: Actor, kiosk_id: int, now: datetime | None = None) -> Kiosk:
    """Revoke a kiosk: its device is refused from its next request on."""
    _require_admin(actor)
    now = now or utcnow()
    with write_tx():
        kiosk = _lock_kiosk(kiosk_id)
        if not kiosk.is_active:
            raise KioskError("Kios ini sudah dicabut.")
        before = _snapshot(kiosk)
        kiosk.status = KioskStatus.REVOKED
        kiosk.revoked_at = now
        kiosk.pairing_code_hash = None
        kiosk.pairing_expires_at = None
        kiosk.save()
        CounterDuty.update(end=now).where(
            (CounterDuty.kiosk == kiosk.id) & CounterDuty.end.is_null()
        ).execute()
        audit.record(
            "kiosk.revoked",
            actor=actor.account,
            object_type="kiosk",
            object_id=kiosk.id,
            before=before,
            after=_snapshot(kiosk),
        )
    return kiosk


def parse_opening_hours(raw: Mapping[int, tuple[str, str] | None]) -> dict[str, list[str]]:
    """Validate opening hours per weekday (0 = Senin): "HH:MM" start before end."""
    cleaned: dict[str, list[str]] = {}
    errors = []
    for day, span in sorted(raw.items()):
        if not isinstance(day, int) or not 0 <= day <= 6:
            errors.append("Hari tidak dikenal.")
            continue
        if not span or not any(span):
            continue
        start, end = (span[0] or "").strip(), (span[1] or "").strip()
        if not (HHMM.match(start) and HHMM.match(end)):
            errors.append(f"{WEEKDAYS[day]}: jam harus berformat JJ:MM (mis. 07:30).")
        elif start >= end:
            errors.append(f"{WEEKDAYS[day]}: jam buka harus sebelum jam tutup.")
        else:
            cleaned[str(day)] = [start, end]
    if errors:
        raise KioskError(" ".join(errors))
    return cleaned


def set_opening_hours(
    actor: Actor, kiosk_id: int, raw: Mapping[int, tuple[str, str] | None]
) -> Kiosk:
    """Set a kiosk's opening hours (WIB) per weekday; days left empty are closed."""
    _require_admin(actor)
    hours = parse_opening_hours(raw)
    with write_tx():
        kiosk = _lock_kiosk(kiosk_id)
        before = json.loads(kiosk.opening_hours)
        kiosk.opening_hours = json.dumps(hours, sort_keys=True)
        kiosk.save()
        audit.record(
            "kiosk.opening_hours",
            actor=actor.account,
            object_type="kiosk",
            object_id=kiosk.id,
            before=before,
            after=hours,
        )
    return kiosk


# --- duty roster ---------------------------------------------------------------------------


def _duty_after(duty: CounterDuty) -> dict:
    return {
        "kiosk_id": duty.kiosk_id,
        "employee_id": duty.employee_id,
        "start": duty.start,
        "end": duty.end,
    }


MSG_TAKEOVER_REFUSED = (
    "Loket ini sedang dijaga rekan Anda; hanya pegawai unit loket ini atau atasan yang "
    "mengatur jadwalnya yang dapat mengambil alih."
)


@dataclass(frozen=True)
class TakeoverNotice:
    """A duty of the actor's that a colleague took over, not yet marked as read."""

    duty_id: int
    text: str
    day: date


def sign_in(actor: Actor, kiosk_id: int, now: datetime | None = None) -> CounterDuty:
    """The actor starts duty at a kiosk's counter now (ending any other open duty of
    theirs, and whoever was still signed in at that counter).

    Taking over from a colleague (issue 19) is allowed only to the kiosk's own unit or to
    whoever rosters the counter (:func:`kinerja.permissions.kiosk.can_take_over`); the
    colleague's duty keeps who took over (a notice in the portal until read) and each
    takeover is audited.
    """
    now = now or utcnow()
    with write_tx():
        kiosk = _lock_kiosk(kiosk_id)
        employee = Employee.get_by_id(actor.employee_id)
        if not kiosk_perms.can_sign_in(actor, kiosk):
            raise KioskError("Anda tidak dapat bertugas di loket ini.")
        colleagues = list(
            CounterDuty.select().where(
                CounterDuty.end.is_null()
                & (CounterDuty.kiosk == kiosk.id)
                & (CounterDuty.employee != employee.id)
            )
        )
        if colleagues and not kiosk_perms.can_take_over(actor, kiosk):
            raise KioskError(MSG_TAKEOVER_REFUSED)
        CounterDuty.update(end=now).where(
            CounterDuty.end.is_null()
            & ((CounterDuty.employee == employee.id) | (CounterDuty.kiosk == kiosk.id))
        ).execute()
        for duty in colleagues:
            CounterDuty.update(taken_over_by_id=employee.id).where(
                CounterDuty.id == duty.id
            ).execute()
            audit.record(
                "kiosk.duty_taken_over",
                actor=actor.account,
                object_type="counter_duty",
                object_id=duty.id,
                before={"employee_id": duty.employee_id, "end": None},
                after={"employee_id": duty.employee_id, "end": now, "taken_over_by": employee.id},
            )
        duty = CounterDuty.create(
            kiosk=kiosk, employee=employee, start=now, set_by_account_id=actor.account.id
        )
        audit.record(
            "kiosk.duty_sign_in",
            actor=actor.account,
            object_type="counter_duty",
            object_id=duty.id,
            after=_duty_after(duty),
        )
    return duty


def takeover_notices(actor: Actor) -> list[TakeoverNotice]:
    """The actor's duties taken over by a colleague, not yet marked as read, newest first:
    "Tugas loket Anda di <kiosk> diambil alih oleh <nama> pada <waktu>"."""
    rows = (
        CounterDuty.select(CounterDuty, Kiosk)
        .join(Kiosk)
        .where(
            (CounterDuty.employee == actor.employee_id)
            & CounterDuty.taken_over_by_id.is_null(False)
            & CounterDuty.takeover_read_at.is_null()
        )
        .order_by(CounterDuty.end.desc(), CounterDuty.id.desc())
    )
    notices = []
    for duty in rows:
        taker = Employee.get_or_none(Employee.id == duty.taken_over_by_id)
        name = taker.full_name if taker is not None else "pegawai lain"
        local = to_wib(duty.end)
        when = f"{format_date(local.date())} pukul {local:%H.%M} WIB"
        text = f"Tugas loket Anda di {duty.kiosk.label} diambil alih oleh {name} pada {when}."
        notices.append(TakeoverNotice(duty.id, text, local.date()))
    return notices


def acknowledge_takeovers(actor: Actor, now: datetime | None = None) -> int:
    """Mark the actor's takeover notices as read (audited); return how many."""
    now = now or utcnow()
    with write_tx():
        ids = [n.duty_id for n in takeover_notices(actor)]
        if ids:
            CounterDuty.update(takeover_read_at=now).where(CounterDuty.id.in_(ids)).execute()
            audit.record(
                "kiosk.takeover_read",
                actor=actor.account,
                object_type="counter_duty",
                object_id=ids[0],
                after={"duty_ids": ids},
            )
    return len(ids)


def task_provider(actor: Actor) -> list[Task]:
    """Duties of the actor a colleague took over, until the notice is read."""
    if actor.employee_id is None:
        return []
    return [
        Task(n.text, "staff.kiosk_duty", since=n.day, area="Loket layanan")
        for n in takeover_notices(actor)
    ]


def sign_out(actor: Actor, now: datetime | None = None) -> int:
    """End the actor's open duties; return how many were ended."""
    now = now or utcnow()
    with write_tx():
        duties = list(
            CounterDuty.select().where(
                (CounterDuty.employee == actor.employee_id) & CounterDuty.end.is_null()
            )
        )
        for duty in duties:
            duty.end = max(now, duty.start)
            duty.save()
            audit.record(
                "kiosk.duty_sign_out",
                actor=actor.account,
                object_type="counter_duty",
                object_id=duty.id,
                after=_duty_after(duty),
            )
    return len(duties)


def wib_to_utc(day: date, clock: time) -> datetime:
    """A WIB date and time as naive UTC."""
    return datetime.combine(day, clock, tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)


def add_duty(
    actor: Actor, kiosk_id: int, employee_id: int, start: datetime, end: datetime | None
) -> CounterDuty:
    """Put an employee on the roster of a counter (naive UTC; no overlap at that counter)."""
    if end is not None and end <= start:
        raise KioskError("Waktu selesai harus setelah waktu mulai.")
    with write_tx():
        kiosk = _lock_kiosk(kiosk_id)
        employee = Employee.get_or_none((Employee.id == employee_id) & Employee.active)
        if employee is None:
            raise KioskError("Pegawai tidak ditemukan.")
        if not kiosk_perms.can_manage_duty(actor, kiosk, employee):
            raise KioskError("Anda tidak dapat mengatur jadwal jaga pegawai ini di loket ini.")
        far = datetime(9999, 1, 1)
        overlap = (
            CounterDuty.select()
            .where(
                (CounterDuty.kiosk == kiosk.id)
                & (CounterDuty.start < (end or far))
                & (CounterDuty.end.is_null() | (CounterDuty.end > start))
            )
            .exists()
        )
        if overlap:
            raise KioskError("Jadwal ini bertumpuk dengan jadwal jaga lain di loket yang sama.")
        duty = CounterDuty.create(
            kiosk=kiosk,
            employee=employee,
            start=start,
            end=end,
            set_by_account_id=actor.account.id,
        )
        audit.record(
            "kiosk.duty_added",
            actor=actor.account,
            object_type="counter_duty",
            object_id=duty.id,
            after=_duty_after(duty),
        )
    return duty


def end_duty(actor: Actor, duty_id: int, now: datetime | None = None) -> CounterDuty:
    """End (or, if it has not started yet, remove) a roster entry."""
    now = now or utcnow()
    with write_tx():
        duty = CounterDuty.get_or_none(CounterDuty.id == duty_id)
        if duty is None:
            raise KioskError("Jadwal jaga tidak ditemukan.")
        if not kiosk_perms.can_manage_duty(actor, duty.kiosk, duty.employee):
            raise KioskError("Anda tidak dapat mengubah jadwal jaga ini.")
        before = _duty_after(duty)
        if duty.start >= now:
            duty.delete_instance()
            action = "kiosk.duty_removed"
            after = None
        else:
            if duty.end is None or duty.end > now:
                duty.end = now
                duty.save()
            action = "kiosk.duty_ended"
            after = _duty_after(duty)
        audit.record(
            action,
            actor=actor.account,
            object_type="counter_duty",
            object_id=duty_id,
            before=before,
            after=after,
        )
    return duty
