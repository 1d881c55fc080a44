"""Rendered-page cache and the change counters that invalidate it (dropped by migration 11).

The models are frozen here as they were: the app no longer has them.
"""

from peewee import BigIntegerField, BlobField, CharField, DateTimeField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel

VERSION = 9
DESCRIPTION = "Cache halaman dan penghitung perubahan data (pemicu per tabel)"


class DataGeneration(BaseModel):
    scope = CharField(max_length=20, primary_key=True)
    value = BigIntegerField(default=0)


class CachedPage(BaseModel):
    key = CharField(max_length=400, primary_key=True)
    scope = CharField(max_length=20)
    generation = BigIntegerField()
    stamp = CharField(max_length=80)
    content_type = CharField(max_length=80)
    headers = TextField(default="{}")
    body = BlobField()
    created_at = DateTimeField(default=utcnow)


def up(db):
    """Create the cache and counter tables (migration 11 drops them again)."""
    db.create_tables([DataGeneration, CachedPage], safe=True)
