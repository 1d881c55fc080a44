"""Builders for the pulse-of-trust tests: a period around today, answers as staff would give
them (through the use case) or stored directly in a closed period."""

from datetime import timedelta

from kinerja.clock import today_wib
from kinerja.enums import PULSE_VERSION, PeriodStatus, PulseQuestion
from kinerja.models.pulse import PulseAnswer
from kinerja.permissions import Actor
from kinerja.services import pulse
from tests.builders import make_account, make_employee
from tests.builders_evaluation import make_period

ALL_FOURS = {q.value: "4" for q in PulseQuestion}


def make_pulse_period(number=1, *, status=PeriodStatus.DIBUKA, days_ago=30):
    """A quarter that started ``days_ago`` days ago and ends in 60 days (around today)."""
    today = today_wib()
    return make_period(
        today.year,
        number,
        status=status,
        start=today - timedelta(days=days_ago),
        end=today + timedelta(days=60),
    )


def answer_as(employee, scores=None, comment=""):
    """``employee`` answers the open pulse through the use case (an account is made)."""
    account = employee.accounts.first() or make_account(employee)
    return pulse.answer(Actor(account), dict(ALL_FOURS if scores is None else scores), comment)


def staff_answering(unit, count, scores=None, comment=""):
    """``count`` new employees of ``unit`` who each answer the open pulse."""
    people = [make_employee(unit=unit) for _ in range(count)]
    for person in people:
        answer_as(person, scores, comment)
    return people


def store_answers(period, unit, count, score=4, comment=""):
    """``count`` respondents' answers stored directly (for a period already closed)."""
    for _ in range(count):
        for i, question in enumerate(PulseQuestion):
            PulseAnswer.create(
                period=period,
                unit=unit,
                version=PULSE_VERSION,
                question=question.value,
                score=score,
                comment=comment if i == 0 else "",
            )
