"""Citizen: the public transparency pages (/publik) in a real browser, phone and desktop.

Issue 10: an anonymous visitor opens the city overview (from the login page), reads a
unit's IKM, mutu, respondents and on-time share there, opens the unit by its link, reads
its IKM and unsur, then (through the page's contents links) its service-standard compliance
and predikat distribution, follows "Cara menghitung" to the method page and the menu to the
open-data page, and downloads each page's CSV and JSON twins. The walk runs on desktop
(plus sorting the overview by IKM) and on a 390×844 phone (plus the period switcher; on
every screen: no sideways scrolling, menu reachable, tables scroll inside their box).
Privacy: a unit with too few answers shows "data ditahan (n < 10)" instead of figures, and
no employee name or NIP (nor a kiosk comment) appears on any public page, JSON or CSV.
Keyboard: the overview and a unit page are used with Tab and Enter, focus always visible.

Data: the Sibolga demo (it publishes a snapshot of every ended quarter of its data window),
plus one public-service unit with only four kiosk answers, published again in the latest
published quarter.
"""

import re

import pytest
from playwright.sync_api import expect

from kinerja.models.kiosk import KioskResponse
from kinerja.models.org import Employee
from kinerja.models.public import PublicSnapshot
from kinerja.services.publish import publish
from tests.browser import flows_citizen as citizen
from tests.browser.conftest import seed_demo
from tests.builders import make_unit
from tests.builders_public import add_answers

UNIT = "DINKES.PKM-AEKHABIL"  # Puskesmas Aek Habil: a demo unit with every figure
QUIET = "LAYANAN-UJI-SEPI"
QUIET_NAME = "UPTD Layanan Uji Sepi"
QUIET_SHORT = "Layanan Uji Sepi"
QUIET_ANSWERS = 4


def build_public_world():
    """The demo, plus a public-service unit with four answers; the latest published quarter
    republished."""
    world = seed_demo()
    quiet = make_unit(QUIET_NAME, code=QUIET, serves_public=True, short_name=QUIET_SHORT)
    period = PublicSnapshot.select().order_by(PublicSnapshot.period_start.desc()).first().period
    add_answers(quiet, period.start, QUIET_ANSWERS)
    publish(period, actor_label="uji peramban")
    world.units["quiet"] = quiet
    # What must never appear on a public page: every employee's name and NIP, and the
    # citizens' kiosk comments.
    world.objects["people"] = {e.name: e.nip for e in Employee.select(Employee.name, Employee.nip)}
    world.objects["comments"] = sorted(
        {
            r.comment
            for r in KioskResponse.select(KioskResponse.comment).where(KioskResponse.comment != "")
        }
    )
    world.objects["snapshots"] = PublicSnapshot.select().count()
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_public_world


def _people(world) -> dict:
    return world.objects["people"]


def _unit_row(page, link_name: str):
    """The overview's row of the unit whose name links to its page."""
    table = page.get_by_role("table", name=re.compile("^IKM, mutu, jumlah responden"))
    return table.get_by_role("row").filter(has=page.get_by_role("link", name=link_name, exact=True))


def _section(page, name: str):
    """A section of the page by its heading (its table's scroll box has its own name)."""
    return page.get_by_role("region", name=name, exact=True)


def _row(page, container, header: str):
    """The row of a table in ``container`` whose row header reads exactly ``header``."""
    return container.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=header, exact=True)
    )


def _overview(page, checks, people: dict, *, phone: bool) -> dict:
    """Read the overview now shown: the unit's row and the OPD process table, as the JSON."""
    expect(page.get_by_role("heading", level=1)).to_have_text(citizen.OVERVIEW_TITLE)
    overview = citizen.page_json(page, checks, "/publik.json")
    latest = overview["periode_tersedia"][0]
    assert latest["dipilih"] and overview["asal"]["periode"] == latest["nama"]
    expect(page.locator(".lead")).to_contain_text(latest["nama"])
    # The unit's IKM, mutu, respondents, on-time share and 12-month trend.
    shown = next(u for u in overview["unit"] if u["kode"] == UNIT)
    assert shown["ikm"]["status"] == "OK" and shown["layanan"]["status"] == "OK", shown
    cells = _unit_row(page, shown["nama_singkat"]).get_by_role("cell")
    expect(cells.nth(0)).to_have_text(citizen.angka(shown["ikm"]["nilai"]))
    expect(cells.nth(1)).to_have_text(
        f"{shown['ikm']['mutu']['kode']} {shown['ikm']['mutu']['label']}"
    )
    expect(cells.nth(2)).to_have_text(citizen.bilangan(shown["ikm"]["n"]))
    sample = shown["sampel"]
    verdict = "Ya, n ≥ S" if sample["tercapai"] else "Belum, n < S"
    expect(cells.nth(3)).to_have_text(f"{verdict} S = {citizen.bilangan(sample['sampel_minimal'])}")
    expect(cells.nth(4)).to_contain_text(citizen.angka(shown["layanan"]["nilai"]))
    expect(cells.nth(4)).to_contain_text(f"dari {citizen.bilangan(shown['layanan']['n'])}")
    expect(cells.nth(5).get_by_role("img")).to_have_accessible_name(re.compile("^IKM per bulan"))
    # A unit with too few answers: the notice instead of its IKM and mutu.
    quiet = _unit_row(page, QUIET_SHORT).get_by_role("cell")
    expect(quiet.nth(0)).to_have_text(citizen.WITHHELD)
    expect(quiet.nth(1)).to_have_text("—")
    # Every OPD's appraisal process figures (SKP on time, evaluations final, objections).
    process = _section(page, "Jalannya penilaian kinerja pegawai per OPD")
    expect(process.get_by_role("row")).to_have_count(len(overview["proses"]) + 1)
    if phone:
        citizen.scrolls_inside(page, "Tabel unit layanan publik, dapat digeser")
    citizen.download_twins(page, checks, people, "ringkasan")
    return shown


def _unit_page(page, checks, path: str, *, phone: bool) -> dict:
    """Read the unit page now shown against its JSON: IKM, unsur, service, predikat."""
    data = citizen.page_json(page, checks, re.sub(r"^(/publik/unit/[^?]+)", r"\1.json", path))
    expect(page.get_by_role("heading", level=1)).to_have_text(data["judul"])
    expect(page.locator(".lead")).to_contain_text(data["asal"]["periode"])
    expect(page.get_by_role("navigation", name="Remah roti")).to_contain_text("Ringkasan kota")
    ikm = _section(page, "Indeks Kepuasan Masyarakat (IKM)")
    expect(ikm.locator(".big-figure")).to_have_text(citizen.angka(data["ikm"]["nilai"]))
    expect(ikm).to_contain_text(f"{data['ikm']['mutu']['kode']} {data['ikm']['mutu']['label']}")
    expect(ikm).to_contain_text(f"Responden (n){citizen.bilangan(data['ikm']['n'])}")
    unsur = _section(page, "Sembilan unsur pelayanan")
    expect(unsur.get_by_role("img")).to_have_accessible_name(re.compile("^Nilai rata-rata"))
    expect(unsur.get_by_role("table").get_by_role("row")).to_have_count(10)
    for u in data["unsur"]:
        row = _row(page, unsur, f"{u['kode']} {u['nama']}")
        expect(row).to_contain_text(citizen.angka(u["nilai"]))

    # Service-standard compliance, through the page's contents links.
    citizen.jump(page, "Ketepatan waktu layanan", "Kecepatan dan ketepatan pelayanan")
    expect(page).to_have_url(re.compile("#layanan-judul$"))
    service = _section(page, "Kecepatan dan ketepatan pelayanan")
    expect(service).to_contain_text(f"Tepat waktu: {citizen.angka(data['layanan']['nilai'])}")
    expect(service.get_by_role("table").get_by_role("row")).to_have_count(
        len(data["jenis_layanan"]) + 1
    )
    for s in data["jenis_layanan"]:
        row = _row(page, service, s["nama"])
        expect(row).to_contain_text(s["standar"])
        expect(row).to_contain_text(citizen.angka(s["nilai"]))

    # The predikat distribution: counts 1–4 hidden ("≤4") with one more cell, total shown.
    citizen.jump(page, "Sebaran predikat pegawai", "Sebaran predikat kinerja pegawai")
    pred = data["predikat"]
    predikat = _section(page, "Sebaran predikat kinerja pegawai")
    if pred["status"] == "OK":
        expect(predikat).to_contain_text(f"Periode terakhir yang ditutup: {pred['periode']}.")
        for cell in pred["sel"]:
            count = cell["jumlah"]
            expected = citizen.bilangan(count) if count is not None else cell["tersembunyi"]
            expect(_row(page, predikat, cell["nama"])).to_contain_text(expected)
        expect(_row(page, predikat, "Jumlah")).to_contain_text(citizen.bilangan(pred["total"]))
        hidden = [c for c in pred["sel"] if c["jumlah"] is None]
        assert len(hidden) != 1, "a lone hidden cell could be recomputed from the total"
    else:
        expect(predikat).to_contain_text(pred["keterangan"])
    if phone:
        citizen.no_sideways_scroll(page, "unit-predikat")
    return data


def _method_and_open_data(page, checks, people: dict, go, unit_name: str) -> None:
    """From the unit page: "Cara menghitung" to the method page, then the open-data page."""
    links = page.get_by_role("link", name=re.compile("^(Cara |Aturan penyembunyian)"))
    hrefs = links.evaluate_all("all => all.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 4 and all(h.startswith("/publik/metode#") for h in hrefs), hrefs
    with go("metode-ketepatan-waktu"):
        page.get_by_role("link", name="Cara menghitung ketepatan waktu").click()
    expect(page).to_have_url(checks.url("/publik/metode#kecepatan-dan-ketepatan-pelayanan"))
    expect(
        page.get_by_role("heading", name="Kecepatan dan ketepatan pelayanan", level=2)
    ).to_be_in_viewport()
    for href in hrefs:  # every "how this figure is computed" link has its heading
        heading = page.locator(f"[id='{href.split('#', 1)[1]}']")
        expect(heading).to_have_count(1)
        expect(heading).to_have_js_property("tagName", "H2")
    citizen.download_twins(page, checks, people, "metode")

    # The open-data page, from the menu: every page's downloads, the licence, the dictionary.
    with go("data-terbuka"):
        page.get_by_role("navigation", name="Menu data publik").get_by_role(
            "link", name="Data terbuka", exact=True
        ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data terbuka")
    catalogue = citizen.page_json(page, checks, "/publik/data.json")
    datasets = _section(page, "Unduhan").get_by_role("row")
    expect(datasets).to_have_count(len(catalogue["dataset"]) + 1)
    row = datasets.filter(has=page.get_by_role("rowheader", name=f"Unit: {unit_name}", exact=True))
    for label, media in (("CSV", "text/csv"), ("JSON", "application/json")):
        href = row.get_by_role("link", name=label, exact=True).get_attribute("href")
        response = page.request.get(checks.url(href))
        assert response.status == 200, href
        assert response.headers["content-type"] == f"{media}; charset=utf-8"
    expect(page.get_by_role("link", name=re.compile(r"\(CC BY 4\.0\)")).first).to_be_visible()
    citizen.download_twins(page, checks, people, "data")


def test_citizen_reads_the_public_pages_on_desktop(page, checks, live_world):
    """Login page → citizens' home → overview, sorted by IKM → unit → method → open data,
    with downloads."""
    people = _people(live_world)

    def go(step):
        return citizen.go(page, checks, step, people, phone=False)

    checks.visit(page, "/masuk", step="halaman-masuk")
    with go("beranda-warga"):
        page.get_by_role("link", name="Lihat kinerja layanan kota (untuk warga)").click()
    expect(page).to_have_url(checks.url("/publik/beranda"))
    with go("ringkasan-kota"):
        page.get_by_role("link", name="Tabel lengkap semua unit").click()
    expect(page).to_have_url(checks.url("/publik"))
    shown = _overview(page, checks, people, phone=False)

    # Sort by IKM (a column-header link): highest first, announced by aria-sort.
    with go("ringkasan-urut-ikm"):
        page.get_by_role("link", name="IKM (urutkan)").click()
    expect(page.get_by_role("columnheader", name="IKM (urutkan)")).to_have_attribute(
        "aria-sort", "descending"
    )
    overview = citizen.page_json(page, checks, "/publik.json?urut=ikm&arah=turun")
    ikm = [u["ikm"]["nilai"] for u in overview["unit"] if u["ikm"]["status"] == "OK"]
    assert ikm == sorted(ikm, reverse=True)
    table = page.get_by_role("table", name=re.compile("^IKM, mutu, jumlah responden"))
    first = table.get_by_role("row").nth(1).get_by_role("cell").first
    expect(first).to_have_text(citizen.angka(ikm[0]))

    with go("unit"):
        _unit_row(page, shown["nama_singkat"]).get_by_role(
            "link", name=shown["nama_singkat"], exact=True
        ).click()
    expect(page).to_have_url(checks.url(f"/publik/unit/{UNIT}"))
    data = _unit_page(page, checks, f"/publik/unit/{UNIT}", phone=False)
    twin = citizen.download_twins(page, checks, people, "unit")
    assert twin["ikm"] == data["ikm"] and twin["predikat"] == data["predikat"]
    _method_and_open_data(page, checks, people, go, shown["nama_singkat"])


def test_citizen_reads_the_public_pages_on_a_phone(phone_page, checks, live_world):
    """Overview → unit → another period → method → open data, at 390×844."""
    page, people = phone_page, _people(live_world)

    def go(step):
        return citizen.go(page, checks, step, people, phone=True)

    checks.visit(page, "/publik", step="ringkasan-kota")
    citizen.screen_rules(page, "ringkasan-kota", people, phone=True)
    shown = _overview(page, checks, people, phone=True)
    with go("unit"):
        _unit_row(page, shown["nama_singkat"]).get_by_role(
            "link", name=shown["nama_singkat"], exact=True
        ).click()
    _unit_page(page, checks, f"/publik/unit/{UNIT}", phone=True)

    # The period switcher: an earlier published period of the same unit.
    periods = citizen.page_json(page, checks, f"/publik/unit/{UNIT}.json")["periode_tersedia"]
    earlier = periods[1]
    page.get_by_label("Periode", exact=True).select_option(label=earlier["nama"])
    with go("unit-periode-lalu"):
        page.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(checks.url(f"/publik/unit/{UNIT}?periode={earlier['id']}"))
    expect(page.get_by_label("Periode", exact=True)).to_have_value(str(earlier["id"]))
    _unit_page(page, checks, f"/publik/unit/{UNIT}?periode={earlier['id']}", phone=True)
    twin = citizen.download_twins(page, checks, people, "unit")
    assert twin["asal"]["periode_id"] == earlier["id"]
    _method_and_open_data(page, checks, people, go, shown["nama_singkat"])


def test_a_unit_with_too_few_answers_shows_the_notice_not_figures(phone_page, checks, live_world):
    page, people = phone_page, _people(live_world)
    checks.visit(page, "/publik/data", step="data-terbuka")
    citizen.screen_rules(page, "data-terbuka", people, phone=True)
    row = _row(page, _section(page, "Unduhan"), f"Unit: {QUIET_SHORT}")
    with citizen.go(page, checks, "unit-ditahan", people, phone=True):
        row.get_by_role("link", name="Buka", exact=True).click()
    expect(page).to_have_url(checks.url(f"/publik/unit/{QUIET}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIET_NAME)
    ikm = _section(page, "Indeks Kepuasan Masyarakat (IKM)")
    expect(ikm.locator(".big-figure")).to_have_text(citizen.WITHHELD)
    expect(ikm).not_to_contain_text(re.compile(r"\d,\d\d"))  # no IKM, no quick index
    # No unsur value either, and no bar chart that would show them.
    unsur = _section(page, "Sembilan unsur pelayanan")
    expect(unsur.get_by_role("img")).to_have_count(0)
    values = unsur.get_by_role("table").get_by_role("cell")
    expect(values).to_have_count(9)
    for i in range(9):
        expect(values.nth(i)).to_have_text(citizen.WITHHELD)
    data = citizen.page_json(page, checks, f"/publik/unit/{QUIET}.json")
    assert data["ikm"]["status"] == "WITHHELD" and data["ikm"]["nilai"] is None
    assert all(u["status"] == "WITHHELD" and u["nilai"] is None for u in data["unsur"])
    # The page explains the notice: the rule is one link away.
    rules = page.get_by_role("link", name="Aturan penyembunyian angka")
    expect(rules).to_have_attribute(
        "href", "/publik/metode#perlindungan-data-pribadi-pengendalian-pengungkapan"
    )


def test_no_name_nip_or_comment_on_any_public_page(page, checks, live_world):
    """Every published page of the latest period, in HTML, JSON and CSV, and the overview of
    each earlier period: no employee name or NIP, no kiosk comment."""
    people = _people(live_world)
    assert len(people) > 100 and live_world.objects["snapshots"] >= 2
    comments = live_world.objects["comments"] + ["Komentar rahasia warga"]
    catalogue = citizen.page_json(page, checks, "/publik/data.json")
    urls = [u for d in catalogue["dataset"] for u in d["url"].values()]
    urls += [f"/publik.json?periode={p['id']}" for p in catalogue["periode_tersedia"][1:]]
    assert any(u.endswith(f"/unit/{QUIET}.csv") for u in urls)
    for url in urls:
        response = page.request.get(checks.url(url))
        assert response.status == 200, url
        text = response.text()
        if "text/html" in response.headers["content-type"]:
            text = re.sub(r"<[^>]+>", " ", text)
        citizen.no_personal_data(people, url, text)
        for comment in comments:
            assert comment not in text, f"{url}: a kiosk comment is shown"


def test_overview_and_unit_page_by_keyboard(page, checks, live_world):
    people = _people(live_world)
    checks.visit(page, "/publik", step="ringkasan")
    short = next(
        u["nama_singkat"]
        for u in citizen.page_json(page, checks, "/publik.json")["unit"]
        if u["kode"] == UNIT
    )
    # The first Tab reaches the skip link, visible, with a ring; Enter moves to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert citizen.visible_ring(page.evaluate(citizen.FOCUS_RING))
    page.keyboard.press("Enter")
    expect(page.locator("main#isi")).to_be_focused()
    # Tab through the content to the unit's link: every stop shows its focus.
    seen: list = []
    citizen.tab_until(page, f"el.textContent.trim() === {short!r}", seen=seen)
    texts = [s["text"] for s in seen]
    assert "Cara menghitung" in texts and "IKM (urutkan)" in texts, texts
    assert any(s["tag"] == "SELECT" for s in seen), "the period switcher is not reachable"
    assert any(s["tag"] == "DIV" for s in seen), "the table's scroll box is not reachable"
    expect(page.get_by_role("link", name=short, exact=True)).to_be_in_viewport()
    checks.screenshot(page, "fokus-tautan-unit")
    with citizen.go(page, checks, "unit", people, phone=False):
        page.keyboard.press("Enter")
    expect(page).to_have_url(checks.url(f"/publik/unit/{UNIT}"))
    # On the unit page: the contents link to the service figures; Tab continues from there.
    citizen.tab_until(page, "el.textContent.trim() === 'Ketepatan waktu layanan'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#layanan-judul$"))
    page.keyboard.press("Tab")
    in_section = "() => !!document.activeElement.closest('[aria-labelledby=layanan-judul]')"
    assert page.evaluate(in_section), page.evaluate(citizen.FOCUS_RING)
    assert citizen.visible_ring(page.evaluate(citizen.FOCUS_RING))
    citizen.tab_until(page, "el.textContent.trim() === 'Cara menghitung ketepatan waktu'")
    expect(page.get_by_role("link", name="Cara menghitung ketepatan waktu")).to_be_in_viewport()
    checks.screenshot(page, "fokus-cara-menghitung")


def test_citizen_walks_from_the_public_home_to_a_units_explanation(phone_page, checks, live_world):
    """Issue 22 at 390×844: `/` → the citizens' home (city IKM with mutu, respondents per
    channel) → a unit's one-sentence lead and channels → a term."""
    page, people = phone_page, _people(live_world)
    checks.visit(page, "/", step="beranda-warga")
    expect(page).to_have_url(checks.url("/publik/beranda"))
    citizen.screen_rules(page, "beranda-warga", people, phone=True)
    expect(page.get_by_role("link", name="Masuk pegawai", exact=True).first).to_be_visible()
    expect(page.get_by_role("heading", name="Apa artinya?", level=4)).to_have_count(3)
    home = citizen.page_json(page, checks, "/publik/beranda.json")
    # The city IKM with its mutu and meaning, and the respondents per channel.
    city = home["utama"]["ikm_kota"]
    assert city["status"] == "OK" and city["kanal"]["ponsel"] > 0, city
    figure = f"{citizen.angka(city['nilai'])} {city['mutu']['kode']}"
    expect(page.locator("#ikm-kota")).to_have_text(figure)
    card = page.get_by_role("region", name=re.compile("^Kepuasan warga se-kota"))
    expect(card).to_contain_text(f"{city['mutu']['kode']} ({city['mutu']['label']})")
    expect(card).to_contain_text(city["arti_mutu"])
    channels = page.locator("#kanal-kota")
    expect(channels).to_contain_text(
        f"Di kios unit layanan: {citizen.bilangan(city['kanal']['kios'])}"
    )
    expect(channels).to_contain_text(
        f"QR tanda terima): {citizen.bilangan(city['kanal']['ponsel'])}"
    )
    assert city["kanal"]["kios"] + city["kanal"]["ponsel"] == city["n"]
    unit = next(u for u in home["unit"] if u["kode"] == UNIT)
    links = page.get_by_role("list").filter(has=page.get_by_role("link", name=unit["nama"]))
    with citizen.go(page, checks, "unit-dari-beranda", people, phone=True):
        links.get_by_role("link", name=unit["nama"], exact=True).first.click()
    expect(page).to_have_url(checks.url(f"/publik/unit/{UNIT}"))
    lead = page.locator("main p.citizen-lead")
    expect(lead).to_contain_text("Warga menilai layanan")
    kanal = citizen.page_json(page, checks, f"/publik/unit/{UNIT}.json")["ikm"]["kanal"]
    kios, ponsel = citizen.bilangan(kanal["kios"]), citizen.bilangan(kanal["ponsel"])
    expect(page.locator("#kanal-unit")).to_contain_text(f"di kios {kios}, dari ponsel {ponsel}")
    expect(lead).to_contain_text(f"({unit['mutu']['kode']})")
    assert lead.bounding_box()["width"] <= 390
    # A glossary term: a tap shows its plain-words explanation, within the phone's width.
    term = page.locator("abbr.term", has_text="NRR").first
    term.scroll_into_view_if_needed()
    term.focus()
    tip = term.evaluate("el => getComputedStyle(el, '::after').content")
    assert "Nilai rata-rata satu unsur" in tip
    # The trend chart fills the card's width instead of sitting off to one side.
    chart = page.locator("svg.trend-chart")
    box, card = chart.bounding_box(), chart.locator("xpath=ancestor::section[1]").bounding_box()
    assert box["width"] >= card["width"] * 0.8, (box, card)
    assert box["x"] + box["width"] <= 390
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\b20\d\d-\d\d\b"))
