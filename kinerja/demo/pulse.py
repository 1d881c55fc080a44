"""Demo step: answers to the pulse-of-trust survey in the last four closed quarters.

DEMO DATA. About two thirds of the active employees answered each closed quarter, with
scores that improve a little from quarter to quarter and a few comments, so unit heads see
figures, small units folded into their parent, and a trend. In the quarter still open,
nobody has answered yet: every demo login can try the survey.
"""

from __future__ import annotations

from peewee import chunked

from kinerja.enums import PULSE_VERSION, PeriodKind, PeriodStatus, PulseQuestion
from kinerja.models.evaluation import random_key
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.models.pulse import PulseAnswer, PulseParticipation
from kinerja.services import pulse

CHUNK = 200
QUARTERS = 4
SHARE = 0.65
COMMENTS = (
    "Target triwulan ini lebih jelas setelah dialog kinerja.",
    "Mohon umpan balik diberikan lebih awal, tidak hanya di akhir periode.",
    "Pelatihan pelayanan publik sangat membantu.",
    "Beban kerja di loket belum seimbang antarpetugas.",
)


def seed_pulse(ctx) -> None:
    """Pulse answers for the last four closed quarters (none for the open one)."""
    closed = list(
        Period.select()
        .where((Period.kind != PeriodKind.TAHUNAN) & (Period.status == PeriodStatus.DITUTUP))
        .order_by(Period.start.desc())
        .limit(QUARTERS)
    )[::-1]
    staff = list(
        Employee.select(Employee.id, Employee.unit).where(Employee.active).order_by(Employee.id)
    )
    rng = ctx.rng
    answered = 0
    for step, period in enumerate(closed):
        participation, answers = [], []
        for person in staff:
            if rng.random() > SHARE:
                continue
            participation.append({"period": period.id, "employee": person.id})
            comment = rng.choice(COMMENTS) if rng.random() < 0.08 else ""
            for i, question in enumerate(PulseQuestion):
                score = min(5, max(1, round(rng.gauss(3.2 + 0.25 * step, 0.9))))
                answers.append(
                    {
                        "id": random_key(),
                        "period": period.id,
                        "unit": person.unit_id,
                        "version": PULSE_VERSION,
                        "question": question.value,
                        "score": score,
                        "comment": comment if i == 0 else "",
                    }
                )
        rng.shuffle(answers)  # no storage order that follows the participation rows
        for batch in chunked(participation, CHUNK):
            PulseParticipation.insert_many(batch).execute()
        for batch in chunked(answers, CHUNK):
            PulseAnswer.insert_many(batch).execute()
        pulse.freeze_tree(period)  # as the close of the period would have
        answered += len(participation)
    ctx.counts["pulse_respondents"] = answered
    ctx.summary.append(
        f"Survei denyut kepercayaan: {answered} jawaban pada {len(closed)} triwulan yang ditutup."
    )
