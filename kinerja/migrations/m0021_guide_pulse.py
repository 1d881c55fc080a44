"""Staff guide and pulse of trust (issue 23 parts 1 and 2): when an account saw the welcome,
who answered a period's pulse survey, and the anonymous answers.

The schema of this version is stated here in SQL (not taken from today's models).
``pulse_participation`` says only that an employee answered a period's pulse (one row per
person and period, no time). ``pulse_answer`` holds the answers with the respondent's unit
and nothing else about them: no employee, no account, no time, a random primary key and on
SQLite no rowid, so neither a column nor the storage order links an answer to a
participation row.
"""

from peewee import DateTimeField

from kinerja.db import is_sqlite
from kinerja.migrations import add_column_if_missing

VERSION = 21
DESCRIPTION = "Panduan pegawai (sambutan pertama) dan survei denyut kepercayaan anonim"

PARTICIPATION_SQL = (
    'CREATE TABLE IF NOT EXISTS "pulse_participation" ('
    '"id" {pk}, '
    '"period_id" INTEGER NOT NULL, '
    '"employee_id" INTEGER NOT NULL, '
    'FOREIGN KEY ("period_id") REFERENCES "period" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE)'
)
ANSWER_SQL = (
    'CREATE TABLE IF NOT EXISTS "pulse_answer" ('
    '"id" VARCHAR(32) NOT NULL PRIMARY KEY, '
    '"period_id" INTEGER NOT NULL, '
    '"unit_id" INTEGER NOT NULL, '
    '"version" INTEGER NOT NULL, '
    '"question" VARCHAR(24) NOT NULL, '
    '"score" INTEGER NOT NULL, '
    '"comment" TEXT NOT NULL, '
    'FOREIGN KEY ("period_id") REFERENCES "period" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE CASCADE)'
)
INDEXES_SQL = (
    'CREATE UNIQUE INDEX IF NOT EXISTS "pulse_participation_period_id_employee_id" '
    'ON "pulse_participation" ("period_id", "employee_id")',
    'CREATE INDEX IF NOT EXISTS "pulse_participation_employee_id" '
    'ON "pulse_participation" ("employee_id")',
    'CREATE INDEX IF NOT EXISTS "pulse_answer_period_id_unit_id" '
    'ON "pulse_answer" ("period_id", "unit_id")',
)


def up(db):
    """Add ``account.welcomed_at``; create the pulse participation and answer tables."""
    sqlite = is_sqlite()
    add_column_if_missing(db, "account", "welcomed_at", DateTimeField(null=True))
    db.execute_sql(
        PARTICIPATION_SQL.format(
            pk="INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY"
        )
    )
    db.execute_sql(ANSWER_SQL + (" WITHOUT ROWID" if sqlite else ""))
    for sql in INDEXES_SQL:
        db.execute_sql(sql)
