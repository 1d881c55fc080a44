"""Command-line interface: ``flask --app portal <command>``."""

import os
import sys

import click

from kinerja import migrations
from kinerja.db import database

# Batch commands run on the portal's own machine (cron, an operator at the console). They
# yield the CPU to the portal's requests: at nice 10 Linux gives them about a tenth of a
# busy core's share and all of an idle one. KINERJA_BATCH_NICE=0 keeps the normal priority.
BATCH_NICE = 10


def batch_priority() -> None:
    """Lower this process's CPU priority for a batch command (publish, roster import)."""
    raw = os.environ.get("KINERJA_BATCH_NICE", str(BATCH_NICE)).strip()
    try:
        step = int(raw)
    except ValueError:
        raise click.UsageError(f"KINERJA_BATCH_NICE harus bilangan bulat, bukan {raw!r}.") from None
    if step > 0 and hasattr(os, "nice"):
        os.nice(min(step, 19))


def register(app) -> None:
    """Attach the commands to ``app``."""
    from portal import notification_cli

    notification_cli.register(app)

    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the schema (idempotent)."""
        with database.connection_context():
            applied = migrations.upgrade()
            version = migrations.current_version()
        if applied:
            for m in applied:
                click.echo(f"Migrasi {m.version:04d} diterapkan: {m.description}")
        click.echo(f"Skema basis data pada versi {version}.")

    @app.cli.command("upgrade-db")
    @click.option("--to", "target", type=int, default=None, help="Berhenti di versi ini.")
    def upgrade_db(target):
        """Apply pending migrations in order without losing data."""
        with database.connection_context():
            before = migrations.current_version()
            applied = migrations.upgrade(target)
            after = migrations.current_version()
        for m in applied:
            click.echo(f"Migrasi {m.version:04d} diterapkan: {m.description}")
        click.echo(f"Versi skema: {before} → {after}.")

    @app.cli.command("schema-version")
    def schema_version():
        """Print the database's schema version and the latest known."""
        with database.connection_context():
            click.echo(f"{migrations.current_version()} (terbaru {migrations.latest_version()})")

    @app.cli.command("verify-audit")
    @click.option(
        "--anchor",
        "anchor",
        default=None,
        help="Baris jangkar yang disimpan, atau berkas berisi baris-baris jangkar.",
    )
    def verify_audit(anchor):
        """Verify the audit log's hash chain and print the signed anchor of its head; with
        --anchor, also check a kept anchor. Exit 1 naming the first problem."""
        from pathlib import Path

        from kinerja.services import audit

        try:
            key = audit.audit_key()
            kept = []
            if anchor is not None:
                source = Path(anchor)
                text = source.read_text(encoding="utf-8") if source.is_file() else anchor
                kept = audit.parse_anchors(text)
        except (audit.AuditKeyError, audit.AnchorError, OSError) as exc:
            click.echo(f"RUSAK: {exc}", err=True)
            sys.exit(1)
        with database.connection_context():
            report = audit.verify_chain()
            click.echo(report.message)
            if not report.ok:
                sys.exit(1)
            checks = [audit.check_anchor(a, key) for a in kept]
            for check in checks:
                click.echo(check.message)
            if not all(c.ok for c in checks):
                sys.exit(1)
            head = audit.current_anchor(key)
        if head is None:
            click.echo("Log audit masih kosong: belum ada jangkar.")
            return
        click.echo("Jangkar kepala rantai (simpan di luar server, mis. oleh Inspektorat):")
        click.echo(head.line)

    @app.cli.command("seed-demo")
    @click.option("--seed", default=2026, show_default=True, help="Benih acak (deterministik).")
    def seed_demo(seed):
        """Load the Sibolga demo data (refuses a database with non-demo data)."""
        from kinerja.demo import DemoRefused
        from kinerja.demo import seed as run_seed

        with database.connection_context():
            migrations.upgrade()
            try:
                summary = run_seed(seed=seed)
            except DemoRefused as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
        click.echo(summary.text())

    @app.cli.command("publish")
    @click.option(
        "--period", "period_id", type=int, default=None, help="Id periode (bawaan: terbaru)."
    )
    def publish_public(period_id):
        """Publish (or rebuild) the public data snapshot of a period.

        A rebuild that would change a published figure by fewer than public_min_n new
        answers is refused with exit code 3 (the old snapshot stays).
        """
        from kinerja.services.publish import REFUSED_EXIT, PublishError, RebuildRefused, publish

        batch_priority()
        with database.connection_context():
            try:
                report = publish(period_id)
            except RebuildRefused as exc:  # documented refusal (issue 19): exit 3
                click.echo(str(exc), err=True)
                sys.exit(REFUSED_EXIT)
            except PublishError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
        click.echo(report.text())

    @app.cli.command("reset-demo")
    @click.option("--yes", is_flag=True, help="Hapus tanpa bertanya.")
    @click.option(
        "--no-seed", "delete_only", is_flag=True, help="Hapus saja, tanpa memuat data demo."
    )
    def reset_demo(yes, delete_only):
        """Delete the SQLite demo database (with -wal and -shm) and, unless --no-seed, load
        the demo again. Refuses a database with non-demo data."""
        from kinerja.demo import reset
        from kinerja.ops import backup

        try:
            path = backup.database_path()
        except backup.BackupError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        with database.connection_context():
            try:
                reset.check_resettable()
            except reset.ResetRefused as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
        then = "" if delete_only else ", lalu memuat ulang data demo Sibolga"
        message = (
            f"Menghapus basis data demo {path} beserta berkas -wal dan -shm{then}. "
            "Semua perubahan pada data demo hilang; hentikan 'make run' terlebih dahulu."
        )
        if yes:
            click.echo(message)
        else:
            click.confirm(f"{message} Lanjutkan?", abort=True)
        if not database.is_closed():
            database.close()
        if hasattr(database.obj, "close_all"):  # a pool keeps connections to the old file
            database.obj.close_all()
        removed = reset.delete_database_files(path)
        click.echo(
            "Dihapus: " + ", ".join(f.name for f in removed) if removed else "Tidak ada berkas."
        )
        if delete_only:
            return
        from kinerja.demo import seed as run_seed

        with database.connection_context():
            migrations.upgrade()
            summary = run_seed()
        click.echo(summary.text())

    @app.cli.command("demo-logins")
    def demo_logins():
        """Print the demo logins."""
        from kinerja.demo import login_table

        with database.connection_context():
            click.echo(login_table())

    @app.cli.command("create-year")
    @click.argument("year", type=int)
    @click.option(
        "--kind",
        type=click.Choice(["TRIWULAN", "BULANAN"]),
        default="TRIWULAN",
        show_default=True,
        help="Penilaian periodik per triwulan atau per bulan.",
    )
    @click.option(
        "--skp-deadline",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Batas pengajuan SKP (YYYY-MM-DD; bawaan 31 Januari).",
    )
    def create_year(year, kind, skp_deadline):
        """Create a performance year: the annual period and its quarters or months."""
        from kinerja.services.periods import PeriodError
        from kinerja.services.periods import create_year as make

        with database.connection_context():
            try:
                periods = make(
                    year, kind, skp_deadline=skp_deadline.date() if skp_deadline else None
                )
            except PeriodError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
        for p in periods:
            click.echo(f"{p.name}: {p.start:%d-%m-%Y} s.d. {p.end:%d-%m-%Y}")

    @app.cli.command("open-period")
    @click.argument("year", type=int)
    @click.argument("number", type=int)
    @click.option("--close", is_flag=True, help="Tutup periode ini alih-alih membukanya.")
    def open_period(year, number, close):
        """Open (or with --close, close) period NUMBER of YEAR (0 = the annual period)."""
        from kinerja.queries import periods as period_queries
        from kinerja.services import periods as period_service

        with database.connection_context():
            period = period_queries.find(year, number)
            if period is None:
                click.echo(f"Periode {number} tahun {year} tidak ditemukan.", err=True)
                sys.exit(1)
            try:
                if close:
                    period_service.close_period(period)
                else:
                    period_service.open_period(period)
            except period_service.PeriodError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
        click.echo(f"{period.name} {'ditutup' if close else 'dibuka'}.")

    @app.cli.command("import-roster")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Hanya periksa; tidak ada yang disimpan.")
    def import_roster(path, dry_run):
        """Import (or only check) a roster CSV/XLSX: all rows or none, upsert by NIP."""
        from pathlib import Path

        from kinerja.imports import roster as roster_import
        from kinerja.imports import roster_parse

        content = Path(path).read_bytes()
        batch_priority()
        with database.connection_context():
            try:
                rows = roster_parse.parse(content, Path(path).name)
            except roster_parse.RosterFileError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
            with click.progressbar(length=len(rows), label="Memeriksa baris") as bar:
                seen = [0]

                def progress(done, total):
                    bar.update(done - seen[0])
                    seen[0] = done

                try:
                    if dry_run:
                        report = roster_import.validate(rows, progress)
                    else:
                        report = roster_import.apply(
                            rows, filename=Path(path).name, progress=progress
                        )
                except roster_import.RosterInvalid as exc:
                    report = exc.report
        for message in report.errors:
            click.echo(message, err=True)
        click.echo(report.text())
        if report.errors:
            click.echo("Tidak ada yang disimpan.", err=True)
            sys.exit(1)

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    @click.option("--force", is_flag=True, help="Timpa berkas yang sudah ada.")
    def backup_db(path, force):
        """Copy the live SQLite database consistently (online backup API)."""
        from kinerja.ops import backup

        with database.connection_context():
            try:
                target = backup.backup(path, force=force)
            except backup.BackupError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
        click.echo(f"Cadangan tersimpan di {target}.")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Ganti basis data tanpa bertanya.")
    @click.option(
        "--force",
        is_flag=True,
        help="Pulihkan walau basis data tampak dipakai (hanya bila aplikasi pasti berhenti).",
    )
    def restore_db(path, yes, force):
        """Replace the SQLite database with a verified backup (stop the app first)."""
        from kinerja.ops import backup

        try:
            check = backup.inspect(path) if backup.is_sqlite() else None
            if check is None:
                raise backup.BackupError(backup.POSTGRES_ADVICE)
            if not yes:
                click.confirm(
                    f"Ganti basis data {backup.database_path()} dengan {path} "
                    f"(versi skema {check.schema_version})? Hentikan aplikasi terlebih dahulu.",
                    abort=True,
                )
            check = backup.restore(path, force=force)
        except backup.BackupError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        click.echo(
            f"Basis data dipulihkan dari {path} (integrity_check ok, versi skema "
            f"{check.schema_version}). Jalankan 'upgrade-db' bila versi skema lebih lama."
        )

    @app.cli.command("gen-data")
    @click.option("--employees", default=5000, show_default=True, help="Jumlah pegawai.")
    @click.option("--months", default=24, show_default=True, help="Rentang data (bulan).")
    @click.option("--kiosk-answers", default=1_000_000, show_default=True, help="Jawaban kios.")
    @click.option("--requests", default=200_000, show_default=True, help="Permohonan layanan.")
    @click.option("--seed", default=1, show_default=True, help="Benih acak (deterministik).")
    def gen_data(employees, months, kiosk_answers, requests, seed):
        """Fill an EMPTY database with a generated city (benchmarks, load tests)."""
        import time

        from kinerja.demo.scale import generate
        from kinerja.demo.scale_base import GenRefused, GenSpec

        spec = GenSpec(employees, months, kiosk_answers, requests, seed)
        started = time.perf_counter()
        with database.connection_context():
            migrations.upgrade()
            try:
                counts = generate(spec, log=click.echo)
            except (GenRefused, ValueError) as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
        click.echo(", ".join(f"{k}={v}" for k, v in counts.items()))
        click.echo(f"Selesai dalam {time.perf_counter() - started:.1f} s.")
