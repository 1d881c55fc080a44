"""The citizens' home (issue 22): the city headline from published figures only."""

from datetime import date
from decimal import Decimal

import pytest

from kinerja.queries import public_home, public_unit
from kinerja.services.publish import publish
from tests.builders_public import add_answers, add_requests, make_period, make_service_type, noon


@pytest.fixture
def two_quarters(world):
    """Q1: 20 answers (IKM 75, mutu C), 30 requests on time. Q2: 25 answers (83,33, B),
    30 on time and 10 late."""
    q1 = make_period(2026, 1, status="DITUTUP")
    q2 = make_period(2026, 2)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 20, values=(3,) * 9)
    add_answers(opd, date(2026, 5, 6), 25)
    service = make_service_type(opd)
    add_requests(service, noon(date(2026, 2, 3)), 30)
    add_requests(service, noon(date(2026, 5, 5)), 30)
    add_requests(service, noon(date(2026, 5, 5)), 10, hours=24 * 9)
    publish(q1)
    publish(q2)
    return q1, q2


def test_headline_counts_top_units_by_mutu_on_time_share_and_respondents(two_quarters):
    data = public_home.home()
    assert data["halaman"] == "beranda"
    assert data["asal"]["periode"] == two_quarters[1].name
    head = data["utama"]
    assert head["ikm"]["unit_dinilai"] == 1 and head["ikm"]["unit_baik"] == 1
    assert {m["kode"]: m["jumlah"] for m in head["ikm"]["per_mutu"]} == {
        "A": 0,
        "B": 1,
        "C": 0,
        "D": 0,
    }
    assert head["tepat_waktu"]["persen"] == Decimal("75.0")
    assert head["tepat_waktu"]["permohonan"] == 40
    assert head["responden"] == {
        "jumlah": 25,
        "unit_dihitung": 1,
        "kanal": {"kios": 25, "ponsel": 0},
    }
    city = head["ikm_kota"]
    assert (city["nilai"], city["mutu"]["kode"], city["n"]) == (Decimal("83.33"), "B", 25)
    for key in ("ikm_kota", "ikm", "tepat_waktu", "responden"):
        assert data["arti"][key]  # an "Apa artinya?" sentence for every figure
    assert "sekitar 8 selesai" in data["arti"]["tepat_waktu"]


def test_change_since_the_previous_published_period(two_quarters):
    data = public_home.home()
    assert data["pembanding"]["nama"] == two_quarters[0].name
    change = data["perubahan"]
    assert change["ikm_kota"]["arah"] == "naik"
    assert change["ikm_kota"]["selisih"] == Decimal("8.33")
    assert change["ikm"]["arah"] == "naik" and change["ikm"]["selisih"] == 100
    assert change["tepat_waktu"]["arah"] == "turun" and change["tepat_waktu"]["selisih"] == 25
    assert change["responden"] == {
        "arah": "naik",
        "selisih": 5,
        "sebelumnya": 20,
        "satuan": "responden",
    }
    unit = next(u for u in data["unit"] if u["kode"] == "DUKCAPIL")
    assert unit["mutu"]["kode"] == "B"
    assert unit["perubahan_ikm"]["arah"] == "naik"
    assert unit["perubahan_ikm"]["selisih"] == Decimal("8.33")


def test_no_change_without_a_published_previous_figure(world):
    q1 = make_period(2026, 1, status="DITUTUP")
    q2 = make_period(2026, 2)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 3)  # too few: withheld in Q1
    add_answers(opd, date(2026, 5, 6), 25)
    publish(q1)
    publish(q2)
    data = public_home.home()
    assert data["pembanding"]["nama"] == q1.name
    assert data["perubahan"]["ikm"] is None
    assert data["perubahan"]["responden"] is None
    assert data["perubahan"]["tepat_waktu"] is None  # no requests in either period
    assert data["utama"]["tepat_waktu"]["persen"] is None
    unit = next(u for u in data["unit"] if u["kode"] == "DUKCAPIL")
    assert unit["perubahan_ikm"] is None


def test_a_withheld_unit_counts_nowhere_in_the_headline(world):
    q2 = make_period(2026, 2)
    add_answers(world.units["opd"], date(2026, 5, 6), 3)
    publish(q2)
    data = public_home.home()
    assert data["pembanding"] is None
    assert data["utama"]["ikm"]["unit_dinilai"] == 0
    assert data["utama"]["responden"]["jumlah"] == 0
    unit = next(u for u in data["unit"] if u["kode"] == "DUKCAPIL")
    assert unit["ikm"] is None and unit["mutu"] is None


def test_home_before_any_publication(world):
    data = public_home.home()
    assert data["utama"] is None and data["unit"] == [] and data["perubahan"] is None


def test_unit_page_leads_with_one_sentence_for_a_citizen(two_quarters):
    data = public_unit.unit_page("DUKCAPIL")
    assert data["kalimat_warga"] == (
        "Warga menilai layanan Dinas Kependudukan dan Pencatatan Sipil “Baik” (B): "
        f"83,33 dari 100, dari 25 responden pada {two_quarters[1].name}."
    )
    assert data["arti_mutu"].startswith("Baik:")
    seksi = public_unit.unit_page("DUKCAPIL.PDP.ID")  # no answers of its own
    assert seksi["kalimat_warga"].startswith(("Belum ada warga", "Jawaban warga untuk"))
    assert seksi["arti_mutu"] is None
