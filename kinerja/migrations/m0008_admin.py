"""Roster import jobs (admin console).

The tables as of version 8: ``sql/m0008.sqlite.sql`` and
``sql/m0008.postgres.sql`` (frozen; not taken from today's models).
"""

from kinerja.migrations import run_sql_file

VERSION = 8
DESCRIPTION = "Pekerjaan impor daftar pegawai (konsol admin)"


def up(db):
    """Create the tables of this version."""
    run_sql_file(db, VERSION)
