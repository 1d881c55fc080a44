"""The kiosk device: pairing, the SKM screens, the no-JS fallback and the answer API."""

import uuid
from datetime import timedelta

from flask import current_app, jsonify, redirect, render_template, request, url_for

from kinerja.clock import utcnow
from kinerja.enums import SKM_FACE_LABELS, UNSUR_ANSWER_LABELS, UNSUR_QUESTIONS, Unsur
from kinerja.services import kiosk as kiosk_service
from kinerja.services import kiosk_answers
from kinerja.services.kiosk import KioskError
from kinerja.services.kiosk_answers import AnswerInvalid
from portal.kiosk import api, bp
from portal.kiosk.api import COOKIE, HEADER
from portal.kiosk.forms import PairForm
from portal.security import csrf, public

COOKIE_AGE = timedelta(days=400)  # the longest lifetime browsers keep a cookie


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
        "unsur": [(u, UNSUR_QUESTIONS[u], UNSUR_ANSWER_LABELS[u]) for u in Unsur],
        "face_labels": SKM_FACE_LABELS,
        "api_key": kiosk_service.api_key_for(token),
        "client_id": str(uuid.uuid4()),
        "is_open": kiosk_service.is_open(kiosk, utcnow()),
        "comment_max": kiosk_answers.COMMENT_MAX,
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
        kiosk_answers.record_answer(token, body)
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


@bp.route("/api/jawaban", methods=["POST"])
@public
@csrf.exempt
def api_answer():
    """Receive one respondent's answers as JSON from a paired kiosk (idempotent on id)."""
    # CSRF exemption, on purpose and on this view only: see portal.kiosk.api.answer.
    status, document = api.answer(
        request.mimetype,
        request.content_length,
        device_token(),
        request.headers.get(HEADER, ""),
        lambda: request.get_data(cache=True),
    )
    response = jsonify(document)
    response.status_code = status
    return _no_store(response)
