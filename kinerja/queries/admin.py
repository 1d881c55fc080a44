"""Read models of the BKPSDM admin console (docs/spec/product.md §7): one function per page
or panel; no writes. The console views call these and render."""

import json
from dataclasses import dataclass
from datetime import datetime

from peewee import fn

from kinerja import audit_labels, org
from kinerja.enums import EmployeeStatus, JenisJabatan, PeriodStatus
from kinerja.models.account import Account, AccountRole
from kinerja.models.admin import ImportJob
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import (
    DistributionPatternVersion,
    Evaluation,
    OrgPredikatAssignment,
)
from kinerja.models.kiosk import Kiosk, KioskResponse
from kinerja.models.org import ActingOfficial, Employee, Unit
from kinerja.models.period import Period
from kinerja.models.public import PublicSnapshot
from kinerja.models.service import CityDayOff, ImportBatch
from kinerja.nip import normalise

# --- Units --------------------------------------------------------------------------------


def unit_tree(include_inactive: bool = True) -> list[tuple[Unit, int]]:
    """Every unit in tree order with its depth (one query)."""
    units = list(Unit.select().order_by(Unit.code))
    if not include_inactive:
        units = [u for u in units if u.active]
    children: dict[int | None, list[Unit]] = {}
    ids = {u.id for u in units}
    for u in units:
        parent = u.parent_id if u.parent_id in ids else None
        children.setdefault(parent, []).append(u)
    result: list[tuple[Unit, int]] = []
    seen: set[int] = set()

    def walk(parent, depth):
        for u in children.get(parent, []):
            if u.id in seen:
                continue
            seen.add(u.id)
            result.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return result


def staff_counts() -> dict[int, int]:
    """Active employees per unit id."""
    return dict(
        Employee.select(Employee.unit, fn.COUNT(Employee.id))
        .where(Employee.active)
        .group_by(Employee.unit)
        .tuples()
    )


@dataclass
class UnitPanel:
    """A unit's page: where it sits, its sub-units and (the first 200 of) its staff."""

    ancestors: list[Unit]
    children: list[Unit]
    staff: list[Employee]
    staff_total: int


STAFF_SHOWN = 200


def unit_panel(unit: Unit) -> UnitPanel:
    """The sub-units and active staff of ``unit``."""
    staff = (
        Employee.select()
        .where((Employee.unit == unit.id) & Employee.active)
        .order_by(Employee.name)
    )
    return UnitPanel(
        ancestors=list(reversed(org.ancestors(unit))),
        children=list(Unit.select().where(Unit.parent == unit.id).order_by(Unit.code)),
        staff=list(staff.limit(STAFF_SHOWN)),
        staff_total=staff.count(),
    )


def roster_template_unit() -> Unit | None:
    """The unit of the roster template's sample rows: BKPSDM if it exists, else the first
    active top unit."""
    units = Unit.select().where(Unit.active).order_by(Unit.parent.is_null(False), Unit.id)
    return units.where(fn.UPPER(Unit.code) == "BKPSDM").first() or units.first()


# --- Employees ----------------------------------------------------------------------------


def search_employees(
    *,
    q: str = "",
    unit_id: int | None = None,
    jenis: str = "",
    status: str = "",
    active: str = "",
    include_subunits: bool = True,
):
    """The employee query for the admin list (caller paginates)."""
    query = Employee.select(Employee, Unit).join(Unit)
    text = (q or "").strip()
    if text:
        # peewee's contains() escapes % and _ (LIKE metacharacters) and binds the value.
        condition = Employee.name.contains(text)
        digits = "".join(c for c in text if c.isdigit())
        if len(digits) >= 3 and digits == normalise(text):
            condition = condition | Employee.nip.contains(digits)
        query = query.where(condition)
    if unit_id:
        ids = org.descendant_unit_ids(unit_id) if include_subunits else {unit_id}
        query = query.where(Employee.unit.in_(list(ids)))
    if jenis in JenisJabatan.__members__:
        query = query.where(Employee.jenis_jabatan == jenis)
    if status in EmployeeStatus.__members__:
        query = query.where(Employee.status == status)
    if active == "1":
        query = query.where(Employee.active == True)  # noqa: E712 - peewee expression
    elif active == "0":
        query = query.where(Employee.active == False)  # noqa: E712
    return query.order_by(Employee.name, Employee.id)


def accounts_of(employees: list[Employee]) -> dict[int, Account]:
    """The accounts of some employees, by employee id."""
    return {
        a.employee_id: a
        for a in Account.select().where(Account.employee.in_([e.id for e in employees]))
    }


def employee_by_nip(raw: str) -> Employee | None:
    """The employee with this NIP / NI PPPK (typed with or without spaces), if any."""
    nip = normalise(raw or "")
    return Employee.get_or_none(Employee.nip == nip) if nip else None


@dataclass
class EmployeePanel:
    """An employee's page: Plt/Plh both ways, the account and the direct subordinates."""

    stand_ins: list[ActingOfficial]
    acting_for: list[ActingOfficial]
    account: Account | None
    subordinates: list[Employee]


def employee_panel(employee: Employee) -> EmployeePanel:
    """Who stands in for ``employee``, for whom they stand in, their account and team."""
    return EmployeePanel(
        stand_ins=list(
            ActingOfficial.select()
            .where(ActingOfficial.for_employee == employee.id)
            .order_by(ActingOfficial.start.desc())
        ),
        acting_for=list(
            ActingOfficial.select()
            .where(ActingOfficial.acting == employee.id)
            .order_by(ActingOfficial.start.desc())
        ),
        account=Account.get_or_none(Account.employee == employee.id),
        subordinates=list(
            Employee.select().where(Employee.supervisor == employee.id).order_by(Employee.name)
        ),
    )


# --- Roster import ------------------------------------------------------------------------


def recent_import_jobs(limit: int = 20) -> list[ImportJob]:
    """The latest roster import jobs (without their file content)."""
    return list(
        ImportJob.select(
            ImportJob.id,
            ImportJob.filename,
            ImportJob.status,
            ImportJob.total,
            ImportJob.summary,
            ImportJob.created_at,
        )
        .order_by(ImportJob.id.desc())
        .limit(limit)
    )


# --- Accounts -----------------------------------------------------------------------------


def search_accounts(*, unit_id: int | None = None, q: str = "", locked: bool = False):
    """The account query for the admin list (caller paginates)."""
    query = (
        Account.select(Account, Employee, Unit)
        .join(Employee)
        .join(Unit)
        .order_by(Unit.code, Employee.name)
    )
    if unit_id:
        query = query.where(Employee.unit.in_(list(org.descendant_unit_ids(unit_id))))
    if q:
        digits = normalise(q)
        cond = Employee.name.contains(q)
        if digits.isdigit():
            cond = cond | Employee.nip.contains(digits)
        query = query.where(cond)
    if locked:
        query = query.where(Account.locked_until.is_null(False))
    return query


def roles_of(accounts: list[Account]) -> dict[int, set[str]]:
    """The roles held by some accounts, by account id."""
    roles: dict[int, set[str]] = {}
    for r in AccountRole.select().where(AccountRole.account.in_([a.id for a in accounts])):
        roles.setdefault(r.account_id, set()).add(r.role)
    return roles


def employees_without_account(unit_ids: set[int] | None = None):
    """Active employees who have no account (optionally within some units)."""
    query = (
        Employee.select(Employee, Unit)
        .join(Unit)
        .where(Employee.active & ~Employee.id.in_(Account.select(Account.employee)))
    )
    if unit_ids is not None:
        query = query.where(Employee.unit.in_(list(unit_ids)))
    return query.order_by(Unit.code, Employee.name)


# --- Settings and periods -----------------------------------------------------------------


def frozen_by_open_period() -> list[tuple[Period, dict]]:
    """Each open period with the values frozen into it."""
    rows = (
        Period.select()
        .where(Period.status == PeriodStatus.DIBUKA)
        .order_by(Period.year.desc(), Period.start)
    )
    return [(p, json.loads(p.frozen_settings) if p.frozen_settings else {}) for p in rows]


def periods_by_year() -> dict[int, list[Period]]:
    """Every period grouped by year, newest year first, the annual period first."""
    rows = Period.select().order_by(Period.year.desc(), Period.kind.desc(), Period.number)
    years: dict[int, list[Period]] = {}
    for p in rows:
        years.setdefault(p.year, []).append(p)
    return years


def all_periods() -> list[Period]:
    """Every period, newest year first (the dashboard's period picker)."""
    return list(Period.select().order_by(Period.year.desc(), Period.number))


def evaluation_count(period: Period) -> int:
    """How many evaluations ``period`` has."""
    return Evaluation.select().where(Evaluation.period == period.id).count()


# --- Audit log ----------------------------------------------------------------------------


def history(object_type: str, object_id, limit: int = 100) -> list:
    """The labelled audit entries of one object, newest first."""
    return audit_labels.describe(
        AuditEvent.select()
        .where((AuditEvent.object_type == object_type) & (AuditEvent.object_id == str(object_id)))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )


def audit_events(
    *,
    person: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    sign_ins: bool = False,
    since: datetime | None = None,
    before: datetime | None = None,
):
    """The audit log filtered, newest first (naive UTC bounds; caller paginates).

    ``person`` matches the actor's label, or an NIP (then also that person's account);
    ``action`` matches the action code or its Indonesian label.
    """
    query = AuditEvent.select().order_by(AuditEvent.id.desc())
    if person:
        digits = normalise(person)
        cond = AuditEvent.actor_label.contains(person)
        if digits.isdigit():
            cond = cond | AuditEvent.actor_label.contains(digits)
            who = Employee.get_or_none(Employee.nip == digits)
            account = Account.get_or_none(Account.employee == who.id) if who else None
            if account is not None:
                cond = cond | (AuditEvent.actor_account_id == account.id)
        query = query.where(cond)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if action:
        codes = [
            code
            for code, label in audit_labels.ACTION_LABELS.items()
            if action.lower() in label.lower()
        ]
        query = query.where(AuditEvent.action.contains(action) | AuditEvent.action.in_(codes))
    if not sign_ins:
        query = query.where(AuditEvent.action.not_in(audit_labels.SIGN_IN_OUT_ACTIONS))
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if before is not None:
        query = query.where(AuditEvent.at < before)
    return query


def audit_object_types() -> list[str]:
    """The object types present in the log (for the filter)."""
    return [
        r.object_type
        for r in AuditEvent.select(AuditEvent.object_type)
        .where(AuditEvent.object_type != "")
        .distinct()
        .order_by(AuditEvent.object_type)
    ]


# --- The other areas' admin pages (evaluation, kiosks, services, publishing) ---------------


def active_units() -> list[Unit]:
    """Active units by code."""
    return list(Unit.select().where(Unit.active).order_by(Unit.code))


def periods_latest_first() -> list[Period]:
    """Every period, the latest year first and within it the latest end first."""
    return list(Period.select().order_by(Period.year.desc(), Period.end.desc()))


def org_predikat_by_unit(period: Period | None) -> dict[int, OrgPredikatAssignment]:
    """The Predikat Kinerja Organisasi assigned in ``period``, by unit id."""
    if period is None:
        return {}
    return {
        a.unit_id: a
        for a in OrgPredikatAssignment.select().where(OrgPredikatAssignment.period == period.id)
    }


def pattern_versions() -> list[DistributionPatternVersion]:
    """Every version of the distribution pattern, newest first."""
    return list(
        DistributionPatternVersion.select().order_by(DistributionPatternVersion.version.desc())
    )


def kiosks() -> list[Kiosk]:
    """Every kiosk with its unit, active ones first."""
    return list(Kiosk.select(Kiosk, Unit).join(Unit).order_by(Kiosk.status, Unit.name, Kiosk.name))


def kiosk_answer_count(kiosk: Kiosk) -> int:
    """How many answers a kiosk has recorded."""
    return KioskResponse.select().where(KioskResponse.kiosk == kiosk.id).count()


def recent_service_batches(limit: int = 10) -> list[ImportBatch]:
    """The latest service-request CSV batches."""
    return list(ImportBatch.select().order_by(ImportBatch.id.desc()).limit(limit))


def city_days_off() -> list[CityDayOff]:
    """The city's days off, latest first."""
    return list(CityDayOff.select().order_by(CityDayOff.date.desc()))


def periods_for_publishing() -> list[Period]:
    """Every period, the latest start first (shorter periods before the annual one)."""
    return list(Period.select().order_by(Period.start.desc(), Period.end.asc()))


def snapshots_by_period() -> dict[int, PublicSnapshot]:
    """The published public snapshots, by period id."""
    return {s.period_id: s for s in PublicSnapshot.select()}
