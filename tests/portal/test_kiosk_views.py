"""Kiosk pages: pairing, the device cookie, the screens and the JSON answer API."""

import json
import uuid

import pytest

from kinerja.db import database
from kinerja.models.kiosk import KioskResponse
from kinerja.services import kiosk as ks
from portal.kiosk.views import COOKIE, HEADER
from tests.builders_kiosk import admin_actor, make_kiosk, payload
from tests.html import check_page, find_all

API = "/kios/api/jawaban"


def _device(client, token):
    client.set_cookie(COOKIE, token, path="/kios")
    return {HEADER: ks.api_key_for(token)}


def _post(client, body, headers, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(API, data=data, headers=headers, content_type=content_type)


def test_pairing_flow_sets_a_strict_httponly_cookie(app, client, world):
    admin = admin_actor(world)
    kiosk, code = ks.register_kiosk(admin, world.units["seksi"].id, "Kios Loket 1", "Loket 1")
    page = client.get("/kios/pasang")
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    response = client.post("/kios/pasang", data={"code": ks.format_code(code)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/kios/")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/kios" in cookie
    assert "Max-Age=" in cookie and "Secure" not in cookie
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    assert ks.kiosk_for_token(token).id == kiosk.id
    screen = client.get("/kios/")
    html = screen.get_data(as_text=True)
    assert screen.status_code == 200
    tree = check_page(html)
    faces = find_all(tree, "button", class_="face")
    assert len(faces) == 4 + 9 * 4
    assert "Seksi Identitas Penduduk" in html
    assert ks.api_key_for(token) in html and token not in html
    assert find_all(tree, "span", id="kiosk-queue-count")


def test_cookie_is_secure_when_configured(app, client, world):
    app.config["KIOSK_COOKIE_SECURE"] = True
    _, code = ks.register_kiosk(admin_actor(world), world.units["seksi"].id, "Kios")
    response = client.post("/kios/pasang", data={"code": code})
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("code", ["", "SALAH123", "x" * 30])
def test_wrong_codes_are_refused(client, world, code):
    response = client.post("/kios/pasang", data={"code": code})
    assert response.status_code == 422
    assert "Set-Cookie" not in response.headers or COOKIE not in response.headers["Set-Cookie"]


def test_pairing_page_keeps_csrf(csrf_app):
    client = csrf_app.test_client()
    assert client.post("/kios/pasang", data={"code": "ABCDEFGH"}).status_code == 400


def test_unpaired_device_sees_how_to_pair(client, world):
    response = client.get("/kios/")
    assert response.status_code == 200
    assert "belum dipasangkan" in response.get_data(as_text=True)


def test_api_stores_once_and_completes_the_same_row(client, world):
    _, token = make_kiosk(world)
    headers = _device(client, token)
    body = payload(3)
    first = _post(client, body, headers)
    assert first.status_code == 201 and first.json["code"] == "stored"
    again = _post(client, body, headers)
    assert again.status_code == 200 and again.json["code"] == "duplicate"
    body["unsur"] = {f"U{i}": 4 for i in range(1, 10)}
    body["comment"] = "Cepat dan ramah."
    done = _post(client, body, headers)
    assert done.json["code"] == "updated"
    assert KioskResponse.select().count() == 1
    assert KioskResponse.get().u9 == 4


def test_api_ignores_a_second_respondent_within_the_interval(client, world):
    _, token = make_kiosk(world)
    headers = _device(client, token)
    assert _post(client, payload(4), headers).json["code"] == "stored"
    second = _post(client, payload(1), headers)
    assert second.status_code == 202 and second.json["code"] == "ignored_interval"
    assert KioskResponse.select().count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"id": "bukan-uuid", "face": 3},
        {"id": str(uuid.uuid4()), "face": 9},
        {"id": str(uuid.uuid4()), "face": 3, "unsur": {"U10": 2}},
        {"id": str(uuid.uuid4()), "face": 3, "comment": "x" * 300},
        {"id": str(uuid.uuid4()), "face": 3, "ip": "10.0.0.1"},
        "[1, 2",
        "null",
        "[]",
    ],
)
def test_api_invalid_values_get_400(client, world, body):
    _, token = make_kiosk(world)
    response = _post(client, body, _device(client, token))
    assert response.status_code == 400
    assert response.json["code"] == "invalid"
    assert KioskResponse.select().count() == 0


def test_api_checks_content_type_and_size(client, world):
    _, token = make_kiosk(world)
    headers = _device(client, token)
    form = client.post(API, data={"face": "3"}, headers=headers)
    assert form.status_code == 415
    big = _post(client, payload(3, comment="x" * 5000), headers)
    assert big.status_code == 413


def test_api_refuses_forged_and_missing_credentials(client, world):
    _, token = make_kiosk(world)
    body = payload(3)
    assert _post(client, body, {}).status_code == 401  # no cookie
    client.set_cookie(COOKIE, "palsu" + token[5:], path="/kios")
    forged = _post(client, body, {HEADER: ks.api_key_for(token)})
    assert forged.status_code == 401 and forged.json["code"] == "unpaired"
    client.set_cookie(COOKIE, token, path="/kios")
    assert _post(client, body, {}).status_code == 403  # header missing
    assert _post(client, body, {HEADER: ks.api_key_for("lain")}).status_code == 403
    assert KioskResponse.select().count() == 0


def test_revoked_kiosk_gets_403_at_its_next_request(client, world):
    kiosk, token = make_kiosk(world)
    headers = _device(client, token)
    assert _post(client, payload(3), headers).status_code == 201
    ks.revoke(admin_actor(world), kiosk.id)
    response = _post(client, payload(3), headers)
    assert response.status_code == 403 and response.json["code"] == "revoked"
    assert "dicabut" in client.get("/kios/").get_data(as_text=True)


def test_closed_kiosk_says_so(client, world):
    _, token = make_kiosk(world, hours={})
    response = _post(client, payload(3), _device(client, token))
    assert response.status_code == 409 and response.json["code"] == "closed"


def test_api_is_csrf_exempt_but_forms_are_not(csrf_app, world):
    _, token = make_kiosk(world)
    client = csrf_app.test_client()
    response = _post(client, payload(3), _device(client, token))
    assert response.status_code == 201
    assert client.post("/kios/", data={"face": "3"}).status_code == 400  # no CSRF token


def test_no_javascript_fallback_posts_screen_one(client, world):
    _, token = make_kiosk(world)
    _device(client, token)
    html = client.get("/kios/").get_data(as_text=True)
    tree = check_page(html)
    client_id = find_all(tree, "input", name="client_id")[0].get("value")
    response = client.post("/kios/", data={"face": "2", "client_id": client_id})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/kios/terima-kasih"
    )
    assert KioskResponse.get().face == 2
    again = client.post("/kios/", data={"face": "2", "client_id": client_id})
    assert again.status_code == 303 and KioskResponse.select().count() == 1
    thanks = client.get("/kios/terima-kasih")
    assert 'http-equiv="refresh"' in thanks.get_data(as_text=True)
    assert client.post("/kios/", data={"face": "7", "client_id": client_id}).status_code == 400


def test_kiosk_layout_is_its_own(client, world):
    _, token = make_kiosk(world)
    _device(client, token)
    html = client.get("/kios/").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "site-header" not in html and "main-nav" not in html
    assert "js/kiosk.js" in html and "css/kiosk.css" in html


def test_answer_table_has_no_address_like_column(app):
    columns = {c.name.lower() for c in database.get_columns(KioskResponse._meta.table_name)}
    for bad in ("ip", "addr", "address", "remote", "agent", "user_agent", "host", "device"):
        assert not any(bad in c for c in columns), columns
    assert "received_at" in columns and "day" in columns and "hour" in columns
