"""Kiosk devices: registration, pairing, revocation and opening hours (docs/spec/product.md §5).

A kiosk is registered by Admin BKPSDM for a public-service unit and paired with a device
by a one-time code; the device then holds a token (only its hash is stored). Pairing,
revocation and configuration changes are audited. Answers: :mod:`kiosk_answers`; the
counter duty roster: :mod:`kiosk_duty`.
"""

import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta

from kinerja import org
from kinerja.clock import to_wib, utcnow
from kinerja.db import is_postgres, write_tx
from kinerja.models.account import LoginThrottle
from kinerja.models.kiosk import (
    WEEKDAYS,
    CounterDuty,
    Kiosk,
    KioskStatus,
)
from kinerja.models.org import Unit
from kinerja.models.service import ServiceType
from kinerja.permissions import Actor
from kinerja.services import audit
from kinerja.statements import statement

PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: easy to type
PAIRING_LENGTH = 8
PAIRING_TTL = timedelta(hours=24)
PAIRING_MAX_FAILURES = 20
PAIRING_WINDOW = timedelta(minutes=15)
TOKEN_BYTES = 32
NAME_MAX = 120
COUNTER_MAX = 80
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MSG_PAIR_WRONG = "Kode pemasangan salah, sudah dipakai, atau sudah kedaluwarsa."
MSG_PAIR_THROTTLED = "Terlalu banyak percobaan kode yang salah. Tunggu 15 menit lalu coba lagi."


class KioskError(ValueError):
    """A kiosk use case was refused; the message is Indonesian and safe to show."""


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


@statement
def _kiosk_of_token(digest):
    return Kiosk.select().where(Kiosk.token_hash == digest).limit(1)


def kiosk_for_token(token: str | None) -> Kiosk | None:
    """The kiosk a device token belongs to (active or revoked), or None."""
    if not token or len(token) > 200:
        return None
    return _kiosk_of_token.first(token_hash(token))


@statement
def _locked_kiosk(kiosk_id):
    # The text is built per database kind: FOR UPDATE on PostgreSQL only.
    query = Kiosk.select().where(Kiosk.id == kiosk_id).limit(1)
    return query.for_update() if is_postgres() else query


def lock_kiosk(kiosk_id: int) -> Kiosk:
    """The kiosk row, locked to the end of the transaction on PostgreSQL (SQLite: the
    write transaction holds the database); ``Kiosk.DoesNotExist`` if there is none."""
    kiosk = _locked_kiosk.first(kiosk_id)
    if kiosk is None:
        raise Kiosk.DoesNotExist(f"Kiosk {kiosk_id} tidak ada.")
    return kiosk


def service_names(ids: list[int]) -> dict[int, str]:
    """Names of service types by id."""
    if not ids:
        return {}
    return {
        s.id: s.name
        for s in ServiceType.select().where(ServiceType.id.in_(ids)).order_by(ServiceType.name)
    }


def unit_service_types(unit_id: int) -> list[tuple[int, str]]:
    """(id, name) of the active service types of a unit and its OPD, for the admin form."""
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


# --- registration, pairing, revocation ------------------------------------------------------


def clean_comment(text: str) -> str:
    """Plain text: control characters (other than line breaks) removed, trimmed."""
    kept = "".join(ch for ch in text if ch in "\n" or not unicodedata.category(ch).startswith("C"))
    return kept.strip()


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
        kiosk = lock_kiosk(kiosk_id)
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
        kiosk = lock_kiosk(kiosk_id)
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
        kiosk = lock_kiosk(kiosk_id)
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
        kiosk = lock_kiosk(kiosk_id)
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
