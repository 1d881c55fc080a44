"""Periods (issue 18, item 6): opening asks for confirmation and says what it does; a period
cannot be opened before its first day; an evaluation cannot be finalised before its period
ends (except with a written reason, audited); every page that picks a period defaults to the
current one (the one containing today, else the latest that has started), never a future one.
The clock is pinned at 26 November 2026."""

import json
from datetime import timedelta

import pytest

from kinerja.clock import pinned_at, today_wib
from kinerja.enums import EvaluationStatus, Rating
from kinerja.formatting import format_date
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import Evaluation
from kinerja.models.period import Period
from kinerja.queries import evaluation as evaluation_queries
from kinerja.queries import periods as period_queries
from kinerja.services import evaluation as svc
from kinerja.services import periods
from kinerja.services.evaluation import EvaluationError
from tests.builders_evaluation import actor_of, make_approved_skp, make_evaluation, make_period
from tests.html import check_page, find_all

A, S = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI


def _text(tree) -> str:
    return " ".join(" ".join(tree.itertext()).split())


# --- opening ------------------------------------------------------------------------------


def _next_quarter():
    """A planned quarter that begins in 30 days, whatever today is; and its first day."""
    first = today_wib() + timedelta(days=30)
    return make_period(
        first.year + 1, 1, status="DIRENCANAKAN", start=first, end=first + timedelta(89)
    ), first


def test_a_period_cannot_be_opened_before_its_first_day(world):
    early, first = _next_quarter()
    with pytest.raises(periods.PeriodError, match=format_date(first)):
        periods.open_period(early, actor=world.accounts["admin"])
    assert Period.get_by_id(early.id).status == "DIRENCANAKAN"
    assert not AuditEvent.select().where(AuditEvent.action == "period.opened").exists()
    with pinned_at(first):
        assert periods.open_period(early).status == "DIBUKA"


def test_opening_asks_for_confirmation_and_says_what_it_does(client, login_as, world):
    quarter = make_period(2026, 4, status="DIRENCANAKAN")  # 1 Oct – 28 Dec: started
    make_approved_skp(world.people["pegawai"])
    login_as(world.accounts["admin"])
    listing = check_page(client.get("/admin/periode").text)
    url = f"/admin/periode/{quarter.id}/buka"
    assert not find_all(listing, "form", action=url)  # no one-click opening
    assert find_all(listing, "a", href=url)

    page = client.get(url)
    assert page.status_code == 200
    tree = check_page(page.text)
    text = _text(tree)
    for shown in (
        quarter.name,
        "1 pegawai dengan SKP yang sudah disetujui",
        "tidak dapat dibatalkan",
        "dibekukan",
    ):
        assert shown in text, shown
    (form,) = find_all(tree, "form", action=url)
    assert Period.get_by_id(quarter.id).status == "DIRENCANAKAN"  # looking is not opening

    # A POST without the confirmation opens nothing.
    assert client.post(url).status_code == 422
    assert Period.get_by_id(quarter.id).status == "DIRENCANAKAN"
    assert client.post(url, data={"konfirmasi": "ya"}).status_code == 303
    assert Period.get_by_id(quarter.id).status == "DIBUKA"
    assert Evaluation.select().where(Evaluation.period == quarter.id).count() == 1


def test_the_confirmation_refuses_a_future_period(client, login_as, world):
    early, first = _next_quarter()
    login_as(world.accounts["admin"])
    page = client.get(f"/admin/periode/{early.id}/buka")
    assert page.status_code == 409
    tree = check_page(page.text)
    assert format_date(first) in _text(tree)
    assert not find_all(tree, "form", action=f"/admin/periode/{early.id}/buka")
    client.post(f"/admin/periode/{early.id}/buka", data={"konfirmasi": "ya"})
    assert Period.get_by_id(early.id).status == "DIRENCANAKAN"


# --- finalising ---------------------------------------------------------------------------


def _in_progress():
    """A quarter that has begun and ends in 20 days, whatever today is; and its end."""
    today = today_wib()
    end = today + timedelta(days=20)
    return make_period(today.year, 4, start=today - timedelta(days=60), end=end), format_date(end)


def _rated_in(world, period):
    ev = make_evaluation(world.people["pegawai"], period)
    return svc.rate(actor_of(world, "supervisor"), ev, A, "Capaian 120 %", S, "Sikap baik")


def test_an_evaluation_cannot_be_finalised_before_its_period_ends(world):
    period, ends = _in_progress()
    ev = _rated_in(world, period)
    boss = actor_of(world, "supervisor")
    assert ends in svc.finalise_refusal(ev)
    with pytest.raises(EvaluationError, match=ends):
        svc.finalise(boss, ev)
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.DINILAI
    with pytest.raises(EvaluationError, match="alasan"):
        svc.finalise(boss, ev, early_reason="  ")

    # The exception: a written reason, kept in the audit trail.
    reason = "Pegawai pindah ke OPD lain per 1 Desember 2026"
    final = svc.finalise(boss, ev, early_reason=reason)
    assert final.status == EvaluationStatus.FINAL
    event = AuditEvent.select().where(AuditEvent.action == "evaluasi.difinalisasi").get()
    assert json.loads(event.after)["early_reason"] == reason


def test_after_the_period_ends_no_reason_is_needed(world):
    ev = _rated_in(world, make_period(2026, 3))  # ended 28 September 2026
    assert svc.finalise_refusal(ev) is None
    assert svc.finalise(actor_of(world, "supervisor"), ev).status == EvaluationStatus.FINAL


def test_the_finalise_page_asks_for_the_reason_before_the_end(client, login_as, world):
    period, ends = _in_progress()
    ev = _rated_in(world, period)
    login_as(world.accounts["supervisor"])
    url = f"/atasan/penilaian/{ev.id}/finalisasi"
    page = client.get(url)
    assert page.status_code == 200  # finalising is still offered, with a reason
    tree = check_page(page.text)
    assert ends in _text(tree)
    (form,) = find_all(tree, "form", action=url)
    assert find_all(form, "textarea", name="early_reason")
    assert client.post(url).status_code == 303
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.DINILAI
    client.post(url, data={"early_reason": "Pegawai pensiun per 1 Desember 2026"})
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.FINAL


# --- the default period -------------------------------------------------------------------


def _incident(world):
    """The audit's case, on any date: the quarter containing today is open, and the next two
    quarters were opened early (TW IV 2026, TW I and II 2027 on 5 December 2026)."""
    today = today_wib()
    now = make_period(today.year, 4, start=today - timedelta(days=60), end=today + timedelta(20))
    make_period(
        today.year, 3, status="DITUTUP", start=today - timedelta(150), end=today - timedelta(61)
    )
    first = today + timedelta(days=30)
    future = [
        make_period(today.year + 1, 1, start=first, end=first + timedelta(days=89)),
        make_period(
            today.year + 1, 2, start=first + timedelta(90), end=first + timedelta(days=180)
        ),
    ]
    for period in (now, *future):
        make_evaluation(world.people["pegawai"], period)
    return now, future


def test_current_period_is_the_one_containing_today_else_the_latest_started(world):
    now, future = _incident(world)
    assert period_queries.current_period() == now
    assert evaluation_queries.default_period() == now
    assert period_queries.current_period([future[0], future[1]]) is None  # never a future one
    with pinned_at(now.end + timedelta(days=1)):  # after the quarter, before the next one
        assert period_queries.current_period() == now


def test_team_page_and_admin_pages_default_to_the_current_period(client, login_as, world):
    now, _ = _incident(world)
    login_as(world.accounts["supervisor"])
    tree = check_page(client.get("/atasan/penilaian").text)
    selected = [o for o in tree.iter("option") if o.get("selected") is not None]
    assert [o.text for o in selected] == [now.name]
    tree = check_page(client.get("/atasan/kalibrasi").text)
    selected = [o for o in find_all(tree, "select", id="period_id")[0].iter("option")]
    assert [o.text for o in selected if o.get("selected") is not None] == [now.name]
    login_as(world.accounts["admin"])
    for url in ("/admin/", "/admin/predikat-organisasi"):
        tree = check_page(client.get(url).text)
        chosen = [o.text for o in tree.iter("option") if o.get("selected") is not None]
        assert [c.split(" (")[0] for c in chosen][:1] == [now.name], (url, chosen)
