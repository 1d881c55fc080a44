"""Resetting the demo: delete the SQLite database file with its ``-wal`` and ``-shm``
companions (``make demo`` then seeds the demo again, ``make clean-db`` stops there).

Refuses a database that holds non-demo data: the reset is for the demo only."""

from pathlib import Path

from peewee import PeeweeException

from kinerja.models.org import Employee

SUFFIXES = ("", "-wal", "-shm")


class ResetRefused(Exception):
    """The database holds data that is not the demo's."""


def database_files(path: Path) -> list[Path]:
    """The database file and its WAL companions (existing or not)."""
    return [path.with_name(path.name + suffix) for suffix in SUFFIXES]


def check_resettable() -> None:
    """Raise :class:`ResetRefused` unless the bound database is empty or the demo."""
    from kinerja.demo import is_demo_database

    if is_demo_database():
        return
    try:
        has_people = Employee.select(Employee.id).exists()
    except PeeweeException:  # no schema yet: nothing to lose
        return
    if has_people:
        raise ResetRefused(
            "Basis data ini berisi data yang bukan data demo; tidak dihapus. "
            "Hapus berkasnya sendiri bila memang dimaksudkan (buat cadangan dahulu)."
        )


def delete_database_files(path: Path) -> list[Path]:
    """Delete the database file and its ``-wal``/``-shm``; the files removed."""
    removed = []
    for file in database_files(path):
        if file.exists():
            file.unlink()
            removed.append(file)
    return removed
