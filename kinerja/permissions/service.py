"""Who may log, read and link service-standard data (docs/spec/product.md §4)."""

from kinerja import org
from kinerja.models.org import Employee, Unit
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from kinerja.permissions import (
    Actor,
    can_view_employee,
    is_admin,
    is_supervisor,
    reads_all_internal,
)
from kinerja.permissions import skp as skp_permissions


def own_unit_chain_ids(employee: Employee) -> list[int]:
    """The employee's unit and every unit above it, nearest first: the units whose staff
    the employee is."""
    unit = Unit.get_by_id(employee.unit_id)
    return [unit.id, *(u.id for u in org.ancestors(unit))]


def is_unit_staff(employee: Employee, unit_id: int) -> bool:
    """Whether ``employee`` works in the unit or in a unit below it."""
    return employee.active and unit_id in own_unit_chain_ids(employee)


def can_log_requests(actor: Actor, unit_id: int) -> bool:
    """Only staff of the service unit (its own unit or below) register and complete its
    requests; admins and auditors do not log for a counter they do not work at."""
    return is_unit_staff(actor.employee, unit_id)


def can_view_counter(actor: Actor, unit_id: int) -> bool:
    """The open-request list: the unit's staff, and admins and auditors (read)."""
    return can_log_requests(actor, unit_id) or reads_all_internal(actor)


def can_view_unit_figures(actor: Actor, unit_id: int) -> bool:
    """Per-unit figures: supervisors working in the unit's branch (in it, below it or
    above it), admins and auditors."""
    if reads_all_internal(actor):
        return True
    if not is_supervisor(actor):
        return False
    mine = actor.employee.unit_id
    return unit_id in org.descendant_unit_ids(mine) or mine in org.descendant_unit_ids(unit_id)


def can_view_employee_figures(actor: Actor, employee: Employee) -> bool:
    """Per-employee figures: the employee, their supervisor chain, admins and auditors."""
    return can_view_employee(actor, employee)


def can_manage_catalogue(actor: Actor) -> bool:
    """The service catalogue, city days off and imports are changed by admins only."""
    return is_admin(actor)


def skp_of(indicator: Indicator) -> Skp:
    """The SKP an indicator belongs to."""
    return Skp.select().join(Rhk).where(Rhk.id == indicator.rhk_id).get()


def can_link_indicator(actor: Actor, indicator: Indicator) -> bool:
    """Linking an indicator to service data: the owner of the SKP while its plan may change
    (the SKP area's rule: draft or returned)."""
    skp = skp_of(indicator)
    return skp_permissions.can_edit_skp(actor, skp) and skp_permissions.is_editable(skp)


def can_view_linked_indicator(actor: Actor, indicator: Indicator) -> bool:
    """A linked indicator's automatic realisation: whoever may see the SKP's owner."""
    return can_view_employee(actor, Employee.get_by_id(skp_of(indicator).employee_id))


def can_note_linked_indicator(actor: Actor, indicator: Indicator) -> bool:
    """Only the owner adds a note (narrative, evidence) beside the automatic figure."""
    return skp_of(indicator).employee_id == actor.employee_id


def value_is_automatic(realisation: Realisation | None) -> bool:
    """An automatic (service-linked) realisation's value is not the employee's to change:
    they may add a narrative and evidence only."""
    return bool(realisation is not None and realisation.automatic)
