"""Service standards: service types, requests, city days off, CSV imports.

The tables as of version 6: ``sql/m0006.sqlite.sql`` and
``sql/m0006.postgres.sql`` (frozen; not taken from today's models).
"""

from kinerja.migrations import run_sql_file

VERSION = 6
DESCRIPTION = "Standar pelayanan: jenis layanan, permohonan, hari libur kota, impor CSV"


def up(db):
    """Create the tables of this version."""
    run_sql_file(db, VERSION)
