"""The counter's receipt with its QR code and the citizen's SKM form on the phone
(issue 22 part 2)."""

import re
from datetime import timedelta

import pytest

from kinerja.clock import pinned_at
from kinerja.enums import UNSUR_ANSWER_LABELS, Unsur
from kinerja.models.kiosk import KioskResponse, SurveyToken
from kinerja.permissions import Actor
from kinerja.services import layanan_log, survey
from tests.builders_service import make_request, make_service_type, wib
from tests.html import check_page, find_all, parse

FULL = {"face": "4", "comment": "  Petugas\x07 ramah.  ", **{u.value.lower(): "3" for u in Unsur}}


@pytest.fixture
def done(world):
    ktp = make_service_type(world.units["bidang"], "Penerbitan KTP-el", value=1)
    row = make_request(ktp, wib(2026, 11, 26, 8), reference="KTP-0042")
    return layanan_log.complete_request(Actor(world.accounts["pegawai"]), row)


def _link(world, request) -> str:
    token = survey.issue_receipt(Actor(world.accounts["pegawai"]), request).token
    return f"/survei/{token}"


def test_completing_at_the_counter_offers_a_receipt(world, login_as):
    ktp = make_service_type(world.units["bidang"], "Penerbitan KTP-el", value=1)
    row = make_request(ktp, wib(2026, 11, 26, 8), reference="KTP-0043")
    client = login_as(world.people["pegawai"])
    response = client.post(f"/loket/permohonan/{row.id}/selesai", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"/loket/permohonan/{row.id}/tanda-terima" in page
    assert "Cetak tanda terima dengan kode QR" in page


def test_receipt_page_has_a_server_side_qr_and_the_visible_link(world, done, login_as):
    client = login_as(world.people["pegawai"])
    response = client.post(f"/loket/permohonan/{done.id}/tanda-terima")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    check_page(page)
    assert "KTP-0042" in page and "Penerbitan KTP-el" in page
    assert '<svg role="img"' in page and 'class="qr"' in page
    assert "style=" not in page and "<script" not in page
    [link] = re.findall(r'id="survey-link" href="([^"]+)"', page)
    assert re.fullmatch(r"http://localhost/survei/[A-Za-z0-9_-]{43}", link)
    token = link.rsplit("/", 1)[1]
    assert SurveyToken.get().token_hash == survey.token_hash(token)


def test_receipt_refused_for_another_units_staff(world, done, login_as):
    client = login_as(world.people["kadis"])
    assert client.post(f"/loket/permohonan/{done.id}/tanda-terima").status_code == 403
    assert SurveyToken.select().count() == 0


def test_form_without_login_shows_every_unsur_with_its_labels(client, world, done):
    response = client.get(_link(world, done))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = response.get_data(as_text=True)
    check_page(page)
    assert "Penerbitan KTP-el" in page and "<script" not in page
    for unsur in Unsur:
        assert unsur.label in page
        for label in UNSUR_ANSWER_LABELS[unsur]:
            assert label in page
    assert len(find_all(parse(page), "fieldset")) == 10


def test_answer_then_thanks_and_the_link_is_used_up(client, world, done):
    link = _link(world, done)
    response = client.post(link, data=FULL)
    assert response.status_code == 303 and response.location.endswith("/survei/terima-kasih")
    assert "Terima kasih" in client.get(response.location).get_data(as_text=True)
    row = KioskResponse.get()
    assert (row.channel, row.face, row.u5, row.comment) == ("ponsel", 4, 3, "Petugas ramah.")
    again = client.post(link, data=FULL)
    assert again.status_code == 410
    assert client.get(link).status_code == 410
    assert KioskResponse.select().count() == 1


def test_missing_answers_are_named_and_nothing_is_stored(client, world, done):
    link = _link(world, done)
    response = client.post(link, data={"face": "4", "u1": "9"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Pilih salah satu jawaban." in page and "Jawaban belum terkirim" in page
    assert KioskResponse.select().count() == 0
    assert client.post(link, data=FULL).status_code == 303  # the link still works


def test_comment_longer_than_the_kiosks_is_refused(client, world, done):
    response = client.post(_link(world, done), data=FULL | {"comment": "x" * 281})
    assert response.status_code == 422
    assert "Komentar paling banyak 280 karakter." in response.get_data(as_text=True)


def test_unknown_used_and_expired_links_show_the_same_page(client, world, done):
    unknown = client.get("/survei/" + "B" * 43)
    other = client.get("/survei/tidak-ada")
    link = _link(world, done)
    issued = SurveyToken.get().created_at
    with pinned_at(issued + timedelta(days=7, minutes=1, hours=7)):
        expired = client.get(link)
        expired_post = client.post(link, data=FULL)
    assert (unknown.status_code, other.status_code) == (404, 404)
    assert (expired.status_code, expired_post.status_code) == (410, 410)
    bodies = {r.get_data(as_text=True) for r in (unknown, other, expired, expired_post)}
    assert len(bodies) == 1  # never says whether a link existed
    assert "Tautan survei tidak berlaku" in bodies.pop()
    assert KioskResponse.select().count() == 0


def test_a_large_body_is_refused_before_it_is_read(client, world, done):
    response = client.post(_link(world, done), data=FULL | {"comment": "x" * 20_000})
    assert response.status_code == 413
    assert KioskResponse.select().count() == 0


def test_form_needs_its_csrf_token(csrf_app, world, done):
    client = csrf_app.test_client()
    link = _link(world, done)
    assert client.post(link, data=FULL).status_code == 400
    page = client.get(link).get_data(as_text=True)
    [token] = re.findall(r'name="csrf_token" value="([^"]+)"', page)
    assert client.post(link, data=FULL | {"csrf_token": token}).status_code == 303
    assert KioskResponse.select().count() == 1
