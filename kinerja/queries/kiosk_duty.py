"""Counter-duty takeover notices: the duties of a person a colleague took over, and their
task in "Tugas Anda" (docs/spec/product.md §5). No writes.
"""

from dataclasses import dataclass
from datetime import date

from peewee import JOIN

from kinerja.clock import to_wib
from kinerja.formatting import format_date
from kinerja.models.kiosk import (
    CounterDuty,
    Kiosk,
)
from kinerja.models.org import Employee
from kinerja.permissions import Actor
from kinerja.queries.tasks import Task
from kinerja.statements import statement


@dataclass(frozen=True)
class TakeoverNotice:
    """A duty of the actor's that a colleague took over, not yet marked as read."""

    duty_id: int
    text: str
    day: date


@statement
def _taken_over(employee_id):
    """The duties of ``employee_id`` a colleague took over, not yet marked as read, with the
    counter and, as ``taker``, who took them over (absent when that person is gone)."""
    Taker = Employee.alias()
    return (
        CounterDuty.select(
            CounterDuty.id,
            CounterDuty.end,
            Kiosk.id,
            Kiosk.name,
            Kiosk.counter,
            Taker.id,
            Taker.name,
            Taker.gelar_depan,
            Taker.gelar_belakang,
        )
        .join(Kiosk)
        .switch(CounterDuty)
        .join(
            Taker,
            JOIN.LEFT_OUTER,
            on=(CounterDuty.taken_over_by_id == Taker.id),
            attr="taker",
        )
        .where(
            (CounterDuty.employee == employee_id)
            & CounterDuty.taken_over_by_id.is_null(False)
            & CounterDuty.takeover_read_at.is_null()
        )
        .order_by(CounterDuty.end.desc(), CounterDuty.id.desc())
    )


def takeover_notices(actor: Actor) -> list[TakeoverNotice]:
    """The actor's duties taken over by a colleague, not yet marked as read, newest first:
    "Tugas loket Anda di <kiosk> diambil alih oleh <nama> pada <waktu>"."""
    notices = []
    for duty in _taken_over.cursor(actor.employee_id):
        taker = getattr(duty, "taker", None)  # Peewee sets no empty joined row
        name = taker.full_name if taker is not None else "pegawai lain"
        local = to_wib(duty.end)
        when = f"{format_date(local.date())} pukul {local:%H.%M} WIB"
        text = f"Tugas loket Anda di {duty.kiosk.label} diambil alih oleh {name} pada {when}."
        notices.append(TakeoverNotice(duty.id, text, local.date()))
    return notices


def task_provider(actor: Actor) -> list[Task]:
    """Duties of the actor a colleague took over, until the notice is read."""
    if actor.employee_id is None:
        return []
    return [
        Task(n.text, "staff.kiosk_duty", since=n.day, area="Loket layanan")
        for n in takeover_notices(actor)
    ]
