"""Foundation: units, employees, acting officials, accounts, audit log, settings."""

from kinerja.db import is_postgres
from kinerja.migrations import run_sql_file

VERSION = 1
DESCRIPTION = "Unit, pegawai, Plt/Plh, akun, log audit, pengaturan"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]


def up(db):
    """Create the foundation tables and make the audit log append-only."""
    run_sql_file(db, VERSION)
    for statement in POSTGRES_TRIGGERS if is_postgres() else SQLITE_TRIGGERS:
        db.execute_sql(statement)
