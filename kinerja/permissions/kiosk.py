"""Who sees kiosk figures and who keeps the counter duty roster (issue 6).

- Attributed figures of an employee: that employee, the supervisor chain above (with
  Plt/Plh), admins and auditors (the same circle as every other internal page about a
  person). Never public.
- A unit's kiosk figures: admins, auditors, and supervisors whose own unit is that unit or
  one above it (the heads who answer for the service).
- The duty roster of a counter: the employee themself (sign-in) and their supervisor chain,
  both within the kiosk's OPD; admins.
"""

from kinerja import org
from kinerja.models.kiosk import Kiosk
from kinerja.models.org import Employee, Unit
from kinerja.permissions import (
    Actor,
    can_view_employee,
    is_admin,
    is_supervisor,
    reads_all_internal,
)


def same_opd(unit_a_id: int, unit_b_id: int) -> bool:
    """Whether two units belong to the same OPD."""
    if unit_a_id == unit_b_id:
        return True
    a = org.opd_of(Unit.get_by_id(unit_a_id))
    b = org.opd_of(Unit.get_by_id(unit_b_id))
    return a.id == b.id


def can_view_employee_figures(actor: Actor, employee: Employee) -> bool:
    """The employee, the supervisor chain above, admins and auditors."""
    return can_view_employee(actor, employee)


def can_view_unit_figures(actor: Actor, unit: Unit) -> bool:
    """Admins, auditors, and supervisors whose unit contains ``unit``."""
    if reads_all_internal(actor):
        return True
    if not is_supervisor(actor):
        return False
    return unit.id in org.descendant_unit_ids(actor.employee.unit_id)


def visible_unit_ids(actor: Actor) -> set[int] | None:
    """Units whose kiosk figures the actor may read (None = every unit)."""
    if reads_all_internal(actor):
        return None
    if not is_supervisor(actor):
        return set()
    return org.descendant_unit_ids(actor.employee.unit_id)


def can_sign_in(actor: Actor, kiosk: Kiosk) -> bool:
    """An employee of the kiosk's OPD may sign in at its (active) counter."""
    return kiosk.is_active and same_opd(actor.employee.unit_id, kiosk.unit_id)


def can_take_over(actor: Actor, kiosk: Kiosk) -> bool:
    """Who may sign in at a counter where a colleague is still signed in (issue 19): an
    employee of the kiosk's own unit (or a unit below it), or whoever rosters the counter."""
    if not kiosk.is_active:
        return False
    return actor.employee.unit_id in org.descendant_unit_ids(kiosk.unit_id) or can_roster_kiosk(
        actor, kiosk
    )


def can_manage_duty(actor: Actor, kiosk: Kiosk, employee: Employee) -> bool:
    """Admins; the employee themself or their supervisor chain, within the kiosk's OPD."""
    if not kiosk.is_active:
        return False
    if is_admin(actor):
        return True
    if not same_opd(employee.unit_id, kiosk.unit_id):
        return False
    if actor.employee_id == employee.id:
        return True
    return org.oversees(actor.employee_id, employee, actor.day)


def can_roster_kiosk(actor: Actor, kiosk: Kiosk) -> bool:
    """Who may open a counter's roster page to put others on duty: admins and the
    supervisors whose unit contains the kiosk's unit (a revoked kiosk's roster stays
    readable; the use cases refuse changes to it)."""
    return is_admin(actor) or (
        is_supervisor(actor) and kiosk.unit_id in org.descendant_unit_ids(actor.employee.unit_id)
    )
