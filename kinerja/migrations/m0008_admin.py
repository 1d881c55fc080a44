"""Admin console: roster import jobs."""

from kinerja.models.admin import ImportJob

VERSION = 8
DESCRIPTION = "Pekerjaan impor daftar pegawai (konsol admin)"


def up(db):
    """Create the import job table."""
    db.create_tables([ImportJob], safe=True)
