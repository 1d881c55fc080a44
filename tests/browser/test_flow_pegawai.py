"""Pegawai: the staff member's year in a real browser (issue 10).

1. A new employee logs in, must replace the initial password, lands on the home page, then
   drafts this year's SKP (RHK Utama intervening the supervisor's RHK, an indicator with
   target and unit) and submits it to the Pejabat Penilai.
2. A submitted SKP is approved by the supervisor in a second browser context; the pegawai
   then enters the realisation of the open quarter with evidence and sees the capaian.
3. The pegawai fills the self-assessment of the open quarter; once the Pejabat Penilai has
   rated and finalised (prepared through the services), the pegawai acknowledges the result.
4. A keyboard-only SKP: Tab / Shift+Tab / Enter / Space / typing only, focus always visible.
5. On a 390×844 phone (issue 21): drafting an SKP, adding an RHK and an indicator, and
   editing the indicator; the edit form is whole on screen, nothing scrolls sideways.

Every screen is checked (strict HTML, lang="id", axe serious/critical = 0, screenshot), and
each step's effect is asserted on the page and in the database.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from kinerja.clock import today_wib
from kinerja.enums import Berakhlak, Rating
from kinerja.models.account import Account
from kinerja.models.evaluation import Evaluation, SelfAssessmentRhk, SelfAssessmentValue
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from kinerja.permissions import Actor
from kinerja.services import evaluation as evaluation_service
from kinerja.services import periods as period_service
from tests.browser import flows
from tests.browser.conftest import build_world
from tests.browser.flows_pegawai import (
    add_box,
    add_indicator,
    add_rhk,
    db_read,
    focused,
    follow_task,
    press,
    swapped,
    tab_to,
)
from tests.browser.support import new_context
from tests.builders import make_account, make_employee
from tests.builders_skp import make_skp

NEW_PASSWORD = "SibolgaBaru2027"
YEAR = today_wib().year
QUARTER = (today_wib().month - 1) // 3 + 1
BOSS_RHK = "Terwujudnya pelayanan identitas penduduk yang cepat dan akurat"
PEGAWAI_RHK = "Terlaksananya pencetakan KTP-el tepat waktu"
PEER_RHK = "Terkelolanya arsip dokumen kependudukan"
QUARTER_NAMES = {1: "Triwulan I", 2: "Triwulan II", 3: "Triwulan III", 4: "Triwulan IV"}
PERIOD_NAME = f"{QUARTER_NAMES[QUARTER]} {YEAR}"


def build_pegawai_world():
    """The small world, this year's periods (the current quarter open), the supervisor's
    approved SKP, a submitted SKP of ``pegawai``, an approved SKP of ``peer`` (so opening
    the quarter gave ``peer`` an evaluation), ``papan`` who drafts by keyboard and ``ponsel``
    who drafts on a phone."""
    world = build_world()
    periods = period_service.create_year(YEAR, "TRIWULAN", skp_deadline=date(YEAR, 1, 31))
    people = world.people
    boss_skp = make_skp(
        people["supervisor"],
        year=YEAR,
        status="DISETUJUI",
        rhks=(("UTAMA", BOSS_RHK, (("Persentase KTP-el selesai", "95", "%"),)),),
    )
    world.objects["boss_rhk"] = Rhk.get(Rhk.skp == boss_skp.id)
    world.objects["pegawai_skp"] = make_skp(
        people["pegawai"],
        year=YEAR,
        status="DIAJUKAN",
        rhks=(("UTAMA", PEGAWAI_RHK, (("Jumlah KTP-el dicetak", "400", "keping"),)),),
        parent=world.objects["boss_rhk"],
    )
    world.objects["peer_skp"] = make_skp(
        people["peer"],
        year=YEAR,
        status="DISETUJUI",
        rhks=(("UTAMA", PEER_RHK, (("Berkas diarsipkan", "300", "berkas"),)),),
        parent=world.objects["boss_rhk"],
    )
    quarter = next(p for p in periods if p.number == QUARTER)
    world.objects["period"] = period_service.open_period(quarter)
    people["papan"] = make_employee(
        "Pegawai Papan Ketik", unit=world.units["seksi"], supervisor=people["supervisor"]
    )
    world.accounts["papan"] = make_account(people["papan"])
    world.passwords["papan"] = world.passwords["pegawai"]
    people["ponsel"] = make_employee(
        "Pegawai Ponsel", unit=world.units["seksi"], supervisor=people["supervisor"]
    )
    world.accounts["ponsel"] = make_account(people["ponsel"])
    world.passwords["ponsel"] = world.passwords["pegawai"]
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_pegawai_world


def _skp_of(employee) -> Skp | None:
    return db_read(lambda: Skp.get_or_none((Skp.employee == employee.id) & (Skp.year == YEAR)))


# --- 1 + 2: first login, forced password change, SKP draft and submit ------------------------


def test_new_employee_changes_password_then_drafts_and_submits_the_skp(page, checks, live_world):
    baru = live_world.people["baru"]
    flows.login(page, checks, live_world.nip("baru"), live_world.passwords["baru"], step="awal")
    expect(page).to_have_url(checks.url("/akun/kata-sandi"))
    expect(page.get_by_text("Anda masih memakai kata sandi awal")).to_be_visible()
    flows.change_password(page, checks, live_world.passwords["baru"], NEW_PASSWORD)
    expect(page).to_have_url(checks.url("/beranda"))
    expect(page.get_by_role("status")).to_contain_text("Kata sandi berhasil diganti.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang, Pegawai Baru Uji")
    account = db_read(lambda: Account.get(Account.employee == baru.id))
    assert not account.must_change_password

    # Home → "Tugas Anda" → SKP Saya: no SKP yet; start a kuantitatif draft.
    follow_task(page, checks, f"Susun SKP {YEAR}", "skp-saya")
    expect(page.get_by_text(f"Anda belum memiliki SKP untuk tahun {YEAR}.")).to_be_visible()
    page.get_by_role("radio", name="Kuantitatif").check()
    with flows.lands_on(page, checks, "skp-draf"):
        page.get_by_role("button", name=f"Mulai menyusun SKP {YEAR}").click()
    expect(page.get_by_role("status")).to_contain_text(f"SKP {YEAR} dibuat.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"SKP {YEAR}: Pegawai Baru Uji")
    skp = _skp_of(baru)
    assert (skp.status, skp.approach) == ("DRAFT", "KUANTITATIF")

    # Submitting an empty draft is refused with the reasons, announced.
    page.get_by_role("button", name="Ajukan SKP").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("SKP harus memiliki paling sedikit satu RHK Utama.")
    expect(alert).to_be_focused()
    checks.check(page, "skp-belum-lengkap")
    assert _skp_of(baru).status == "DRAFT"

    # An RHK Utama intervening the supervisor's RHK, then its indicator.
    rhk_text = "Terlayaninya perekaman KTP-el pemohon baru"
    add_rhk(page, checks, rhk_text, parent=f"Utama: {BOSS_RHK}", step="rhk-ditambahkan")
    expect(page.get_by_text(f"Intervensi RHK pimpinan: {BOSS_RHK}")).to_be_visible()
    # The new RHK takes the focus after the swap (not the page body).
    expect(page.get_by_role("listitem").filter(has_text=rhk_text)).to_be_focused()

    # A target of 0 is refused: the message is linked to the field, which gets the focus.
    box = add_box(page.get_by_role("listitem").filter(has_text=rhk_text), "Tambah indikator")
    flows.field(box, "Indikator kinerja individu").fill("Jumlah perekaman KTP-el")
    flows.field(box, "Target").fill("0")
    flows.field(box, "Satuan").fill("keping")
    box.get_by_role("button", name="Tambah indikator").click()
    target = flows.field(page, "Target")
    expect(target).to_have_attribute("aria-invalid", "true")
    expect(target).to_be_focused()
    error_id = target.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_have_text("Target harus lebih besar dari nol.")
    checks.check(page, "indikator-target-nol")
    assert db_read(lambda: Indicator.select().join(Rhk).where(Rhk.skp == skp.id).count()) == 0
    add_indicator(
        page,
        checks,
        rhk_text,
        "Jumlah perekaman KTP-el",
        "450",
        "keping",
        step="indikator-ditambahkan",
    )
    rhk = db_read(lambda: Rhk.get(Rhk.skp == skp.id))
    assert (rhk.kind, rhk.text, rhk.parent_rhk_id) == (
        "UTAMA",
        rhk_text,
        live_world.objects["boss_rhk"].id,
    )
    indicator = db_read(lambda: Indicator.get(Indicator.rhk == rhk.id))
    assert (indicator.text, indicator.target_value, indicator.target_unit) == (
        "Jumlah perekaman KTP-el",
        450,
        "keping",
    )

    # Submit: the page reloads with the status and the read-only notice.
    with flows.lands_on(page, checks, "skp-diajukan"):
        page.get_by_role("button", name="Ajukan SKP").click()
    expect(page.get_by_role("status")).to_contain_text("SKP diajukan kepada Pejabat Penilai.")
    summary = page.get_by_role("region", name="Ringkasan")
    expect(summary).to_contain_text("Diajukan")
    expect(page.get_by_text("SKP sedang menunggu persetujuan Pejabat Penilai")).to_be_visible()
    expect(page.get_by_role("button", name="Ajukan SKP")).to_have_count(0)
    submitted = _skp_of(baru)
    assert submitted.status == "DIAJUKAN"
    assert submitted.submitted_at is not None
    assert submitted.pejabat_penilai_id == live_world.people["supervisor"].id

    # SKP Saya shows the status.
    checks.visit(page, "/skp", step="skp-saya-diajukan")
    expect(page.get_by_role("region", name=f"SKP tahun {YEAR}")).to_contain_text(
        "Diajukan · versi 1 · 1 RHK, 1 indikator"
    )


# --- 3: approval by the supervisor (second context), realisation ------------------------------


def test_realisation_after_the_supervisor_approves(page, browser, checks, live_world):
    skp = live_world.objects["pegawai_skp"]
    flows.login_as(page, checks, live_world, "pegawai")
    expect(page.get_by_role("link", name=re.compile("^Isi realisasi"))).to_have_count(0)

    # The supervisor, in a browser of their own, approves from the review page.
    context = new_context(browser)
    try:
        boss = context.new_page()
        checks.watch(boss)
        flows.login_as(boss, checks, live_world, "supervisor", step="masuk-atasan")
        checks.visit(boss, f"/atasan/skp/{skp.id}", step="atasan-periksa")
        boss.get_by_role("button", name="Setujui SKP…").click()
        boss.get_by_role("button", name="Ya, setujui SKP").click()
        decision = boss.get_by_role("region", name="Keputusan")
        expect(decision.get_by_text("Disetujui", exact=True)).to_be_visible()
        checks.check(boss, "atasan-disetujui")
    finally:
        context.close()
    approved = db_read(lambda: Skp.get_by_id(skp.id))
    assert approved.status == "DISETUJUI"
    assert approved.approved_by_id == live_world.people["supervisor"].id

    # Back at home, the pegawai's task is the realisation of the open quarter.
    checks.visit(page, "/beranda", step="beranda-tugas-realisasi")
    follow_task(page, checks, f"Isi realisasi {PERIOD_NAME}", "realisasi")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Realisasi {PERIOD_NAME}")
    expect(page.get_by_role("link", name=PERIOD_NAME)).to_have_attribute("aria-current", "page")
    item = page.get_by_role("region", name=f"RHK Utama: {PEGAWAI_RHK}")
    flows.field(item, "Realisasi").fill("470")
    flows.field(item, "Tautan bukti dukung").fill("https://arsip.sibolgakota.go.id/ktp-el/tw")
    flows.field(item, "Catatan bukti dukung").fill("Register cetak KTP-el")
    item.get_by_role("button", name="Simpan realisasi").click()
    saved = page.get_by_role("status").filter(has_text="Realisasi disimpan.")
    expect(saved).to_be_visible()
    expect(saved).to_be_focused()
    checks.check(page, "realisasi-disimpan")
    facts = page.get_by_role("region", name=f"RHK Utama: {PEGAWAI_RHK}")
    expect(facts).to_contain_text("470 keping")
    expect(facts).to_contain_text("117,50 %")  # 470 / 400
    expect(facts.get_by_role("link", name=re.compile("arsip.sibolgakota"))).to_be_visible()

    period = live_world.objects["period"]
    indicator = db_read(lambda: Indicator.select().join(Rhk).where(Rhk.skp == skp.id).get())
    real = db_read(
        lambda: Realisation.get(
            (Realisation.indicator == indicator.id) & (Realisation.period == period.id)
        )
    )
    assert real.value == 470
    assert real.evidence_link == "https://arsip.sibolgakota.go.id/ktp-el/tw"
    assert real.evidence_note == "Register cetak KTP-el"
    checks.visit(page, "/beranda", step="beranda-realisasi-terisi")
    expect(page.get_by_role("link", name=f"Isi realisasi {PERIOD_NAME}")).to_have_count(0)


# --- 4: self-assessment, then acknowledgement of the final result ------------------------------


EARLY = "Pegawai dimutasi sebelum akhir triwulan."


def _rate_and_finalise(world, evaluation_id: int) -> None:
    """The Pejabat Penilai's part (covered by the supervisor flow): rate, then finalise."""

    def act():
        boss = Actor(Account.get(Account.employee == world.people["supervisor"].id))
        ev = Evaluation.get_by_id(evaluation_id)
        ev = evaluation_service.rate(
            boss,
            ev,
            Rating.DIATAS_EKSPEKTASI.value,
            "Arsip tertata melampaui target triwulan.",
            Rating.SESUAI_EKSPEKTASI.value,
            "Perilaku kerja sesuai ekspektasi.",
        )
        evaluation_service.finalise(boss, ev, early_reason=EARLY)  # the quarter is current

    db_read(act)


def test_self_assessment_then_acknowledgement(page, checks, live_world):
    peer = live_world.people["peer"]
    ev = db_read(
        lambda: Evaluation.get(
            (Evaluation.employee == peer.id) & (Evaluation.period == live_world.objects["period"])
        )
    )
    assert ev.status == "TERBUKA"
    flows.login_as(page, checks, live_world, "peer", step="masuk-rekan")
    follow_task(page, checks, f"Isi penilaian diri {PERIOD_NAME}", "penilaian-diri")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Penilaian Diri {PERIOD_NAME}")

    rhk = page.get_by_role("group", name=re.compile(re.escape(PEER_RHK)))
    rhk.get_by_role("radio", name="Di Atas Ekspektasi").check()
    rhk.get_by_role("textbox", name="Narasi").fill("Seluruh berkas triwulan ini terarsip.")
    for value in Berakhlak:
        group = page.get_by_role("group", name=value.label, exact=True)
        group.get_by_role("radio", name="Sesuai Ekspektasi").check()
    page.get_by_role("group", name="Kolaboratif", exact=True).get_by_role(
        "textbox", name="Narasi"
    ).fill("Membantu rekan di loket saat antrean panjang.")
    with flows.lands_on(page, checks, "penilaian-diri-tersimpan"):
        page.get_by_role("button", name="Simpan penilaian diri").click()
    expect(page.get_by_role("status")).to_contain_text("Penilaian diri tersimpan")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Evaluasi Kinerja {PERIOD_NAME}")
    expect(page.get_by_text("Status: Penilaian diri selesai")).to_be_visible()
    own = page.get_by_role("region", name="Penilaian diri")
    expect(own.get_by_role("row", name=re.compile(re.escape(PEER_RHK)))).to_contain_text(
        "Di Atas Ekspektasi"
    )
    expect(own.get_by_role("row", name=re.compile("Kolaboratif"))).to_contain_text(
        "Membantu rekan di loket"
    )
    stored = db_read(lambda: Evaluation.get_by_id(ev.id))
    assert stored.status == "PENILAIAN_DIRI"
    rows = db_read(
        lambda: list(SelfAssessmentRhk.select().where(SelfAssessmentRhk.evaluation == ev.id))
    )
    assert [(r.rating, r.narrative) for r in rows] == [
        ("DIATAS_EKSPEKTASI", "Seluruh berkas triwulan ini terarsip.")
    ]
    values = db_read(
        lambda: {
            v.value: v.rating
            for v in SelfAssessmentValue.select().where(SelfAssessmentValue.evaluation == ev.id)
        }
    )
    assert values == {v.value: "SESUAI_EKSPEKTASI" for v in Berakhlak}
    # The result stays hidden from the pegawai until it is final.
    expect(page.get_by_text("Hasil tampil setelah Pejabat Penilai memfinalisasi")).to_be_visible()

    _rate_and_finalise(live_world, ev.id)

    # The task "Tanggapi hasil evaluasi" leads to the result with its explanation.
    checks.visit(page, "/beranda", step="beranda-tanggapi")
    follow_task(page, checks, f"Tanggapi hasil evaluasi {PERIOD_NAME}", "hasil-final")
    result = page.get_by_role("region", name="Hasil evaluasi")
    expect(result).to_contain_text("Di Atas Ekspektasi")
    expect(result).to_contain_text("Sesuai Ekspektasi")
    expect(result).to_contain_text(
        "Hasil kerja Di Atas Ekspektasi dan perilaku kerja Sesuai Ekspektasi → Baik"
    )
    expect(result.get_by_role("cell", name=re.compile("hasil ini"))).to_have_text(
        re.compile(r"^\s*Baik\s+hasil ini\s*$")
    )
    expect(page.get_by_text("Status: Final")).to_be_visible()
    with flows.lands_on(page, checks, "hasil-diterima"):
        page.get_by_role("button", name="Saya menerima hasil evaluasi").click()
    expect(page.get_by_role("status")).to_contain_text("Anda telah menerima hasil evaluasi ini")
    expect(page.get_by_text("Status: Diterima")).to_be_visible()
    expect(page.get_by_role("region", name="Hasil evaluasi")).to_contain_text("Diterima pegawai")
    expect(page.get_by_role("button", name="Saya menerima hasil evaluasi")).to_have_count(0)
    done = db_read(lambda: Evaluation.get_by_id(ev.id))
    assert done.status == "DITERIMA"
    assert done.acknowledged_at is not None
    assert done.predikat == "BAIK"

    # The printable Dokumen Evaluasi shows the acknowledged result.
    with flows.lands_on(page, checks, "dokumen-evaluasi"):
        page.get_by_role("link", name="Dokumen Evaluasi (cetak)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DOKUMEN EVALUASI KINERJA PEGAWAI")
    expect(page.get_by_text(re.compile(r"^Diterima \d+ \w+ \d{4}$"))).to_be_visible()
    assert db_read(lambda: Period.get_by_id(live_world.objects["period"].id)).status == "DIBUKA"


# --- 5: an SKP drafted and submitted with the keyboard only ----------------------------------


def _is(tag=None, *, id=None, label=None, text=None):
    """A predicate on ``focused()``: every given property matches."""

    def match(now):
        return (
            (tag is None or now["tag"] == tag)
            and (id is None or now["id"] == id)
            and (label is None or now["label"] == label)
            and (text is None or now["text"] == text)
        )

    return match


def test_skp_by_keyboard_only(page, checks, live_world):
    papan = live_world.people["papan"]
    checks.visit(page, "/masuk", step="masuk-formulir")
    assert focused(page)["id"] == "nip"  # autofocus
    page.keyboard.type(live_world.nip("papan"))
    press(page, "Tab")
    page.keyboard.type(live_world.passwords["papan"])
    with flows.lands_on(page, checks, "beranda"):
        page.keyboard.press("Enter")
    expect(page).to_have_url(checks.url("/beranda"))

    # The skip link comes first, then the menu: "SKP Saya".
    assert press(page, "Tab")["text"] == "Langsung ke isi"
    tab_to(page, _is("A", text="SKP Saya"))
    with flows.lands_on(page, checks, "skp-saya"):
        page.keyboard.press("Enter")
    now = tab_to(page, _is("INPUT", label="Kuantitatif"))
    assert now["type"] == "radio"
    expect(page.get_by_role("radio", name="Kuantitatif")).to_be_checked()
    tab_to(page, _is("BUTTON", text=f"Mulai menyusun SKP {YEAR}"))
    with flows.lands_on(page, checks, "skp-draf"):
        page.keyboard.press("Enter")
    skp = _skp_of(papan)
    assert skp is not None and skp.status == "DRAFT"

    # "Tambah RHK Utama": open the box with Enter, type the RHK, pick the intervened RHK.
    tab_to(page, _is("SUMMARY", text="Tambah RHK Utama"))
    press(page, "Enter")
    assert press(page, "Tab")["label"] == "Rencana hasil kerja"
    rhk_text = "Terverifikasinya berkas permohonan akta kelahiran"
    page.keyboard.type(rhk_text)
    assert press(page, "Tab")["label"] == "RHK pimpinan yang diintervensi"
    page.keyboard.press("ArrowDown")
    expect(flows.field(page, "RHK pimpinan yang diintervensi").first).to_have_value(
        str(live_world.objects["boss_rhk"].id)
    )
    assert press(page, "Tab")["text"] == "Tambah"
    # Shift+Tab goes back to the choice just made, Tab returns to the button.
    assert press(page, "Shift+Tab")["label"] == "RHK pimpinan yang diintervensi"
    assert press(page, "Tab")["text"] == "Tambah"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="RHK ditambahkan.")).to_be_visible()
    rhk = db_read(lambda: Rhk.get(Rhk.skp == skp.id))
    # Focus lands on the new RHK (not the page body), ring visible.
    expect(page.locator(f"#rhk-{rhk.id}")).to_be_focused()
    now = focused(page)
    assert now["id"] == f"rhk-{rhk.id}" and now["ring"], now
    checks.check(page, "rhk-papan-ketik")

    # Its indicator: from the new RHK, past its Ubah ↑ ↓ Hapus, open "Tambah indikator"
    # with Space, fill, add with Enter.
    tab_to(page, _is("SUMMARY", text="Tambah indikator"), limit=5)
    press(page, "Space")
    assert press(page, "Tab")["label"] == "Indikator kinerja individu"
    page.keyboard.type("Berkas akta diverifikasi")
    assert press(page, "Tab")["label"] == "Aspek"
    assert press(page, "Tab")["label"] == "Arah"
    assert press(page, "Tab")["label"] == "Target"
    page.keyboard.type("120")
    assert press(page, "Tab")["label"] == "Satuan"
    page.keyboard.type("berkas")
    assert press(page, "Tab")["text"] == "Tambah indikator"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Indikator ditambahkan.")).to_be_visible()
    indicator = db_read(lambda: Indicator.get(Indicator.rhk == rhk.id))
    assert (indicator.text, indicator.target_value, indicator.target_unit) == (
        "Berkas akta diverifikasi",
        120,
        "berkas",
    )
    expect(page.locator(f"#ind-{indicator.id}-text")).to_be_focused()
    now = focused(page)
    assert now["id"] == f"ind-{indicator.id}-text" and now["ring"], now
    checks.check(page, "indikator-papan-ketik")

    # Submit with Enter on "Ajukan SKP".
    tab_to(page, _is("BUTTON", text="Ajukan SKP"))
    with flows.lands_on(page, checks, "skp-diajukan"):
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("SKP diajukan kepada Pejabat Penilai.")
    expect(page.get_by_role("region", name="Ringkasan")).to_contain_text("Diajukan")
    submitted = _skp_of(papan)
    assert submitted.status == "DIAJUKAN"
    assert submitted.submitted_at is not None


# --- 5: drafting on a phone (issue 21) ----------------------------------------------------------


def test_skp_drafted_and_indicator_edited_on_a_phone(phone_page, checks, live_world):
    """Every screen gets the phone checks (support.fits_the_phone); the indicator's edit
    form is not clipped: each of its controls lies within the screen's width."""
    page = phone_page
    flows.login_as(page, checks, live_world, "ponsel")
    follow_task(page, checks, f"Susun SKP {YEAR}", "skp-saya-ponsel")
    page.get_by_role("radio", name="Kuantitatif").check()
    with flows.lands_on(page, checks, "skp-draf-ponsel"):
        page.get_by_role("button", name=f"Mulai menyusun SKP {YEAR}").click()
    rhk_text = "Terlayaninya pemohon KTP-el di kecamatan"
    add_rhk(page, checks, rhk_text, parent=f"Utama: {BOSS_RHK}", step="rhk-ponsel")
    add_indicator(
        page, checks, rhk_text, "Jumlah pemohon dilayani", "120", "orang", step="ind-ponsel"
    )
    row = page.get_by_role("row").filter(has_text="Jumlah pemohon dilayani")
    row.get_by_role("link", name="Ubah indikator").click()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Simpan indikator"))
    target = flows.field(form, "Target")
    expect(target).to_be_visible()
    checks.check(page, "ubah-indikator-ponsel")
    width = page.evaluate("() => window.innerWidth")
    for control in form.locator("input:visible, select:visible, textarea:visible, button").all():
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
            f"edit form control clipped: {control.get_attribute('name')} at {box}"
        )
    target.fill("150")
    form.get_by_role("button", name="Simpan indikator").click()
    swapped(page, checks, "ind-diubah-ponsel", "Indikator disimpan.")
    expect(page.get_by_role("table")).to_contain_text("150 orang")
