"""Kiosk pages: pairing, the device cookie, the screens and the JSON answer API."""

import json
import uuid
from datetime import timedelta

import pytest

from kinerja.db import database
from kinerja.models.kiosk import KioskResponse
from kinerja.services import kiosk as ks
from kinerja.services import kiosk_answers
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


# --- admin and staff pages -----------------------------------------------------------------


def test_admin_registers_and_sees_the_code_once(client, login_as, world):
    from tests.html import parse

    login_as(world.accounts["admin"])
    assert client.get("/admin/kios/baru").status_code == 200
    bad = client.post("/admin/kios/baru", data={"unit_id": "0", "name": ""})
    assert bad.status_code == 422
    response = client.post(
        "/admin/kios/baru",
        data={
            "unit_id": str(world.units["seksi"].id),
            "name": "Kios Loket 1",
            "counter": "Loket 1",
        },
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    tree = check_page(response.get_data(as_text=True))
    code = "".join(find_all(tree, "p", id="pairing-code")[0].itertext()).strip()
    kiosk, token = ks.pair_device(code, client="t")
    listing = client.get("/admin/kios").get_data(as_text=True)
    check_page(listing)
    assert "Kios Loket 1" in listing and code not in listing
    edit = client.get(f"/admin/kios/{kiosk.id}").get_data(as_text=True)
    check_page(edit)
    assert code not in edit
    parse(edit)


def test_admin_sets_hours_and_revokes(client, login_as, world):
    kiosk, _ = make_kiosk(world)
    login_as(world.accounts["admin"])
    data = {f"start_{i}": "" for i in range(7)} | {f"end_{i}": "" for i in range(7)}
    data.update(start_0="08:00", end_0="12:00")
    assert client.post(f"/admin/kios/{kiosk.id}/jam", data=data).status_code == 303
    assert ks.kiosk_for_token(_)  # still paired
    from kinerja.models.kiosk import Kiosk

    assert Kiosk.get_by_id(kiosk.id).hours == {0: ("08:00", "12:00")}
    data.update(start_1="13:00", end_1="09:00")
    assert client.post(f"/admin/kios/{kiosk.id}/jam", data=data).status_code == 422
    code = client.post(f"/admin/kios/{kiosk.id}/kode")
    assert code.status_code == 200 and "pairing-code" in code.get_data(as_text=True)
    confirm = client.get(f"/admin/kios/{kiosk.id}/cabut")  # issue 21: what will happen
    text = " ".join(check_page(confirm.get_data(as_text=True)).itertext())
    assert "Ya, cabut kios ini" in text and "tidak dapat dipasangkan lagi" in text
    assert "Jawaban tersimpan" in text
    assert client.post(f"/admin/kios/{kiosk.id}/cabut").status_code == 200  # asks first
    assert Kiosk.get_by_id(kiosk.id).status == "ACTIVE"
    assert client.post(f"/admin/kios/{kiosk.id}/cabut", data={"confirm": "1"}).status_code == 303
    assert Kiosk.get_by_id(kiosk.id).status == "REVOKED"
    page = client.get(f"/admin/kios/{kiosk.id}")
    check_page(page.get_data(as_text=True))


def test_auditor_reads_but_does_not_write(client, login_as, world):
    kiosk, _ = make_kiosk(world)
    login_as(world.accounts["auditor"])
    assert client.get("/admin/kios").status_code == 200
    assert client.get(f"/admin/kios/{kiosk.id}").status_code == 200
    assert client.post(f"/admin/kios/{kiosk.id}/cabut").status_code == 403


def test_duty_sign_in_attributes_answers_and_figures_follow(app, world):
    kiosk, token = make_kiosk(world)
    pegawai = app.test_client()
    with pegawai.session_transaction() as s:
        acc = world.accounts["pegawai"]
        s["_user_id"] = f"{acc.id}.{acc.session_nonce}"
    page = pegawai.get("/jaga-loket")
    check_page(page.get_data(as_text=True))
    assert "Kios Uji" in page.get_data(as_text=True)
    signed = pegawai.post("/jaga-loket", data={"action": "masuk", "kiosk_id": str(kiosk.id)})
    assert signed.status_code == 303
    assert pegawai.post("/jaga-loket", data={"action": "lompat"}).status_code == 400
    device = app.test_client()
    headers = _device(device, token)
    body = payload(4, unsur={f"U{i}": 4 for i in range(1, 10)})
    assert _post(device, body, headers).status_code == 201
    assert KioskResponse.get().employee_id == world.people["pegawai"].id
    mine = pegawai.get("/kios-saya")
    tree = check_page(mine.get_data(as_text=True))
    figures = [
        t.strip() for t in ["".join(p.itertext()) for p in find_all(tree, "p", class_="big-figure")]
    ]
    # Issue 19: the officer sees nothing of the month in progress (nor of a day range).
    assert figures == []
    assert "setelah bulan berakhir" in mine.get_data(as_text=True)
    assert pegawai.post("/jaga-loket", data={"action": "keluar"}).status_code == 303
    assert pegawai.get("/kios-saya?tahun=2026-13").status_code == 422
    assert pegawai.get("/kios-saya?tahun=1990").status_code == 422
    assert pegawai.get("/kios-saya?tahun=2025").status_code == 200
    today = pegawai.get("/kios-saya?dari=2026-11-26&sampai=2026-11-26")
    assert today.status_code == 200 and "big-figure" not in today.get_data(as_text=True)


def test_supervisor_sees_unit_and_subordinate_figures_peer_does_not(client, login_as, world):
    make_kiosk(world)
    login_as(world.accounts["supervisor"])
    pegawai_id = world.people["pegawai"].id
    for url in (
        "/kios-unit",
        f"/kios-unit/{world.units['seksi'].id}",
        f"/pegawai/{pegawai_id}/kios",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        check_page(response.get_data(as_text=True))
    assert client.get(f"/kios-unit/{world.units['bkpsdm'].id}").status_code == 403
    login_as(world.accounts["peer"])
    assert client.get(f"/pegawai/{pegawai_id}/kios").status_code == 403
    assert client.get(f"/kios-unit/{world.units['seksi'].id}").status_code == 403


def test_supervisor_rosters_a_counter(client, login_as, world):
    kiosk, _ = make_kiosk(world)
    login_as(world.accounts["supervisor"])
    page = client.get(f"/jaga-loket/{kiosk.id}/jadwal")
    check_page(page.get_data(as_text=True))
    data = {
        "employee_id": str(world.people["pegawai"].id),
        "day": "2030-06-03",
        "start": "08:00",
        "end": "12:00",
    }
    assert client.post(f"/jaga-loket/{kiosk.id}/jadwal", data=data).status_code == 303
    overlap = client.post(f"/jaga-loket/{kiosk.id}/jadwal", data=data)
    assert overlap.status_code == 422 and "bertumpuk" in overlap.get_data(as_text=True)
    bad = client.post(f"/jaga-loket/{kiosk.id}/jadwal", data={**data, "start": "25:00"})
    assert bad.status_code == 422
    from kinerja.models.kiosk import CounterDuty

    duty = CounterDuty.get()
    assert duty.start.hour == 1  # 08:00 WIB
    removed = client.post(f"/jaga-loket/{kiosk.id}/jadwal", data={"duty_id": str(duty.id)})
    assert removed.status_code == 303 and CounterDuty.select().count() == 0


def test_api_answers_every_error_in_json(client, world):
    """Wrong methods, odd headers and bodies: a 4xx JSON document, never HTML or a 500."""
    _, token = make_kiosk(world)
    headers = _device(client, token)
    for method in ("get", "put", "delete"):
        response = getattr(client, method)(API)
        assert response.status_code == 405 and response.is_json, method
    for key in ("kunci-é", "ключ", "a\tb"):
        response = _post(client, payload(3), {HEADER: key})
        assert 400 <= response.status_code < 500 and response.is_json, key
    client.set_cookie(COOKIE, "kuki-é", path="/kios")
    response = _post(client, payload(3), headers)
    assert 400 <= response.status_code < 500 and response.is_json
    client.set_cookie(COOKIE, token, path="/kios")
    for body in (b"\xff\xfe", b"{}", b'{"id": 1}', b"[" * 3000 + b"]" * 3000, b"NaN"):
        response = _post(client, body, headers)
        assert 400 <= response.status_code < 500 and response.is_json, body[:10]
    assert KioskResponse.select().count() == 0


def test_api_refuses_a_different_answer_under_a_stored_id(client, world):
    """The first answer stands: the same answers again succeed, different ones get 409."""
    _, token = make_kiosk(world)
    headers = _device(client, token)
    body = payload(3, unsur={"U1": 2})
    assert _post(client, body, headers).status_code == 201
    again = _post(client, body, headers)
    assert again.status_code == 200 and again.json["code"] == "duplicate"
    changed = _post(client, {**body, "face": 1}, headers)
    assert changed.status_code == 409 and changed.json["code"] == "conflict"
    assert "sudah dipakai" in changed.json["message"]
    row = KioskResponse.get()
    assert (row.face, row.u1, KioskResponse.select().count()) == (3, 2, 1)


@pytest.mark.parametrize("suffix", ["\n", " ", "\t", "\u00a0"])
def test_api_client_ids_are_strict(client, world, suffix):
    _, token = make_kiosk(world)
    headers = _device(client, token)
    body = payload(3)
    assert _post(client, body, headers).status_code == 201
    odd = _post(client, {**body, "id": body["id"] + suffix}, headers)
    assert odd.status_code == 400 and odd.json["code"] == "invalid"
    assert KioskResponse.select().count() == 1


def test_api_keeps_the_answers_when_the_service_was_removed(client, world):
    """An admin edited the kiosk's services: the answers count, the service is unknown."""
    kiosk, token = make_kiosk(world)
    headers = _device(client, token)
    body = payload(3)
    assert _post(client, body, headers).status_code == 201
    body.update(service_type_id=12345, unsur={"U1": 4}, comment="Ramah.")
    done = _post(client, body, headers)
    assert done.status_code == 200 and done.json["code"] == "updated"
    assert "tanpa jenis layanan" in done.json["message"]
    row = KioskResponse.get()
    assert (row.service_type_id, row.u1, row.comment) == (None, 4, "Ramah.")
    fresh = _post(client, payload(2, service_type_id=12345), headers)
    assert fresh.status_code in (201, 202)
    assert _post(client, body, headers).json["code"] == "duplicate"


def test_the_answer_api_has_no_fast_path(app):
    """The Flask view is the only way to the answer API."""
    from portal import kiosk

    assert not hasattr(kiosk.api, "AnswerFastPath")
    assert "AnswerFastPath" not in type(app.wsgi_app).__name__


def test_a_back_dated_backlog_over_the_minute_cap_is_busy_and_kept_by_the_page(app, world):
    # Issue 19: "busy" (429) is not final for the page's queue; "before_pairing" is.
    from pathlib import Path

    from kinerja.clock import utcnow

    _, token = make_kiosk(world)
    device = app.test_client()
    headers = _device(device, token)
    start = utcnow() - timedelta(days=1)
    busy = None
    for i in range(3 * kiosk_answers.BACKLOG_PER_MINUTE):  # the clock runs: at most two new minutes
        response = _post(device, payload(at=start + timedelta(seconds=5 * i)), headers)
        if response.get_json()["code"] == "busy":
            busy = response
            break
    assert busy is not None and busy.status_code == 429
    script = Path(app.root_path).parent.joinpath("static/js/kiosk.js").read_text()
    final = script.split("var FINAL = {", 1)[1].split("}", 1)[0]
    assert "busy" not in final and "before_pairing: 1" in final


def test_a_colleague_taking_over_the_counter_is_told_on_the_next_page(client, login_as, world):
    # Issue 19 (Low): the one signed in learns it at once on the home page and duty page.
    kiosk, _ = make_kiosk(world)
    login_as(world.accounts["pegawai"])
    assert (
        client.post("/jaga-loket", data={"action": "masuk", "kiosk_id": str(kiosk.id)}).status_code
        == 303
    )
    login_as(world.accounts["peer"])
    assert (
        client.post("/jaga-loket", data={"action": "masuk", "kiosk_id": str(kiosk.id)}).status_code
        == 303
    )
    login_as(world.accounts["pegawai"])
    notice = "Tugas loket Anda di Kios Uji (Loket 1) diambil alih oleh Rekan Uji"
    assert notice in client.get("/beranda").get_data(as_text=True)
    duty = client.get("/jaga-loket").get_data(as_text=True)
    check_page(duty)
    assert notice in duty
    assert client.post("/jaga-loket", data={"action": "baca"}).status_code == 303
    assert notice not in client.get("/jaga-loket").get_data(as_text=True)
    assert notice not in client.get("/beranda").get_data(as_text=True)
