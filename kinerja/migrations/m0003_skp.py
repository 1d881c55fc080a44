"""SKP, RHK, indicators, perilaku expectations, revisions, realisation, feedback log.

The tables as of version 3: ``sql/m0003.sqlite.sql`` and
``sql/m0003.postgres.sql`` (frozen; not taken from today's models).
"""

from kinerja.migrations import run_sql_file

VERSION = 3
DESCRIPTION = "SKP, RHK, IKI, ekspektasi perilaku, revisi, realisasi, umpan balik"


def up(db):
    """Create the tables of this version."""
    run_sql_file(db, VERSION)
