"""kinerja.db.write_tx: SQLite writers of every process queue on the database's writer lock
file, so a writer is not overtaken again and again while SQLite's busy handler sleeps.

Another open of the lock file stands for another process: flock locks belong to the open
file, so two opens conflict even inside one process.
"""

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kinerja import db
from kinerja.db import database, is_sqlite, write_tx

pytestmark = pytest.mark.usefixtures("app")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lock_path():
    if not is_sqlite():
        pytest.skip("the writer lock file is SQLite's (PostgreSQL locks rows)")
    return f"{database.obj.database}-writelock"


def _writer_in_thread():
    """Start a write_tx in a thread; returns (entered event, thread)."""
    entered = threading.Event()

    def run():
        with database.connection_context(), write_tx():
            entered.set()
            database.execute_sql("CREATE TABLE IF NOT EXISTS writer_probe (x INTEGER)")

    thread = threading.Thread(target=run)
    thread.start()
    return entered, thread


def test_a_writer_waits_for_the_lock_file_and_goes_as_soon_as_it_is_free(lock_path):
    other = os.open(lock_path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        entered, thread = _writer_in_thread()
        # SQLite itself is free: only the lock file can hold the writer back.
        assert not entered.wait(0.3)
    finally:
        released = time.monotonic()
        os.close(other)
    assert entered.wait(5)
    assert time.monotonic() - released < 1.0  # no busy-handler sleep of growing steps
    thread.join(5)


def test_the_lock_file_is_released_after_the_transaction_and_after_a_failure(lock_path):
    with write_tx():
        database.execute_sql("CREATE TABLE IF NOT EXISTS writer_probe (x INTEGER)")
    with pytest.raises(ZeroDivisionError), write_tx():
        1 / 0  # noqa: B018 - a use case that fails inside its transaction
    probe = os.open(lock_path, os.O_RDWR)
    try:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if still held
    finally:
        os.close(probe)


def test_past_the_queue_limit_sqlite_decides(lock_path, monkeypatch):
    """A lock file held for ever (a stuck process) delays writers by the bounded wait only."""
    monkeypatch.setattr(db, "WRITER_QUEUE_SECONDS", 0.2)
    other = os.open(lock_path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        started = time.monotonic()
        with write_tx():
            database.execute_sql("CREATE TABLE IF NOT EXISTS writer_probe (x INTEGER)")
        assert 0.2 <= time.monotonic() - started < 3
    finally:
        os.close(other)


def test_another_process_writing_holds_the_lock_file(lock_path, tmp_path):
    """A CLI job (another process) holds the lock file for its whole write transaction."""
    url = f"sqlite:///{database.obj.database}"
    started = tmp_path / "started"
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from kinerja.db import open_database, write_tx, database\n"
            "open_database(sys.argv[1])\n"
            "with write_tx():\n"
            "    database.execute_sql('CREATE TABLE IF NOT EXISTS child_probe (x INTEGER)')\n"
            "    Path(sys.argv[2]).write_text('1')\n"
            "    time.sleep(1)\n",
            url,
            str(started),
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while not started.exists():
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        probe = os.open(lock_path, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(probe)
    finally:
        assert child.wait(30) == 0
    entered, thread = _writer_in_thread()
    assert entered.wait(10)
    thread.join(5)


def test_without_a_lock_file_sqlite_decides(lock_path):
    """A lock file that cannot be opened (here a folder in its place) never stops a write."""
    if os.path.exists(lock_path):
        os.remove(lock_path)
    os.mkdir(lock_path)
    try:
        with write_tx():
            database.execute_sql("CREATE TABLE IF NOT EXISTS writer_probe (x INTEGER)")
    finally:
        os.rmdir(lock_path)


def test_a_read_only_open_holds_the_lock(lock_path):
    """flock needs no write permission: a portal or cron job of another user, which may only
    read the file (created 0644), takes the same lock."""
    with write_tx():
        pass
    assert os.stat(lock_path).st_mode & 0o777 == 0o644 & ~_umask()
    other = os.open(lock_path, os.O_RDONLY)
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        entered, thread = _writer_in_thread()
        assert not entered.wait(0.3)
    finally:
        os.close(other)
    assert entered.wait(5)
    thread.join(5)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
