"""SKM from the citizen's own phone (issue 22 part 2): a single-use survey link printed on the
receipt of a completed service request, and the channel of every answer.

The schema of this version is stated here in SQL (not taken from today's models):
``survey_token`` keeps only the SHA-256 of the token; ``kiosk_response`` gains ``channel``
(every existing answer came from a kiosk) and its ``kiosk_id`` may be empty (a phone answer
has no kiosk).
"""

from peewee import CharField

from kinerja.db import is_sqlite
from kinerja.migrations import add_column_if_missing

VERSION = 19
DESCRIPTION = "Survei SKM dari ponsel warga: tautan sekali pakai pada tanda terima, kanal jawaban"

TOKEN_TABLE_SQL = (
    'CREATE TABLE IF NOT EXISTS "survey_token" ('
    '"id" {pk}, '
    '"token_hash" VARCHAR(64) NOT NULL, '
    '"service_request_id" INTEGER NOT NULL, '
    '"unit_id" INTEGER NOT NULL, '
    '"service_type_id" INTEGER, '
    '"employee_id" INTEGER, '
    '"created_at" {ts} NOT NULL, '
    '"expires_at" {ts} NOT NULL, '
    '"used_at" {ts}, '
    'FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE SET NULL)'
)
TOKEN_INDEXES_SQL = (
    'CREATE UNIQUE INDEX IF NOT EXISTS "survey_token_token_hash" ON "survey_token" ("token_hash")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "survey_token_service_request_id" '
    'ON "survey_token" ("service_request_id")',
    'CREATE INDEX IF NOT EXISTS "survey_token_employee_id" ON "survey_token" ("employee_id")',
)


def _kiosk_optional(db) -> None:
    """Let ``kiosk_response.kiosk_id`` be empty (a fresh database already allows it)."""
    column = next(c for c in db.get_columns("kiosk_response") if c.name == "kiosk_id")
    if column.null:
        return
    if is_sqlite():
        from playhouse.migrate import SqliteMigrator, migrate

        migrate(SqliteMigrator(getattr(db, "obj", db)).drop_not_null("kiosk_response", "kiosk_id"))
    else:
        db.execute_sql('ALTER TABLE "kiosk_response" ALTER COLUMN "kiosk_id" DROP NOT NULL')


def up(db):
    """Create ``survey_token``; add ``kiosk_response.channel``; make its kiosk optional."""
    sqlite = is_sqlite()
    db.execute_sql(
        TOKEN_TABLE_SQL.format(
            pk="INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY",
            ts="DATETIME" if sqlite else "TIMESTAMP",
        )
    )
    for sql in TOKEN_INDEXES_SQL:
        db.execute_sql(sql)
    add_column_if_missing(db, "kiosk_response", "channel", CharField(max_length=8, default="kiosk"))
    _kiosk_optional(db)
