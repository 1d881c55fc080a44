"""Service standards: the catalogue of jenis layanan per unit, the requests (permohonan)
logged at the counter or imported, city-specific days off and CSV import batches
(docs/spec/product.md §4)."""

from peewee import BooleanField, CharField, DecimalField, ForeignKeyField, IntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateField, DateTimeField
from kinerja.models.org import Employee, Unit
from kinerja.scoring import ServiceStandard, StandardUnit


class ServiceType(BaseModel):
    """A jenis layanan of a unit with its standard completion time (Standar Pelayanan)."""

    unit = ForeignKeyField(Unit, backref="service_types", on_delete="RESTRICT", index=True)
    name = CharField(max_length=160)
    standard_value = IntegerField()
    standard_unit = CharField(max_length=12, choices=StandardUnit.choices())
    requirements = TextField(default="")
    fee = DecimalField(max_digits=14, decimal_places=2, default=0, auto_round=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("unit", "name"), True),)

    @property
    def standard(self) -> ServiceStandard:
        """The standard as the scoring core's value object."""
        return ServiceStandard(self.standard_value, StandardUnit(self.standard_unit))

    @property
    def standard_label(self) -> str:
        """ "1 hari kerja", "30 menit"."""
        return f"{self.standard_value} {StandardUnit(self.standard_unit).label}"


class ServiceRequest(BaseModel):
    """One permohonan: received, completed (or still open), by whom, returned for rework.

    No personal data of the citizen is kept; ``reference`` is the unit's own number.
    Times are naive UTC.
    """

    unit = ForeignKeyField(Unit, backref="+", on_delete="RESTRICT")
    service_type = ForeignKeyField(ServiceType, backref="requests", on_delete="RESTRICT")
    reference = CharField(max_length=60)
    received_at = DateTimeField()
    completed_at = DateTimeField(null=True)
    handler = ForeignKeyField(Employee, null=True, backref="+", on_delete="RESTRICT")
    registered_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    rework = BooleanField(default=False)
    source = CharField(max_length=8, default="COUNTER")
    import_batch_id = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("unit", "reference"), True),
            (("unit", "received_at"), False),
            (("handler", "completed_at"), False),
            (("service_type", "received_at"), False),
            (("unit", "completed_at"), False),
        )


class CityDayOff(BaseModel):
    """A city-specific day off (cuti bersama the city observes, local events)."""

    date = DateField(unique=True)
    name = CharField(max_length=120)
    created_at = DateTimeField(default=utcnow)


class ImportBatch(BaseModel):
    """An uploaded CSV kept between its dry run and the import (no process memory)."""

    unit = ForeignKeyField(Unit, backref="+", on_delete="CASCADE")
    filename = CharField(max_length=200)
    content = TextField()
    status = CharField(max_length=10, default="DIPERIKSA", index=True)
    row_count = IntegerField(default=0)
    error_count = IntegerField(default=0)
    imported_count = IntegerField(default=0)
    skipped_count = IntegerField(default=0)
    created_by_account_id = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)
    imported_at = DateTimeField(null=True)

    @property
    def is_imported(self) -> bool:
        """Imported (not only checked)."""
        return self.status == "DIIMPOR"
