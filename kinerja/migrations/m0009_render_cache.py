"""Rendered-page cache and the change counters that invalidate it."""

from kinerja.models.system import CachedPage, DataGeneration

VERSION = 9
DESCRIPTION = "Cache halaman dan penghitung perubahan data (pemicu per tabel)"


def up(db):
    """Create the cache and counter tables; the triggers are (re)installed after upgrade."""
    db.create_tables([DataGeneration, CachedPage], safe=True)
