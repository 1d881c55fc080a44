"""Backup and restore of the embedded SQLite database (product.md §7).

``backup()`` uses SQLite's online backup API, which copies a consistent snapshot of a
live database (WAL included) while other connections keep reading and writing.
``restore()`` checks a backup (``PRAGMA integrity_check`` and the schema version) before
it copies it back over the database, again with the backup API. PostgreSQL deployments
use pg_dump/pg_restore instead.
"""

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kinerja import migrations
from kinerja.db import database, is_sqlite

POSTGRES_ADVICE = (
    "Basis data ini PostgreSQL. Gunakan alat bawaan PostgreSQL:\n"
    '  cadangkan: pg_dump --format=custom --file=kinerja.dump "$DATABASE_URL"\n'
    '  pulihkan:  pg_restore --clean --if-exists --dbname="$DATABASE_URL" kinerja.dump'
)


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
    source = database.connection()  # the live connection (opened if needed)
    dest = sqlite3.connect(str(partial))
    try:
        source.backup(dest, pages=256, progress=progress)
        # A backup is one self-contained file (no -wal/-shm beside it).
        dest.execute("PRAGMA journal_mode=DELETE").fetchall()
    finally:
        dest.close()
    check = inspect(partial)
    if not check.ok:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Salinan gagal diperiksa: {check.integrity}")
    os.replace(partial, target)
    return target


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


def restore(source: str | os.PathLike) -> BackupCheck:
    """Replace the database's content with a verified backup (stop the app first)."""
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
    if not database.is_closed():
        database.close()
    # Copy the pages back with the backup API into the database file itself: SQLite then
    # deals with its WAL and locks (replacing the file under open handles would not).
    src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(target), timeout=10)
        try:
            src.backup(dst, pages=256)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if result != "ok":
        raise BackupError(f"Pemulihan gagal diperiksa: {result}")
    return check
