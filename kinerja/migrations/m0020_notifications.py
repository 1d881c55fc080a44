"""Notifications and reminders (issue 23 part 4): what the portal tells a person, how they
want it by e-mail, and the e-mail address of an account.

The schema of this version is stated here in SQL (not taken from today's models). A
notification links to a page by endpoint name and arguments (as a task of ``kinerja.queries.tasks``
does), so the web layer builds the address; ``dedupe_key`` makes the daily deadline reminder
idempotent (one per person, item and day).
"""

from peewee import CharField

from kinerja.db import is_sqlite
from kinerja.migrations import add_column_if_missing

VERSION = 20
DESCRIPTION = "Notifikasi dan pengingat: pemberitahuan, pilihan e-mail, alamat e-mail akun"

NOTIFICATION_SQL = (
    'CREATE TABLE IF NOT EXISTS "notification" ('
    '"id" {pk}, '
    '"employee_id" INTEGER NOT NULL, '
    '"kind" VARCHAR(32) NOT NULL, '
    '"title" VARCHAR(200) NOT NULL, '
    '"body" TEXT NOT NULL, '
    '"link_endpoint" VARCHAR(80) NOT NULL, '
    '"link_args" TEXT NOT NULL, '
    '"dedupe_key" VARCHAR(64), '
    '"created_at" {ts} NOT NULL, '
    '"read_at" {ts}, '
    '"emailed_at" {ts}, '
    'FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE)'
)
PREFERENCE_SQL = (
    'CREATE TABLE IF NOT EXISTS "notification_preference" ('
    '"id" {pk}, '
    '"employee_id" INTEGER NOT NULL, '
    '"email_mode" VARCHAR(8) NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    'FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE)'
)
INDEXES_SQL = (
    'CREATE INDEX IF NOT EXISTS "notification_employee_id_read_at" '
    'ON "notification" ("employee_id", "read_at")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "notification_employee_id_dedupe_key" '
    'ON "notification" ("employee_id", "dedupe_key")',
    'CREATE INDEX IF NOT EXISTS "notification_emailed_at" ON "notification" ("emailed_at")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "notification_preference_employee_id" '
    'ON "notification_preference" ("employee_id")',
)


def up(db):
    """Create ``notification`` and ``notification_preference``; add ``account.email``."""
    sqlite = is_sqlite()
    types = {
        "pk": "INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY",
        "ts": "DATETIME" if sqlite else "TIMESTAMP",
    }
    db.execute_sql(NOTIFICATION_SQL.format(**types))
    db.execute_sql(PREFERENCE_SQL.format(**types))
    for sql in INDEXES_SQL:
        db.execute_sql(sql)
    add_column_if_missing(db, "account", "email", CharField(max_length=254, null=True))
