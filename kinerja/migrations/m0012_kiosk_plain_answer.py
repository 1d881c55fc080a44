"""Kiosk answers as one plain transaction: the hourly count moves onto the kiosk row."""

from peewee import DateTimeField, IntegerField

from kinerja.migrations import add_column_if_missing

VERSION = 12
DESCRIPTION = "Jawaban kios: hitungan per jam pada baris kios, id jawaban unik"


def up(db):
    """Add the kiosk's hour columns, make sure the client id is unique, drop the old count."""
    add_column_if_missing(db, "kiosk", "rate_hour", DateTimeField(null=True))
    add_column_if_missing(db, "kiosk", "rate_count", IntegerField(default=0))
    # Created with the table since migration 5; stated here because retries rely on it.
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_response_client_id" '
        'ON "kiosk_response" ("client_id")'
    )
    db.execute_sql('DROP TABLE IF EXISTS "kiosk_rate_counter"')
