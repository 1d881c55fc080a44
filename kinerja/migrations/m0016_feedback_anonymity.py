"""360 anonymity against differencing (issue 19 item 1): a closing date for the 360 round,
answers without a day or a submission batch, requests without a day of answering.

The schema of this version is stated here in SQL (not taken from today's models). Existing
data is scrubbed: the answer rows are copied without ``day`` and ``batch``, in a random
order under fresh random ids (so neither the old id nor the storage order survives), and
``feedback_request.answered_on`` is dropped. Rounds whose summary was already on show are
closed, so that it cannot change again; rounds still below every threshold stay open.
"""

import json
import secrets

from peewee import DateField

from kinerja.clock import today_wib
from kinerja.db import is_sqlite
from kinerja.migrations import add_column_if_missing

VERSION = 16
DESCRIPTION = "Umpan balik 360: putaran ditutup sebelum ringkasan tampil, jawaban tanpa tanggal"

LOCKED = ("FINAL", "DITERIMA", "KEBERATAN", "DIPUTUS")

ANSWER_TABLE_SQL = (
    'CREATE TABLE "feedback_answer" ("id" VARCHAR(32) NOT NULL PRIMARY KEY, '
    '"evaluation_id" INTEGER NOT NULL, "group" VARCHAR(12) NOT NULL, '
    '"value" VARCHAR(24) NOT NULL, "rating" VARCHAR(20) NOT NULL, "comment" TEXT NOT NULL, '
    'FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE)'
)
ANSWER_INDEXES_SQL = (
    'CREATE INDEX IF NOT EXISTS "feedback_answer_evaluation_id" '
    'ON "feedback_answer" ("evaluation_id")',
    'CREATE INDEX IF NOT EXISTS "feedback_answer_evaluation_id_group_value" '
    'ON "feedback_answer" ("evaluation_id", "group", "value")',
)


def _columns(db, table: str) -> set[str]:
    return {c.name for c in db.get_columns(table)}


def _rebuild_answers(db) -> None:
    """Copy the answers without day and batch, shuffled, under new random ids."""
    rows = db.execute_sql(
        'SELECT "evaluation_id", "group", "value", "rating", "comment" FROM "feedback_answer"'
    ).fetchall()
    secrets.SystemRandom().shuffle(rows)
    db.execute_sql('DROP TABLE "feedback_answer"')
    db.execute_sql(ANSWER_TABLE_SQL + (" WITHOUT ROWID" if is_sqlite() else ""))
    for sql in ANSWER_INDEXES_SQL:
        db.execute_sql(sql)
    mark = "?" if is_sqlite() else "%s"
    insert = (
        'INSERT INTO "feedback_answer" ("id", "evaluation_id", "group", "value", "rating", '
        f'"comment") VALUES ({", ".join([mark] * 6)})'
    )
    for row in rows:
        db.execute_sql(insert, (secrets.token_hex(16), *row))


def _scores_min(db, period_id: int, in_force: dict) -> int:
    """The score threshold frozen when the period opened (else the one in force)."""
    mark = "?" if is_sqlite() else "%s"
    row = db.execute_sql(
        f'SELECT "frozen_settings" FROM "period" WHERE "id" = {mark}', (period_id,)
    ).fetchone()
    frozen = json.loads(row[0]) if row and row[0] else {}
    return int(frozen.get("feedback_scores_min", in_force["feedback_scores_min"]))


def _close_rounds(db) -> int:
    """Close the rounds of locked evaluations and of those whose scores were already shown
    (a group at or above the score threshold frozen with its period)."""
    from kinerja import settings

    today = today_wib()
    mark = "?" if is_sqlite() else "%s"
    locked = ", ".join([mark] * len(LOCKED))
    closed = db.execute_sql(
        f'UPDATE "evaluation" SET "feedback_closed_on" = {mark} '
        f'WHERE "feedback_closed_on" IS NULL AND "status" IN ({locked})',
        (today, *LOCKED),
    ).rowcount
    rows = db.execute_sql(
        'SELECT e."id", e."period_id", a."group", a."value", COUNT(*) '
        'FROM "feedback_answer" a JOIN "evaluation" e ON e."id" = a."evaluation_id" '
        'WHERE e."feedback_closed_on" IS NULL '
        'GROUP BY e."id", e."period_id", a."group", a."value"'
    ).fetchall()
    minimum: dict[int, int] = {}
    shown = set()
    for ev_id, period_id, _group, _value, n in rows:
        if period_id not in minimum:
            minimum[period_id] = _scores_min(db, period_id, settings.current())
        if n >= minimum[period_id]:
            shown.add(ev_id)
    for ev_id in sorted(shown):
        db.execute_sql(
            f'UPDATE "evaluation" SET "feedback_closed_on" = {mark} WHERE "id" = {mark}',
            (today, ev_id),
        )
    return closed + len(shown)


def up(db):
    """Add the round's closing date, scrub the answers and requests, close shown rounds."""
    previous = None
    if is_sqlite():
        # Freed pages are overwritten with zeros, so the dropped values do not linger.
        previous = db.execute_sql("PRAGMA secure_delete").fetchone()[0]
        db.execute_sql("PRAGMA secure_delete = ON")
    try:
        _scrub(db)
    finally:
        if previous is not None:
            db.execute_sql(f"PRAGMA secure_delete = {int(previous)}")


def _scrub(db):
    """The steps of :func:`up`."""
    add_column_if_missing(db, "evaluation", "feedback_closed_on", DateField(null=True))
    if {"day", "batch"} & _columns(db, "feedback_answer"):
        _rebuild_answers(db)
    if "answered_on" in _columns(db, "feedback_request"):
        db.execute_sql('UPDATE "feedback_request" SET "answered_on" = NULL')
        db.execute_sql('ALTER TABLE "feedback_request" DROP COLUMN "answered_on"')
    _close_rounds(db)
