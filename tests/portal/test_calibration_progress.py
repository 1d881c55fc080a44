"""Calibration judges nothing until the unit is complete (issue 18, item 5): it says how many
of the unit's employees are rated, names no breach while someone is still unrated, and shows
the distribution against the pattern as a chart (SVG with a text alternative) beside the table."""

from kinerja.enums import EvaluationStatus, Predikat
from kinerja.models.evaluation import Evaluation
from kinerja.services import calibration as calib
from tests.builders_evaluation import make_evaluation, make_peers, make_period
from tests.html import check_page, find_all

SVG = "{http://www.w3.org/2000/svg}svg"


def _unit_of_four(world):
    """The seksi with four evaluations (its head, the Kasi, is not counted) and Baik set."""
    period = make_period(number=3)
    people = [world.people["pegawai"], world.people["peer"], *make_peers(world, 2)]
    evaluations = [make_evaluation(person, period) for person in people]
    calib.set_org_predikat(None, world.units["seksi"], period, "BAIK")
    return period, evaluations


def _rate(ev, predikat):
    Evaluation.update(predikat=predikat, status=EvaluationStatus.DINILAI).where(
        Evaluation.id == ev.id
    ).execute()


def _page(client, login_as, world, period):
    login_as(world.accounts["supervisor"])
    url = f"/atasan/kalibrasi?unit_id={world.units['seksi'].id}&period_id={period.id}"
    response = client.get(url)
    assert response.status_code == 200
    tree = check_page(response.text)
    return tree, " ".join(" ".join(tree.itertext()).split())


def test_nobody_rated_is_not_sesuai_pola(client, login_as, world):
    period, _ = _unit_of_four(world)
    view = calib.calibration(world.units["seksi"], period)
    assert not view.complete and view.breaches == []
    tree, text = _page(client, login_as, world, period)
    assert "0 dari 4 pegawai sudah dinilai" in text
    assert "sesuai pola" not in text
    assert not find_all(tree, "li", class_="breach")


def test_one_of_four_rated_names_nobody_over_the_limit(client, login_as, world):
    period, evaluations = _unit_of_four(world)
    _rate(evaluations[0], Predikat.BAIK)  # alone: 100 % Baik, over the 70 % of the pattern
    view = calib.calibration(world.units["seksi"], period)
    assert not view.complete and view.breaches == []
    tree, text = _page(client, login_as, world, period)
    assert "1 dari 4 pegawai sudah dinilai" in text
    assert "melebihi batas" not in text and "sesuai pola" not in text
    assert not find_all(tree, "li", class_="breach")
    assert "sementara" in text


def test_complete_unit_is_judged_with_a_chart_and_its_text(client, login_as, world):
    period, evaluations = _unit_of_four(world)
    for ev in evaluations:
        _rate(ev, Predikat.BAIK)
    view = calib.calibration(world.units["seksi"], period)
    assert view.complete and view.breaches
    tree, text = _page(client, login_as, world, period)
    assert "4 dari 4 pegawai sudah dinilai" in text
    assert find_all(tree, "li", class_="breach")
    (chart,) = find_all(tree, SVG, class_="calibration-chart")
    assert chart.get("role") == "img"
    alternative = " ".join(" ".join(chart.itertext()).split())
    assert "Baik: 4 pegawai (100 %)" in alternative
    assert "paling banyak 70 %" in alternative
    # the same figures as a table beside the chart
    assert find_all(tree, "table", class_="calibration-table")


def test_complete_unit_within_the_pattern_says_so(client, login_as, world):
    period, evaluations = _unit_of_four(world)
    for ev, predikat in zip(
        evaluations,
        (Predikat.BAIK, Predikat.BAIK, Predikat.SANGAT_BAIK, Predikat.BUTUH_PERBAIKAN),
        strict=True,
    ):
        _rate(ev, predikat)
    assert calib.calibration(world.units["seksi"], period).breaches == []
    _, text = _page(client, login_as, world, period)
    assert "Sebaran predikat sesuai pola" in text
