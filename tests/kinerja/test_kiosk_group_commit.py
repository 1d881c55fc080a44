"""Kiosk answers arriving together are written as one group, each keeping its own outcome."""

import threading
import time
import uuid
from datetime import timedelta

from kinerja.clock import utcnow
from kinerja.models.kiosk import KioskResponse
from kinerja.services import kiosk as ks
from kinerja.services.kiosk import Outcome
from tests.builders_kiosk import make_kiosk, payload


def _answer(at, client_id=None):
    return payload(4, at=at, client_id=client_id or str(uuid.uuid4()))


def test_a_group_keeps_every_answer_s_own_outcome(world):
    kiosks = [make_kiosk(world, name=f"Kios {i}", counter=f"Loket {i}")[1] for i in range(3)]
    start = utcnow() - timedelta(hours=1)
    shared_id = str(uuid.uuid4())
    jobs = [
        (kiosks[0], _answer(start)),
        (kiosks[0], _answer(start + timedelta(seconds=60))),
        (kiosks[1], _answer(start, shared_id)),
        (kiosks[1], _answer(start, shared_id)),  # the same id twice in one group: a retry
        (kiosks[2], _answer(start)),
        (kiosks[2], _answer(start + timedelta(seconds=2))),  # inside the 5 s interval
    ]
    results = [None] * len(jobs)

    def run(i, token, body):
        results[i] = ks.record_answer(token, body)

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    with ks._GROUP.leader:  # hold the writers back until every answer has queued
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(ks._GROUP.queue) < len(jobs) and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(ks._GROUP.queue) == len(jobs)
    for thread in threads:
        thread.join(10)
    outcomes = [r.outcome for r in results]
    assert outcomes[:2] == [Outcome.STORED, Outcome.STORED]
    assert sorted(outcomes[2:4]) == sorted([Outcome.STORED, Outcome.DUPLICATE])
    assert sorted(outcomes[4:]) == sorted([Outcome.STORED, Outcome.IGNORED_INTERVAL])
    assert KioskResponse.select().count() == 4
    assert KioskResponse.select().where(KioskResponse.client_id == shared_id).count() == 1
    assert ks._GROUP.queue == []
