"""Who may do what: named predicates shared by the web views and the CLI.

Core predicates live here; each area adds ``kinerja/permissions/<area>.py``.

An :class:`Actor` is built once per request from the logged-in account; its derived facts
(roles, who the person supervises today) are computed lazily and cached for the request.
Object-level predicates take the actor and the object.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from kinerja import org
from kinerja.clock import today_wib
from kinerja.enums import Role
from kinerja.models.account import Account, AccountRole
from kinerja.models.org import Employee
from kinerja.statements import statement


@statement
def _roles(account_id):
    return AccountRole.select(AccountRole.role).where(AccountRole.account == account_id)


@dataclass
class Actor:
    """The person behind a request, with their derived roles."""

    account: Account
    day: date = field(default_factory=today_wib)

    @property
    def employee(self) -> Employee:
        """The employee record of the account."""
        return self.account.employee

    @property
    def employee_id(self) -> int:
        """Id of the actor's employee record."""
        return self.account.employee_id

    @cached_property
    def roles(self) -> frozenset[str]:
        """Roles held as data (admin, auditor)."""
        return frozenset(r.role for r in _roles.cursor(self.account.id))

    @cached_property
    def acting_for(self) -> tuple[int, ...]:
        """Supervisors this actor stands in for today (Plt/Plh), read once per request."""
        return tuple(org.acting_for_ids(self.employee_id, self.day))

    @cached_property
    def supervised(self) -> frozenset[int]:
        """Employees this actor rates today (direct, or as Plt/Plh)."""
        return frozenset(org.supervised_ids(self.employee_id, self.day))


def is_admin(actor: Actor) -> bool:
    """Admin BKPSDM."""
    return Role.ADMIN in actor.roles


def is_auditor(actor: Actor) -> bool:
    """Auditor (Inspektorat): reads everything internal, changes nothing."""
    return Role.AUDITOR in actor.roles


def reads_all_internal(actor: Actor) -> bool:
    """Admins and auditors read every internal page."""
    return is_admin(actor) or is_auditor(actor)


def is_supervisor(actor: Actor) -> bool:
    """Someone with subordinates today (or acting for someone who has)."""
    return bool(actor.supervised)


def can_view_employee(actor: Actor, employee: Employee) -> bool:
    """Self, the supervisor chain above (including Plt/Plh), admins and auditors."""
    if actor.employee_id == employee.id or reads_all_internal(actor):
        return True
    return org.oversees(actor.employee_id, employee, actor.day)


def can_supervise(actor: Actor, employee: Employee) -> bool:
    """The Pejabat Penilai of ``employee`` today (direct supervisor or stand-in)."""
    return employee.id in actor.supervised


def is_atasan_penilai(actor: Actor, employee: Employee) -> bool:
    """The atasan Pejabat Penilai of ``employee`` today."""
    return actor.employee_id in org.atasan_penilai_of(employee, actor.day)
