"""The pure SKP validators: targets, lengths, cascading links (with hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja import skp_validation as v
from kinerja.skp_validation import FieldError, ParentInfo, check_cascade


@pytest.mark.parametrize(
    "text, expected",
    [
        ("95", Decimal("95")),
        ("95,5", Decimal("95.5")),
        ("12.5", Decimal("12.5")),
        ("1.200", Decimal("1200")),
        ("1.234.567,25", Decimal("1234567.25")),
        (" 7 ", Decimal("7")),
    ],
)
def test_target_accepts_indonesian_numbers(text, expected):
    assert v.parse_target(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Target wajib diisi."),
        ("0", "Target harus lebih besar dari nol."),
        ("-5", "Target harus berupa angka, misalnya 95 atau 12,5."),
        ("abc", "Target harus berupa angka, misalnya 95 atau 12,5."),
        ("1e5", "Target harus berupa angka, misalnya 95 atau 12,5."),
        ("NaN", "Target harus berupa angka, misalnya 95 atau 12,5."),
        ("1,234", "Target paling banyak 2 angka di belakang koma."),
        ("99999999999999", "Target terlalu besar."),
    ],
)
def test_target_errors_are_indonesian(text, message):
    with pytest.raises(FieldError) as exc:
        v.parse_target(text)
    assert str(exc.value) == message


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999"), places=2))
def test_target_round_trips_through_indonesian_formatting(value):
    plain = f"{value:f}".replace(".", ",")
    assert v.parse_target(plain) == value
    grouped = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    assert v.parse_target(grouped) == value


@given(st.text(max_size=60))
def test_target_never_crashes(text):
    try:
        result = v.parse_target(text)
    except FieldError as exc:
        assert str(exc).startswith("Target")
    else:
        assert result > 0


@given(st.text(max_size=1200))
def test_text_limits_hold(text):
    try:
        clean = v.clean_text(text, label="Teks", max_len=v.RHK_TEXT_MAX)
    except FieldError as exc:
        assert "Teks" in str(exc)
    else:
        assert 0 < len(clean) <= v.RHK_TEXT_MAX


def test_kuantitatif_indicator_needs_target_and_unit():
    _, errors = v.validate_indicator({"text": "Jumlah berkas"}, approach="KUANTITATIF")
    assert errors == {
        "target_value": "Target wajib diisi.",
        "target_unit": "Satuan target wajib diisi.",
    }


def test_kualitatif_indicator_needs_criteria_not_target():
    clean, errors = v.validate_indicator(
        {"text": "Laporan", "success_criteria": "Diterima pimpinan tanpa revisi"},
        approach="KUALITATIF",
    )
    assert not errors and clean["target_value"] is None
    _, errors = v.validate_indicator({"text": "Laporan"}, approach="KUALITATIF")
    assert set(errors) == {"success_criteria"}


def test_unknown_choices_are_field_errors():
    _, errors = v.validate_indicator(
        {
            "text": "x",
            "aspek": "RASA",
            "direction": "SAMPING",
            "target_value": "1",
            "target_unit": "u",
        },
        approach="KUANTITATIF",
    )
    assert set(errors) == {"aspek", "direction"}


@pytest.mark.parametrize(
    "parent, supervisor_id, error",
    [
        (None, 1, None),
        (ParentInfo(1, 2026, "DISETUJUI"), 1, None),
        (ParentInfo(2, 2026, "DISETUJUI"), 1, "harus milik Pejabat Penilai"),
        (ParentInfo(1, 2025, "DISETUJUI"), 1, "tahun yang sama"),
        (ParentInfo(1, 2026, "DIAJUKAN"), 1, "sudah disetujui"),
        (ParentInfo(1, 2026, "DISETUJUI"), None, "harus milik Pejabat Penilai"),
    ],
)
def test_cascade_rule(parent, supervisor_id, error):
    result = check_cascade(parent, supervisor_id=supervisor_id, year=2026)
    if error is None:
        assert result is None
    else:
        assert error in result


@pytest.mark.parametrize(
    "link, ok",
    [
        ("https://drive.example.go.id/berkas", True),
        ("http://a.b", True),
        ("javascript:alert(1)", False),
        ("ftp://x", False),
        ("", True),
    ],
)
def test_evidence_link(link, ok):
    if ok:
        assert v.clean_link(link) == link
    else:
        with pytest.raises(FieldError):
            v.clean_link(link)


def test_field_check_uses_the_same_validators():
    assert v.check_field("target_value", "0") == "Target harus lebih besar dari nol."
    assert v.check_field("target_value", "12,5") is None
    assert v.check_field("unknown", "x") is None


@pytest.mark.parametrize("unit", ["hari", "hari kerja", "Hari Kerja", "jam", "menit", "bulan"])
def test_waktu_in_units_of_time_must_be_lower_better(unit):
    """Issue 18: a duration (days, hours, months) is better when shorter."""
    data = {
        "text": "Rata-rata waktu penyelesaian",
        "aspek": "WAKTU",
        "target_value": "3",
        "target_unit": unit,
        "direction": "HIGHER_BETTER",
    }
    _, errors = v.validate_indicator(data, approach="KUANTITATIF")
    assert set(errors) == {"direction"}
    assert "Semakin rendah semakin baik" in errors["direction"]
    clean, errors = v.validate_indicator(
        {**data, "direction": "LOWER_BETTER"}, approach="KUANTITATIF"
    )
    assert not errors and clean["direction"] == "LOWER_BETTER"


@pytest.mark.parametrize(
    "aspek, unit, direction",
    [
        ("WAKTU", "%", "HIGHER_BETTER"),  # persentase selesai tepat waktu
        ("WAKTU", "%", "LOWER_BETTER"),  # persentase terlambat
        ("KUANTITAS", "jam", "HIGHER_BETTER"),  # jam pelatihan
        ("WAKTU", "kali per bulan", "HIGHER_BETTER"),
        ("BIAYA", "rupiah", "LOWER_BETTER"),
        ("BIAYA", "%", "HIGHER_BETTER"),  # persentase penghematan
    ],
)
def test_sensible_arah_combinations_are_accepted(aspek, unit, direction):
    data = {"text": "Indikator", "aspek": aspek, "target_value": "5", "target_unit": unit}
    _, errors = v.validate_indicator({**data, "direction": direction}, approach="KUANTITATIF")
    assert not errors
