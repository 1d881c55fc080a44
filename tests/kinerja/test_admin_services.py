"""Admin use cases: units, employees, accounts, settings, exports, backup, period closing."""

import csv
import io
import sqlite3
from datetime import date

import pytest
from openpyxl import load_workbook

from kinerja import migrations, passwords, settings
from kinerja.db import database, is_postgres
from kinerja.models.account import Account, AccountRole
from kinerja.models.audit import AuditEvent
from kinerja.models.org import Employee, Unit
from kinerja.ops import backup
from kinerja.queries import admin as admin_queries
from kinerja.queries import exports
from kinerja.services import admin_accounts, admin_org, admin_settings
from kinerja.services.admin_org import AdminError
from tests.builders import make_employee, make_unit


def _actions():
    return [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]


def test_unit_move_refuses_cycles(world):
    opd, bidang, seksi = world.units["opd"], world.units["bidang"], world.units["seksi"]
    with pytest.raises(AdminError, match="bawah dirinya"):
        admin_org.move_unit(opd.id, seksi.id)
    with pytest.raises(AdminError):
        admin_org.move_unit(bidang.id, bidang.id)
    admin_org.move_unit(seksi.id, opd.id)
    assert Unit.get_by_id(seksi.id).parent_id == opd.id
    assert "unit.moved" in _actions()


def test_unit_deactivation_keeps_rows_and_needs_empty_unit(world):
    seksi = world.units["seksi"]
    with pytest.raises(AdminError, match="pegawai aktif"):
        admin_org.set_unit_active(seksi.id, False)
    empty = make_unit("Kosong", parent=world.units["opd"], kind="SEKSI")
    admin_org.set_unit_active(empty.id, False)
    assert Unit.get_by_id(empty.id).active is False
    parent = make_unit("Induk Kosong", kind="OPD")
    make_unit("Anak", parent=parent, kind="SEKSI")
    with pytest.raises(AdminError, match="unit bawahan aktif"):
        admin_org.set_unit_active(parent.id, False)


def test_create_and_rename_unit_audited(world):
    unit = admin_org.create_unit(
        code="dukcapil.x", name="Seksi X", kind="SEKSI", parent_id=world.units["bidang"].id
    )
    assert unit.code == "DUKCAPIL.X"
    with pytest.raises(AdminError, match="sudah dipakai"):
        admin_org.create_unit(code="DUKCAPIL.X", name="Lagi", kind="SEKSI")
    admin_org.update_unit(unit.id, name="Seksi Y", short_name="", kind="SEKSI", serves_public=True)
    assert Unit.get_by_id(unit.id).serves_public
    assert _actions()[-2:] == ["unit.created", "unit.updated"]


def test_supervisor_cycle_refused(world):
    p = world.people
    with pytest.raises(AdminError, match="melingkar"):
        admin_org.set_supervisor(p["kadis"].id, p["pegawai"].id)
    admin_org.set_supervisor(p["pegawai"].id, p["atasan"].id)
    assert Employee.get_by_id(p["pegawai"].id).supervisor_id == p["atasan"].id


def test_search_is_safe_with_like_metacharacters(world):
    make_employee("Ani 100% Siregar", unit=world.units["seksi"])
    names = [e.name for e in admin_queries.search_employees(q="100%")]
    assert names == ["Ani 100% Siregar"]
    assert [e.name for e in admin_queries.search_employees(q="%")] == ["Ani 100% Siregar"]
    assert list(admin_queries.search_employees(q="_")) == []
    assert [e.id for e in admin_queries.search_employees(q="'; DROP TABLE employee; --")] == []
    nip = world.people["pegawai"].nip
    spaced = f"{nip[:8]} {nip[8:14]}"
    assert [e.id for e in admin_queries.search_employees(q=spaced)] == [world.people["pegawai"].id]


def test_deactivate_employee_keeps_history(world):
    p = world.people["pegawai"]
    admin_org.set_employee_active(p.id, False, reason="Pensiun")
    assert Employee.get_by_id(p.id).active is False
    assert Account.get(Account.employee == p.id)  # the account row stays
    assert (
        AuditEvent.select()
        .where((AuditEvent.object_type == "employee") & (AuditEvent.object_id == str(p.id)))
        .count()
        == 1
    )


def test_acting_official_ranges(world):
    p = world.people
    row = admin_org.add_acting(
        acting_id=p["peer"].id,
        for_id=p["supervisor"].id,
        kind="PLT",
        start=date(2030, 1, 1),
        end=date(2030, 3, 31),
    )
    with pytest.raises(AdminError, match="sudah ada"):
        admin_org.add_acting(
            acting_id=p["peer"].id,
            for_id=p["supervisor"].id,
            kind="PLH",
            start=date(2030, 3, 1),
            end=date(2030, 4, 1),
        )
    with pytest.raises(AdminError, match="sebelum"):
        admin_org.add_acting(
            acting_id=p["peer"].id,
            for_id=p["supervisor"].id,
            kind="PLH",
            start=date(2030, 5, 2),
            end=date(2030, 5, 1),
        )
    admin_org.end_acting(row.id, day=date(2030, 2, 1))
    assert row.__class__.get_by_id(row.id).end == date(2030, 2, 1)


def test_bulk_accounts_with_initial_passwords(world):
    a = make_employee("Tanpa Akun A", unit=world.units["seksi"])
    b = make_employee("Tanpa Akun B", unit=world.units["bkpsdm"])
    issued = admin_accounts.create_accounts({world.units["seksi"].id})
    assert [i.nip for i in issued] == [a.nip]
    account = Account.get(Account.employee == a.id)
    assert account.must_change_password
    assert account.password_hash != issued[0].password
    assert passwords.verify_password(account.password_hash, issued[0].password)
    assert not passwords.password_problems(issued[0].password, nip=a.nip)
    rest = admin_accounts.create_accounts(None)
    assert [i.nip for i in rest] == [b.nip]
    assert admin_accounts.create_accounts(None) == []


def test_reset_unlock_and_roles(world):
    admin = world.accounts["admin"]
    peer = world.accounts["peer"]
    Account.update(failed_attempts=3).where(Account.id == peer.id).execute()
    admin_accounts.unlock(peer.id, actor=admin)
    assert Account.get_by_id(peer.id).failed_attempts == 0
    issued = admin_accounts.reset_password(peer.id, actor=admin)
    fresh = Account.get_by_id(peer.id)
    assert fresh.must_change_password and fresh.session_nonce != peer.session_nonce
    assert passwords.verify_password(fresh.password_hash, issued.password)
    admin_accounts.set_role(peer.id, "AUDITOR", True, actor=admin)
    assert AccountRole.get((AccountRole.account == peer.id) & (AccountRole.role == "AUDITOR"))
    with pytest.raises(AdminError, match="sendiri"):
        admin_accounts.set_role(admin.id, "ADMIN", False, actor=admin)
    with pytest.raises(AdminError):
        admin_accounts.set_role(peer.id, "RAJA", True, actor=admin)
    assert {"account.unlocked", "account.password_reset", "account.role_granted"} <= set(_actions())


def test_settings_bounds_and_audit(app):
    assert admin_settings.problems({"objection_days": 0})["objection_days"].startswith("Paling")
    assert "rating_band_above" in admin_settings.problems(
        {"rating_band_above": 100, "rating_band_meets": 100}
    )
    with pytest.raises(ValueError):
        admin_settings.update({"public_min_n": 1})
    assert admin_settings.update({"objection_days": 21, "public_min_n": 10}) == ["objection_days"]
    assert settings.get("objection_days") == 21
    assert _actions() == ["setting.changed"]


@pytest.mark.parametrize(
    "key, floor",
    [
        ("feedback_scores_min", 3),  # docs/spec/product.md §3: scores at 3 answers
        ("feedback_comments_min", 5),  # docs/spec/product.md §3: comments at 5
        ("public_min_n", 10),  # docs/spec/product.md §6: an aggregate covers at least 10
        ("public_small_count_max", 4),  # docs/spec/product.md §6: a count from 1 to 4 is hidden
    ],
)
def test_privacy_floors_cannot_go_below_the_spec(app, key, floor):
    message = admin_settings.problems({key: floor - 1})[key]
    assert message == f"Paling kecil {floor}: ambang kerahasiaan tidak boleh di bawah ketentuan."
    with pytest.raises(ValueError):
        admin_settings.update({key: floor - 1})
    assert settings.get(key) == settings.SPECS[key].default
    assert admin_settings.problems({key: floor}) == {}
    assert admin_settings.update({key: floor + 1}) == [key]  # stricter is allowed
    settings.store(key, floor - 2)  # stored around the admin page (or before the floors)
    assert settings.get(key) == floor  # read back at the floor, never below


def test_safe_cell_prevents_formula_injection():
    for text in ("=1+1", "+62", "-5", "@SUM(A1)", "\t=x"):
        assert exports.safe_cell(text).startswith("'")
    assert exports.safe_cell("Budi") == "Budi"
    assert exports.safe_cell(-5) == -5


def test_skp_export_csv_and_xlsx(world):
    make_employee('=HYPERLINK("http://x")', unit=world.units["seksi"])
    table = exports.skp_table(2030, world.units["opd"].id)
    assert table.headers[:3] == ["Tahun", "NIP/NI PPPK", "Nama"]
    assert len(table.rows) == 6  # the five in the Dukcapil tree plus the new one
    data = exports.to_csv(table)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert any(r[2].startswith("'=HYPERLINK") for r in rows[1:])
    book = load_workbook(io.BytesIO(exports.to_xlsx(table)), read_only=True)
    try:
        sheet = book.worksheets[0]
        values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    assert values[0][6] == "Status SKP"
    assert any(str(r[2]).startswith("'=") for r in values[1:])
    city = exports.skp_table(2030)
    assert len(city.rows) == Employee.select().where(Employee.active).count()


def test_evaluation_export_headers(world):
    from kinerja.models.period import Period

    period = Period.create(
        year=2030,
        kind="TRIWULAN",
        number=1,
        name="Triwulan I 2030",
        start=date(2030, 1, 1),
        end=date(2030, 3, 31),
    )
    table = exports.evaluation_table(period.id)
    assert "Predikat Kinerja" in table.headers and "Angka Kredit" in table.headers


def test_backup_and_restore_roundtrip(app, tmp_path):
    if is_postgres():
        pytest.skip("the backup command copies SQLite; PostgreSQL uses pg_dump")
    Unit.create(code="SEBELUM", name="Sebelum", kind="OPD")
    target = tmp_path / "cadangan.sqlite3"
    backup.backup(target)
    with pytest.raises(backup.BackupError, match="--force"):
        backup.backup(target)
    check = backup.inspect(target)
    assert check.ok and check.schema_version == migrations.latest_version()
    Unit.create(code="SESUDAH", name="Sesudah", kind="OPD")
    backup.restore(target)
    database.connect(reuse_if_open=True)
    codes = {u.code for u in Unit.select()}
    assert "SEBELUM" in codes and "SESUDAH" not in codes


def test_restore_refuses_a_broken_or_foreign_file(app, tmp_path):
    junk = tmp_path / "bukan.sqlite3"
    junk.write_bytes(b"ini bukan basis data" * 100)
    with pytest.raises(backup.BackupError):
        backup.restore(junk)
    other = tmp_path / "lain.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    with pytest.raises(backup.BackupError, match="versi skema"):
        backup.restore(other)


def test_backup_finishes_under_continuous_writes_and_is_consistent(app, tmp_path):
    """Another thread commits as fast as it can during the backup: the copy still finishes
    (one step, never restarted) and is one consistent snapshot."""
    import threading

    from kinerja.db import write_tx

    if is_postgres():
        pytest.skip("the backup command copies SQLite; PostgreSQL uses pg_dump")
    with write_tx():
        for n in range(3000):  # a few MB, many pages
            Unit.create(code=f"U{n}", name="Unit " + "x" * 500, kind="OPD")
    stop = threading.Event()
    written = []

    def writer():
        with database.connection_context():
            n = 0
            while not stop.is_set():
                with write_tx():
                    Unit.create(code=f"W{n}", name="Tulis", kind="OPD")
                n += 1
                written.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:  # the writer is going
            threading.Event().wait(0.01)
        steps = []
        target = backup.backup(tmp_path / "cadangan.sqlite3", progress=lambda *a: steps.append(a))
        during = len(written)
    finally:
        stop.set()
        thread.join()
    assert during > 20 and len(steps) == 1
    assert backup.inspect(target).ok
    copy = sqlite3.connect(target)
    try:
        codes = [c for (c,) in copy.execute("SELECT code FROM unit WHERE code LIKE 'W%'")]
        assert copy.execute("SELECT count(*) FROM unit WHERE code LIKE 'U%'").fetchone()[0] == 3000
    finally:
        copy.close()
    # a snapshot: the writer's rows up to some point, none missing before it
    assert sorted(int(c[1:]) for c in codes) == list(range(len(codes)))


def test_restore_refuses_while_the_database_is_in_use(app, tmp_path):
    if is_postgres():
        pytest.skip("the backup command copies SQLite; PostgreSQL uses pg_dump")
    target = backup.backup(tmp_path / "cadangan.sqlite3")
    Unit.create(code="SESUDAH", name="Sesudah", kind="OPD")
    running_app = sqlite3.connect(backup.database_path())  # e.g. a waitress process
    running_app.execute("SELECT count(*) FROM unit").fetchall()
    try:
        with pytest.raises(backup.BackupError, match="sedang dipakai"):
            backup.restore(target)
    finally:
        running_app.close()
    database.connect(reuse_if_open=True)
    assert Unit.select().where(Unit.code == "SESUDAH").exists()  # untouched
    backup.restore(target)  # stopped now
    database.connect(reuse_if_open=True)
    assert not Unit.select().where(Unit.code == "SESUDAH").exists()


def test_restore_force_skips_the_in_use_check(app, tmp_path):
    if is_postgres():
        pytest.skip("the backup command copies SQLite; PostgreSQL uses pg_dump")
    target = backup.backup(tmp_path / "cadangan.sqlite3")
    Unit.create(code="SESUDAH", name="Sesudah", kind="OPD")
    idle = sqlite3.connect(backup.database_path())
    idle.execute("SELECT 1 FROM unit").fetchall()
    try:
        backup.restore(target, force=True)
    finally:
        idle.close()
    database.connect(reuse_if_open=True)
    assert not Unit.select().where(Unit.code == "SESUDAH").exists()
