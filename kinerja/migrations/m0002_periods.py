"""Appraisal periods (annual, quarterly/monthly) and their deadlines.

The tables as of version 2: ``sql/m0002.sqlite.sql`` and
``sql/m0002.postgres.sql`` (frozen; not taken from today's models).
"""

from kinerja.migrations import run_sql_file

VERSION = 2
DESCRIPTION = "Periode penilaian (tahunan, triwulan/bulanan) dan tenggatnya"


def up(db):
    """Create the tables of this version."""
    run_sql_file(db, VERSION)
