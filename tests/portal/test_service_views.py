"""The counter log, figures pages, linked indicators and the catalogue admin (issue 7)."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import html5lib
import pytest

from kinerja.models.org import Employee
from kinerja.models.service import CityDayOff, ImportBatch, ServiceRequest, ServiceType
from kinerja.models.skp import Indicator, Realisation
from tests.builders_service import (
    make_indicator,
    make_period,
    make_request,
    make_service_type,
    wib,
)
from tests.html import check_page, find_all, texts

DATA = Path(__file__).resolve().parent.parent / "data"
HTMX = {"HX-Request": "true"}


def fragment(text: str):
    """Parse an htmx fragment strictly."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parseFragment(text)


def main(tree):
    """The page's own content (not the header's logout form)."""
    [element] = find_all(tree, "main")
    return element


@pytest.fixture
def ktp(world):
    return make_service_type(world.units["bidang"], "Penerbitan KTP-el", value=1)


# --- the counter ------------------------------------------------------------------------------


def test_counter_page_lists_open_requests_oldest_first_with_overdue(world, ktp, login_as):
    old = make_request(ktp, wib(2026, 11, 2, 9), reference="LAMA-1")
    make_request(ktp, wib(2026, 11, 27, 9), reference="BARU-1")
    client = login_as(world.people["pegawai"])
    response = client.get("/loket")
    assert response.status_code == 200
    tree = check_page(response.get_data(as_text=True))
    [section] = find_all(tree, "section", id="counter-open")
    assert section.get("hx-trigger") == "every 30s"
    rows = find_all(section, "tr")[1:]
    assert [texts(r, "th")[0] for r in rows][0] == "LAMA-1"
    assert "overdue" in (rows[0].get("class") or "")
    assert find_all(tree, "input", type="checkbox", id=f"rework-{old.id}")
    assert find_all(tree, "select", name="daftar-service_type")


def test_register_and_complete_with_htmx_update_in_place(world, ktp, login_as):
    client = login_as(world.people["pegawai"])
    response = client.post(
        f"/loket/{ktp.unit_id}/daftar",
        data={"daftar-service_type": str(ktp.id), "daftar-reference": "KTP-77"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    tree = fragment(response.get_data(as_text=True))
    assert find_all(tree, "div", id="counter-live")
    assert "KTP-77" in "".join(texts(tree, "th"))
    request = ServiceRequest.get(ServiceRequest.reference == "KTP-77")
    assert request.registered_by_id == world.people["pegawai"].id

    response = client.post(
        f"/loket/permohonan/{request.id}/selesai", data={"selesai-rework": "y"}, headers=HTMX
    )
    assert response.status_code == 200
    done = ServiceRequest.get_by_id(request.id)
    assert done.completed_at is not None and done.rework
    assert done.handler_id == world.people["pegawai"].id
    assert "dikembalikan untuk perbaikan" in response.get_data(as_text=True)
    again = client.post(f"/loket/permohonan/{request.id}/selesai", headers=HTMX)
    assert again.status_code == 409


def test_register_without_javascript_redirects(world, ktp, login_as):
    client = login_as(world.people["supervisor"])
    response = client.post(f"/loket/{ktp.unit_id}/daftar", data={"daftar-service_type": ktp.id})
    assert response.status_code == 303
    assert ServiceRequest.get().reference.startswith("DUKCAPIL-")
    page = client.get(response.headers["Location"])
    assert "dicatat" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"daftar-service_type": "9999"},
        {"daftar-service_type": "abc"},
        {"daftar-service_type": "1", "daftar-reference": "x" * 61},
    ],
)
def test_bad_register_input_is_422_and_writes_nothing(world, ktp, login_as, data):
    client = login_as(world.people["pegawai"])
    response = client.post(f"/loket/{ktp.unit_id}/daftar", data=data)
    assert response.status_code == 422
    check_page(response.get_data(as_text=True))
    assert ServiceRequest.select().count() == 0


def test_duplicate_reference_is_422(world, ktp, login_as):
    make_request(ktp, wib(2026, 11, 2, 9), reference="SAMA")
    client = login_as(world.people["pegawai"])
    response = client.post(
        f"/loket/{ktp.unit_id}/daftar",
        data={"daftar-service_type": ktp.id, "daftar-reference": "SAMA"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "sudah dipakai" in response.get_data(as_text=True)


def test_counter_without_a_service_unit_explains(world, login_as):
    response = login_as(world.people["admin"]).get("/loket")
    assert response.status_code == 200
    assert "tidak tercatat sebagai staf" in response.get_data(as_text=True)


def test_open_list_fragment(world, ktp, login_as):
    make_request(ktp, wib(2026, 11, 2, 9), reference="A-1")
    client = login_as(world.people["atasan"])
    response = client.get(f"/loket/{ktp.unit_id}/terbuka", headers=HTMX)
    assert response.status_code == 200
    tree = fragment(response.get_data(as_text=True))
    assert find_all(tree, "section", id="counter-open")
    assert client.get(f"/loket/{ktp.unit_id}/terbuka").status_code == 302


# --- figures -----------------------------------------------------------------------------------


def test_figures_pages(world, ktp, login_as):
    pegawai = world.people["pegawai"]
    make_request(ktp, wib(2026, 11, 2, 8), wib(2026, 11, 2, 10), handler=pegawai)
    make_request(ktp, wib(2026, 11, 2, 8), wib(2026, 11, 5, 10), handler=pegawai, rework=True)
    mine = login_as(pegawai).get("/kinerja-layanan?dari=2026-11-01&sampai=2026-11-30")
    assert mine.status_code == 200
    tree = check_page(mine.get_data(as_text=True))
    [table] = find_all(tree, "table", class_="figures-table")
    cells = texts(table, "td")
    assert "50,00 %" in " ".join(cells)
    unit = login_as(world.people["supervisor"]).get(
        f"/kinerja-layanan/unit/{ktp.unit_id}?dari=2026-11-01&sampai=2026-11-30"
    )
    assert unit.status_code == 200
    check_page(unit.get_data(as_text=True))
    bad = login_as(pegawai).get("/kinerja-layanan?dari=2026-11-30&sampai=2026-11-01")
    assert bad.status_code == 400
    assert "tidak boleh sebelum" in bad.get_data(as_text=True)
    assert login_as(pegawai).get("/kinerja-layanan?dari=kemarin").status_code == 400


# --- linked indicators -------------------------------------------------------------------------


def test_link_indicator_and_see_its_automatic_realisation(world, ktp, login_as):
    pegawai = world.people["pegawai"]
    period = make_period(start=date(2026, 10, 1), end=date(2026, 12, 31))
    indicator = make_indicator(pegawai)
    make_request(ktp, wib(2026, 11, 2, 8), wib(2026, 11, 2, 10), handler=pegawai)
    client = login_as(pegawai)
    page = client.get(f"/skp/indikator/{indicator.id}/tautan-layanan")
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    response = client.post(
        f"/skp/indikator/{indicator.id}/tautan-layanan",
        data={"tautan-service_type": str(ktp.id), "tautan-figure": "ON_TIME_RATE"},
    )
    assert response.status_code == 303
    indicator = Indicator.get_by_id(indicator.id)
    assert (indicator.linked_service_type_id, indicator.linked_figure) == (ktp.id, "ON_TIME_RATE")
    row = Realisation.get((Realisation.indicator == indicator.id) & (Realisation.period == period))
    assert row.automatic and row.value == Decimal(100)

    shown = client.get(f"/indikator/{indicator.id}/realisasi-otomatis")
    assert shown.status_code == 200
    tree = check_page(shown.get_data(as_text=True))
    [box] = find_all(tree, "div", class_="linked-indicator")
    assert "100,00 %" in "".join(box.itertext())

    noted = client.post(
        f"/indikator/{indicator.id}/realisasi-otomatis/{period.id}/catatan",
        data={"catatan-narrative": "Antrean ramai bulan November", "catatan-value": "0"},
    )
    assert noted.status_code == 303
    row = Realisation.get_by_id(row.id)
    assert row.narrative == "Antrean ramai bulan November" and row.value == Decimal(100)
    bad = client.post(
        f"/indikator/{indicator.id}/realisasi-otomatis/{period.id}/catatan",
        data={"catatan-evidence_link": "bukan tautan"},
    )
    assert bad.status_code == 303
    assert Realisation.get_by_id(row.id).evidence_link == ""

    supervisor_view = login_as(world.people["supervisor"]).get(
        f"/indikator/{indicator.id}/realisasi-otomatis"
    )
    assert supervisor_view.status_code == 200
    assert "Tambah catatan" not in supervisor_view.get_data(as_text=True)


def test_link_refuses_a_foreign_service_type(world, login_as):
    other = make_service_type(world.units["bkpsdm"], "Layanan lain")
    indicator = make_indicator(world.people["pegawai"])
    response = login_as(world.people["pegawai"]).post(
        f"/skp/indikator/{indicator.id}/tautan-layanan",
        data={"tautan-service_type": str(other.id), "tautan-figure": "ON_TIME_RATE"},
    )
    assert response.status_code == 422
    assert Indicator.get_by_id(indicator.id).linked_service_type_id is None


# --- admin ------------------------------------------------------------------------------------


def test_catalogue_create_edit_deactivate(world, login_as):
    client = login_as(world.people["admin"])
    unit = world.units["seksi"]
    created = client.post(
        "/admin/layanan/baru",
        data={
            "unit": unit.id,
            "name": "Surat keterangan domisili",
            "standard_value": "30",
            "standard_unit": "MENIT",
            "requirements": "Surat pengantar RT",
            "fee": "0",
            "active": "y",
        },
    )
    assert created.status_code == 303
    row = ServiceType.get(ServiceType.name == "Surat keterangan domisili")
    assert row.standard_label == "30 menit"
    edit = client.get(f"/admin/layanan/{row.id}/ubah")
    check_page(edit.get_data(as_text=True))
    changed = client.post(
        f"/admin/layanan/{row.id}/ubah",
        data={
            "unit": unit.id,
            "name": "Surat keterangan domisili",
            "standard_value": "45",
            "standard_unit": "MENIT",
            "fee": "15.000",
            "active": "y",
        },
    )
    assert changed.status_code == 303
    row = ServiceType.get_by_id(row.id)
    assert row.standard_value == 45 and row.fee == Decimal(15000)
    assert client.post(f"/admin/layanan/{row.id}/nonaktifkan").status_code == 303
    assert not ServiceType.get_by_id(row.id).active
    index = client.get("/admin/layanan")
    check_page(index.get_data(as_text=True))


@pytest.mark.parametrize(
    ("field", "value"),
    [("standard_value", "0"), ("standard_value", "satu"), ("fee", "-5"), ("name", "")],
)
def test_catalogue_bad_input_is_422(world, login_as, field, value):
    data = {
        "unit": world.units["seksi"].id,
        "name": "X",
        "standard_value": "1",
        "standard_unit": "HARI_KERJA",
        "fee": "0",
    }
    data[field] = value
    response = login_as(world.people["admin"]).post("/admin/layanan/baru", data=data)
    assert response.status_code == 422
    check_page(response.get_data(as_text=True))
    assert ServiceType.select().count() == 0


def test_auditor_reads_catalogue_but_cannot_write(world, ktp, login_as):
    client = login_as(world.people["auditor"])
    page = client.get("/admin/layanan")
    assert page.status_code == 200
    tree = check_page(page.get_data(as_text=True))
    assert not find_all(main(tree), "form", method="post")
    assert client.post(f"/admin/layanan/{ktp.id}/nonaktifkan").status_code == 403


def _catalogue_for_csv(world):
    unit = world.units["opd"]
    for name in ("Penerbitan KTP-el", "Penerbitan Kartu Keluarga", "Akta Kelahiran"):
        make_service_type(unit, name)
    for nip in ("199003122015032004", "198807012012021007"):
        Employee.create(
            nip=nip,
            name=f"Petugas {nip[-3:]}",
            jabatan="Pengadministrasi",
            jenis_jabatan="PELAKSANA",
            golongan="III/a",
            unit=unit,
        )
    return unit


def _upload(client, unit, name, content: bytes):
    return client.post(
        "/admin/layanan/impor",
        data={"unit": unit.id, "berkas": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_import_with_a_bad_row_is_refused_until_fixed(world, login_as):
    unit = _catalogue_for_csv(world)
    client = login_as(world.people["admin"])
    response = _upload(client, unit, "salah.csv", (DATA / "permohonan_salah.csv").read_bytes())
    assert response.status_code == 303
    report = client.get(response.headers["Location"])
    tree = check_page(report.get_data(as_text=True))
    [listing] = find_all(tree, "ul", class_="import-errors")
    assert texts(listing, "li") == ["Baris 3: waktu selesai sebelum waktu diterima."]
    assert not find_all(main(tree), "form", method="post")
    batch = ImportBatch.get()
    refused = client.post(f"/admin/layanan/impor/{batch.id}/impor")
    assert refused.status_code == 303
    assert ServiceRequest.select().count() == 0

    fixed = _upload(client, unit, "contoh.csv", (DATA / "permohonan_contoh.csv").read_bytes())
    batch = ImportBatch.select().order_by(ImportBatch.id.desc()).get()
    tree = check_page(client.get(fixed.headers["Location"]).get_data(as_text=True))
    assert find_all(main(tree), "form", method="post")
    # Issue 21: what the import does is said, with the counts, before it happens.
    said = " ".join(find_all(main(tree), "p", class_="consequence")[0].itertext())
    assert "5 permohonan baru ditambahkan" in said and "tidak satu pun" in said
    assert ServiceRequest.select().count() == 0
    done = client.post(f"/admin/layanan/impor/{batch.id}/impor")
    assert done.status_code == 303
    assert ServiceRequest.select().count() == 5
    assert "5 permohonan baru" in client.get(done.headers["Location"]).get_data(as_text=True)

    again = _upload(client, unit, "contoh.csv", (DATA / "permohonan_contoh.csv").read_bytes())
    batch = ImportBatch.select().order_by(ImportBatch.id.desc()).get()
    client.get(again.headers["Location"])
    client.post(f"/admin/layanan/impor/{batch.id}/impor")
    assert ServiceRequest.select().count() == 5


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("data.xlsx", b"nomor,layanan,diterima\n", 422),
        ("besar.csv", b"x" * 4097, 413),
        ("utf16.csv", "nomor,layanan,diterima\n".encode("utf-16"), 422),
    ],
)
def test_import_rejects_bad_files(world, login_as, name, content, status, monkeypatch):
    # the 2 MB limit, scaled down so that the test client keeps the body in memory
    monkeypatch.setattr("portal.admin.service_views.MAX_BYTES", 4096)
    unit = _catalogue_for_csv(world)
    response = _upload(login_as(world.people["admin"]), unit, name, content)
    assert response.status_code == status
    check_page(response.get_data(as_text=True))
    assert ImportBatch.select().count() == 0


def test_days_off_add_and_remove(world, login_as):
    client = login_as(world.people["admin"])
    added = client.post(
        "/admin/layanan/libur", data={"date": "2026-08-18", "name": "Hari jadi Kota Sibolga"}
    )
    assert added.status_code == 303
    twice = client.post("/admin/layanan/libur", data={"date": "2026-08-18", "name": "Lagi"})
    assert twice.status_code == 422
    bad = client.post("/admin/layanan/libur", data={"date": "18-08-2026", "name": "X"})
    assert bad.status_code == 422
    day = CityDayOff.get()
    assert client.post(f"/admin/layanan/libur/{day.id}/hapus").status_code == 303
    assert CityDayOff.select().count() == 0
