"""Finalising an evaluation goes through a confirmation page that shows what will be locked
and the objection deadline finalising sets; the page refuses (409, in Indonesian) when the
evaluation can no longer be finalised."""

import json
import re
from datetime import timedelta

from kinerja.clock import today_wib
from kinerja.enums import EvaluationStatus, Predikat, Rating
from kinerja.formatting import format_date
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import Evaluation
from kinerja.services import evaluation as svc
from tests.builders_evaluation import actor_of, make_evaluation, make_period
from tests.html import check_page, find_all, texts

A, S = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI


def _rated(world, objection_days=None):
    period = make_period()
    if objection_days is not None:
        frozen = json.loads(period.frozen_settings)
        frozen["objection_days"] = objection_days
        period.frozen_settings = json.dumps(frozen)
        period.save()
    ev = make_evaluation(world.people["pegawai"], period)
    return svc.rate(actor_of(world, "supervisor"), ev, A, "Capaian 120 %", S, "Sikap baik")


def _text(tree) -> str:
    return " ".join(" ".join(tree.itertext()).split())


def test_rate_page_links_to_the_confirmation_instead_of_posting(client, login_as, world):
    ev = _rated(world)
    login_as(world.accounts["supervisor"])
    tree = check_page(client.get(f"/atasan/penilaian/{ev.id}").text)
    url = f"/atasan/penilaian/{ev.id}/finalisasi"
    assert not find_all(tree, "form", action=url)
    links = find_all(tree, "a", href=url)
    assert ["".join(a.itertext()).strip() for a in links] == ["Finalisasi evaluasi"]


def test_confirmation_shows_what_is_locked_and_changes_nothing(client, login_as, world):
    ev = _rated(world, objection_days=7)
    audits = AuditEvent.select().count()
    login_as(world.accounts["supervisor"])
    response = client.get(f"/atasan/penilaian/{ev.id}/finalisasi")
    assert response.status_code == 200
    tree = check_page(response.text)
    text = _text(tree)
    deadline = today_wib() + timedelta(days=7)
    assert texts(tree, "h1") == [f"Finalisasi evaluasi {ev.employee.full_name}?"]
    for shown in (
        ev.employee.full_name,
        ev.period.name,
        A.label,
        S.label,
        Predikat.BAIK.label,
        f"{format_date(deadline)} (7 hari setelah finalisasi hari ini)",
        "perubahan hanya dapat terjadi melalui keberatan",
    ):
        assert shown in text, shown
    (form,) = find_all(tree, "form", action=f"/atasan/penilaian/{ev.id}/finalisasi")
    assert form.get("method") == "post"
    assert texts(form, "button") == ["Ya, finalisasi"]
    (cancel,) = [a for a in form.iter("a") if "".join(a.itertext()).strip() == "Batal"]
    assert cancel.get("href") == f"/atasan/penilaian/{ev.id}"
    # Looking is not finalising.
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.DINILAI
    assert AuditEvent.select().count() == audits

    # "Ya, finalisasi" sets the deadline the page announced.
    response = client.post(f"/atasan/penilaian/{ev.id}/finalisasi")
    assert response.status_code == 303
    final = Evaluation.get_by_id(ev.id)
    assert final.status == EvaluationStatus.FINAL
    assert final.objection_deadline == deadline


def test_confirmation_says_why_it_cannot_finalise(client, login_as, world):
    login_as(world.accounts["supervisor"])
    open_ev = make_evaluation(world.people["pegawai"], make_period())
    final_ev = svc.finalise(actor_of(world, "supervisor"), _rated(world))
    for ev, why in (
        (open_ev, "Evaluasi belum dinilai; beri kedua rating terlebih dahulu."),
        (final_ev, "Evaluasi ini sudah final dan terkunci"),
    ):
        response = client.get(f"/atasan/penilaian/{ev.id}/finalisasi")
        assert response.status_code == 409
        tree = check_page(response.text)
        (alert,) = find_all(tree, "p", role="alert")
        assert why in _text(alert)
        assert not find_all(tree, "form", action=f"/atasan/penilaian/{ev.id}/finalisasi")
        assert find_all(tree, "a", href=f"/atasan/penilaian/{ev.id}")
    assert Evaluation.get_by_id(open_ev.id).status == EvaluationStatus.TERBUKA


def test_only_the_pejabat_penilai_sees_the_confirmation(client, login_as, world):
    ev = _rated(world)
    for key in ("pegawai", "atasan", "peer", "admin", "auditor"):
        login_as(world.accounts[key])
        status = client.get(f"/atasan/penilaian/{ev.id}/finalisasi").status_code
        assert status in (403, 404), (key, status)
    login_as(world.accounts["supervisor"])
    assert client.get("/atasan/penilaian/999999/finalisasi").status_code == 404


def test_confirmation_form_carries_the_csrf_token(csrf_app, world):
    ev = _rated(world)
    client = csrf_app.test_client()
    account = world.accounts["supervisor"]
    with client.session_transaction() as session:
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
        session["_fresh"] = True
    url = f"/atasan/penilaian/{ev.id}/finalisasi"
    assert client.post(url).status_code == 400  # no token: refused, nothing locked
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.DINILAI
    page = client.get(url).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post(url, data={"csrf_token": token}).status_code == 303
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.FINAL
