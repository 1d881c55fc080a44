"""The people on the home page ("Beranda"): the actor's Pejabat Penilai, the atasan Pejabat
Penilai, the officials the actor stands in for and the subordinates. No writes."""

from dataclasses import dataclass, field

from kinerja import org
from kinerja.models.org import Employee, Unit
from kinerja.permissions import Actor


@dataclass
class PeopleAround:
    """Who the home page names around the actor."""

    supervisor: Employee | None = None
    atasan: Employee | None = None
    acting_for: list[Employee] = field(default_factory=list)
    subordinates: list[Employee] = field(default_factory=list)


def people_around(actor: Actor) -> PeopleAround:
    """The actor's supervisor, the atasan Pejabat Penilai (the supervisor's supervisor or a
    stand-in, lowest id), the officials the actor acts for and the direct subordinates."""
    employee = actor.employee  # loaded with its unit by the session
    people = PeopleAround()
    if employee.supervisor_id:
        people.supervisor = Employee.get_or_none(Employee.id == employee.supervisor_id)
    supervisor = people.supervisor
    if supervisor is not None and supervisor.supervisor_id:
        stand_ins = org.stand_ins_query(supervisor.supervisor_id, actor.day)
        people.atasan = (
            Employee.select()
            .where((Employee.id == supervisor.supervisor_id) | Employee.id.in_(stand_ins))
            .order_by(Employee.id)
            .first()
        )
    if actor.acting_for:
        people.acting_for = list(
            Employee.select().where(Employee.id.in_(actor.acting_for)).order_by(Employee.id)
        )
    if actor.supervised:
        people.subordinates = list(
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
            .where(Employee.id.in_(list(actor.supervised)))
            .order_by(Employee.name)
        )
    return people
