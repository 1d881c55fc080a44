"""Kiosk use cases: registration, pairing, revocation, opening hours, the duty roster and
recording citizens' answers (product.md §5, regulation.md §7).

Answers are idempotent on the client-generated id (a UNIQUE column): a retry never counts
twice, and a later submission of the same id with more answers completes the same row.
The abuse rules (minimum interval between respondents, hourly limit per device) are kept
in the database inside the answer's transaction, so several app processes agree.

Pairing, revocation, configuration and duty-roster changes are audited; answers are data,
not audit events.
"""

import functools
import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from kinerja import org, settings
from kinerja.clock import WIB, to_wib, utcnow
from kinerja.db import database, is_postgres, maybe_checkpoint, write_tx
from kinerja.enums import Unsur
from kinerja.models.account import LoginThrottle
from kinerja.models.kiosk import (
    WEEKDAYS,
    CounterDuty,
    Kiosk,
    KioskRateCounter,
    KioskResponse,
    KioskStatus,
)
from kinerja.models.org import Employee, Unit
from kinerja.permissions import Actor
from kinerja.permissions import kiosk as kiosk_perms
from kinerja.services import audit

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

CLIENT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PAYLOAD_KEYS = frozenset({"id", "answered_at", "face", "service_type_id", "unsur", "comment"})
UNSUR_FIELDS = {u: u.value.lower() for u in Unsur}

MSG_UNPAIRED = "Perangkat ini belum dipasangkan sebagai kios."
MSG_REVOKED = "Kios ini sudah dicabut oleh Admin BKPSDM."
MSG_CLOSED = "Kios sedang di luar jam layanan."
MSG_RATE = "Terlalu banyak jawaban dari kios ini dalam satu jam."
MSG_INTERVAL = "Jawaban terlalu cepat setelah responden sebelumnya; tidak dihitung."
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
    IGNORED_INTERVAL = "ignored_interval"
    CLOSED = "closed"
    RATE_LIMITED = "rate_limited"
    INVALID = "invalid"
    UNPAIRED = "unpaired"
    REVOKED = "revoked"

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
    return hashlib.sha256(text.encode()).hexdigest()


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
    return hmac.new(token.encode(), b"kiosk-api-header", hashlib.sha256).hexdigest()


def check_api_key(token: str, presented: str) -> bool:
    """Whether ``presented`` is the header value of ``token`` (constant time)."""
    return hmac.compare_digest(api_key_for(token), (presented or "")[:128])


# --- reading -------------------------------------------------------------------------------


def _raw_first(model, sql: str, *params):
    """The first model row of a hand-written query (``{p}`` marks a parameter).

    Used on the kiosk's hot path, where building SQL through the query builder would cost
    more than running it. Column values still go through the model's field converters.
    """
    query = model.raw(sql.format(p=database.param), *params)
    return next(iter(query), None)


_KIOSK_BY_TOKEN = "SELECT * FROM kiosk WHERE token_hash = {p}"
# Everything answering reads, in one statement: the kiosk, the two settings it checks and
# who is on duty at the counter at the answer's moment.
# Who is on duty at a kiosk's counter at a moment: the latest duty begun by then and not
# yet ended ({kiosk}: the kiosk's id, as a column or a parameter; then the moment twice).
_DUTY_AT = (
    "(SELECT d.employee_id FROM counter_duty d WHERE d.kiosk_id = {kiosk} AND d.start <= {p} "
    'AND (d."end" IS NULL OR d."end" > {p}) ORDER BY d.start DESC, d.id DESC LIMIT 1)'
)
_KIOSK_FOR_ANSWER = (
    "SELECT k.id, k.unit_id, k.status, k.service_type_ids, k.opening_hours, "
    "(SELECT value FROM setting WHERE \"key\" = 'kiosk_min_interval_seconds'), "
    "(SELECT value FROM setting WHERE \"key\" = 'kiosk_max_per_hour'), "
    + _DUTY_AT.replace("{kiosk}", "k.id")
    + " FROM kiosk k WHERE k.token_hash = {p}"
)


def kiosk_for_token(token: str | None) -> Kiosk | None:
    """The kiosk a device token belongs to (active or revoked), or None."""
    if not token or len(token) > 200:
        return None
    return _raw_first(Kiosk, _KIOSK_BY_TOKEN, token_hash(token))


def _lock_kiosk(kiosk_id: int) -> Kiosk:
    query = Kiosk.select().where(Kiosk.id == kiosk_id)
    if is_postgres():
        query = query.for_update()
    return query.get()


@dataclass(frozen=True, slots=True)
class AnsweringKiosk:
    """What answering needs of a kiosk (read without the model machinery: the hot path)."""

    id: int
    unit_id: int
    status: str
    service_type_ids: str
    opening_hours: str
    settings: dict  # the two kiosk settings in force
    on_duty: int | None  # the employee at the counter at the answer's moment

    services = property(Kiosk.services.fget)
    hours = property(Kiosk.hours.fget)
    is_active = property(Kiosk.is_active.fget)


def _answering_kiosk(token: str, at: datetime) -> AnsweringKiosk | None:
    stamp = CounterDuty.start.db_value(at)
    sql = _KIOSK_FOR_ANSWER.format(p=database.param)
    row = database.execute_sql(sql, (stamp, stamp, token_hash(token))).fetchone()
    if row is None:
        return None
    *kiosk, interval, per_hour, duty = row
    values = {
        "kiosk_min_interval_seconds": settings.value("kiosk_min_interval_seconds", interval),
        "kiosk_max_per_hour": settings.value("kiosk_max_per_hour", per_hour),
    }
    return AnsweringKiosk(*kiosk, values, duty)


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


_ON_DUTY = "SELECT " + _DUTY_AT.replace("{kiosk}", "{p}")


def on_duty_at(kiosk_id: int, at: datetime) -> int | None:
    """The employee on duty at a kiosk's counter at ``at`` (naive UTC), if any."""
    stamp = CounterDuty.start.db_value(at)
    sql = _ON_DUTY.format(p=database.param)
    row = database.execute_sql(sql, (kiosk_id, stamp, stamp)).fetchone()
    return row[0] if row else None


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
    if not CLIENT_ID.match(client_id):
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


def _merge(row: KioskResponse, answer: Answer, now: datetime) -> Outcome:
    changed = False
    if row.face != answer.face:
        row.face = answer.face
        changed = True
    if answer.service_type_id is not None and row.service_type_id != answer.service_type_id:
        row.service_type_id = answer.service_type_id
        changed = True
    for unsur, value in answer.unsur.items():
        name = UNSUR_FIELDS[unsur]
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if answer.comment and row.comment != answer.comment:
        row.comment = answer.comment
        changed = True
    if not changed:
        return Outcome.DUPLICATE
    row.updated_at = now
    row.save()
    return Outcome.UPDATED


# The columns of a new respondent's row, in the order its statement lists them.
_NEW_COLUMNS = (
    "client_id",
    "kiosk_id",
    "unit_id",
    "service_type_id",
    "day",
    "hour",
    "face",
    "comment",
    "employee_id",
    "received_at",
    *UNSUR_FIELDS.values(),
)
# A new respondent is stored only if its kiosk is active, nobody answered at that kiosk
# within the minimum interval before or after it (abs(at - newest) >= interval) and its
# hour is not full. The insert checks all three while it writes, so a refused answer writes
# nothing; only a stored one then claims the kiosk and counts in its hour (statements that
# cannot be refused). The writer holds the kiosk row meanwhile: SQLite's single writer, or on
# PostgreSQL the row lock taken first (_LOCK), so the checks still hold at the commit.
# Nobody answered at the kiosk within the interval around the answer: its newest respondent
# is before the interval's start or after its end (the two parameters).
_INTERVAL_OK = (
    "(last_respondent_at IS NULL OR last_respondent_at <= {p} OR last_respondent_at >= {p})"
)
_STORE_IF = (
    f"INSERT INTO kiosk_response ({', '.join(_NEW_COLUMNS)}) "
    f"SELECT {', '.join(['{p}'] * len(_NEW_COLUMNS))} "
    "WHERE EXISTS (SELECT 1 FROM kiosk WHERE id = {p} AND status = 'ACTIVE' "
    f"AND {_INTERVAL_OK}) "
    "AND COALESCE((SELECT c.count FROM kiosk_rate_counter c "
    "WHERE c.kiosk_id = {p} AND c.hour_start = {p}), 0) < {p} "
    "ON CONFLICT (client_id) DO NOTHING"
)
# The kiosks of a round, locked in id order (PostgreSQL; {ids}: their parameter marks).
_LOCK = "SELECT id FROM kiosk WHERE id IN ({ids}) ORDER BY id FOR UPDATE"
# The kiosks of a round's stored answers claimed at once: each keeps its newest respondent.
_CLAIM = (
    "UPDATE kiosk SET last_seen_at = CASE id {seen} END, "
    "last_respondent_at = CASE id {newest} END WHERE id IN ({ids})"
)
_CLAIM_SEEN = "WHEN {p} THEN {p}"
_CLAIM_NEWEST = (
    "WHEN {p} THEN CASE WHEN last_respondent_at IS NULL OR last_respondent_at < {p} "
    "THEN {p} ELSE last_respondent_at END"
)
# ... and counted in their hours at once (one row per kiosk: a round has each kiosk once).
_COUNT = (
    "INSERT INTO kiosk_rate_counter (kiosk_id, hour_start, count) VALUES {rows} "
    "ON CONFLICT (kiosk_id, hour_start) DO UPDATE SET count = kiosk_rate_counter.count + 1"
)
_COUNT_ROW = "({p}, {p}, 1)"
# Why a new respondent was refused, asked only then: the interval (checked first) or else
# the hourly limit. A stored id or a revoked kiosk is told by _not_new before either.
_INTERVAL_FREE = f"SELECT 1 FROM kiosk WHERE id = {{p}} AND {_INTERVAL_OK}"
_SEEN = "UPDATE kiosk SET last_seen_at = {p} WHERE id = {p}"
_STATUS = "SELECT status FROM kiosk WHERE id = {p}"
_EXISTING = "SELECT * FROM kiosk_response WHERE client_id = {p}"


class _NotNew:
    """A new respondent the writer did not store; ``refusal`` is why (None: the id exists)."""

    __slots__ = ("refusal",)

    def __init__(self, refusal: AnswerResult | None = None):
        self.refusal = refusal


def record_answer(token: str | None, payload, now: datetime | None = None) -> AnswerResult:
    """Store (or complete) one respondent's answers from a paired kiosk.

    Raises :class:`AnswerInvalid` for a malformed payload; every other refusal is an
    :class:`AnswerResult` with its :class:`Outcome` (an unpaired or revoked kiosk is told
    so before anything about its payload).

    This is the portal's busiest write, so it is hand-written SQL, built before the writer
    lock: one insert that checks every rule while it writes (kiosk active, minimum interval
    around the previous respondent, hourly limit; a stored id conflicts: a retry), then, if
    it stored the answer, the kiosk's claim and the hour's count. A refused insert writes
    nothing and is answered by :func:`_not_new`, which completes a retried answer or reports
    the refusal. Everything that needs no lock (the kiosk's hours, the settings, who is on
    duty) is read before. Answers arriving together share one transaction
    (:class:`_GroupCommit`). Only tables that no cached page shows are written, so no
    page-cache generation lock is taken.
    """
    now = now or utcnow()
    if not token or len(token) > 200:
        return AnswerResult(Outcome.UNPAIRED, message=MSG_UNPAIRED)
    try:
        answer, invalid = parse_answer(payload), None
    except AnswerInvalid as exc:  # told after "unpaired" and "revoked", which come first
        answer, invalid = None, exc
    at = _moment(answer, now) if answer is not None else now
    kiosk = _answering_kiosk(token, at)
    refusal = _unusable(kiosk)
    if refusal is not None:
        return refusal
    if invalid is not None:
        raise invalid
    if answer.service_type_id is not None and answer.service_type_id not in kiosk.services:
        raise AnswerInvalid(["Jenis layanan ini tidak dilayani di kios ini."])
    if not is_open(kiosk, at):
        return _not_new(kiosk, answer, now, AnswerResult(Outcome.CLOSED, message=MSG_CLOSED))
    outcome = _GROUP.submit(_NewRespondent(kiosk, answer, at, now, kiosk.settings))
    if isinstance(outcome, _NotNew):
        return _not_new(kiosk, answer, now, outcome.refusal)
    return outcome


class _Pending:
    """One new respondent waiting to be written by the current group's leader."""

    __slots__ = ("new", "outcome", "error", "done")

    def __init__(self, new: "_NewRespondent"):
        self.new = new
        self.outcome = None
        self.error = None
        self.done = False


class _GroupCommit:
    """Kiosk answers arriving together are written in one transaction (group commit).

    Every answer queues its statements; if no group is being written, it leads: it takes
    the whole queue, writes it in one transaction, commits once, hands every answer its
    outcome and wakes them all (each returns at once; one of those still queued leads the
    next group). Under load this replaces one BEGIN/COMMIT and one hand-over of SQLite's
    single writer per answer by one per group, and the writer runs few statements: a
    refused answer writes nothing, so no savepoint is needed. Should a statement fail (a
    database error, not a refusal), the group is rolled back and each answer written again
    in a transaction of its own, so one answer's failure is nobody else's. The queue is
    written in kiosk order: PostgreSQL row locks are then always taken in the same order,
    and two processes' groups cannot deadlock. Nothing outlives a request: several
    processes each group their own answers.
    """

    def __init__(self):
        self.queue: list[_Pending] = []
        self.changed = threading.Condition()  # guards queue and writing; told at each commit
        self.writing = False  # a leader is writing a group now

    def submit(self, new: "_NewRespondent"):
        """The answer's :class:`AnswerResult`, or the :class:`_NotNew` that refused it."""
        pending = _Pending(new)
        with self.changed:
            self.queue.append(pending)
            while self.writing and not pending.done:
                self.changed.wait()
            batch = None
            if not pending.done:  # nobody is writing: lead the queue
                self.writing = True
                batch, self.queue = self.queue, []
        if batch is not None:
            try:
                self._write(batch)
            finally:
                with self.changed:  # every answer of the group returns now; one leads next
                    self.writing = False
                    self.changed.notify_all()
            maybe_checkpoint()  # after handing over: nobody waits for its fsync
        if pending.error is not None:
            raise pending.error
        return pending.outcome

    @staticmethod
    def _write(batch: list[_Pending]) -> None:
        try:
            with write_tx(lock_generation=False, checkpoint=False):
                _store_group(batch)
        except Exception:  # noqa: BLE001 - rolled back as a whole: write each on its own
            for item in batch:
                try:
                    with write_tx(lock_generation=False, checkpoint=False):
                        _store_group([item])
                except Exception as exc:  # noqa: BLE001 - handed to its own request
                    item.outcome, item.error = None, exc
        finally:
            for item in batch:
                item.done = True


_GROUP = _GroupCommit()


def _unusable(kiosk: Kiosk | None) -> AnswerResult | None:
    if kiosk is None:
        return AnswerResult(Outcome.UNPAIRED, message=MSG_UNPAIRED)
    if not kiosk.is_active:
        return AnswerResult(Outcome.REVOKED, message=MSG_REVOKED)
    return None


@functools.cache
def _store_sql(param: str, returning: bool) -> tuple[str, str]:
    """The insert of a new respondent and the refusal's question (built once)."""
    store = _STORE_IF + (" RETURNING id" if returning else "")
    return store.format(p=param), _INTERVAL_FREE.format(p=param)


@functools.cache
def _round_sql(param: str, n: int) -> tuple[str, str, str]:
    """Lock, claim and count statements for a round of ``n`` kiosks (built once per n)."""
    ids = ", ".join([param] * n)
    seen = " ".join([_CLAIM_SEEN] * n).format(p=param)
    newest = " ".join([_CLAIM_NEWEST] * n).format(p=param)
    rows = ", ".join([_COUNT_ROW] * n).format(p=param)
    return (
        _LOCK.format(ids=ids),
        _CLAIM.format(seen=seen, newest=newest, ids=ids),
        _COUNT.format(rows=rows),
    )


class _NewRespondent:
    """A new respondent's parameters, built before the writer lock."""

    __slots__ = ("kiosk_id", "store", "seen", "newest", "count", "interval_free")

    def __init__(self, kiosk, answer: Answer, at, now, values: dict):
        stamp = Kiosk.last_respondent_at.db_value
        interval = timedelta(seconds=int(values["kiosk_min_interval_seconds"]))
        local = to_wib(at)
        row = (
            answer.client_id,
            kiosk.id,
            kiosk.unit_id,
            answer.service_type_id,
            local.date(),
            local.hour,
            answer.face,
            answer.comment,
            kiosk.on_duty,
            now,
            *(answer.unsur.get(u) for u in UNSUR_FIELDS),
        )
        at_s, hour = stamp(at), KioskRateCounter.hour_start.db_value(_hour_start(at))
        rules = (stamp(at - interval), stamp(at + interval))
        self.kiosk_id = kiosk.id
        self.store = (
            *[convert(v) for convert, v in zip(_NEW_DB_VALUE, row, strict=True)],
            kiosk.id,
            *rules,
            kiosk.id,
            hour,
            int(values["kiosk_max_per_hour"]),
        )
        self.seen = (kiosk.id, stamp(now))
        self.newest = (kiosk.id, at_s, at_s)
        self.count = (kiosk.id, hour)
        self.interval_free = (kiosk.id, *rules)


def _store_group(batch: list) -> None:
    """Write a group's new respondents (inside the writer's transaction): every item of
    ``batch`` gets its outcome, an :class:`AnswerResult` or the :class:`_NotNew` that
    refused it.

    The group goes in rounds: the first answer of every kiosk, then the second, and so on.
    A round has each kiosk once, so its inserts check their rules independently and its
    claims and counts are one statement each. Only an insert can be refused, and a refused
    insert writes nothing: no savepoint is needed.
    """
    postgres = is_postgres()
    store_sql, interval_sql = _store_sql(database.param, postgres)
    by_kiosk: dict[int, list] = {}
    for item in sorted(batch, key=lambda item: item.new.kiosk_id):  # stable: arrival order
        by_kiosk.setdefault(item.new.kiosk_id, []).append(item)
    for items in itertools.zip_longest(*by_kiosk.values()):
        round_ = [item for item in items if item is not None]
        lock_sql, claim_sql, count_sql = _round_sql(database.param, len(round_))
        if postgres:  # every kiosk of the group is in the first round: locked in id order
            database.execute_sql(lock_sql, [item.new.kiosk_id for item in round_])
        stored = []
        for item in round_:
            new = item.new
            cursor = database.execute_sql(store_sql, new.store)
            if postgres:  # the id comes back from RETURNING
                row = cursor.fetchone()
                row_id = row[0] if row else None
            else:
                row_id = cursor.lastrowid if cursor.rowcount == 1 else None
            if row_id is not None:
                item.outcome = AnswerResult(Outcome.STORED, row_id)
                stored.append(new)
            elif database.execute_sql(interval_sql, new.interval_free).fetchone() is None:
                item.outcome = _NotNew(AnswerResult(Outcome.IGNORED_INTERVAL, message=MSG_INTERVAL))
            else:  # the hour is full (a stored id or a revoked kiosk: _not_new tells first)
                item.outcome = _NotNew(AnswerResult(Outcome.RATE_LIMITED, message=MSG_RATE))
        if stored:
            _, claim_sql, count_sql = _round_sql(database.param, len(stored))
            seen = [v for new in stored for v in new.seen]
            newest = [v for new in stored for v in new.newest]
            ids = [new.kiosk_id for new in stored]
            database.execute_sql(claim_sql, [*seen, *newest, *ids])
            database.execute_sql(count_sql, [v for new in stored for v in new.count])


def _not_new(kiosk: Kiosk, answer: Answer, now, refusal: AnswerResult | None) -> AnswerResult:
    """Complete a retried answer (its id is stored), else report the refusal."""
    p = database.param
    with write_tx(lock_generation=False):
        database.execute_sql(_SEEN.format(p=p), (Kiosk.last_seen_at.db_value(now), kiosk.id))
        existing = _raw_first(KioskResponse, _EXISTING, answer.client_id)
        if existing is not None:
            return _update_existing(existing, kiosk, answer, now)
        status = database.execute_sql(_STATUS.format(p=p), (kiosk.id,)).fetchone()
        if status is None or status[0] != KioskStatus.ACTIVE:
            return AnswerResult(Outcome.REVOKED, message=MSG_REVOKED)
        return refusal or AnswerResult(Outcome.IGNORED_INTERVAL, message=MSG_INTERVAL)


_NEW_DB_VALUE = tuple(KioskResponse._meta.columns[c].db_value for c in _NEW_COLUMNS)


def _update_existing(row: KioskResponse, kiosk: Kiosk, answer: Answer, now) -> AnswerResult:
    if row.kiosk_id != kiosk.id:
        raise AnswerInvalid(["Id jawaban sudah dipakai kios lain."])
    return AnswerResult(_merge(row, answer, now), row.id)


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


def sign_in(actor: Actor, kiosk_id: int, now: datetime | None = None) -> CounterDuty:
    """The actor starts duty at a kiosk's counter now (ending any other open duty of
    theirs, and whoever was still signed in at that counter)."""
    now = now or utcnow()
    with write_tx():
        kiosk = _lock_kiosk(kiosk_id)
        employee = Employee.get_by_id(actor.employee_id)
        if not kiosk_perms.can_sign_in(actor, kiosk):
            raise KioskError("Anda tidak dapat bertugas di loket ini.")
        CounterDuty.update(end=now).where(
            CounterDuty.end.is_null()
            & ((CounterDuty.employee == employee.id) | (CounterDuty.kiosk == kiosk.id))
        ).execute()
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
