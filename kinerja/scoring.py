"""Pure scoring rules: predikat, capaian, calibration, IKM, service figures, angka kredit.

Plain values in, plain values out (enums, dataclasses, ``Decimal``, ``Fraction``); no
database and no web layer. Figures that are compared with a threshold are computed exactly
(``Fraction``) and rounded once, half-up, where the docstring says so. Binary floats are
refused everywhere, because a float cannot hold 76,605 exactly (docs/spec/regulation.md §7).

Method version: see ``METHOD_VERSION`` and docs/metode.md, which explains every rule here
in plain Indonesian.
"""

import json
import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from kinerja.enums import (
    Aspek,
    Direction,
    Jenjang,
    LabelledEnum,
    Mutu,
    OrgPredikat,
    Predikat,
    Rating,
    RhkKind,
    Unsur,
)
from kinerja.formatting import format_number, round_half_up

METHOD_VERSION = "1.1"

WIB = ZoneInfo("Asia/Jakarta")

Number = Decimal | Fraction | int


# --- Exact numbers and their display -----------------------------------------------------


def _exact(value: Number, what: str = "nilai") -> Fraction:
    """Turn an int, Decimal or Fraction into an exact Fraction; refuse floats and bools."""
    if isinstance(value, bool) or not isinstance(value, Decimal | Fraction | int):
        raise TypeError(f"{what} harus berupa Decimal, Fraction atau bilangan bulat")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} harus berupa bilangan terhingga")
    return Fraction(value)


def _percent(part: int, whole: int) -> Fraction:
    return Fraction(part * 100, whole)


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
    target_f, realisasi_f = _exact(target, "target"), _exact(realisasi, "realisasi")
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
        if not _exact(self.sesuai) <= _exact(self.di_atas):
            raise ValueError("batas Sesuai tidak boleh lebih besar dari batas Di Atas")
        if not 0 <= _exact(self.utama_below_max) <= 1:
            raise ValueError("bagian Utama di bawah ekspektasi harus antara 0 dan 1")


def classify_capaian(capaian: Number, bands: RatingBands = RatingBands()) -> Rating:
    """Rating of one indicator: ≥ di_atas Di Atas, ≥ sesuai Sesuai, else Di Bawah (§3)."""
    value = _exact(capaian, "capaian")
    if value >= _exact(bands.di_atas):
        return Rating.DIATAS_EKSPEKTASI
    if value >= _exact(bands.sesuai):
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
    small_part = format_number(_exact(bands.utama_below_max) * 100)
    utama_share = Fraction(utama_below, len(utama)) if utama else Fraction(0)
    if counts.below * 2 > n:
        rating, why = _B, "Lebih dari separuh hasil di bawah ekspektasi"
    elif counts.above * 2 > n and utama_below == 0:
        rating = _A
        why = "Lebih dari separuh hasil di atas ekspektasi dan tidak ada hasil Utama di bawah"
    elif utama_share > _exact(bands.utama_below_max):
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


# --- §4 Distribution pattern of the organisation predikat ---------------------------------


class RuleKind(StrEnum):
    """Kinds of distribution rule (docs/spec/regulation.md §4)."""

    LARGEST = "LARGEST"  # the one predikat is the largest group (ties allowed)
    AT_MOST = "AT_MOST"  # share of the set ≤ percent
    AT_LEAST = "AT_LEAST"  # share of the set ≥ percent
    AT_LEAST_ONE = "AT_LEAST_ONE"  # at least one employee in the set
    NONE_OF = "NONE_OF"  # no employee in the set


_PERCENT_KINDS = frozenset({RuleKind.AT_MOST, RuleKind.AT_LEAST})


def _names(predikat: Sequence[Predikat], joiner: str) -> str:
    labels = [p.label for p in predikat]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + joiner + labels[-1]


@dataclass(frozen=True)
class DistributionRule:
    """One rule of a distribution pattern; ``percent`` only for AT_MOST and AT_LEAST."""

    code: str
    kind: RuleKind
    predikat: tuple[Predikat, ...]
    percent: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RuleKind(self.kind))
        ordered = tuple(p for p in Predikat if p in {Predikat(q) for q in self.predikat})
        if not self.code or not ordered or len(ordered) != len(self.predikat):
            raise ValueError(f"aturan {self.code!r}: kode dan predikat (tanpa duplikat) wajib")
        object.__setattr__(self, "predikat", ordered)
        if self.kind is RuleKind.LARGEST and len(ordered) != 1:
            raise ValueError(f"aturan {self.code}: kelompok terbesar hanya untuk satu predikat")
        if (self.percent is not None) != (self.kind in _PERCENT_KINDS):
            raise ValueError(f"aturan {self.code}: persen hanya untuk AT_MOST dan AT_LEAST")
        if self.percent is not None and not 0 <= _exact(self.percent, "persen") <= 100:
            raise ValueError(f"aturan {self.code}: persen harus antara 0 dan 100")

    def describe(self) -> str:
        """The rule in Indonesian, e.g. "Sangat Baik paling banyak 70 %"."""
        together = _names(self.predikat, " dan ") + (" bersama-sama" if self.predikat[1:] else "")
        either = _names(self.predikat, " atau ")
        match self.kind:
            case RuleKind.LARGEST:
                return f"{either} harus menjadi kelompok terbesar"
            case RuleKind.AT_MOST:
                return f"{together} paling banyak {format_number(self.percent, None)} %"
            case RuleKind.AT_LEAST:
                return f"{together} paling sedikit {format_number(self.percent, None)} %"
            case RuleKind.AT_LEAST_ONE:
                return f"Paling sedikit satu pegawai {either}"
            case RuleKind.NONE_OF:
                return f"Tidak boleh ada {either}"


def _rule(code: str, kind: RuleKind, *predikat: Predikat, percent: str | None = None):
    return DistributionRule(code, kind, predikat, None if percent is None else Decimal(percent))


_P = Predikat
DEFAULT_PATTERN: dict[OrgPredikat, list[DistributionRule]] = {
    OrgPredikat.ISTIMEWA: [
        _rule("ISTIMEWA.SANGAT_BAIK_TERBESAR", RuleKind.LARGEST, _P.SANGAT_BAIK),
        _rule("ISTIMEWA.SANGAT_BAIK_MAKS", RuleKind.AT_MOST, _P.SANGAT_BAIK, percent="70"),
    ],
    OrgPredikat.BAIK: [
        _rule("BAIK.BAIK_TERBESAR", RuleKind.LARGEST, _P.BAIK),
        _rule("BAIK.BAIK_MAKS", RuleKind.AT_MOST, _P.BAIK, percent="70"),
        _rule("BAIK.ADA_BP_ATAU_KURANG", RuleKind.AT_LEAST_ONE, _P.BUTUH_PERBAIKAN, _P.KURANG),
    ],
    OrgPredikat.BUTUH_PERBAIKAN: [
        _rule("BUTUH_PERBAIKAN.BP_MIN", RuleKind.AT_LEAST, _P.BUTUH_PERBAIKAN, percent="60"),
        _rule("BUTUH_PERBAIKAN.SANGAT_BAIK_MAKS", RuleKind.AT_MOST, _P.SANGAT_BAIK, percent="10"),
    ],
    OrgPredikat.KURANG: [
        _rule("KURANG.KURANG_MIN", RuleKind.AT_LEAST, _P.KURANG, percent="60"),
        _rule("KURANG.BP_MIN", RuleKind.AT_LEAST, _P.BUTUH_PERBAIKAN, percent="10"),
        _rule("KURANG.SANGAT_BAIK_MAKS", RuleKind.AT_MOST, _P.SANGAT_BAIK, percent="10"),
    ],
    OrgPredikat.SANGAT_KURANG: [
        _rule("SANGAT_KURANG.SANGAT_KURANG_MIN", RuleKind.AT_LEAST, _P.SANGAT_KURANG, percent="60"),
        _rule(
            "SANGAT_KURANG.KURANG_BP_MIN",
            RuleKind.AT_LEAST,
            _P.KURANG,
            _P.BUTUH_PERBAIKAN,
            percent="10",
        ),
        _rule("SANGAT_KURANG.TANPA_SANGAT_BAIK", RuleKind.NONE_OF, _P.SANGAT_BAIK),
    ],
}
"""The §4 table (SE MenPANRB 3/2023) as data; configurable via pattern_from_json."""


@dataclass(frozen=True)
class Breach:
    """A rule of the pattern that the proposed predikat break, named in Indonesian."""

    code: str
    message: str
    bound: Decimal | None  # the rule's percent, None for rules without one
    actual: Decimal  # the set's share in percent, rounded half-up to two decimals
    count: int
    n: int


def _share_text(count: int, n: int) -> str:
    return f"{format_number(_percent(count, n))} % ({count} dari {n} pegawai)"


def check_distribution(
    org: OrgPredikat,
    predikat_list: Sequence[Predikat],
    pattern: Mapping[OrgPredikat, Sequence[DistributionRule]] = DEFAULT_PATTERN,
) -> list[Breach]:
    """Every breach of the unit's distribution pattern (docs/spec/regulation.md §4, calibration).

    Shares are compared exactly; an empty unit has no breaches. LARGEST allows ties: the
    predikat must not be smaller than any other group. Nothing is changed, only reported.
    """
    tally = Counter(Predikat(p) for p in predikat_list)
    n = sum(tally.values())
    if n == 0:
        return []
    breaches = []
    for rule in pattern.get(OrgPredikat(org), ()):
        count = sum(tally[p] for p in rule.predikat)
        message = f"{rule.describe()}, saat ini {_share_text(count, n)}"
        match rule.kind:
            case RuleKind.LARGEST:
                larger = [p for p in Predikat if tally[p] > count]
                broken = bool(larger)
                message += ", lebih kecil dari " + "; ".join(
                    f"{p.label} {_share_text(tally[p], n)}" for p in larger
                )
            case RuleKind.AT_MOST:
                broken = _percent(count, n) > _exact(rule.percent)
            case RuleKind.AT_LEAST:
                broken = _percent(count, n) < _exact(rule.percent)
            case RuleKind.AT_LEAST_ONE:
                broken = count == 0
            case RuleKind.NONE_OF:
                broken = count > 0
        if broken:
            actual = round_half_up(_percent(count, n))
            breaches.append(Breach(rule.code, message, rule.percent, actual, count, n))
    return breaches


PATTERN_FORMAT_VERSION = 1


def pattern_to_data(pattern: Mapping[OrgPredikat, Sequence[DistributionRule]]) -> dict:
    """The pattern as JSON-compatible data; percents as strings to stay exact (§4)."""
    return {
        "version": PATTERN_FORMAT_VERSION,
        "pattern": {
            OrgPredikat(org).value: [
                {
                    "code": rule.code,
                    "kind": rule.kind.value,
                    "predikat": [p.value for p in rule.predikat],
                    "percent": None if rule.percent is None else str(rule.percent),
                }
                for rule in rules
            ]
            for org, rules in pattern.items()
        },
    }


def _percent_from_data(raw: Any) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise ValueError(f"persen harus teks atau bilangan bulat, bukan {raw!r}")
    try:
        return Decimal(str(raw).strip().replace(",", "."))
    except ArithmeticError as exc:
        raise ValueError(f"persen tidak valid: {raw!r}") from exc


def pattern_from_data(data: Mapping) -> dict[OrgPredikat, list[DistributionRule]]:
    """Read a pattern written by pattern_to_data; raise ValueError naming the fault (§4)."""
    if data.get("version") != PATTERN_FORMAT_VERSION:
        raise ValueError(f"versi pola tidak dikenal: {data.get('version')!r}")
    pattern: dict[OrgPredikat, list[DistributionRule]] = {}
    codes: set[str] = set()
    for org_code, rules in dict(data.get("pattern", {})).items():
        try:
            org = OrgPredikat(org_code)
            pattern[org] = [
                DistributionRule(
                    code=str(rule["code"]),
                    kind=RuleKind(rule["kind"]),
                    predikat=tuple(Predikat(p) for p in rule["predikat"]),
                    percent=_percent_from_data(rule.get("percent")),
                )
                for rule in rules
            ]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"pola untuk {org_code!r} tidak lengkap: {exc}") from exc
        for rule in pattern[org]:
            if rule.code in codes:
                raise ValueError(f"kode aturan ganda: {rule.code}")
            codes.add(rule.code)
    return pattern


def pattern_to_json(pattern: Mapping[OrgPredikat, Sequence[DistributionRule]]) -> str:
    """The pattern as a JSON text an admin can edit and version (docs/spec/regulation.md §4)."""
    return json.dumps(pattern_to_data(pattern), ensure_ascii=False, indent=2, sort_keys=True)


def pattern_from_json(text: str) -> dict[OrgPredikat, list[DistributionRule]]:
    """Parse a pattern JSON text written by pattern_to_json (docs/spec/regulation.md §4)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"JSON pola tidak valid: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("JSON pola harus berupa objek")
    return pattern_from_data(data)


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
        _exact(KOEFISIEN[Jenjang(jenjang)])
        * _exact(PREDIKAT_SHARE[Predikat(predikat)])
        * Fraction(months, 12)
    )
    return round_half_up(value, ANGKA_KREDIT_PLACES)


# --- §7 Indeks Kepuasan Masyarakat --------------------------------------------------------

UNSUR_WEIGHT = Fraction(1, len(Unsur))  # exactly 1/9; the regulation prints it as 0,111
KONVERSI_FACTOR = 25

MUTU_BANDS: tuple[tuple[Decimal, Mutu], ...] = (
    (Decimal("88.31"), Mutu.A),
    (Decimal("76.61"), Mutu.B),
    (Decimal("65.00"), Mutu.C),
)
"""Lowest converted value (two decimals) of each mutu, best first; below the last is D."""


def mutu_for_konversi(value: Number) -> Mutu:
    """Mutu A–D of a converted IKM, rounded half-up to two decimals first (§7)."""
    rounded = round_half_up(_exact(value, "IKM konversi"), 2)
    for lowest, mutu in MUTU_BANDS:
        if rounded >= lowest:
            return mutu
    return Mutu.D


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
    interval = sum((value * UNSUR_WEIGHT for value in nrr.values()), Fraction(0))
    konversi_exact = interval * KONVERSI_FACTOR
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
    chi2, p, d = _exact(KM_CHI_SQUARE), _exact(KM_PROPORTION), _exact(KM_MARGIN)
    variance = chi2 * p * (1 - p)
    return int(round_half_up(variance * population / (d * d * (population - 1) + variance), 0))


def sample_sufficient(n: int, population: int) -> bool:
    """Whether n responses reach the Krejcie–Morgan sample for the population (§7)."""
    return n >= krejcie_morgan(population)


def quick_index(faces: Iterable[int]) -> Decimal | None:
    """Quick index 0–100 of the four faces (1→0 … 4→100), rounded half-up (docs/spec/product.md
    §5)."""
    values = [_answer(face) for face in faces]
    if not values:
        return None
    mean = Fraction(sum(values), len(values))
    return round_half_up((mean - 1) * Fraction(100, 3), 2)


# --- Service standards (docs/spec/product.md §4) --------------------------------------------------


class StandardUnit(LabelledEnum):
    """Unit of a service standard's completion time."""

    HARI_KERJA = "HARI_KERJA", "hari kerja"
    MENIT = "MENIT", "menit"


@dataclass(frozen=True)
class ServiceStandard:
    """Standard completion time of a jenis layanan, from the unit's Standar Pelayanan."""

    value: int
    unit: StandardUnit

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", StandardUnit(self.unit))
        if isinstance(self.value, bool) or not isinstance(self.value, int) or self.value < 0:
            raise ValueError("standar waktu harus bilangan bulat tidak negatif")


@dataclass(frozen=True)
class WorkCalendar:
    """Working days in WIB: Monday–Friday minus Indonesian public holidays and extra days off.

    Holidays come from the ``holidays`` package (category "public"). ``include_cuti_bersama``
    also takes the library's cuti bersama (category "government"); it is off by default,
    and a city adds its own days off (cuti bersama included, if it closes) as data.
    """

    extra_days_off: frozenset[date] = frozenset()
    include_cuti_bersama: bool = False
    _years: dict[int, Mapping[date, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra_days_off", frozenset(self.extra_days_off))

    def holidays_in(self, year: int) -> Mapping[date, str]:
        """The year's national days off (date → Indonesian name), cached per year."""
        with self._lock:
            if year not in self._years:
                categories = ("public", "government") if self.include_cuti_bersama else "public"
                table = holidays.country_holidays(
                    "ID", years=year, language="id", categories=categories
                )
                self._years[year] = MappingProxyType(dict(table))
            return self._years[year]

    def is_working_day(self, day: date) -> bool:
        """Whether the day is a working day."""
        return (
            day.weekday() < 5
            and day not in self.extra_days_off
            and day not in self.holidays_in(day.year)
        )


def _wib_date(moment: datetime, what: str) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} harus datetime dengan zona waktu (UTC)")
    return moment.astimezone(WIB).date()


def working_days_between(received: datetime, completed: datetime, calendar: WorkCalendar) -> int:
    """Working days after the received day up to and including the completed day (WIB).

    Completed on the day received → 0; received on a non-working day and completed on the
    next working day → 1. Dates are taken in WIB (Asia/Jakarta). docs/spec/product.md §4.
    """
    start, end = _wib_date(received, "waktu terima"), _wib_date(completed, "waktu selesai")
    if completed < received:
        raise ValueError("waktu selesai tidak boleh sebelum waktu terima")
    days = (end - start).days
    return sum(calendar.is_working_day(start + timedelta(days=i)) for i in range(1, days + 1))


def duration_minutes(received: datetime, completed: datetime) -> int:
    """Whole minutes from received to completed, rounded down (docs/spec/product.md §4)."""
    _wib_date(received, "waktu terima")
    _wib_date(completed, "waktu selesai")
    if completed < received:
        raise ValueError("waktu selesai tidak boleh sebelum waktu terima")
    return int((completed - received).total_seconds() // 60)


@dataclass(frozen=True)
class RequestRecord:
    """One service request (permohonan); ``completed`` None while it is still open."""

    received: datetime
    completed: datetime | None
    rework: bool
    standard: ServiceStandard


@dataclass(frozen=True)
class ServiceFigures:
    """Service-standard figures over completed requests (docs/spec/product.md §4).

    ``median`` and ``p90`` are in ``unit``; both None when the completed requests mix
    standards in different units (days and minutes cannot be pooled).
    """

    n_received: int
    n_completed: int
    n_open: int
    n_on_time: int
    on_time_rate: Decimal | None  # percent, two decimals half-up
    unit: StandardUnit | None
    median: int | None
    p90: int | None
    n_rework: int
    rework_rate: Decimal | None  # percent of completed requests, two decimals half-up


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """Nearest-rank percentile, the value at rank ⌈percent/100 × n⌉ (docs/spec/product.md §4)."""
    if not values:
        return None
    if not 0 < percent <= 100:
        raise ValueError("persentil harus di antara 0 (tidak termasuk) dan 100")
    rank = math.ceil(Fraction(percent * len(values), 100))
    return sorted(values)[rank - 1]


def request_duration(record: RequestRecord, calendar: WorkCalendar) -> int | None:
    """A completed request's duration in its standard's unit; None while open (§4)."""
    if record.completed is None:
        return None
    if record.standard.unit is StandardUnit.HARI_KERJA:
        return working_days_between(record.received, record.completed, calendar)
    return duration_minutes(record.received, record.completed)


def service_figures(records: Iterable[RequestRecord], calendar: WorkCalendar) -> ServiceFigures:
    """On-time rate, median and p90 (nearest rank) and rework rate (docs/spec/product.md §4).

    All rates are over completed requests: on time means duration ≤ the request's own
    standard; rework means it was returned for rework at least once. Open requests are
    counted in ``n_open`` only.
    """
    records = list(records)
    done = [(r, request_duration(r, calendar)) for r in records if r.completed is not None]
    n = len(done)
    on_time = sum(1 for record, duration in done if duration <= record.standard.value)
    rework = sum(1 for record, _ in done if record.rework)
    units = {record.standard.unit for record, _ in done}
    unit = units.pop() if len(units) == 1 else None
    durations = [duration for _, duration in done] if unit else []
    return ServiceFigures(
        n_received=len(records),
        n_completed=n,
        n_open=len(records) - n,
        n_on_time=on_time,
        on_time_rate=round_half_up(_percent(on_time, n)) if n else None,
        unit=unit,
        median=nearest_rank(durations, 50),
        p90=nearest_rank(durations, 90),
        n_rework=rework,
        rework_rate=round_half_up(_percent(rework, n)) if n else None,
    )
