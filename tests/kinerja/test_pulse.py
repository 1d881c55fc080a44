"""Issue 23 part 2: the anonymous pulse of trust. Tested like the 360 answers: no identity
stored, the threshold holds at 4 against 5, two reads around one more answer never isolate
it, heads see only their subtree, staff see no results."""

import pytest

from kinerja.db import database, is_sqlite
from kinerja.enums import PeriodStatus, PulseQuestion
from kinerja.models.audit import AuditEvent
from kinerja.models.pulse import PulseAnswer, PulseParticipation
from kinerja.permissions import Actor
from kinerja.services import periods, pulse
from tests.builders import make_employee, make_unit
from tests.builders_pulse import (
    ALL_FOURS,
    answer_as,
    make_pulse_period,
    staff_answering,
    store_answers,
)


def _actor(world, who):
    return Actor(world.accounts[who])


def _shown(world, who="admin", period_id=None):
    """Published groups as {unit id: n} for the chosen (default latest) closed period."""
    data = pulse.results(_actor(world, who), period_id)
    return {g.unit.id: g.n for g in data.latest.groups} if data.latest else {}


def test_answer_tables_hold_no_identity_and_no_time(app):
    columns = {c.name for c in database.get_columns("pulse_answer")}
    assert columns == {"id", "period_id", "unit_id", "version", "question", "score", "comment"}
    participation = {c.name for c in database.get_columns("pulse_participation")}
    assert participation == {"id", "period_id", "employee_id"}
    # The answer's key is random text, not a sequence that follows the insertion order.
    assert PulseAnswer.id.field_type == "VARCHAR"
    if is_sqlite():  # and no hidden rowid that would keep the insertion order
        (sql,) = database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'pulse_answer'"
        ).fetchone()
        assert "WITHOUT ROWID" in sql


def test_answer_stores_participation_answers_and_an_audit_entry_without_content(world):
    period = make_pulse_period()
    answer_as(world.people["pegawai"], {**ALL_FOURS, "FAIR": "2"}, "Target kurang jelas")
    assert PulseParticipation.select().where(PulseParticipation.period == period.id).count() == 1
    rows = list(PulseAnswer.select().where(PulseAnswer.period == period.id))
    assert len(rows) == len(PulseQuestion)
    assert {r.unit_id for r in rows} == {world.units["seksi"].id}
    assert {r.question: r.score for r in rows}["FAIR"] == 2
    assert [r.comment for r in rows if r.comment] == ["Target kurang jelas"]
    event = AuditEvent.select().where(AuditEvent.action == "pulse.answered").get()
    assert event.actor_account_id == world.accounts["pegawai"].id
    assert event.object_id == str(period.id)
    assert "Target" not in event.after and "FAIR" not in event.after
    assert str(world.units["seksi"].id) not in event.after


def test_answering_twice_is_refused(world):
    make_pulse_period()
    answer_as(world.people["pegawai"])
    with pytest.raises(pulse.PulseError, match="sudah mengisi"):
        answer_as(world.people["pegawai"])
    assert PulseParticipation.select().count() == 1
    assert PulseAnswer.select().count() == len(PulseQuestion)


@pytest.mark.parametrize(
    ("scores", "comment", "message"),
    [
        ({}, "", "Pilih jawaban"),
        ({**ALL_FOURS, "FAIR": "6"}, "", "Pilih jawaban"),
        ({**ALL_FOURS, "FAIR": "dua"}, "", "Pilih jawaban"),
        (ALL_FOURS, "x" * (pulse.MAX_COMMENT + 1), "Komentar paling banyak"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(world, scores, comment, message):
    make_pulse_period()
    with pytest.raises(pulse.PulseError, match=message):
        answer_as(world.people["pegawai"], scores, comment)
    assert PulseParticipation.select().count() == PulseAnswer.select().count() == 0


def test_no_open_period_no_survey(world):
    make_pulse_period(status=PeriodStatus.DITUTUP)
    with pytest.raises(pulse.PulseError, match="tidak sedang dibuka"):
        answer_as(world.people["pegawai"])
    assert pulse.pending_period(_actor(world, "pegawai")) is None


def test_home_card_shows_until_answered(world):
    period = make_pulse_period()
    assert pulse.pending_period(_actor(world, "pegawai")).id == period.id
    answer_as(world.people["pegawai"])
    assert pulse.pending_period(_actor(world, "pegawai")) is None
    assert pulse.pending_period(_actor(world, "peer")).id == period.id


@pytest.mark.parametrize(("count", "shown"), [(4, False), (5, True)])
def test_threshold_four_against_five(world, count, shown):
    assert pulse.PULSE_MIN_ANSWERS == 5
    period = make_pulse_period(status=PeriodStatus.DITUTUP)
    store_answers(period, world.units["bkpsdm"], count, comment="Komentar uji")
    data = pulse.results(_actor(world, "admin"))
    groups = {g.unit.id: g for g in data.latest.groups}
    assert (world.units["bkpsdm"].id in groups) is shown
    if shown:
        group = groups[world.units["bkpsdm"].id]
        assert group.n == 5
        assert group.comments == ["Komentar uji"] * 5
        assert {f.question for f in group.questions} == set(PulseQuestion)
        assert all(f.distribution[4] == 5 and str(f.mean) == "4.00" for f in group.questions)
    else:
        assert data.trend == []


def test_small_units_fold_into_their_parent_and_no_figure_overlaps(world):
    period = make_pulse_period(status=PeriodStatus.DITUTUP)
    store_answers(period, world.units["seksi"], 3)
    store_answers(period, world.units["bidang"], 2, score=2)
    store_answers(period, world.units["opd"], 1)
    data = pulse.results(_actor(world, "admin"))
    (group,) = data.latest.groups
    assert group.unit.id == world.units["bidang"].id
    assert group.n == 5  # the bidang's 2 with the seksi's 3; the Dinas's 1 stays withheld
    assert [u.id for u in group.folded] == [world.units["seksi"].id]


def test_parent_remainder_below_five_shows_nothing(world):
    # The seksi has 5 (shown); the bidang alone has 2: showing a bidang total of 7 would
    # reveal the bidang's 2 by subtraction, so the bidang shows nothing.
    period = make_pulse_period(status=PeriodStatus.DITUTUP)
    store_answers(period, world.units["seksi"], 5)
    store_answers(period, world.units["bidang"], 2)
    assert _shown(world) == {world.units["seksi"].id: 5}


def test_two_reads_around_one_more_answer_never_isolate_it(world):
    """While the pulse is open nothing shows; once the period is closed no answer is
    accepted, so every read of the results is the same."""
    period = make_pulse_period()
    staff_answering(world.units["bkpsdm"], 5)
    before = pulse.results(_actor(world, "admin"))
    answer_as(world.people["pegawai"])
    after = pulse.results(_actor(world, "admin"))
    assert before.latest is None and after.latest is None  # the period is still open
    periods.close_period(period)
    first = _shown(world)
    with pytest.raises(pulse.PulseError):
        answer_as(world.people["peer"])
    second = _shown(world)
    assert first == second == {world.units["bkpsdm"].id: 5}
    # The pegawai's answer (seksi, alone) is in no published figure.
    assert world.units["seksi"].id not in first


def test_heads_see_only_their_subtree_and_staff_see_nothing(world):
    period = make_pulse_period(status=PeriodStatus.DITUTUP)
    other = make_unit("Dinas Lain", kind="OPD")
    make_employee("Kepala Dinas Lain", unit=other, jenis="JPT")
    store_answers(period, world.units["seksi"], 5)
    store_answers(period, other, 6)
    assert _shown(world, "admin") == {world.units["seksi"].id: 5, other.id: 6}
    assert _shown(world, "auditor") == {world.units["seksi"].id: 5, other.id: 6}
    assert _shown(world, "atasan") == {world.units["seksi"].id: 5}  # head of the bidang
    assert _shown(world, "supervisor") == {world.units["seksi"].id: 5}  # head of the seksi
    with pytest.raises(pulse.Forbidden):
        pulse.results(_actor(world, "pegawai"))


def test_trend_over_closed_periods(world):
    first = make_pulse_period(1, status=PeriodStatus.DITUTUP, days_ago=200)
    second = make_pulse_period(2, status=PeriodStatus.DITUTUP, days_ago=100)
    store_answers(first, world.units["bkpsdm"], 5, score=2)
    store_answers(second, world.units["bkpsdm"], 5, score=5)
    data = pulse.results(_actor(world, "admin"))
    assert [p.id for p in data.periods] == [first.id, second.id]
    (row,) = data.trend
    assert row.cells[first.id][PulseQuestion.FAIR] == 2
    assert row.cells[second.id][PulseQuestion.FAIR] == 5
    assert data.latest.period.id == second.id
    assert pulse.results(_actor(world, "admin"), first.id).latest.period.id == first.id


def test_moving_a_unit_after_the_close_changes_no_figure(world):
    """The groups of a closed period are folded over the unit tree frozen when the period
    closed: moving a unit afterwards cannot make two reads differ (differencing)."""
    period = make_pulse_period()
    staff_answering(world.units["seksi"], 3)
    staff_answering(world.units["bidang"], 2)
    periods.close_period(period)
    before = pulse.results(_actor(world, "admin"))
    assert _shown(world) == {world.units["bidang"].id: 5}
    seksi = world.units["seksi"]
    seksi.parent = world.units["opd"]
    seksi.save()
    after = pulse.results(_actor(world, "admin"))
    assert _shown(world) == {world.units["bidang"].id: 5}
    assert [(g.unit.id, g.n, [u.id for u in g.folded]) for g in after.latest.groups] == [
        (g.unit.id, g.n, [u.id for u in g.folded]) for g in before.latest.groups
    ]
