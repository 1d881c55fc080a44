"""Public snapshots: IKM, service standards, trend, predikat distribution, process.

The tables as of version 7: ``sql/m0007.sqlite.sql`` and
``sql/m0007.postgres.sql`` (frozen; not taken from today's models).
"""

from kinerja.migrations import run_sql_file

VERSION = 7
DESCRIPTION = "Cuplikan data publik: IKM, standar pelayanan, tren, sebaran predikat, proses"


def up(db):
    """Create the tables of this version."""
    run_sql_file(db, VERSION)
