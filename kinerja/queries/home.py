"""The people on the home page ("Beranda"): the actor's Pejabat Penilai, the atasan Pejabat
Penilai, the officials the actor stands in for and the subordinates. No writes."""

from dataclasses import dataclass, field

from kinerja import org
from kinerja.models.org import Employee, Unit
from kinerja.permissions import Actor
from kinerja.statements import statement


@dataclass
class PeopleAround:
    """Who the home page names around the actor."""

    supervisor: Employee | None = None
    atasan: Employee | None = None
    acting_for: list[Employee] = field(default_factory=list)
    subordinates: list[Employee] = field(default_factory=list)


# What the page shows of a person named around the actor (the template: full name, jabatan).
_NAMED = (
    Employee.id,
    Employee.name,
    Employee.gelar_depan,
    Employee.gelar_belakang,
    Employee.jabatan,
)


@statement
def _named_around(employee_id, supervisor_id, day):
    """Who the page names around a person, by id: the supervisor (``supervisor_id``), who
    may be the atasan Pejabat Penilai (``atasan_candidate``: the supervisor's supervisor and
    their stand-ins on ``day``) and the officials the person stands in for (``acted_for``)."""
    above = Employee.select(Employee.supervisor).where(Employee.id == supervisor_id)
    atasan = (Employee.id == above) | Employee.id.in_(org.stand_ins_query(above, day))
    acted_for = Employee.id.in_(org.acting_for_query(employee_id, day))
    return (
        Employee.select(*_NAMED, atasan.alias("atasan_candidate"), acted_for.alias("acted_for"))
        .where((Employee.id == supervisor_id) | atasan | acted_for)
        .order_by(Employee.id)
    )


@statement
def _subordinates(employee_id, day):
    return (
        Employee.select(
            Employee.id,
            Employee.name,
            Employee.gelar_depan,
            Employee.gelar_belakang,
            Employee.nip,
            Employee.jabatan,
            Unit.id,
            Unit.name,
            Unit.short_name,
        )
        .join(Unit)
        .where(Employee.id.in_(org.supervised_query(employee_id, day)))
        .order_by(Employee.name)
    )


def people_around(actor: Actor) -> PeopleAround:
    """The actor's supervisor, the atasan Pejabat Penilai (the supervisor's supervisor or a
    stand-in, lowest id), the officials the actor acts for and the direct subordinates."""
    employee = actor.employee  # loaded with its unit by the session
    people = PeopleAround()
    rows = _named_around(actor.employee_id, employee.supervisor_id, actor.day)
    people.supervisor = next((r for r in rows if r.id == employee.supervisor_id), None)
    if people.supervisor is not None:
        people.atasan = next((r for r in rows if r.atasan_candidate), None)
    people.acting_for = [r for r in rows if r.acted_for]
    if actor.supervised:  # the same people, read with their unit
        people.subordinates = _subordinates(actor.employee_id, actor.day)
    return people
