"""Kiosk answers: drop single-column indexes that the (column, day) indexes already cover."""

VERSION = 10
DESCRIPTION = "Jawaban kios: hapus indeks tunggal yang sudah tercakup indeks (kolom, hari)"

REDUNDANT = ("kiosk_response_kiosk_id", "kiosk_response_unit_id", "kiosk_response_employee_id")


def up(db):
    """Drop the redundant indexes (a fresh database never had them)."""
    for name in REDUNDANT:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
