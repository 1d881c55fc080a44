"""Pure scoring rules, one module per regulation: the map of the rules.

Plain values in, plain values out (enums, dataclasses, ``Decimal``, ``Fraction``); no
database and no web layer. Figures compared with a threshold are computed exactly
(``Fraction``) and rounded once, half-up, where the docstring says so; binary floats are
refused everywhere (``exact``), because a float cannot hold 76,605 exactly
(docs/spec/regulation.md §7). docs/metode.md explains every rule in plain Indonesian.

- ``predikat_capaian``: kuadran kinerja → predikat, capaian of an indicator, the suggested
  Rating Hasil Kerja (docs/spec/regulation.md §3).
- ``distribution``: the distribution pattern of the organisation predikat, its check and
  its JSON form for calibration (docs/spec/regulation.md §4).
- ``kredit``: angka kredit from jenjang, predikat and months (docs/spec/regulation.md §5).
- ``skm``: IKM (NRR, konversi, mutu), quick index of the four faces, Krejcie–Morgan sample
  size (docs/spec/regulation.md §7). Public and internal figures both call these.
- ``service``: service standards, the working-day calendar, durations and service figures
  (docs/spec/product.md §4).
- ``exact``: the exact-number helpers the others share.

This package re-exports the public names, so ``from kinerja.scoring import ikm`` works
whichever module holds the rule.
"""

from kinerja.scoring.distribution import (
    DEFAULT_PATTERN,
    PATTERN_FORMAT_VERSION,
    Breach,
    DistributionRule,
    RuleKind,
    check_distribution,
    pattern_from_data,
    pattern_from_json,
    pattern_to_data,
    pattern_to_json,
)
from kinerja.scoring.exact import Number
from kinerja.scoring.kredit import ANGKA_KREDIT_PLACES, KOEFISIEN, PREDIKAT_SHARE, angka_kredit
from kinerja.scoring.predikat_capaian import (
    CAPAIAN_CAP,
    KUADRAN,
    IndicatorAssessment,
    IndicatorInput,
    PredikatResult,
    RatingBands,
    Suggestion,
    SuggestionCounts,
    capaian,
    capaian_formula,
    classify_capaian,
    predikat_for,
    suggest_hasil_rating,
)
from kinerja.scoring.service import (
    WIB,
    RequestRecord,
    ServiceFigures,
    ServiceStandard,
    StandardUnit,
    WorkCalendar,
    duration_minutes,
    nearest_rank,
    request_duration,
    service_figures,
    working_days_between,
)
from kinerja.scoring.skm import (
    GOOD_MUTU,
    KM_CHI_SQUARE,
    KM_MARGIN,
    KM_PROPORTION,
    KONVERSI_FACTOR,
    MUTU_BANDS,
    UNSUR_WEIGHT,
    IkmResult,
    ShownIkm,
    ikm,
    ikm_konversi,
    krejcie_morgan,
    mutu_chart_lines,
    mutu_for_konversi,
    nrr_from_sums,
    quick_index,
    quick_index_from_sum,
    sample_sufficient,
    shown_ikm,
)

METHOD_VERSION = "1.1"
"""Version of the public method (docs/metode.md names it); raise it when a rule changes."""

__all__ = [
    "ANGKA_KREDIT_PLACES",
    "CAPAIAN_CAP",
    "DEFAULT_PATTERN",
    "GOOD_MUTU",
    "KM_CHI_SQUARE",
    "KM_MARGIN",
    "KM_PROPORTION",
    "KOEFISIEN",
    "KONVERSI_FACTOR",
    "KUADRAN",
    "METHOD_VERSION",
    "MUTU_BANDS",
    "PATTERN_FORMAT_VERSION",
    "PREDIKAT_SHARE",
    "UNSUR_WEIGHT",
    "WIB",
    "Breach",
    "DistributionRule",
    "IkmResult",
    "IndicatorAssessment",
    "IndicatorInput",
    "Number",
    "PredikatResult",
    "RatingBands",
    "RequestRecord",
    "RuleKind",
    "ServiceFigures",
    "ServiceStandard",
    "ShownIkm",
    "StandardUnit",
    "Suggestion",
    "SuggestionCounts",
    "WorkCalendar",
    "angka_kredit",
    "capaian",
    "capaian_formula",
    "check_distribution",
    "classify_capaian",
    "duration_minutes",
    "ikm",
    "ikm_konversi",
    "krejcie_morgan",
    "mutu_chart_lines",
    "mutu_for_konversi",
    "nearest_rank",
    "nrr_from_sums",
    "pattern_from_data",
    "pattern_from_json",
    "pattern_to_data",
    "pattern_to_json",
    "predikat_for",
    "quick_index",
    "quick_index_from_sum",
    "request_duration",
    "sample_sufficient",
    "service_figures",
    "shown_ikm",
    "suggest_hasil_rating",
    "working_days_between",
]
