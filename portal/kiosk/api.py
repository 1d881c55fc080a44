"""The kiosk answer API, as one function of the request's raw parts.

Both the Flask view (``kiosk.api_answer``) and the WSGI fast path
(:class:`portal.kiosk.api.AnswerFastPath`) call :func:`answer`, so they cannot disagree:
the fast path only saves Flask's request machinery on the portal's busiest write (every
respondent at every counter in the city).
"""

import json

from peewee import DatabaseError
from werkzeug.http import parse_cookie

from kinerja.db import database
from kinerja.services import kiosk as kiosk_service
from kinerja.services.kiosk import AnswerInvalid, Outcome
from portal.security import HSTS, SECURITY_HEADERS

PATH = "/kios/api/jawaban"
COOKIE = "kios_perangkat"
HEADER = "X-Kiosk-Key"
MAX_BODY = 4096

STATUS = {
    Outcome.STORED: 201,
    Outcome.UPDATED: 200,
    Outcome.DUPLICATE: 200,
    Outcome.IGNORED_INTERVAL: 202,
    Outcome.CLOSED: 409,
    Outcome.RATE_LIMITED: 429,
    Outcome.UNPAIRED: 401,
    Outcome.REVOKED: 403,
}
REASONS = {
    200: "200 OK",
    201: "201 CREATED",
    202: "202 ACCEPTED",
    400: "400 BAD REQUEST",
    401: "401 UNAUTHORIZED",
    403: "403 FORBIDDEN",
    409: "409 CONFLICT",
    413: "413 REQUEST ENTITY TOO LARGE",
    415: "415 UNSUPPORTED MEDIA TYPE",
    429: "429 TOO MANY REQUESTS",
    500: "500 INTERNAL SERVER ERROR",
}


def _doc(outcome, message: str = "", **extra) -> dict:
    return {"code": str(outcome), "message": message, **extra}


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
    if not token or not kiosk_service.check_api_key(token, key):
        # The key is derived from the token: only now is it worth asking whether the token
        # belongs to a kiosk at all (401) or the page sent the wrong key (403).
        if kiosk_service.kiosk_for_token(token) is None:
            return 401, _doc(Outcome.UNPAIRED, kiosk_service.MSG_UNPAIRED)
        return 403, _doc(Outcome.UNPAIRED, "Kunci perangkat pada permintaan tidak cocok.")
    try:
        payload = json.loads(body())
    except (ValueError, RecursionError):
        payload = None
    if payload is None:
        return 400, _doc(Outcome.INVALID, "JSON tidak dapat dibaca.")
    try:
        result = kiosk_service.record_answer(token, payload)
    except AnswerInvalid as exc:
        return 400, _doc(Outcome.INVALID, " ".join(exc.errors), errors=exc.errors)
    return STATUS[result.outcome], _doc(result.outcome, result.message)


def encode(document: dict) -> bytes:
    """The JSON body, as Flask's ``jsonify`` writes it (sorted keys, compact)."""
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode()


class AnswerFastPath:
    """WSGI middleware: kiosk answers go straight to :func:`answer`, skipping Flask.

    The response carries what the Flask view's response carries: the JSON document,
    ``Cache-Control: no-store`` and the portal's security headers. Anything that is not a
    POST to the API path goes on to the wrapped application.
    """

    def __init__(self, app, wsgi_app):
        self.wsgi_app = wsgi_app
        self.hsts = bool(app.config.get("HSTS"))

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.wsgi_app(environ, start_response)
        mimetype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        raw_length = environ.get("CONTENT_LENGTH", "")
        length = int(raw_length) if raw_length.isdigit() else None
        token = parse_cookie(environ).get(COOKIE)
        key = environ.get("HTTP_X_KIOSK_KEY", "")
        stream = environ["wsgi.input"]
        database.connect(reuse_if_open=True)
        try:
            status, document = answer(mimetype, length, token, key, lambda: stream.read(length))
        except DatabaseError:
            status = 500
            document = _doc(
                Outcome.INVALID, "Terjadi kesalahan pada server. Kios akan mengirim ulang."
            )
        finally:
            database.close()
        body = encode(document)
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *SECURITY_HEADERS,
        ]
        if self.hsts or environ.get("wsgi.url_scheme") == "https":
            headers.append(HSTS)
        start_response(REASONS[status], headers)
        return [body]
