"""The kiosk device: pairing, the SKM screens, the no-JS fallback and the answer API."""

import uuid
from datetime import timedelta

from flask import current_app, jsonify, redirect, render_template, request, url_for

from kinerja.clock import utcnow
from kinerja.enums import UNSUR_ANSWER_LABELS, Unsur
from kinerja.services import kiosk as kiosk_service
from kinerja.services.kiosk import AnswerInvalid, KioskError, Outcome
from portal.kiosk import bp
from portal.kiosk.forms import PairForm
from portal.security import csrf, public

COOKIE = "kios_perangkat"
HEADER = "X-Kiosk-Key"
COOKIE_AGE = timedelta(days=400)  # the longest lifetime browsers keep a cookie
MAX_BODY = 4096

FACE_LABELS = ("Sangat tidak puas", "Tidak puas", "Puas", "Sangat puas")

QUESTIONS = {
    Unsur.U1: "Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    Unsur.U2: "Bagaimana kemudahan prosedur pelayanan di unit ini?",
    Unsur.U3: "Bagaimana kecepatan waktu dalam memberikan pelayanan?",
    Unsur.U4: "Bagaimana kewajaran biaya/tarif dalam pelayanan?",
    Unsur.U5: "Bagaimana kesesuaian hasil pelayanan dengan standar pelayanan?",
    Unsur.U6: "Bagaimana kompetensi/kemampuan petugas dalam pelayanan?",
    Unsur.U7: "Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
    Unsur.U8: "Bagaimana kualitas sarana dan prasarana?",
    Unsur.U9: "Bagaimana penanganan pengaduan pengguna layanan?",
}

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


def device_token() -> str | None:
    """The device token from the kiosk cookie."""
    return request.cookies.get(COOKIE)


def set_device_cookie(response, token: str) -> None:
    """The long-lived device cookie: HttpOnly, SameSite=Strict, only under /kios."""
    secure = current_app.config.get(
        "KIOSK_COOKIE_SECURE", current_app.config.get("SESSION_COOKIE_SECURE", False)
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(COOKIE_AGE.total_seconds()),
        path=url_for("kiosk.index"),
        httponly=True,
        secure=bool(secure),
        samesite="Strict",
    )


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/pasang", methods=["GET", "POST"])
@public
def pair():
    """Pair this device with a one-time code from the admin (sets the device cookie)."""
    form = PairForm()
    error = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                kiosk, token = kiosk_service.pair_device(
                    form.code.data, client=request.remote_addr or "-"
                )
            except KioskError as exc:
                error = str(exc)
                status = 429 if exc.args[0] == kiosk_service.MSG_PAIR_THROTTLED else 422
            else:
                response = redirect(url_for("kiosk.index"), code=303)
                set_device_cookie(response, token)
                return _no_store(response)
        else:
            status = 422
    return _no_store(
        current_app.make_response(
            (render_template("kiosk/pair.html", form=form, error=error), status)
        )
    )


def _screen_context(kiosk, token: str) -> dict:
    from kinerja import org

    unit = kiosk.unit
    opd = org.opd_of(unit)
    names = kiosk_service.service_names(kiosk.services)
    return {
        "kiosk": kiosk,
        "unit": unit,
        "opd": opd if opd.id != unit.id else None,
        "services": [(i, names.get(i, f"Layanan {i}")) for i in kiosk.services],
        "unsur": [(u, QUESTIONS[u], UNSUR_ANSWER_LABELS[u]) for u in Unsur],
        "face_labels": FACE_LABELS,
        "api_key": kiosk_service.api_key_for(token),
        "client_id": str(uuid.uuid4()),
        "is_open": kiosk_service.is_open(kiosk, utcnow()),
        "comment_max": kiosk_service.COMMENT_MAX,
    }


@bp.route("/", methods=["GET", "POST"])
@public
def index():
    """The kiosk screens (GET); the no-JavaScript quick rating of screen 1 (POST)."""
    token = device_token()
    kiosk = kiosk_service.kiosk_for_token(token)
    if kiosk is None or not kiosk.is_active:
        if request.method == "POST":
            return redirect(url_for("kiosk.index"), code=303)
        page = render_template("kiosk/unpaired.html", revoked=kiosk is not None)
        return _no_store(current_app.make_response((page, 200)))
    if request.method == "POST":
        return _fallback_answer(token)
    return _no_store(
        current_app.make_response(
            render_template("kiosk/kiosk.html", **_screen_context(kiosk, token))
        )
    )


def _fallback_answer(token: str):
    try:
        face = int(request.form.get("face", ""))
    except ValueError:
        face = None
    body = {"id": (request.form.get("client_id") or "")[:40], "face": face}
    try:
        kiosk_service.record_answer(token, body)
    except AnswerInvalid:
        page = render_template(
            "kiosk/message.html",
            title="Jawaban tidak valid",
            message="Pilih salah satu dari empat wajah.",
        )
        return current_app.make_response((page, 400))
    return redirect(url_for("kiosk.thanks"), code=303)


@bp.route("/terima-kasih")
@public
def thanks():
    """Thank-you screen of the no-JavaScript fallback (returns to the start by itself)."""
    return _no_store(current_app.make_response(render_template("kiosk/thanks.html")))


def _json(outcome: Outcome | str, status: int, message: str = "", **extra):
    response = jsonify({"code": str(outcome), "message": message, **extra})
    response.status_code = status
    return _no_store(response)


@bp.route("/api/jawaban", methods=["POST"])
@public
@csrf.exempt
def api_answer():
    """Receive one respondent's answers as JSON from a paired kiosk (idempotent on id)."""
    # CSRF exemption, on purpose and on this view only: the caller is a kiosk device, not
    # a logged-in person. It is authenticated by its device-token cookie, which is
    # SameSite=Strict (never sent by a cross-site request), AND by the per-device header
    # X-Kiosk-Key, which only our own kiosk page (same origin) knows and which a cross-site
    # form cannot set. A JSON content type also forces a CORS preflight from elsewhere.
    if request.mimetype != "application/json":
        return _json(Outcome.INVALID, 415, "Data jawaban harus berupa JSON.")
    length = request.content_length
    if length is None or length > MAX_BODY:
        return _json(Outcome.INVALID, 413, "Data jawaban terlalu besar.")
    token = device_token()
    if not token or not kiosk_service.check_api_key(token, request.headers.get(HEADER, "")):
        # The key is derived from the token: only now is it worth asking whether the token
        # belongs to a kiosk at all (401) or the page sent the wrong key (403).
        if kiosk_service.kiosk_for_token(token) is None:
            return _json(Outcome.UNPAIRED, 401, kiosk_service.MSG_UNPAIRED)
        return _json(Outcome.UNPAIRED, 403, "Kunci perangkat pada permintaan tidak cocok.")
    payload = request.get_json(silent=True)
    if payload is None:
        return _json(Outcome.INVALID, 400, "JSON tidak dapat dibaca.")
    try:
        result = kiosk_service.record_answer(token, payload)
    except AnswerInvalid as exc:
        return _json(Outcome.INVALID, 400, " ".join(exc.errors), errors=exc.errors)
    return _json(result.outcome, STATUS[result.outcome], result.message)
