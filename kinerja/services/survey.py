"""SKM from the citizen's own phone (issue 22 part 2).

When a counter has completed a service request it may print a receipt whose QR code holds
a single-use link ``/survei/<token>``. The token is 32 random bytes from :mod:`secrets`
(URL-safe base64, 43 characters); only its SHA-256 is stored, bound to the request's unit,
jenis layanan and handler, and it expires :data:`TOKEN_LIFETIME` after it was printed.
Printing again replaces an unused link (the old one stops working); a used link is final.

An answer is one transaction: the token is consumed by a conditional UPDATE (``used_at IS
NULL`` and not expired) and the answer is inserted only if that UPDATE changed one row, so
two submissions at once store exactly one answer. The answer is an ordinary
``KioskResponse`` with ``channel = "ponsel"`` and no kiosk: the unit, the jenis layanan and
the officer who served (kept internal exactly as for kiosk answers) come from the token.
The token row never points at the answer and never records when it was used (``used_at``
is set to the printing time), so it cannot be matched to the answer by time. Answers are
data, not audit events; printing a receipt is audited.
"""

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from kinerja.clock import to_wib, utcnow
from kinerja.db import database, write_tx
from kinerja.enums import Unsur
from kinerja.models.kiosk import Channel, KioskResponse, SurveyToken
from kinerja.models.org import Unit
from kinerja.models.service import ServiceRequest, ServiceType
from kinerja.permissions import Actor
from kinerja.permissions.service import can_log_requests
from kinerja.services import audit
from kinerja.services.kiosk import clean_comment

TOKEN_BYTES = 32
TOKEN_LIFETIME = timedelta(days=7)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


class SurveyError(ValueError):
    """A receipt cannot be printed (Indonesian message)."""


class NotAllowed(SurveyError):
    """The actor may not print a receipt for this request."""


class TokenState(StrEnum):
    """What a survey link is now."""

    OPEN = "open"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class Receipt:
    """A printed receipt: the plain token exists only here, never in the database."""

    token: str
    request: ServiceRequest
    service_type: ServiceType
    unit: Unit
    expires_at: datetime


def issue_receipt(actor: Actor, request: ServiceRequest, now: datetime | None = None) -> Receipt:
    """Issue (or re-issue) the single-use survey link of a completed request."""
    if not can_log_requests(actor, request.unit_id):
        raise NotAllowed("Hanya staf unit layanan ini yang dapat mencetak tanda terima.")
    moment = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write_tx():
        fresh = ServiceRequest.get_by_id(request.id)
        if fresh.completed_at is None:
            raise SurveyError(f"Permohonan {fresh.reference} belum selesai.")
        old = SurveyToken.get_or_none(SurveyToken.service_request_id == fresh.id)
        if old is not None and old.used_at is not None:
            raise SurveyError(f"Warga sudah mengisi survei untuk permohonan {fresh.reference}.")
        replaced = old is not None
        if old is not None:
            # Only while unused: a submission consuming it meanwhile keeps it.
            SurveyToken.delete().where(
                (SurveyToken.id == old.id) & SurveyToken.used_at.is_null()
            ).execute()
        row = SurveyToken.create(
            token_hash=token_hash(token),
            service_request_id=fresh.id,
            unit=fresh.unit_id,
            service_type_id=fresh.service_type_id,
            employee=fresh.handler_id,
            created_at=moment,
            expires_at=moment + TOKEN_LIFETIME,
        )
        audit.record(
            "service.receipt_printed",
            actor=actor.account,
            object_type="service_request",
            object_id=fresh.id,
            after={"expires_at": row.expires_at.isoformat(), "replaced": replaced},
        )
    return Receipt(
        token,
        fresh,
        ServiceType.get_by_id(fresh.service_type_id),
        Unit.get_by_id(fresh.unit_id),
        row.expires_at,
    )


def _find(token: str) -> SurveyToken | None:
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    return SurveyToken.get_or_none(SurveyToken.token_hash == token_hash(token))


def state_of(row: SurveyToken | None, now: datetime) -> TokenState:
    if row is None:
        return TokenState.UNKNOWN
    if row.used_at is not None:
        return TokenState.USED
    if now >= row.expires_at:
        return TokenState.EXPIRED
    return TokenState.OPEN


@dataclass(frozen=True)
class SurveyContext:
    """What the form shows: the state and, for an open link, the unit and jenis layanan."""

    state: TokenState
    unit_name: str = ""
    service_name: str = ""


def lookup(token: str, now: datetime | None = None) -> SurveyContext:
    """The state of a survey link and what its form shows."""
    row = _find(token)
    state = state_of(row, now or utcnow())
    if state is not TokenState.OPEN:
        return SurveyContext(state)
    unit = Unit.get_by_id(row.unit_id)
    service = ServiceType.get_or_none(ServiceType.id == row.service_type_id)
    return SurveyContext(state, unit.name, service.name if service else "")


@dataclass(frozen=True)
class PhoneAnswer:
    """A validated phone answer: the face (overall), the nine unsur and a comment."""

    face: int
    unsur: dict[Unsur, int] = field(default_factory=dict)
    comment: str = ""


def clean_answer_comment(text: str | None) -> str:
    """The kiosk's cleaning: control characters removed, trimmed."""
    return clean_comment(text or "")


def submit(token: str, answer: PhoneAnswer, now: datetime | None = None) -> TokenState:
    """Store the answer and consume the token in one transaction.

    Returns ``OPEN`` when the answer was stored; otherwise the state that refused it
    (unknown, used, expired) and nothing is stored.
    """
    moment = now or utcnow()
    row = _find(token)
    state = state_of(row, moment)
    if state is not TokenState.OPEN:
        return state
    local = to_wib(moment)
    with write_tx():
        claimed = (
            # The printing time, not the time of use: the row says only that it was used,
            # never when, so it cannot be matched to the answer by time.
            SurveyToken.update(used_at=SurveyToken.created_at)
            .where(
                (SurveyToken.id == row.id)
                & SurveyToken.used_at.is_null()
                & (SurveyToken.expires_at > moment)
            )
            .execute()
        )
        if claimed != 1:
            return state_of(SurveyToken.get_or_none(SurveyToken.id == row.id), moment)
        values = {
            "client_id": str(uuid.uuid4()),
            "kiosk": None,
            "channel": Channel.PONSEL.value,
            "unit": row.unit_id,
            "service_type_id": row.service_type_id,
            "day": local.date(),
            "hour": local.hour,
            "face": answer.face,
            "employee": row.employee_id,
            "received_at": moment,
            "comment": answer.comment,
            **{u.value.lower(): v for u, v in answer.unsur.items()},
        }
        database.execute(KioskResponse.insert(values))
    return TokenState.OPEN
