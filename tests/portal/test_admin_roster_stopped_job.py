"""A roster import job whose process died (issue 17): seen as stopped after a silence, the
page stops polling, and the stored file can be run again; data stays all-or-nothing."""

from datetime import timedelta

import pytest

from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.imports import roster_jobs
from kinerja.models.admin import ImportJob
from kinerja.models.audit import AuditEvent
from kinerja.models.org import Employee
from portal.admin.roster_views import JOB_MAX_POLLS
from tests.builders_roster import roster_file, roster_nip
from tests.html import check_page


def _crashed_job(status="MENGIMPOR", silent=roster_jobs.JOB_STALE_AFTER + timedelta(minutes=1)):
    """A job left running by a process killed mid-way: its last heartbeat is old."""
    with write_tx():
        return ImportJob.create(
            content=roster_file(),
            filename="pegawai.csv",
            status=status,
            total=2,
            done=1,
            heartbeat_at=utcnow() - silent,
        )


def test_a_silent_running_job_is_marked_stopped_and_the_page_stops_polling(world, login_as):
    client = login_as(world.accounts["admin"])
    job = _crashed_job()
    html = client.get(f"/admin/impor/{job.id}").get_data(as_text=True)
    check_page(html)
    job = ImportJob.get_by_id(job.id)
    assert job.status == roster_jobs.JOB_STOPPED and job.finished_at is not None
    assert roster_jobs.job_errors(job) == [roster_jobs.MSG_STOPPED]
    assert "Terhenti sebelum selesai" in html and "Sedang mengimpor" not in html
    assert "hx-get" not in html  # no polling on a stopped job
    assert "Ulangi dengan berkas yang sama" in html
    assert AuditEvent.select().where(AuditEvent.action == "roster.job_stopped").count() == 1
    assert Employee.select().where(Employee.nip == roster_nip(1)).count() == 0


def test_a_job_that_still_beats_keeps_running(world, login_as):
    client = login_as(world.accounts["admin"])
    job = _crashed_job(silent=timedelta(seconds=5))
    html = client.get(f"/admin/impor/{job.id}").get_data(as_text=True)
    assert ImportJob.get_by_id(job.id).status == "MENGIMPOR"
    assert "hx-get" in html and "n=1" in html
    assert roster_jobs.stop_stale_jobs() == 0


def test_the_roster_list_also_ends_stale_jobs(world, login_as):
    client = login_as(world.accounts["admin"])
    for status in roster_jobs.JOB_RUNNING:
        _crashed_job(status=status)
    html = client.get("/admin/impor").get_data(as_text=True)
    assert ImportJob.select().where(ImportJob.status.in_(roster_jobs.JOB_RUNNING)).count() == 0
    assert html.count("Terhenti") == 3


def test_polling_stops_after_its_limit(world, login_as):
    client = login_as(world.accounts["admin"])
    job = _crashed_job(silent=timedelta(seconds=1))
    html = client.get(f"/admin/impor/{job.id}?n={JOB_MAX_POLLS}").get_data(as_text=True)
    assert "hx-get" not in html
    assert "Pembaruan otomatis dihentikan" in html


def test_retry_runs_the_stored_file_again_all_or_nothing(world, login_as):
    client = login_as(world.accounts["admin"])
    job = _crashed_job()
    roster_jobs.stop_stale_jobs()
    response = client.post(f"/admin/impor/{job.id}/ulangi")
    assert response.status_code == 303
    again = ImportJob.select().order_by(ImportJob.id.desc()).get()
    assert again.id != job.id and response.headers["Location"].endswith(f"/admin/impor/{again.id}")
    assert again.status == "SIAP"  # the dry run ran again on the stored file
    assert ImportJob.get_by_id(job.id).content == b""  # the file moved to the new job
    assert client.post(f"/admin/impor/{again.id}/terapkan").status_code == 303
    assert ImportJob.get_by_id(again.id).status == "SELESAI"
    assert Employee.select().where(Employee.nip.in_([roster_nip(1), roster_nip(2)])).count() == 2
    assert AuditEvent.select().where(AuditEvent.action == "roster.job_retried").count() == 1
    # a job that is not stopped cannot be retried
    client.post(f"/admin/impor/{again.id}/ulangi")
    assert ImportJob.select().count() == 2


def test_an_unexpected_error_ends_the_job_as_stopped(world, monkeypatch):
    job = roster_jobs.create_job(roster_file(), "pegawai.csv")
    roster_jobs.run_dry_run(job.id)

    def boom(*args, **kwargs):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(roster_jobs, "apply", boom)
    with pytest.raises(RuntimeError):
        roster_jobs.run_import(job.id)
    job = ImportJob.get_by_id(job.id)
    assert job.status == roster_jobs.JOB_STOPPED
    assert roster_jobs.can_retry(job)
    assert Employee.select().where(Employee.nip == roster_nip(1)).count() == 0


def test_auditor_sees_no_retry_button(world, login_as):
    job = _crashed_job()
    roster_jobs.stop_stale_jobs()
    html = login_as(world.accounts["auditor"]).get(f"/admin/impor/{job.id}").get_data(as_text=True)
    assert "Terhenti sebelum selesai" in html and "Ulangi dengan" not in html
