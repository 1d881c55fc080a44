"""Roster import: header mapping, dry run errors with row numbers, all-or-nothing upsert."""

import io
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kinerja.imports import roster as roster_import
from kinerja.imports import roster_jobs, roster_parse
from kinerja.imports.roster import RosterInvalid
from kinerja.imports.roster_parse import RosterFileError
from kinerja.models.admin import ImportJob
from kinerja.models.audit import AuditEvent
from kinerja.models.org import Employee, Unit
from kinerja.nip import make_nip
from tests.builders import make_employee, make_unit

HEADER = (
    "NIP;Nama;Gelar Depan;Gelar Belakang;Jabatan;Jenis Jabatan;Golongan;Status;Kode Unit;"
    "NIP Atasan;Aktif"
)


def _nip(n: int) -> str:
    return make_nip(date(1970 + n % 15, 1 + n % 12, 1 + n % 28), 2005, 1 + n % 12, "L", 1 + n % 999)


def _csv(lines) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8-sig")


@pytest.fixture
def units(app):
    opd = make_unit("Dinas Uji", code="DINAS")
    seksi = make_unit("Seksi Uji", code="DINAS.S1", kind="SEKSI", parent=opd)
    return opd, seksi


def _good_lines():
    boss, staff1, staff2 = _nip(1), _nip(2), _nip(3)
    return [
        f"{boss};Budi Harahap;Drs.;M.Si;Kepala Dinas;JPT;IV/c;PNS;DINAS;;ya",
        f"{staff1};Sari Pasaribu;;S.E.;Analis;Pelaksana;III/a;PNS;DINAS.S1;{boss};ya",
        f"{staff2};Tono;;;Pengadministrasi;pelaksana;iii/B;PNS;dinas.s1;{boss};",
    ]


def test_dry_run_then_import_upserts_by_nip(units):
    rows = roster_parse.parse(_csv(_good_lines()), "pegawai.csv")
    report = roster_import.validate(rows)
    assert report.ok, report.errors
    assert len(report.new) == 3 and not report.changed
    assert Employee.select().count() == 0  # a dry run writes nothing
    done = roster_import.apply(rows, filename="pegawai.csv")
    assert done.applied
    boss = Employee.get(Employee.nip == _nip(1))
    staff = Employee.get(Employee.nip == _nip(3))
    assert staff.supervisor_id == boss.id
    assert staff.golongan == "III/b" and staff.unit.code == "DINAS.S1"
    assert boss.gelar_depan == "Drs."
    assert AuditEvent.select().where(AuditEvent.action == "roster.imported").count() == 1


def test_reimporting_the_same_file_changes_nothing(units):
    content = _csv(_good_lines())
    roster_import.apply(roster_parse.parse(content))
    before = [tuple(r) for r in Employee.select().order_by(Employee.id).tuples()]
    events = AuditEvent.select().count()
    again = roster_import.apply(roster_parse.parse(content))
    assert again.summary()["berubah"] == 0 and again.summary()["baru"] == 0
    assert "0 berubah" in again.text()
    assert [tuple(r) for r in Employee.select().order_by(Employee.id).tuples()] == before
    assert AuditEvent.select().count() == events


def test_changed_row_is_updated(units):
    roster_import.apply(roster_parse.parse(_csv(_good_lines())))
    lines = _good_lines()
    lines[2] = lines[2].replace("Pengadministrasi", "Pengolah Data")
    report = roster_import.apply(roster_parse.parse(_csv(lines)))
    assert report.changed == [_nip(3)] and report.unchanged == 2
    assert Employee.get(Employee.nip == _nip(3)).jabatan == "Pengolah Data"


def test_one_bad_row_changes_nothing(units):
    lines = _good_lines()
    lines.append(f"{_nip(4)};Rusak;;;Analis;Pelaksana;V/z;PNS;DINAS;;ya")
    rows = roster_parse.parse(_csv(lines))
    with pytest.raises(RosterInvalid) as info:
        roster_import.apply(rows)
    assert info.value.report.errors == [
        "Baris 5: golongan 'V/z' tidak berlaku untuk PNS (I/a–IV/e)."
    ]
    assert Employee.select().count() == 0
    assert AuditEvent.select().count() == 0


def test_every_error_is_listed_with_its_row_number(units):
    existing = make_employee(unit=units[0])
    lines = [
        f"{_nip(1)};A;;;Kepala;JPT;IV/c;PNS;DINAS;;ya",
        f"{_nip(1)};B;;;Staf;Pelaksana;III/a;PNS;DINAS;;ya",  # duplicate NIP
        "12345;C;;;Staf;Pelaksana;III/a;PNS;DINAS;;ya",  # NIP length
        f"{_nip(5)};D;;;Staf;Pelaksana;III/a;PNS;NOPE;;ya",  # unknown unit
        f"{_nip(6)};E;;;Staf;Pelaksana;III/a;PNS;DINAS;199001012015011999;ya",  # unknown boss
        f"{_nip(7)};F;;;Staf;Tukang;IX;PNS;DINAS;;mungkin",  # jenis, golongan, aktif
        f"{_nip(8)};G;;;Staf;Pelaksana;III/a;PNS;DINAS;{_nip(9)};ya",  # cycle 8 → 9 → 8
        f"{_nip(9)};H;;;Staf;Pelaksana;III/a;PNS;DINAS;{_nip(8)};ya",
        f"{existing.nip};I;;;Staf;Pelaksana;III/a;PNS;DINAS;{_nip(1)};ya",  # ok: upsert
    ]
    report = roster_import.validate(roster_parse.parse(_csv(lines)))
    text = "\n".join(report.errors)
    assert "Baris 3: NIP" in text and "sudah muncul di baris 2" in text
    assert "Baris 4: NIP 12345" in text
    assert "Baris 5: kode unit 'NOPE' tidak dikenal." in text
    assert "Baris 6: NIP atasan 199001012015011999 tidak ada" in text
    assert "Baris 7: jenis jabatan 'Tukang' tidak dikenal" in text
    assert "Baris 7: golongan 'IX' tidak berlaku untuk PNS" in text
    assert "Baris 7: kolom aktif 'mungkin'" in text
    assert "Baris 8: rantai atasan membentuk lingkaran" in text
    assert "Baris 9: rantai atasan membentuk lingkaran" in text
    assert not any(e.startswith("Baris 10") for e in report.errors)
    lines_of = [int(e.split(":")[0].split()[1]) for e in report.errors]
    assert lines_of == sorted(lines_of)


def test_cycle_through_the_database_is_refused(units):
    boss = make_employee(unit=units[0])
    staff = make_employee(unit=units[0], supervisor=boss)
    lines = [f"{boss.nip};Boss;;;Kepala;JPT;IV/c;PNS;DINAS;{staff.nip};ya"]
    report = roster_import.validate(roster_parse.parse(_csv(lines)))
    assert len(report.errors) == 1 and "lingkaran" in report.errors[0]


def test_pppk_rules_follow_the_status_column(units):
    from kinerja.nip import make_ni_pppk

    ni = make_ni_pppk(date(1990, 1, 1), 2022, 1, "P", 7)
    ok = [f"{ni};P3K;;;Guru;Fungsional;IX;PPPK;DINAS;;ya"]
    assert roster_import.validate(roster_parse.parse(_csv(ok))).ok
    bad = [f"{ni};P3K;;;Guru;Fungsional;III/a;PPPK;DINAS;;ya"]
    errors = roster_import.validate(roster_parse.parse(_csv(bad))).errors
    assert errors == ["Baris 2: golongan 'III/a' tidak berlaku untuk PPPK (I–XVII)."]


def test_missing_headers_are_named():
    with pytest.raises(RosterFileError, match="kode unit"):
        roster_parse.parse(b"nip,nama,jabatan,jenis_jabatan,golongan\n1,2,3,4,5\n")
    with pytest.raises(RosterFileError):
        roster_parse.parse(b"")


def test_comma_csv_and_aliases(units):
    content = (
        "nip_baru,nama_lengkap,nama_jabatan,jenis,gol,unit_kerja\n"
        f"{_nip(1)},Ani,Analis,Fungsional,III/c,DINAS\n"
    ).encode()
    report = roster_import.validate(roster_parse.parse(content))
    assert report.ok, report.errors


def _xlsx(rows, header=None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header or HEADER.split(";"))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_with_float_nip_is_reported(units):
    content = _xlsx(
        [[float(_nip(1)), "A", "", "", "Staf", "Pelaksana", "III/a", "PNS", "DINAS", "", "ya"]]
    )
    errors = roster_import.validate(roster_parse.parse(content, "x.xlsx")).errors
    assert len(errors) == 1 and "tersimpan sebagai angka" in errors[0]


def test_unreadable_xlsx():
    with pytest.raises(RosterFileError):
        roster_parse.parse(b"PK\x03\x04 rusak", "x.xlsx")


def test_five_thousand_row_xlsx_imports(units, tmp_path):
    opd, seksi = units
    boss = _nip(0)
    rows = [[boss, "Kepala", "", "", "Kepala Dinas", "JPT", "IV/c", "PNS", "DINAS", "", "ya"]]
    for n in range(1, 5000):
        birth = date(1975, 1, 1) + timedelta(days=n)
        nip = make_nip(birth, birth.year + 20, 1 + n % 12, "LP"[n % 2], 1 + n % 999)
        rows.append(
            [
                nip,
                f"Pegawai {n}",
                "",
                "",
                "Pelaksana",
                "Pelaksana",
                "II/c",
                "PNS",
                "DINAS.S1",
                boss,
                "ya",
            ]
        )
    path = tmp_path / "roster_5000.xlsx"
    path.write_bytes(_xlsx(rows))
    parsed = roster_parse.parse(path.read_bytes(), path.name)
    assert len(parsed) == 5000
    report = roster_import.apply(parsed, filename=path.name)
    assert report.ok and len(report.new) == 5000
    assert Employee.select().count() == 5000
    again = roster_import.apply(roster_parse.parse(path.read_bytes()))
    assert again.unchanged == 5000 and not again.changed


def test_jobs_record_progress_and_outcome(units):
    job = roster_jobs.create_job(_csv(_good_lines()), "pegawai.csv")
    roster_jobs.run_dry_run(job.id)
    job = ImportJob.get_by_id(job.id)
    assert job.status == "SIAP" and job.done == job.total == 3
    roster_jobs.run_import(job.id)
    job = ImportJob.get_by_id(job.id)
    assert job.status == "SELESAI"
    assert roster_jobs.job_summary(job)["baru"] == 3
    assert Employee.select().count() == 3


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=11))
def test_any_row_content_gives_messages_not_crashes(units, cells):
    line = ";".join(
        c.replace(";", "").replace("\n", "").replace("\r", "").replace('"', "") for c in cells
    )
    try:
        rows = roster_parse.parse(_csv([line]))
    except RosterFileError:
        return
    report = roster_import.validate(rows)
    assert all(e.startswith("Baris ") for e in report.errors)


@pytest.mark.parametrize(
    "content",
    [b'nip;nama\n"1986;Ana\n', b"nip;nama\n19860926201505\r1001;Ana\n", b'nip,nama\n1"9,"x"y\n'],
)
def test_malformed_csv_is_a_file_error_or_rows_never_a_crash(content):
    try:
        rows = roster_parse.parse(content, "roster.csv")
    except RosterFileError as exc:
        assert "tidak dapat dibaca" in str(exc) or "kolom" in str(exc)
    else:
        assert isinstance(rows, list)


def test_apply_validates_before_the_write_transaction(units, monkeypatch):
    """The row checks (the slow part) run with no transaction open; unchanged data is not
    checked twice, so the write lock is held for the writes only."""
    from kinerja.db import database

    depths = []
    real = roster_import.validate

    def watched(*args, **kwargs):
        depths.append(database.transaction_depth())
        return real(*args, **kwargs)

    monkeypatch.setattr(roster_import, "validate", watched)
    assert roster_import.apply(roster_parse.parse(_csv(_good_lines()))).applied
    assert depths == [0]
    assert Employee.select().count() == 3


def test_apply_checks_again_when_the_data_changed_meanwhile(units):
    """A unit deactivated between the check and the transaction: checked again inside it,
    refused, nothing written."""
    _, seksi = units

    def meanwhile(done, total):
        if done == total:
            Unit.update(active=False).where(Unit.id == seksi.id).execute()

    with pytest.raises(RosterInvalid) as refused:
        roster_import.apply(roster_parse.parse(_csv(_good_lines())), progress=meanwhile)
    assert any("sudah nonaktif" in e for e in refused.value.report.errors)
    assert Employee.select().count() == 0


def test_template_header_and_sample_rows_have_as_many_cells():
    assert len(roster_parse.TEMPLATE_HEADER) == len(roster_parse.ALIASES)
    for sample in roster_parse.TEMPLATE_SAMPLE:
        assert len(sample) == len(roster_parse.TEMPLATE_HEADER)


def test_a_row_with_a_missing_cell_names_the_column_count(units):
    boss = _nip(1)
    lines = [
        f"{boss};Budi Harahap;Drs.;M.Si;Kepala Dinas;JPT;IV/c;PNS;DINAS;;ya",
        # "Gelar Depan" left out: every later value stands one heading to the left.
        f"{_nip(2)};Sari Pasaribu;S.E.;Analis;Pelaksana;III/a;PNS;DINAS.S1;{boss};ya",
    ]
    report = roster_import.validate(roster_parse.parse(_csv(lines)))
    assert report.errors == [
        "Baris 3: berisi 10 kolom; baris judul (templat) memiliki 11 kolom: NIP, Nama, "
        "Gelar Depan, Gelar Belakang, Jabatan, Jenis Jabatan, Golongan, Status, Kode Unit, "
        "NIP Atasan, Aktif. Periksa nilai yang hilang atau berlebih (setiap kolom harus ada, "
        "biarkan kosong bila tidak diisi)."
    ]


def test_a_row_with_an_extra_cell_names_the_column_count(units):
    lines = [f"{_nip(1)};Budi;Drs.;M.Si;Kepala Dinas;JPT;IV/c;PNS;DINAS;;ya;lebih"]
    (error,) = roster_import.validate(roster_parse.parse(_csv(lines))).errors
    assert error.startswith("Baris 2: berisi 12 kolom; baris judul (templat) memiliki 11 kolom")
    # Empty cells after the last heading are harmless.
    lines = [f"{_nip(1)};Budi;Drs.;M.Si;Kepala Dinas;JPT;IV/c;PNS;DINAS;;ya;;"]
    assert roster_import.validate(roster_parse.parse(_csv(lines))).ok
