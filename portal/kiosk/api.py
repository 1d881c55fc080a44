"""The kiosk answer API, as one function of the request's raw parts (called by the Flask
view ``kiosk.api_answer``): every outcome and every refusal is a JSON document."""

import json

from kinerja.services import kiosk as kiosk_service
from kinerja.services import kiosk_answers
from kinerja.services.kiosk_answers import AnswerInvalid, Outcome

PATH = "/kios/api/jawaban"
COOKIE = "kios_perangkat"
HEADER = "X-Kiosk-Key"
MAX_BODY = 4096

STATUS = {
    Outcome.STORED: 201,
    Outcome.UPDATED: 200,
    Outcome.DUPLICATE: 200,
    Outcome.IGNORED_INTERVAL: 202,
    Outcome.CONFLICT: 409,
    Outcome.CLOSED: 409,
    Outcome.RATE_LIMITED: 429,
    Outcome.BUSY: 429,
    Outcome.BEFORE_PAIRING: 409,
    Outcome.UNPAIRED: 401,
    Outcome.REVOKED: 403,
}


def _doc(outcome, message: str = "", **extra) -> dict:
    return {"code": str(outcome), "message": message, **extra}


def _printable_ascii(value: str | None) -> bool:
    return value is None or all(" " < ch < "\x7f" for ch in value)


def answer(mimetype: str, length: int | None, token: str | None, key: str, body) -> tuple:
    """(HTTP status, JSON document) for one POSTed answer; ``body()`` reads the raw body.

    CSRF does not apply, on purpose: the caller is a kiosk device, not a logged-in person.
    It is authenticated by its device-token cookie, which is SameSite=Strict (never sent by
    a cross-site request), AND by the per-device header X-Kiosk-Key, which only our own
    kiosk page (same origin) knows and which a cross-site form cannot set. A JSON content
    type also forces a CORS preflight from elsewhere.
    """
    if mimetype != "application/json":
        return 415, _doc(Outcome.INVALID, "Data jawaban harus berupa JSON.")
    if length is None or length > MAX_BODY:
        return 413, _doc(Outcome.INVALID, "Data jawaban terlalu besar.")
    if not (_printable_ascii(token) and _printable_ascii(key)):
        return 400, _doc(Outcome.INVALID, "Kunci atau cookie perangkat tidak valid.")
    if not token or not kiosk_service.check_api_key(token, key):
        # The key is derived from the token: only now is it worth asking whether the token
        # belongs to a kiosk at all (401) or the page sent the wrong key (403).
        if kiosk_service.kiosk_for_token(token) is None:
            return 401, _doc(Outcome.UNPAIRED, kiosk_answers.MSG_UNPAIRED)
        return 403, _doc(Outcome.UNPAIRED, "Kunci perangkat pada permintaan tidak cocok.")
    try:
        payload = json.loads(body())
    except (ValueError, RecursionError):
        payload = None
    if payload is None:
        return 400, _doc(Outcome.INVALID, "JSON tidak dapat dibaca.")
    try:
        result = kiosk_answers.record_answer(token, payload)
    except AnswerInvalid as exc:
        return 400, _doc(Outcome.INVALID, " ".join(exc.errors), errors=exc.errors)
    return STATUS[result.outcome], _doc(result.outcome, result.message)
