"""Command-line interface: ``flask --app portal <command>``."""

import sys

import click

from kinerja import migrations
from kinerja.db import database


def register(app) -> None:
    """Attach the commands to ``app``."""

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
    def verify_audit():
        """Verify the audit log's hash chain; exit 1 naming the first broken entry."""
        from kinerja.services.audit import verify_chain

        with database.connection_context():
            report = verify_chain()
        click.echo(report.message)
        if not report.ok:
            sys.exit(1)

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
        """Publish (or rebuild) the public data snapshot of a period."""
        from kinerja.services.publish import PublishError, publish

        with database.connection_context():
            try:
                report = publish(period_id)
            except PublishError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
        click.echo(report.text())

    @app.cli.command("demo-logins")
    def demo_logins():
        """Print the demo logins."""
        from kinerja.demo import login_table

        with database.connection_context():
            click.echo(login_table())
