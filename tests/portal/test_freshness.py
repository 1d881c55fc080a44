"""Personal pages are never cached: a change made a moment before shows on the next request.

Each test loads the page first (as the person would have it open), makes the change the way
the portal makes it, then asserts the very next request of every page that shows it has it.
"""

import re

import pytest

from kinerja.clock import today_wib
from kinerja.enums import Berakhlak, RaterGroup, Rating
from kinerja.models.account import Account
from kinerja.models.evaluation import Evaluation, FeedbackRequest
from kinerja.models.skp import Skp
from kinerja.permissions import Actor
from kinerja.services import evaluation_feedback
from kinerja.services import skp as skp_service
from tests.builders import make_account, make_employee
from tests.builders_evaluation import actor_of, make_approved_skp, make_peers, make_period
from tests.builders_public import add_answers
from tests.builders_skp import make_skp


@pytest.fixture
def rated(world):
    """The pegawai's open evaluation in the current quarter (rated by the supervisor)."""
    today = today_wib()
    quarter = (today.month - 1) // 3 + 1
    period = make_period(today.year, quarter)
    skp = make_approved_skp(world.people["pegawai"], period.year)
    ev = Evaluation.create(
        employee=world.people["pegawai"], period=period, skp=skp, unit=world.units["seksi"]
    )
    world.objects["evaluation"] = ev
    return world


def _text(client, url):
    """The page's visible text, one space between words."""
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_kiosk_answers_for_the_employee_show_on_the_rating_page_at_once(client, login_as, rated):
    # The reproduced stale page, in a period that has ended (issue 19: a period in progress
    # shows nothing, and an ended one only months with at least 10 respondents).
    pegawai = rated.people["pegawai"]
    period = make_period(2026, 3)  # July–September 2026, ended on 26 November 2026
    ev = Evaluation.create(
        employee=pegawai,
        period=period,
        skp=rated.objects["evaluation"].skp,
        unit=rated.units["seksi"],
    )
    login_as(rated.accounts["supervisor"])
    url = f"/atasan/penilaian/{ev.id}"
    before = _text(client, url)
    assert "Komentar rahasia warga" not in before
    add_answers(rated.units["seksi"], period.start, 10)  # inside the period on any date
    from kinerja.models.kiosk import KioskResponse

    KioskResponse.update(employee=pegawai.id).execute()
    after = _text(client, url)
    assert "10 responden" in after and "Komentar rahasia warga" in after


def test_a_new_task_shows_on_the_supervisors_home_and_team_at_once(client, login_as, rated):
    login_as(rated.accounts["supervisor"])
    home, team = _text(client, "/beranda"), _text(client, "/atasan/tim")
    assert "SKP menunggu persetujuan Anda" not in home and "Anggota Baru" not in team
    person = make_employee(
        "Anggota Baru", unit=rated.units["seksi"], supervisor=rated.people["supervisor"]
    )
    make_account(person)
    make_skp(person, year=today_wib().year, status="DIAJUKAN")
    page = _text(client, "/beranda")
    assert "SKP menunggu persetujuan Anda" in page and "Anggota Baru" in page
    assert "Anggota Baru" in _text(client, "/atasan/tim")


def test_closing_the_360_round_shows_on_the_rating_page_at_once(client, login_as, rated):
    # Nothing shows while the round is open (issue 19); the summary shows on the very next
    # request after the round is closed.
    ev = rated.objects["evaluation"]
    ratings = {value.value: Rating.SESUAI_EKSPEKTASI.value for value in Berakhlak}

    def answer(peer):
        request = FeedbackRequest.create(
            evaluation=ev, rater=peer, group=RaterGroup.PEER, requested_on=today_wib()
        )
        actor = Actor(Account.get(Account.employee == peer.id))
        evaluation_feedback.answer(actor, request, ratings, {})

    for peer in make_peers(rated, 3):
        answer(peer)
    login_as(rated.accounts["supervisor"])
    url = f"/atasan/penilaian/{ev.id}"
    assert "Rekan kerja setingkat Ditampilkan setelah putaran umpan balik 360 ditutup" in _text(
        client, url
    )
    evaluation_feedback.close_round(actor_of(rated, "supervisor"), ev)
    assert "Rekan kerja setingkat 3 jawaban" in _text(client, url)


def test_a_decision_shows_on_the_employees_pages_at_once(app, client, login_as, world):
    skp = make_skp(world.people["pegawai"], year=today_wib().year, status="DIAJUKAN")
    login_as(world.accounts["pegawai"])
    assert "Diajukan" in _text(client, "/skp")
    supervisor = app.test_client()
    with supervisor.session_transaction() as session:
        account = world.accounts["supervisor"]
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
    assert "SKP menunggu persetujuan Anda" in _text(supervisor, "/beranda")
    skp_service.approve(actor_of(world, "supervisor"), skp)
    assert Skp.get_by_id(skp.id).status == "DISETUJUI"
    page = _text(client, "/skp")
    assert "Disetujui" in page and "Diajukan" not in page
    assert "SKP menunggu persetujuan Anda" not in _text(supervisor, "/beranda")
