"""Query discipline: the main pages run a fixed, small number of SQL statements.

Each test measures a page on a small world, grows the data (more subordinates, SKPs,
evaluations, units, answers…), measures again and asserts the same count, under a bound.
A page whose count grows with the data has an N+1 query: fix the loop (one query with a
join or an ``IN``), do not raise the bound.
"""

import json
import uuid
from datetime import date, timedelta

import pytest

from kinerja import clock
from kinerja.clock import today_wib
from kinerja.models.evaluation import Evaluation
from kinerja.services import kiosk as kiosk_service
from portal.kiosk.views import COOKIE, HEADER
from tests.builders import make_account, make_employee, make_unit
from tests.builders_evaluation import make_approved_skp, make_period
from tests.builders_kiosk import make_kiosk
from tests.builders_skp import make_skp

# Bounds a little above today's counts (supervisor home 15, team 9, rating 14, pegawai
# home 12, SKP and calibration pages 5–18, public 4–5, kiosk answer 7): a new query on
# these pages must be a choice.
# Home: session, actor, the people around, every area's task provider, the bell, the pulse
# card; a supervisor's adds the team's plans, SKP queue and subordinates (today 16 and 13).
BOUND_HOME = 16
BOUND_HOME_PEGAWAI = 13
BOUND_TEAM = 10  # session, actor, the team with its SKP, realisations, queue, the year's periods
BOUND_RATING = 15
BOUND_PUBLIC = 6  # a public page reads the precomputed snapshot
BOUND_PAGE = 20  # the SKP pages, the rating list and the calibration page
BOUND_KIOSK = 7  # one kiosk answer (the officer on duty is a subquery of its INSERT)
BOUND_SAVE = 13  # one realisation save: the checks, then a transaction with its audit event


def measure(client, count_queries, url, **kwargs):
    """(status, statement count, statements) of one request, after one warm-up request."""
    method = kwargs.pop("method", "GET")
    client.open(url, method=method, **kwargs)
    with count_queries() as q:
        response = client.open(url, method=method, **kwargs)
    return response.status_code, q.count, str(q)


def assert_flat(small, large, bound):
    status_small, n_small, sql_small = small
    status_large, n_large, sql_large = large
    assert status_small == status_large == 200 or status_small == status_large == 201
    assert n_large == n_small, (
        f"{n_small} statements on the small world, {n_large} on the larger one:\n"
        f"--- small\n{sql_small}\n--- large\n{sql_large}"
    )
    assert n_small <= bound, f"{n_small} statements (bound {bound}):\n{sql_small}"


# --- the supervisor's world ---------------------------------------------------------------------


def _period():
    today = today_wib()
    quarter = (today.month - 1) // 3 + 1
    return make_period(today.year, quarter, start=date(today.year, 3 * quarter - 2, 1))


def grow_team(world, period, n):
    """``n`` more subordinates of the world's supervisor, each with a submitted SKP for this
    year and an open evaluation (tasks for the supervisor), plus unrelated colleagues."""
    boss = world.people["supervisor"]
    made = []
    for i in range(n):
        person = make_employee(f"Anggota Tim {i}", unit=world.units["seksi"], supervisor=boss)
        make_account(person)
        skp = make_skp(person, year=period.year, status="DIAJUKAN")
        Evaluation.create(employee=person, period=period, skp=skp, unit=person.unit_id)
        made.append(person)
    other = make_unit("Dinas Lain", kind="OPD")
    head = make_employee("Kepala Lain", unit=other, jenis="JPT", golongan="IV/c")
    for i in range(n):
        person = make_employee(f"Orang Lain {i}", unit=other, supervisor=head)
        make_skp(person, year=period.year, status="DIAJUKAN")
    return made


@pytest.fixture
def team_world(world):
    period = _period()
    skp = make_approved_skp(world.people["pegawai"], period.year)
    world.objects["evaluation"] = Evaluation.create(
        employee=world.people["pegawai"], period=period, skp=skp, unit=world.units["seksi"]
    )
    world.objects["period"] = period
    grow_team(world, period, 1)
    return world


@pytest.mark.parametrize(("url", "bound"), [("/beranda", BOUND_HOME), ("/atasan/tim", BOUND_TEAM)])
def test_supervisor_pages_are_flat(app, client, login_as, count_queries, team_world, url, bound):
    login_as(team_world.accounts["supervisor"])
    small = measure(client, count_queries, url)
    grow_team(team_world, team_world.objects["period"], 12)
    large = measure(client, count_queries, url)
    assert_flat(small, large, bound)


def test_rating_page_is_flat(app, client, login_as, count_queries, team_world):
    login_as(team_world.accounts["supervisor"])
    url = f"/atasan/penilaian/{team_world.objects['evaluation'].id}"
    small = measure(client, count_queries, url)
    grow_team(team_world, team_world.objects["period"], 12)
    large = measure(client, count_queries, url)
    assert_flat(small, large, BOUND_RATING)


def test_pegawai_home_is_flat(app, client, login_as, count_queries, team_world):
    login_as(team_world.accounts["pegawai"])
    small = measure(client, count_queries, "/beranda")
    grow_team(team_world, team_world.objects["period"], 12)
    large = measure(client, count_queries, "/beranda")
    assert_flat(small, large, BOUND_HOME_PEGAWAI)


def test_realisation_save_is_flat(app, client, login_as, count_queries, team_world):
    """The bench's POST: the first save inserts, the next ones update, in as many statements."""
    from kinerja.models.skp import Indicator, Rhk

    skp_id = team_world.objects["evaluation"].skp_id
    period = team_world.objects["period"]
    indicator = Indicator.select().join(Rhk).where(Rhk.skp == skp_id).first()
    login_as(team_world.accounts["pegawai"])
    url = f"/skp/{skp_id}/realisasi/{period.id}/{indicator.id}"
    counts = []
    for value in ("101", "102", "103"):
        form = {f"x{indicator.id}-value": value, f"x{indicator.id}-evidence_note": "Uji"}
        with count_queries() as q:
            response = client.post(url, data=form)
        assert response.status_code == 303, response.text[:500]
        counts.append((q.count, str(q)))
    assert counts[1][0] == counts[2][0], f"{counts[1][1]}\n---\n{counts[2][1]}"
    assert max(n for n, _ in counts) <= BOUND_SAVE, counts[0][1]


# --- public pages -----------------------------------------------------------------------------


def _publish_world(world, extra_units):
    from kinerja.services.publish import publish
    from tests.builders_public import add_answers
    from tests.builders_public import make_period as public_period

    period = public_period(2026, 1, status="DITUTUP")
    add_answers(world.units["opd"], date(2026, 2, 3), 12)
    add_answers(world.units["seksi"], date(2026, 2, 4), 15)
    for i in range(extra_units):
        unit = make_unit(
            f"Puskesmas Uji {i}", code=f"PKM{i}", kind="UPT", parent=world.units["opd"]
        )
        unit.serves_public = True
        unit.save()
        add_answers(unit, date(2026, 2, 5) + timedelta(days=i % 20), 11 + i)
    publish(period)
    return period


@pytest.mark.parametrize(
    "url", ["/publik", "/publik.json", "/publik/unit/DUKCAPIL", "/publik/unit/DUKCAPIL.json"]
)
def test_public_pages_are_flat(app, count_queries, world, url):
    _publish_world(world, 0)
    client = app.test_client()
    small = measure(client, count_queries, url)
    # A bigger city: many more units with answers, published again.
    _publish_world_more(world)
    large = measure(client, count_queries, url)
    assert_flat(small, large, BOUND_PUBLIC)


def _publish_world_more(world):
    from kinerja.models.period import Period
    from kinerja.services.publish import publish
    from tests.builders_public import add_answers

    for i in range(15):
        unit = make_unit(
            f"Kelurahan Uji {i}", code=f"KEL{i}", kind="UPT", parent=world.units["opd"]
        )
        unit.serves_public = True
        unit.save()
        add_answers(unit, date(2026, 2, 5) + timedelta(days=i % 20), 11 + i)
    publish(Period.get(Period.year == 2026, Period.number == 1))


# --- kiosk ------------------------------------------------------------------------------------


def test_kiosk_answer_is_flat(app, client, count_queries, world):
    kiosk, token = make_kiosk(world)
    client.set_cookie(COOKIE, token, path="/kios")
    headers = {HEADER: kiosk_service.api_key_for(token)}

    def post():
        # A distinct respondent each time, past the minimum interval (answered_at apart).
        post.at += 60_000
        body = {"id": str(uuid.uuid4()), "face": 4, "answered_at": post.at}
        return client.post(
            "/kios/api/jawaban",
            data=json.dumps(body),
            content_type="application/json",
            headers=headers,
        )

    post.at = clock.epoch_ms() - 10 * 86_400_000

    def one():
        with count_queries() as q:
            response = post()
        return response.status_code, q.count, str(q)

    post()
    small = one()
    from tests.builders_public import add_answers

    add_answers(world.units["seksi"], today_wib() - timedelta(days=3), 300, kiosk=kiosk)
    for _ in range(3):
        make_kiosk(world)
    large = one()
    assert_flat(small, large, BOUND_KIOSK)


# --- more personal pages (no cache: each request runs these statements) ----------------------


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("pegawai", "/skp"),
        ("pegawai", "/skp/{skp}"),
        ("supervisor", "/atasan/skp"),
        ("supervisor", "/atasan/skp/{skp}"),
        ("supervisor", "/atasan/penilaian"),
        ("supervisor", "/atasan/kalibrasi"),
    ],
)
def test_skp_and_calibration_pages_are_flat(
    app, client, login_as, count_queries, team_world, who, url
):
    url = url.format(skp=team_world.objects["evaluation"].skp_id)
    login_as(team_world.accounts[who])
    small = measure(client, count_queries, url)
    grow_team(team_world, team_world.objects["period"], 12)
    large = measure(client, count_queries, url)
    assert_flat(small, large, BOUND_PAGE)
