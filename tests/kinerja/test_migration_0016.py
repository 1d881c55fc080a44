"""Migration 16 scrubs the 360 data that linked an answer to its rater (issue 19 item 1)."""

from kinerja import migrations
from kinerja.db import database, is_sqlite
from kinerja.enums import Berakhlak
from kinerja.models.evaluation import Evaluation, FeedbackRequest
from kinerja.models.system import SchemaVersion
from tests.builders_evaluation import make_evaluation, make_peers, make_period

OLD_ANSWER_TABLE = (
    'CREATE TABLE "feedback_answer" ("id" VARCHAR(32) NOT NULL PRIMARY KEY, '
    '"evaluation_id" INTEGER NOT NULL, "group" VARCHAR(12) NOT NULL, '
    '"value" VARCHAR(24) NOT NULL, "rating" VARCHAR(20) NOT NULL, "comment" TEXT NOT NULL, '
    '"day" DATE NOT NULL, "batch" VARCHAR(32) NOT NULL, '
    'FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE)'
)


def _columns(table):
    return {c.name for c in database.get_columns(table)}


def _old_submission(ev, request, number):
    """One submission as versions before 16 stored it: a shared batch and the day, which
    equals the request's answered_on."""
    mark = "?" if is_sqlite() else "%s"
    for value in Berakhlak:
        database.execute_sql(
            'INSERT INTO "feedback_answer" VALUES '
            f"({mark}, {mark}, {mark}, {mark}, {mark}, {mark}, {mark}, {mark})",
            (
                f"{number:02d}{value.value}"[:32],
                ev.id,
                "PEER",
                value.value,
                "SESUAI_EKSPEKTASI",
                f"komentar {number}",
                f"2026-11-{10 + number:02d}",
                f"batch{number:027d}",
            ),
        )
    database.execute_sql(
        f'UPDATE "feedback_request" SET "answered" = {mark}, "answered_on" = {mark} '
        f'WHERE "id" = {mark}',
        (True, f"2026-11-{10 + number:02d}", request.id),
    )


def test_upgrade_scrubs_batch_day_and_answered_on_and_freezes_shown_rounds(app, world):
    period = make_period()
    shown = make_evaluation(world.people["pegawai"], period)  # 3 answers: already shown
    hidden = make_evaluation(world.people["peer"], period)  # 2 answers: nothing shown yet
    final = make_evaluation(world.people["supervisor"], period, status="FINAL")
    peers = make_peers(world, 3)
    for ev in (shown, hidden, final):
        for peer in peers:
            FeedbackRequest.create(
                evaluation=ev, rater=peer, group="PEER", requested_on=period.start
            )

    # Put the database back to version 15's 360 schema, with its linking data.
    database.execute_sql('DROP TABLE "feedback_answer"')
    database.execute_sql(OLD_ANSWER_TABLE + (" WITHOUT ROWID" if is_sqlite() else ""))
    database.execute_sql('ALTER TABLE "feedback_request" ADD COLUMN "answered_on" DATE')
    database.execute_sql('ALTER TABLE "evaluation" DROP COLUMN "feedback_closed_on"')
    SchemaVersion.update(version=15).execute()
    number = 0
    for ev, count in ((shown, 3), (hidden, 2), (final, 1)):
        requests = FeedbackRequest.select(FeedbackRequest.id).where(
            FeedbackRequest.evaluation == ev.id
        )
        for request in list(requests)[:count]:
            number += 1
            _old_submission(ev, request, number)
    old_ids = {r[0] for r in database.execute_sql('SELECT "id" FROM "feedback_answer"')}

    assert [m.version for m in migrations.upgrade()][0] == 16  # later ones are idempotent

    assert _columns("feedback_answer") == {
        "id",
        "evaluation_id",
        "group",
        "value",
        "rating",
        "comment",
    }
    assert "answered_on" not in _columns("feedback_request")
    rows = database.execute_sql(
        'SELECT "id", "evaluation_id", "comment" FROM "feedback_answer"'
    ).fetchall()
    assert len(rows) == 6 * 7
    assert not {r[0] for r in rows} & old_ids  # fresh random ids
    assert sorted(r[2] for r in rows) == sorted(
        f"komentar {n}" for n in range(1, 7) for _ in Berakhlak
    )
    answered = FeedbackRequest.select().where(FeedbackRequest.answered).count()
    assert answered == 6
    closed = {
        ev.id: Evaluation.get_by_id(ev.id).feedback_closed_on for ev in (shown, hidden, final)
    }
    assert closed[shown.id] is not None and closed[final.id] is not None
    assert closed[hidden.id] is None
    # Running it again on the new schema changes nothing.
    assert migrations.upgrade() == []
    SchemaVersion.update(version=15).execute()
    assert [m.version for m in migrations.upgrade()][0] == 16  # later ones are idempotent
    assert _columns("feedback_answer") == {
        "id",
        "evaluation_id",
        "group",
        "value",
        "rating",
        "comment",
    }
