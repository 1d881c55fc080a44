"""Open data by the Indonesian standards (issue 22 part 3): Data Package, DCAT, stable URLs."""

import json
from datetime import date
from decimal import Decimal

import frictionless
import pytest

from kinerja.models.public import PublicSnapshot
from kinerja.queries.open_data import snapshot_key
from kinerja.services.publish import publish
from tests.builders_public import (
    add_answers,
    add_evaluations,
    add_requests,
    make_period,
    make_service_type,
    noon,
)
from tests.html import check_page, find_all


@pytest.fixture
def published(world):
    """A closed quarter and the current one, with answers, requests and evaluations."""
    q1 = make_period(2026, 1, status="DITUTUP")
    q2 = make_period(2026, 2)
    opd, seksi, bidang = world.units["opd"], world.units["seksi"], world.units["bidang"]
    add_answers(opd, date(2026, 2, 6), 14)
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


def _snapshot(period) -> PublicSnapshot:
    return PublicSnapshot.get(PublicSnapshot.period == period)


def _folder(period) -> str:
    return f"/publik/data/{snapshot_key(_snapshot(period))}/"


def _package(client, period) -> dict:
    response = client.get(_folder(period) + "datapackage.json")
    assert response.status_code == 200
    assert response.content_type.startswith("application/json")
    return json.loads(response.data)


def test_the_data_package_of_a_snapshot_validates_with_frictionless(client, published, tmp_path):
    package = _package(client, published["q2"])
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {c["title"] for c in package["contributors"]} >= {"Pemerintah Kota Sibolga"}
    assert any("BKPSDM" in c["title"] for c in package["contributors"])
    assert package["temporalCoverage"] == {"start": "2026-04-01", "end": "2026-06-30"}
    paths = [r["path"] for r in package["resources"]]
    assert paths[:2] == ["ringkasan.csv", "katalog.csv"]
    assert "unit/DUKCAPIL.csv" in paths
    folder = _folder(published["q2"])
    for resource in package["resources"]:
        assert resource["dialect"]["delimiter"] == ";"
        assert resource["encoding"] == "utf-8-sig"
        assert resource["schema"]["missingValues"] == [""]
        body = client.get(folder + resource["path"])
        assert body.status_code == 200 and body.data.startswith("\ufeff".encode())
        local = tmp_path / resource["path"]  # the same relative path, now a local file
        local.parent.mkdir(exist_ok=True)
        local.write_bytes(body.data)
    report = frictionless.Package(package, basepath=str(tmp_path)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # The rows were read and checked against the schema types, not only the descriptor.
    tasks = {task.name: task for task in report.tasks}
    assert tasks["ringkasan"].stats["rows"] > 10
    assert tasks["unit-dukcapil"].stats["rows"] > 10

    # ``nilai`` is a number with the decimal comma (no thousands separator, as written):
    # a reader gets the published IKM as a number, the mutu letter from ``nilai_teks``.
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert (fields["nilai"]["type"], fields["nilai"]["decimalChar"]) == ("number", ",")
    assert fields["nilai"]["groupChar"] == "" and fields["nilai_teks"]["type"] == "string"
    unit = next(r for r in package["resources"] if r["name"] == "unit-dukcapil")
    rows = frictionless.Resource(unit, basepath=str(tmp_path)).read_rows()
    ikm = {(r["bagian"], r["rincian"], r["ukuran"]): r for r in rows if r["bagian"] == "ikm"}
    page = json.loads(client.get("/publik/unit/DUKCAPIL.json").data)
    assert ikm[("ikm", None, "ikm_konversi")]["nilai"] == Decimal(str(page["ikm"]["nilai"]))
    assert ikm[("ikm", None, "mutu")]["nilai_teks"] == page["ikm"]["mutu"]["kode"]


def test_a_row_that_breaks_the_schema_does_not_validate(client, published, tmp_path):
    """The check has teeth: a text ``n`` or ``nilai``, a decimal point instead of the comma,
    or an unknown status is a type or constraint error."""
    package = _package(client, published["q2"])
    resource = next(r for r in package["resources"] if r["name"] == "ringkasan")
    text = client.get(_folder(published["q2"]) + "ringkasan.csv").data.decode("utf-8-sig")
    lines = text.split("\r\n")
    column = {name: i for i, name in enumerate(lines[0].split(";"))}
    cells = lines[1].split(";")
    cells[column["n"]], cells[column["status"]], cells[column["nilai"]] = "dua", "BOCOR", "B"
    lines[1] = ";".join(cells)
    cells = lines[4].split(";")
    cells[column["nilai"]] = "83.33"  # a decimal point: Excel in Indonesian reads 8333
    lines[4] = ";".join(cells)
    lines.insert(3, lines[2])  # the same figure twice
    (tmp_path / "ringkasan.csv").write_bytes(("\ufeff" + "\r\n".join(lines)).encode())
    report = frictionless.Resource(resource, basepath=str(tmp_path)).validate()
    assert not report.valid
    errors = {tuple(e) for e in report.flatten(["fieldName", "type"])}
    assert ("n", "type-error") in errors
    assert ("nilai", "type-error") in errors
    assert ("status", "constraint-error") in errors
    bad = {e[0] for e in report.flatten(["rowNumber", "fieldName"]) if e[1] == "nilai"}
    assert bad == {2, 6}  # the letter; the decimal point (row 6 after the repeated row)
    assert (None, "primary-key") in errors


def test_the_dcat_entry_names_publisher_licence_region_and_period(client, published):
    folder = _folder(published["q1"])
    response = client.get(folder + "dcat.jsonld")
    assert response.status_code == 200
    assert response.content_type.startswith("application/ld+json")
    entry = json.loads(response.data)
    for key in (
        "@context",
        "dct:title",
        "dct:description",
        "dct:publisher",
        "dct:license",
        "dct:temporal",
        "dct:spatial",
        "dcat:distribution",
        "dct:issued",
        "dct:identifier",
    ):
        assert key in entry, key
    assert entry["@type"] == "dcat:Dataset"
    assert entry["dct:publisher"]["foaf:name"] == "Pemerintah Kota Sibolga"
    assert entry["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert entry["dct:spatial"]["dct:identifier"] == "12.73"
    assert entry["dct:temporal"]["dcat:startDate"]["@value"] == "2026-01-01"
    assert entry["dct:temporal"]["dcat:endDate"]["@value"] == "2026-03-31"
    snapshot = _snapshot(published["q1"])
    issued = snapshot.built_at.replace(microsecond=0).isoformat() + "Z"
    assert entry["dct:issued"]["@value"] == issued
    downloads = {d["dcat:downloadURL"]["@id"]: d for d in entry["dcat:distribution"]}
    package = _package(client, published["q1"])
    for resource in package["resources"]:
        url = folder + resource["path"]
        assert downloads[url]["dcat:mediaType"]["@id"].endswith("/text/csv")
        assert client.get(url).status_code == 200
    assert downloads[folder + "datapackage.json"]["dcat:mediaType"]["@id"].endswith(
        "/application/json"
    )


def test_a_configured_public_address_makes_the_dcat_urls_absolute(app, client, published):
    app.config["PUBLIC_BASE_URL"] = "https://kinerja.sibolgakota.go.id"
    entry = json.loads(client.get(_folder(published["q1"]) + "dcat.jsonld").data)
    urls = [d["dcat:downloadURL"]["@id"] for d in entry["dcat:distribution"]]
    assert urls and all(
        u.startswith("https://kinerja.sibolgakota.go.id/publik/data/") for u in urls
    )
    # The Host header never enters a cached body.
    other = client.get(_folder(published["q2"]) + "dcat.jsonld", headers={"Host": "evil.test"})
    assert b"evil.test" not in other.data


def test_stable_urls_keep_their_bytes_after_a_later_publish(client, world, published):
    folder = _folder(published["q1"])
    package = _package(client, published["q1"])
    urls = [folder + "datapackage.json", folder + "dcat.jsonld"]
    urls += [folder + r["path"] for r in package["resources"]]
    before = {url: client.get(url) for url in urls}
    # The stable CSV is the CSV twin of that period's pages.
    period = published["q1"].id
    assert before[folder + "ringkasan.csv"].data == client.get(f"/publik.csv?periode={period}").data
    unit = client.get(f"/publik/unit/DUKCAPIL.csv?periode={period}").data
    assert before[folder + "unit/DUKCAPIL.csv"].data == unit
    q3 = make_period(2026, 3)
    add_answers(world.units["opd"], date(2026, 7, 6), 30)
    publish(q3)
    publish(published["q2"])  # a rebuild of another period too
    for url, old in before.items():
        new = client.get(url)
        assert new.status_code == 200, url
        assert new.data == old.data, url
        assert new.headers["ETag"] == old.headers["ETag"], url
        again = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert again.status_code == 304
    # Its data.csv twin now describes the newest period; the stable katalog.csv does not.
    assert client.get(folder + "katalog.csv").data != client.get("/publik/data.csv").data


def test_a_rebuilt_snapshot_leaves_its_old_urls_404(client, published):
    old = _folder(published["q2"])
    assert client.get(old + "ringkasan.csv").status_code == 200
    publish(published["q2"])
    assert _folder(published["q2"]) != old
    assert client.get(old + "ringkasan.csv").status_code == 404
    assert client.get(old + "datapackage.json").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/publik/data/999-20260101000000000000/datapackage.json",
        "/publik/data/abc/dcat.jsonld",
        "/publik/data/1/ringkasan.csv",
        "{folder}unit/TIDAK-ADA.csv",
        "{folder}lain.csv",
    ],
)
def test_unknown_snapshots_and_files_are_404_in_indonesian(client, published, path):
    response = client.get(path.format(folder=_folder(published["q1"])))
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "tidak ditemukan" in text.lower()


def test_the_catalogue_links_every_snapshot_and_explains_excel(client, published):
    response = client.get("/publik/data")
    tree = check_page(response.get_data(as_text=True))
    hrefs = {a.get("href") for a in find_all(tree, "a")}
    for period in (published["q1"], published["q2"]):
        folder = _folder(period)
        assert {
            folder + "datapackage.json",
            folder + "dcat.jsonld",
            folder + "ringkasan.csv",
        } <= hrefs
    text = response.get_data(as_text=True)
    assert "Data → Dari Teks/CSV" in text and "From Text/CSV" in text
    data = json.loads(client.get("/publik/data.json").data)
    assert [c["periode"] for c in data["cuplikan"]] == ["Triwulan 2 2026", "Triwulan 1 2026"]


def test_the_data_dictionary_states_the_decimal_comma_the_csv_uses(client, published):
    """The CSV row of the dictionary said "titik desimal" while every CSV writes 3,13."""
    csv_text = client.get("/publik.csv").get_data(as_text=True)
    assert any("," in cell and cell.replace(",", "").isdigit() for cell in csv_text.split(";"))
    data = json.loads(client.get("/publik/data.json").data)
    row = next(k for k in data["kamus"] if k["berlaku"] == "CSV")
    assert "koma desimal" in row["arti"] and "titik desimal" not in row["arti"]


def test_stable_urls_ignore_unknown_parameters(client, published, count_queries):
    url = _folder(published["q1"]) + "ringkasan.csv"
    first = client.get(url)
    with count_queries() as queries:
        other = client.get(url + "?periode=2&x=1&urut=ikm")
    assert other.data == first.data and other.headers["ETag"] == first.headers["ETag"]
    assert queries.count == 1, str(queries)  # the snapshot look-up, no render
