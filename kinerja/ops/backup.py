"""Backup and restore of the embedded SQLite database (docs/spec/product.md §7).

``backup()`` uses SQLite's online backup API, which copies a consistent snapshot of a
live database (WAL included) while other connections keep reading and writing. It copies
every page in ONE step: in WAL mode that step reads one snapshot and never waits for the
writers. (Copying in small steps restarts from the first page whenever another connection
writes between two steps, so under a steady stream of writes it may never finish.)

``restore()`` checks a backup (``PRAGMA integrity_check`` and the schema version), then
takes the database for itself (SQLite's exclusive locking mode, which any other open
connection, in any process, prevents): a running app is refused with an Indonesian message
instead of having its file changed under it. It copies the backup in with the backup API and
keeps the database locked until the copy is checked. PostgreSQL deployments use
pg_dump/pg_restore instead.
"""

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from kinerja import migrations
from kinerja.db import database, is_sqlite

POSTGRES_ADVICE = (
    "Basis data ini PostgreSQL. Gunakan alat bawaan PostgreSQL:\n"
    '  cadangkan: pg_dump --format=custom --file=kinerja.dump "$DATABASE_URL"\n'
    '  pulihkan:  pg_restore --clean --if-exists --dbname="$DATABASE_URL" kinerja.dump'
)


MSG_IN_USE = (
    "Basis data sedang dipakai proses lain (aplikasi masih berjalan, atau ada sesi sqlite3 "
    "yang terbuka). Hentikan semua proses aplikasi terlebih dahulu, lalu ulangi pemulihan. "
    "Gunakan --force hanya bila Anda yakin tidak ada proses yang sedang menulis."
)
BUSY_RETRIES = 5  # a one-step copy meets a lock only outside WAL mode; retry a few times


class BackupError(RuntimeError):
    """A backup or restore was refused; the message is Indonesian."""


@dataclass(frozen=True)
class BackupCheck:
    """What a backup file holds."""

    path: Path
    integrity: str
    schema_version: int

    @property
    def ok(self) -> bool:
        """Whether the file passed the integrity check."""
        return self.integrity == "ok"


def database_path() -> Path:
    """The file of the bound SQLite database."""
    if not is_sqlite():
        raise BackupError(POSTGRES_ADVICE)
    name = database.obj.database
    if name in ("", ":memory:"):
        raise BackupError("Basis data dalam memori tidak dapat dicadangkan.")
    return Path(name).resolve()


def backup(target: str | os.PathLike, *, force: bool = False, progress=None) -> Path:
    """Copy the live database to ``target`` with the online backup API."""
    source_path = database_path()
    target = Path(target).resolve()
    if target == source_path:
        raise BackupError("Berkas cadangan tidak boleh sama dengan berkas basis data.")
    if target.exists() and not force:
        raise BackupError(f"{target} sudah ada; gunakan --force untuk menimpanya.")
    if not target.parent.is_dir():
        raise BackupError(f"Folder {target.parent} tidak ada.")
    partial = target.with_name(target.name + ".sebagian")
    partial.unlink(missing_ok=True)
    # A connection of its own, outside the pool: the app's connections keep working.
    source = sqlite3.connect(str(source_path), timeout=10)
    try:
        dest = sqlite3.connect(str(partial))
        try:
            _copy_all(source, dest, progress)
            # A backup is one self-contained file (no -wal/-shm beside it).
            dest.execute("PRAGMA journal_mode=DELETE").fetchall()
        finally:
            dest.close()
    finally:
        source.close()
    check = inspect(partial)
    if not check.ok:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Salinan gagal diperiksa: {check.integrity}")
    os.replace(partial, target)
    return target


def _copy_all(source: sqlite3.Connection, dest: sqlite3.Connection, progress=None) -> None:
    """Every page in one backup step (``pages=-1``), retried a bounded number of times."""
    for attempt in range(BUSY_RETRIES):
        try:
            source.backup(dest, pages=-1, progress=progress)
            return
        except sqlite3.OperationalError as exc:
            if attempt == BUSY_RETRIES - 1 or "locked" not in str(exc):
                raise BackupError(f"Penyalinan gagal: {exc}") from exc
            time.sleep(0.2 * (attempt + 1))


def inspect(path: str | os.PathLike) -> BackupCheck:
    """Run the integrity check of a backup file and read its schema version."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Berkas {path} tidak ditemukan.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            try:
                row = conn.execute(
                    "SELECT version FROM schema_version ORDER BY id DESC LIMIT 1"
                ).fetchone()
            except sqlite3.DatabaseError:
                row = None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} bukan basis data SQLite yang dapat dibaca ({exc}).") from exc
    return BackupCheck(path, str(integrity), int(row[0]) if row else 0)


def restore(source: str | os.PathLike, *, force: bool = False) -> BackupCheck:
    """Replace the database's content with a verified backup.

    The app must be stopped: unless ``force``, the database is taken in exclusive locking
    mode first, which fails while any other connection (another process, an idle pooled
    connection) has it open; the lock is held until the restored copy is checked.
    """
    check = inspect(source)
    if not check.ok:
        raise BackupError(f"Cadangan rusak (integrity_check: {check.integrity}).")
    latest = migrations.latest_version()
    if check.schema_version < 1:
        raise BackupError("Cadangan tidak memuat versi skema Kinerja Sibolga.")
    if check.schema_version > latest:
        raise BackupError(
            f"Cadangan berasal dari versi skema {check.schema_version}, lebih baru dari "
            f"aplikasi ini ({latest}); perbarui aplikasi terlebih dahulu."
        )
    target = database_path()
    if Path(source).resolve() == target:
        raise BackupError("Berkas cadangan sama dengan berkas basis data.")
    _close_own_connections()
    # Copy the pages back with the backup API into the database file itself: SQLite then
    # deals with its WAL and locks (replacing the file under open handles would not).
    src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(target), timeout=10 if force else 0, isolation_level=None)
        try:
            if not force:
                _take_exclusively(dst)
            _copy_all(src, dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if result != "ok":
        raise BackupError(f"Pemulihan gagal diperiksa: {result}")
    return check


def _close_own_connections() -> None:
    """Close this thread's connection and the pool's idle ones: only a connection in use
    (another thread or process) then makes the database look in use."""
    if not database.is_closed():
        database.close()
    if hasattr(database.obj, "close_idle"):
        database.obj.close_idle()


def _take_exclusively(conn: sqlite3.Connection) -> None:
    """Hold the database alone until ``conn`` closes, or raise MSG_IN_USE at once."""
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE").fetchall()
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        raise BackupError(MSG_IN_USE) from exc
