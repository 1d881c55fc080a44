"""The admin console's roster import (docs/spec/product.md §7): upload, dry run, import,
progress of the jobs."""

import threading

from flask import Response, abort, current_app, redirect, render_template, request, url_for

from kinerja.db import database
from kinerja.imports import roster_jobs, roster_parse
from kinerja.models.account import Account
from kinerja.models.admin import ImportJob
from kinerja.queries import admin as admin_queries
from portal.admin import bp
from portal.admin.common import current_account, fail
from portal.admin.console_forms import RosterUploadForm
from portal.render import page_or_fragment
from portal.security import internal_reader_required


@bp.route("/impor")
@internal_reader_required
def roster():
    """Upload a roster file; recent import jobs."""
    roster_jobs.stop_stale_jobs()
    return _roster_page(RosterUploadForm())


def _roster_page(form, status=200, errors=()):
    return (
        render_template(
            "admin/console/roster.html",
            form=form,
            jobs=admin_queries.recent_import_jobs(),
            errors=list(errors),
            aliases=roster_parse.ALIASES,
            summary_of=roster_jobs.job_summary,
        ),
        status,
    )


def _run_job(runner, job_id: int, account_id: int | None) -> None:
    """Run a job in a background thread (its own connection), or inline in tests."""

    def work():
        actor = Account.get_or_none(Account.id == account_id) if account_id else None
        if runner is roster_jobs.run_import:
            runner(job_id, actor)
        else:
            runner(job_id)

    if current_app.config.get("TESTING") or current_app.config.get("IMPORT_INLINE"):
        work()
        return

    def in_thread():
        with database.connection_context():
            work()

    threading.Thread(target=in_thread, name=f"impor-{job_id}", daemon=True).start()


@bp.route("/impor", methods=["POST"])
@internal_reader_required
def roster_upload():
    """Store the file and start its dry run (every row checked; nothing imported yet)."""
    form = RosterUploadForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        return _roster_page(form, 422, ["Pilih berkas CSV atau XLSX."])
    content = upload.read()
    if not content:
        return _roster_page(form, 422, ["Berkas kosong."])
    job = roster_jobs.create_job(content, upload.filename, actor=current_account())
    _run_job(roster_jobs.run_dry_run, job.id, None)
    return redirect(url_for("admin.roster_job", job_id=job.id), 303)


def _job_or_404(job_id: int) -> ImportJob:
    job = ImportJob.get_or_none(ImportJob.id == job_id)
    if job is None:
        abort(404)
    return job


# The job page polls every second while the job runs; past this many polls (20 minutes) it
# stops and asks for a reload, so a page left open never polls forever.
JOB_MAX_POLLS = 1200


@bp.route("/impor/<int:job_id>")
@internal_reader_required
def roster_job(job_id):
    """A job's progress (polled by htmx while it runs), errors and summary."""
    roster_jobs.stop_stale_jobs()
    job = _job_or_404(job_id)
    errors = roster_jobs.job_errors(job)
    poll = max(0, min(request.args.get("n", 0, type=int), JOB_MAX_POLLS))
    running = job.status in roster_jobs.JOB_RUNNING
    return page_or_fragment(
        "admin/console/roster_job.html",
        "admin/console/_roster_job.html",
        job=job,
        errors=errors,
        summary=roster_jobs.job_summary(job),
        running=running,
        poll_next=poll + 1 if running and poll < JOB_MAX_POLLS else None,
        can_retry=roster_jobs.can_retry(job),
        form=RosterUploadForm(),
    )


@bp.route("/impor/<int:job_id>/ulangi", methods=["POST"])
@internal_reader_required
def roster_retry(job_id):
    """Run a stopped job's stored file again (a new job: dry run first, then import)."""
    job = _job_or_404(job_id)
    try:
        again = roster_jobs.retry_job(job.id, actor=current_account())
    except ValueError as exc:
        fail(str(exc))
        return redirect(url_for("admin.roster_job", job_id=job.id), 303)
    _run_job(roster_jobs.run_dry_run, again.id, None)
    return redirect(url_for("admin.roster_job", job_id=again.id), 303)


@bp.route("/impor/<int:job_id>/terapkan", methods=["POST"])
@internal_reader_required
def roster_apply(job_id):
    """Import a checked file: all rows in one transaction, or none."""
    job = _job_or_404(job_id)
    if not job.is_ready:
        fail("Berkas ini belum lolos pemeriksaan atau sudah diimpor.")
        return redirect(url_for("admin.roster_job", job_id=job.id), 303)
    _run_job(roster_jobs.run_import, job.id, current_account().id)
    return redirect(url_for("admin.roster_job", job_id=job.id), 303)


@bp.route("/impor/templat.csv")
@internal_reader_required
def roster_template():
    """A CSV template with the recognised headers and sample rows that import as they are
    (their unit: BKPSDM if it exists, else the first active top unit)."""
    unit = admin_queries.roster_template_unit()
    body = roster_parse.template_csv(unit.code if unit else "BKPSDM")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=templat-daftar-pegawai.csv"},
    )
