"""Evaluation, self-assessment, 360 feedback, org predikat, pattern, objection, follow-up."""

from kinerja.db import is_sqlite
from kinerja.migrations import run_sql_file

VERSION = 4
DESCRIPTION = (
    "Evaluasi kinerja, penilaian diri, umpan balik 360, predikat organisasi, pola distribusi, "
    "keberatan, tindak lanjut"
)


def up(db):
    """Create the evaluation tables (``feedback_answer`` WITHOUT ROWID on SQLite: no hidden
    row order for anonymous answers) and seed the default distribution pattern."""
    from kinerja.clock import utcnow
    from kinerja.scoring import DEFAULT_PATTERN, pattern_to_json

    run_sql_file(db, VERSION)
    if db.execute_sql('SELECT 1 FROM "distribution_pattern_version" LIMIT 1').fetchone():
        return
    mark = "?" if is_sqlite() else "%s"
    db.execute_sql(
        'INSERT INTO "distribution_pattern_version" '
        '("version", "json", "note", "created_at", "active") '
        f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark})",
        (1, pattern_to_json(DEFAULT_PATTERN), "Pola bawaan SE MenPANRB 3/2023", utcnow(), True),
    )
