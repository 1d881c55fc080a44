"""Admin console bookkeeping: roster import jobs with their progress (docs/spec/product.md §7)."""

from peewee import BlobField, CharField, DateTimeField, IntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel


class ImportJob(BaseModel):
    """One roster file on its way in: the dry run, then the import.

    The file's content is kept so that the confirm step (possibly served by another
    process) needs no process memory; progress is written here so any process can show it.
    """

    kind = CharField(max_length=20, default="ROSTER")
    filename = CharField(max_length=200, default="")
    content = BlobField()
    status = CharField(max_length=16, default="ANTRE", index=True)
    total = IntegerField(default=0)
    done = IntegerField(default=0)
    errors = TextField(default="")
    summary = TextField(default="")
    created_by_account_id = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    # Written at each step and progress report of a running job; a running job whose
    # heartbeat is old belongs to a process that died (see roster_import.stop_stale_jobs).
    heartbeat_at = DateTimeField(null=True)
