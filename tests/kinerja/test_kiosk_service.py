"""Kiosk use cases: pairing, idempotent answers, abuse rules, attribution, figures."""

import threading
import uuid
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kinerja import settings
from kinerja.db import database, write_tx
from kinerja.enums import Unsur
from kinerja.models.audit import AuditEvent
from kinerja.models.kiosk import CounterDuty, Kiosk, KioskResponse
from kinerja.permissions import Actor
from kinerja.queries import kiosk_figures
from kinerja.services import kiosk as ks
from kinerja.services import kiosk_answers, kiosk_duty
from kinerja.services.kiosk import KioskError
from kinerja.services.kiosk_answers import AnswerInvalid, Outcome
from tests.builders_kiosk import admin_actor, make_kiosk, payload, utc_ms

# Monday 1 June 2026, 09:00 WIB = 02:00 UTC.
MONDAY_9_WIB = datetime(2026, 6, 1, 2, 0)
FULL = {u.value: 3 for u in Unsur}


def _set(key, value):
    with write_tx():
        settings.store(key, value)


def test_register_gives_a_one_time_code_stored_hashed(world):
    admin = admin_actor(world)
    kiosk, code = ks.register_kiosk(admin, world.units["seksi"].id, "Kios A", "Loket 1")
    assert len(code) == ks.PAIRING_LENGTH
    assert set(code) <= set(ks.PAIRING_ALPHABET)
    stored = Kiosk.get_by_id(kiosk.id)
    assert stored.pairing_code_hash and code not in stored.pairing_code_hash
    paired, token = ks.pair_device(ks.format_code(code).lower(), client="a")
    assert paired.id == kiosk.id
    assert len(token) >= 40
    stored = Kiosk.get_by_id(kiosk.id)
    assert stored.token_hash == ks.token_hash(token) != token
    assert stored.pairing_code_hash is None
    with pytest.raises(KioskError):
        ks.pair_device(code, client="a")  # one-time


def test_expired_code_is_refused(world):
    admin = admin_actor(world)
    now = datetime(2026, 6, 1)
    kiosk, code = ks.register_kiosk(admin, world.units["seksi"].id, "Kios A", now=now)
    with pytest.raises(KioskError):
        ks.pair_device(code, client="b", now=now + timedelta(hours=24, seconds=1))


def test_pairing_guesses_are_throttled(world):
    admin = admin_actor(world)
    _, code = ks.register_kiosk(admin, world.units["seksi"].id, "Kios A")
    for _ in range(ks.PAIRING_MAX_FAILURES):
        with pytest.raises(KioskError):
            ks.pair_device("AAAAAAAA", client="penebak")
    with pytest.raises(KioskError, match="Terlalu banyak"):
        ks.pair_device(code, client="penebak")
    assert ks.pair_device(code, client="lain")[1]


def test_only_admin_registers(world):
    with pytest.raises(KioskError):
        ks.register_kiosk(Actor(world.accounts["pegawai"]), world.units["seksi"].id, "X")


def test_retry_never_counts_twice(world):
    _, token = make_kiosk(world)
    body = payload(4)
    assert kiosk_answers.record_answer(token, body).outcome is Outcome.STORED
    assert kiosk_answers.record_answer(token, body).outcome is Outcome.DUPLICATE
    assert KioskResponse.select().count() == 1


def test_partial_then_complete_updates_the_same_row(world):
    _, token = make_kiosk(world)
    client_id = str(uuid.uuid4())
    first = kiosk_answers.record_answer(token, payload(2, client_id=client_id))
    assert first.outcome is Outcome.STORED
    later = kiosk_answers.record_answer(
        token, payload(2, client_id=client_id, unsur={"U1": 3, "U2": 3}), now=None
    )
    assert later.outcome is Outcome.UPDATED
    done = kiosk_answers.record_answer(
        token, payload(2, client_id=client_id, unsur=FULL, comment="  Antrean lama.  ")
    )
    assert done.outcome is Outcome.UPDATED and done.response_id == first.response_id
    row = KioskResponse.get()
    assert KioskResponse.select().count() == 1
    assert (row.face, row.u1, row.u9, row.comment) == (2, 3, 3, "Antrean lama.")
    # The complete set sent again (a retry) changes nothing.
    again = kiosk_answers.record_answer(token, payload(2, client_id=client_id, unsur=FULL))
    assert again.outcome is Outcome.DUPLICATE


def test_new_respondent_within_interval_is_ignored(world):
    _, token = make_kiosk(world)
    t0 = MONDAY_9_WIB
    assert kiosk_answers.record_answer(token, payload(at=t0), now=t0).outcome is Outcome.STORED
    early = payload(1, at=t0 + timedelta(seconds=4))
    result = kiosk_answers.record_answer(token, early, now=t0 + timedelta(seconds=4))
    assert result.outcome is Outcome.IGNORED_INTERVAL and result.outcome.accepted
    # Its completion is ignored too: the respondent's time is the screen-1 time.
    early["unsur"] = FULL
    later = kiosk_answers.record_answer(token, early, now=t0 + timedelta(seconds=40))
    assert later.outcome is Outcome.IGNORED_INTERVAL
    ok = kiosk_answers.record_answer(
        token, payload(at=t0 + timedelta(seconds=5)), now=t0 + timedelta(5)
    )
    assert ok.outcome is Outcome.STORED
    assert KioskResponse.select().count() == 2


def test_interval_is_configurable(world):
    _, token = make_kiosk(world)
    _set("kiosk_min_interval_seconds", 30)
    t0 = MONDAY_9_WIB
    kiosk_answers.record_answer(token, payload(at=t0), now=t0)
    late = t0 + timedelta(seconds=20)
    assert (
        kiosk_answers.record_answer(token, payload(at=late), now=late).outcome
        is Outcome.IGNORED_INTERVAL
    )


def test_queued_answers_keep_their_own_time(world):
    """Answers queued offline arrive together but were given minutes apart."""
    _, token = make_kiosk(world)
    t0 = MONDAY_9_WIB
    arrival = t0 + timedelta(minutes=30)
    bodies = [payload(at=t0 + timedelta(minutes=i)) for i in range(3)]
    results = [kiosk_answers.record_answer(token, b, now=arrival) for b in bodies]
    assert [r.outcome for r in results] == [Outcome.STORED] * 3


def test_implausible_client_time_is_replaced_by_arrival(world):
    _, token = make_kiosk(world)
    now = MONDAY_9_WIB
    future = payload(at=now + timedelta(days=2))
    assert kiosk_answers.record_answer(token, future, now=now).outcome is Outcome.STORED
    row = KioskResponse.get()
    assert (row.day, row.hour) == (date(2026, 6, 1), 9)


def test_hourly_rate_limit_per_device(world):
    _, token = make_kiosk(world)
    _, other = make_kiosk(world, name="Kios B", counter="Loket 2")
    _set("kiosk_min_interval_seconds", 1)
    _set("kiosk_max_per_hour", 10)
    t0 = MONDAY_9_WIB
    times = [t0 + timedelta(seconds=2 * i) for i in range(11)]
    outcomes = [kiosk_answers.record_answer(token, payload(at=at), now=at).outcome for at in times]
    assert outcomes == [Outcome.STORED] * 10 + [Outcome.RATE_LIMITED]
    assert kiosk_answers.record_answer(other, payload(at=t0), now=t0).outcome is Outcome.STORED
    next_hour = t0 + timedelta(hours=1)
    assert (
        kiosk_answers.record_answer(token, payload(at=next_hour), now=next_hour).outcome
        is Outcome.STORED
    )


def test_outside_opening_hours_is_refused(world):
    kiosk, token = make_kiosk(world, hours={0: ("08:00", "12:00")})
    monday_7 = MONDAY_9_WIB - timedelta(hours=2)
    tuesday_9 = MONDAY_9_WIB + timedelta(days=1)
    for at in (monday_7, tuesday_9, MONDAY_9_WIB + timedelta(hours=3)):
        assert kiosk_answers.record_answer(token, payload(at=at), now=at).outcome is Outcome.CLOSED
    assert kiosk_answers.record_answer(
        token, payload(at=MONDAY_9_WIB), now=MONDAY_9_WIB
    ).outcome is (Outcome.STORED)
    assert ks.is_open(kiosk, MONDAY_9_WIB)


def test_opening_hours_are_validated(world):
    kiosk, _ = make_kiosk(world)
    admin = admin_actor(world)
    for bad in ({0: ("8:00", "12:00")}, {0: ("12:00", "08:00")}, {9: ("08:00", "09:00")}):
        with pytest.raises(KioskError):
            ks.set_opening_hours(admin, kiosk.id, bad)
    ks.set_opening_hours(admin, kiosk.id, {0: ("07:30", "16:00"), 5: None})
    assert Kiosk.get_by_id(kiosk.id).hours == {0: ("07:30", "16:00")}


@pytest.mark.parametrize("token", [None, "", "palsu", "x" * 500])
def test_forged_tokens_are_unpaired(world, token):
    make_kiosk(world)
    assert kiosk_answers.record_answer(token, payload()).outcome is Outcome.UNPAIRED
    assert KioskResponse.select().count() == 0


def test_revoked_kiosk_stops_at_once(world):
    kiosk, token = make_kiosk(world)
    assert kiosk_answers.record_answer(token, payload()).outcome is Outcome.STORED
    ks.revoke(admin_actor(world), kiosk.id)
    assert kiosk_answers.record_answer(token, payload()).outcome is Outcome.REVOKED
    with pytest.raises(KioskError):
        ks.reissue_pairing_code(admin_actor(world), kiosk.id)


def test_reissued_code_replaces_the_old_device(world):
    kiosk, old = make_kiosk(world)
    code = ks.reissue_pairing_code(admin_actor(world), kiosk.id)
    _, new = ks.pair_device(code, client="baru")
    assert kiosk_answers.record_answer(old, payload()).outcome is Outcome.UNPAIRED
    assert kiosk_answers.record_answer(new, payload()).outcome is Outcome.STORED


BAD = [
    ("not a dict", []),
    ("missing id", {"face": 3}),
    ("bad id", {"id": "abc", "face": 3}),
    ("face 0", {"face": 0}),
    ("face 5", {"face": 5}),
    ("face str", {"face": "3"}),
    ("face bool", {"face": True}),
    ("face float", {"face": 3.0}),
    ("unsur U10", {"unsur": {"U10": 3}}),
    ("unsur lower", {"unsur": {"u1": 3}}),
    ("unsur value 0", {"unsur": {"U1": 0}}),
    ("unsur value str", {"unsur": {"U1": "4"}}),
    ("unsur list", {"unsur": [3, 3]}),
    ("comment long", {"comment": "a" * 281}),
    ("comment int", {"comment": 5}),
    ("unknown key", {"ip": "1.2.3.4"}),
    ("service str", {"service_type_id": "1"}),
    ("service negative", {"service_type_id": -1}),
    ("answered_at str", {"answered_at": "kemarin"}),
]


@pytest.mark.parametrize("label,change", BAD, ids=[b[0] for b in BAD])
def test_invalid_payloads_raise_validation_errors(world, label, change):
    _, token = make_kiosk(world)
    if isinstance(change, dict):
        body = payload(3)
        if label == "missing id":
            del body["id"]
        body.update(change)
    else:
        body = change
    with pytest.raises(AnswerInvalid):
        kiosk_answers.record_answer(token, body)
    assert KioskResponse.select().count() == 0


def test_a_service_not_offered_here_is_stored_as_unknown(world):
    """The kiosk's list changed after the citizen chose: the answers still count."""
    _, token = make_kiosk(world)
    result = kiosk_answers.record_answer(token, payload(service_type_id=7, unsur={"U1": 3}))
    assert result.outcome is Outcome.STORED and result.message == kiosk_answers.MSG_SERVICE_DROPPED
    row = KioskResponse.get()
    assert (row.service_type_id, row.u1) == (None, 3)


def test_a_stored_answer_never_changes(world):
    """Same answers: duplicate. New answers: added. A different answer: conflict."""
    _, token = make_kiosk(world)
    body = payload(2, unsur={"U1": 1}, comment="Lambat.")
    first = kiosk_answers.record_answer(token, body)
    assert kiosk_answers.record_answer(token, body).outcome is Outcome.DUPLICATE
    for change in ({"face": 4}, {"unsur": {"U1": 4}}, {"comment": "Cepat."}):
        result = kiosk_answers.record_answer(token, {**body, **change})
        assert result.outcome is Outcome.CONFLICT and result.response_id == first.response_id
    # A partial retry (an older version of the same answers) changes nothing either.
    assert (
        kiosk_answers.record_answer(token, payload(2, client_id=body["id"])).outcome
        is Outcome.DUPLICATE
    )
    row = KioskResponse.get()
    assert (row.face, row.u1, row.comment, row.updated_at) == (2, 1, "Lambat.", None)


def test_an_id_of_another_kiosk_is_a_conflict(world):
    _, token = make_kiosk(world)
    _, other = make_kiosk(world, name="Kios B", counter="Loket 2")
    body = payload(3)
    kiosk_answers.record_answer(token, body)
    assert kiosk_answers.record_answer(other, body).outcome is Outcome.CONFLICT
    assert KioskResponse.get().kiosk_id != Kiosk.get(Kiosk.name == "Kios B").id


@pytest.mark.parametrize("suffix", ["\n", " ", "\r\n", "\x00"])
def test_client_ids_are_validated_strictly(world, suffix):
    _, token = make_kiosk(world)
    body = payload(3)
    with pytest.raises(AnswerInvalid):
        kiosk_answers.record_answer(token, {**body, "id": body["id"] + suffix})


def test_comment_is_plain_text_without_control_characters(world):
    _, token = make_kiosk(world)
    kiosk_answers.record_answer(token, payload(comment="Bagus\x00\x1b[31m\nsekali <b>"))
    assert KioskResponse.get().comment == "Bagus[31m\nsekali <b>"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
FIELD_VALUES = st.one_of(JSON, st.integers(-3, 8))
PAYLOADS = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.one_of(st.uuids().map(str), st.text(max_size=40)),
            "face": FIELD_VALUES,
            "unsur": st.one_of(
                JSON, st.dictionaries(st.sampled_from([*Unsur.__members__, "U0"]), FIELD_VALUES)
            ),
            "comment": st.one_of(JSON, st.text(max_size=300)),
            "service_type_id": FIELD_VALUES,
            "answered_at": st.one_of(JSON, st.integers(-(10**15), 10**15)),
        },
    ),
)


def test_random_payloads_never_raise_anything_else(world):
    _, token = make_kiosk(world)
    _set("kiosk_min_interval_seconds", 1)

    @hsettings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(PAYLOADS)
    def check(body):
        try:
            result = kiosk_answers.record_answer(token, body)
        except AnswerInvalid as exc:
            assert exc.errors
        else:
            assert result.outcome in set(Outcome)

    check()


def _in_threads(work, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_fifty_presses_in_a_second_store_one_respondent(world):
    _, token = make_kiosk(world)
    now = MONDAY_9_WIB
    results = _in_threads(
        lambda i: kiosk_answers.record_answer(
            token, payload(4, at=now + timedelta(milliseconds=20 * i)), now=now
        ),
        50,
    )
    outcomes = sorted(r.outcome for r in results)
    assert outcomes.count(Outcome.STORED) == 1
    assert outcomes.count(Outcome.IGNORED_INTERVAL) == 49
    assert KioskResponse.select().count() == 1


def test_two_kiosks_at_once_do_not_block_each_other(world):
    _, a = make_kiosk(world, name="Kios A")
    _, b = make_kiosk(world, name="Kios B", counter="Loket 2")
    tokens = [a, b]
    results = _in_threads(lambda i: kiosk_answers.record_answer(tokens[i], payload(3)), 2)
    assert [r.outcome for r in results] == [Outcome.STORED, Outcome.STORED]


def test_same_id_from_two_processes_counts_once(world):
    _, token = make_kiosk(world)
    body = payload(3)
    results = _in_threads(lambda i: kiosk_answers.record_answer(token, body), 8)
    assert sorted(r.outcome for r in results).count(Outcome.STORED) == 1
    assert KioskResponse.select().count() == 1


def test_many_kiosks_same_and_different_ids_nothing_lost_nothing_doubled(world):
    """Six kiosks, each sending its answers twice at once: each stored exactly once."""
    made = [make_kiosk(world, name=f"Kios {i}", counter=f"Loket {i}") for i in range(6)]
    start = MONDAY_9_WIB
    jobs = []
    for k, (_, token) in enumerate(made):
        for n in range(3):
            body = payload(1 + (n + k) % 4, at=start + timedelta(seconds=10 * n))
            jobs += [(token, body), (token, dict(body))]  # the retry races the original
    now = start + timedelta(minutes=5)
    results = _in_threads(lambda i: kiosk_answers.record_answer(*jobs[i], now=now), len(jobs))
    outcomes = [r.outcome for r in results]
    assert outcomes.count(Outcome.STORED) == 18 and outcomes.count(Outcome.DUPLICATE) == 18
    assert KioskResponse.select().count() == 18
    ids = {body["id"] for _, body in jobs}
    assert {r.client_id for r in KioskResponse.select()} == ids
    for kiosk, _ in made:
        row = Kiosk.get_by_id(kiosk.id)
        # Sent at once, the three may arrive out of order: one older than a respondent
        # already stored takes the first free moment after it (issue 19), so it counts.
        assert row.rate_count == 3 and row.last_respondent_at >= start + timedelta(seconds=20)


def test_a_late_answer_older_than_the_newest_counts_after_it(world):
    # Issue 19: the queue is flushed oldest first, so an answer older than a respondent
    # already stored is not explained by it; it is no longer stored in its claimed (earlier)
    # hour outside the hourly count, but at the first free moment after the newest one.
    _, token = make_kiosk(world)
    _set("kiosk_max_per_hour", 10)
    t0 = MONDAY_9_WIB
    for i in range(2):
        at = t0 + timedelta(hours=1, seconds=10 * i)
        assert kiosk_answers.record_answer(token, payload(at=at), now=at).outcome is Outcome.STORED
    late = kiosk_answers.record_answer(
        token, payload(at=t0), now=t0 + timedelta(hours=1, minutes=1)
    )
    assert late.outcome is Outcome.STORED
    kiosk = Kiosk.get()
    assert (kiosk.rate_hour, kiosk.rate_count) == (t0 + timedelta(hours=1), 3)
    assert KioskResponse.get_by_id(late.response_id).hour == 10  # 03:00 UTC = 10.00 WIB


# --- attribution and the roster ------------------------------------------------------------


def test_answers_are_attributed_to_the_employee_on_duty(world):
    kiosk, token = make_kiosk(world)
    pegawai = Actor(world.accounts["pegawai"])
    t0 = MONDAY_9_WIB
    kiosk_duty.sign_in(pegawai, kiosk.id, now=t0)
    kiosk_answers.record_answer(
        token, payload(4, at=t0 + timedelta(minutes=1)), now=t0 + timedelta(minutes=1)
    )
    kiosk_duty.sign_out(pegawai, now=t0 + timedelta(minutes=2))
    kiosk_answers.record_answer(
        token, payload(1, at=t0 + timedelta(minutes=3)), now=t0 + timedelta(minutes=3)
    )
    rows = list(KioskResponse.select().order_by(KioskResponse.face))
    assert [r.employee_id for r in rows] == [None, world.people["pegawai"].id]


def test_sign_in_ends_the_previous_person_at_that_counter(world):
    kiosk, _ = make_kiosk(world)
    t0 = MONDAY_9_WIB
    kiosk_duty.sign_in(Actor(world.accounts["pegawai"]), kiosk.id, now=t0)
    kiosk_duty.sign_in(Actor(world.accounts["peer"]), kiosk.id, now=t0 + timedelta(hours=1))
    assert kiosk_duty.on_duty_at(kiosk.id, t0 + timedelta(minutes=30)) == world.people["pegawai"].id
    assert kiosk_duty.on_duty_at(kiosk.id, t0 + timedelta(hours=2)) == world.people["peer"].id
    assert CounterDuty.select().where(CounterDuty.end.is_null()).count() == 1


def test_roster_by_supervisor_no_overlap_and_no_strangers(world):
    kiosk, _ = make_kiosk(world)
    supervisor = Actor(world.accounts["supervisor"])
    t0 = MONDAY_9_WIB
    duty = kiosk_duty.add_duty(
        supervisor, kiosk.id, world.people["pegawai"].id, t0, t0 + timedelta(hours=4)
    )
    with pytest.raises(KioskError, match="bertumpuk"):
        kiosk_duty.add_duty(
            supervisor, kiosk.id, world.people["peer"].id, t0 + timedelta(hours=1), None
        )
    with pytest.raises(KioskError):  # a peer does not roster a colleague
        kiosk_duty.add_duty(
            Actor(world.accounts["peer"]), kiosk.id, world.people["pegawai"].id, t0, None
        )
    with pytest.raises(KioskError):  # end before start
        kiosk_duty.add_duty(supervisor, kiosk.id, world.people["peer"].id, t0, t0)
    kiosk_duty.end_duty(supervisor, duty.id, now=t0 + timedelta(hours=1))
    assert CounterDuty.get_by_id(duty.id).end == t0 + timedelta(hours=1)


def test_outsider_cannot_sign_in(world):
    kiosk, _ = make_kiosk(world)
    with pytest.raises(KioskError):
        kiosk_duty.sign_in(Actor(world.accounts["auditor"]), kiosk.id)  # BKPSDM, another OPD


# --- figures and audit -----------------------------------------------------------------------


def test_unit_and_employee_figures(world):
    kiosk, token = make_kiosk(world)
    kiosk_duty.sign_in(Actor(world.accounts["pegawai"]), kiosk.id, now=MONDAY_9_WIB)
    faces = [4, 4, 3, 1]
    for i, face in enumerate(faces):
        at = MONDAY_9_WIB + timedelta(minutes=i)
        unsur = {u.value: 4 for u in Unsur} if i == 0 else None
        kiosk_answers.record_answer(token, payload(face, at=at, unsur=unsur), now=at)
    day = date(2026, 6, 1)
    unit = kiosk_figures.unit_figures(world.units["opd"].id, day, day)
    assert unit.n == 4
    assert str(unit.quick_index) == "66.67"  # mean 3 → (3 − 1) × 100/3
    assert unit.ikm.n == 1 and str(unit.ikm.konversi) == "100.00"
    mine = kiosk_figures.employee_figures(world.people["pegawai"].id, day, day)
    assert mine.n == 4
    other_day = kiosk_figures.unit_figures(
        world.units["opd"].id, date(2026, 6, 2), date(2026, 6, 30)
    )
    assert other_day.empty and other_day.quick_index is None
    months = kiosk_figures.unit_monthly(world.units["seksi"].id, day, date(2026, 12, 31))
    assert [(m.year, m.month, m.figures.n) for m in months] == [(2026, 6, 4)]


def test_configuration_is_audited_but_answers_are_not(world):
    kiosk, token = make_kiosk(world)
    before = AuditEvent.select().count()
    kiosk_answers.record_answer(token, payload())
    assert AuditEvent.select().count() == before
    ks.revoke(admin_actor(world), kiosk.id)
    actions = {e.action for e in AuditEvent.select()}
    assert {"kiosk.registered", "kiosk.paired", "kiosk.opening_hours", "kiosk.revoked"} <= actions
    assert not any(ks.token_hash("x") in (e.after or "") for e in AuditEvent.select())


def test_stored_answer_has_day_and_hour_only(world):
    _, token = make_kiosk(world)
    kiosk_answers.record_answer(token, payload(at=MONDAY_9_WIB), now=MONDAY_9_WIB)
    row = KioskResponse.get()
    assert (row.day, row.hour) == (date(2026, 6, 1), 9)
    assert utc_ms(MONDAY_9_WIB) > 0
