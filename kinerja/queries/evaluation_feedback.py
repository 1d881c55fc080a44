"""The 360 feedback task of "Tugas Anda": requests waiting for the rater's answer
(docs/spec/product.md §3). No writes.
"""

from kinerja.enums import EDITABLE, PeriodStatus
from kinerja.models.evaluation import Evaluation, FeedbackRequest
from kinerja.models.period import Period
from kinerja.permissions import Actor
from kinerja.queries.tasks import Task
from kinerja.statements import statement


@statement
def _open_requests(rater_id):
    return (
        FeedbackRequest.select(
            FeedbackRequest.id, FeedbackRequest.requested_on, Period.name, Period.rating_deadline
        )
        .join(Evaluation)
        .join(Period)
        .where(
            (FeedbackRequest.rater == rater_id)
            & ~FeedbackRequest.answered
            & Evaluation.status.in_([s.value for s in EDITABLE])
            & Evaluation.feedback_closed_on.is_null()
            & (Period.status == PeriodStatus.DIBUKA)
        )
        .tuples()
    )


def task_provider(actor: Actor) -> list[Task]:
    """360 requests waiting for the actor's answer."""
    return [
        Task(
            f"Jawab umpan balik 360 ({period_name})",
            "staff.feedback_answer",
            {"request_id": request_id},
            deadline=rating_deadline,
            since=requested_on,
            area="evaluasi",
        )
        for request_id, requested_on, period_name, rating_deadline in _open_requests.cursor(
            actor.employee_id
        )
    ]
