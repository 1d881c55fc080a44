"""Distribution pattern of the organisation predikat and its check (docs/spec/regulation.md §4).

The pattern is data (``DEFAULT_PATTERN``); ``pattern_to_json``/``pattern_from_json`` store
the configurable versions that calibration checks against.
"""

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from kinerja.enums import OrgPredikat, Predikat
from kinerja.formatting import format_number, round_half_up
from kinerja.scoring.exact import exact, percent_of

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
        if self.percent is not None and not 0 <= exact(self.percent, "persen") <= 100:
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
    return f"{format_number(percent_of(count, n))} % ({count} dari {n} pegawai)"


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
                broken = percent_of(count, n) > exact(rule.percent)
            case RuleKind.AT_LEAST:
                broken = percent_of(count, n) < exact(rule.percent)
            case RuleKind.AT_LEAST_ONE:
                broken = count == 0
            case RuleKind.NONE_OF:
                broken = count > 0
        if broken:
            actual = round_half_up(percent_of(count, n))
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
