"""NIP / NI PPPK validation and golongan tables (docs/spec/regulation.md §8)."""

import ast
import pickle
from dataclasses import FrozenInstanceError
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja import nip as nip_module
from kinerja import ranks as ranks_module
from kinerja.enums import EmployeeStatus, JenisJabatan
from kinerja.nip import (
    PPPK_FIRST_YEAR,
    NipError,
    NipPart,
    ParsedNip,
    Sex,
    format_nip,
    make_ni_pppk,
    make_nip,
    normalise,
    validate_all,
    validate_employee_number,
    validate_ni_pppk,
    validate_nip,
)
from kinerja.ranks import (
    GOLONGAN_PNS,
    GOLONGAN_PPPK,
    TYPICAL_GOLONGAN,
    golongan_choices,
    is_valid_golongan,
    pangkat_label,
)

TODAY = date(2025, 6, 15)
PNS, PPPK = EmployeeStatus.PNS, EmployeeStatus.PPPK

VALID_NIP = "198609262015051001"
VALID_NI_PPPK = "199001012021012001"


# --- valid numbers ------------------------------------------------------------------------


def test_valid_nip_is_parsed_into_its_parts():
    assert validate_nip(VALID_NIP, today=TODAY) == ParsedNip(
        nip=VALID_NIP,
        kind=PNS,
        birth_date=date(1986, 9, 26),
        appointment_year=2015,
        sex=Sex.L,
        sequence=1,
        tmt=date(2015, 5, 1),
        code=None,
    )


def test_valid_ni_pppk_is_parsed_into_its_parts():
    assert validate_ni_pppk(VALID_NI_PPPK, today=TODAY) == ParsedNip(
        nip=VALID_NI_PPPK,
        kind=PPPK,
        birth_date=date(1990, 1, 1),
        appointment_year=2021,
        sex=Sex.P,
        sequence=1,
        tmt=None,
        code="01",
    )


@pytest.mark.parametrize(
    "raw",
    [
        "19860926 201505 1 001",
        "19860926.201505.1.001",
        "19860926-201505-1-001",
        "19860926–201505–1–001",
        " 19860926\u00a0201505\t1 001 ",
        "19860926/201505/1/001",
        "1986\u200b0926201505_1_001",
    ],
)
def test_separators_are_ignored(raw):
    assert validate_nip(raw, today=TODAY).nip == VALID_NIP


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("198609262003091001", "earliest TMT: exactly 17 years, same month"),
        ("198609262025061001", "TMT in the current month"),
        ("198609262015052999", "sex 2, sequence 999"),
        ("200002292025061001", "birth on 29 February"),
    ],
)
def test_valid_nip_boundaries(raw, kind):
    assert validate_nip(raw, today=TODAY).nip == raw


@pytest.mark.parametrize(
    "raw",
    [
        "199001012025012001",  # appointed this year
        f"19900101{PPPK_FIRST_YEAR}012001",  # first PPPK year
        "200801012025991999",  # exactly 17 years after the birth year; code 99
    ],
)
def test_valid_ni_pppk_boundaries(raw):
    assert validate_ni_pppk(raw, today=TODAY).nip == raw


def test_parsed_nip_is_frozen_and_formats_itself():
    parsed = validate_ni_pppk(VALID_NI_PPPK, today=TODAY)
    with pytest.raises(FrozenInstanceError):
        parsed.sequence = 2
    assert parsed.formatted == "19900101 2021 01 2 001"
    assert parsed.sex == "P"
    assert parsed.sex.label == "Perempuan"


def test_today_defaults_to_today_and_accepts_a_datetime():
    assert validate_nip(VALID_NIP).nip == VALID_NIP
    assert validate_nip(VALID_NIP, today=datetime(2025, 6, 15, 8, 0)).nip == VALID_NIP


# --- one row per failed part -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "part", "message"),
    [
        (
            "19860926201505100",
            "LENGTH",
            "NIP harus terdiri dari 18 angka; yang dimasukkan 17 angka.",
        ),
        ("1986092620150510011", "LENGTH", "yang dimasukkan 19 angka"),
        ("", "LENGTH", "NIP wajib diisi"),
        (" - ", "LENGTH", "NIP wajib diisi"),
        ("1986092620150510O1", "DIGITS", "NIP hanya boleh berisi angka"),
        ("NIP 198609262015051001", "DIGITS", "'N', 'I', 'P'"),
        ("１98609262015051001", "DIGITS", "NIP hanya boleh berisi angka"),
        (
            "198613312015051001",
            "BIRTH_DATE",
            "Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang valid: 19861331.",
        ),
        ("198602302015051001", "BIRTH_DATE", "bukan tanggal yang valid: 19860230"),
        ("000001012015051001", "BIRTH_DATE", "bukan tanggal yang valid: 00000101"),
        ("202607012015051001", "BIRTH_DATE", "(1 Juli 2026) tidak boleh di masa depan"),
        (
            "198609262015131001",
            "TMT",
            "TMT CPNS pada NIP (digit 9–14) harus bulan yang valid (YYYYMM): 201513.",
        ),
        ("198609262015001001", "TMT", "(YYYYMM): 201500"),
        ("198609260000051001", "TMT", "(YYYYMM): 000005"),
        ("198609262040031001", "TMT_FUTURE", "TMT CPNS (Maret 2040) tidak boleh di masa depan."),
        ("198609262025071001", "TMT_FUTURE", "TMT CPNS (Juli 2025) tidak boleh di masa depan."),
        (
            "198609262003081001",
            "TMT_TOO_EARLY",
            "TMT CPNS harus sekurang-kurangnya 17 tahun setelah tanggal lahir",
        ),
        ("198609262003081001", "TMT_TOO_EARLY", "paling awal September 2003, bukan Agustus 2003"),
        (
            "198609262015053001",
            "SEX",
            "Digit jenis kelamin (digit 15) harus 1 (laki-laki) atau 2 (perempuan), bukan 3.",
        ),
        ("198609262015050001", "SEX", "bukan 0"),
        ("198609262015051000", "SEQUENCE", "Nomor urut (digit 16–18) harus 001–999, bukan 000."),
    ],
)
def test_invalid_nip_names_the_failed_part(raw, part, message):
    with pytest.raises(NipError) as caught:
        validate_nip(raw, today=TODAY)
    assert caught.value.part == part
    assert message in caught.value.message
    assert str(caught.value) == caught.value.message


@pytest.mark.parametrize(
    ("raw", "part", "message"),
    [
        ("19900101202101200", "LENGTH", "NI PPPK harus terdiri dari 18 angka"),
        ("19900101 2021 01 2 0A1", "DIGITS", "NI PPPK hanya boleh berisi angka"),
        ("199013012021012001", "BIRTH_DATE", "Tanggal lahir pada NI PPPK (digit 1–8)"),
        (
            "199001012040012001",
            "YEAR",
            "Tahun pengangkatan pada NI PPPK (digit 9–12) tidak boleh di masa depan: 2040.",
        ),
        ("199001012026012001", "YEAR", "tidak boleh di masa depan: 2026"),
        ("199001012015012001", "YEAR", f"tidak boleh sebelum {PPPK_FIRST_YEAR}"),
        ("199001010000012001", "YEAR", "tidak boleh sebelum"),
        (
            "200901012025012001",
            "YEAR",
            "harus sekurang-kurangnya 17 tahun setelah tahun lahir (2009): paling awal 2026",
        ),
        ("199001012021002001", "CODE", "Kode pada NI PPPK (digit 13–14) harus 01–99, bukan 00."),
        ("199001012021019001", "SEX", "bukan 9"),
        ("199001012021012000", "SEQUENCE", "bukan 000"),
    ],
)
def test_invalid_ni_pppk_names_the_failed_part(raw, part, message):
    with pytest.raises(NipError) as caught:
        validate_ni_pppk(raw, today=TODAY)
    assert caught.value.part == part
    assert message in caught.value.message


def test_validate_all_lists_every_failed_part_in_digit_order():
    errors = validate_all("19861331 201513 3 000", PNS, today=TODAY)
    assert [e.part for e in errors] == ["BIRTH_DATE", "TMT", "SEX", "SEQUENCE"]


def test_validate_all_reports_future_and_too_early_together():
    errors = validate_all("204001012030011001", PNS, today=TODAY)
    assert [e.part for e in errors] == ["BIRTH_DATE", "TMT_FUTURE", "TMT_TOO_EARLY"]


def test_validate_all_stops_at_the_shape():
    errors = validate_all("12ab", PNS, today=TODAY)
    assert [e.part for e in errors] == ["DIGITS", "LENGTH"]
    assert "yang dimasukkan 4 karakter" in errors[1].message


def test_validate_all_for_pppk():
    errors = validate_all("200901012040003000", PPPK, today=TODAY)
    assert [e.part for e in errors] == ["YEAR", "CODE", "SEX", "SEQUENCE"]


def test_validate_all_is_empty_for_valid_numbers():
    assert validate_all(VALID_NIP, PNS, today=TODAY) == []
    assert validate_all(VALID_NI_PPPK, "PPPK", today=TODAY) == []


def test_an_invalid_birth_date_skips_the_17_year_check():
    errors = validate_all("198613312003081001", PNS, today=TODAY)
    assert [e.part for e in errors] == ["BIRTH_DATE"]


# --- dispatch on status ----------------------------------------------------------------


@pytest.mark.parametrize("status", [PNS, "PNS"])
def test_employee_number_of_a_pns_is_a_nip(status):
    assert validate_employee_number(VALID_NIP, status, today=TODAY).kind == PNS


@pytest.mark.parametrize("status", [PPPK, "PPPK"])
def test_employee_number_of_a_pppk_is_an_ni_pppk(status):
    assert validate_employee_number(VALID_NI_PPPK, status, today=TODAY).kind == PPPK


def test_a_nip_is_not_a_valid_ni_pppk():
    with pytest.raises(NipError) as caught:
        validate_employee_number(VALID_NIP, PPPK, today=TODAY)
    assert caught.value.part == "YEAR"


def test_unknown_status_is_a_programming_error():
    with pytest.raises(ValueError) as caught:
        validate_employee_number(VALID_NIP, "HONORER", today=TODAY)
    assert not isinstance(caught.value, NipError)


# --- NipError --------------------------------------------------------------------------


def test_nip_error_is_a_value_error_and_pickles():
    error = NipError("SEX", "pesan")
    assert isinstance(error, ValueError)
    assert error.part is NipPart.SEX
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.part, copy.message) == (error.part, error.message)


# --- normalise and format --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19860926 201505 1 001", VALID_NIP),
        ("NIP. 19860926", "NIP19860926"),
        ("19860926—201505", "19860926201505"),
        ("", ""),
    ],
)
def test_normalise_drops_separators_only(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "status", "expected"),
    [
        (VALID_NIP, None, "19860926 201505 1 001"),
        (VALID_NIP, PNS, "19860926 201505 1 001"),
        ("19860926.201505.1.001", None, "19860926 201505 1 001"),
        (VALID_NI_PPPK, PPPK, "19900101 2021 01 2 001"),
        (VALID_NI_PPPK, "PPPK", "19900101 2021 01 2 001"),
        ("19900101 2021 01 2 001", PNS, "19900101 202101 2 001"),
        ("12345", None, "12345"),
        ("1986092620150510O1", None, "1986092620150510O1"),
        ("", None, ""),
    ],
)
def test_format_nip(raw, status, expected):
    assert format_nip(raw, status) == expected


# --- builders --------------------------------------------------------------------------


def test_builders_make_the_documented_examples():
    assert make_nip(date(1986, 9, 26), 2015, 5, "L", 1) == VALID_NIP
    assert make_ni_pppk(date(1990, 1, 1), 2021, 1, "P", 1) == VALID_NI_PPPK
    assert make_ni_pppk(date(1990, 1, 1), 2021, "21", Sex.L, 7) == "199001012021211007"


@pytest.mark.parametrize(
    "build",
    [
        lambda: make_nip(date(1986, 9, 26), 2015, 13, "L", 1),
        lambda: make_nip(date(1986, 9, 26), 10000, 5, "L", 1),
        lambda: make_nip(date(1986, 9, 26), 2015, 5, "X", 1),
        lambda: make_nip(date(1986, 9, 26), 2015, 5, "L", 0),
        lambda: make_nip(date(1986, 9, 26), 2015, 5, "L", 1000),
        lambda: make_ni_pppk(date(1990, 1, 1), 2021, 0, "P", 1),
        lambda: make_ni_pppk(date(1990, 1, 1), 2021, 100, "P", 1),
    ],
)
def test_builders_reject_parts_that_do_not_fit(build):
    with pytest.raises(ValueError):
        build()


# --- properties ------------------------------------------------------------------------


@st.composite
def nip_parts(draw):
    birth = draw(st.dates(max_value=date(TODAY.year - 17, TODAY.month, 1)))
    first = (birth.year + 17) * 12 + birth.month - 1
    last = TODAY.year * 12 + TODAY.month - 1
    tmt_year, tmt_month0 = divmod(draw(st.integers(first, last)), 12)
    sex = draw(st.sampled_from(["L", "P"]))
    seq = draw(st.integers(1, 999))
    return birth, tmt_year, tmt_month0 + 1, sex, seq


@st.composite
def ni_pppk_parts(draw):
    birth = draw(st.dates(max_value=date(TODAY.year - 17, 12, 31)))
    year = draw(st.integers(max(PPPK_FIRST_YEAR, birth.year + 17), TODAY.year))
    code = draw(st.integers(1, 99))
    sex = draw(st.sampled_from(["L", "P"]))
    seq = draw(st.integers(1, 999))
    return birth, year, code, sex, seq


@given(nip_parts())
def test_any_valid_nip_parts_round_trip(parts):
    birth, tmt_year, tmt_month, sex, seq = parts
    number = make_nip(*parts)
    parsed = validate_nip(number, today=TODAY)
    assert (parsed.nip, parsed.kind) == (number, PNS)
    assert parsed.birth_date == birth
    assert parsed.tmt == date(tmt_year, tmt_month, 1)
    assert parsed.appointment_year == tmt_year
    assert (parsed.sex, parsed.sequence) == (sex, seq)
    assert validate_nip(format_nip(number), today=TODAY) == parsed


@given(ni_pppk_parts())
def test_any_valid_ni_pppk_parts_round_trip(parts):
    birth, year, code, sex, seq = parts
    number = make_ni_pppk(*parts)
    parsed = validate_ni_pppk(number, today=TODAY)
    assert (parsed.nip, parsed.kind) == (number, PPPK)
    assert (parsed.birth_date, parsed.appointment_year, parsed.code) == (birth, year, f"{code:02d}")
    assert (parsed.sex, parsed.sequence, parsed.tmt) == (sex, seq, None)
    assert validate_ni_pppk(format_nip(number, PPPK), today=TODAY) == parsed


def assert_parses_or_names_a_part(raw, status):
    errors = validate_all(raw, status, today=TODAY)
    try:
        parsed = validate_employee_number(raw, status, today=TODAY)
    except NipError as error:
        assert error.part in set(NipPart)
        assert error.message
        assert errors and errors[0].part == error.part
    else:
        assert isinstance(parsed, ParsedNip)
        assert errors == []


@given(st.text(alphabet="0123456789", min_size=18, max_size=18), st.sampled_from(EmployeeStatus))
def test_any_18_digits_parse_or_name_a_part(raw, status):
    assert_parses_or_names_a_part(raw, status)


@given(st.text(), st.sampled_from(EmployeeStatus))
def test_any_text_parses_or_names_a_part(raw, status):
    assert_parses_or_names_a_part(raw, status)


@given(st.text(), st.sampled_from([None, *EmployeeStatus]))
def test_format_is_idempotent_and_keeps_the_characters(raw, status):
    formatted = format_nip(raw, status)
    assert format_nip(formatted, status) == formatted
    assert normalise(formatted) == normalise(raw)


@given(
    st.lists(
        st.tuples(st.sampled_from("0123456789"), st.sampled_from(["", "", " ", ".", "-"])),
        min_size=18,
        max_size=18,
    ),
    st.sampled_from([None, *EmployeeStatus]),
)
def test_format_of_normalised_format_is_stable(pieces, status):
    raw = "".join(digit + sep for digit, sep in pieces)
    formatted = format_nip(raw, status)
    assert format_nip(normalise(formatted), status) == formatted
    assert normalise(formatted) == "".join(digit for digit, _ in pieces)


# --- golongan (ranks) ------------------------------------------------------------------


def test_golongan_pns_table_follows_the_regulation_in_order():
    assert list(GOLONGAN_PNS.items()) == [
        ("I/a", "Juru Muda"),
        ("I/b", "Juru Muda Tingkat I"),
        ("I/c", "Juru"),
        ("I/d", "Juru Tingkat I"),
        ("II/a", "Pengatur Muda"),
        ("II/b", "Pengatur Muda Tingkat I"),
        ("II/c", "Pengatur"),
        ("II/d", "Pengatur Tingkat I"),
        ("III/a", "Penata Muda"),
        ("III/b", "Penata Muda Tingkat I"),
        ("III/c", "Penata"),
        ("III/d", "Penata Tingkat I"),
        ("IV/a", "Pembina"),
        ("IV/b", "Pembina Tingkat I"),
        ("IV/c", "Pembina Utama Muda"),
        ("IV/d", "Pembina Utama Madya"),
        ("IV/e", "Pembina Utama"),
    ]


def test_golongan_pppk_is_i_to_xvii():
    assert len(GOLONGAN_PPPK) == 17
    assert (GOLONGAN_PPPK[0], GOLONGAN_PPPK[8], GOLONGAN_PPPK[-1]) == ("I", "IX", "XVII")
    assert len(set(GOLONGAN_PPPK)) == 17


@pytest.mark.parametrize(
    ("golongan", "label"),
    [
        ("III/a", "Penata Muda, III/a"),
        ("IV/e", "Pembina Utama, IV/e"),
        ("I/b", "Juru Muda Tingkat I, I/b"),
        ("IX", "Golongan IX"),
        ("XVII", "Golongan XVII"),
    ],
)
def test_pangkat_label(golongan, label):
    assert pangkat_label(golongan) == label


def test_pangkat_label_of_an_unknown_code_is_an_error():
    with pytest.raises(ValueError):
        pangkat_label("V/a")


@pytest.mark.parametrize(
    ("golongan", "status", "valid"),
    [
        ("III/a", PNS, True),
        ("III/a", PPPK, False),
        ("IX", PPPK, True),
        ("IX", PNS, False),
        ("XVIII", PPPK, False),
        ("iii/a", PNS, False),
        ("", PNS, False),
        ("III/a", "PNS", True),
    ],
)
def test_is_valid_golongan(golongan, status, valid):
    assert is_valid_golongan(golongan, status) is valid


def test_golongan_choices():
    assert golongan_choices(PNS)[0] == ("I/a", "Juru Muda, I/a")
    assert len(golongan_choices(PNS)) == 17
    assert golongan_choices(PPPK)[-1] == ("XVII", "Golongan XVII")


def test_typical_golongan_matches_the_jabatan():
    assert set(TYPICAL_GOLONGAN) == set(JenisJabatan)
    assert TYPICAL_GOLONGAN[JenisJabatan.JPT] == ("IV/c", "IV/d")
    assert TYPICAL_GOLONGAN[JenisJabatan.ADMINISTRATOR] == ("IV/a", "IV/b")
    assert TYPICAL_GOLONGAN[JenisJabatan.PENGAWAS] == ("III/c", "III/d")
    assert TYPICAL_GOLONGAN[JenisJabatan.FUNGSIONAL] == ("III/a", "III/b", "III/c", "III/d", "IV/a")
    assert TYPICAL_GOLONGAN[JenisJabatan.PELAKSANA] == (
        "II/a",
        "II/b",
        "II/c",
        "II/d",
        "III/a",
        "III/b",
    )


# --- conventions -----------------------------------------------------------------------


@pytest.mark.parametrize("module", [nip_module, ranks_module])
def test_module_is_pure(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"flask", "werkzeug", "portal"}}
