"""Read models of the counter pages (docs/spec/product.md §5): the kiosks of a unit or of an
employee's OPD, who sits at a counter now and lately, and who may be put on its roster.
No writes; the duty use cases (sign in, roster) change state elsewhere.
"""

from collections.abc import Iterable
from datetime import timedelta

from kinerja import org
from kinerja.clock import utcnow
from kinerja.models.kiosk import CounterDuty, Kiosk, KioskStatus
from kinerja.models.org import Employee, Unit
from kinerja.permissions import kiosk as perms

RECENT_DUTY_DAYS = 14  # ended duties the roster page still lists


def units_by_name(unit_ids: Iterable[int]) -> list[Unit]:
    """These units, by name."""
    return list(Unit.select().where(Unit.id.in_(list(unit_ids))).order_by(Unit.name))


def unit_kiosks(unit_id: int) -> list[Kiosk]:
    """The kiosks of one unit, by name."""
    return list(Kiosk.select().where(Kiosk.unit == unit_id).order_by(Kiosk.name))


def counter_kiosks(employee: Employee) -> list[Kiosk]:
    """The active kiosks of the employee's OPD, by unit and name (where they may sit)."""
    opd = org.opd_of(Unit.get_by_id(employee.unit_id))
    ids = org.descendant_unit_ids(opd.id)
    return list(
        Kiosk.select(Kiosk, Unit)
        .join(Unit)
        .where(Kiosk.unit.in_(sorted(ids)) & (Kiosk.status == KioskStatus.ACTIVE))
        .order_by(Unit.name, Kiosk.name)
    )


def kiosk_by_id(kiosk_id: int) -> Kiosk | None:
    """One kiosk, if it exists."""
    return Kiosk.get_or_none(Kiosk.id == kiosk_id)


def open_duty_of(employee_id: int) -> CounterDuty | None:
    """The employee's open duty with its kiosk, if they sit at a counter now."""
    return (
        CounterDuty.select(CounterDuty, Kiosk)
        .join(Kiosk)
        .where((CounterDuty.employee == employee_id) & CounterDuty.end.is_null())
        .first()
    )


def roster_candidates(actor, kiosk: Kiosk) -> list[Employee]:
    """Active employees of the kiosk's OPD whom the actor may put on its roster, by name."""
    opd = org.opd_of(kiosk.unit)
    query = Employee.select().where(
        Employee.unit.in_(sorted(org.descendant_unit_ids(opd.id))) & Employee.active
    )
    return [e for e in query.order_by(Employee.name) if perms.can_manage_duty(actor, kiosk, e)]


def recent_duties(kiosk_id: int) -> list[CounterDuty]:
    """The kiosk's open duties and those ended in the last days, newest first."""
    since = utcnow() - timedelta(days=RECENT_DUTY_DAYS)
    return list(
        CounterDuty.select(CounterDuty, Employee)
        .join(Employee)
        .where(
            (CounterDuty.kiosk == kiosk_id)
            & (CounterDuty.end.is_null() | (CounterDuty.end >= since))
        )
        .order_by(CounterDuty.start.desc())
    )
