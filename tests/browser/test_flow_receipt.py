"""A citizen's SKM from a printed receipt (issue 22 part 2), on a 390×844 phone.

The counter officer completes a request at the loket and prints its receipt; the test reads
the survey link shown under the QR code, opens it in a fresh phone context (no login, no
cookie), answers the face, the nine unsur and a comment, and lands on the thank-you page.
The link is then used up: opening it again shows the "tidak berlaku" page (410).
"""

import pytest
from playwright.sync_api import expect

from kinerja.db import database
from kinerja.enums import UNSUR_ANSWER_LABELS, Unsur
from kinerja.models.kiosk import KioskResponse
from tests.browser import flows
from tests.browser.conftest import build_world
from tests.browser.support import PHONE, new_context
from tests.builders_service import make_request, make_service_type, wib

REFERENCE = "KTP-UJI-7"


def build_receipt_world():
    """The small world plus an open KTP-el request at the seksi (the pegawai's counter)."""
    world = build_world()
    ktp = make_service_type(world.units["seksi"], "Penerbitan KTP-el", value=1)
    make_request(ktp, wib(2026, 11, 26, 8), reference=REFERENCE)
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_receipt_world


def test_receipt_qr_link_to_thank_you_on_a_phone(browser, page, checks, live_world):
    flows.login_as(page, checks, live_world, "pegawai")
    checks.visit(page, "/loket", step="loket")
    page.get_by_role("button", name=f"Selesai {REFERENCE}").click()
    offer = page.get_by_role("button", name="Cetak tanda terima dengan kode QR")
    expect(offer).to_be_visible()
    checks.check(page, "selesai-dengan-tawaran-tanda-terima")
    with flows.lands_on(page, checks, "tanda-terima", status=200):
        offer.click()
    expect(page.get_by_role("img", name="Kode QR tautan survei kepuasan")).to_be_visible()
    link = page.locator("#survey-link").get_attribute("href")
    assert link and "/survei/" in link

    context = new_context(browser, PHONE)
    phone = context.new_page()
    checks.watch(phone)
    try:
        response = phone.goto(link)
        assert response.status == 200
        checks.check(phone, "survei-formulir")
        expect(phone.get_by_text("Penerbitan KTP-el")).to_be_visible()
        phone.get_by_role("group", name="Bagaimana pelayanan").get_by_label(
            "4 · Sangat puas"
        ).check()
        for unsur in Unsur:
            best = UNSUR_ANSWER_LABELS[unsur][3]
            group = phone.get_by_role("group", name=f"{unsur.value}. {unsur.label}")
            group.get_by_label(f"4 · {best}", exact=True).check()
        phone.get_by_label("Saran atau komentar (tidak wajib)").fill("Cepat dan ramah.")
        with flows.lands_on(phone, checks, "survei-terima-kasih", status=200):
            phone.get_by_role("button", name="Kirim penilaian").click()
        expect(phone.get_by_role("heading", name="Terima kasih")).to_be_visible()
        response = phone.goto(link)
        assert response.status == 410
        checks.check(phone, "survei-tautan-terpakai", status=410)
        expect(phone.get_by_role("heading", name="Tautan survei tidak berlaku")).to_be_visible()
    finally:
        context.close()
    database.connect(reuse_if_open=True)
    try:
        rows = list(KioskResponse.select())
    finally:
        database.close()
    assert [(r.channel, r.face, r.u7, r.comment) for r in rows] == [
        ("ponsel", 4, 4, "Cepat dan ramah.")
    ]
