"""Schema version and settings."""

from peewee import BigIntegerField, BlobField, CharField, DateTimeField, IntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel


class SchemaVersion(BaseModel):
    """The single row recording which migrations the database has."""

    version = IntegerField()
    updated_at = DateTimeField(default=utcnow)


class Setting(BaseModel):
    """A configurable value (JSON text), e.g. thresholds and windows."""

    key = CharField(max_length=80, unique=True)
    value = TextField()
    updated_at = DateTimeField(default=utcnow)


class DataGeneration(BaseModel):
    """A counter per scope, raised by database triggers on every change of the scope's tables.

    Rendered pages are cached under the generation they were rendered at
    (:mod:`kinerja.render_cache`); any committed change makes them stale at once.
    """

    scope = CharField(max_length=20, primary_key=True)
    value = BigIntegerField(default=0)


class CachedPage(BaseModel):
    """A rendered response, valid while its scope's generation and its stamp still match."""

    key = CharField(max_length=400, primary_key=True)
    scope = CharField(max_length=20)
    generation = BigIntegerField()
    stamp = CharField(max_length=80)
    content_type = CharField(max_length=80)
    headers = TextField(default="{}")
    body = BlobField()
    created_at = DateTimeField(default=utcnow)
