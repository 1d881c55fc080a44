"""Less typing (issue 23 part 5): an RHK or indicator copied from last year's approved SKP
carries that year, so the draft can mark it until it is edited or submitted.

The schema of this version, stated here: ``rhk.copied_from_year`` and
``indicator.copied_from_year``, both an optional INTEGER (every existing row: empty).
"""

from peewee import IntegerField

from kinerja.migrations import add_column_if_missing

VERSION = 24
DESCRIPTION = "Salin SKP: tanda RHK dan indikator yang disalin dari SKP tahun lalu yang disetujui"


def up(db):
    """Add ``rhk.copied_from_year`` and ``indicator.copied_from_year`` (a fresh database
    already has them)."""
    add_column_if_missing(db, "rhk", "copied_from_year", IntegerField(null=True))
    add_column_if_missing(db, "indicator", "copied_from_year", IntegerField(null=True))
