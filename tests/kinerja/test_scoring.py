"""Scoring core: kuadran, capaian, calibration, IKM, sample size, angka kredit
(docs/spec/regulation.md)."""

import ast
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja import scoring
from kinerja.enums import (
    Aspek,
    Direction,
    Jenjang,
    Mutu,
    OrgPredikat,
    Predikat,
    Rating,
    RhkKind,
    Unsur,
)
from kinerja.formatting import format_number, round_half_up
from kinerja.scoring import (
    CAPAIAN_CAP,
    DEFAULT_PATTERN,
    DistributionRule,
    IndicatorInput,
    RatingBands,
    RuleKind,
    angka_kredit,
    capaian,
    check_distribution,
    classify_capaian,
    ikm,
    krejcie_morgan,
    mutu_for_konversi,
    pattern_from_data,
    pattern_from_json,
    pattern_to_data,
    pattern_to_json,
    predikat_for,
    quick_index,
    sample_sufficient,
    suggest_hasil_rating,
)

D = Decimal
ATAS, SESUAI, BAWAH = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
UP, DOWN = Direction.HIGHER_BETTER, Direction.LOWER_BETTER
UTAMA, TAMBAHAN = RhkKind.UTAMA, RhkKind.TAMBAHAN


# --- §3 kuadran ---------------------------------------------------------------------------

KUADRAN_TABLE = [
    # hasil, perilaku, predikat (rows and columns of docs/spec/regulation.md §3)
    (ATAS, BAWAH, K),
    (ATAS, SESUAI, B),
    (ATAS, ATAS, SB),
    (SESUAI, BAWAH, K),
    (SESUAI, SESUAI, B),
    (SESUAI, ATAS, B),
    (BAWAH, BAWAH, SK),
    (BAWAH, SESUAI, BP),
    (BAWAH, ATAS, BP),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), KUADRAN_TABLE)
def test_kuadran_cell(hasil, perilaku, expected):
    result = predikat_for(hasil, perilaku)
    assert result.predikat is expected
    assert result.explanation == (
        f"Hasil kerja {hasil.label} dan perilaku kerja {perilaku.label} → {expected.label}"
    )


def test_kuadran_explanation_reads_like_the_spec():
    assert predikat_for(ATAS, SESUAI).explanation == (
        "Hasil kerja Di Atas Ekspektasi dan perilaku kerja Sesuai Ekspektasi → Baik"
    )


def test_kuadran_accepts_stored_codes():
    assert predikat_for("DIBAWAH_EKSPEKTASI", "DIATAS_EKSPEKTASI").predikat is BP


@given(st.sampled_from(Rating), st.sampled_from(Rating))
def test_predikat_defined_for_every_pair(hasil, perilaku):
    assert predikat_for(hasil, perilaku).predikat in Predikat


# --- §3 capaian and suggested rating ------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "realisasi", "direction", "aspek", "expected"),
    [
        (D(120), D(114), UP, Aspek.KUANTITAS, D("95.00")),
        (D(100), D(110), UP, Aspek.KUANTITAS, D("110.00")),
        (D(3), D(2), UP, Aspek.KUALITAS, D("66.67")),  # 66,666… rounds half-up
        (D(12), D(10), DOWN, Aspek.WAKTU, D("120.00")),  # 10 days against 12: lower is better
        # issue 18: the arah decides, also for Waktu. Demo "Persentase KTP-el selesai tepat
        # waktu": target 95 %, realisasi 96,86 %, higher is better → 101,96 %, not 98,08 %
        (D(95), D("96.86"), UP, Aspek.WAKTU, D("101.96")),
        (D(95), D("96.86"), UP, Aspek.BIAYA, D("101.96")),
        (D(3), D(2), DOWN, Aspek.BIAYA, D("150.00")),
        (D(3), D(2), DOWN, Aspek.KUALITAS, D("150.00")),
        (D(5), D(4), DOWN, Aspek.KUANTITAS, D("125.00")),  # fewer complaints is better
        (D(4), D(5), DOWN, Aspek.KUANTITAS, D("80.00")),
        (D(0), D(0), UP, Aspek.KUANTITAS, D("100.00")),  # zero target met
        (D(0), D(3), UP, Aspek.KUANTITAS, CAPAIAN_CAP),  # zero denominator → cap
        (D(5), D(0), DOWN, Aspek.KUANTITAS, CAPAIAN_CAP),  # no complaints at all → cap
        (D(0), D(0), DOWN, Aspek.KUANTITAS, D("100.00")),
        (D(0), D(3), DOWN, Aspek.KUANTITAS, D("0.00")),  # target 0 errors, 3 errors
        (D(1), D(1000), UP, Aspek.KUANTITAS, CAPAIAN_CAP),  # everything is capped
        (D("0.5"), D("0.25"), UP, Aspek.KUANTITAS, D("50.00")),
        (10, 9, UP, Aspek.KUANTITAS, D("90.00")),
    ],
)
def test_capaian(target, realisasi, direction, aspek, expected):
    assert capaian(target, realisasi, direction, aspek) == expected


def test_demo_waktu_percentage_is_not_scored_backwards():
    """Issue 18: a Waktu indicator in percent, higher is better, realisasi above target."""
    item = IndicatorInput(
        UTAMA, "Persentase KTP-el selesai tepat waktu", D(95), D("96.86"), UP, Aspek.WAKTU
    )
    suggestion = suggest_hasil_rating([item])
    assert suggestion.items[0].capaian == D("101.96")
    assert suggestion.items[0].rating is SESUAI and suggestion.rating is SESUAI
    assert "semakin rendah" not in suggestion.reasons[0]


_amount = st.decimals(min_value=0, max_value=10_000, places=2)


@given(_amount, _amount, _amount, st.sampled_from(Aspek))
def test_capaian_follows_the_arah_whatever_the_aspek(target, low, high, aspek):
    """Higher-better: capaian never falls as realisasi rises; lower-better: never rises."""
    low, high = min(low, high), max(low, high)
    assert capaian(target, low, UP, aspek) <= capaian(target, high, UP, aspek)
    assert capaian(target, low, DOWN, aspek) >= capaian(target, high, DOWN, aspek)
    assert capaian(target, high, UP, aspek) == capaian(target, high, UP, Aspek.KUANTITAS)
    assert capaian(target, high, DOWN, aspek) == capaian(target, high, DOWN, Aspek.KUANTITAS)


@pytest.mark.parametrize(("target", "realisasi"), [(None, D(1)), (D(1), None), (None, None)])
def test_capaian_without_data_is_none(target, realisasi):
    assert capaian(target, realisasi, UP, Aspek.KUANTITAS) is None


def test_capaian_refuses_floats_and_negatives():
    with pytest.raises(TypeError):
        capaian(100.0, D(1), UP, Aspek.KUANTITAS)
    with pytest.raises(ValueError):
        capaian(D(-1), D(1), UP, Aspek.KUANTITAS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("200"), ATAS),
        (D("110.00"), ATAS),
        (D("109.99"), SESUAI),
        (D("100.00"), SESUAI),
        (D("99.99"), BAWAH),
        (D("0"), BAWAH),
    ],
)
def test_classify_capaian_default_bands(value, expected):
    assert classify_capaian(value, RatingBands()) is expected


def test_classify_capaian_custom_bands():
    bands = RatingBands(di_atas=D("105"), sesuai=D("90"))
    assert classify_capaian(D("105"), bands) is ATAS
    assert classify_capaian(D("90"), bands) is SESUAI
    assert classify_capaian(D("89.99"), bands) is BAWAH


def test_rating_bands_must_be_ordered():
    with pytest.raises(ValueError):
        RatingBands(di_atas=D("90"), sesuai=D("100"))
    with pytest.raises(ValueError):
        RatingBands(utama_below_max=Fraction(3, 2))


def _ind(kind, rating, label="indikator"):
    return IndicatorInput(kind, label, qualitative_rating=rating)


@pytest.mark.parametrize(
    ("indicators", "expected"),
    [
        # all above, no Utama below → Di Atas
        ([_ind(UTAMA, ATAS), _ind(UTAMA, ATAS)], ATAS),
        # most above, the below one is Tambahan → Di Atas
        ([_ind(UTAMA, ATAS), _ind(UTAMA, ATAS), _ind(TAMBAHAN, BAWAH)], ATAS),
        # most above but one Utama below (1 of 4 ≤ 1/3) → Sesuai, not Di Atas
        (
            [_ind(UTAMA, ATAS), _ind(UTAMA, ATAS), _ind(UTAMA, ATAS), _ind(UTAMA, BAWAH)],
            SESUAI,
        ),
        # exactly half above is not "most" → Sesuai
        ([_ind(UTAMA, ATAS), _ind(UTAMA, SESUAI)], SESUAI),
        ([_ind(UTAMA, SESUAI)], SESUAI),
        # exactly half below is not "most"; Utama share 1/3 is a small part → Sesuai
        (
            [
                _ind(UTAMA, BAWAH),
                _ind(UTAMA, SESUAI),
                _ind(UTAMA, SESUAI),
                _ind(TAMBAHAN, BAWAH),
                _ind(TAMBAHAN, BAWAH),
                _ind(TAMBAHAN, ATAS),
            ],
            SESUAI,
        ),
        # more than half below → Di Bawah
        ([_ind(TAMBAHAN, BAWAH), _ind(TAMBAHAN, BAWAH), _ind(UTAMA, SESUAI)], BAWAH),
        ([_ind(UTAMA, BAWAH)], BAWAH),
        # 2 of 3 Utama below (> 1/3) though only 2 of 6 overall → Di Bawah
        (
            [
                _ind(UTAMA, BAWAH),
                _ind(UTAMA, BAWAH),
                _ind(UTAMA, SESUAI),
                _ind(TAMBAHAN, ATAS),
                _ind(TAMBAHAN, ATAS),
                _ind(TAMBAHAN, ATAS),
            ],
            BAWAH,
        ),
    ],
)
def test_suggest_hasil_rating_rule(indicators, expected):
    suggestion = suggest_hasil_rating(indicators)
    assert suggestion.rating is expected
    assert len(suggestion.reasons) == len(indicators) + 1
    assert suggestion.reasons[-1].endswith("Pejabat Penilai yang memutuskan.")
    assert f"saran: {expected.label}" in suggestion.reasons[-1]


def test_suggest_share_of_utama_is_configurable():
    indicators = [_ind(UTAMA, BAWAH), _ind(UTAMA, SESUAI), _ind(TAMBAHAN, SESUAI)]
    assert suggest_hasil_rating(indicators).rating is BAWAH  # 1 of 2 Utama > 1/3
    lenient = RatingBands(utama_below_max=Fraction(1, 2))
    assert suggest_hasil_rating(indicators, lenient).rating is SESUAI


def test_suggest_from_kuantitatif_indicators_explains_each():
    indicators = [
        IndicatorInput(UTAMA, "Dokumen KTP-el diterbitkan", D(120), D(140)),
        IndicatorInput(
            UTAMA, "Waktu penyelesaian", D(12), D(10), direction=DOWN, aspek=Aspek.WAKTU
        ),
        IndicatorInput(TAMBAHAN, "Kualitas arsip", qualitative_rating=SESUAI),
        IndicatorInput(TAMBAHAN, "Sosialisasi", D(4), None),
    ]
    suggestion = suggest_hasil_rating(indicators)
    assert suggestion.rating is ATAS
    assert suggestion.reasons[:4] == [
        "Utama · Dokumen KTP-el diterbitkan: target 120, realisasi 140, capaian 116,67 % "
        "→ Di Atas Ekspektasi",
        "Utama · Waktu penyelesaian: target 12, realisasi 10 (semakin rendah semakin baik), "
        "capaian 120,00 % → Di Atas Ekspektasi",
        "Tambahan · Kualitas arsip: dinilai secara kualitatif → Sesuai Ekspektasi",
        "Tambahan · Sosialisasi: belum ada target atau realisasi, tidak dihitung",
    ]
    counts = suggestion.counts
    assert (counts.total, counts.rated, counts.above, counts.meets, counts.below) == (
        4,
        3,
        2,
        1,
        0,
    )
    assert (counts.utama_rated, counts.utama_below) == (2, 0)
    assert [item.capaian for item in suggestion.items] == [D("116.67"), D("120.00"), None, None]


def test_suggest_without_data_gives_no_rating():
    suggestion = suggest_hasil_rating([IndicatorInput(UTAMA, "Belum diisi", D(10), None)])
    assert suggestion.rating is None
    assert suggestion.counts.rated == 0
    assert len(suggestion.reasons) == 2
    assert suggest_hasil_rating([]).rating is None


# --- §4 distribution pattern --------------------------------------------------------------


def _people(**counts):
    names = {"SB": SB, "B": B, "BP": BP, "K": K, "SK": SK}
    return [names[key] for key, count in counts.items() for _ in range(count)]


DISTRIBUTION_TABLE = [
    # organisation, distribution, expected breach codes — each rule at and just past its bound
    (OrgPredikat.ISTIMEWA, _people(SB=7, B=3), set()),
    (OrgPredikat.ISTIMEWA, _people(SB=8, B=2), {"ISTIMEWA.SANGAT_BAIK_MAKS"}),
    (OrgPredikat.ISTIMEWA, _people(SB=4, B=4, BP=2), set()),  # a tie is still the largest
    (OrgPredikat.ISTIMEWA, _people(SB=3, B=4, BP=3), {"ISTIMEWA.SANGAT_BAIK_TERBESAR"}),
    (OrgPredikat.BAIK, _people(B=7, BP=1, SB=2), set()),
    (OrgPredikat.BAIK, _people(B=7, K=1, SB=2), set()),
    (OrgPredikat.BAIK, _people(B=8, BP=1, SB=1), {"BAIK.BAIK_MAKS"}),
    (OrgPredikat.BAIK, _people(B=7, SB=3), {"BAIK.ADA_BP_ATAU_KURANG"}),
    (OrgPredikat.BAIK, _people(B=4, SB=4, K=2), set()),
    (OrgPredikat.BAIK, _people(B=4, SB=5, BP=1), {"BAIK.BAIK_TERBESAR"}),
    (OrgPredikat.BUTUH_PERBAIKAN, _people(BP=6, SB=1, B=3), set()),
    (OrgPredikat.BUTUH_PERBAIKAN, _people(BP=3, B=2), set()),  # 60 % exactly
    (OrgPredikat.BUTUH_PERBAIKAN, _people(BP=5, B=5), {"BUTUH_PERBAIKAN.BP_MIN"}),
    (OrgPredikat.BUTUH_PERBAIKAN, _people(BP=6, SB=2, B=2), {"BUTUH_PERBAIKAN.SANGAT_BAIK_MAKS"}),
    (OrgPredikat.KURANG, _people(K=6, BP=1, SB=1, B=2), set()),
    (OrgPredikat.KURANG, _people(K=5, BP=1, SB=1, B=3), {"KURANG.KURANG_MIN"}),
    (OrgPredikat.KURANG, _people(K=6, SB=1, B=3), {"KURANG.BP_MIN"}),
    (OrgPredikat.KURANG, _people(K=12, BP=2, SB=2, B=4), set()),
    (
        OrgPredikat.KURANG,
        _people(K=12, BP=1, SB=3, B=4),
        {"KURANG.BP_MIN", "KURANG.SANGAT_BAIK_MAKS"},
    ),
    (OrgPredikat.KURANG, _people(K=6, BP=1, SB=2, B=1), {"KURANG.SANGAT_BAIK_MAKS"}),
    (OrgPredikat.SANGAT_KURANG, _people(SK=6, K=1, B=3), set()),
    (OrgPredikat.SANGAT_KURANG, _people(SK=6, BP=1, B=3), set()),
    (OrgPredikat.SANGAT_KURANG, _people(SK=5, K=1, B=4), {"SANGAT_KURANG.SANGAT_KURANG_MIN"}),
    (OrgPredikat.SANGAT_KURANG, _people(SK=6, B=4), {"SANGAT_KURANG.KURANG_BP_MIN"}),
    (OrgPredikat.SANGAT_KURANG, _people(SK=6, K=3, SB=1), {"SANGAT_KURANG.TANPA_SANGAT_BAIK"}),
]


@pytest.mark.parametrize(("org", "people", "expected"), DISTRIBUTION_TABLE)
def test_distribution_rule(org, people, expected):
    assert {breach.code for breach in check_distribution(org, people)} == expected


def test_every_default_rule_is_exercised_by_a_breach():
    codes = {code for _, _, expected in DISTRIBUTION_TABLE for code in expected}
    assert codes == {rule.code for rules in DEFAULT_PATTERN.values() for rule in rules}
    assert set(DEFAULT_PATTERN) == set(OrgPredikat)


@pytest.mark.parametrize("org", list(OrgPredikat))
def test_empty_unit_has_no_breaches(org):
    assert check_distribution(org, []) == []


def test_breach_message_names_rule_bound_and_share():
    [breach] = check_distribution(OrgPredikat.BUTUH_PERBAIKAN, _people(SB=2, BP=6))
    assert breach.message == "Sangat Baik paling banyak 10 %, saat ini 25,00 % (2 dari 8 pegawai)"
    assert (breach.bound, breach.actual, breach.count, breach.n) == (D("10"), D("25.00"), 2, 8)


def test_breach_messages_of_other_kinds():
    [largest] = check_distribution(OrgPredikat.ISTIMEWA, _people(SB=2, B=6))
    assert largest.message == (
        "Sangat Baik harus menjadi kelompok terbesar, saat ini 25,00 % (2 dari 8 pegawai), "
        "lebih kecil dari Baik 75,00 % (6 dari 8 pegawai)"
    )
    assert largest.bound is None
    [one] = check_distribution(OrgPredikat.BAIK, _people(B=5, SB=3))
    assert one.message == (
        "Paling sedikit satu pegawai Butuh Perbaikan atau Kurang/Misconduct, "
        "saat ini 0,00 % (0 dari 8 pegawai)"
    )
    [none] = check_distribution(OrgPredikat.SANGAT_KURANG, _people(SK=6, K=2, SB=1))
    assert none.message == "Tidak boleh ada Sangat Baik, saat ini 11,11 % (1 dari 9 pegawai)"
    [together] = check_distribution(OrgPredikat.SANGAT_KURANG, _people(SK=9, B=3))
    assert together.message == (
        "Butuh Perbaikan dan Kurang/Misconduct bersama-sama paling sedikit 10 %, "
        "saat ini 0,00 % (0 dari 12 pegawai)"
    )


def test_shares_are_compared_exactly_not_after_rounding():
    # 2 of 3 is 66,666…%, above a 66,67 % ceiling only once rounded
    pattern = {
        OrgPredikat.BAIK: [DistributionRule("X", RuleKind.AT_MOST, (B,), D("66.67"))],
    }
    assert check_distribution(OrgPredikat.BAIK, _people(B=2, SB=1), pattern) == []
    pattern = {
        OrgPredikat.BAIK: [DistributionRule("X", RuleKind.AT_MOST, (B,), D("66.66"))],
    }
    assert [b.code for b in check_distribution(OrgPredikat.BAIK, _people(B=2, SB=1), pattern)] == [
        "X"
    ]


def test_pattern_round_trips_through_plain_json():
    text = pattern_to_json(DEFAULT_PATTERN)
    data = json.loads(text)
    assert data["version"] == 1
    assert data["pattern"]["ISTIMEWA"][1] == {
        "code": "ISTIMEWA.SANGAT_BAIK_MAKS",
        "kind": "AT_MOST",
        "predikat": ["SANGAT_BAIK"],
        "percent": "70",
    }
    assert pattern_from_json(text) == DEFAULT_PATTERN
    assert pattern_from_data(pattern_to_data(DEFAULT_PATTERN)) == DEFAULT_PATTERN


def test_edited_pattern_changes_the_check():
    data = pattern_to_data(DEFAULT_PATTERN)
    data["pattern"]["ISTIMEWA"][1]["percent"] = "80"
    pattern = pattern_from_data(data)
    assert check_distribution(OrgPredikat.ISTIMEWA, _people(SB=8, B=2), pattern) == []


@pytest.mark.parametrize(
    "broken",
    [
        "not json",
        "[]",
        '{"version": 2, "pattern": {}}',
        '{"version": 1, "pattern": {"ISTIMEWA": [{"code": "A", "kind": "AT_MOST",'
        ' "predikat": ["SANGAT_BAIK"]}]}}',  # percent missing
        '{"version": 1, "pattern": {"ISTIMEWA": [{"code": "A", "kind": "NONE_OF",'
        ' "predikat": ["SANGAT_BAIK"], "percent": "5"}]}}',  # percent not allowed
        '{"version": 1, "pattern": {"ISTIMEWA": [{"code": "A", "kind": "AT_MOST",'
        ' "predikat": ["SANGAT_BAIK"], "percent": "170"}]}}',
        '{"version": 1, "pattern": {"ISTIMEWA": [{"code": "A", "kind": "LARGEST",'
        ' "predikat": ["SANGAT_BAIK", "BAIK"]}]}}',
        '{"version": 1, "pattern": {"ISTIMEWA": [{"code": "A", "kind": "AT_MOST",'
        ' "predikat": ["SANGAT_BAIK"], "percent": 70.5}]}}',  # float
        '{"version": 1, "pattern": {"LUAR_BIASA": []}}',
        '{"version": 1, "pattern": {"ISTIMEWA": [{"code": "A", "kind": "NONE_OF",'
        ' "predikat": ["SANGAT_BAIK"]}], "BAIK": [{"code": "A", "kind": "NONE_OF",'
        ' "predikat": ["SANGAT_BAIK"]}]}}',  # duplicate code
    ],
)
def test_bad_pattern_json_is_refused(broken):
    with pytest.raises(ValueError):
        pattern_from_json(broken)


# --- §5 angka kredit ----------------------------------------------------------------------

KOEFISIEN_TABLE = {
    Jenjang.TERAMPIL: D("5"),
    Jenjang.MAHIR: D("12.5"),
    Jenjang.PENYELIA: D("25"),
    Jenjang.AHLI_PERTAMA: D("12.5"),
    Jenjang.AHLI_MUDA: D("25"),
    Jenjang.AHLI_MADYA: D("37.5"),
    Jenjang.AHLI_UTAMA: D("50"),
}
SHARE_TABLE = {SB: D("1.5"), B: D("1"), BP: D("0.75"), K: D("0.5"), SK: D("0.25")}


@pytest.mark.parametrize("jenjang", list(Jenjang))
@pytest.mark.parametrize("predikat", list(Predikat))
def test_angka_kredit_full_year(jenjang, predikat):
    assert angka_kredit(jenjang, predikat, 12) == KOEFISIEN_TABLE[jenjang] * SHARE_TABLE[predikat]


@pytest.mark.parametrize(
    ("jenjang", "predikat", "months", "expected"),
    [
        (Jenjang.AHLI_PERTAMA, B, 12, D("12.500")),
        (Jenjang.AHLI_MUDA, SB, 12, D("37.500")),
        (Jenjang.AHLI_MADYA, BP, 6, D("14.063")),  # 14,0625 half-up
        (Jenjang.TERAMPIL, SB, 7, D("4.375")),
        (Jenjang.MAHIR, B, 1, D("1.042")),  # 1,041666…
        (Jenjang.AHLI_UTAMA, SK, 3, D("3.125")),
        (Jenjang.PENYELIA, K, 0, D("0.000")),
    ],
)
def test_angka_kredit_part_year(jenjang, predikat, months, expected):
    assert angka_kredit(jenjang, predikat, months) == expected


@pytest.mark.parametrize("months", [-1, 13, True, 6.0])
def test_angka_kredit_months_must_be_whole_and_within_a_year(months):
    with pytest.raises(ValueError):
        angka_kredit(Jenjang.AHLI_MUDA, B, months)


# --- §7 IKM, mutu, sample size, quick index -----------------------------------------------


def _all(value):
    return dict.fromkeys(Unsur, value)


MUTU_EDGES = [
    (D("100"), Mutu.A),
    (D("88.31"), Mutu.A),
    (D("88.305"), Mutu.A),
    (D("88.3049"), Mutu.B),
    (D("88.30"), Mutu.B),
    (D("76.61"), Mutu.B),
    (D("76.605"), Mutu.B),
    (D("76.604"), Mutu.C),
    (D("76.60"), Mutu.C),
    (D("65.00"), Mutu.C),
    (D("64.995"), Mutu.C),
    (D("64.994"), Mutu.D),
    (D("64.99"), Mutu.D),
    (D("25"), Mutu.D),
]


@pytest.mark.parametrize(("value", "expected"), MUTU_EDGES)
def test_mutu_band_edges(value, expected):
    assert mutu_for_konversi(value) is expected


def test_mutu_refuses_binary_floats():
    with pytest.raises(TypeError):
        mutu_for_konversi(76.605)


def test_mutu_labels_are_the_regulation_wording():
    assert [m.label for m in Mutu] == ["Sangat baik", "Baik", "Kurang baik", "Tidak baik"]


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("76.605"), 2, D("76.61")),
        (D("76.604"), 2, D("76.60")),
        (D("0.125"), 2, D("0.13")),  # half-up, not banker's rounding
        (D("-0.125"), 2, D("-0.13")),
        (Fraction(2, 3), 2, D("0.67")),
        (Fraction(1, 8), 2, D("0.13")),
        (7, 2, D("7.00")),
    ],
)
def test_round_half_up(value, places, expected):
    assert round_half_up(value, places) == expected
    assert str(round_half_up(value, places)) == str(expected)


def test_format_number_uses_indonesian_comma_and_point():
    assert format_number(D("1234.565")) == "1.234,57"
    assert format_number(D("76.605")) == "76,61"
    assert format_number(D("12.5"), None) == "12,5"


def test_ikm_all_fours_is_100_and_mutu_a():
    result = ikm([_all(4), _all(4)])
    assert result.n == 2
    assert result.ikm_interval == 4
    assert result.ikm_konversi == 100
    assert result.konversi == D("100.00")
    assert (result.mutu, result.label) == (Mutu.A, "Sangat baik")
    assert result.complete


def test_ikm_all_ones_is_25_and_mutu_d():
    result = ikm([_all(1)])
    assert result.konversi == D("25.00")
    assert result.mutu is Mutu.D


def test_ikm_uses_exact_one_ninth():
    answers = [_all(3) | {Unsur.U1: 4}]
    result = ikm(answers)
    assert result.ikm_interval == Fraction(28, 9)
    assert result.ikm_konversi == Fraction(700, 9)  # 77,777…
    assert result.konversi == D("77.78")
    assert result.mutu is Mutu.B


def test_ikm_nrr_counts_only_those_who_answered_each_unsur():
    answers = [_all(4), _all(2) | {Unsur.U3: None}, {}]  # the empty mapping is no respondent
    result = ikm(answers)
    assert result.n == 2
    assert result.answered[Unsur.U3] == 1
    assert result.nrr[Unsur.U3] == 4
    assert result.nrr[Unsur.U1] == 3


def test_ikm_with_an_unanswered_unsur_is_not_computed():
    result = ikm([_all(4) | {Unsur.U9: None}])
    assert result.missing == (Unsur.U9,)
    assert not result.complete
    assert result.nrr[Unsur.U1] == 4
    assert result.nrr[Unsur.U9] is None
    assert (result.ikm_interval, result.ikm_konversi, result.konversi, result.mutu) == (
        None,
        None,
        None,
        None,
    )


def test_ikm_of_nobody():
    result = ikm([])
    assert result.n == 0
    assert result.missing == tuple(Unsur)
    assert result.mutu is None


@pytest.mark.parametrize("bad", [0, 5, True, 3.0, "4"])
def test_ikm_refuses_answers_outside_1_to_4(bad):
    with pytest.raises(ValueError):
        ikm([_all(3) | {Unsur.U2: bad}])


def _answers_with_u1(fours: int, threes: int):
    """One full respondent (all 3) plus U1-only respondents; U1 has fours and threes."""
    first = _all(3) | {Unsur.U1: 4 if fours else 3}
    rest = [{Unsur.U1: 4}] * (fours - 1 if fours else 0)
    rest += [{Unsur.U1: 3}] * (threes - (0 if fours else 1))
    return [first, *rest]


def test_ikm_exactly_76_605_is_b():
    # NRR U1 = 17889/5000 = 3,5778; others 3 → Σ = 27,5778; × 25/9 = 76,605 exactly
    result = ikm(_answers_with_u1(fours=2889, threes=2111))
    assert result.answered[Unsur.U1] == 5000
    assert result.ikm_konversi == Fraction("76.605")
    assert result.konversi == D("76.61")
    assert result.mutu is Mutu.B


def test_ikm_exactly_76_604_is_c():
    # NRR U1 = 44718/12500 = 3,57744; Σ = 27,57744; × 25/9 = 76,604 exactly
    result = ikm(_answers_with_u1(fours=7218, threes=5282))
    assert result.ikm_konversi == Fraction("76.604")
    assert result.konversi == D("76.60")
    assert result.mutu is Mutu.C


_respondent = st.fixed_dictionaries({u: st.integers(1, 4) for u in Unsur})


@given(st.lists(_respondent, min_size=1, max_size=8))
def test_ikm_always_within_25_and_100(answers):
    result = ikm(answers)
    assert 1 <= result.ikm_interval <= 4
    assert 25 <= result.ikm_konversi <= 100
    assert D(25) <= result.konversi <= D(100)


@given(
    st.lists(_respondent, min_size=1, max_size=8),
    st.integers(min_value=0),
    st.sampled_from(Unsur),
)
def test_ikm_is_monotone_in_every_answer(answers, index, unsur):
    who = index % len(answers)
    if answers[who][unsur] == 4:
        return
    raised = [dict(a) for a in answers]
    raised[who][unsur] += 1
    before, after = ikm(answers), ikm(raised)
    assert after.ikm_konversi > before.ikm_konversi
    assert after.konversi >= before.konversi
    assert "ABCD".index(after.mutu.value) <= "ABCD".index(before.mutu.value)


# Krejcie & Morgan (1970), "Determining sample size for research activities", Educational
# and Psychological Measurement 30, 607–610, Table 1: every (N, S) pair as printed. The table
# that PermenPANRB 14/2017 points to rounds the formula (χ² = 3,841) to the nearest integer.
KREJCIE_MORGAN_1970 = [
    (10, 10),
    (15, 14),
    (20, 19),
    (25, 24),
    (30, 28),
    (35, 32),
    (40, 36),
    (45, 40),
    (50, 44),
    (55, 48),
    (60, 52),
    (65, 56),
    (70, 59),
    (75, 63),
    (80, 66),
    (85, 70),
    (90, 73),
    (95, 76),
    (100, 80),
    (110, 86),
    (120, 92),
    (130, 97),
    (140, 103),
    (150, 108),
    (160, 113),
    (170, 118),
    (180, 123),
    (190, 127),
    (200, 132),
    (210, 136),
    (220, 140),
    (230, 144),
    (240, 148),
    (250, 152),
    (260, 155),
    (270, 159),
    (280, 162),
    (290, 165),
    (300, 169),
    (320, 175),
    (340, 181),
    (360, 186),
    (380, 191),
    (400, 196),
    (420, 201),
    (440, 205),
    (460, 210),
    (480, 214),
    (500, 217),
    (550, 226),
    (600, 234),
    (650, 242),
    (700, 248),
    (750, 254),
    (800, 260),
    (850, 265),
    (900, 269),
    (950, 274),
    (1000, 278),
    (1100, 285),
    (1200, 291),
    (1300, 297),
    (1400, 302),
    (1500, 306),
    (1600, 310),
    (1700, 313),
    (1800, 317),
    (1900, 320),
    (2000, 322),
    (2200, 327),
    (2400, 331),
    (2600, 335),
    (2800, 338),
    (3000, 341),
    (3500, 346),
    (4000, 351),
    (4500, 354),
    (5000, 357),
    (6000, 361),
    (7000, 364),
    (8000, 367),
    (9000, 368),
    (10000, 370),
    (15000, 375),
    (20000, 377),
    (30000, 379),
    (40000, 380),
    (50000, 381),
    (75000, 382),
    (1000000, 384),
]


def test_the_1970_table_is_complete():
    assert len(KREJCIE_MORGAN_1970) == 90
    populations = [n for n, _ in KREJCIE_MORGAN_1970]
    assert populations == sorted(set(populations))


@pytest.mark.parametrize(("population", "expected"), KREJCIE_MORGAN_1970)
def test_krejcie_morgan_reproduces_the_1970_table(population, expected):
    assert krejcie_morgan(population) == expected


@pytest.mark.parametrize(("population", "expected"), [(1, 1), (0, 0), (2, 2), (12345, 373)])
def test_krejcie_morgan_small_and_odd_populations(population, expected):
    assert krejcie_morgan(population) == expected


@given(st.integers(0, 2_000_000))
def test_krejcie_morgan_is_the_formula_rounded_to_nearest(population):
    chi2, p, d = Fraction("3.841"), Fraction("0.5"), Fraction("0.05")
    s = chi2 * population * p * (1 - p) / (d**2 * (population - 1) + chi2 * p * (1 - p))
    result = krejcie_morgan(population)
    assert abs(result - s) <= Fraction(1, 2)
    assert result == int(s + Fraction(1, 2))  # half-up
    assert 0 <= result <= max(population, 0) and result <= 384


def test_sample_sufficient():
    assert sample_sufficient(278, 1000)
    assert not sample_sufficient(277, 1000)
    with pytest.raises(ValueError):
        krejcie_morgan(-1)


@pytest.mark.parametrize(
    ("faces", "expected"),
    [
        ([1], D("0.00")),
        ([2], D("33.33")),
        ([3], D("66.67")),
        ([4], D("100.00")),
        ([1, 4], D("50.00")),
        ([3, 4, 4], D("88.89")),
        ([], None),
    ],
)
def test_quick_index(faces, expected):
    assert quick_index(faces) == expected


@given(st.lists(st.integers(1, 4), min_size=1, max_size=50))
def test_quick_index_within_0_and_100(faces):
    assert D(0) <= quick_index(faces) <= D(100)


# --- conventions --------------------------------------------------------------------------


def test_scoring_imports_no_database_or_web_layer():
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for path in Path(scoring.__file__).parent.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"flask", "werkzeug", "peewee", "portal"}


def test_every_public_function_has_a_one_line_docstring():
    for name in dir(scoring):
        obj = getattr(scoring, name)
        if (
            name.startswith("_")
            or not callable(obj)
            or not getattr(obj, "__module__", "").startswith(scoring.__name__)
        ):
            continue
        assert obj.__doc__, name
        if not isinstance(obj, type):
            assert obj.__doc__.strip().splitlines()[0], name


def test_the_method_text_names_the_method_version():
    text = (Path(scoring.__file__).parents[2] / "docs" / "metode.md").read_text("utf-8")
    assert f"*Versi metode {scoring.METHOD_VERSION}.*" in text
    assert f"- **{scoring.METHOD_VERSION}**:" in text
