"""The training catalogue kept by BKPSDM, and development plans that pick from it with their
completion recorded (issue 23 part 6).

The schema of this version is stated here in SQL (not taken from today's models):
``training_course`` is the catalogue; ``development_plan`` gains ``course_id`` (empty for a
free plan such as coaching by the head), ``completed_at``, ``completion_note`` and
``recorded_by_id``. A database built from version 4 on today's models already has the
columns (without the course constraint, see ``DevelopmentPlan.course``); then only the
constraint is added, on PostgreSQL (SQLite cannot add one to an existing column).
"""

from kinerja.db import is_sqlite

VERSION = 22
DESCRIPTION = (
    "Katalog pelatihan BKPSDM; rencana pengembangan memilih pelatihan dan mencatat selesai"
)

COURSE_TABLE_SQL = (
    'CREATE TABLE IF NOT EXISTS "training_course" ('
    '"id" {pk}, '
    '"name" VARCHAR(200) NOT NULL, '
    '"kind" VARCHAR(12) NOT NULL, '
    '"provider" VARCHAR(160) NOT NULL, '
    '"hours" INTEGER NOT NULL, '
    '"description" TEXT NOT NULL, '
    '"active" {bool} NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL)'
)
COURSE_INDEX_SQL = (
    'CREATE UNIQUE INDEX IF NOT EXISTS "training_course_name" ON "training_course" ("name")'
)
PLAN_COLUMNS = (
    ("course_id", 'INTEGER REFERENCES "training_course" ("id") ON DELETE RESTRICT'),
    ("completed_at", "DATE"),
    ("completion_note", "TEXT NOT NULL DEFAULT ''"),
    ("recorded_by_id", 'INTEGER REFERENCES "employee" ("id") ON DELETE SET NULL'),
)
PLAN_INDEXES_SQL = (
    'CREATE INDEX IF NOT EXISTS "development_plan_course_id" ON "development_plan" ("course_id")',
    'CREATE INDEX IF NOT EXISTS "development_plan_recorded_by_id" '
    'ON "development_plan" ("recorded_by_id")',
)
COURSE_CONSTRAINT = "development_plan_course_id_fkey"


def _add_course_constraint(db) -> None:
    """PostgreSQL: the course constraint on a column that version 4 created without it."""
    exists = db.execute_sql(
        "SELECT 1 FROM pg_constraint WHERE conname = %s", (COURSE_CONSTRAINT,)
    ).fetchone()
    if exists is None:
        db.execute_sql(
            f'ALTER TABLE "development_plan" ADD CONSTRAINT "{COURSE_CONSTRAINT}" '
            'FOREIGN KEY ("course_id") REFERENCES "training_course" ("id") ON DELETE RESTRICT'
        )


def up(db):
    """Create ``training_course``; add the course and completion columns to plans."""
    sqlite = is_sqlite()
    db.execute_sql(
        COURSE_TABLE_SQL.format(
            pk="INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY",
            bool="INTEGER" if sqlite else "BOOLEAN",
            ts="DATETIME" if sqlite else "TIMESTAMP",
        )
    )
    db.execute_sql(COURSE_INDEX_SQL)
    existing = {c.name for c in db.get_columns("development_plan")}
    for column, definition in PLAN_COLUMNS:
        if column not in existing:
            db.execute_sql(f'ALTER TABLE "development_plan" ADD COLUMN "{column}" {definition}')
    for sql in PLAN_INDEXES_SQL:
        db.execute_sql(sql)
    if not sqlite:
        _add_course_constraint(db)
