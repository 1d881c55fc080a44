"""Roster import jobs (:class:`kinerja.models.admin.ImportJob`): an uploaded file kept in the
database with its status, progress and heartbeat, so any process can show it; a job silent
too long is stopped and may be retried (docs/spec/product.md §7).
"""

import json
import logging
from contextlib import contextmanager
from datetime import datetime, timedelta

from peewee import fn

from kinerja.clock import utcnow
from kinerja.db import database, write_tx
from kinerja.imports.roster import RosterInvalid, RosterReport, apply, validate
from kinerja.imports.roster_parse import RosterFileError, parse
from kinerja.models.admin import ImportJob
from kinerja.services import audit

JOB_RUNNING = ("ANTRE", "MEMERIKSA", "MENGIMPOR")
JOB_STOPPED = "TERHENTI"
# A running job writes its heartbeat at each step and every PROGRESS_EVERY rows; one silent
# for this long belongs to a process that was stopped or crashed (a whole city's roster
# takes seconds, so the margin is wide).
JOB_STALE_AFTER = timedelta(minutes=10)
MSG_STOPPED = (
    "Pekerjaan ini terhenti sebelum selesai (server dihentikan atau mengalami gangguan). "
    "Tidak ada data yang diubah: impor menyimpan semua baris atau tidak sama sekali. "
    "Klik Ulangi untuk menjalankannya lagi dengan berkas yang sama."
)

MSG_NO_RETRY = "Hanya pekerjaan yang terhenti dan berkasnya masih tersimpan yang dapat diulangi."

log = logging.getLogger(__name__)


def create_job(content: bytes, filename: str, actor=None) -> ImportJob:
    """Store an uploaded file as a job waiting for its dry run."""
    with write_tx():
        return ImportJob.create(
            content=content,
            filename=(filename or "berkas")[:200],
            status="ANTRE",
            created_by_account_id=actor.id if actor is not None else None,
            heartbeat_at=utcnow(),
        )


def _step(job_id: int, **values) -> None:
    """Record a step of a running job (short write of its own, with the heartbeat)."""
    with write_tx():
        ImportJob.update(heartbeat_at=utcnow(), **values).where(ImportJob.id == job_id).execute()


def _progress_writer(job_id: int):
    def write(done: int, total: int) -> None:
        if database.transaction_depth() == 0:
            _step(job_id, done=done, total=total)

    return write


def _finish(job_id: int, status: str, report: RosterReport | None, errors: list[str]):
    with write_tx():
        ImportJob.update(
            status=status,
            errors=json.dumps(errors, ensure_ascii=False),
            summary=json.dumps(report.summary() if report else {}),
            done=report.total if report else 0,
            total=report.total if report else 0,
            finished_at=utcnow(),
            heartbeat_at=utcnow(),
        ).where(ImportJob.id == job_id).execute()


@contextmanager
def _stopped_on_crash(job_id: int):
    """An unexpected error ends the job as stopped (retry offered) instead of leaving it
    running forever; the error still propagates to the log."""
    try:
        yield
    except Exception:
        log.exception("pekerjaan impor %s gagal tak terduga", job_id)
        _finish(job_id, JOB_STOPPED, None, [MSG_STOPPED])
        raise


def run_dry_run(job_id: int) -> RosterReport | None:
    """Validate a job's file, writing progress and the result to the job row."""
    with _stopped_on_crash(job_id):
        job = ImportJob.get_by_id(job_id)
        _step(job_id, status="MEMERIKSA", done=0)
        try:
            rows = parse(bytes(job.content), job.filename)
        except RosterFileError as exc:
            _finish(job_id, "GAGAL", None, [str(exc)])
            return None
        _step(job_id, total=len(rows))
        report = validate(rows, _progress_writer(job_id))
        _finish(job_id, "SIAP" if report.ok else "GAGAL", report, report.errors)
        return report


def run_import(job_id: int, actor=None) -> RosterReport | None:
    """Import a validated job's file (all or nothing), recording the outcome on the job."""
    with _stopped_on_crash(job_id):
        job = ImportJob.get_by_id(job_id)
        _step(job_id, status="MENGIMPOR", done=0)
        try:
            rows = parse(bytes(job.content), job.filename)
            report = apply(
                rows, actor=actor, filename=job.filename, progress=_progress_writer(job_id)
            )
        except RosterFileError as exc:
            _finish(job_id, "GAGAL", None, [str(exc)])
            return None
        except RosterInvalid as exc:
            _finish(job_id, "GAGAL", exc.report, exc.report.errors)
            return exc.report
        _finish(job_id, "SELESAI", report, [])
        with write_tx():
            ImportJob.update(content=b"").where(ImportJob.id == job_id).execute()
        return report


def _stale_condition(now: datetime):
    limit = now - JOB_STALE_AFTER
    beat = fn.COALESCE(ImportJob.heartbeat_at, ImportJob.created_at)
    return ImportJob.status.in_(JOB_RUNNING) & (beat < limit)


def stop_stale_jobs(now: datetime | None = None) -> int:
    """Mark as stopped every running job whose heartbeat is older than JOB_STALE_AFTER
    (its process died mid-job); return how many. Nothing is written when none is stale."""
    now = now or utcnow()
    stale = [j.id for j in ImportJob.select(ImportJob.id).where(_stale_condition(now))]
    if not stale:
        return 0
    with write_tx():
        stopped = [
            j.id
            for j in ImportJob.select(ImportJob.id, ImportJob.status).where(
                ImportJob.id.in_(stale) & _stale_condition(now)
            )
        ]
        if not stopped:
            return 0
        ImportJob.update(
            status=JOB_STOPPED,
            errors=json.dumps([MSG_STOPPED], ensure_ascii=False),
            finished_at=now,
        ).where(ImportJob.id.in_(stopped)).execute()
        for job_id in stopped:
            audit.record(
                "roster.job_stopped",
                object_type="import_job",
                object_id=job_id,
                after={"status": JOB_STOPPED},
            )
    return len(stopped)


def can_retry(job: ImportJob) -> bool:
    """Whether a job stopped mid-way and its file is still stored."""
    return job.status == JOB_STOPPED and bool(job.content)


def retry_job(job_id: int, actor=None) -> ImportJob:
    """A new job for the stored file of a stopped one (its dry run comes first again);
    the stopped job keeps its history."""
    job = ImportJob.get_by_id(job_id)
    if not can_retry(job):
        raise ValueError(MSG_NO_RETRY)
    with write_tx():
        again = create_job(bytes(job.content), job.filename, actor=actor)
        ImportJob.update(content=b"").where(ImportJob.id == job.id).execute()
        audit.record(
            "roster.job_retried",
            actor=actor,
            object_type="import_job",
            object_id=job.id,
            after={"job_baru": again.id},
        )
    return again


def job_errors(job: ImportJob) -> list[str]:
    """The stored error list of a job."""
    return json.loads(job.errors) if job.errors else []


def job_summary(job: ImportJob) -> dict:
    """The stored counts of a job."""
    return json.loads(job.summary) if job.summary else {}
