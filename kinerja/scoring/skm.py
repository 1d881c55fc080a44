"""Indeks Kepuasan Masyarakat, mutu, quick index, Krejcie–Morgan sample size.

The one home of every SKM formula (docs/spec/regulation.md §7): the public snapshot
(kinerja.services.publish), the internal kiosk figures and the exports all call these
functions.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kinerja.enums import Mutu, Unsur
from kinerja.formatting import round_half_up
from kinerja.scoring.exact import Number, exact

# --- §7 Indeks Kepuasan Masyarakat --------------------------------------------------------

UNSUR_WEIGHT = Fraction(1, len(Unsur))  # exactly 1/9; the regulation prints it as 0,111
KONVERSI_FACTOR = 25

MUTU_BANDS: tuple[tuple[Decimal, Mutu], ...] = (
    (Decimal("88.31"), Mutu.A),
    (Decimal("76.61"), Mutu.B),
    (Decimal("65.00"), Mutu.C),
)
"""Lowest converted value (two decimals) of each mutu, best first; below the last is D."""

GOOD_MUTU: tuple[Mutu, ...] = (Mutu.A, Mutu.B)
"""The mutu a citizen reads as "baik" (kinerja unit pelayanan Sangat baik or Baik)."""


def mutu_for_konversi(value: Number) -> Mutu:
    """Mutu A–D of a converted IKM, rounded half-up to two decimals first (§7)."""
    rounded = round_half_up(exact(value, "IKM konversi"), 2)
    for lowest, mutu in MUTU_BANDS:
        if rounded >= lowest:
            return mutu
    return Mutu.D


def nrr_from_sums(sums: Sequence[int], counts: Sequence[int]) -> list[Fraction | None]:
    """NRR of each unsur: its answers' sum over their count; None where nobody answered."""
    return [Fraction(s, c) if c else None for s, c in zip(sums, counts, strict=True)]


def ikm_konversi(nrr: Iterable[Fraction | None]) -> Fraction | None:
    """IKM konversi exactly: Σ NRR × 1/9 × 25; None when an unsur has no answer (§7)."""
    values = list(nrr)
    if any(value is None for value in values):
        return None
    return sum((value * UNSUR_WEIGHT for value in values), Fraction(0)) * KONVERSI_FACTOR


@dataclass(frozen=True)
class ShownIkm:
    """An IKM as shown: konversi to two decimals (half-up), its interval and its mutu."""

    konversi: Decimal
    interval: Decimal  # from the shown konversi (exact at 4 places): no finer than 2 decimals
    mutu: Mutu


def shown_ikm(konversi: Number) -> ShownIkm:
    """The shown IKM of an exact konversi: one rounding, then interval and mutu (§7)."""
    rounded = round_half_up(exact(konversi, "IKM konversi"), 2)
    return ShownIkm(rounded, rounded / KONVERSI_FACTOR, mutu_for_konversi(rounded))


def mutu_chart_lines(top: int = 100, bottom: int = 50) -> list[tuple[Decimal, Mutu | None, str]]:
    """Grid lines of an IKM chart, as (konversi, mutu or None, label): the top, each mutu's
    lowest konversi (``MUTU_BANDS``), the bottom."""
    lines: list[tuple[Decimal, Mutu | None, str]] = [(Decimal(top), None, str(top))]
    for lowest, mutu in MUTU_BANDS:
        shown = format(lowest.normalize(), "f").replace(".", ",")
        lines.append((lowest, mutu, f"{mutu.value} {shown}"))
    return [*lines, (Decimal(bottom), None, str(bottom))]


@dataclass(frozen=True)
class IkmResult:
    """IKM of a set of SKM answers; exact values as Fraction, the shown one as Decimal.

    ``ikm_interval``, ``ikm_konversi``, ``konversi``, ``mutu`` and ``label`` are None when
    some unsur has no answer at all (``missing``): an IKM over fewer than nine unsur is not
    the regulation's IKM and would not be comparable, so none is computed.
    """

    n: int  # respondents who answered at least one unsur
    answered: dict[Unsur, int]
    nrr: dict[Unsur, Fraction | None]
    ikm_interval: Fraction | None  # Σ NRR × 1/9, on 1–4
    ikm_konversi: Fraction | None  # × 25, on 25–100
    konversi: Decimal | None  # ikm_konversi rounded half-up to two decimals: shown, classified
    mutu: Mutu | None
    label: str | None
    missing: tuple[Unsur, ...]

    @property
    def complete(self) -> bool:
        """Whether every unsur has at least one answer, so the IKM exists."""
        return not self.missing


def _answer(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise ValueError(f"jawaban SKM harus bilangan bulat 1–4, bukan {value!r}")
    return value


def ikm(answers: Iterable[Mapping[Unsur, int | None]]) -> IkmResult:
    """IKM from SKM answers, NRR over those who answered each unsur (PermenPANRB 14/2017, §7)."""
    sums = dict.fromkeys(Unsur, 0)
    answered = dict.fromkeys(Unsur, 0)
    n = 0
    for respondent in answers:
        any_answer = False
        for unsur in Unsur:
            value = _answer(respondent.get(unsur))
            if value is not None:
                sums[unsur] += value
                answered[unsur] += 1
                any_answer = True
        n += any_answer
    nrr = {u: Fraction(sums[u], answered[u]) if answered[u] else None for u in Unsur}
    missing = tuple(u for u in Unsur if nrr[u] is None)
    if missing:
        return IkmResult(n, answered, nrr, None, None, None, None, None, missing)
    konversi_exact = ikm_konversi(nrr.values())
    interval = konversi_exact / KONVERSI_FACTOR
    mutu = mutu_for_konversi(konversi_exact)
    return IkmResult(
        n=n,
        answered=answered,
        nrr=nrr,
        ikm_interval=interval,
        ikm_konversi=konversi_exact,
        konversi=round_half_up(konversi_exact, 2),
        mutu=mutu,
        label=mutu.label,
        missing=(),
    )


KM_CHI_SQUARE = Decimal("3.841")
KM_PROPORTION = Decimal("0.5")
KM_MARGIN = Decimal("0.05")


def krejcie_morgan(population: int) -> int:
    """Krejcie–Morgan sample size for N service users (docs/spec/regulation.md §7).

    S = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)) with χ² = 3,841, P = 0,5, d = 0,05, computed
    exactly and rounded to the nearest integer (half up), as in Table 1 of Krejcie & Morgan
    (1970), the table PermenPANRB 14/2017 points to: with χ² = 3,841 this reproduces all 90
    printed rows (N = 15 → 14, 50 → 44, 500 → 217, 9 000 → 368, 75 000 → 382). Rounding up
    gives one more on 45 of them; χ² = 3,84 misses 4 000, 8 000 and 15 000.
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise ValueError("populasi harus bilangan bulat tidak negatif")
    chi2, p, d = exact(KM_CHI_SQUARE), exact(KM_PROPORTION), exact(KM_MARGIN)
    variance = chi2 * p * (1 - p)
    return int(round_half_up(variance * population / (d * d * (population - 1) + variance), 0))


def sample_sufficient(n: int, population: int) -> bool:
    """Whether n responses reach the Krejcie–Morgan sample for the population (§7)."""
    return n >= krejcie_morgan(population)


def quick_index(faces: Iterable[int]) -> Decimal | None:
    """Quick index 0–100 of the four faces (1→0 … 4→100), rounded half-up (docs/spec/product.md
    §5)."""
    values = [_answer(face) for face in faces]
    return quick_index_from_sum(sum(values), len(values))


def quick_index_from_sum(face_sum: int, face_n: int) -> Decimal | None:
    """Quick index 0–100 from the sum and number of faces (1→0 … 4→100); None for none."""
    if not face_n:
        return None
    mean = Fraction(face_sum, face_n)
    return round_half_up((mean - 1) * Fraction(100, 3), 2)
