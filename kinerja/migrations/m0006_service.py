"""Service standards: catalogue, requests, city days off, CSV import batches."""

from kinerja.models.service import CityDayOff, ImportBatch, ServiceRequest, ServiceType

VERSION = 6
DESCRIPTION = "Standar pelayanan: jenis layanan, permohonan, hari libur kota, impor CSV"


def up(db):
    """Create the service-standard tables."""
    db.create_tables([ServiceType, ServiceRequest, CityDayOff, ImportBatch], safe=True)
