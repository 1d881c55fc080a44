"""Recording citizens' kiosk answers (docs/spec/product.md §5, docs/spec/regulation.md §7).

An answer is one ordinary transaction (:func:`record_answer`). It is idempotent on the
client-generated id (a UNIQUE column): a retry never counts twice and never changes what
was stored; a later submission of the same id may only add answers not given before. The
abuse rules (minimum interval between respondents, hourly limit per device, the backlog
rate of back-dated answers) are one conditional UPDATE of the kiosk row, so several app
processes agree. The same code runs on SQLite and PostgreSQL. Answers are data, not audit
events.
"""

import functools
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from peewee import Case

from kinerja import settings
from kinerja.clock import to_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import Unsur
from kinerja.models.kiosk import (
    Kiosk,
    KioskResponse,
    KioskStatus,
)
from kinerja.services.kiosk import clean_comment, is_open, kiosk_for_token, lock_kiosk
from kinerja.services.kiosk_duty import on_duty_query
from kinerja.statements import statement

COMMENT_MAX = 280
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


# --- validation ------------------------------------------------------------------------------


def _int_1_4(value, what: str, errors: list[str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        errors.append(f"{what} harus bilangan bulat 1–4.")
        return None
    return value


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


def _row_values(answer: Answer) -> dict:
    """Every answer column of a new row (None where the citizen gave nothing; the comment
    column's default is the empty text)."""
    unsur = {field: answer.unsur.get(u) for u, field in UNSUR_FIELDS.items()}
    return {
        "face": answer.face,
        "service_type_id": answer.service_type_id,
        **unsur,
        "comment": answer.comment,
    }


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


# The statements of an answer (kinerja.statements): their SQL text is built once per process.


@statement
def _by_client_id(client_id):
    return KioskResponse.select().where(KioskResponse.client_id == client_id).limit(1)


@statement
def _id_of(client_id):
    return KioskResponse.select(KioskResponse.id).where(KioskResponse.client_id == client_id)


@statement
def _seen(kiosk_id, now):
    return Kiosk.update(last_seen_at=now).where(Kiosk.id == kiosk_id)


@statement
def _insert(
    client_id, kiosk_id, unit_id, day, hour, received_at, at,
    face, service_type_id, u1, u2, u3, u4, u5, u6, u7, u8, u9, comment,
):  # fmt: skip
    """The answer's row, attributed to whoever is on duty at ``at``; nothing if the client
    id is stored already (the UNIQUE column)."""
    values = {
        "client_id": client_id,
        "kiosk": kiosk_id,
        "unit": unit_id,
        "day": day,
        "hour": hour,
        "employee": on_duty_query(kiosk_id, at),
        "received_at": received_at,
        "face": face,
        "service_type_id": service_type_id,
        "u1": u1, "u2": u2, "u3": u3, "u4": u4, "u5": u5, "u6": u6, "u7": u7, "u8": u8, "u9": u9,
        "comment": comment,
    }  # fmt: skip
    return KioskResponse.insert(values).on_conflict_ignore()


def _stored(answer: Answer) -> KioskResponse | None:
    return _by_client_id.first(answer.client_id)


def _store(kiosk: Kiosk, answer: Answer, at: datetime, now: datetime) -> AnswerResult:
    existing = _stored(answer)
    if existing is not None:
        return _repeat(existing, kiosk, answer, now)
    rules = settings.current()
    interval = timedelta(seconds=int(rules["kiosk_min_interval_seconds"]))
    per_hour = int(rules["kiosk_max_per_hour"])
    # Lock the kiosk row before reading its newest respondent: two answers of one kiosk
    # sent at once then take turns (PostgreSQL; SQLite's write transaction already does),
    # so the second sees the first and is re-timed after it instead of refused.
    row = lock_kiosk(kiosk.id)
    if at < now - BACKDATED_AFTER and row.paired_at is not None and at < row.paired_at:
        _seen.execute(kiosk.id, now)
        return AnswerResult(Outcome.BEFORE_PAIRING, message=MSG_BEFORE_PAIRING)
    newest = row.last_respondent_at
    if newest is not None and at <= newest - interval:
        # Older than a respondent already stored: the device's queue (flushed oldest first)
        # cannot explain that time, so the answer takes the first free moment after the
        # newest respondent (never later than its arrival) and is counted there.
        at = min(newest + interval, now)
    if not is_open(kiosk, at):
        _seen.execute(kiosk.id, now)
        return AnswerResult(Outcome.CLOSED, message=MSG_CLOSED)
    if not _claim(kiosk.id, at, now, interval, per_hour):
        return _refusal(kiosk.id, answer, at, now, interval)
    local = to_wib(at)
    inserted = _insert.execute(
        client_id=answer.client_id,
        kiosk_id=kiosk.id,
        unit_id=kiosk.unit_id,
        day=local.date(),
        hour=local.hour,
        received_at=now,
        at=at,
        **_row_values(answer),
    ).rowcount
    if inserted != 1:
        raise _Taken
    return AnswerResult(Outcome.STORED, _id_of.scalar(answer.client_id))


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
    values = (kiosk_id, at, at - interval, _hour_start(at), limit, now)
    if at < now - BACKDATED_AFTER:
        claimed = _claim_backdated.execute(*values, _minute_start(now), BACKLOG_PER_MINUTE)
    else:
        claimed = _claim_now.execute(*values)
    return claimed.rowcount == 1


def _claim_parts(kiosk_id, at, earliest, this_hour, limit, now) -> tuple[dict, object]:
    """The changes and the condition of a claim (see :func:`_claim`)."""
    newest, hour, count = Kiosk.last_respondent_at, Kiosk.rate_hour, Kiosk.rate_count
    later_hour = hour.is_null() | (hour < this_hour)
    changes = {
        "last_seen_at": now,
        "last_respondent_at": Case(None, [(newest.is_null() | (newest < at), at)], newest),
        "rate_count": Case(None, [(hour == this_hour, count + 1), (later_hour, 1)], count),
        "rate_hour": Case(None, [(later_hour, this_hour)], hour),
    }
    where = (
        (Kiosk.id == kiosk_id)
        & (Kiosk.status == KioskStatus.ACTIVE)
        & (newest.is_null() | (newest <= earliest))
        & ((hour != this_hour) | hour.is_null() | (count < limit))
    )
    return changes, where


@statement
def _claim_now(kiosk_id, at, earliest, this_hour, limit, now):
    changes, where = _claim_parts(kiosk_id, at, earliest, this_hour, limit, now)
    return Kiosk.update(**changes).where(where)


@statement
def _claim_backdated(kiosk_id, at, earliest, this_hour, limit, now, this_minute, backlog_max):
    changes, where = _claim_parts(kiosk_id, at, earliest, this_hour, limit, now)
    minute, backlog = Kiosk.backlog_minute, Kiosk.backlog_count
    same = minute == this_minute
    changes["backlog_count"] = Case(None, [(same, backlog + 1)], 1)
    changes["backlog_minute"] = this_minute
    where &= ~same | minute.is_null() | (backlog < backlog_max)
    return Kiosk.update(**changes).where(where)


def _refusal(kiosk_id: int, answer: Answer, at, now, interval) -> AnswerResult:
    """Why the claim failed: revoked, a repeat stored meanwhile, the interval, the hour or
    the backlog's arrival minute."""
    kiosk = Kiosk.get_by_id(kiosk_id)
    if not kiosk.is_active:
        return AnswerResult(Outcome.REVOKED, message=MSG_REVOKED)
    existing = _stored(answer)  # PostgreSQL: committed while this claim waited
    if existing is not None:
        return _repeat(existing, kiosk, answer, now)
    _seen.execute(kiosk_id, now)
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
    _seen.execute(kiosk.id, now)
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
