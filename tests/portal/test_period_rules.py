"""Periods (issue 18, item 6): opening asks for confirmation and says what it does; a period
cannot be opened before its first day; an evaluation cannot be finalised before its period
ends (except with a written reason, audited); every page that picks a period defaults to the
current one (the one containing today, else the latest that has started), never a future one.
The clock is pinned at 26 November 2026."""

import json
from datetime import date

import pytest

from kinerja.clock import pinned_at
from kinerja.enums import EvaluationStatus, Rating
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import Evaluation
from kinerja.models.period import Period
from kinerja.services import evaluation as svc
from kinerja.services import periods
from kinerja.services.evaluation import EvaluationError
from tests.builders_evaluation import actor_of, make_approved_skp, make_evaluation, make_period
from tests.html import check_page, find_all

A, S = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI


def _text(tree) -> str:
    return " ".join(" ".join(tree.itertext()).split())


# --- opening ------------------------------------------------------------------------------


def test_a_period_cannot_be_opened_before_its_first_day(world):
    early = make_period(2027, 1, status="DIRENCANAKAN")
    with pytest.raises(periods.PeriodError, match="1 Januari 2027"):
        periods.open_period(early, actor=world.accounts["admin"])
    assert Period.get_by_id(early.id).status == "DIRENCANAKAN"
    assert not AuditEvent.select().where(AuditEvent.action == "period.opened").exists()
    with pinned_at(date(2027, 1, 1)):
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
    early = make_period(2027, 2, status="DIRENCANAKAN")
    login_as(world.accounts["admin"])
    page = client.get(f"/admin/periode/{early.id}/buka")
    assert page.status_code == 409
    tree = check_page(page.text)
    assert "1 April 2027" in _text(tree)
    assert not find_all(tree, "form", action=f"/admin/periode/{early.id}/buka")
    client.post(f"/admin/periode/{early.id}/buka", data={"konfirmasi": "ya"})
    assert Period.get_by_id(early.id).status == "DIRENCANAKAN"


# --- finalising ---------------------------------------------------------------------------


def _rated_in(world, period):
    ev = make_evaluation(world.people["pegawai"], period)
    return svc.rate(actor_of(world, "supervisor"), ev, A, "Capaian 120 %", S, "Sikap baik")


def test_an_evaluation_cannot_be_finalised_before_its_period_ends(world):
    ev = _rated_in(world, make_period(2026, 4))  # ends 28 December 2026
    boss = actor_of(world, "supervisor")
    assert "28 Desember 2026" in svc.finalise_refusal(ev)
    with pytest.raises(EvaluationError, match="28 Desember 2026"):
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
    ev = _rated_in(world, make_period(2026, 4))
    login_as(world.accounts["supervisor"])
    url = f"/atasan/penilaian/{ev.id}/finalisasi"
    page = client.get(url)
    assert page.status_code == 200  # finalising is still offered, with a reason
    tree = check_page(page.text)
    assert "28 Desember 2026" in _text(tree)
    (form,) = find_all(tree, "form", action=url)
    assert find_all(form, "textarea", name="early_reason")
    assert client.post(url).status_code == 303
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.DINILAI
    client.post(url, data={"early_reason": "Pegawai pensiun per 1 Desember 2026"})
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.FINAL


# --- the default period -------------------------------------------------------------------


def _incident(world):
    """The audit's case: TW IV 2026 open, TW I and II 2027 opened early on 5 December."""
    now = make_period(2026, 4)
    make_period(2026, 3, status="DITUTUP")
    future = [make_period(2027, 1), make_period(2027, 2)]
    for period in (now, *future):
        make_evaluation(world.people["pegawai"], period)
    return now, future


def test_current_period_is_the_one_containing_today_else_the_latest_started(world):
    now, future = _incident(world)
    assert periods.current_period() == now
    assert svc.default_period() == now
    assert periods.current_period([future[0], future[1]]) is None  # never a future one
    with pinned_at(date(2026, 12, 30)):  # after TW IV (ends 28 Dec), before 2027
        assert periods.current_period() == now


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
