"""Golongan ruang and pangkat of PNS, golongan of PPPK (docs/spec/regulation.md §8).

Codes are stored exactly as written here ("III/a", "IX"); the PNS and PPPK code sets do not
overlap, so a code alone says which table it belongs to.
"""

from kinerja.enums import EmployeeStatus, JenisJabatan

GOLONGAN_PNS: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}

GOLONGAN_PPPK: tuple[str, ...] = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)


def _span(first: str, last: str) -> tuple[str, ...]:
    """PNS golongan codes from ``first`` to ``last`` inclusive, lowest first."""
    codes = tuple(GOLONGAN_PNS)
    return codes[codes.index(first) : codes.index(last) + 1]


# Golongan consistent with each kind of jabatan, for demo data (not a validation rule).
TYPICAL_GOLONGAN: dict[JenisJabatan, tuple[str, ...]] = {
    JenisJabatan.JPT: _span("IV/c", "IV/d"),
    JenisJabatan.ADMINISTRATOR: _span("IV/a", "IV/b"),
    JenisJabatan.PENGAWAS: _span("III/c", "III/d"),
    JenisJabatan.FUNGSIONAL: _span("III/a", "IV/a"),
    JenisJabatan.PELAKSANA: _span("II/a", "III/b"),
}


def golongan_codes(status: EmployeeStatus | str) -> tuple[str, ...]:
    """All golongan codes for PNS or PPPK, lowest first."""
    if EmployeeStatus(status) is EmployeeStatus.PNS:
        return tuple(GOLONGAN_PNS)
    return GOLONGAN_PPPK


def pangkat_label(golongan: str) -> str:
    """Display label: "Penata Muda, III/a" for PNS, "Golongan IX" for PPPK."""
    if golongan in GOLONGAN_PNS:
        return f"{GOLONGAN_PNS[golongan]}, {golongan}"
    if golongan in GOLONGAN_PPPK:
        return f"Golongan {golongan}"
    raise ValueError(f"Golongan tidak dikenal: {golongan!r}.")


def is_valid_golongan(golongan: str, status: EmployeeStatus | str) -> bool:
    """Whether ``golongan`` is a code of the table for ``status``."""
    return golongan in golongan_codes(status)


def golongan_choices(status: EmployeeStatus | str) -> list[tuple[str, str]]:
    """(code, label) pairs for a form select, lowest golongan first."""
    return [(code, pangkat_label(code)) for code in golongan_codes(status)]
