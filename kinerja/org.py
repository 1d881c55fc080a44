"""Queries over the organisation: supervisor chains, acting officials, unit heads.

Supervisor, Pejabat Penilai and atasan Pejabat Penilai are derived from the chain and the
acting officials for a given day (docs/spec/regulation.md §9), never stored as flags.
"""

from dataclasses import dataclass
from datetime import date

from peewee import JOIN

from kinerja.models.account import Account
from kinerja.models.org import ActingOfficial, Employee, Unit
from kinerja.statements import statement

MAX_CHAIN = 12

# The Pejabat Pembina Kepegawaian: above the top of the roster (the Sekretaris Daerah), in
# no roster and with no account. Every supervisor chain of the Pemda ends with him.
PPK_TITLE = "Wali Kota Sibolga"


def direct_subordinates(employee_id: int) -> list[Employee]:
    """Active employees whose direct supervisor is ``employee_id``, by name."""
    return list(
        Employee.select(Employee, Unit)
        .join(Unit)
        .where((Employee.supervisor == employee_id) & Employee.active)
        .order_by(Employee.name)
    )


def acting_for_query(employee_id, day):
    """The query of the ids of the supervisors ``employee_id`` stands in for on ``day``
    (usable as a subquery, also of a statement)."""
    return ActingOfficial.select(ActingOfficial.for_employee).where(
        (ActingOfficial.acting == employee_id)
        & (ActingOfficial.start <= day)
        & (ActingOfficial.end >= day)
    )


_acting_for = statement(acting_for_query)


def acting_for_ids(employee_id: int, day: date) -> list[int]:
    """Ids of the supervisors ``employee_id`` stands in for (Plt/Plh) on ``day``."""
    return [row.for_employee_id for row in _acting_for.cursor(employee_id, day)]


def stand_ins_query(supervisor_id: int, day: date):
    """The query of the ids of the acting officials standing in for ``supervisor_id`` on
    ``day`` (usable as a subquery)."""
    return ActingOfficial.select(ActingOfficial.acting).where(
        (ActingOfficial.for_employee == supervisor_id)
        & (ActingOfficial.start <= day)
        & (ActingOfficial.end >= day)
    )


_stand_ins = statement(stand_ins_query)


def stand_in_ids(supervisor_id: int, day: date) -> list[int]:
    """Ids of the acting officials standing in for ``supervisor_id`` on ``day``."""
    return [row.acting_id for row in _stand_ins.cursor(supervisor_id, day)]


def supervised_query(employee_id, day):
    """The query of the ids of the employees this person rates on ``day`` (see
    :func:`supervised_ids`; usable as a subquery, also of a statement).

    A UNION of the direct subordinates and those of the supervisors stood in for, not one
    ``WHERE`` with ``OR``: PostgreSQL reads each half through the index on
    ``supervisor_id``, where the ``OR`` made it scan every employee for every page that
    asks (on the generated city a team page's realisation count took 30 ms, now 5 ms).
    """
    others = Employee.active & (Employee.id != employee_id)
    direct = Employee.select(Employee.id).where((Employee.supervisor == employee_id) & others)
    acting = Employee.select(Employee.id).where(
        Employee.supervisor.in_(acting_for_query(employee_id, day)) & others
    )
    return direct | acting


_supervised = statement(supervised_query)


def supervised_ids(employee_id: int, day: date) -> set[int]:
    """Employees this person rates on ``day``: direct subordinates and, as Plt/Plh,
    the subordinates of the supervisor they stand in for."""
    return {r.id for r in _supervised.cursor(employee_id, day)}


def raters_of(employee: Employee, day: date) -> set[int]:
    """Pejabat Penilai of ``employee`` on ``day``: the supervisor and their stand-ins."""
    if employee.supervisor_id is None:
        return set()
    return {employee.supervisor_id, *stand_in_ids(employee.supervisor_id, day)}


def atasan_penilai_of(employee: Employee, day: date) -> set[int]:
    """Atasan Pejabat Penilai: the supervisor's supervisor and their stand-ins."""
    if employee.supervisor_id is None:
        return set()
    supervisor = Employee.get_or_none(Employee.id == employee.supervisor_id)
    if supervisor is None:
        return set()
    return raters_of(supervisor, day)


@dataclass(frozen=True)
class ObjectionDecider:
    """Who decides a keberatan of an employee on a day (docs/spec/regulation.md §6, §9).

    Either people with an account who decide in the portal (``account_holders``: the
    atasan Pejabat Penilai and their Plt/Plh), or one official without an account
    (``official``: the Wali Kota, or a roster official who has no account) whose written
    decision an Admin BKPSDM records. Never both, never neither.
    """

    account_holders: frozenset[int] = frozenset()
    official: str | None = None
    official_employee_id: int | None = None

    @property
    def recorded_by_admin(self) -> bool:
        """The decision is made outside the portal and recorded by an admin."""
        return self.official is not None


def official_title(employee: Employee) -> str:
    """How a roster official is named as a decider: jabatan and name."""
    return f"{employee.jabatan} ({employee.full_name})"


def objection_decider(employee: Employee, day: date) -> ObjectionDecider:
    """The decider of a keberatan filed by ``employee`` on ``day``.

    The chain to its top (docs/spec/regulation.md §9): the atasan Pejabat Penilai is the
    supervisor's
    supervisor (or their Plt/Plh). When the supervisor is the top of the roster (the Sekda
    rating a kepala dinas), the atasan is the Wali Kota, above the roster. When the employee
    is the top himself (the Sekda, rated by the Wali Kota), the Wali Kota, as Pejabat Pembina
    Kepegawaian, is the last official of the Pemda and decides too. An atasan in the roster
    without an active account is an official without an account as well.
    """
    supervisor = None
    if employee.supervisor_id is not None:
        supervisor = Employee.get_or_none(Employee.id == employee.supervisor_id)
    if supervisor is None or supervisor.supervisor_id is None:
        return ObjectionDecider(official=PPK_TITLE)
    candidates = raters_of(supervisor, day) - {employee.id}
    holders = frozenset(
        row.employee_id
        for row in Account.select(Account.employee)
        .join(Employee)
        .where(Account.employee.in_(list(candidates)) & Account.active & Employee.active)
    )
    if holders:
        return ObjectionDecider(account_holders=holders)
    atasan = Employee.get_or_none(Employee.id == supervisor.supervisor_id)
    if atasan is None:  # pragma: no cover - a dangling supervisor id cannot exist (FK)
        return ObjectionDecider(official=PPK_TITLE)
    return ObjectionDecider(official=official_title(atasan), official_employee_id=atasan.id)


def chain_above_ids(employee: Employee) -> list[int]:
    """The supervisor chain above ``employee``, nearest first (cycle-safe)."""
    chain: list[int] = []
    current = employee.supervisor_id
    while current is not None and current not in chain and len(chain) < MAX_CHAIN:
        chain.append(current)
        current = Employee.select(Employee.supervisor).where(Employee.id == current).scalar()
    return chain


def oversees(viewer_id: int, employee: Employee, day: date) -> bool:
    """Whether ``viewer_id`` is anywhere in the supervisor chain above ``employee``
    (directly, or as a Plt/Plh standing in for someone in it)."""
    chain = chain_above_ids(employee)
    if viewer_id in chain:
        return True
    standing_for = set(acting_for_ids(viewer_id, day))
    return bool(standing_for.intersection(chain))


def unit_head(unit_id: int) -> Employee | None:
    """The head of a unit: its active structural official whose supervisor is outside it."""
    return _unit_head_query(unit_id, Employee).first()


@statement
def _unit_head_id(unit_id):
    return _unit_head_query(unit_id, Employee.id).limit(1)


def unit_head_id(unit_id: int) -> int | None:
    """The id of :func:`unit_head` (reads one column)."""
    return _unit_head_id.scalar(unit_id)


def _unit_head_query(unit_id: int, *selection):
    Boss = Employee.alias()
    return (
        Employee.select(*selection)
        .join(Boss, JOIN.LEFT_OUTER, on=(Employee.supervisor == Boss.id))
        .where(
            (Employee.unit == unit_id)
            & Employee.active
            & Employee.jenis_jabatan.in_(["JPT", "ADMINISTRATOR", "PENGAWAS"])
            & (Boss.id.is_null() | (Boss.unit != unit_id))
        )
        .order_by(Employee.id)
    )


def unit_heads() -> dict[int, int]:
    """Every unit's head (as :func:`unit_head`), in one query: unit id → employee id."""
    Boss = Employee.alias()
    query = (
        Employee.select(Employee.id, Employee.unit)
        .join(Boss, JOIN.LEFT_OUTER, on=(Employee.supervisor == Boss.id))
        .where(
            Employee.active
            & Employee.jenis_jabatan.in_(["JPT", "ADMINISTRATOR", "PENGAWAS"])
            & (Boss.id.is_null() | (Boss.unit != Employee.unit))
        )
        .order_by(Employee.id.desc())
        .tuples()
    )
    return {unit_id: employee_id for employee_id, unit_id in query}  # the lowest id wins


def below_ids(viewer_ids: set[int]) -> set[int]:
    """Everyone whose supervisor chain (:func:`chain_above_ids`) holds one of ``viewer_ids``:
    one query per level of the organisation, whatever its size."""
    found: set[int] = set()
    frontier = set(viewer_ids)
    for _ in range(MAX_CHAIN):
        if not frontier:
            break
        rows = Employee.select(Employee.id).where(Employee.supervisor.in_(list(frontier)))
        frontier = {row.id for row in rows} - found
        found |= frontier
    return found


def descendant_unit_ids(unit_id: int) -> set[int]:
    """The unit and every unit below it."""
    result = {unit_id}
    frontier = [unit_id]
    while frontier:
        children = [u.id for u in Unit.select(Unit.id).where(Unit.parent.in_(frontier))]
        frontier = [c for c in children if c not in result]
        result.update(frontier)
    return result


def ancestors(unit: Unit) -> list[Unit]:
    """The units above ``unit``, nearest first."""
    result = []
    seen = {unit.id}
    current = unit.parent_id
    while current is not None and current not in seen:
        parent = Unit.get_or_none(Unit.id == current)
        if parent is None:
            break
        result.append(parent)
        seen.add(parent.id)
        current = parent.parent_id
    return result


def opd_of(unit: Unit) -> Unit:
    """The OPD (top unit) a unit belongs to."""
    chain = ancestors(unit)
    return chain[-1] if chain else unit


UNIT_PLACEHOLDER = "— Pilih unit —"


def unit_choices(
    *, include_inactive: bool = False, only: set[int] | None = None, blank: str | None = None
) -> list[tuple[int | str, str]]:
    """Units for a picker, in tree order, each labelled with its parents so that no two
    labels are equal: "Sekretariat — Dinas Kesehatan", "Seksi X — Bidang Y — Dinas Z".

    ``only`` keeps those unit ids (their parents still name them); ``blank`` puts an empty
    first option (the default "— Pilih unit —"), so a new object's unit is never preselected.
    """
    units = list(Unit.select().order_by(Unit.name, Unit.code))
    by_id = {u.id: u for u in units}
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id if u.parent_id in by_id else None, []).append(u)

    def path(unit: Unit) -> list[str]:
        names, seen = [], set()
        while unit is not None and unit.id not in seen and len(names) < MAX_CHAIN:
            seen.add(unit.id)
            names.append(unit.name)
            unit = by_id.get(unit.parent_id)
        return names

    ordered: list[Unit] = []
    visited: set[int] = set()

    def walk(parent):
        for u in children.get(parent, []):
            if u.id not in visited:
                visited.add(u.id)
                ordered.append(u)
                walk(u.id)

    walk(None)
    picked = [
        u for u in ordered if (include_inactive or u.active) and (only is None or u.id in only)
    ]
    labels = {u.id: " — ".join(path(u)) for u in picked}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    result: list[tuple[int | str, str]] = [("", blank)] if blank is not None else []
    for u in picked:
        label = labels[u.id]
        result.append((u.id, f"{label} ({u.code})" if counts[label] > 1 else label))
    return result
