"""Issue 19, item 2: two public snapshots cannot be differenced down to one person.

The attack: publish, let one citizen answer, publish again, and subtract (n × NRR) of the
two snapshots per unsur: the difference is that citizen's answer. A rebuild that would
change a published figure by fewer than public_min_n answers is now refused; with enough
new answers the difference spans at least public_min_n answers and pins nobody.
"""

from datetime import date
from decimal import Decimal

import pytest

from kinerja.anonymise import isolates, safe_rate
from kinerja.models.kiosk import KioskResponse
from kinerja.models.public import (
    PublicProcessFigure,
    PublicServiceTypeFigure,
    PublicSnapshot,
    PublicTrendPoint,
    PublicUnitFigure,
)
from kinerja.services.publish import REFUSED_EXIT, RebuildRefused, publish
from tests.builders_public import (
    add_answers,
    add_evaluations,
    add_requests,
    make_period,
    make_service_type,
    noon,
)

NRR = [f"nrr_u{i}" for i in range(1, 10)]
VISIBLE = ["ikm_n", "ikm_konversi", "ikm_interval", "mutu", *NRR, "quick_n", "quick_index"]


def _unit(code="DUKCAPIL") -> dict:
    row = PublicUnitFigure.get(PublicUnitFigure.code == code)
    return {f: getattr(row, f) for f in VISIBLE}


def _recover(before: dict, after: dict) -> list[Decimal]:
    """The attacker's estimate of the new answers' per-unsur sum: n'·NRR' − n·NRR."""
    return [after[f] * after["ikm_n"] - before[f] * before["ikm_n"] for f in NRR]


def _everything_public() -> list:
    out = []
    for model in (PublicUnitFigure, PublicTrendPoint, PublicServiceTypeFigure, PublicProcessFigure):
        rows = model.select().order_by(model.id).dicts()
        out.append([{k: v for k, v in r.items() if k not in ("id", "snapshot")} for r in rows])
    return out


def test_nrr_is_published_to_two_decimals_and_the_interval_adds_no_precision(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 7, values=(4, 3, 3, 4, 3, 3, 4, 3, 3))
    add_answers(world.units["opd"], date(2026, 2, 3), 7, values=(1, 2, 2, 1, 2, 2, 1, 2, 2))
    publish(period)
    row = _unit()
    for f in NRR:
        assert row[f].as_tuple().exponent >= -2
    assert row["ikm_konversi"].as_tuple().exponent >= -2
    assert row["ikm_interval"] == row["ikm_konversi"] / 25  # nothing finer than the konversi


def test_one_new_answer_between_two_rebuilds_is_refused_and_recovers_nothing(world):
    period = make_period(2026, 1)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 14, values=(3,) * 9, face=3)
    publish(period)
    before, public_before = _unit(), _everything_public()
    built_before = PublicSnapshot.get().built_at

    # the victim's answer, the attacker re-publishes right after it
    add_answers(opd, date(2026, 2, 4), 1, values=(1, 4, 1, 4, 2, 1, 4, 1, 2), face=1)
    with pytest.raises(RebuildRefused, match="kurang dari 10 data baru") as refused:
        publish(period)
    assert "ditolak" in str(refused.value) and "IKM dan NRR" in str(refused.value)

    # nothing new is public: the difference of the two readable snapshots is zero
    assert PublicSnapshot.get().built_at == built_before
    assert _everything_public() == public_before
    assert _recover(before, _unit()) == [Decimal(0)] * 9


def test_a_rebuild_with_ten_new_answers_spans_ten_and_pins_nobody(world):
    period = make_period(2026, 1)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 14, values=(3,) * 9, face=3)
    publish(period)
    before = _unit()

    add_answers(opd, date(2026, 2, 4), 1, values=(1,) * 9, face=1)  # the victim
    with pytest.raises(RebuildRefused):
        publish(period)
    add_answers(opd, date(2026, 2, 5), 8, values=(4,) * 9, face=4)
    with pytest.raises(RebuildRefused):  # 9 new answers: still one short
        publish(period)
    add_answers(opd, date(2026, 2, 6), 1, values=(4,) * 9, face=4)
    assert publish(period).replaced
    after = _unit()
    assert after["ikm_n"] - before["ikm_n"] >= 10
    recovered = _recover(before, after)  # the sum of ten answers, not one answer

    # Another world where the victim answered 4 everywhere (and a stranger 1) publishes
    # exactly the same figures: the snapshots cannot tell what the victim said.
    KioskResponse.delete().where(KioskResponse.day > date(2026, 2, 3)).execute()
    add_answers(opd, date(2026, 2, 4), 1, values=(4,) * 9, face=4)  # the victim
    add_answers(opd, date(2026, 2, 5), 8, values=(4,) * 9, face=4)
    add_answers(opd, date(2026, 2, 6), 1, values=(1,) * 9, face=1)
    publish(period)  # no figure changes, so nothing to refuse
    assert _unit() == after
    assert _recover(before, _unit()) == recovered


def test_refusal_covers_trend_months_shown_by_another_period(world):
    quarter = make_period(2026, 1)
    month = make_period(2026, 2, kind="BULANAN", start=date(2026, 2, 1), end=date(2026, 2, 28))
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 14, values=(3,) * 9)
    publish(quarter)
    add_answers(opd, date(2026, 2, 4), 1, values=(1,) * 9)
    with pytest.raises(RebuildRefused, match="tren 02/2026"):
        publish(month)  # February, shown in the quarter's trend, would move by one answer


def test_cli_refusal_exits_three_with_the_indonesian_reason(runner, world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 14)
    assert runner.invoke(args=["publish", "--period", str(period.id)]).exit_code == 0
    add_answers(world.units["opd"], date(2026, 2, 4), 1, values=(1,) * 9)
    result = runner.invoke(args=["publish", "--period", str(period.id)])
    assert result.exit_code == REFUSED_EXIT == 3
    assert "Penerbitan ulang data publik" in result.output and "ditolak" in result.output


def test_admin_console_shows_the_refusal(client, login_as, world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 14)
    login_as(world.accounts["admin"])
    assert client.post("/admin/publikasi", data={"period": period.id}).status_code == 303
    add_answers(world.units["opd"], date(2026, 2, 4), 1, values=(1,) * 9)
    page = client.post("/admin/publikasi", data={"period": period.id})
    assert page.status_code == 422
    assert "Penerbitan ulang data publik" in page.get_data(as_text=True)


def test_isolates_rule():
    old = {"c": [14, 14], "v": ["14", "3.00"]}
    assert not isolates(old, {"c": [15, 15], "v": ["14", "3.00"]}, 10)  # nothing visible moved
    assert isolates(old, {"c": [15, 15], "v": ["15", "2.87"]}, 10)
    assert isolates(old, {"c": [14, 14], "v": ["14", "2.90"]}, 10)  # moved without new answers
    assert isolates(old, {"c": [24, 15], "v": ["24", "2.90"]}, 10)  # one unsur moved by one
    assert not isolates(old, {"c": [24, 24], "v": ["24", "2.90"]}, 10)
    assert not isolates(old, {"c": [24, 14], "v": ["24", "2.90"]}, 10)


# --- small counts through percentages --------------------------------------------------------


def test_safe_rate_hides_a_percentage_that_gives_back_a_small_count():
    assert safe_rate(13, 14, 4) is None  # 92,86 % of 14: exactly one
    assert safe_rate(1, 14, 4) is None
    assert safe_rate(10, 14, 4) is None  # four cases left
    assert safe_rate(9, 14, 4) == Decimal("64.29")
    assert safe_rate(14, 14, 4) == Decimal("100.00") and safe_rate(0, 14, 4) == 0
    assert safe_rate(0, 0, 4) is None


def test_small_counts_do_not_leak_through_published_percentages(world, client):
    period = make_period(2026, 1)
    opd = world.units["opd"]
    add_evaluations(world.units["seksi"], period, {"BAIK": 13}, status="FINAL")
    add_evaluations(world.units["seksi"], period, {"BAIK": 1}, status="DINILAI")
    service = make_service_type(opd)
    add_requests(service, noon(date(2026, 2, 3)), 13)  # on time
    add_requests(service, noon(date(2026, 2, 3)), 1, hours=24 * 20)  # one late
    add_answers(opd, date(2026, 2, 3), 14)
    publish(period)

    process = PublicProcessFigure.get(PublicProcessFigure.opd_code == "DUKCAPIL")
    assert process.eval_n == 14 and process.eval_final_rate is None
    unit = PublicUnitFigure.get(PublicUnitFigure.code == "DUKCAPIL")
    assert unit.svc_n == 14 and unit.on_time_rate is None
    assert unit.rework_rate == 0  # nobody in particular
    kind = PublicServiceTypeFigure.get(PublicServiceTypeFigure.unit_code == "DUKCAPIL")
    assert kind.n == 14 and kind.on_time_rate is None

    for url in (f"/publik?periode={period.id}", f"/publik/unit/DUKCAPIL?periode={period.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "92,86" not in page and "7,14" not in page
        assert "persen ditahan (≤ 4 kasus)" in page
    data = client.get(f"/publik/unit/DUKCAPIL.json?periode={period.id}").get_json()
    assert data["layanan"]["nilai"] is None
    assert data["layanan"]["keterangan"] == "persen ditahan (≤ 4 kasus)"
