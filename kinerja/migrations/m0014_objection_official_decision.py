"""Keberatan decided by an official without an account: the decision letter an admin records.

The table is stated here as it was at version 14 (not imported from today's models).
"""

from peewee import BlobField, CharField, DateField, DateTimeField, ForeignKeyField

from kinerja.clock import utcnow
from kinerja.db import BaseModel

VERSION = 14
DESCRIPTION = "Keberatan: surat putusan pejabat tanpa akun (Wali Kota) yang dicatat admin"


class Employee(BaseModel):
    class Meta:
        table_name = "employee"


class Objection(BaseModel):
    class Meta:
        table_name = "objection"


class ObjectionOfficialDecision(BaseModel):
    objection = ForeignKeyField(Objection, unique=True, on_delete="CASCADE")
    official = CharField(max_length=300)
    official_employee = ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    letter_number = CharField(max_length=100)
    letter_date = DateField()
    filename = CharField(max_length=200)
    content_type = CharField(max_length=60)
    content = BlobField()
    recorded_by = ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    recorded_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "objection_official_decision"


def up(db):
    """Create ``objection_official_decision``."""
    db.create_tables([ObjectionOfficialDecision], safe=True)
