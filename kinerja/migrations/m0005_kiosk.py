"""SKM kiosks: devices, counter duty, respondents' answers (the hourly counter table is
dropped again by migration 12).

The tables as of version 5: ``sql/m0005.sqlite.sql`` and
``sql/m0005.postgres.sql`` (frozen; not taken from today's models).
"""

from kinerja.migrations import run_sql_file

VERSION = 5
DESCRIPTION = "Kios SKM: perangkat, jadwal jaga loket, jawaban responden"


def up(db):
    """Create the tables of this version."""
    run_sql_file(db, VERSION)
