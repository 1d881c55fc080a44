"""Back-dated kiosk answers (issue 19, item 6): the limits hold on arrival time too, and a
back-dated answer is accepted only as far as the device's own offline queue explains it."""

from datetime import datetime, timedelta

from kinerja import settings
from kinerja.db import write_tx
from kinerja.models.kiosk import Kiosk, KioskResponse
from kinerja.permissions import Actor
from kinerja.services import kiosk_answers, kiosk_duty
from kinerja.services.kiosk_answers import Outcome
from tests.builders_kiosk import make_kiosk, payload

# Monday 1 June 2026, 09:00 WIB = 02:00 UTC.
MONDAY_9_WIB = datetime(2026, 6, 1, 2, 0)


def _set(key, value):
    with write_tx():
        settings.store(key, value)


def _on_duty(world, kiosk, who, start, end):
    return kiosk_duty.add_duty(
        Actor(world.accounts["supervisor"]), kiosk.id, world.people[who].id, start, end
    )


def test_the_reproduced_attack_rewrites_no_past_duty(world):
    # The pegawai sat at the counter ten days ago; the kiosk has answered since. 180
    # answers claimed during that duty arrive within one second.
    kiosk, token = make_kiosk(world)
    now = MONDAY_9_WIB + timedelta(days=10)
    past = MONDAY_9_WIB
    _on_duty(world, kiosk, "pegawai", past, past + timedelta(hours=4))
    kiosk_answers.record_answer(
        token, payload(at=now - timedelta(hours=1)), now=now - timedelta(hours=1)
    )
    outcomes = [
        kiosk_answers.record_answer(
            token,
            payload(1, at=past + timedelta(seconds=5 * i)),
            now=now + timedelta(milliseconds=3 * i),
        ).outcome
        for i in range(180)
    ]
    pegawai = world.people["pegawai"].id
    assert KioskResponse.select().where(KioskResponse.employee == pegawai).count() == 0
    # Unexplained by the queue, they are counted after the newest respondent, at most
    # BACKLOG_PER_MINUTE of them in this arrival minute; the rest are told to wait.
    assert outcomes.count(Outcome.STORED) == kiosk_answers.BACKLOG_PER_MINUTE
    assert outcomes.count(Outcome.BUSY) == 180 - kiosk_answers.BACKLOG_PER_MINUTE
    assert not Outcome.BUSY.accepted  # the device keeps them and retries later


def test_a_silent_kiosk_backlog_is_stored_at_a_bounded_rate_per_arrival_minute(world):
    kiosk, token = make_kiosk(world)
    t0 = MONDAY_9_WIB
    arrival = t0 + timedelta(days=3)
    bodies = [payload(at=t0 + timedelta(seconds=5 * i)) for i in range(180)]
    outcomes = [kiosk_answers.record_answer(token, b, now=arrival).outcome for b in bodies]
    assert outcomes.count(Outcome.STORED) == kiosk_answers.BACKLOG_PER_MINUTE
    assert Kiosk.get_by_id(kiosk.id).backlog_count == kiosk_answers.BACKLOG_PER_MINUTE


def test_an_honest_offline_queue_is_flushed_whole_nothing_lost_nothing_doubled(world):
    """The device flushes oldest first and retries "busy" answers after a backoff."""
    kiosk, token = make_kiosk(world)
    _set("kiosk_max_per_hour", 120)
    t0 = MONDAY_9_WIB
    queue = [payload(at=t0 + timedelta(seconds=30 * i)) for i in range(100)]  # 50 minutes
    arrival = t0 + timedelta(hours=5)
    minute = 0
    while queue:
        result = kiosk_answers.record_answer(
            token, queue[0], now=arrival + timedelta(minutes=minute)
        )
        if result.outcome is Outcome.BUSY:
            minute += 1  # backoff
            continue
        assert result.outcome is Outcome.STORED
        again = kiosk_answers.record_answer(
            token, queue.pop(0), now=arrival + timedelta(minutes=minute)
        )
        assert again.outcome is Outcome.DUPLICATE  # a retry is idempotent
    assert KioskResponse.select().count() == 100
    assert minute == 100 // kiosk_answers.BACKLOG_PER_MINUTE  # stored over four arrival minutes
    # Every answer kept its own hour (09.00 and 09.00-09.50 WIB).
    assert {r.hour for r in KioskResponse.select()} == {9}


def test_back_dated_answers_keep_interval_and_hourly_cap_of_their_own_hour(world):
    _, token = make_kiosk(world)
    _set("kiosk_max_per_hour", 10)
    t0 = MONDAY_9_WIB
    arrival = t0 + timedelta(days=1)
    spaced = [payload(at=t0 + timedelta(seconds=10 * i)) for i in range(12)]
    outcomes = [kiosk_answers.record_answer(token, b, now=arrival).outcome for b in spaced]
    assert outcomes == [Outcome.STORED] * 10 + [Outcome.RATE_LIMITED] * 2
    tap = payload(at=t0 + timedelta(hours=1, seconds=2))
    kiosk_answers.record_answer(token, payload(at=t0 + timedelta(hours=1)), now=arrival)
    assert kiosk_answers.record_answer(token, tap, now=arrival).outcome is Outcome.IGNORED_INTERVAL


def test_answers_older_than_the_pairing_are_refused(world):
    kiosk, token = make_kiosk(world)
    paired = Kiosk.get_by_id(kiosk.id).paired_at
    before = payload(at=paired - timedelta(hours=1))
    result = kiosk_answers.record_answer(token, before, now=paired + timedelta(hours=2))
    assert result.outcome is Outcome.BEFORE_PAIRING and result.outcome.accepted
    assert KioskResponse.select().count() == 0


def test_a_retry_after_busy_is_the_same_answer_and_a_changed_payload_conflicts(world):
    _, token = make_kiosk(world)
    t0 = MONDAY_9_WIB
    arrival = t0 + timedelta(days=1)
    for i in range(kiosk_answers.BACKLOG_PER_MINUTE):
        kiosk_answers.record_answer(token, payload(at=t0 + timedelta(seconds=5 * i)), now=arrival)
    body = payload(2, at=t0 + timedelta(minutes=10))
    assert kiosk_answers.record_answer(token, body, now=arrival).outcome is Outcome.BUSY
    later = arrival + timedelta(minutes=1)
    first = kiosk_answers.record_answer(token, body, now=later)
    assert first.outcome is Outcome.STORED
    assert kiosk_answers.record_answer(token, body, now=later).outcome is Outcome.DUPLICATE
    changed = dict(body, face=4)
    assert kiosk_answers.record_answer(token, changed, now=later).outcome is Outcome.CONFLICT
