"""The anonymous pulse of trust (issue 23 part 2): staff answer a short survey once per
open period; unit heads and BKPSDM read per-unit results of closed periods.

Anonymity, as for 360 feedback (:mod:`kinerja.services.evaluation_feedback`):

- Who answered (:class:`PulseParticipation`, for "one answer per person and period") and
  the answers (:class:`PulseAnswer`: period, the respondent's unit, question, score,
  comment; random key, no time) are written in one transaction and share nothing else.
- Results of a period exist only once the period is closed (``DITUTUP``): no answer can be
  added after that, so two reads of the results never differ by one answer.
- A unit's figures appear only from :data:`PULSE_MIN_ANSWERS` respondents. Smaller units
  fold into their parent (:func:`kinerja.anonymise.rollup_units`), and every figure covers
  a disjoint set of units, so no figure minus another isolates a small group; a root that
  stays too small shows nothing. This is enforced here, before data reaches a template.
- The audit log records that someone answered a period's pulse, never what or from which
  unit (an answer row has no time, so the entry's time dates no answer row).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from peewee import IntegrityError, fn

from kinerja.anonymise import UnitCount, rollup_units
from kinerja.db import write_tx
from kinerja.enums import PULSE_SCALE, PULSE_VERSION, PeriodKind, PeriodStatus, PulseQuestion
from kinerja.formatting import round_half_up
from kinerja.models.org import Unit
from kinerja.models.period import Period
from kinerja.models.pulse import PulseAnswer, PulseParticipation
from kinerja.permissions import Actor
from kinerja.permissions import pulse as perm
from kinerja.services import audit

PULSE_MIN_ANSWERS = 5
"""Fewest respondents of a unit (with what folds into it) for its pulse figures to show."""

MAX_COMMENT = 1000
TREND_PERIODS = 8
"""How many closed periods the trend shows, newest last."""

MSG_TWICE = (
    "Anda sudah mengisi survei denyut kepercayaan untuk periode ini. "
    "Setiap pegawai mengisi satu kali per periode, dan jawaban tidak dapat diubah."
)
MSG_CLOSED = "Survei denyut kepercayaan tidak sedang dibuka (tidak ada periode yang berjalan)."


class PulseError(Exception):
    """A pulse answer that cannot be stored; the message is shown to the person."""


class Forbidden(Exception):
    """The actor may not see pulse results."""


# --- answering -----------------------------------------------------------------------------


def open_pulse_period() -> Period | None:
    """The period whose pulse is open: the latest open periodic (not annual) period."""
    return (
        Period.select()
        .where((Period.status == PeriodStatus.DIBUKA) & (Period.kind != PeriodKind.TAHUNAN))
        .order_by(Period.start.desc(), Period.id.desc())
        .first()
    )


def has_answered(actor: Actor, period: Period) -> bool:
    """Whether the actor already answered ``period``'s pulse."""
    return (
        PulseParticipation.select()
        .where(
            (PulseParticipation.period == period.id)
            & (PulseParticipation.employee == actor.employee_id)
        )
        .exists()
    )


def clean_answer(scores: dict[str, str], comment: str) -> tuple[dict[PulseQuestion, int], str]:
    """Validate a submission: a score 1–5 for every question, a comment within bounds."""
    errors = []
    clean = {}
    for question in PulseQuestion:
        raw = (scores.get(question.value) or "").strip()
        if raw not in {str(k) for k in PULSE_SCALE}:
            errors.append(f"Pilih jawaban untuk pernyataan: {question.label}")
            continue
        clean[question] = int(raw)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors.append(f"Komentar paling banyak {MAX_COMMENT} karakter.")
    if errors:
        raise PulseError(" ".join(errors))
    return clean, comment


def answer(actor: Actor, scores: dict[str, str], comment: str = "") -> Period:
    """Store the actor's pulse answer for the open period; refuse a second one.

    The participation row and the answer rows are written in one transaction; the answer
    rows carry the actor's unit and nothing else about them. The comment is stored once,
    on the first question's row.
    """
    clean, comment = clean_answer(scores, comment)
    with write_tx():
        period = open_pulse_period()
        if period is None:
            raise PulseError(MSG_CLOSED)
        if has_answered(actor, period):
            raise PulseError(MSG_TWICE)
        try:
            with PulseParticipation._meta.database.atomic():
                PulseParticipation.create(period=period.id, employee=actor.employee_id)
        except IntegrityError:
            raise PulseError(MSG_TWICE) from None
        first = next(iter(PulseQuestion))
        PulseAnswer.insert_many(
            [
                {
                    "period": period.id,
                    "unit": actor.employee.unit_id,
                    "version": PULSE_VERSION,
                    "question": question.value,
                    "score": score,
                    "comment": comment if question is first else "",
                }
                for question, score in clean.items()
            ]
        ).execute()
        audit.record(
            "pulse.answered",
            actor=actor.account,
            object_type="period",
            object_id=period.id,
        )
    return period


def pending_period(actor: Actor) -> Period | None:
    """The open pulse period while the actor has not answered it (None otherwise), in one
    query. The survey is voluntary: the home page shows it as a card, not as a task."""
    answered = fn.EXISTS(
        PulseParticipation.select(PulseParticipation.id).where(
            (PulseParticipation.period == Period.id)
            & (PulseParticipation.employee == actor.employee_id)
        )
    )
    period = (
        Period.select(Period, answered.alias("answered"))
        .where((Period.status == PeriodStatus.DIBUKA) & (Period.kind != PeriodKind.TAHUNAN))
        .order_by(Period.start.desc(), Period.id.desc())
        .first()
    )
    return period if period is not None and not period.answered else None


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionFigure:
    """One question's figures in one published group."""

    question: PulseQuestion
    mean: Decimal
    distribution: dict[int, int]


@dataclass
class GroupResult:
    """The published figures of one unit (with the small sub-units folded into it)."""

    unit: Unit
    folded: list[Unit]
    n: int
    questions: list[QuestionFigure]
    comments: list[str]


@dataclass
class PeriodResult:
    """One closed period: the groups the viewer may see."""

    period: Period
    groups: list[GroupResult]


@dataclass
class TrendRow:
    """A unit's mean per question across the trend's periods (None: nothing published)."""

    unit: Unit
    cells: dict[int, dict[PulseQuestion, Decimal | None]] = field(default_factory=dict)


@dataclass
class PulseResults:
    """Everything the results page shows."""

    periods: list[Period]
    latest: PeriodResult | None
    trend: list[TrendRow]


def closed_pulse_periods(limit: int = TREND_PERIODS) -> list[Period]:
    """The latest closed periodic periods, oldest first (only their results exist)."""
    newest = list(
        Period.select()
        .where((Period.status == PeriodStatus.DITUTUP) & (Period.kind != PeriodKind.TAHUNAN))
        .order_by(Period.start.desc(), Period.id.desc())
        .limit(limit)
    )
    return list(reversed(newest))


def _period_groups(period: Period, units: list[Unit]) -> dict[int, tuple[frozenset, int]]:
    """Published groups of a closed period over the whole unit tree: root unit id → (the
    unit ids it covers, respondents). Empty for a period that is not closed."""
    if period.status != PeriodStatus.DITUTUP:
        return {}
    first = next(iter(PulseQuestion))
    counts = dict(
        PulseAnswer.select(PulseAnswer.unit, fn.COUNT(PulseAnswer.id))
        .where((PulseAnswer.period == period.id) & (PulseAnswer.question == first.value))
        .group_by(PulseAnswer.unit)
        .tuples()
    )
    known = {u.id for u in units}
    rollup = rollup_units(
        [
            UnitCount(u.id, u.parent_id if u.parent_id in known else None, counts.get(u.id, 0))
            for u in units
        ],
        PULSE_MIN_ANSWERS,
    )
    return {root: (covers, rollup.n[root]) for root, covers in rollup.covers.items()}


def _group_figures(period: Period, covers: frozenset) -> tuple[list[QuestionFigure], list[str]]:
    """Per-question mean and distribution, and the comments, of one published group."""
    rows = (
        PulseAnswer.select(PulseAnswer.question, PulseAnswer.score, fn.COUNT(PulseAnswer.id))
        .where((PulseAnswer.period == period.id) & PulseAnswer.unit.in_(list(covers)))
        .group_by(PulseAnswer.question, PulseAnswer.score)
        .tuples()
    )
    dist: dict[str, dict[int, int]] = defaultdict(lambda: dict.fromkeys(PULSE_SCALE, 0))
    for question, score, count in rows:
        dist[question][score] = count
    figures = []
    for question in PulseQuestion:
        cells = dist.get(question.value)
        total = sum(cells.values()) if cells else 0
        if not total:
            continue
        mean = Fraction(sum(s * c for s, c in cells.items()), total)
        figures.append(QuestionFigure(question, round_half_up(mean, 2), dict(cells)))
    comments = sorted(
        c
        for (c,) in PulseAnswer.select(PulseAnswer.comment)
        .where(
            (PulseAnswer.period == period.id)
            & PulseAnswer.unit.in_(list(covers))
            & (PulseAnswer.comment != "")
        )
        .tuples()
    )
    return figures, comments


def results(actor: Actor, period_id: int | None = None) -> PulseResults:
    """The pulse results the actor may see: one closed period's groups (default the latest)
    and the trend of the published means over the recent closed periods.

    Only groups of at least :data:`PULSE_MIN_ANSWERS` respondents, rooted in a unit the
    actor may read (:func:`kinerja.permissions.pulse.visible_unit_ids`), are returned.
    """
    if not perm.can_see_results(actor):
        raise Forbidden("Hasil survei denyut kepercayaan hanya untuk kepala unit dan BKPSDM.")
    visible = perm.visible_unit_ids(actor)
    units = list(Unit.select().order_by(Unit.id))
    by_id = {u.id: u for u in units}
    periods = closed_pulse_periods()
    chosen = next((p for p in periods if p.id == period_id), periods[-1] if periods else None)
    latest = None
    trend: dict[int, TrendRow] = {}
    for period in periods:
        groups = {
            root: value
            for root, value in _period_groups(period, units).items()
            if visible is None or root in visible
        }
        shown = []
        for root, (covers, n) in sorted(groups.items(), key=lambda g: by_id[g[0]].name):
            figures, comments = _group_figures(period, covers)
            row = trend.setdefault(root, TrendRow(by_id[root]))
            row.cells[period.id] = {f.question: f.mean for f in figures}
            if period is chosen:
                folded = sorted((by_id[u] for u in covers if u != root), key=lambda u: u.name)
                shown.append(GroupResult(by_id[root], folded, n, figures, comments))
        if period is chosen:
            latest = PeriodResult(period, shown)
    rows = sorted(trend.values(), key=lambda r: r.unit.name)
    return PulseResults(periods=periods, latest=latest, trend=rows)


def scale_labels() -> dict[int, str]:
    """The answer scale with its labels (for the form and the distribution table)."""
    return dict(PULSE_SCALE)
