"""Schema version and settings."""

from peewee import CharField, IntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateTimeField


class SchemaVersion(BaseModel):
    """The single row recording which migrations the database has."""

    version = IntegerField()
    updated_at = DateTimeField(default=utcnow)


class Setting(BaseModel):
    """A configurable value (JSON text), e.g. thresholds and windows."""

    key = CharField(max_length=80, unique=True)
    value = TextField()
    updated_at = DateTimeField(default=utcnow)
