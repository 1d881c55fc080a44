"""`flask reset-demo` (``make demo``, ``make clean-db``): deletes the SQLite demo database
with its -wal and -shm after asking (or with --yes and a clear message), then seeds the demo
again unless --no-seed; a database with non-demo data is refused."""

from pathlib import Path

import pytest

from kinerja import demo
from kinerja.db import database, is_postgres
from kinerja.demo.reset import database_files
from kinerja.models.org import Employee
from kinerja.ops import backup


@pytest.fixture(autouse=True)
def _sqlite_only(app):
    if is_postgres():
        pytest.skip("make demo resets the SQLite demo file; on PostgreSQL it refuses")


def _path() -> Path:
    database.connect(reuse_if_open=True)
    return backup.database_path()


def test_clean_db_deletes_the_file_and_its_wal_and_shm(app, runner):
    path = _path()
    for file in database_files(path)[1:]:
        file.touch()  # as left by a server that was stopped
    database.close()
    result = runner.invoke(args=["reset-demo", "--no-seed", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Menghapus basis data demo" in result.output and "-wal dan -shm" in result.output
    assert not any(f.exists() for f in database_files(path))


def test_reset_demo_asks_first_and_keeps_the_file_when_declined(app, runner):
    path = _path()
    database.close()
    result = runner.invoke(args=["reset-demo"], input="n\n")
    assert result.exit_code == 1
    assert "Lanjutkan?" in result.output
    assert path.exists()


def test_reset_demo_refuses_a_database_with_real_data(app, runner, world):
    path = _path()
    database.close()
    result = runner.invoke(args=["reset-demo", "--yes"])
    assert result.exit_code == 1
    assert "bukan data demo" in result.output
    assert path.exists()
    database.connect(reuse_if_open=True)
    assert Employee.select().exists()


def test_reset_demo_seeds_the_demo_again(app, runner):
    path = _path()
    database.close()
    result = runner.invoke(args=["reset-demo", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Data demo Kota Sibolga dimuat" in result.output
    assert path.exists()
    database.connect(reuse_if_open=True)
    assert demo.is_demo_database()
    # and a second reset starts from scratch again (a demo database is not refused)
    database.close()
    again = runner.invoke(args=["reset-demo", "--yes"])
    assert again.exit_code == 0, again.output
    assert "Dihapus: " in again.output and path.name in again.output
