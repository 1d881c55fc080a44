"""Kiosk: back-dated answers (an offline queue flushed late) counted per arrival minute;
a counter duty ended by a colleague's takeover keeps who took over and when its holder read
the notice (issue 19)."""

from peewee import DateTimeField, IntegerField

from kinerja.migrations import add_column_if_missing

VERSION = 18
DESCRIPTION = (
    "Kios: jawaban bertanggal mundur dihitung per menit kedatangan; pengambilalihan tugas loket"
)


def up(db):
    """Add ``kiosk.backlog_minute``, ``kiosk.backlog_count``,
    ``counter_duty.taken_over_by_id`` and ``counter_duty.takeover_read_at`` (a fresh
    database already has them)."""
    add_column_if_missing(db, "kiosk", "backlog_minute", DateTimeField(null=True))
    add_column_if_missing(db, "kiosk", "backlog_count", IntegerField(default=0))
    add_column_if_missing(db, "counter_duty", "taken_over_by_id", IntegerField(null=True))
    add_column_if_missing(db, "counter_duty", "takeover_read_at", DateTimeField(null=True))
