"""Roster import jobs: a heartbeat, so a job whose process died is seen as stopped."""

from peewee import DateTimeField

from kinerja.migrations import add_column_if_missing

VERSION = 13
DESCRIPTION = "Pekerjaan impor: detak terakhir, agar pekerjaan yang terhenti dikenali"


def up(db):
    """Add ``import_job.heartbeat_at`` (a fresh database already has it)."""
    add_column_if_missing(db, "import_job", "heartbeat_at", DateTimeField(null=True))
