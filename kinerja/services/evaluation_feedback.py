"""Anonymous 360 feedback (docs/spec/product.md §3): requesting raters, answering, summaries.

Who was asked (:class:`FeedbackRequest`) and the answers (:class:`FeedbackAnswer`) are
kept apart. An answer row has the evaluation, the rater group, the value, the rating, an
optional comment and a random id; never the rater, no time, nothing shared by the seven
rows of one submission. The request only flips to "answered" (no time), and no audit entry
is written when someone answers (its timestamp would sit next to the rater's identity).

Against differencing (issue 19, SECURITY.md "360 anonymity") the summary is released once:
nothing of it shows while the round is open; the Pejabat Penilai closes the round (or
finalising closes it), after which no rater can be added and no answer accepted, so the
released summary never changes. Summaries pass through
:func:`kinerja.anonymise.feedback_group_summary` with the thresholds frozen when the period
opened. No function here returns who answered what.
"""

from dataclasses import dataclass

from peewee import IntegrityError, fn

from kinerja import org
from kinerja.anonymise import GroupSummary, feedback_group_summary
from kinerja.clock import today_wib
from kinerja.db import write_tx
from kinerja.enums import EDITABLE, Berakhlak, RaterGroup, Rating
from kinerja.enums import EvaluationStatus as S
from kinerja.models.evaluation import Evaluation, FeedbackAnswer, FeedbackRequest, random_key
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.services import audit, notifications
from kinerja.services.evaluation import (
    EvaluationError,
    Forbidden,
    close_feedback_round,
    feedback_round_closed,
    require_editable,
    thresholds_for,
)
from kinerja.statements import statement

MAX_COMMENT = 1000
MSG_CLOSED = (
    "Putaran umpan balik 360 untuk evaluasi ini sudah ditutup; ringkasannya tidak berubah lagi."
)
HIDDEN_UNTIL_CLOSED = "Ditampilkan setelah putaran umpan balik 360 ditutup oleh Pejabat Penilai"


def peer_candidates(ev: Evaluation) -> list[Employee]:
    """Peers: active employees with the same supervisor as the rated person."""
    employee = ev.employee
    if employee.supervisor_id is None:
        return []
    return list(
        Employee.select()
        .where(
            (Employee.supervisor == employee.supervisor_id)
            & Employee.active
            & (Employee.id != employee.id)
        )
        .order_by(Employee.name)
    )


def subordinate_candidates(ev: Evaluation) -> list[Employee]:
    """Subordinates: the rated person's active direct subordinates."""
    return org.direct_subordinates(ev.employee_id)


def group_of(ev: Evaluation, rater: Employee) -> RaterGroup:
    """The group a rater belongs to for this evaluation."""
    employee = ev.employee
    if employee.supervisor_id is not None and rater.supervisor_id == employee.supervisor_id:
        return RaterGroup.PEER
    if rater.supervisor_id == employee.id:
        return RaterGroup.SUBORDINATE
    return RaterGroup.OTHER


@statement
def _requests(evaluation_id):
    return (
        FeedbackRequest.select(FeedbackRequest, Employee)
        .join(Employee, on=(FeedbackRequest.rater == Employee.id))
        .where(FeedbackRequest.evaluation == evaluation_id)
        .order_by(FeedbackRequest.group, Employee.name)
    )


def requests_of(ev: Evaluation) -> list[FeedbackRequest]:
    """Who was asked (for the Pejabat Penilai who asks; without the answered flag use)."""
    return _requests(ev.id)


@statement
def _asked(evaluation_id):
    return FeedbackRequest.select(fn.COUNT(FeedbackRequest.id)).where(
        FeedbackRequest.evaluation == evaluation_id
    )


def asked_count(ev: Evaluation) -> int:
    """How many raters were asked (the number of :func:`requests_of`)."""
    return _asked.scalar(ev.id)


def request_raters(actor: Actor, ev: Evaluation, rater_ids: list[int]) -> int:
    """Ask raters for 360 feedback on ``ev`` (Pejabat Penilai only); the group follows from
    the organisation (peer, subordinate, other). Returns how many were newly asked."""
    if not perm.can_rate(actor, ev):
        raise Forbidden("Hanya Pejabat Penilai yang dapat meminta umpan balik 360.")
    with write_tx():
        ev = Evaluation.get_by_id(ev.id)
        require_editable(ev)
        if feedback_round_closed(ev):
            raise EvaluationError(MSG_CLOSED)
        ids = {int(i) for i in rater_ids}
        if not ids:
            raise EvaluationError("Pilih paling sedikit satu penilai.")
        excluded = {ev.employee_id, *org.raters_of(ev.employee, actor.day)}
        raters = list(Employee.select().where(Employee.id.in_(list(ids)) & Employee.active))
        if len(raters) != len(ids) or any(r.id in excluded for r in raters):
            raise EvaluationError(
                "Penilai harus pegawai aktif selain pegawai yang dinilai dan Pejabat Penilainya."
            )
        asked = {
            r.rater_id for r in FeedbackRequest.select().where(FeedbackRequest.evaluation == ev.id)
        }
        new = [r for r in raters if r.id not in asked]
        today = today_wib()
        created = []
        try:
            for rater in new:
                created.append(
                    FeedbackRequest.create(
                        evaluation=ev.id,
                        rater=rater.id,
                        group=group_of(ev, rater),
                        requested_by=actor.employee_id,
                        requested_on=today,
                    )
                )
        except IntegrityError:
            raise EvaluationError("Permintaan ini baru saja dibuat; muat ulang halaman.") from None
        if new:
            audit.record(
                "umpan_balik_360.diminta",
                actor=actor.account,
                object_type="evaluation",
                object_id=ev.id,
                after={"raters": sorted(r.id for r in new)},
            )
            notifications.feedback_requested(ev, created)
    return len(new)


def answer(
    actor: Actor,
    request: FeedbackRequest,
    ratings: dict[str, str],
    comments: dict[str, str],
) -> None:
    """Store one rater's answers: a rating per BerAKHLAK value, optional comments.

    The answer rows carry no rater, no time and nothing that groups them; the request is
    only marked answered (no time). No audit entry is written now: one with the rater's
    identity would date the answer to the microsecond; the round's closing is audited with
    the counts instead (:func:`kinerja.services.evaluation.close_feedback_round`).
    """
    if not perm.can_answer(actor, request):
        raise Forbidden("Permintaan ini bukan untuk Anda.")
    errors = []
    clean = {}
    for value in Berakhlak:
        raw = ratings.get(value.value)
        try:
            rating = Rating(raw)
        except ValueError:
            errors.append(f"Pilih penilaian untuk {value.label}.")
            continue
        comment = (comments.get(value.value) or "").strip()
        if len(comment) > MAX_COMMENT:
            errors.append(f"Komentar {value.label} paling banyak {MAX_COMMENT} karakter.")
        clean[value] = (rating, comment)
    if errors:
        raise EvaluationError(" ".join(errors))
    with write_tx():
        request = FeedbackRequest.get_by_id(request.id)
        if request.answered:
            raise EvaluationError("Anda sudah menjawab permintaan ini; jawaban tidak dapat diubah.")
        ev = Evaluation.get_by_id(request.evaluation_id)
        if S(ev.status) not in EDITABLE:
            raise EvaluationError("Evaluasi ini sudah final; umpan balik tidak lagi diterima.")
        if feedback_round_closed(ev):
            raise EvaluationError(MSG_CLOSED)
        rows = [
            {
                "id": random_key(),
                "evaluation": ev.id,
                "group": request.group,
                "value": value.value,
                "rating": rating.value,
                "comment": comment,
            }
            for value, (rating, comment) in clean.items()
        ]
        FeedbackAnswer.insert_many(rows).execute()
        FeedbackRequest.update(answered=True).where(FeedbackRequest.id == request.id).execute()


def close_round(actor: Actor, ev: Evaluation) -> bool:
    """Close ``ev``'s 360 round (Pejabat Penilai only): the summary is released now, once,
    and no rater or answer can be added afterwards. Returns whether it was open."""
    if not perm.can_rate(actor, ev):
        raise Forbidden("Hanya Pejabat Penilai yang dapat menutup putaran umpan balik 360.")
    with write_tx():
        fresh = Evaluation.get_by_id(ev.id)
        was_open = close_feedback_round(fresh, actor.account)
    ev.feedback_closed_on = fresh.feedback_closed_on
    return was_open


@dataclass
class ValueSummary:
    """One BerAKHLAK value's thresholded summary in one rater group."""

    value: Berakhlak
    summary: GroupSummary


@dataclass
class GroupBlock:
    """A rater group's summaries, per value."""

    group: RaterGroup
    values: list[ValueSummary]

    @property
    def shown(self) -> bool:
        """Whether the group's scores pass the threshold."""
        return any(v.summary.counts is not None for v in self.values)

    @property
    def scores_reason(self) -> str | None:
        """Why scores are hidden (same for every value of a group)."""
        return self.values[0].summary.scores_reason if self.values else None

    @property
    def comments_reason(self) -> str | None:
        """Why comments are hidden."""
        return self.values[0].summary.comments_reason if self.values else None

    @property
    def n(self) -> int | None:
        """The number of answers, only once scores are shown."""
        return self.values[0].summary.n if self.values else None


def _withheld(group: RaterGroup) -> GroupBlock:
    """A group while the round is open: nothing of the answers, not even their number."""
    hidden = GroupSummary(group, None, None, None, HIDDEN_UNTIL_CLOSED, None)
    return GroupBlock(group, [ValueSummary(value, hidden) for value in Berakhlak])


def round_closed(ev: Evaluation) -> bool:
    """Whether ``ev``'s 360 round is closed (its summary released)."""
    return feedback_round_closed(ev)


def summaries(ev: Evaluation) -> list[GroupBlock]:
    """Thresholded summaries of every rater group (docs/spec/product.md §3), released only once the
    round is closed (issue 19: a live summary gave each new rater's answers by difference)."""
    if not feedback_round_closed(ev):
        return [_withheld(group) for group in RaterGroup]
    thresholds = thresholds_for(ev.period)
    ratings: dict[tuple[str, str], list[Rating]] = {}
    comments: dict[tuple[str, str], list[str]] = {}
    query = (
        FeedbackAnswer.select(
            FeedbackAnswer.group,
            FeedbackAnswer.value,
            FeedbackAnswer.rating,
            FeedbackAnswer.comment,
        )
        .where(FeedbackAnswer.evaluation == ev.id)
        .order_by(FeedbackAnswer.group, FeedbackAnswer.value, FeedbackAnswer.rating)
    )
    for row in query.tuples():
        group, value, rating, comment = row
        ratings.setdefault((group, value), []).append(Rating(rating))
        comments.setdefault((group, value), []).append(comment or "")
    blocks = []
    for group in RaterGroup:
        values = [
            ValueSummary(
                value,
                feedback_group_summary(
                    group,
                    ratings.get((group.value, value.value), []),
                    comments.get((group.value, value.value), []),
                    thresholds,
                ),
            )
            for value in Berakhlak
        ]
        blocks.append(GroupBlock(group, values))
    return blocks


def my_requests(actor: Actor) -> list[FeedbackRequest]:
    """The actor's own 360 requests (theirs to answer), open ones first."""
    return list(
        FeedbackRequest.select(FeedbackRequest, Evaluation, Employee, Period)
        .join(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period)
        .where(FeedbackRequest.rater == actor.employee_id)
        .order_by(FeedbackRequest.answered, FeedbackRequest.requested_on.desc())
    )
