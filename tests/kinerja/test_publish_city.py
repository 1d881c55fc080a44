"""The city IKM of the public home (issue 22): computed at publication with the unit
figures' IKM rule over kiosk and phone answers, stored in the snapshot, and kept from
revealing the answers of units that are not shown."""

from datetime import date

import pytest

from kinerja.enums import Unsur
from kinerja.models.public import CityScope, FigureStatus, PublicSnapshot, PublicUnitFigure
from kinerja.queries import public_common, public_csv, public_home
from kinerja.scoring import ikm
from kinerja.services.publish import RebuildRefused, publish
from tests.builders import make_unit
from tests.builders_public import add_answers, make_period

HIGH = (4, 4, 4, 4, 3, 3, 4, 4, 4)
LOW = (2, 2, 1, 2, 2, 2, 2, 1, 2)


def _respondents(values, count):
    return [dict(zip(Unsur, values, strict=True))] * count


def _snapshot() -> PublicSnapshot:
    return PublicSnapshot.get()


def _small_units(*counts, day=date(2026, 2, 3)):
    """Top units (OPD) too small to be shown, with ``counts`` low answers each."""
    units = []
    for i, count in enumerate(counts):
        unit = make_unit(f"Kecamatan Uji {i + 1}", kind="KECAMATAN", serves_public=True)
        add_answers(unit, day, count, values=LOW)
        units.append(unit)
    return units


def test_city_ikm_is_the_scoring_ikm_of_every_answer_from_both_channels(world):
    period = make_period(2026, 1)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 20, values=HIGH)
    add_answers(world.units["seksi"], date(2026, 2, 4), 7, values=LOW, phone=True)
    _small_units(6, 5)  # 11 answers of units not shown: a remainder of ten or more

    publish(period)

    snapshot = _snapshot()
    expected = ikm(_respondents(HIGH, 20) + _respondents(LOW, 7) + _respondents(LOW, 11))
    assert snapshot.city_ikm_status == FigureStatus.OK
    assert snapshot.city_scope == CityScope.ALL
    assert snapshot.city_ikm_n == 38
    assert snapshot.city_ikm_konversi == expected.konversi
    assert snapshot.city_mutu == expected.mutu.value
    assert (snapshot.city_kiosk_n, snapshot.city_phone_n) == (31, 7)
    assert snapshot.city_units == 1  # only the Dinas is shown
    row = PublicUnitFigure.get(PublicUnitFigure.code == "DUKCAPIL")
    assert (row.ikm_n, row.kiosk_n, row.phone_n) == (27, 20, 7)


def test_a_small_remainder_keeps_the_city_to_the_shown_units(world):
    """Three answers of a kecamatan that is not shown: a city over everything minus the
    Dinas (shown) would give those three back, so the city covers the shown units only."""
    period = make_period(2026, 1)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 20, values=HIGH)
    (small,) = _small_units(3)

    publish(period)

    snapshot = _snapshot()
    row = PublicUnitFigure.get(PublicUnitFigure.code == "DUKCAPIL")
    assert snapshot.city_scope == CityScope.SHOWN
    assert (snapshot.city_ikm_n, snapshot.city_ikm_konversi) == (20, row.ikm_konversi)
    assert snapshot.city_mutu == row.mutu
    assert PublicUnitFigure.get(PublicUnitFigure.code == small.code).ikm_n is None
    city = public_home.home()["utama"]["ikm_kota"]
    assert city["cakupan"] == "unit_ditampilkan" and city["unit_ditampilkan"] == 1
    assert "dihitung dari 1 unit yang ditampilkan" in public_home.home()["arti"]["ikm_kota"]


def test_a_remainder_short_in_one_unsur_also_keeps_the_city_to_the_shown_units(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 20, values=HIGH)
    (small,) = _small_units(0)
    add_answers(small, date(2026, 2, 3), 12, values=(3, 3, 3, 3, 3, 3, 3, 3, None))
    add_answers(small, date(2026, 2, 3), 4, values=(3,) * 9)  # U9: 4 answers, n 16

    publish(period)

    assert _snapshot().city_scope == CityScope.SHOWN
    assert _snapshot().city_ikm_n == 20


def test_too_few_answers_in_the_city_are_withheld_not_missing(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 4)
    publish(period)
    snapshot = _snapshot()
    assert snapshot.city_ikm_status == FigureStatus.WITHHELD
    assert snapshot.city_ikm_n is None and snapshot.city_ikm_konversi is None
    assert snapshot.city_kiosk_n is None and snapshot.city_phone_n is None
    city = public_home.home()["utama"]["ikm_kota"]
    assert city["nilai"] is None and city["kanal"] is None and city["keterangan"]


def test_one_more_answer_in_a_unit_not_shown_cannot_be_isolated_by_republishing(world):
    """The city includes 11 answers of two kecamatan that are not shown. One more answer
    there changes no unit figure, but the city figure by one answer: refused."""
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 20, values=HIGH)
    small, _ = _small_units(6, 5)
    publish(period)
    before = (_snapshot().city_ikm_n, _snapshot().city_ikm_konversi)

    add_answers(small, date(2026, 2, 5), 1, values=(1,) * 9)  # the victim
    with pytest.raises(RebuildRefused, match="IKM kota"):
        publish(period)
    assert (_snapshot().city_ikm_n, _snapshot().city_ikm_konversi) == before

    (third,) = _small_units(0)
    add_answers(third, date(2026, 2, 6), 9, values=(4,) * 9)  # still no unit shown
    assert publish(period).replaced  # ten new answers: the difference pins nobody
    assert _snapshot().city_ikm_n == before[0] + 10


def test_a_new_answer_left_out_of_the_city_changes_nothing_and_republishes(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 20, values=HIGH)
    (small,) = _small_units(3)
    publish(period)
    before = _snapshot().city_ikm_konversi
    add_answers(small, date(2026, 2, 5), 1, values=(1,) * 9)
    assert publish(period).replaced  # still 4 < 10 outside: the city stays the Dinas'
    assert _snapshot().city_ikm_konversi == before


def test_home_shows_the_city_ikm_with_mutu_change_channels_and_meaning(world):
    q1 = make_period(2026, 1, status="DITUTUP")
    q2 = make_period(2026, 2)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 20, values=(3,) * 9)
    add_answers(opd, date(2026, 5, 6), 20, values=HIGH)
    add_answers(opd, date(2026, 5, 7), 12, values=HIGH, phone=True)
    publish(q1)
    publish(q2)

    data = public_home.home()
    city = data["utama"]["ikm_kota"]
    expected = ikm(_respondents(HIGH, 32))
    assert city["status"] == "OK" and city["nilai"] == expected.konversi
    assert city["mutu"]["kode"] == expected.mutu.value
    assert city["arti_mutu"] == public_common.mutu_meaning(expected.mutu.value)
    assert city["n"] == 32 and city["kanal"] == {"kios": 20, "ponsel": 12}
    assert data["utama"]["responden"]["kanal"] == {"kios": 20, "ponsel": 12}
    change = data["perubahan"]["ikm_kota"]
    assert change["arah"] == "naik" and change["selisih"] == expected.konversi - 75
    meaning = data["arti"]["ikm_kota"]
    assert "kios" in meaning and "ponsel" in meaning and str(expected.mutu.label) in meaning
    rows = {(r["rincian"], r["ukuran"]): r for r in public_csv.csv_rows(data)}
    assert rows[("ikm_kota", "ikm_konversi")]["nilai"] == expected.konversi
    assert rows[("ikm_kota", "responden_ponsel")]["nilai"] == 12
