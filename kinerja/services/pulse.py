"""The anonymous pulse of trust (issue 23 part 2): staff answer a short survey once per
open period; unit heads and BKPSDM read per-unit results of closed periods.

Anonymity, as for 360 feedback (:mod:`kinerja.services.evaluation_feedback`):

- Who answered (:class:`PulseParticipation`, for "one answer per person and period") and
  the answers (:class:`PulseAnswer`: period, the respondent's unit, question, score,
  comment; random key, no time) are written in one transaction and share nothing else.
- Results of a period exist only once the period is closed (``DITUTUP``): no answer can be
  added after that, so two reads of the results never differ by one answer. Its groups are
  folded over the unit tree frozen at the close (:class:`PulseTree`), so moving a unit
  afterwards cannot make two reads differ either.
- A unit's figures appear only from :data:`PULSE_MIN_ANSWERS` respondents. Smaller units
  fold into their parent (:func:`kinerja.anonymise.rollup_units`), and every figure covers
  a disjoint set of units, so no figure minus another isolates a small group; a root that
  stays too small shows nothing. This is enforced here, before data reaches a template.
- The audit log records that someone answered a period's pulse, never what or from which
  unit (an answer row has no time, so the entry's time dates no answer row).
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from peewee import IntegrityError, fn

from kinerja.anonymise import PULSE_MIN_ANSWERS, UnitCount, rollup_units
from kinerja.db import write_tx
from kinerja.enums import PULSE_SCALE, PULSE_VERSION, PeriodKind, PeriodStatus, PulseQuestion
from kinerja.formatting import round_half_up
from kinerja.models.org import Unit
from kinerja.models.period import Period
from kinerja.models.pulse import PulseAnswer, PulseParticipation, PulseTree
from kinerja.permissions import Actor
from kinerja.permissions import pulse as perm
from kinerja.services import audit
from kinerja.statements import statement

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


@statement
def _open_period_answered(employee_id):
    """The latest open pulse period (its id and name), with whether ``employee_id``
    answered it."""
    answered = fn.EXISTS(
        PulseParticipation.select(PulseParticipation.id).where(
            (PulseParticipation.period == Period.id) & (PulseParticipation.employee == employee_id)
        )
    )
    return (
        Period.select(Period.id, Period.name, answered.alias("answered"))
        .where((Period.status == PeriodStatus.DIBUKA) & (Period.kind != PeriodKind.TAHUNAN))
        .order_by(Period.start.desc(), Period.id.desc())
        .limit(1)
    )


def pending_period(actor: Actor) -> Period | None:
    """The open pulse period (id and name) while the actor has not answered it (None
    otherwise), in one query. The survey is voluntary: the home page shows it as a card,
    not as a task."""
    period = _open_period_answered.first(actor.employee_id)
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


Cells = dict[int, dict[str, dict[int, int]]]
"""A period's answers counted: unit id → question → score → count."""


def _cells(period: Period) -> Cells:
    """Every answer of a closed period counted by unit, question and score (one query);
    nothing for a period that is not closed."""
    if period.status != PeriodStatus.DITUTUP:
        return {}
    cells: Cells = defaultdict(lambda: defaultdict(lambda: dict.fromkeys(PULSE_SCALE, 0)))
    rows = (
        PulseAnswer.select(
            PulseAnswer.unit, PulseAnswer.question, PulseAnswer.score, fn.COUNT(PulseAnswer.id)
        )
        .where(PulseAnswer.period == period.id)
        .group_by(PulseAnswer.unit, PulseAnswer.question, PulseAnswer.score)
        .tuples()
    )
    for unit_id, question, score, count in rows:
        if score in PULSE_SCALE:
            cells[unit_id][question][score] = count
    return cells


def freeze_tree(period: Period) -> None:
    """Keep the unit tree as it stands for the closing ``period`` (called by the close, in
    its transaction): the period's groups are folded over it from then on."""
    parents = {str(u): p for u, p in Unit.select(Unit.id, Unit.parent).tuples()}
    (
        PulseTree.insert(period=period.id, parents=json.dumps(parents, sort_keys=True))
        .on_conflict_ignore()
        .execute()
    )


def _frozen_trees(periods: list[Period]) -> dict[int, dict[int, int | None]]:
    """The frozen unit trees of ``periods`` (one query): period id → unit id → parent id."""
    if not periods:
        return {}
    rows = PulseTree.select(PulseTree.period, PulseTree.parents).where(
        PulseTree.period.in_([p.id for p in periods])
    )
    return {row.period_id: {int(u): p for u, p in json.loads(row.parents).items()} for row in rows}


def _published(cells: Cells, parents: dict[int, int | None]) -> dict[int, tuple[frozenset, int]]:
    """Published groups over a unit tree (unit id → parent id): root unit id → (the unit ids
    it covers, respondents). Every respondent answers every question, so a unit's
    respondents are its answers to the first question."""
    first = next(iter(PulseQuestion)).value
    rollup = rollup_units(
        [
            UnitCount(
                unit_id,
                parent if parent in parents else None,
                sum(cells[unit_id][first].values()) if unit_id in cells else 0,
            )
            for unit_id, parent in sorted(parents.items())
        ],
        PULSE_MIN_ANSWERS,
    )
    return {root: (covers, rollup.n[root]) for root, covers in rollup.covers.items()}


def _figures(cells: Cells, covers: frozenset) -> list[QuestionFigure]:
    """Per-question mean and distribution of one published group."""
    figures = []
    for question in PulseQuestion:
        dist = dict.fromkeys(PULSE_SCALE, 0)
        for unit_id in covers:
            if unit_id in cells and question.value in cells[unit_id]:
                for score, count in cells[unit_id][question.value].items():
                    dist[score] += count
        total = sum(dist.values())
        if total:
            mean = Fraction(sum(s * c for s, c in dist.items()), total)
            figures.append(QuestionFigure(question, round_half_up(mean, 2), dist))
    return figures


def _comments(period: Period, groups: dict[int, tuple[frozenset, int]]) -> dict[int, list[str]]:
    """The comments of each published group (one query), sorted so that their order says
    nothing about when they were written."""
    unit_to_root = {u: root for root, (covers, _n) in groups.items() for u in covers}
    found: dict[int, list[str]] = defaultdict(list)
    if not unit_to_root:
        return found
    rows = (
        PulseAnswer.select(PulseAnswer.unit, PulseAnswer.comment)
        .where(
            (PulseAnswer.period == period.id)
            & PulseAnswer.unit.in_(list(unit_to_root))
            & (PulseAnswer.comment != "")
        )
        .tuples()
    )
    for unit_id, comment in rows:
        found[unit_to_root[unit_id]].append(comment)
    return {root: sorted(comments) for root, comments in found.items()}


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
    frozen = _frozen_trees(periods)
    today = {u.id: u.parent_id for u in units}
    chosen = next((p for p in periods if p.id == period_id), periods[-1] if periods else None)
    latest = None
    trend: dict[int, TrendRow] = {}
    for period in periods:
        cells = _cells(period)
        groups = {
            root: value
            for root, value in _published(cells, frozen.get(period.id, today)).items()
            if visible is None or root in visible
        }
        comments = _comments(period, groups) if period is chosen else {}
        shown = []
        for root, (covers, n) in sorted(groups.items(), key=lambda g: by_id[g[0]].name):
            figures = _figures(cells, covers)
            row = trend.setdefault(root, TrendRow(by_id[root]))
            row.cells[period.id] = {f.question: f.mean for f in figures}
            if period is chosen:
                folded = sorted((by_id[u] for u in covers if u != root), key=lambda u: u.name)
                shown.append(GroupResult(by_id[root], folded, n, figures, comments.get(root, [])))
        if period is chosen:
            latest = PeriodResult(period, shown)
    rows = sorted(trend.values(), key=lambda r: r.unit.name)
    return PulseResults(periods=periods, latest=latest, trend=rows)


def scale_labels() -> dict[int, str]:
    """The answer scale with its labels (for the form and the distribution table)."""
    return dict(PULSE_SCALE)
