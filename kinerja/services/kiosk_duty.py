"""Counter duty at a kiosk: who serves citizens there, so that answers are attributed to
the officer on duty (docs/spec/product.md §5). Signing in, out, taking over a colleague's counter
(told to the colleague and audited) and the admin's roster of duties.
"""

from datetime import UTC, date, datetime, time

from kinerja.clock import WIB, utcnow
from kinerja.db import write_tx
from kinerja.models.kiosk import (
    CounterDuty,
)
from kinerja.models.org import Employee
from kinerja.permissions import Actor
from kinerja.permissions import kiosk as kiosk_perms
from kinerja.queries.kiosk_duty import takeover_notices
from kinerja.services import audit
from kinerja.services.kiosk import KioskError, lock_kiosk


def on_duty_query(kiosk_id, at):
    """The employee on duty at a kiosk's counter at ``at`` (naive UTC), as a query of one
    value (also a subquery of the answer's INSERT): the latest duty begun by then and not
    yet ended."""
    return (
        CounterDuty.select(CounterDuty.employee)
        .where(
            (CounterDuty.kiosk == kiosk_id)
            & (CounterDuty.start <= at)
            & (CounterDuty.end.is_null() | (CounterDuty.end > at))
        )
        .order_by(CounterDuty.start.desc(), CounterDuty.id.desc())
        .limit(1)
    )


def on_duty_at(kiosk_id: int, at: datetime) -> int | None:
    """The employee on duty at a kiosk's counter at ``at`` (naive UTC), if any."""
    return on_duty_query(kiosk_id, at).scalar()


def open_duty(kiosk_id: int) -> CounterDuty | None:
    """The duty at a kiosk that has no end yet."""
    return (
        CounterDuty.select(CounterDuty, Employee)
        .join(Employee)
        .where((CounterDuty.kiosk == kiosk_id) & CounterDuty.end.is_null())
        .order_by(CounterDuty.start.desc())
        .first()
    )


# --- duty roster ---------------------------------------------------------------------------


def _duty_after(duty: CounterDuty) -> dict:
    return {
        "kiosk_id": duty.kiosk_id,
        "employee_id": duty.employee_id,
        "start": duty.start,
        "end": duty.end,
    }


MSG_TAKEOVER_REFUSED = (
    "Loket ini sedang dijaga rekan Anda; hanya pegawai unit loket ini atau atasan yang "
    "mengatur jadwalnya yang dapat mengambil alih."
)


def sign_in(actor: Actor, kiosk_id: int, now: datetime | None = None) -> CounterDuty:
    """The actor starts duty at a kiosk's counter now (ending any other open duty of
    theirs, and whoever was still signed in at that counter).

    Taking over from a colleague (issue 19) is allowed only to the kiosk's own unit or to
    whoever rosters the counter (:func:`kinerja.permissions.kiosk.can_take_over`); the
    colleague's duty keeps who took over (a notice in the portal until read) and each
    takeover is audited.
    """
    now = now or utcnow()
    with write_tx():
        kiosk = lock_kiosk(kiosk_id)
        employee = Employee.get_by_id(actor.employee_id)
        if not kiosk_perms.can_sign_in(actor, kiosk):
            raise KioskError("Anda tidak dapat bertugas di loket ini.")
        colleagues = list(
            CounterDuty.select().where(
                CounterDuty.end.is_null()
                & (CounterDuty.kiosk == kiosk.id)
                & (CounterDuty.employee != employee.id)
            )
        )
        if colleagues and not kiosk_perms.can_take_over(actor, kiosk):
            raise KioskError(MSG_TAKEOVER_REFUSED)
        CounterDuty.update(end=now).where(
            CounterDuty.end.is_null()
            & ((CounterDuty.employee == employee.id) | (CounterDuty.kiosk == kiosk.id))
        ).execute()
        for duty in colleagues:
            CounterDuty.update(taken_over_by_id=employee.id).where(
                CounterDuty.id == duty.id
            ).execute()
            audit.record(
                "kiosk.duty_taken_over",
                actor=actor.account,
                object_type="counter_duty",
                object_id=duty.id,
                before={"employee_id": duty.employee_id, "end": None},
                after={"employee_id": duty.employee_id, "end": now, "taken_over_by": employee.id},
            )
        duty = CounterDuty.create(
            kiosk=kiosk, employee=employee, start=now, set_by_account_id=actor.account.id
        )
        audit.record(
            "kiosk.duty_sign_in",
            actor=actor.account,
            object_type="counter_duty",
            object_id=duty.id,
            after=_duty_after(duty),
        )
    return duty


def acknowledge_takeovers(actor: Actor, now: datetime | None = None) -> int:
    """Mark the actor's takeover notices as read (audited); return how many."""
    now = now or utcnow()
    with write_tx():
        ids = [n.duty_id for n in takeover_notices(actor)]
        if ids:
            CounterDuty.update(takeover_read_at=now).where(CounterDuty.id.in_(ids)).execute()
            audit.record(
                "kiosk.takeover_read",
                actor=actor.account,
                object_type="counter_duty",
                object_id=ids[0],
                after={"duty_ids": ids},
            )
    return len(ids)


def sign_out(actor: Actor, now: datetime | None = None) -> int:
    """End the actor's open duties; return how many were ended."""
    now = now or utcnow()
    with write_tx():
        duties = list(
            CounterDuty.select().where(
                (CounterDuty.employee == actor.employee_id) & CounterDuty.end.is_null()
            )
        )
        for duty in duties:
            duty.end = max(now, duty.start)
            duty.save()
            audit.record(
                "kiosk.duty_sign_out",
                actor=actor.account,
                object_type="counter_duty",
                object_id=duty.id,
                after=_duty_after(duty),
            )
    return len(duties)


def wib_to_utc(day: date, clock: time) -> datetime:
    """A WIB date and time as naive UTC."""
    return datetime.combine(day, clock, tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)


def add_duty(
    actor: Actor, kiosk_id: int, employee_id: int, start: datetime, end: datetime | None
) -> CounterDuty:
    """Put an employee on the roster of a counter (naive UTC; no overlap at that counter)."""
    if end is not None and end <= start:
        raise KioskError("Waktu selesai harus setelah waktu mulai.")
    with write_tx():
        kiosk = lock_kiosk(kiosk_id)
        employee = Employee.get_or_none((Employee.id == employee_id) & Employee.active)
        if employee is None:
            raise KioskError("Pegawai tidak ditemukan.")
        if not kiosk_perms.can_manage_duty(actor, kiosk, employee):
            raise KioskError("Anda tidak dapat mengatur jadwal jaga pegawai ini di loket ini.")
        far = datetime(9999, 1, 1)
        overlap = (
            CounterDuty.select()
            .where(
                (CounterDuty.kiosk == kiosk.id)
                & (CounterDuty.start < (end or far))
                & (CounterDuty.end.is_null() | (CounterDuty.end > start))
            )
            .exists()
        )
        if overlap:
            raise KioskError("Jadwal ini bertumpuk dengan jadwal jaga lain di loket yang sama.")
        duty = CounterDuty.create(
            kiosk=kiosk,
            employee=employee,
            start=start,
            end=end,
            set_by_account_id=actor.account.id,
        )
        audit.record(
            "kiosk.duty_added",
            actor=actor.account,
            object_type="counter_duty",
            object_id=duty.id,
            after=_duty_after(duty),
        )
    return duty


def end_duty(actor: Actor, duty_id: int, now: datetime | None = None) -> CounterDuty:
    """End (or, if it has not started yet, remove) a roster entry."""
    now = now or utcnow()
    with write_tx():
        duty = CounterDuty.get_or_none(CounterDuty.id == duty_id)
        if duty is None:
            raise KioskError("Jadwal jaga tidak ditemukan.")
        if not kiosk_perms.can_manage_duty(actor, duty.kiosk, duty.employee):
            raise KioskError("Anda tidak dapat mengubah jadwal jaga ini.")
        before = _duty_after(duty)
        if duty.start >= now:
            duty.delete_instance()
            action = "kiosk.duty_removed"
            after = None
        else:
            if duty.end is None or duty.end > now:
                duty.end = now
                duty.save()
            action = "kiosk.duty_ended"
            after = _duty_after(duty)
        audit.record(
            action,
            actor=actor.account,
            object_type="counter_duty",
            object_id=duty_id,
            before=before,
            after=after,
        )
    return duty
