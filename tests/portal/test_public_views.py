"""Public pages: three renderings of one dict, caching, no cookies, disclosure on the output."""

import csv
import io
import random
from datetime import date

import pytest

from kinerja import demo
from kinerja.db import database
from kinerja.models.kiosk import KioskResponse
from kinerja.models.org import Employee
from kinerja.models.public import PublicSnapshot, PublicUnitFigure
from kinerja.services.publish import publish
from portal import create_app
from tests.builders_public import (
    add_answers,
    add_evaluations,
    add_requests,
    make_period,
    make_service_type,
    noon,
)
from tests.html import check_page, find_all, texts
from tests.public_checks import check_csv, check_overview_json, check_unit_json, loads

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
        assert "CC BY 4.0" in footer and "Versi 1.0" in footer
        assert not list(tree.iter("script"))  # works without JavaScript


def test_the_three_renderings_carry_the_same_figures(client, published):
    data = loads(client.get("/publik/unit/DUKCAPIL.json"))
    assert data["ikm"]["n"] == 53 and data["ikm"]["status"] == "OK"
    rows = list(
        csv.DictReader(io.StringIO(client.get("/publik/unit/DUKCAPIL.csv").get_data(as_text=True)))
    )
    ikm_row = next(r for r in rows if r["bagian"] == "ikm" and r["ukuran"] == "ikm_konversi")
    assert float(ikm_row["nilai"]) == data["ikm"]["nilai"] and ikm_row["n"] == "53"
    html = client.get("/publik/unit/DUKCAPIL").get_data(as_text=True)
    shown = f"{data['ikm']['nilai']:.2f}".replace(".", ",")
    assert shown in html


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


def test_catalogue_lists_every_download_with_licence_and_dictionary(client, published):
    data = loads(client.get("/publik/data.json"))
    assert data["lisensi"]["kode"] == "CC-BY-4.0"
    units = [d for d in data["dataset"] if d["halaman"] == "unit"]
    assert {d["kode"] for d in units} >= {"DUKCAPIL", "DUKCAPIL.PDP.ID"}
    for item in data["dataset"]:
        for url in item["url"].values():
            assert client.get(url).status_code == 200, url
    assert any(k["kolom"] == "status" for k in data["kamus"])


def test_login_page_links_to_the_city_overview(client):
    tree = check_page(client.get("/masuk").get_data(as_text=True))
    assert "/publik" in [a.get("href") for a in tree.iter("a")]


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
