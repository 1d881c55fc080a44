"""Public transparency snapshots."""

from kinerja.models.public import PUBLIC_MODELS

VERSION = 7
DESCRIPTION = "Cuplikan data publik: IKM, standar pelayanan, tren, sebaran predikat, proses"


def up(db):
    """Create the public snapshot tables."""
    db.create_tables(PUBLIC_MODELS, safe=True)
