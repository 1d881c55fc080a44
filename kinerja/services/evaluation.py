"""Evaluation use cases: creation per period, self-assessment, rating, predikat,
finalisation, acknowledgement (docs/spec/regulation.md §3–§5, docs/spec/product.md §2
"Evaluation"). The rating basis and the unit-head rule stay here because rating uses them
(moved out, they make an import cycle): hence about 650 lines.

Calibration lives in :mod:`kinerja.services.calibration`, the read models (lists, annual
result, tasks) in :mod:`kinerja.queries.evaluation`, 360 feedback in
:mod:`kinerja.services.evaluation_feedback`, the keberatan in
:mod:`kinerja.services.objection`, development plans and recognition in
:mod:`kinerja.services.followup`. Every use case runs in one ``write_tx()`` and audits its
change. A locked evaluation (FINAL and after) is changed by nothing but the objection
decision.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kinerja import settings
from kinerja.anonymise import Thresholds
from kinerja.clock import today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import (
    LOCKED,
    Berakhlak,
    EvaluationStatus,
    OrgPredikat,
    Rating,
    RhkKind,
    SkpApproach,
    SkpStatus,
)
from kinerja.formatting import format_date
from kinerja.models.evaluation import (
    Evaluation,
    FeedbackRequest,
    IndicatorRating,
    SelfAssessmentRhk,
    SelfAssessmentValue,
)
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.queries.evaluation import (
    annual_angka_kredit,
    is_unit_head,
    org_predikat_of,
    rhks_of,
)
from kinerja.scoring import (
    IndicatorInput,
    RatingBands,
    Suggestion,
    predikat_for,
    suggest_hasil_rating,
)
from kinerja.services import audit, notifications
from kinerja.statements import statement

S = EvaluationStatus
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


@statement
def _indicators(skp_id):
    # The SKP's approach with each indicator: a kualitatif SKP makes every indicator
    # qualitative.
    return (
        Indicator.select(Indicator, Skp.approach.alias("skp_approach"))
        .join(Rhk, on=(Indicator.rhk == Rhk.id))
        .join(Skp, on=(Rhk.skp == Skp.id))
        .where(Rhk.skp == skp_id)
        .order_by(Indicator.rhk, Indicator.position, Indicator.id)
        .objects()
    )


@statement
def _year_realisations(skp_id, year):
    # The columns the rating pages show (value, narrative) and those that pick the row.
    return (
        Realisation.select(
            Realisation.id,
            Realisation.indicator,
            Realisation.period,
            Realisation.value,
            Realisation.narrative,
            Period.id,
            Period.end,
        )
        .join(Period, on=(Realisation.period == Period.id))
        .where(
            Realisation.indicator.in_(
                Indicator.select(Indicator.id)
                .join(Rhk, on=(Indicator.rhk == Rhk.id))
                .where(Rhk.skp == skp_id)
            )
            & (Period.year == year)
        )
        .order_by(Period.end, Realisation.id)
    )


@statement
def _judged(evaluation_id):
    return IndicatorRating.select(IndicatorRating.indicator, IndicatorRating.rating).where(
        IndicatorRating.evaluation == evaluation_id
    )


def _realisations(ev: Evaluation) -> dict[int, Realisation]:
    """The realisation of each indicator of the evaluation's SKP for its period (value and
    narrative only)."""
    result: dict[int, Realisation] = {}
    for real in _year_realisations.cursor(ev.skp_id, ev.period.year):
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


def rating_basis(ev: Evaluation) -> RatingBasis:
    """Indicators with target, realisation, capaian and the suggested Rating Hasil Kerja."""
    rhks = rhks_of(ev)
    by_rhk = {r.id: r for r in rhks}
    indicators = _indicators(ev.skp_id) if ev.skp_id is not None else []
    indicators.sort(key=lambda i: (rhks.index(by_rhk[i.rhk_id]), i.position, i.id))
    reals = _realisations(ev) if indicators else {}
    judged = {r.indicator_id: Rating(r.rating) for r in _judged.cursor(ev.id)}
    inputs = []
    for ind in indicators:
        real = reals.get(ind.id)
        qualitative = ind.skp_approach == SkpApproach.KUALITATIF or ind.target_value is None
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
        qualitative = ind.skp_approach == SkpApproach.KUALITATIF or ind.target_value is None
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


# --- rating ---------------------------------------------------------------------------------


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


@dataclass
class HeadRating:
    """A unit head's Rating Hasil Kerja as the rating page shows it: the rating and its
    reason from the organisation predikat, or why it cannot be derived yet."""

    hasil: tuple[Rating, str] | None
    error: str | None


def head_rating(ev: Evaluation) -> HeadRating | None:
    """For the head of the evaluation's unit, the Rating Hasil Kerja that follows from the
    organisation predikat (``unit_head_hasil``); None for anyone else, whose rating the
    Pejabat Penilai chooses (docs/spec/regulation.md §3)."""
    if not is_unit_head(ev):
        return None
    try:
        return HeadRating(unit_head_hasil(ev), None)
    except EvaluationError as exc:
        return HeadRating(None, str(exc))


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


# --- finalise, acknowledge -----------------------------------------------------------------


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


# --- tasks ---------------------------------------------------------------------------------
