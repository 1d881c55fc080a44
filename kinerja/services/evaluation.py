"""Evaluation use cases: creation per period, self-assessment, rating, predikat,
calibration, finalisation, acknowledgement, annual result (docs/spec/regulation.md §3–§5,
docs/spec/product.md §2 "Evaluation").

360 feedback lives in :mod:`kinerja.services.evaluation_feedback`, the keberatan in
:mod:`kinerja.services.objection`, development plans and recognition in
:mod:`kinerja.services.followup`. Every use case runs in one ``write_tx()`` and audits its
change. A locked evaluation (FINAL and after) is changed by nothing but the objection
decision.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from peewee import IntegrityError, fn

from kinerja import org, settings
from kinerja.anonymise import Thresholds
from kinerja.clock import today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import (
    Berakhlak,
    EvaluationStatus,
    JenisJabatan,
    OrgPredikat,
    PeriodKind,
    PeriodStatus,
    Predikat,
    Rating,
    RhkKind,
    SkpApproach,
    SkpStatus,
)
from kinerja.formatting import format_date, format_number, round_half_up
from kinerja.models.evaluation import (
    DistributionPatternVersion,
    Evaluation,
    FeedbackRequest,
    IndicatorRating,
    OrgPredikatAssignment,
    SelfAssessmentRhk,
    SelfAssessmentValue,
)
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.queries.tasks import Glance, Task
from kinerja.scoring import (
    DEFAULT_PATTERN,
    Breach,
    IndicatorInput,
    RatingBands,
    RuleKind,
    Suggestion,
    angka_kredit,
    capaian,
    check_distribution,
    pattern_from_json,
    pattern_to_json,
    predikat_for,
    suggest_hasil_rating,
)
from kinerja.services import audit, notifications

S = EvaluationStatus
EDITABLE = frozenset({S.TERBUKA, S.PENILAIAN_DIRI, S.DINILAI})
LOCKED = frozenset({S.FINAL, S.DITERIMA, S.KEBERATAN, S.DIPUTUS})
MAX_TEXT = 4000

ORG_TO_HASIL: dict[OrgPredikat, Rating] = {
    OrgPredikat.ISTIMEWA: Rating.DIATAS_EKSPEKTASI,
    OrgPredikat.BAIK: Rating.SESUAI_EKSPEKTASI,
    OrgPredikat.BUTUH_PERBAIKAN: Rating.DIBAWAH_EKSPEKTASI,
    OrgPredikat.KURANG: Rating.DIBAWAH_EKSPEKTASI,
    OrgPredikat.SANGAT_KURANG: Rating.DIBAWAH_EKSPEKTASI,
}
"""Rating Hasil Kerja of a unit head from the unit's Predikat Kinerja Organisasi
(SE MenPANRB No. 3 Tahun 2023, docs/spec/regulation.md §3): Istimewa → Di Atas Ekspektasi,
Baik → Sesuai Ekspektasi, Butuh Perbaikan/Kurang/Sangat Kurang → Di Bawah Ekspektasi."""


class EvaluationError(Exception):
    """A use case refused, with an Indonesian message for the person."""


class PatternInvalid(EvaluationError):
    """The distribution pattern form does not validate: a message per field (rule code)
    and messages about the whole pattern of one organisation predikat."""

    def __init__(self, errors: dict[str, str], general: list[str]):
        super().__init__("Pola distribusi belum disimpan; periksa isian yang ditandai.")
        self.errors = errors
        self.general = general


class Forbidden(EvaluationError):
    """The actor may not do this."""


def _who(actor):
    """The account for the audit log, from an Actor or an Account (or None: system)."""
    return getattr(actor, "account", actor)


def _text(value: str | None, what: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise EvaluationError(f"{what} wajib diisi.")
    if len(text) > MAX_TEXT:
        raise EvaluationError(f"{what} paling banyak {MAX_TEXT} karakter.")
    return text


def _rating(value, what: str) -> Rating:
    try:
        return Rating(value)
    except ValueError:
        raise EvaluationError(f"Pilih {what}.") from None


def _snapshot(ev: Evaluation) -> dict:
    return {
        "status": ev.status,
        "hasil_rating": ev.hasil_rating,
        "perilaku_rating": ev.perilaku_rating,
        "predikat": ev.predikat,
    }


def _reload(ev: Evaluation) -> Evaluation:
    return Evaluation.get_by_id(ev.id)


MSG_LOCKED = "Evaluasi ini sudah final dan terkunci; perubahan hanya melalui putusan keberatan."
MSG_NOT_RATED = "Evaluasi belum dinilai; beri kedua rating terlebih dahulu."


def feedback_round_closed(ev: Evaluation) -> bool:
    """Whether the 360 round is closed: closed explicitly, or the evaluation is locked."""
    return ev.feedback_closed_on is not None or S(ev.status) in LOCKED


def close_feedback_round(ev: Evaluation, actor_account) -> bool:
    """Close ``ev``'s 360 round inside the caller's transaction (idempotent); audited once,
    as counts only: who answered is not listed and no answer is dated (SECURITY.md "360
    anonymity"). Returns whether it was open."""
    if ev.feedback_closed_on is not None:
        return False
    ev.feedback_closed_on = today_wib()
    Evaluation.update(feedback_closed_on=ev.feedback_closed_on).where(
        Evaluation.id == ev.id
    ).execute()
    asked = FeedbackRequest.select().where(FeedbackRequest.evaluation == ev.id)
    audit.record(
        "umpan_balik_360.ditutup",
        actor=actor_account,
        object_type="evaluation",
        object_id=ev.id,
        after={
            "diminta": asked.count(),
            "dijawab": asked.where(FeedbackRequest.answered).count(),
        },
    )
    return True


def require_editable(ev: Evaluation) -> None:
    """Refuse any change to a locked (final) evaluation."""
    if S(ev.status) in LOCKED:
        raise EvaluationError(MSG_LOCKED)


# --- settings frozen per period -------------------------------------------------------------


def thresholds_for(period: Period) -> Thresholds:
    """360 disclosure thresholds frozen when the period opened (docs/spec/product.md §3)."""
    values = settings.for_period(period)
    return Thresholds(
        feedback_scores_min=int(values["feedback_scores_min"]),
        feedback_comments_min=int(values["feedback_comments_min"]),
    )


def bands_for(period: Period) -> RatingBands:
    """Capaian bands for the suggested Rating Hasil Kerja, frozen with the period."""
    values = settings.for_period(period)
    return RatingBands(
        di_atas=Decimal(str(values["rating_band_above"])),
        sesuai=Decimal(str(values["rating_band_meets"])),
    )


# --- creation -------------------------------------------------------------------------------


def create_evaluations_for_period(period: Period, actor=None) -> int:
    """Create the evaluation of every active employee with an approved SKP of the period's
    year (idempotent); return how many were created. Called by
    ``kinerja.services.periods.open_period`` (``actor``: Actor, Account or None)."""
    with write_tx():
        existing = {
            e.employee_id
            for e in Evaluation.select(Evaluation.employee).where(Evaluation.period == period.id)
        }
        skps = list(
            Skp.select(Skp, Employee)
            .join(Employee, on=(Skp.employee == Employee.id))
            .where(
                (Skp.year == period.year) & (Skp.status == SkpStatus.DISETUJUI) & Employee.active
            )
        )
        now = utcnow()
        rows = [
            {
                "employee": skp.employee_id,
                "period": period.id,
                "skp": skp.id,
                "unit": skp.employee.unit_id,
                "status": S.TERBUKA.value,
                "created_at": now,
                "updated_at": now,
            }
            for skp in skps
            if skp.employee_id not in existing
        ]
        for start in range(0, len(rows), 100):
            Evaluation.insert_many(rows[start : start + 100]).execute()
        if rows:
            audit.record(
                "evaluasi.dibuat",
                actor=_who(actor),
                object_type="period",
                object_id=period.id,
                after={"created": len(rows)},
            )
    return len(rows)


# --- indicators, suggestion ----------------------------------------------------------------


@dataclass
class IndicatorRow:
    """One indicator as the rating page shows it."""

    indicator: Indicator
    rhk: Rhk
    qualitative: bool
    realisation: Realisation | None
    capaian: Decimal | None
    rating: Rating | None
    reason: str


@dataclass
class RatingBasis:
    """Everything the Pejabat Penilai sees next to the rating form."""

    rows: list[IndicatorRow]
    suggestion: Suggestion
    rhks: list[Rhk]


def _realisations(ev: Evaluation, indicator_ids: list[int]) -> dict[int, Realisation]:
    if not indicator_ids:
        return {}
    query = (
        Realisation.select(Realisation, Period)
        .join(Period)
        .where(Realisation.indicator.in_(indicator_ids) & (Period.year == ev.period.year))
        .order_by(Period.end)
    )
    result: dict[int, Realisation] = {}
    for real in query:
        if real.period_id == ev.period_id:
            result[real.indicator_id] = real
        elif (
            ev.period.is_annual
            and real.period.end <= ev.period.end
            and (
                result.get(real.indicator_id) is None
                or result[real.indicator_id].period_id != ev.period_id
            )
        ):
            # Annual evaluation without its own realisation: the latest periodic one.
            result[real.indicator_id] = real
    return result


def rhks_of(ev: Evaluation) -> list[Rhk]:
    """The RHK of the evaluation's SKP, Utama first."""
    if ev.skp_id is None:
        return []
    return sorted(
        Rhk.select().where(Rhk.skp == ev.skp_id),
        key=lambda r: (r.kind != RhkKind.UTAMA, r.position, r.id),
    )


def rating_basis(ev: Evaluation) -> RatingBasis:
    """Indicators with target, realisation, capaian and the suggested Rating Hasil Kerja."""
    rhks = rhks_of(ev)
    by_rhk = {r.id: r for r in rhks}
    indicators = list(
        Indicator.select()
        .where(Indicator.rhk.in_(list(by_rhk) or [0]))
        .order_by(Indicator.rhk, Indicator.position, Indicator.id)
    )
    indicators.sort(key=lambda i: (rhks.index(by_rhk[i.rhk_id]), i.position, i.id))
    reals = _realisations(ev, [i.id for i in indicators])
    judged = {
        r.indicator_id: Rating(r.rating)
        for r in IndicatorRating.select().where(IndicatorRating.evaluation == ev.id)
    }
    kualitatif_skp = ev.skp_id is not None and ev.skp.approach == SkpApproach.KUALITATIF
    inputs = []
    for ind in indicators:
        real = reals.get(ind.id)
        qualitative = kualitatif_skp or ind.target_value is None
        inputs.append(
            IndicatorInput(
                rhk_kind=RhkKind(by_rhk[ind.rhk_id].kind),
                label=ind.text,
                target=None if qualitative else ind.target_value,
                realisasi=None if (qualitative or real is None) else real.value,
                direction=ind.direction,
                aspek=ind.aspek,
                qualitative_rating=judged.get(ind.id) if qualitative else None,
            )
        )
    suggestion = suggest_hasil_rating(inputs, bands_for(ev.period))
    rows = []
    for ind, item in zip(indicators, suggestion.items, strict=True):
        qualitative = kualitatif_skp or ind.target_value is None
        rows.append(
            IndicatorRow(
                indicator=ind,
                rhk=by_rhk[ind.rhk_id],
                qualitative=qualitative,
                realisation=reals.get(ind.id),
                capaian=item.capaian,
                rating=item.rating,
                reason=item.reason,
            )
        )
    return RatingBasis(rows=rows, suggestion=suggestion, rhks=rhks)


def indicator_capaian(indicator: Indicator, value) -> Decimal | None:
    """Capaian of one indicator (for display)."""
    if indicator.target_value is None or value is None:
        return None
    return capaian(indicator.target_value, value, indicator.direction, indicator.aspek)


# --- self-assessment -----------------------------------------------------------------------


def save_self_assessment(
    actor: Actor,
    ev: Evaluation,
    rhk_items: dict[int, tuple[str, str]],
    value_items: dict[str, tuple[str, str]],
) -> Evaluation:
    """Store the employee's own rating + narrative per RHK and per BerAKHLAK value
    (docs/spec/product.md §2); allowed until the Pejabat Penilai rates."""
    if not perm.is_owner(actor, ev):
        raise Forbidden("Hanya pegawai yang dinilai yang mengisi penilaian diri.")
    with write_tx():
        ev = _reload(ev)
        require_editable(ev)
        if S(ev.status) is S.DINILAI:
            raise EvaluationError("Pejabat Penilai sudah menilai; penilaian diri ditutup.")
        rhk_ids = {r.id for r in rhks_of(ev)}
        errors = []
        clean_rhk, clean_values = {}, {}
        for rhk_id in rhk_ids:
            rating, narrative = rhk_items.get(rhk_id, ("", ""))
            try:
                clean_rhk[rhk_id] = (
                    _rating(rating, "rating untuk setiap RHK"),
                    _text(narrative, "Narasi RHK", required=False),
                )
            except EvaluationError as exc:
                errors.append(str(exc))
        for value in Berakhlak:
            rating, narrative = value_items.get(value.value, ("", ""))
            try:
                clean_values[value] = (
                    _rating(rating, f"rating {value.label}"),
                    _text(narrative, f"Narasi {value.label}", required=False),
                )
            except EvaluationError as exc:
                errors.append(str(exc))
        if errors:
            raise EvaluationError(" ".join(dict.fromkeys(errors)))
        now = utcnow()
        SelfAssessmentRhk.delete().where(SelfAssessmentRhk.evaluation == ev.id).execute()
        SelfAssessmentValue.delete().where(SelfAssessmentValue.evaluation == ev.id).execute()
        SelfAssessmentRhk.insert_many(
            [
                {"evaluation": ev.id, "rhk": k, "rating": r, "narrative": n, "updated_at": now}
                for k, (r, n) in clean_rhk.items()
            ]
        ).execute() if clean_rhk else None
        SelfAssessmentValue.insert_many(
            [
                {"evaluation": ev.id, "value": v, "rating": r, "narrative": n, "updated_at": now}
                for v, (r, n) in clean_values.items()
            ]
        ).execute()
        before = _snapshot(ev)
        ev.status = S.PENILAIAN_DIRI
        ev.self_assessed_at = now
        ev.updated_at = now
        ev.save()
        audit.record(
            "evaluasi.penilaian_diri",
            actor=actor.account,
            object_type="evaluation",
            object_id=ev.id,
            before=before,
            after={
                "status": ev.status,
                "rhk": {str(k): r for k, (r, _) in clean_rhk.items()},
                "nilai": {v.value: r for v, (r, _) in clean_values.items()},
            },
        )
    return ev


def self_assessment(ev: Evaluation) -> tuple[dict[int, SelfAssessmentRhk], dict]:
    """The stored self-assessment: by RHK id, and by Berakhlak value."""
    rhk = {
        s.rhk_id: s for s in SelfAssessmentRhk.select().where(SelfAssessmentRhk.evaluation == ev.id)
    }
    values = {
        Berakhlak(s.value): s
        for s in SelfAssessmentValue.select().where(SelfAssessmentValue.evaluation == ev.id)
    }
    return rhk, values


# --- rating ---------------------------------------------------------------------------------


def is_unit_head(ev: Evaluation) -> bool:
    """Whether the rated person heads the unit of the evaluation."""
    return org.unit_head_id(ev.unit_id) == ev.employee_id


def org_predikat_of(unit_id: int, period: Period) -> OrgPredikatAssignment | None:
    """The organisation predikat of a unit for a period, if set."""
    return OrgPredikatAssignment.get_or_none(
        (OrgPredikatAssignment.unit == unit_id) & (OrgPredikatAssignment.period == period.id)
    )


def unit_head_hasil(ev: Evaluation) -> tuple[Rating, str]:
    """A unit head's Rating Hasil Kerja from the organisation predikat, with the reason."""
    assignment = org_predikat_of(ev.unit_id, ev.period)
    if assignment is None:
        raise EvaluationError(
            "Predikat Kinerja Organisasi unit ini untuk periode ini belum ditetapkan; "
            "sebagai kepala unit, Rating Hasil Kerja mengikuti predikat tersebut."
        )
    org_p = OrgPredikat(assignment.predikat)
    rating = ORG_TO_HASIL[org_p]
    reason = (
        f"Kepala unit: Predikat Kinerja Organisasi {org_p.label} → Rating Hasil Kerja "
        f"{rating.label} (SE MenPANRB 3/2023)."
    )
    return rating, reason


def rate(
    actor: Actor,
    ev: Evaluation,
    hasil: str | None,
    hasil_reason: str,
    perilaku: str | None,
    perilaku_reason: str,
    indicator_ratings: dict[int, str] | None = None,
) -> Evaluation:
    """Set Rating Hasil Kerja and Rating Perilaku Kerja with a reason each; the predikat
    follows from the kuadran (docs/spec/regulation.md §3). Only the Pejabat Penilai rates."""
    if not perm.can_rate(actor, ev):
        raise Forbidden("Hanya Pejabat Penilai pegawai ini yang dapat memberi rating.")
    with write_tx():
        ev = _reload(ev)
        require_editable(ev)
        errors = []
        head = is_unit_head(ev)
        head_reason = ""
        try:
            if head:
                hasil_value, head_reason = unit_head_hasil(ev)
            else:
                hasil_value = _rating(hasil, "Rating Hasil Kerja")
        except EvaluationError as exc:
            errors.append(str(exc))
        try:
            hasil_text = _text(hasil_reason, "Alasan Rating Hasil Kerja", required=not head)
        except EvaluationError as exc:
            errors.append(str(exc))
        try:
            perilaku_value = _rating(perilaku, "Rating Perilaku Kerja")
        except EvaluationError as exc:
            errors.append(str(exc))
        try:
            perilaku_text = _text(perilaku_reason, "Alasan Rating Perilaku Kerja")
        except EvaluationError as exc:
            errors.append(str(exc))
        judged = {}
        if indicator_ratings:
            allowed = {row.indicator.id for row in rating_basis(ev).rows if row.qualitative}
            for ind_id, value in indicator_ratings.items():
                if not value:
                    continue
                if ind_id not in allowed:
                    errors.append("Indikator kualitatif tidak dikenal.")
                    continue
                try:
                    judged[ind_id] = _rating(value, "rating indikator")
                except EvaluationError as exc:
                    errors.append(str(exc))
        if errors:
            raise EvaluationError(" ".join(dict.fromkeys(errors)))
        now = utcnow()
        for ind_id, value in judged.items():
            (
                IndicatorRating.insert(
                    evaluation=ev.id,
                    indicator=ind_id,
                    rating=value,
                    rated_by=actor.employee_id,
                    rated_at=now,
                )
                .on_conflict(
                    conflict_target=[IndicatorRating.evaluation, IndicatorRating.indicator],
                    update={
                        IndicatorRating.rating: value,
                        IndicatorRating.rated_by: actor.employee_id,
                        IndicatorRating.rated_at: now,
                    },
                )
                .execute()
            )
        before = _snapshot(ev)
        result = predikat_for(hasil_value, perilaku_value)
        ev.hasil_rating = hasil_value
        ev.hasil_reason = f"{head_reason} {hasil_text}".strip() if head else hasil_text
        ev.perilaku_rating = perilaku_value
        ev.perilaku_reason = perilaku_text
        ev.predikat = result.predikat
        ev.predikat_explanation = result.explanation
        ev.is_unit_head_rating = head
        ev.rated_by = actor.employee_id
        ev.rated_at = now
        ev.status = S.DINILAI
        ev.updated_at = now
        ev.save()
        audit.record(
            "evaluasi.dinilai",
            actor=actor.account,
            object_type="evaluation",
            object_id=ev.id,
            before=before,
            after={
                **_snapshot(ev),
                "hasil_reason": ev.hasil_reason,
                "perilaku_reason": ev.perilaku_reason,
                "indikator": {str(k): v for k, v in judged.items()},
            },
        )
    return ev


# --- calibration ---------------------------------------------------------------------------


def active_pattern() -> tuple[DistributionPatternVersion | None, dict]:
    """The active distribution pattern version and its rules (default if none stored)."""
    row = (
        DistributionPatternVersion.select()
        .where(DistributionPatternVersion.active)
        .order_by(DistributionPatternVersion.version.desc())
        .first()
    )
    if row is None:
        return None, DEFAULT_PATTERN
    return row, pattern_from_json(row.json)


def save_pattern(actor: Actor, text: str, note: str = "") -> DistributionPatternVersion:
    """Store a new pattern version from JSON and make it the active one (admin)."""
    if not perm.can_set_org_predikat(actor):
        raise Forbidden("Hanya admin yang dapat mengubah pola distribusi.")
    try:
        pattern = pattern_from_json(text)
    except ValueError as exc:
        raise EvaluationError(f"Pola distribusi tidak valid: {exc}") from None
    missing = [o.label for o in OrgPredikat if o not in pattern]
    if missing:
        raise EvaluationError("Pola distribusi harus memuat aturan untuk: " + ", ".join(missing))
    return _store_pattern(actor, pattern, note)


def pattern_percent_label(org: OrgPredikat, rule) -> str:
    """The label of a rule's percent field: "Istimewa: Sangat Baik paling banyak (%)"."""
    names = " + ".join(p.label for p in rule.predikat)
    bound = "paling banyak" if rule.kind == RuleKind.AT_MOST else "paling sedikit"
    return f"{org.label}: {names} {bound} (%)"


def _percent_input(raw: str | None) -> tuple[Decimal | None, str]:
    text = (raw or "").strip().replace(" ", "").removesuffix("%")
    if not text:
        return None, "Wajib diisi (0 sampai 100)."
    if text.count(",") + text.count(".") > 1:
        return None, "Tulis angka dengan satu koma desimal, mis. 70 atau 12,5."
    try:
        value = Decimal(text.replace(",", "."))
    except ArithmeticError:
        return None, "Isi dengan angka, mis. 70 atau 12,5."
    if not value.is_finite() or not 0 <= value <= 100:
        return None, "Harus antara 0 dan 100."
    if value != value.quantize(Decimal("0.01")):
        return None, "Paling banyak dua angka di belakang koma."
    return value.normalize() if value == value.to_integral() else value, ""


def save_pattern_percents(
    actor: Actor, values: dict[str, str], note: str = ""
) -> DistributionPatternVersion:
    """A new pattern version from the form: one percent per AT_MOST/AT_LEAST rule of the
    active pattern (the other rules stay). Checked per organisation predikat: every
    percent 0–100, the minimums together at most 100 %, a predikat's minimum not above
    its maximum, and the group that must be largest allowed at least 20 % (one fifth)."""
    if not perm.can_set_org_predikat(actor):
        raise Forbidden("Hanya admin yang dapat mengubah pola distribusi.")
    _, current = active_pattern()
    errors: dict[str, str] = {}
    general: list[str] = []
    pattern: dict = {}
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for org_predikat, rules in current.items():
        new_rules = []
        for rule in rules:
            if rule.percent is None:
                new_rules.append(rule)
                continue
            value, problem = _percent_input(values.get(rule.code))
            if problem:
                errors[rule.code] = problem
                new_rules.append(rule)
                continue
            label = pattern_percent_label(org_predikat, rule).removesuffix(" (%)")
            before[label] = f"{format_number(rule.percent, None)} %"
            after[label] = f"{format_number(value, None)} %"
            new_rules.append(replace(rule, percent=value))
        pattern[org_predikat] = new_rules
        if errors:
            continue
        minimums = [r for r in new_rules if r.kind == RuleKind.AT_LEAST]
        total = sum((r.percent for r in minimums), Decimal(0))
        if total > 100:
            general.append(
                f"{org_predikat.label}: batas paling sedikit berjumlah "
                f"{format_number(total, None)} %, lebih dari 100 %."
            )
        for low in minimums:
            for high in new_rules:
                if (
                    high.kind == RuleKind.AT_MOST
                    and high.predikat == low.predikat
                    and low.percent > high.percent
                ):
                    general.append(
                        f"{org_predikat.label}: {low.describe()} tetapi {high.describe()}."
                    )
        largest = [r for r in new_rules if r.kind == RuleKind.LARGEST]
        for big in largest:
            for high in new_rules:
                if (
                    high.kind == RuleKind.AT_MOST
                    and high.predikat == big.predikat
                    and high.percent * len(Predikat) < 100
                ):
                    general.append(
                        f"{org_predikat.label}: {big.predikat[0].label} harus menjadi "
                        f"kelompok terbesar, jadi batas paling banyaknya tidak boleh di bawah "
                        f"{format_number(Decimal(100) / len(Predikat), None)} %."
                    )
            for low in minimums:
                if low.predikat != big.predikat and len(low.predikat) == 1 and low.percent > 50:
                    general.append(
                        f"{org_predikat.label}: {low.describe()} tidak dapat berlaku bersama "
                        f"aturan {big.predikat[0].label} sebagai kelompok terbesar."
                    )
    if errors or general:
        raise PatternInvalid(errors, general)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    return _store_pattern(
        actor,
        pattern,
        note,
        before={k: before[k] for k in changed},
        after=changed,
    )


def _store_pattern(
    actor: Actor, pattern: dict, note: str, before: dict | None = None, after: dict | None = None
) -> DistributionPatternVersion:
    """Store ``pattern`` as the new active version, audited, in one transaction."""
    with write_tx():
        last = DistributionPatternVersion.select(
            fn.MAX(DistributionPatternVersion.version)
        ).scalar()
        DistributionPatternVersion.update(active=False).execute()
        row = DistributionPatternVersion.create(
            version=(last or 0) + 1,
            json=pattern_to_json(pattern),
            note=_text(note, "Catatan", required=False),
            created_by=actor.employee_id,
            active=True,
        )
        audit.record(
            "pola_distribusi.disimpan",
            actor=actor.account,
            object_type="distribution_pattern",
            object_id=row.version,
            before=before or None,
            after={"version": row.version, "note": row.note, **(after or {})},
        )
    return row


def set_org_predikat(
    actor: Actor | None, unit: Unit, period: Period, predikat: str, note: str = ""
) -> OrgPredikatAssignment:
    """Set a unit's Predikat Kinerja Organisasi for a period (admin; docs/spec/regulation.md §4)."""
    if actor is not None and not perm.can_set_org_predikat(actor):
        raise Forbidden("Hanya admin yang dapat menetapkan predikat organisasi.")
    try:
        value = OrgPredikat(predikat)
    except ValueError:
        raise EvaluationError("Pilih Predikat Kinerja Organisasi.") from None
    note = _text(note, "Catatan", required=False)
    with write_tx():
        row = org_predikat_of(unit.id, period)
        before = {"predikat": row.predikat} if row else None
        if row is None:
            try:
                row = OrgPredikatAssignment.create(
                    unit=unit.id,
                    period=period.id,
                    predikat=value,
                    set_by=actor.employee_id if actor else None,
                    note=note,
                )
            except IntegrityError:
                raise EvaluationError(
                    "Predikat organisasi baru saja ditetapkan; muat ulang."
                ) from None
        else:
            row.predikat = value
            row.set_by = actor.employee_id if actor else None
            row.set_at = utcnow()
            row.note = note
            row.save()
        audit.record(
            "predikat_organisasi.ditetapkan",
            actor=_who(actor),
            object_type="unit",
            object_id=unit.id,
            before=before,
            after={"period": period.id, "predikat": value, "note": note},
        )
    return row


@dataclass
class BreachView:
    """A breach with the evaluations it concerns."""

    breach: Breach
    concerned: list[Evaluation]
    hint: str


@dataclass
class Calibration:
    """A unit's proposed predikat distribution against its organisation predikat."""

    unit: Unit
    period: Period
    org_predikat: OrgPredikat | None
    pattern_version: int | None
    rules: list = field(default_factory=list)
    rated: list[Evaluation] = field(default_factory=list)
    unrated: list[Evaluation] = field(default_factory=list)
    counts: dict[Predikat, int] = field(default_factory=dict)
    breaches: list[BreachView] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Evaluations of the unit in the period (rated or not)."""
        return len(self.rated) + len(self.unrated)

    @property
    def complete(self) -> bool:
        """Every evaluation of the unit in the period has a predikat: only then is the
        distribution judged (breaches named, or "sesuai pola")."""
        return bool(self.rated) and not self.unrated

    def chart(self) -> list["ChartRow"]:
        """The distribution against the pattern: one row per predikat (share of the rated
        employees) with the bounds of the rules on that predikat alone, then one row per
        percent rule on several predikat together."""
        n = len(self.rated)
        rows = []
        for p in Predikat:
            bounds = [_bound(r) for r in self.rules if r.predikat == (p,) and _bound(r)]
            rows.append(ChartRow(p.label, self.counts[p], _share(self.counts[p], n), bounds))
        for rule in self.rules:
            if len(rule.predikat) > 1 and _bound(rule):
                count = sum(self.counts[p] for p in rule.predikat)
                label = " + ".join(p.label for p in rule.predikat)
                rows.append(ChartRow(label, count, _share(count, n), [_bound(rule)]))
        return rows


@dataclass
class ChartRow:
    """One bar of the calibration chart: a predikat (or a group) and its share in percent
    of the rated employees, with the pattern's bounds as (kind, percent)."""

    label: str
    count: int
    percent: Decimal
    bounds: list[tuple[str, Decimal]]


def _share(count: int, n: int) -> Decimal:
    """``count`` of ``n`` in percent, half-up to two decimals; whole numbers without them."""
    value = round_half_up(Decimal(count) * 100 / n) if n else Decimal(0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _bound(rule) -> tuple[str, Decimal] | None:
    """A rule's bound for the chart: ("maks"/"min", percent); NONE_OF is "maks" 0 %."""
    if rule.kind is RuleKind.AT_MOST:
        return "paling banyak", Decimal(rule.percent)
    if rule.kind is RuleKind.AT_LEAST:
        return "paling sedikit", Decimal(rule.percent)
    if rule.kind is RuleKind.NONE_OF:
        return "paling banyak", Decimal(0)
    return None


def unit_evaluations(unit: Unit, period: Period) -> list[Evaluation]:
    """Evaluations of the unit and the units below it, without the unit's own head (whose
    hasil rating comes from this unit's organisation predikat)."""
    head = org.unit_head(unit.id)
    units = org.descendant_unit_ids(unit.id)
    query = (
        Evaluation.select(Evaluation, Employee)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(Evaluation.unit.in_(list(units)) & (Evaluation.period == period.id))
        .order_by(Employee.name)
    )
    return [e for e in query if head is None or e.employee_id != head.id]


def calibration(unit: Unit, period: Period) -> Calibration:
    """The calibration view of a unit (docs/spec/regulation.md §4): every breach named, with the
    evaluations concerned, once the unit is complete (every evaluation rated); before
    that, nothing is judged. Nothing is changed."""
    assignment = org_predikat_of(unit.id, period)
    version, pattern = active_pattern()
    evaluations = unit_evaluations(unit, period)
    rated = [e for e in evaluations if e.predikat]
    view = Calibration(
        unit=unit,
        period=period,
        org_predikat=OrgPredikat(assignment.predikat) if assignment else None,
        pattern_version=version.version if version else None,
        rated=rated,
        unrated=[e for e in evaluations if not e.predikat],
        counts={p: 0 for p in Predikat} | Counter(Predikat(e.predikat) for e in rated),
    )
    if view.org_predikat is None:
        return view
    rules = {rule.code: rule for rule in pattern.get(view.org_predikat, [])}
    view.rules = list(rules.values())
    if not view.complete:
        return view  # judged only once every evaluation of the unit is rated
    for breach in check_distribution(view.org_predikat, [e.predikat for e in rated], pattern):
        rule = rules[breach.code]
        inside = [e for e in rated if Predikat(e.predikat) in rule.predikat]
        outside = [e for e in rated if Predikat(e.predikat) not in rule.predikat]
        if rule.kind in (RuleKind.AT_MOST, RuleKind.NONE_OF):
            concerned, hint = inside, "Pegawai dengan predikat yang melebihi batas"
        elif rule.kind is RuleKind.LARGEST:
            larger = {p for p in Predikat if view.counts[p] > breach.count}
            concerned = [e for e in rated if Predikat(e.predikat) in larger]
            hint = "Pegawai pada kelompok yang lebih besar"
        else:
            concerned, hint = outside, "Pegawai yang predikatnya perlu ditinjau kembali"
        view.breaches.append(BreachView(breach, concerned, hint))
    return view


def calibration_units(actor: Actor) -> list[Unit]:
    """Units whose calibration the actor may open (heads and the chain above; all for
    admins and auditors)."""
    units = list(Unit.select().where(Unit.active).order_by(Unit.code))
    return perm.overseen_units(actor, units)


# --- finalise, acknowledge -----------------------------------------------------------------


def months_in_period(period: Period) -> int:
    """Whole calendar months the period covers, at most 12 (docs/spec/regulation.md §5)."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    return max(0, min(12, months))


def annual_angka_kredit(ev: Evaluation) -> Decimal | None:
    """Angka kredit of an annual evaluation for a functional position, else None."""
    employee = ev.employee
    if (
        not ev.period.is_annual
        or not ev.predikat
        or employee.jenis_jabatan != JenisJabatan.FUNGSIONAL
        or not employee.jenjang
    ):
        return None
    return angka_kredit(employee.jenjang, ev.predikat, months_in_period(ev.period))


def objection_window(period) -> tuple[int, date]:
    """The objection window that finalising today starts: its length in days (the period's
    frozen setting) and its last day (WIB)."""
    days = int(settings.for_period(period)["objection_days"])
    return days, today_wib() + timedelta(days=days)


def too_early(ev: Evaluation) -> bool:
    """Whether the evaluation's period has not ended yet (today is its last day or before)."""
    return today_wib() <= ev.period.end


def msg_too_early(period: Period) -> str:
    """The refusal of finalising before the period ends, with the exception it allows."""
    return (
        f"{period.name} baru berakhir pada {format_date(period.end)}; evaluasi dapat "
        f"difinalisasi mulai {format_date(period.end + timedelta(days=1))}. Sebelum itu "
        "hanya dengan alasan tertulis (misalnya pegawai pindah, pensiun, atau berhenti), "
        "yang dicatat dalam jejak audit."
    )


def finalise_refusal(ev: Evaluation, early_reason: str | None = None) -> str | None:
    """Why ``ev`` cannot be finalised now (locked, not rated yet, or its period has not
    ended and no reason is given), or None."""
    if S(ev.status) in LOCKED:
        return MSG_LOCKED
    if S(ev.status) is not S.DINILAI or not ev.predikat:
        return MSG_NOT_RATED
    if too_early(ev) and not (early_reason or "").strip():
        return msg_too_early(ev.period)
    return None


def finalise(actor: Actor, ev: Evaluation, early_reason: str | None = None) -> Evaluation:
    """Lock the rated evaluation, record who and when, start the objection window.

    Before the period ends this is refused unless ``early_reason`` says why (a transfer,
    retirement...); the reason is kept in the audit event."""
    if not perm.can_rate(actor, ev):
        raise Forbidden("Hanya Pejabat Penilai yang dapat memfinalisasi evaluasi.")
    with write_tx():
        ev = _reload(ev)
        refusal = finalise_refusal(ev, early_reason)
        if refusal:
            raise EvaluationError(refusal)
        early = too_early(ev)
        reason = _text(early_reason, "Alasan", required=False) if early else ""
        _, deadline = objection_window(ev.period)
        before = _snapshot(ev)
        now = utcnow()
        ev.status = S.FINAL
        ev.finalised_by = actor.employee_id
        ev.finalised_at = now
        ev.objection_deadline = deadline
        ev.angka_kredit = annual_angka_kredit(ev)
        ev.updated_at = now
        ev.save()
        close_feedback_round(ev, actor.account)
        audit.record(
            "evaluasi.difinalisasi",
            actor=actor.account,
            object_type="evaluation",
            object_id=ev.id,
            before=before,
            after={
                **_snapshot(ev),
                "objection_deadline": ev.objection_deadline,
                **({"early_reason": reason, "period_end": ev.period.end} if early else {}),
            },
        )
        notifications.results_ready(ev)
    return ev


def acknowledge(actor: Actor, ev: Evaluation) -> Evaluation:
    """The employee acknowledges receipt of the final result (a recorded act)."""
    if not perm.is_owner(actor, ev):
        raise Forbidden("Hanya pegawai yang dinilai yang dapat menerima hasil evaluasi.")
    with write_tx():
        ev = _reload(ev)
        if S(ev.status) is not S.FINAL:
            raise EvaluationError("Hanya hasil evaluasi yang final yang dapat diterima.")
        before = _snapshot(ev)
        ev.status = S.DITERIMA
        ev.acknowledged_at = utcnow()
        ev.updated_at = ev.acknowledged_at
        ev.save()
        audit.record(
            "evaluasi.diterima",
            actor=actor.account,
            object_type="evaluation",
            object_id=ev.id,
            before=before,
            after=_snapshot(ev),
        )
    return ev


# --- queries ---------------------------------------------------------------------------------


def evaluations_of(employee_id: int) -> list[Evaluation]:
    """An employee's evaluations, newest period first."""
    return list(
        Evaluation.select(Evaluation, Period)
        .join(Period)
        .where(Evaluation.employee == employee_id)
        .order_by(Period.year.desc(), Period.end.desc())
    )


def team_evaluations(actor: Actor, period: Period) -> list[Evaluation]:
    """Evaluations in ``period`` of the people the actor rates today."""
    if not actor.supervised:
        return []
    return list(
        Evaluation.select(Evaluation, Employee, Period)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period, on=(Evaluation.period == Period.id))
        .where((Evaluation.period == period.id) & Evaluation.employee.in_(list(actor.supervised)))
        .order_by(Employee.name)
    )


def is_late(ev: Evaluation, today: date | None = None) -> bool:
    """Whether the evaluation is behind its period's deadlines."""
    today = today or today_wib()
    period = ev.period
    status = S(ev.status)
    deadline = period.self_assessment_deadline
    if status is S.TERBUKA and deadline and today > deadline:
        return True
    if status in (S.TERBUKA, S.PENILAIAN_DIRI, S.DINILAI) and period.rating_deadline:
        return today > period.rating_deadline
    return False


def periods_with_evaluations() -> list[Period]:
    """Periods that have evaluations, newest first."""
    return list(
        Period.select()
        .where(Period.id.in_(Evaluation.select(Evaluation.period).distinct()))
        .order_by(Period.year.desc(), Period.end.desc())
    )


def default_period() -> Period | None:
    """The current period among those with evaluations: the one containing today, else
    the latest that has started (``periods.current_period``); never a future one."""
    from kinerja.services.periods import current_period

    return current_period(periods_with_evaluations())


@dataclass
class AnnualResult:
    """The annual predikat, angka kredit and the year's periodic predikat."""

    predikat: Predikat | None
    angka_kredit: Decimal | None
    months: int
    periodic: list[Evaluation]


def annual_result(ev: Evaluation) -> AnnualResult | None:
    """For an annual evaluation: predikat, angka kredit (fungsional) and the periodic ones."""
    if not ev.period.is_annual:
        return None
    periodic = list(
        Evaluation.select(Evaluation, Period)
        .join(Period)
        .where(
            (Evaluation.employee == ev.employee_id)
            & (Period.year == ev.period.year)
            & (Period.kind != PeriodKind.TAHUNAN)
        )
        .order_by(Period.start)
    )
    return AnnualResult(
        predikat=Predikat(ev.predikat) if ev.predikat else None,
        angka_kredit=ev.angka_kredit if ev.angka_kredit is not None else annual_angka_kredit(ev),
        months=months_in_period(ev.period),
        periodic=periodic,
    )


# --- tasks ---------------------------------------------------------------------------------


def task_provider(actor: Actor, glance: Glance | None = None) -> list[Task]:
    """Self-assessment due, results to answer, ratings and finalisations due; with
    ``glance``, also the state of the actor's current evaluation (no extra query)."""
    tasks: list[Task] = []
    # One query, only the columns the tasks need: the actor's own evaluations (all of them
    # for the glance, else those that can make a task) and, for a supervisor, those of the
    # people rated in an open period.
    wanted = Evaluation.employee == actor.employee_id
    if glance is None:
        wanted &= Evaluation.status.in_([S.TERBUKA.value, S.FINAL.value])
    if actor.supervised:
        wanted |= (
            Evaluation.employee.in_(list(actor.supervised))
            & Evaluation.status.in_([S.TERBUKA.value, S.PENILAIAN_DIRI.value, S.DINILAI.value])
            & (Period.status == PeriodStatus.DIBUKA)
        )
    rows = (
        Evaluation.select(
            Evaluation.id,
            Evaluation.employee,
            Evaluation.status,
            Evaluation.objection_deadline,
            Evaluation.predikat,
            Period.id,
            Period.name,
            Period.status,
            Period.self_assessment_deadline,
            Period.rating_deadline,
        )
        .join(Period)
        .where(wanted)
        .order_by(Evaluation.id)
        .tuples()
    )
    today = actor.day
    to_rate: dict[int, list[tuple]] = {}
    to_finalise: dict[int, list[tuple]] = {}
    current = None  # the actor's evaluation in an open period, else the latest
    for ev_id, employee_id, status, objection_deadline, predikat, *period in rows:
        period_id, period_name, period_status, self_deadline, rating_deadline = period
        if employee_id != actor.employee_id:
            target = to_finalise if S(status) is S.DINILAI else to_rate
            target.setdefault(period_id, []).append(period)
            continue
        if current is None or period_status == PeriodStatus.DIBUKA or not current["open"]:
            deadline = {
                S.TERBUKA: self_deadline,
                S.PENILAIAN_DIRI: rating_deadline,
                S.DINILAI: rating_deadline,
                S.FINAL: objection_deadline,
            }.get(S(status))
            current = {
                "id": ev_id,
                "period": period_name,
                "open": period_status == PeriodStatus.DIBUKA,
                "status": S(status),
                "predikat": Predikat(predikat) if predikat else None,
                "deadline": deadline,
                "late": bool(deadline and today > deadline and S(status) is S.TERBUKA),
            }
        if S(status) not in (S.TERBUKA, S.FINAL):
            continue
        if S(status) is S.TERBUKA and period_status == PeriodStatus.DIBUKA:
            tasks.append(
                Task(
                    f"Isi penilaian diri {period_name}",
                    "staff.evaluation_self",
                    {"evaluation_id": ev_id},
                    deadline=self_deadline,
                    late=bool(self_deadline and today > self_deadline),
                    area="evaluasi",
                )
            )
        elif S(status) is S.FINAL and objection_deadline and today <= objection_deadline:
            tasks.append(
                Task(
                    f"Tanggapi hasil evaluasi {period_name}",
                    "staff.evaluation_detail",
                    {"evaluation_id": ev_id},
                    deadline=objection_deadline,
                    area="evaluasi",
                )
            )
    for bucket, title in ((to_rate, "Nilai kinerja"), (to_finalise, "Finalisasi evaluasi")):
        for period_id, periods in bucket.items():
            _, period_name, _, _, deadline = periods[0]
            tasks.append(
                Task(
                    f"{title} bawahan {period_name}",
                    "supervisor.evaluations",
                    {"period_id": period_id},
                    count=len(periods),
                    deadline=deadline,
                    late=bool(deadline and today > deadline),
                    area="evaluasi",
                )
            )
    if glance is not None:
        glance.evaluation = current
    return tasks
