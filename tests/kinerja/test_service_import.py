"""CSV import of service requests: parsing, dry run, all-or-nothing, idempotent (§4)."""

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.imports.service_requests import (
    ExistingRequest,
    RowError,
    check,
    parse_bool,
    parse_time,
    read,
)
from kinerja.models.audit import AuditEvent
from kinerja.models.org import Employee
from kinerja.models.service import ImportBatch, ServiceRequest
from kinerja.services import layanan as svc
from kinerja.services import layanan_log
from tests.builders import make_account, make_employee, make_unit
from tests.builders_service import make_service_type, wib

DATA = Path(__file__).resolve().parent.parent / "data"
NOW = wib(2026, 11, 29, 12, 0)
SERVICES = {"penerbitan ktp-el": 1, "akta kelahiran": 2}
HANDLERS = {"199003122015032004": 7}


def run_check(text, existing=None):
    return check(read(text), services=SERVICES, handlers=HANDLERS, existing=existing or {}, now=NOW)


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-29 08:15", wib(2026, 11, 29, 8, 15)),
        ("2026-11-29T08:15:30", wib(2026, 11, 29, 8, 15, 30)),
        ("29/11/2026 08.15", wib(2026, 11, 29, 8, 15)),
        ("29-11-2026 8:05", wib(2026, 11, 29, 8, 5)),
        ("2026-11-29", wib(2026, 11, 29, 0, 0)),
        ("  29/11/2026   08.15 ", wib(2026, 11, 29, 8, 15)),
        ("31/11/2026 08.15", None),
        ("2026-11-29 25:00", None),
        ("kemarin", None),
        ("11/29/2026 08.15", None),
        ("", None),
    ],
)
def test_parse_time_wib_to_utc(text, expected):
    assert parse_time(text) == expected


def test_parse_time_stores_utc():
    assert parse_time("2026-11-29 08:15") == datetime(2026, 11, 29, 1, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ya", True),
        ("YA", True),
        ("1", True),
        ("yes", True),
        ("tidak", False),
        ("", False),
        ("0", False),
        ("mungkin", None),
    ],
)
def test_parse_bool(text, expected):
    assert parse_bool(text) == expected


def test_headers_in_english_any_case_and_semicolons():
    text = (
        "Reference;SERVICE;Received;Completed;Handler_NIP;Rework\n"
        "A-1;Penerbitan KTP-el;2026-11-02 08:15;2026-11-02 09:00;199003122015032004;no\n"
    )
    result = run_check(text)
    assert result.ok, result.errors
    [row] = result.new
    assert (row.reference, row.service_type_id, row.handler_id, row.rework) == ("A-1", 1, 7, False)


def test_missing_required_columns_is_one_file_error():
    result = run_check("nomor,selesai\nA-1,2026-11-02 08:15\n")
    assert not result.ok
    [error] = result.errors
    assert error.row == 1
    assert "layanan" in error.message and "diterima" in error.message


def test_every_row_error_is_listed_with_its_row_number():
    text = (
        "nomor,layanan,diterima,selesai,nip_petugas,perbaikan\n"
        "A-1,Penerbitan KTP-el,2026-11-02 08:15,2026-11-02 09:00,199003122015032004,tidak\n"
        "A-2,Paspor,2026-11-02 08:15,,,\n"
        "A-3,Akta Kelahiran,kemarin,,,\n"
        "A-4,Akta Kelahiran,2026-11-02 08:15,2026-11-01 08:00,,\n"
        "A-5,Akta Kelahiran,2026-11-02 08:15,2026-11-02 09:00,123,\n"
        "A-1,Akta Kelahiran,2026-11-02 08:15,,,\n"
        ",Akta Kelahiran,2026-11-02 08:15,,,mungkin\n"
        "A-8,Akta Kelahiran,2026-12-02 08:15,,,\n"
    )
    result = run_check(text)
    errors = {e.row: e.message for e in result.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert "tidak dikenal" in errors[3] and "Paspor" in errors[3]
    assert "tidak terbaca" in errors[4]
    assert "sebelum waktu diterima" in errors[5]
    assert "NIP petugas '123' tidak dikenal" in errors[6]
    assert "sama dengan baris 2" in errors[7]
    assert "nomor permohonan kosong" in errors[8] and "perbaikan" in errors[8]
    assert "masa depan" in errors[9]
    assert [r.row for r in result.new] == [2]
    assert RowError(3, "x").text() == "Baris 3: x"


def test_existing_reference_same_data_skipped_different_data_error():
    text = (
        "nomor,layanan,diterima,selesai\n"
        "A-1,Penerbitan KTP-el,2026-11-02 08:15,2026-11-02 09:00\n"
        "A-2,Penerbitan KTP-el,2026-11-02 08:15,2026-11-02 09:00\n"
    )
    same = ExistingRequest(1, wib(2026, 11, 2, 8, 15), wib(2026, 11, 2, 9, 0), None, False)
    other = ExistingRequest(1, wib(2026, 11, 2, 8, 15), None, None, False)
    result = run_check(text, {"A-1": same, "A-2": other})
    assert [r.reference for r in result.unchanged] == ["A-1"]
    assert not result.new
    [error] = result.errors
    assert error.row == 3 and "data berbeda" in error.message


def test_bad_encoding_and_empty_file():
    assert "UTF-8" in read("nomor;x\n".encode("utf-16")).errors[0].message
    assert read(b"").errors[0].message.startswith("Berkas kosong")
    assert read("\n\n").errors


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=25)
DATEISH = st.one_of(
    CELL,
    st.builds(
        "{:04d}-{:02d}-{:02d} {:02d}:{:02d}".format,
        st.integers(1990, 2030),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
    ),
    st.builds(
        "{:02d}/{:02d}/{:04d} {:02d}.{:02d}".format,
        st.integers(0, 32),
        st.integers(0, 13),
        st.integers(1990, 2030),
        st.integers(0, 25),
        st.integers(0, 61),
    ),
)
ROW = st.tuples(
    st.one_of(CELL, st.sampled_from(["A-1", "A-2"])),
    st.one_of(CELL, st.sampled_from(["Penerbitan KTP-el", "akta  KELAHIRAN"])),
    DATEISH,
    DATEISH,
    st.one_of(CELL, st.just("199003122015032004")),
    st.one_of(CELL, st.sampled_from(["ya", "tidak", ""])),
)


def _csv(rows, delimiter=","):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["nomor", "layanan", "diterima", "selesai", "nip_petugas", "perbaikan"])
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, max_size=12), delimiter=st.sampled_from([",", ";"]))
def test_random_rows_only_ever_give_row_errors(rows, delimiter):
    result = run_check(_csv(rows, delimiter))
    assert all(isinstance(e, RowError) and e.message for e in result.errors)
    error_rows = {e.row for e in result.errors}
    new_rows = {r.row for r in result.new}
    assert not error_rows & new_rows
    filled = [r for r in rows if any(c.replace("\x00", "").strip() for c in r)]
    assert len(new_rows) + len(error_rows) == len(filled)
    for parsed in result.new:
        assert parsed.completed_at is None or parsed.completed_at >= parsed.received_at


@settings(max_examples=150, deadline=None)
@given(content=st.binary(max_size=400))
def test_random_bytes_never_raise(content):
    result = check(read(content), services=SERVICES, handlers=HANDLERS, existing={}, now=NOW)
    assert all(isinstance(e, RowError) for e in result.errors)


# --- dry run and import against the database -------------------------------------------------


@pytest.fixture
def unit_with_catalogue(app):
    unit = make_unit("Dinas Kependudukan dan Pencatatan Sipil", code="DUKCAPIL")
    for name in ("Penerbitan KTP-el", "Penerbitan Kartu Keluarga", "Akta Kelahiran"):
        make_service_type(unit, name)
    template = make_employee(unit=unit)
    for nip in ("199003122015032004", "198807012012021007"):
        Employee.create(
            nip=nip,
            name=f"Petugas {nip[-3:]}",
            jabatan="Pengadministrasi",
            jenis_jabatan="PELAKSANA",
            golongan="III/a",
            unit=unit,
        )
    admin = make_account(make_employee(unit=unit), roles=["ADMIN"])
    return unit, admin, template


def _snapshot():
    return sorted(
        (r.reference, r.received_at, r.completed_at, r.handler_id, r.rework)
        for r in ServiceRequest.select()
    )


def test_example_file_imports_and_reimport_changes_nothing(unit_with_catalogue):
    unit, admin, _ = unit_with_catalogue
    content = (DATA / "permohonan_contoh.csv").read_bytes()
    batch, result = layanan_log.upload_import(admin, unit, "permohonan_contoh.csv", content)
    assert result.ok, result.errors
    assert (len(result.new), len(result.unchanged)) == (5, 0)
    assert ServiceRequest.select().count() == 0  # the dry run writes no request
    outcome = layanan_log.run_import(admin, batch)
    assert (outcome.inserted, outcome.unchanged) == (5, 0)
    first = _snapshot()
    open_one = ServiceRequest.get(ServiceRequest.reference == "DUKCAPIL-20261104-0001")
    assert open_one.completed_at is None and open_one.source == "IMPORT"
    assert ServiceRequest.get(ServiceRequest.reference == "DUKCAPIL-20261102-0002").rework

    again, result = layanan_log.upload_import(admin, unit, "permohonan_contoh.csv", content)
    assert result.ok and not result.new and len(result.unchanged) == 5
    outcome = layanan_log.run_import(admin, again)
    assert (outcome.inserted, outcome.unchanged) == (0, 5)
    assert _snapshot() == first
    with pytest.raises(svc.ServiceError):
        layanan_log.run_import(admin, again)


def test_file_with_a_bad_row_is_refused_and_changes_nothing(unit_with_catalogue):
    unit, admin, _ = unit_with_catalogue
    content = (DATA / "permohonan_salah.csv").read_bytes()
    batch, result = layanan_log.upload_import(admin, unit, "permohonan_salah.csv", content)
    assert [e.row for e in result.errors] == [3]
    assert "sebelum waktu diterima" in result.errors[0].message
    events = AuditEvent.select().count()
    with pytest.raises(layanan_log.ImportRefused) as refused:
        layanan_log.run_import(admin, batch)
    assert refused.value.result.errors[0].row == 3
    assert ServiceRequest.select().count() == 0
    assert AuditEvent.select().count() == events
    assert ImportBatch.get_by_id(batch.id).status == layanan_log.BATCH_CHECKED


def test_changed_row_of_an_imported_file_is_an_error(unit_with_catalogue):
    unit, admin, _ = unit_with_catalogue
    content = (DATA / "permohonan_contoh.csv").read_text()
    batch, _ = layanan_log.upload_import(admin, unit, "a.csv", content.encode())
    layanan_log.run_import(admin, batch)
    changed = content.replace("2026-11-02 11:40", "2026-11-02 12:40")
    _, result = layanan_log.upload_import(admin, unit, "b.csv", changed.encode())
    [error] = result.errors
    assert error.row == 2 and "data berbeda" in error.message


def test_unreadable_upload_keeps_no_batch(unit_with_catalogue):
    unit, admin, _ = unit_with_catalogue
    batch, result = layanan_log.upload_import(admin, unit, "x.csv", "nomor\n".encode("utf-16"))
    assert batch is None and not result.ok
    assert ImportBatch.select().count() == 0
