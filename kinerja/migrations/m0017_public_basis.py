"""Public snapshots keep the counts behind each published figure (issue 19, item 2)."""

from peewee import TextField

from kinerja.migrations import add_column_if_missing

VERSION = 17
DESCRIPTION = (
    "Cuplikan data publik: jumlah dasar tiap angka, untuk menolak terbitan ulang berselisih kecil"
)


def up(db):
    """Add ``public_snapshot.basis`` (a fresh database already has it)."""
    add_column_if_missing(db, "public_snapshot", "basis", TextField(default="{}"))
