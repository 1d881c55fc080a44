"""Admin console bookkeeping: roster import jobs with their progress (docs/spec/product.md §7)."""

from peewee import BlobField, CharField, IntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateTimeField
from kinerja.enums import LabelledEnum


class ImportJobStatus(LabelledEnum):
    """Steps of a roster import job, with the short label of the job list."""

    ANTRE = "ANTRE", "Menunggu giliran"
    MEMERIKSA = "MEMERIKSA", "Sedang memeriksa"
    SIAP = "SIAP", "Siap diimpor"
    GAGAL = "GAGAL", "Ada kesalahan"
    MENGIMPOR = "MENGIMPOR", "Sedang mengimpor"
    SELESAI = "SELESAI", "Selesai diimpor"
    TERHENTI = "TERHENTI", "Terhenti"


# The job page says a little more than the list for two of the steps.
_JOB_STATUS_DETAIL = {
    ImportJobStatus.SIAP: "Lolos pemeriksaan, siap diimpor",
    ImportJobStatus.TERHENTI: "Terhenti sebelum selesai",
}


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

    @property
    def is_stopped(self) -> bool:
        """Stopped mid-way (its process died); it may be retried."""
        return self.status == ImportJobStatus.TERHENTI

    @property
    def is_failed(self) -> bool:
        """The dry run or the import failed."""
        return self.status == ImportJobStatus.GAGAL

    @property
    def is_ready(self) -> bool:
        """The dry run passed; the import waits for confirmation."""
        return self.status == ImportJobStatus.SIAP

    @property
    def is_done(self) -> bool:
        """Imported."""
        return self.status == ImportJobStatus.SELESAI

    @property
    def status_label(self) -> str:
        """The step as the job list shows it."""
        return ImportJobStatus(self.status).label

    @property
    def status_detail(self) -> str:
        """The step as the job page shows it."""
        return _JOB_STATUS_DETAIL.get(self.status, self.status_label)
