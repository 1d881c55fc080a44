"""The citizen's SKM from a counter receipt (issue 22 part 2): single-use links that expire,
cannot be guessed or replayed, and answers that count once in the IKM with their channel."""

import secrets
import threading
from datetime import timedelta

import pytest

from kinerja.clock import pinned_at, today_wib
from kinerja.db import database
from kinerja.enums import Unsur
from kinerja.models.audit import AuditEvent
from kinerja.models.kiosk import KioskResponse, SurveyToken
from kinerja.models.public import PublicSnapshot, PublicUnitFigure
from kinerja.permissions import Actor
from kinerja.services import layanan_log, survey
from kinerja.services.publish import publish
from kinerja.services.survey import PhoneAnswer, TokenState
from tests.builders_public import add_answers, make_period
from tests.builders_service import make_request, make_service_type, wib

ANSWER = PhoneAnswer(face=4, unsur=dict.fromkeys(Unsur, 3), comment="Cepat dan ramah.")


@pytest.fixture
def done(world):
    """A KTP-el request of the bidang, completed by the pegawai at the counter."""
    ktp = make_service_type(world.units["bidang"], "Penerbitan KTP-el", value=1)
    row = make_request(ktp, wib(2026, 11, 26, 8))
    return layanan_log.complete_request(Actor(world.accounts["pegawai"]), row)


def _receipt(world, request, who="pegawai"):
    return survey.issue_receipt(Actor(world.accounts[who]), request)


def test_receipt_stores_only_the_hash_bound_to_the_request(world, done):
    receipt = _receipt(world, done)
    assert len(receipt.token) >= 43  # 32 random bytes, URL-safe base64
    row = SurveyToken.get(SurveyToken.service_request_id == done.id)
    assert row.token_hash == survey.token_hash(receipt.token) != receipt.token
    assert receipt.token not in str(list(SurveyToken.select().tuples()))
    assert (row.unit_id, row.service_type_id) == (done.unit_id, done.service_type_id)
    assert row.employee_id == world.people["pegawai"].id
    assert row.expires_at == row.created_at + timedelta(days=7)
    event = AuditEvent.select().where(AuditEvent.action == "service.receipt_printed").get()
    assert receipt.token not in event.after


def test_receipt_only_for_completed_requests_of_the_counters_staff(world, done):
    with pytest.raises(survey.NotAllowed):
        _receipt(world, done, who="admin")
    still_open = make_request(done.service_type, wib(2026, 11, 26, 9))
    with pytest.raises(survey.SurveyError, match="belum selesai"):
        _receipt(world, still_open)


def test_answer_is_stored_once_with_channel_service_unit_and_handler(world, done):
    receipt = _receipt(world, done)
    assert survey.submit(receipt.token, ANSWER) is TokenState.OPEN
    row = KioskResponse.get()
    assert row.channel == "ponsel" and row.kiosk_id is None
    assert (row.unit_id, row.service_type_id) == (done.unit_id, done.service_type_id)
    assert row.employee_id == world.people["pegawai"].id  # internal, as at the kiosk
    assert (row.face, row.u1, row.u9, row.comment) == (4, 3, 3, "Cepat dan ramah.")
    token = SurveyToken.get()
    assert token.used_at == token.created_at  # used, but never when (no match by time)


def test_reuse_is_refused(world, done):
    receipt = _receipt(world, done)
    assert survey.submit(receipt.token, ANSWER) is TokenState.OPEN
    assert survey.submit(receipt.token, ANSWER) is TokenState.USED
    assert survey.lookup(receipt.token).state is TokenState.USED
    assert KioskResponse.select().count() == 1
    with pytest.raises(survey.SurveyError, match="sudah mengisi"):
        _receipt(world, done)  # a used link is final: no second answer for this request


def test_printing_again_replaces_an_unused_link(world, done):
    first = _receipt(world, done)
    second = _receipt(world, done)
    assert survey.lookup(first.token).state is TokenState.UNKNOWN
    assert survey.submit(first.token, ANSWER) is TokenState.UNKNOWN
    assert survey.submit(second.token, ANSWER) is TokenState.OPEN
    assert KioskResponse.select().count() == 1


def test_expiry_seven_days(world, done):
    receipt = _receipt(world, done)
    issued = SurveyToken.get().created_at
    with pinned_at(issued + timedelta(days=7) - timedelta(minutes=1) + _wib_offset()):
        assert survey.lookup(receipt.token).state is TokenState.OPEN
    with pinned_at(issued + timedelta(days=7, minutes=1) + _wib_offset()):
        assert survey.lookup(receipt.token).state is TokenState.EXPIRED
        assert survey.submit(receipt.token, ANSWER) is TokenState.EXPIRED
    assert KioskResponse.select().count() == 0


def _wib_offset():
    return timedelta(hours=7)  # pinned_at reads a naive datetime as WIB; tokens store UTC


@pytest.mark.parametrize(
    "guess",
    [
        "random",  # a fresh random token, drawn in the test (xdist workers collect alike)
        "A" * 43,
        "",
        "x" * 500,
        "../../etc/passwd",
        "' OR 1=1 --",
    ],
)
def test_guessed_tokens_are_unknown(world, done, guess):
    _receipt(world, done)
    guess = secrets.token_urlsafe(32) if guess == "random" else guess
    assert survey.lookup(guess).state is TokenState.UNKNOWN
    assert survey.submit(guess, ANSWER) is TokenState.UNKNOWN
    assert KioskResponse.select().count() == 0


def test_the_token_is_consumed_by_a_conditional_update(world, done, monkeypatch):
    """Two submissions that both saw the link open: the second's UPDATE changes no row."""
    receipt = _receipt(world, done)
    assert survey.lookup(receipt.token).state is TokenState.OPEN
    assert survey.lookup(receipt.token).state is TokenState.OPEN  # both read "open"
    assert survey.submit(receipt.token, ANSWER) is TokenState.OPEN
    # The second submission's state check is skipped by forcing its stale view:
    row = SurveyToken.get()
    row.used_at = None  # what the second request read before the first committed
    monkeypatch.setattr(survey, "_find", lambda token: row)
    assert survey.submit(receipt.token, ANSWER) is TokenState.USED
    assert KioskResponse.select().count() == 1


def test_two_submissions_at_once_store_exactly_one_answer(app, world, done):
    receipt = _receipt(world, done)
    database.close()
    barrier = threading.Barrier(2)
    results = []

    def send():
        database.connect(reuse_if_open=True)
        try:
            barrier.wait(timeout=10)
            results.append(survey.submit(receipt.token, ANSWER))
        finally:
            database.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    database.connect(reuse_if_open=True)
    assert sorted(results) == sorted([TokenState.OPEN, TokenState.USED])
    assert KioskResponse.select().count() == 1


def test_phone_answers_count_in_the_published_ikm_with_kiosk_answers(world, done):
    today = today_wib()  # the period holds today: the phone answer is given today
    period = make_period(today.year, 4, status="DITUTUP", start=today - timedelta(30), end=today)
    add_answers(world.units["bidang"], today - timedelta(6), 9)
    receipt = _receipt(world, done)
    assert survey.submit(receipt.token, ANSWER) is TokenState.OPEN
    channels = [r.channel for r in KioskResponse.select().order_by(KioskResponse.id)]
    assert channels == ["kiosk"] * 9 + ["ponsel"]

    report = publish(period)

    snapshot = PublicSnapshot.get_by_id(report.snapshot_id)
    rows = PublicUnitFigure.select().where(PublicUnitFigure.snapshot == snapshot.id)
    assert max(r.ikm_n or 0 for r in rows) == 10  # nine from the kiosk, one from the phone
    shown = next(r for r in rows if r.ikm_n == 10)
    assert (shown.kiosk_n, shown.phone_n) == (9, 1)  # counts per channel, no IKM per channel
    assert (snapshot.city_ikm_n, snapshot.city_kiosk_n, snapshot.city_phone_n) == (10, 9, 1)
