"""Kiosk: back-dated answers (an offline queue flushed late) counted per arrival minute."""

from peewee import DateTimeField, IntegerField

from kinerja.migrations import add_column_if_missing

VERSION = 18
DESCRIPTION = "Kios: jawaban bertanggal mundur dihitung per menit kedatangan"


def up(db):
    """Add ``kiosk.backlog_minute`` and ``kiosk.backlog_count`` (a fresh database has them)."""
    add_column_if_missing(db, "kiosk", "backlog_minute", DateTimeField(null=True))
    add_column_if_missing(db, "kiosk", "backlog_count", IntegerField(default=0))
