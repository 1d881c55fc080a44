"""Periods of the performance year."""

from kinerja.models.period import Period

VERSION = 2
DESCRIPTION = "Periode penilaian (tahunan, triwulan/bulanan) dan tenggatnya"


def up(db):
    """Create the period table."""
    db.create_tables([Period], safe=True)
