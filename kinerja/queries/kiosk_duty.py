"""Counter-duty takeover notices: the duties of a person a colleague took over, and their
task in "Tugas Anda" (docs/spec/product.md §5). No writes.
"""

from dataclasses import dataclass
from datetime import date

from kinerja.clock import to_wib
from kinerja.formatting import format_date
from kinerja.models.kiosk import (
    CounterDuty,
    Kiosk,
)
from kinerja.models.org import Employee
from kinerja.permissions import Actor
from kinerja.queries.tasks import Task


@dataclass(frozen=True)
class TakeoverNotice:
    """A duty of the actor's that a colleague took over, not yet marked as read."""

    duty_id: int
    text: str
    day: date


def takeover_notices(actor: Actor) -> list[TakeoverNotice]:
    """The actor's duties taken over by a colleague, not yet marked as read, newest first:
    "Tugas loket Anda di <kiosk> diambil alih oleh <nama> pada <waktu>"."""
    rows = (
        CounterDuty.select(CounterDuty, Kiosk)
        .join(Kiosk)
        .where(
            (CounterDuty.employee == actor.employee_id)
            & CounterDuty.taken_over_by_id.is_null(False)
            & CounterDuty.takeover_read_at.is_null()
        )
        .order_by(CounterDuty.end.desc(), CounterDuty.id.desc())
    )
    notices = []
    for duty in rows:
        taker = Employee.get_or_none(Employee.id == duty.taken_over_by_id)
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
