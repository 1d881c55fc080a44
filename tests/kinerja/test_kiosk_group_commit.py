"""Kiosk answers arriving together are written as one group, each keeping its own outcome."""

import threading
import time
import uuid
from datetime import timedelta

from peewee import IntegrityError

from kinerja.clock import utcnow
from kinerja.models.kiosk import Kiosk, KioskRateCounter, KioskResponse
from kinerja.services import kiosk as ks
from kinerja.services.kiosk import Outcome
from tests.builders_kiosk import make_kiosk, payload


def _answer(at, client_id=None):
    return payload(4, at=at, client_id=client_id or str(uuid.uuid4()))


def test_a_group_keeps_every_answer_s_own_outcome(world):
    made = [make_kiosk(world, name=f"Kios {i}", counter=f"Loket {i}") for i in range(3)]
    kiosks = [token for _, token in made]
    start = utcnow().replace(minute=10, microsecond=0) - timedelta(hours=1)
    shared_id = str(uuid.uuid4())
    jobs = [
        (kiosks[0], _answer(start)),
        (kiosks[0], _answer(start + timedelta(seconds=60))),
        (kiosks[1], _answer(start, shared_id)),
        (kiosks[1], _answer(start, shared_id)),  # the same id twice in one group: a retry
        (kiosks[2], _answer(start)),
        (kiosks[2], _answer(start + timedelta(seconds=2))),  # inside the 5 s interval
    ]
    results = _held_group(jobs)
    outcomes = [r.outcome for r in results]
    assert outcomes[:2] == [Outcome.STORED, Outcome.STORED]
    assert sorted(outcomes[2:4]) == sorted([Outcome.STORED, Outcome.DUPLICATE])
    assert sorted(outcomes[4:]) == sorted([Outcome.STORED, Outcome.IGNORED_INTERVAL])
    assert KioskResponse.select().count() == 4
    assert KioskResponse.select().where(KioskResponse.client_id == shared_id).count() == 1
    for result, (_, body) in zip(results, jobs, strict=True):  # each told its own row
        if result.outcome is Outcome.STORED:
            assert KioskResponse.get_by_id(result.response_id).client_id == body["id"]
    # Two rounds for the first kiosk: both counted in their hour, the newest one kept.
    first = Kiosk.get_by_id(made[0][0].id)
    assert first.last_respondent_at == start + timedelta(seconds=60)
    counted = KioskRateCounter.select().where(KioskRateCounter.kiosk == first.id)
    assert [c.count for c in counted] == [2]
    assert ks._GROUP.queue == []


def _held_group(jobs):
    """Run ``record_answer`` for every (token, payload) as one group; results or errors."""
    results = [None] * len(jobs)

    def run(i, token, body):
        try:
            results[i] = ks.record_answer(token, body)
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    group = ks._GROUP
    with group.changed:
        group.writing = True
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(group.queue) < len(jobs) and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(group.queue) == len(jobs)
    finally:
        with group.changed:
            group.writing = False
            group.changed.notify_all()
    for thread in threads:
        thread.join(10)
    return results


def test_a_failing_answer_does_not_take_its_group_down(world, monkeypatch):
    """A database error rolls the group back; every other answer is then stored, once."""
    kiosks = [make_kiosk(world, name=f"Kios {i}", counter=f"Loket {i}")[1] for i in range(3)]
    start = utcnow() - timedelta(hours=1)
    bad_id = str(uuid.uuid4())
    store = ks._store_group
    calls = []

    def failing(batch):
        store(batch)  # written first, so the group has something to roll back
        calls.append(len(batch))
        if any(item.new.store[0] == bad_id for item in batch):
            raise IntegrityError("gagal disimpan (uji)")

    monkeypatch.setattr(ks, "_store_group", failing)
    jobs = [
        (kiosks[0], _answer(start)),
        (kiosks[1], _answer(start, bad_id)),
        (kiosks[2], _answer(start)),
    ]
    results = _held_group(jobs)
    assert isinstance(results[1], IntegrityError)
    assert [r.outcome for r in (results[0], results[2])] == [Outcome.STORED, Outcome.STORED]
    assert calls == [3, 1, 1, 1]  # the group, then each answer on its own
    assert KioskResponse.select().count() == 2
    assert not KioskResponse.select().where(KioskResponse.client_id == bad_id).exists()
    assert ks._GROUP.queue == [] and not ks._GROUP.writing
