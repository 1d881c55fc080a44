"""Drop the database page cache: its per-table triggers, the change counter and the cache."""

from kinerja.db import is_postgres

VERSION = 11
DESCRIPTION = "Hapus cache halaman: pemicu per tabel, penghitung perubahan dan tabel cache"

TRIGGER_PREFIX = "kinerja_gen_"


def up(db):
    """Triggers first (they write the counter), then the tables and the trigger function."""
    if is_postgres():
        rows = db.execute_sql(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
            (TRIGGER_PREFIX + "%",),
        ).fetchall()
        for name, table in rows:
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
        db.execute_sql("DROP FUNCTION IF EXISTS kinerja_bump_generation()")
    else:
        rows = db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            (TRIGGER_PREFIX + "%",),
        ).fetchall()
        for (name,) in rows:
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute_sql("DROP TABLE IF EXISTS cached_page")
    db.execute_sql("DROP TABLE IF EXISTS data_generation")
