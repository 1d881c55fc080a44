"""Issue 23 in a real browser: the guide and the pulse of trust.

1. On a 390×844 phone, a pegawai sees the first-login welcome and dismisses it by opening the
   guide; opens the pulse survey from its home card, follows the form's "?" link
   ("Bantuan: survei denyut kepercayaan") to the guide's section, comes back and answers the
   survey; the task is gone and a second visit says it was answered. The database holds one
   participation row and answer rows without identity.
2. The Kepala Seksi (head of the seksi) opens the results from the home page: the seksi's
   figures of the closed quarter (6 answers), with the decimal comma, and the trend; the
   Dinas (only 2 of its own) shows nothing.
3. The admin reads the same results on a phone (tables scroll in their own named box).
Every screen is checked (HTML, axe, phone fit on the phone).
"""

import pytest
from playwright.sync_api import expect

from kinerja.enums import PeriodStatus, PulseQuestion
from kinerja.models.pulse import PulseAnswer, PulseParticipation
from tests.browser import flows
from tests.browser.conftest import build_world
from tests.builders_pulse import make_pulse_period, store_answers


def build_pulse_world():
    """The small world; last quarter closed with 6 answers in the seksi (3 × 4 and 3 × 5)
    and 2 in the Dinas; this quarter open."""
    world = build_world()
    closed = make_pulse_period(1, status=PeriodStatus.DITUTUP, days_ago=150)
    store_answers(closed, world.units["seksi"], 3, score=4)
    store_answers(closed, world.units["seksi"], 3, score=5, comment="Atasan mau mendengar.")
    store_answers(closed, world.units["opd"], 2, score=1, comment="Komentar kecil")
    world.objects["closed"] = closed
    world.objects["open"] = make_pulse_period(2, days_ago=20)
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_pulse_world


def test_pegawai_reads_the_guide_and_answers_the_pulse_on_a_phone(phone_page, checks, live_world):
    page = phone_page
    flows.login_as(page, checks, live_world, "pegawai")
    welcome = page.get_by_role("region", name="Selamat datang di Kinerja Sibolga")
    expect(welcome).to_be_visible()
    with flows.lands_on(page, checks, "panduan-dari-sambutan"):
        welcome.get_by_role("button", name="Baca panduan").click()
    expect(page.get_by_role("heading", name="Panduan Pegawai", level=1)).to_be_visible()

    checks.visit(page, "/beranda", step="beranda-tanpa-sambutan")
    expect(page.get_by_role("region", name="Selamat datang di Kinerja Sibolga")).to_have_count(0)
    with flows.lands_on(page, checks, "survei-denyut"):
        page.get_by_role("link", name="Isi survei denyut kepercayaan").click()

    with flows.lands_on(page, checks, "panduan-survei-denyut"):
        page.get_by_role("link", name="Bantuan: survei denyut kepercayaan").click()
    assert page.url.endswith("/panduan#survei-denyut")
    section = page.get_by_role("heading", name="Survei denyut kepercayaan", level=2)
    expect(section).to_be_in_viewport()

    with flows.lands_on(page, checks, "survei-denyut-kembali"):
        page.go_back()
    for i, question in enumerate(PulseQuestion):
        group = page.get_by_role("group", name=f"{i + 1}. {question.label}")
        group.get_by_label("4 · Setuju" if i else "2 · Tidak setuju").check()
    flows.field(page, "Komentar atau saran (opsional)").fill("Target triwulan ini jelas.")
    with flows.lands_on(page, checks, "survei-denyut-terkirim"):
        page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("status")).to_contain_text("tersimpan tanpa nama Anda")
    survey_link = page.get_by_role("link", name="Isi survei denyut kepercayaan")
    expect(survey_link).to_have_count(0)

    checks.visit(page, "/survei-denyut", step="survei-denyut-sudah")
    expect(page.get_by_text("Anda sudah mengisi survei denyut kepercayaan")).to_be_visible()

    period = live_world.objects["open"]
    assert PulseParticipation.select().where(PulseParticipation.period == period.id).count() == 1
    rows = list(PulseAnswer.select().where(PulseAnswer.period == period.id))
    assert len(rows) == len(PulseQuestion)
    assert {r.unit_id for r in rows} == {live_world.units["seksi"].id}


def test_head_sees_the_results_of_the_closed_quarter(page, checks, live_world):
    flows.login_as(page, checks, live_world, "supervisor")
    with flows.lands_on(page, checks, "hasil-survei-denyut"):
        page.get_by_role("link", name="Hasil survei denyut kepercayaan").click()
    seksi = page.get_by_role("region", name="Seksi Identitas Penduduk", exact=False)
    expect(seksi).to_contain_text("n = 6")
    expect(seksi.get_by_role("table").first).to_contain_text("4,50")
    expect(seksi).to_contain_text("Atasan mau mendengar.")
    expect(page.get_by_text("Komentar kecil")).to_have_count(0)
    expect(page.get_by_role("heading", name="Tren per periode")).to_be_visible()


def test_admin_reads_the_results_on_a_phone(phone_page, checks, live_world):
    flows.login_as(phone_page, checks, live_world, "admin")
    checks.visit(phone_page, "/survei-denyut/hasil", step="hasil-survei-denyut-ponsel")
    expect(
        phone_page.get_by_role("heading", name="Seksi Identitas Penduduk", level=3)
    ).to_be_visible()
    expect(phone_page.get_by_text("Komentar kecil")).to_have_count(0)
