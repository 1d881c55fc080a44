"""The admin console as an admin uses it: import, fix errors, accounts, periods, settings,
exports, audit, backup; auditors read only."""

import io

import pytest
from openpyxl import load_workbook

from kinerja import settings
from kinerja.clock import pinned_at, to_wib, utcnow
from kinerja.db import is_postgres
from kinerja.models.account import Account
from kinerja.models.admin import ImportJob
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from tests.builders_roster import roster_file, roster_nip
from tests.html import check_page, find_all, texts


def _upload(client, content, name="pegawai.csv"):
    return client.post(
        "/admin/impor",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/unit",
        "/admin/pegawai",
        "/admin/impor",
        "/admin/akun",
        "/admin/periode",
        "/admin/pengaturan",
        "/admin/ekspor",
        "/admin/audit",
    ],
)
@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_console_pages_are_valid_html(world, login_as, url, role):
    client = login_as(world.accounts[role])
    response = client.get(url)
    assert response.status_code == 200
    tree = check_page(response.get_data(as_text=True))
    assert texts(tree, "h1")
    forms = [f for f in find_all(tree, "form") if f.get("method") == "post"]
    if role == "auditor":
        # Auditors see no change forms at all (only the logout form of the header).
        assert [f.get("action") for f in forms] == ["/keluar"]


def test_unit_and_employee_pages(world, login_as):
    client = login_as(world.accounts["admin"])
    unit = world.units["seksi"]
    assert client.get(f"/admin/unit/{unit.id}").status_code == 200
    check_page(client.get(f"/admin/pegawai/{world.people['pegawai'].id}").get_data(as_text=True))
    moved = client.post(f"/admin/unit/{world.units['opd'].id}/pindah", data={"parent_id": unit.id})
    assert moved.status_code == 422
    assert "bawah dirinya" in moved.get_data(as_text=True)
    cycle = client.post(
        f"/admin/pegawai/{world.people['kadis'].id}/atasan",
        data={"supervisor_nip": world.people["pegawai"].nip},
    )
    assert cycle.status_code == 422 and "melingkar" in cycle.get_data(as_text=True)
    created = client.post(
        "/admin/unit",
        data={
            "code": "DUKCAPIL.X",
            "name": "Seksi X",
            "kind": "SEKSI",
            "parent_id": str(world.units["bidang"].id),
        },
    )
    assert created.status_code == 303
    assert Unit.get(Unit.code == "DUKCAPIL.X").parent_id == world.units["bidang"].id
    found = client.get("/admin/pegawai?q=Kasi")
    tree = check_page(found.get_data(as_text=True))
    assert "Kasi Uji" in " ".join(texts(tree, "td"))
    fragment = client.get("/admin/pegawai?q=Kasi", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)


def test_roster_import_flow_fix_errors_then_import(world, login_as):
    client = login_as(world.accounts["admin"])
    before = Employee.select().count()
    response = _upload(client, roster_file(bad=True))
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    items = texts(check_page(page.get_data(as_text=True)), "li")
    assert "Baris 3: golongan 'Z/z' tidak berlaku untuk PNS (I/a–IV/e)." in items
    job = ImportJob.select().order_by(ImportJob.id.desc()).get()
    assert job.status == "GAGAL"
    assert client.post(f"/admin/impor/{job.id}/terapkan").status_code == 303
    assert Employee.select().count() == before
    response = _upload(client, roster_file())
    job = ImportJob.select().order_by(ImportJob.id.desc()).get()
    assert job.status == "SIAP"
    ready = client.get(f"/admin/impor/{job.id}").get_data(as_text=True)
    assert "2 baru" in ready
    # Issue 21: what applying does is said, with the counts, before it happens.
    text = " ".join(check_page(ready).itertext())
    assert "Yang akan terjadi bila Anda mengimpor" in text
    assert "2 pegawai baru ditambahkan" in text and "tidak satu pun" in text
    assert Employee.select().count() == before  # the checked file is not applied yet
    assert client.post(f"/admin/impor/{job.id}/terapkan").status_code == 303
    job = ImportJob.get_by_id(job.id)
    assert job.status == "SELESAI"
    assert Employee.select().count() == before + 2
    staff = Employee.get(Employee.nip == roster_nip(2))
    assert staff.supervisor.nip == roster_nip(1)
    _upload(client, roster_file())
    again = ImportJob.select().order_by(ImportJob.id.desc()).get()
    assert "0 berubah" in client.get(f"/admin/impor/{again.id}").get_data(as_text=True)


def test_roster_job_fragment_polls_while_running(world, login_as):
    client = login_as(world.accounts["admin"])
    job = ImportJob.create(content=b"x", filename="a.csv", status="MEMERIKSA", total=10, done=4)
    fragment = client.get(f"/admin/impor/{job.id}", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in text and "<html" not in text
    assert "HX-Request" in fragment.headers["Vary"]


def test_bulk_accounts_slips_and_csv(world, login_as):
    client = login_as(world.accounts["admin"])
    fresh = Employee.create(
        nip=roster_nip(5),
        name="Belum Berakun",
        jabatan="Staf",
        jenis_jabatan="PELAKSANA",
        golongan="II/a",
        unit=world.units["seksi"],
    )
    slips = client.post("/admin/akun/buat", data={"unit": str(world.units["opd"].id)})
    assert slips.status_code == 200
    tree = check_page(slips.get_data(as_text=True))
    passwords = texts(tree, "dd")
    assert Account.get(Account.employee == fresh.id).must_change_password
    assert any(len(p) == 14 for p in passwords)
    again = client.post("/admin/akun/buat", data={"format": "csv"})
    assert again.status_code == 303  # everyone has an account now
    Employee.create(
        nip=roster_nip(6),
        name="Lagi",
        jabatan="Staf",
        jenis_jabatan="PELAKSANA",
        golongan="II/a",
        unit=world.units["bkpsdm"],
    )
    csv_response = client.post("/admin/akun/buat", data={"format": "csv"})
    body = csv_response.get_data()
    assert body.startswith("\ufeff".encode()) and b"Kata Sandi Awal" in body
    assert csv_response.headers["Cache-Control"] == "no-store"


def test_auditor_posts_are_refused_and_change_nothing(world, login_as):
    client = login_as(world.accounts["auditor"])
    assert _upload(client, roster_file()).status_code == 403
    assert client.post("/admin/akun/buat").status_code == 403
    assert ImportJob.select().count() == 0


def test_settings_bounds(world, login_as):
    client = login_as(world.accounts["admin"])
    page = client.get("/admin/pengaturan")
    data = {
        f.get("name"): f.get("value")
        for f in find_all(check_page(page.get_data(as_text=True)), "input")
        if f.get("name")
    }
    data["objection_days"] = "500"
    bad = client.post("/admin/pengaturan", data=data)
    assert bad.status_code == 422 and "Harus antara 1 dan 90" in bad.get_data(as_text=True)
    data["objection_days"] = "abc"
    assert "bilangan bulat" in client.post("/admin/pengaturan", data=data).get_data(as_text=True)
    data["objection_days"] = "21"
    assert client.post("/admin/pengaturan", data=data).status_code == 303


def test_settings_refuse_privacy_floors_below_the_spec(world, login_as):
    client = login_as(world.accounts["admin"])
    page = client.get("/admin/pengaturan")
    data = {
        f.get("name"): f.get("value")
        for f in find_all(check_page(page.get_data(as_text=True)), "input")
        if f.get("name")
    }
    for key, low in (("feedback_scores_min", "2"), ("feedback_comments_min", "3")):
        bad = client.post("/admin/pengaturan", data={**data, key: low, "public_min_n": "5"})
        body = bad.get_data(as_text=True)
        assert bad.status_code == 422
        assert "ambang kerahasiaan tidak boleh di bawah ketentuan" in body
    assert settings.current()["feedback_scores_min"] == 3
    assert settings.current()["public_min_n"] == 10


def test_periods_create_open_and_close(world, login_as):
    pytest.importorskip("kinerja.services.periods")
    client = login_as(world.accounts["admin"])
    made = client.post(
        "/admin/periode/tahun",
        data={
            "year": "2031",
            "kind": "TRIWULAN",
            "realisation_days": "5",
            "self_assessment_days": "10",
            "rating_days": "20",
        },
    )
    assert made.status_code == 303
    q1 = Period.get((Period.year == 2031) & (Period.number == 1) & (Period.kind == "TRIWULAN"))
    with pinned_at(q1.start):  # a period opens from its first day on, after a confirmation
        login_as(world.accounts["admin"])  # a session ends 12 hours after login: log in "then"
        assert (
            client.post(f"/admin/periode/{q1.id}/buka", data={"konfirmasi": "ya"}).status_code
            == 303
        )
    login_as(world.accounts["admin"])
    q1 = Period.get_by_id(q1.id)
    assert q1.status == "DIBUKA" and q1.frozen_settings
    settings_page = client.get("/admin/pengaturan").get_data(as_text=True)
    assert q1.name in settings_page
    from kinerja.models.evaluation import Evaluation

    Evaluation.create(
        employee=world.people["pegawai"], period=q1, unit=world.units["seksi"], status="TERBUKA"
    )
    refused = client.post(f"/admin/periode/{q1.id}/tutup")
    assert refused.status_code == 409
    assert "Pegawai Uji" in refused.get_data(as_text=True)
    assert Period.get_by_id(q1.id).status == "DIBUKA"
    Evaluation.update(status="DITERIMA").execute()
    # Issue 21: closing says what it does and asks first.
    confirm = client.get(f"/admin/periode/{q1.id}/tutup")
    text = " ".join(check_page(confirm.get_data(as_text=True)).itertext())
    assert confirm.status_code == 200 and f"Ya, tutup {q1.name}" in text
    assert "tidak dapat dibatalkan" in text
    unchecked = client.post(f"/admin/periode/{q1.id}/tutup")
    assert unchecked.status_code == 422 and Period.get_by_id(q1.id).status == "DIBUKA"
    done = client.post(f"/admin/periode/{q1.id}/tutup", data={"konfirmasi": "ya"})
    assert done.status_code == 303
    assert Period.get_by_id(q1.id).status == "DITUTUP"


def test_exports_download(world, login_as):
    client = login_as(world.accounts["auditor"])
    xlsx = client.get(f"/admin/ekspor/skp.xlsx?tahun=2030&unit={world.units['opd'].id}")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.get_data()), read_only=True)
    try:
        header = next(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    assert header[1] == "NIP/NI PPPK"
    assert client.get("/admin/ekspor/ikm.csv?dari=2030-01-01&sampai=2030-12-31").status_code == 200
    assert client.get("/admin/ekspor/layanan.csv").status_code == 200
    assert client.get("/admin/ekspor/skp.pdf").status_code == 404
    assert client.get("/admin/ekspor/ikm.csv?dari=kemarin").status_code == 400


def test_audit_log_filters_and_chain(world, login_as):
    client = login_as(world.accounts["admin"])
    client.post(f"/admin/akun/{world.accounts['peer'].id}/buka-kunci")
    page = client.get("/admin/audit?aksi=unlocked&dari=2000-01-01")
    text = page.get_data(as_text=True)
    check_page(text)
    assert "OK:" in text and "Akun dibuka kembali" in text and "account.unlocked" not in text
    assert client.get("/admin/audit?dari=xx").status_code == 400
    csv_body = client.get("/admin/audit.csv?aksi=unlocked").get_data()
    assert b"account.unlocked" in csv_body


def test_cli_import_roster_and_backup(world, runner, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_file(bad=True))
    result = runner.invoke(args=["import-roster", str(path), "--dry-run"])
    assert result.exit_code == 1 and "Baris 3" in result.output
    path.write_bytes(roster_file())
    result = runner.invoke(args=["import-roster", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 baru" in result.output
    again = runner.invoke(args=["import-roster", str(path)])
    assert "0 berubah" in again.output
    target = tmp_path / "cadangan.sqlite3"
    if is_postgres():  # backup/restore copy SQLite; on PostgreSQL the command gives advice
        advice = runner.invoke(args=["backup", str(target)])
        assert advice.exit_code == 1 and "pg_dump" in advice.output
        return
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    refused = runner.invoke(args=["backup", str(target)])
    assert refused.exit_code == 1 and "--force" in refused.output
    assert runner.invoke(args=["backup", str(target), "--force"]).exit_code == 0
    restored = runner.invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "integrity_check ok" in restored.output


def test_roster_template_as_downloaded_passes_the_dry_run(world, login_as):
    from kinerja.imports import roster as roster_import
    from kinerja.imports import roster_parse

    client = login_as(world.accounts["admin"])
    response = client.get("/admin/impor/templat.csv")
    assert response.status_code == 200
    content = response.get_data()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(roster_parse.TEMPLATE_SAMPLE)
    assert {line.count(";") for line in lines} == {len(roster_parse.TEMPLATE_HEADER) - 1}
    report = roster_import.validate(roster_parse.parse(content, "templat-daftar-pegawai.csv"))
    assert report.errors == []
    assert len(report.new) == len(roster_parse.TEMPLATE_SAMPLE)


def test_audit_log_speaks_indonesian_and_hides_sign_in_out(world, login_as):
    from kinerja.nip import format_nip
    from kinerja.services import audit

    admin = world.accounts["admin"]
    audit.record("auth.login", actor=admin, object_type="account", object_id=admin.id)
    audit.record(
        "setting.changed",
        actor=admin,
        object_type="setting",
        object_id="masa_keberatan",
        before={"value": "14"},
        after={"value": "21"},
    )
    client = login_as(admin)
    tree = check_page(client.get("/admin/audit").get_data(as_text=True))
    rows = [texts(tr, "td") for tr in tree.iter("tr") if texts(tr, "td")]
    (changed,) = [r for r in rows if r[3] == "Pengaturan diubah"]
    person = admin.employee
    assert changed[2] == f"{person.full_name} ({format_nip(person.nip)})"
    assert changed[5] == "Nilai14 → 21"  # <dt>Nilai</dt><dd>14 → 21</dd>
    assert "Masuk" not in [r[3] for r in rows]
    assert "{" not in str(rows) and "auth.login" not in str(rows)
    tree = check_page(client.get("/admin/audit?masuk=1").get_data(as_text=True))
    assert "Masuk" in [r[3] for r in (texts(tr, "td") for tr in tree.iter("tr")) if r]
    csv_text = client.get("/admin/audit.csv?masuk=1").get_data().decode("utf-8-sig")
    assert "Waktu (WIB)" in csv_text and "Pengaturan diubah" in csv_text
    assert "Nilai: 14 → 21" in csv_text


@pytest.mark.parametrize("kind", ["skp", "evaluasi", "ikm", "layanan"])
def test_each_xlsx_export_has_wib_times_widths_and_a_frozen_header(world, login_as, kind):
    from datetime import datetime

    from kinerja.formatting import format_datetime
    from tests.builders_skp import make_skp

    skp = make_skp(world.people["pegawai"], year=2026, status="DISETUJUI")
    client = login_as(world.accounts["auditor"])
    args = "?tahun=2026&dari=2026-01-01&sampai=2026-11-26"
    if kind == "evaluasi":
        period = Period.select().first()
        if period is None:
            from tests.builders_skp import make_year

            period = make_year(2026)[0]
        args += f"&periode={period.id}"
    response = client.get(f"/admin/ekspor/{kind}.xlsx{args}")
    if response.status_code == 404:
        pytest.skip(f"ekspor {kind} tidak tersedia")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert all(c.font.bold for c in sheet[1])
    for letter_index in range(1, len(header) + 1):
        from openpyxl.utils import get_column_letter

        width = sheet.column_dimensions[get_column_letter(letter_index)].width
        assert len(header[letter_index - 1]) + 2 <= width <= 60
    if kind == "skp":
        column = next(i for i, h in enumerate(header) if h.endswith("(WIB)"))
        row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[column])
        shown = format_datetime(skp.approved_at)  # what the pages say
        assert isinstance(row[column], datetime)
        assert row[column].strftime("%H.%M") in shown
        assert row[column].hour == to_wib(utcnow()).hour  # WIB, stored as naive UTC
