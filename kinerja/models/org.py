"""The organisation: the unit tree, employees and acting officials (docs/spec/regulation.md
§8–§9)."""

from peewee import BooleanField, CharField, ForeignKeyField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateField, DateTimeField
from kinerja.enums import ActingKind, EmployeeStatus, JenisJabatan, Jenjang, UnitKind


class Unit(BaseModel):
    """A unit of the tree: OPD → bidang/UPT → seksi."""

    code = CharField(max_length=40, unique=True)
    name = CharField(max_length=200)
    short_name = CharField(max_length=80, default="")
    kind = CharField(max_length=20, choices=UnitKind.choices(), index=True)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    serves_public = BooleanField(default=False, index=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def display_name(self) -> str:
        """The short name where there is one, else the full name."""
        return self.short_name or self.name


class Employee(BaseModel):
    """An ASN (PNS or PPPK). Supervisor roles derive from the ``supervisor`` chain."""

    nip = CharField(max_length=18, unique=True)
    name = CharField(max_length=120)
    gelar_depan = CharField(max_length=40, default="")
    gelar_belakang = CharField(max_length=60, default="")
    jabatan = CharField(max_length=200)
    jenis_jabatan = CharField(max_length=20, choices=JenisJabatan.choices(), index=True)
    jenjang = CharField(max_length=20, choices=Jenjang.choices(), null=True)
    golongan = CharField(max_length=8)
    status = CharField(max_length=8, choices=EmployeeStatus.choices(), default="PNS")
    unit = ForeignKeyField(Unit, backref="employees", on_delete="RESTRICT", index=True)
    supervisor = ForeignKeyField(
        "self", null=True, backref="subordinates", on_delete="SET NULL", index=True
    )
    active = BooleanField(default=True, index=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    @property
    def full_name(self) -> str:
        """Name with gelar, as written on official documents."""
        name = self.name
        if self.gelar_depan:
            name = f"{self.gelar_depan} {name}"
        if self.gelar_belakang:
            name = f"{name}, {self.gelar_belakang}"
        return name

    @property
    def is_pppk(self) -> bool:
        """PPPK (identified by NI PPPK instead of NIP)."""
        return self.status == EmployeeStatus.PPPK


class ActingOfficial(BaseModel):
    """A Plt/Plh standing in for a supervisor from ``start`` to ``end`` (inclusive)."""

    acting = ForeignKeyField(Employee, backref="acting_roles", on_delete="CASCADE")
    for_employee = ForeignKeyField(Employee, backref="stood_in_by", on_delete="CASCADE")
    kind = CharField(max_length=4, choices=ActingKind.choices(), default="PLT")
    start = DateField()
    end = DateField()
    note = TextField(default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("for_employee", "start", "end"), False), (("acting", "start"), False))
