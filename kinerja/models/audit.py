"""The append-only, hash-chained audit log (docs/spec/product.md §8)."""

from peewee import CharField, IntegerField, TextField

from kinerja.db import BaseModel, DateTimeField


class AuditEvent(BaseModel):
    """One state change or rating: who, when (UTC), what, which object, before/after."""

    at = DateTimeField(index=True)
    actor_account_id = IntegerField(null=True, index=True)
    actor_label = CharField(max_length=120)
    action = CharField(max_length=60, index=True)
    object_type = CharField(max_length=40, default="", index=True)
    object_id = CharField(max_length=40, default="")
    before = TextField(default="")
    after = TextField(default="")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)

    class Meta:
        indexes = ((("object_type", "object_id"), False),)


class AuditHead(BaseModel):
    """The single row holding the hash of the newest audit event; writers lock it, which
    keeps the chain linear when several processes write at once."""

    last_hash = CharField(max_length=64)
    count = IntegerField(default=0)
