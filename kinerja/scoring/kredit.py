"""Angka kredit of a jabatan fungsional: jenjang, predikat, months.

docs/spec/regulation.md §5.
"""

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from kinerja.enums import Jenjang, Predikat
from kinerja.formatting import round_half_up
from kinerja.scoring.exact import exact

# --- §5 Angka kredit -----------------------------------------------------------------------

KOEFISIEN: Mapping[Jenjang, Decimal] = MappingProxyType(
    {
        Jenjang.TERAMPIL: Decimal("5"),
        Jenjang.MAHIR: Decimal("12.5"),
        Jenjang.PENYELIA: Decimal("25"),
        Jenjang.AHLI_PERTAMA: Decimal("12.5"),
        Jenjang.AHLI_MUDA: Decimal("25"),
        Jenjang.AHLI_MADYA: Decimal("37.5"),
        Jenjang.AHLI_UTAMA: Decimal("50"),
    }
)

PREDIKAT_SHARE: Mapping[Predikat, Decimal] = MappingProxyType(
    {
        Predikat.SANGAT_BAIK: Decimal("1.50"),
        Predikat.BAIK: Decimal("1.00"),
        Predikat.BUTUH_PERBAIKAN: Decimal("0.75"),
        Predikat.KURANG: Decimal("0.50"),
        Predikat.SANGAT_KURANG: Decimal("0.25"),
    }
)

ANGKA_KREDIT_PLACES = 3


def angka_kredit(jenjang: Jenjang, predikat: Predikat, months: int) -> Decimal:
    """Koefisien × share × months/12, rounded half-up to three decimals (docs/spec/regulation.md
    §5)."""
    if isinstance(months, bool) or not isinstance(months, int) or not 0 <= months <= 12:
        raise ValueError("jumlah bulan harus bilangan bulat 0–12")
    value = (
        exact(KOEFISIEN[Jenjang(jenjang)])
        * exact(PREDIKAT_SHARE[Predikat(predikat)])
        * Fraction(months, 12)
    )
    return round_half_up(value, ANGKA_KREDIT_PLACES)
