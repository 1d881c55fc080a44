"""Kuadran kinerja → predikat; capaian and the suggested Rating Hasil Kerja.

docs/spec/regulation.md §3.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from kinerja.enums import Aspek, Direction, Predikat, Rating, RhkKind
from kinerja.formatting import format_number, round_half_up
from kinerja.scoring.exact import Number, exact

# --- §3 Kuadran kinerja → predikat --------------------------------------------------------

_A, _S, _B = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI

KUADRAN: Mapping[tuple[Rating, Rating], Predikat] = MappingProxyType(
    {
        # (hasil kerja, perilaku kerja): predikat
        (_A, _B): Predikat.KURANG,
        (_A, _S): Predikat.BAIK,
        (_A, _A): Predikat.SANGAT_BAIK,
        (_S, _B): Predikat.KURANG,
        (_S, _S): Predikat.BAIK,
        (_S, _A): Predikat.BAIK,
        (_B, _B): Predikat.SANGAT_KURANG,
        (_B, _S): Predikat.BUTUH_PERBAIKAN,
        (_B, _A): Predikat.BUTUH_PERBAIKAN,
    }
)


@dataclass(frozen=True)
class PredikatResult:
    """The predikat that follows from the two ratings, with its explanation."""

    hasil: Rating
    perilaku: Rating
    predikat: Predikat
    explanation: str


def predikat_for(hasil: Rating, perilaku: Rating) -> PredikatResult:
    """Predikat Kinerja Pegawai from the kuadran kinerja (PermenPANRB 6/2022,
    docs/spec/regulation.md §3)."""
    hasil, perilaku = Rating(hasil), Rating(perilaku)
    predikat = KUADRAN[(hasil, perilaku)]
    explanation = (
        f"Hasil kerja {hasil.label} dan perilaku kerja {perilaku.label} → {predikat.label}"
    )
    return PredikatResult(hasil, perilaku, predikat, explanation)


# --- §3 Capaian and the suggested Rating Hasil Kerja --------------------------------------

CAPAIAN_CAP = Decimal("200")
"""Upper bound of a capaian (percent). A zero denominator (target 0 on a higher-is-better
indicator, or realisasi 0 on a lower-is-better one) means "better than any finite result"
and yields this value, so every capaian is capped here to keep the order consistent."""


def _inverted(direction: Direction, aspek: Aspek | None = None) -> bool:
    """Whether the capaian is target ÷ realisasi: the arah alone decides, for every aspek
    (a Waktu indicator may be "% selesai tepat waktu", higher is better, or "rata-rata hari
    penyelesaian", lower is better; skp_validation refuses a duration that is higher-better)."""
    if aspek is not None:
        Aspek(aspek)
    return Direction(direction) is Direction.LOWER_BETTER


def capaian_formula(direction: Direction) -> str:
    """The capaian formula for an arah, in the words the pages and docs/metode.md use."""
    if _inverted(direction):
        return "Capaian = target ÷ realisasi × 100 % (semakin rendah semakin baik)"
    return "Capaian = realisasi ÷ target × 100 % (semakin tinggi semakin baik)"


def capaian(
    target: Number | None, realisasi: Number | None, direction: Direction, aspek: Aspek
) -> Decimal | None:
    """Capaian in percent, rounded half-up to two decimals (docs/spec/regulation.md §2–§3).

    realisasi ÷ target × 100 when higher is better; target ÷ realisasi × 100 when lower is
    better. The arah decides for every aspek (Kuantitas, Kualitas, Waktu, Biaya): the aspek
    is checked but does not change the formula. None when target or realisasi is missing.
    Zero denominator: 100 if the numerator is zero too (a zero target met exactly),
    otherwise ``CAPAIAN_CAP``. Every result is capped at ``CAPAIAN_CAP``.
    """
    if target is None or realisasi is None:
        return None
    target_f, realisasi_f = exact(target, "target"), exact(realisasi, "realisasi")
    if target_f < 0 or realisasi_f < 0:
        raise ValueError("target dan realisasi tidak boleh negatif")
    if _inverted(direction, aspek):
        numerator, denominator = target_f, realisasi_f
    else:
        numerator, denominator = realisasi_f, target_f
    cap = Fraction(CAPAIAN_CAP)
    if denominator == 0:
        value = Fraction(100) if numerator == 0 else cap
    else:
        value = min(numerator / denominator * 100, cap)
    return round_half_up(value, 2)


@dataclass(frozen=True)
class RatingBands:
    """Capaian bands and the Utama share that turn indicators into a suggested rating."""

    di_atas: Decimal = Decimal("110")
    sesuai: Decimal = Decimal("100")
    utama_below_max: Fraction = Fraction(1, 3)
    """Largest share of rated Utama indicators that may be below for Sesuai ("a small part")."""

    def __post_init__(self) -> None:
        if not exact(self.sesuai) <= exact(self.di_atas):
            raise ValueError("batas Sesuai tidak boleh lebih besar dari batas Di Atas")
        if not 0 <= exact(self.utama_below_max) <= 1:
            raise ValueError("bagian Utama di bawah ekspektasi harus antara 0 dan 1")


def classify_capaian(capaian: Number, bands: RatingBands = RatingBands()) -> Rating:
    """Rating of one indicator: ≥ di_atas Di Atas, ≥ sesuai Sesuai, else Di Bawah (§3)."""
    value = exact(capaian, "capaian")
    if value >= exact(bands.di_atas):
        return Rating.DIATAS_EKSPEKTASI
    if value >= exact(bands.sesuai):
        return Rating.SESUAI_EKSPEKTASI
    return Rating.DIBAWAH_EKSPEKTASI


@dataclass(frozen=True)
class IndicatorInput:
    """One indikator kinerja individu with its target and realisation (docs/spec/regulation.md
    §2)."""

    rhk_kind: RhkKind
    label: str
    target: Number | None = None
    realisasi: Number | None = None
    direction: Direction = Direction.HIGHER_BETTER
    aspek: Aspek = Aspek.KUANTITAS
    qualitative_rating: Rating | None = None
    """For a kualitatif indicator: the supervisor's judgement; it takes precedence."""


@dataclass(frozen=True)
class IndicatorAssessment:
    """How one indicator entered the suggestion."""

    rhk_kind: RhkKind
    label: str
    capaian: Decimal | None
    rating: Rating | None
    reason: str


@dataclass(frozen=True)
class SuggestionCounts:
    """Counts behind a suggestion; ``rated`` excludes indicators without realisation."""

    total: int
    rated: int
    above: int
    meets: int
    below: int
    utama_rated: int
    utama_below: int


@dataclass(frozen=True)
class Suggestion:
    """A suggested Rating Hasil Kerja with one Indonesian reason per indicator and a verdict."""

    rating: Rating | None
    reasons: list[str]
    counts: SuggestionCounts
    items: list[IndicatorAssessment]


def _assess(indicator: IndicatorInput, bands: RatingBands) -> IndicatorAssessment:
    kind = RhkKind(indicator.rhk_kind)
    head = f"{kind.label} · {indicator.label}"
    if indicator.qualitative_rating is not None:
        rating = Rating(indicator.qualitative_rating)
        reason = f"{head}: dinilai secara kualitatif → {rating.label}"
        return IndicatorAssessment(kind, indicator.label, None, rating, reason)
    value = capaian(indicator.target, indicator.realisasi, indicator.direction, indicator.aspek)
    if value is None:
        reason = f"{head}: belum ada target atau realisasi, tidak dihitung"
        return IndicatorAssessment(kind, indicator.label, None, None, reason)
    rating = classify_capaian(value, bands)
    note = (
        " (semakin rendah semakin baik)" if _inverted(indicator.direction, indicator.aspek) else ""
    )
    reason = (
        f"{head}: target {format_number(indicator.target, None)}, realisasi "
        f"{format_number(indicator.realisasi, None)}{note}, capaian {format_number(value)} % "
        f"→ {rating.label}"
    )
    return IndicatorAssessment(kind, indicator.label, value, rating, reason)


def suggest_hasil_rating(
    indicators: Iterable[IndicatorInput], bands: RatingBands = RatingBands()
) -> Suggestion:
    """Suggested Rating Hasil Kerja from the indicators (docs/spec/regulation.md §3 guidance).

    Only indicators with a rating count (capaian classified by ``bands``, or the
    qualitative rating). With n such indicators, checked in this order:
    1. more than half below → Di Bawah;
    2. more than half above and no Utama indicator below → Di Atas;
    3. more than ``bands.utama_below_max`` (default 1/3) of the rated Utama indicators
       below → Di Bawah, because Sesuai allows "at most a small part of main results below"
       and Di Atas is already excluded;
    4. otherwise → Sesuai (so exactly half below, with few Utama below, is Sesuai).
    No rated indicator → rating None. The supervisor decides; this is only a suggestion.
    """
    items = [_assess(indicator, bands) for indicator in indicators]
    rated = [item for item in items if item.rating is not None]
    tally = Counter(item.rating for item in rated)
    utama = [item for item in rated if item.rhk_kind is RhkKind.UTAMA]
    utama_below = sum(1 for item in utama if item.rating is _B)
    counts = SuggestionCounts(
        total=len(items),
        rated=len(rated),
        above=tally[_A],
        meets=tally[_S],
        below=tally[_B],
        utama_rated=len(utama),
        utama_below=utama_below,
    )
    reasons = [item.reason for item in items]
    n = len(rated)
    if n == 0:
        reasons.append("Belum ada indikator yang dapat dinilai, jadi belum ada saran rating.")
        return Suggestion(None, reasons, counts, items)

    summary = (
        f"Dari {n} indikator yang dinilai: {counts.above} di atas, {counts.meets} sesuai, "
        f"{counts.below} di bawah ekspektasi; {utama_below} dari {len(utama)} indikator "
        "Utama di bawah ekspektasi."
    )
    small_part = format_number(exact(bands.utama_below_max) * 100)
    utama_share = Fraction(utama_below, len(utama)) if utama else Fraction(0)
    if counts.below * 2 > n:
        rating, why = _B, "Lebih dari separuh hasil di bawah ekspektasi"
    elif counts.above * 2 > n and utama_below == 0:
        rating = _A
        why = "Lebih dari separuh hasil di atas ekspektasi dan tidak ada hasil Utama di bawah"
    elif utama_share > exact(bands.utama_below_max):
        rating = _B
        why = f"Lebih dari {small_part} % hasil Utama di bawah ekspektasi"
    else:
        rating = _S
        why = (
            f"Tidak lebih dari separuh hasil di bawah ekspektasi dan paling banyak "
            f"{small_part} % hasil Utama di bawah ekspektasi"
        )
        if counts.above * 2 > n:
            why += " (ada hasil Utama di bawah ekspektasi, jadi bukan Di Atas)"
    reasons.append(f"{summary} {why} → saran: {rating.label}. Pejabat Penilai yang memutuskan.")
    return Suggestion(rating, reasons, counts, items)
