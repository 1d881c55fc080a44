"""Admin BKPSDM in a real browser: import a roster, open a period, pair a kiosk, publish.

Issue 10, the admin audience. Each test is one task from docs/admin.md, driven through the
console like a person would (nav links, labels, buttons) and independent of the others (the
module's tests may run in any order on the same live server):

1. a roster XLSX with one invalid row is checked, the row error is shown in Indonesian and
   nothing is stored; the fixed file passes, is imported, and its people are in the list;
2. a new performance year is created and its first quarter opened;
3. a kiosk is registered, given opening hours, and paired from a second browser (the
   kiosk device); the console then shows it paired;
4. a period with kiosk answers and service requests is published, and an anonymous visitor
   sees it on the public overview.
"""

import re
from contextlib import contextmanager
from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from kinerja.clock import today_wib
from kinerja.db import database
from kinerja.enums import PeriodStatus
from kinerja.imports.roster_parse import TEMPLATE_HEADER
from kinerja.models.kiosk import WEEKDAYS, Kiosk
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.models.public import PublicSnapshot, PublicUnitFigure
from kinerja.nip import make_nip
from tests.browser import flows
from tests.browser.conftest import build_world
from tests.browser.support import new_context
from tests.builders_public import add_answers, add_requests, make_service_type, noon
from tests.builders_skp import make_year

PUBLISHED_YEAR = 2026  # seeded, Triwulan IV opened: the publish flow
ANSWERS = 12  # kiosk answers at Disdukcapil in the published quarter (n >= 10 is shown)
ROSTER_HEADER = list(TEMPLATE_HEADER)
KEPALA = make_nip(date(1975, 4, 12), 2000, 3, "L", 11)
ANALIS = make_nip(date(1990, 8, 3), 2015, 2, "P", 12)
PENGELOLA = make_nip(date(1993, 1, 25), 2019, 3, "L", 13)


@pytest.fixture(scope="module")
def world_builder():
    def build():
        world = build_world()
        opd = world.units["opd"]
        (quarter,) = [p for p in make_year(PUBLISHED_YEAR, open_numbers=(4,)) if p.number == 4]
        for day in (date(PUBLISHED_YEAR, 10, 6), date(PUBLISHED_YEAR, 11, 3)):
            add_answers(opd, day, ANSWERS // 2)
        ktp = make_service_type(opd, "Penerbitan KTP-el")
        add_requests(ktp, noon(date(PUBLISHED_YEAR, 10, 7)), 12, hours=3)
        world.objects["quarter"] = quarter
        return world

    return build


@contextmanager
def _db():
    """The module's database, for asserting what the live server stored."""
    database.connect(reuse_if_open=True)
    try:
        yield
    finally:
        database.close()


@pytest.fixture(scope="module")
def admin_session(browser, live_server, live_world):
    """The admin's signed-in browser state (cookies), for the tests that start in the console.

    The login screens themselves are checked once, in the roster test (and in
    test_auth_flows.py); the other tests open the console with this session.
    """
    context = new_context(browser)
    try:
        login = context.new_page()
        login.goto(live_server + "/masuk")
        flows.field(login, "NIP / NI PPPK").fill(live_world.nip("admin"))
        flows.field(login, "Kata sandi").fill(live_world.passwords["admin"])
        login.get_by_role("button", name="Masuk").click()
        login.wait_for_url(live_server + "/beranda")
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def admin_page(browser, checks, admin_session):
    """A desktop page in a fresh context, signed in as the admin."""
    context = new_context(browser, storage_state=admin_session)
    tab = context.new_page()
    checks.watch(tab)
    yield tab
    context.close()


def _open_console(page) -> None:
    """The console dashboard is shown."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Konsol Admin BKPSDM")


def _console_section(page, checks, section: str, step: str) -> None:
    """From any console page, follow ``section`` in the console menu."""
    with flows.lands_on(page, checks, step):
        page.get_by_role("navigation", name="Menu konsol admin").get_by_role(
            "link", name=section, exact=True
        ).click()


def _console(page, checks, section: str, step: str) -> None:
    """Open the console (already signed in as the admin), then ``section``."""
    checks.visit(page, "/admin", step="konsol-admin")
    _open_console(page)
    _console_section(page, checks, section, step)


def _roster_xlsx(path, rows) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Pegawai"
    sheet.append(ROSTER_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def _roster_rows(golongan_pengelola: str) -> list[list[str]]:
    # Every NIP a string: a text cell, as docs/admin.md asks (a number loses digits).
    return [
        [KEPALA, "Rahmat Situmorang", "", "S.Sos", "Kepala Seksi Pendaftaran", "Pengawas", "",
         "III/d", "PNS", "DUKCAPIL.PDP.ID", "", "ya"],
        [ANALIS, "Maria Hutagalung", "", "S.Kom", "Analis Data Kependudukan", "Fungsional", "",
         "III/b", "PNS", "DUKCAPIL.PDP.ID", KEPALA, "ya"],
        [PENGELOLA, "Yusuf Pasaribu", "", "", "Pengelola Data", "Pelaksana", "",
         golongan_pengelola, "PNS", "DUKCAPIL.PDP.ID", KEPALA, "ya"],
    ]  # fmt: skip


def _upload(page, checks, path, step: str) -> None:
    flows.field(page, "Berkas daftar pegawai (CSV atau XLSX)").set_input_files(path)
    with flows.lands_on(page, checks, step):
        page.get_by_role("button", name="Periksa berkas").click()


def test_admin_imports_a_roster_after_fixing_the_invalid_row(page, checks, live_world, tmp_path):
    # The whole way in once: login, home, "Admin" in the main menu, the console menu.
    flows.login_as(page, checks, live_world, "admin")
    with flows.lands_on(page, checks, "konsol-admin"):
        page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Admin").click()
    _open_console(page)
    _console_section(page, checks, "Impor Pegawai", "impor-pegawai")
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor daftar pegawai")

    # A file whose third person has a golongan that does not exist: checked, nothing kept.
    broken = tmp_path / "pegawai-seksi-identitas.xlsx"
    _roster_xlsx(broken, _roster_rows(golongan_pengelola="V/z"))
    _upload(page, checks, broken, "impor-pemeriksaan-gagal")
    expect(page.get_by_role("heading", name="Status: Ada kesalahan")).to_be_visible()
    problems = page.get_by_role("alert").filter(has_text="tidak ada yang disimpan")
    expect(problems).to_contain_text("1 kesalahan — tidak ada yang disimpan")
    expect(problems.get_by_role("listitem")).to_have_text(
        ["Baris 4: golongan 'V/z' tidak berlaku untuk PNS (I/a–IV/e)."]
    )
    expect(page.get_by_role("button", name="Impor", exact=False)).to_have_count(0)
    with _db():
        assert not Employee.select().where(Employee.nip.in_([KEPALA, ANALIS, PENGELOLA])).exists()

    # The fixed file passes the check; nothing is stored until "Impor" is pressed.
    with flows.lands_on(page, checks, "impor-kembali"):
        page.get_by_role("link", name="Impor pegawai", exact=True).click()
    fixed = tmp_path / "pegawai-seksi-identitas-perbaikan.xlsx"
    _roster_xlsx(fixed, _roster_rows(golongan_pengelola="II/c"))
    _upload(page, checks, fixed, "impor-siap")
    expect(
        page.get_by_role("heading", name="Status: Lolos pemeriksaan, siap diimpor")
    ).to_be_visible()
    expect(page.get_by_text("3 baris: 3 baru, 0 berubah, 0 tetap, 0 kesalahan.")).to_be_visible()
    with _db():
        assert not Employee.select().where(Employee.nip == KEPALA).exists()

    with flows.lands_on(page, checks, "impor-selesai"):
        page.get_by_role("button", name="Impor 3 baris").click()
    expect(page.get_by_role("heading", name="Status: Selesai diimpor")).to_be_visible()
    expect(page.get_by_text("Impor selesai.")).to_be_visible()

    # The console's employee list finds them, with their unit; the database has the chain.
    _console_section(page, checks, "Pegawai", "pegawai")
    flows.field(page, "Nama atau NIP").fill("Hutagalung")
    with flows.lands_on(page, checks, "pegawai-cari"):
        page.get_by_role("button", name="Cari").click()
    row = page.get_by_role("row").filter(has_text="Maria Hutagalung")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Analis Data Kependudukan")
    expect(row).to_contain_text("III/b")
    expect(row).to_contain_text("Aktif")
    with _db():
        people = {e.nip: e for e in Employee.select().where(
            Employee.nip.in_([KEPALA, ANALIS, PENGELOLA])
        )}  # fmt: skip
        assert set(people) == {KEPALA, ANALIS, PENGELOLA}
        assert people[ANALIS].supervisor_id == people[KEPALA].id
        assert people[PENGELOLA].supervisor_id == people[KEPALA].id
        assert people[PENGELOLA].golongan == "II/c"
        assert people[ANALIS].unit.code == "DUKCAPIL.PDP.ID"


def test_admin_creates_a_year_and_opens_a_quarter_that_has_begun(admin_page, checks, live_world):
    new_year = today_wib().year + 1  # a year that has not begun, on any date
    _console(admin_page, checks, "Periode", "periode")
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Tahun dan periode kinerja")

    flows.field(admin_page, "Tahun").fill(str(new_year))
    flows.field(admin_page, "Periode evaluasi").select_option(label="Triwulanan")
    with flows.lands_on(admin_page, checks, "periode-tahun-dibuat"):
        admin_page.get_by_role("button", name="Buat tahun").click()
    expect(admin_page.get_by_role("status")).to_contain_text(
        f"Tahun {new_year} dan periodenya dibuat."
    )
    year = admin_page.get_by_role("region", name=f"Tahun {new_year}")
    expect(year.get_by_role("row")).to_have_count(6)  # header, annual, four quarters
    quarter = year.get_by_role("row").filter(has_text=f"Triwulan I {new_year}")
    expect(quarter).to_contain_text("Direncanakan")

    # A future quarter cannot be opened early: its confirmation page says from when.
    with flows.lands_on(admin_page, checks, "periode-belum-dapat-dibuka"):
        quarter.get_by_role("link", name=re.compile(f"^Buka Triwulan I {new_year}\\b")).click()
    expect(admin_page.get_by_role("alert")).to_contain_text(f"1 Januari {new_year}")
    expect(admin_page.get_by_role("button", name=re.compile("^Ya, buka"))).to_have_count(0)
    with flows.lands_on(admin_page, checks, "periode-kembali"):
        admin_page.get_by_role("link", name="Kembali ke daftar periode").click()

    # A quarter that has begun opens after a confirmation that says what opening does.
    started = admin_page.get_by_role("region", name=f"Tahun {PUBLISHED_YEAR}")
    quarter = started.get_by_role("row").filter(has_text=f"Triwulan III {PUBLISHED_YEAR}")
    expect(quarter).to_contain_text("Direncanakan")
    with flows.lands_on(admin_page, checks, "periode-konfirmasi-buka"):
        quarter.get_by_role(
            "link", name=re.compile(f"^Buka Triwulan III {PUBLISHED_YEAR}\\b")
        ).click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(
        f"Buka Triwulan III {PUBLISHED_YEAR}?"
    )
    expect(admin_page.get_by_role("main")).to_contain_text("tidak dapat dibatalkan")
    admin_page.get_by_label(re.compile("^Saya memahami")).check()
    with flows.lands_on(admin_page, checks, "periode-dibuka"):
        admin_page.get_by_role("button", name=f"Ya, buka Triwulan III {PUBLISHED_YEAR}").click()
    expect(admin_page.get_by_role("status")).to_contain_text(
        f"Triwulan III {PUBLISHED_YEAR} dibuka; pengaturan yang berlaku dibekukan."
    )
    quarter = (
        admin_page.get_by_role("region", name=f"Tahun {PUBLISHED_YEAR}")
        .get_by_role("row")
        .filter(has_text=f"Triwulan III {PUBLISHED_YEAR}")
    )
    expect(quarter).to_contain_text("Dibuka")
    expect(quarter.get_by_role("link", name=f"Tutup Triwulan III {PUBLISHED_YEAR}")).to_be_visible()
    others = year.get_by_role("row").filter(has_text=f"Triwulan II {new_year}")
    expect(others).to_contain_text("Direncanakan")
    with _db():
        opened = Period.get(
            Period.year == PUBLISHED_YEAR, Period.number == 3, Period.kind == "TRIWULAN"
        )
        assert opened.status == PeriodStatus.DIBUKA
        assert opened.opened_at is not None
        assert opened.frozen_settings  # the settings in force are frozen into the period


def test_admin_registers_a_kiosk_and_the_device_pairs_it(admin_page, checks, live_world, browser):
    _console(admin_page, checks, "Kios SKM", "kios-daftar")
    with flows.lands_on(admin_page, checks, "kios-baru"):
        admin_page.get_by_role("link", name="Daftarkan kios baru").click()
    flows.field(admin_page, "Unit layanan").select_option(
        label="Dinas Kependudukan dan Pencatatan Sipil"
    )
    flows.field(admin_page, "Nama kios").fill("Kios Ruang Tunggu")
    flows.field(admin_page, "Loket (tidak wajib)").fill("Loket 2")
    with flows.lands_on(admin_page, checks, "kios-kode-pemasangan"):
        admin_page.get_by_role("button", name="Daftarkan dan buat kode pemasangan").click()
    expect(admin_page.get_by_role("heading", level=1)).to_contain_text("Kios terdaftar")
    code = admin_page.locator("#pairing-code").inner_text().strip()
    assert code, "the pairing code is shown once"

    # Opening hours every day (WIB), so the kiosk shows the survey at any hour of the test.
    with flows.lands_on(admin_page, checks, "kios-atur"):
        admin_page.get_by_role("link", name="Atur jenis layanan dan jam layanan").click()
    expect(admin_page.get_by_text("Menunggu pemasangan")).to_be_visible()
    for day in WEEKDAYS:
        flows.field(admin_page, f"{day}: buka").fill("00:00")
        flows.field(admin_page, f"{day}: tutup").fill("23:59")
    with flows.lands_on(admin_page, checks, "kios-jam-disimpan"):
        admin_page.get_by_role("button", name="Simpan jam layanan").click()
    expect(admin_page.get_by_role("status")).to_contain_text("Jam layanan kios disimpan.")

    # The tablet at the counter: a browser of its own, no login, the code typed in.
    device = new_context(browser)
    try:
        tablet = device.new_page()
        checks.watch(tablet)
        checks.visit(tablet, "/kios/pasang", step="perangkat-pasang")
        flows.field(tablet, "Kode pemasangan").fill(code)
        with flows.lands_on(tablet, checks, "perangkat-layar-1"):
            tablet.get_by_role("button", name="Pasang").click()
        expect(tablet).to_have_url(checks.url("/kios/"))
        expect(tablet.locator("#kiosk")).to_have_attribute("data-screen", "start")
        expect(tablet.get_by_role("heading", name="Bagaimana pelayanan")).to_be_visible()
    finally:
        device.close()

    # Back at the console, the kiosk's page (reloaded) and the list show it paired.
    with flows.lands_on(admin_page, checks, "kios-terpasang"):
        admin_page.reload()
    expect(admin_page.get_by_text("Terpasang", exact=False)).to_be_visible()
    with flows.lands_on(admin_page, checks, "kios-daftar-terpasang"):
        admin_page.get_by_role("link", name="Kembali ke daftar kios").click()
    row = admin_page.get_by_role("row").filter(has_text="Kios Ruang Tunggu")
    expect(row).to_contain_text("Terpasang")
    expect(row).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    with _db():
        kiosk = Kiosk.get(Kiosk.name == "Kios Ruang Tunggu")
        assert kiosk.token_hash and kiosk.paired_at is not None
        assert kiosk.counter == "Loket 2"
        assert kiosk.unit_id == live_world.units["opd"].id


def test_admin_publishes_a_period_and_the_public_sees_it(admin_page, checks, live_world, browser):
    quarter = live_world.objects["quarter"]
    _console(admin_page, checks, "Data Publik", "publikasi")
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Penerbitan data publik")
    expect(admin_page.get_by_text("Belum ada cuplikan yang diterbitkan.")).to_be_visible()

    flows.field(admin_page, "Periode").select_option(label=quarter.name)
    with flows.lands_on(admin_page, checks, "publikasi-terbit"):
        admin_page.get_by_role("button", name="Terbitkan data publik").click()
    expect(admin_page.get_by_role("status")).to_contain_text(
        f"Data publik {quarter.name} diterbitkan:"
    )
    published = admin_page.get_by_role("region", name="Cuplikan yang diterbitkan")
    expect(published.get_by_role("row").filter(has_text=quarter.name)).to_have_count(1)
    with _db():
        snapshot = PublicSnapshot.get(PublicSnapshot.period == quarter.id)
        figure = PublicUnitFigure.get(
            PublicUnitFigure.snapshot == snapshot.id, PublicUnitFigure.code == "DUKCAPIL"
        )
        assert figure.ikm_n == ANSWERS

    # A citizen (no cookies, no login) opens the public overview linked from the console.
    citizen = new_context(browser)
    try:
        public = citizen.new_page()
        checks.watch(public)
        checks.visit(public, "/publik", step="publik-ringkasan")
        expect(public.get_by_role("heading", level=1)).to_be_visible()
        expect(public.get_by_text(quarter.name).first).to_be_visible()
        units = public.get_by_role("region", name="Unit layanan publik", exact=True)
        row = units.get_by_role("row").filter(has_text="Disdukcapil")
        expect(row).to_contain_text(str(ANSWERS))
        expect(row).to_contain_text("83,33")  # every answer (4,3,3,4,3,3,4,3,3): mutu B
        expect(row).to_contain_text("Baik")
        with flows.lands_on(public, checks, "publik-unit"):
            row.get_by_role("link", name="Disdukcapil").click()
        expect(public.get_by_role("heading", level=1)).to_have_text(
            "Dinas Kependudukan dan Pencatatan Sipil"
        )
        expect(public.get_by_text(quarter.name).first).to_be_visible()
    finally:
        citizen.close()
