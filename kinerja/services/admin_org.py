"""Admin use cases on the organisation: units and employees (docs/spec/product.md §7).

Nothing referenced is ever hard-deleted: units and employees are deactivated, history
stays. Every change is one transaction with one audit event.
"""

from datetime import date

from peewee import IntegrityError, fn

from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.enums import ActingKind, EmployeeStatus, JenisJabatan, Jenjang, UnitKind
from kinerja.models.org import ActingOfficial, Employee, Unit
from kinerja.ranks import is_valid_golongan
from kinerja.services import audit


class AdminError(ValueError):
    """A refused admin change; the message is Indonesian and shown as is."""


# --- Units --------------------------------------------------------------------------------

UNIT_FIELDS = ("code", "name", "short_name", "kind", "parent_id", "serves_public", "active")


def _unit_state(unit: Unit) -> dict:
    return {f: getattr(unit, f) for f in UNIT_FIELDS}


def _check_kind(kind: str) -> None:
    if kind not in UnitKind.__members__:
        raise AdminError("Jenis unit tidak dikenal.")


def create_unit(
    *,
    code: str,
    name: str,
    kind: str,
    parent_id=None,
    short_name="",
    serves_public=False,
    actor=None,
) -> Unit:
    """Add a unit to the tree."""
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not code or not name:
        raise AdminError("Kode dan nama unit wajib diisi.")
    _check_kind(kind)
    with write_tx():
        if parent_id is not None and Unit.get_or_none(Unit.id == parent_id) is None:
            raise AdminError("Unit induk tidak ditemukan.")
        if Unit.select().where(fn.UPPER(Unit.code) == code).exists():
            raise AdminError(f"Kode unit {code} sudah dipakai.")
        try:
            unit = Unit.create(
                code=code,
                name=name,
                short_name=(short_name or "").strip(),
                kind=kind,
                parent=parent_id,
                serves_public=bool(serves_public),
            )
        except IntegrityError as exc:
            raise AdminError(f"Kode unit {code} sudah dipakai.") from exc
        audit.record(
            "unit.created",
            actor=actor,
            object_type="unit",
            object_id=unit.id,
            after=_unit_state(unit),
        )
    return unit


def update_unit(
    unit_id: int, *, name: str, short_name: str, kind: str, serves_public: bool, actor=None
) -> Unit:
    """Rename a unit, change its kind or mark it as serving the public."""
    name = (name or "").strip()
    if not name:
        raise AdminError("Nama unit wajib diisi.")
    _check_kind(kind)
    with write_tx():
        unit = Unit.get_by_id(unit_id)
        before = _unit_state(unit)
        unit.name = name
        unit.short_name = (short_name or "").strip()
        unit.kind = kind
        unit.serves_public = bool(serves_public)
        unit.save()
        after = _unit_state(unit)
        if after != before:
            audit.record(
                "unit.updated",
                actor=actor,
                object_type="unit",
                object_id=unit.id,
                before=before,
                after=after,
            )
    return unit


def move_unit(unit_id: int, parent_id: int | None, *, actor=None) -> Unit:
    """Move a unit under another parent (or to the top); refuses cycles."""
    with write_tx():
        unit = Unit.get_by_id(unit_id)
        if parent_id is not None:
            parent = Unit.get_or_none(Unit.id == parent_id)
            if parent is None:
                raise AdminError("Unit induk tidak ditemukan.")
            seen = set()
            current = parent
            while current is not None and current.id not in seen:
                if current.id == unit.id:
                    raise AdminError(
                        "Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau unit "
                        "bawahannya."
                    )
                seen.add(current.id)
                current = Unit.get_or_none(Unit.id == current.parent_id)
        before = unit.parent_id
        if before == parent_id:
            return unit
        unit.parent = parent_id
        unit.save()
        audit.record(
            "unit.moved",
            actor=actor,
            object_type="unit",
            object_id=unit.id,
            before={"parent_id": before},
            after={"parent_id": parent_id},
        )
    return unit


def set_unit_active(unit_id: int, active: bool, *, actor=None) -> Unit:
    """Deactivate (or reactivate) a unit; refuses while it has active employees or
    active sub-units."""
    with write_tx():
        unit = Unit.get_by_id(unit_id)
        if unit.active == active:
            return unit
        if not active:
            staff = Employee.select().where((Employee.unit == unit.id) & Employee.active).count()
            if staff:
                raise AdminError(
                    f"Unit masih memiliki {staff} pegawai aktif; pindahkan atau nonaktifkan "
                    "mereka terlebih dahulu."
                )
            children = Unit.select().where((Unit.parent == unit.id) & Unit.active).count()
            if children:
                raise AdminError(
                    f"Unit masih memiliki {children} unit bawahan aktif; nonaktifkan atau "
                    "pindahkan terlebih dahulu."
                )
        elif unit.parent_id and not Unit.get_by_id(unit.parent_id).active:
            raise AdminError("Aktifkan unit induknya terlebih dahulu.")
        unit.active = active
        unit.save()
        audit.record(
            "unit.activated" if active else "unit.deactivated",
            actor=actor,
            object_type="unit",
            object_id=unit.id,
        )
    return unit


# --- Employees ----------------------------------------------------------------------------

EMPLOYEE_FIELDS = (
    "name",
    "gelar_depan",
    "gelar_belakang",
    "jabatan",
    "jenis_jabatan",
    "jenjang",
    "golongan",
    "status",
    "unit_id",
    "supervisor_id",
    "active",
)


def _employee_state(e: Employee) -> dict:
    return {f: getattr(e, f) for f in EMPLOYEE_FIELDS}


def update_employee(employee_id: int, *, actor=None, **values) -> Employee:
    """Edit an employee's data (NIP is the key and is not edited here)."""
    name = (values.get("name") or "").strip()
    jabatan = (values.get("jabatan") or "").strip()
    if not name or not jabatan:
        raise AdminError("Nama dan jabatan wajib diisi.")
    status = values.get("status")
    if status not in EmployeeStatus.__members__:
        raise AdminError("Status pegawai tidak dikenal.")
    if values.get("jenis_jabatan") not in JenisJabatan.__members__:
        raise AdminError("Jenis jabatan tidak dikenal.")
    jenjang = values.get("jenjang") or None
    if jenjang is not None and jenjang not in Jenjang.__members__:
        raise AdminError("Jenjang tidak dikenal.")
    if not is_valid_golongan(values.get("golongan") or "", status):
        raise AdminError(f"Golongan tidak berlaku untuk {status}.")
    with write_tx():
        employee = Employee.get_by_id(employee_id)
        unit = Unit.get_or_none(Unit.id == values.get("unit_id"))
        if unit is None:
            raise AdminError("Unit kerja tidak ditemukan.")
        if not unit.active and unit.id != employee.unit_id:
            raise AdminError("Unit kerja tersebut sudah nonaktif.")
        before = _employee_state(employee)
        employee.name = name
        employee.gelar_depan = (values.get("gelar_depan") or "").strip()
        employee.gelar_belakang = (values.get("gelar_belakang") or "").strip()
        employee.jabatan = jabatan
        employee.jenis_jabatan = values["jenis_jabatan"]
        employee.jenjang = jenjang
        employee.golongan = values["golongan"]
        employee.status = status
        employee.unit = unit.id
        after = {**before, **{f: getattr(employee, f) for f in EMPLOYEE_FIELDS}}
        if after != before:
            employee.updated_at = utcnow()
            employee.save()
            audit.record(
                "employee.updated",
                actor=actor,
                object_type="employee",
                object_id=employee.id,
                before=before,
                after=after,
            )
    return employee


def set_supervisor(employee_id: int, supervisor_id: int | None, *, actor=None) -> Employee:
    """Set (or clear) the direct supervisor; refuses cycles and inactive supervisors."""
    with write_tx():
        employee = Employee.get_by_id(employee_id)
        if supervisor_id is not None:
            boss = Employee.get_or_none(Employee.id == supervisor_id)
            if boss is None:
                raise AdminError("Atasan tidak ditemukan.")
            if not boss.active:
                raise AdminError("Atasan tersebut sudah nonaktif.")
            seen: set[int] = set()
            current = boss
            while current is not None and current.id not in seen:
                if current.id == employee.id:
                    raise AdminError(
                        "Atasan tersebut berada di bawah pegawai ini; rantai atasan tidak "
                        "boleh melingkar."
                    )
                seen.add(current.id)
                current = (
                    Employee.get_or_none(Employee.id == current.supervisor_id)
                    if current.supervisor_id
                    else None
                )
        before = employee.supervisor_id
        if before == supervisor_id:
            return employee
        employee.supervisor = supervisor_id
        employee.updated_at = utcnow()
        employee.save()
        audit.record(
            "employee.supervisor_set",
            actor=actor,
            object_type="employee",
            object_id=employee.id,
            before={"supervisor_id": before},
            after={"supervisor_id": supervisor_id},
        )
    return employee


def set_employee_active(employee_id: int, active: bool, *, reason: str = "", actor=None):
    """Deactivate (transfer, retirement) or reactivate an employee; history stays.

    Deactivation detaches their active subordinates' supervisor link only by audit note:
    the links stay so history reads correctly; the console lists them to be reassigned.
    """
    with write_tx():
        employee = Employee.get_by_id(employee_id)
        if employee.active == active:
            return employee
        if active and not employee.unit.active:
            raise AdminError("Unit kerja pegawai ini nonaktif; pindahkan ke unit aktif dahulu.")
        employee.active = active
        employee.updated_at = utcnow()
        employee.save()
        audit.record(
            "employee.activated" if active else "employee.deactivated",
            actor=actor,
            object_type="employee",
            object_id=employee.id,
            after={"alasan": reason.strip()[:200]} if reason else None,
        )
    return employee


def add_acting(
    *,
    acting_id: int,
    for_id: int,
    kind: str,
    start: date,
    end: date,
    note: str = "",
    actor=None,
) -> ActingOfficial:
    """Appoint a Plt/Plh for a supervisor over a date range."""
    if kind not in ActingKind.__members__:
        raise AdminError("Jenis Plt/Plh tidak dikenal.")
    if start is None or end is None or end < start:
        raise AdminError("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if acting_id == for_id:
        raise AdminError("Pegawai tidak dapat menjadi Plt/Plh untuk dirinya sendiri.")
    with write_tx():
        acting = Employee.get_or_none(Employee.id == acting_id)
        holder = Employee.get_or_none(Employee.id == for_id)
        if acting is None or holder is None:
            raise AdminError("Pegawai tidak ditemukan.")
        if not acting.active:
            raise AdminError("Pegawai yang ditunjuk sudah nonaktif.")
        overlap = ActingOfficial.select().where(
            (ActingOfficial.for_employee == for_id)
            & (ActingOfficial.acting == acting_id)
            & (ActingOfficial.start <= end)
            & (ActingOfficial.end >= start)
        )
        if overlap.exists():
            raise AdminError("Penunjukan yang sama sudah ada pada rentang tanggal tersebut.")
        row = ActingOfficial.create(
            acting=acting_id,
            for_employee=for_id,
            kind=kind,
            start=start,
            end=end,
            note=(note or "").strip(),
        )
        audit.record(
            "acting.created",
            actor=actor,
            object_type="employee",
            object_id=for_id,
            after={"acting_id": acting_id, "kind": kind, "start": start, "end": end},
        )
    return row


def end_acting(acting_row_id: int, *, day: date, actor=None) -> ActingOfficial:
    """End an acting appointment early (the row stays as history)."""
    with write_tx():
        row = ActingOfficial.get_by_id(acting_row_id)
        if row.end < day:
            raise AdminError("Penunjukan ini sudah berakhir.")
        before = row.end
        new_end = max(row.start, day)
        row.end = new_end
        row.save()
        audit.record(
            "acting.ended",
            actor=actor,
            object_type="employee",
            object_id=row.for_employee_id,
            before={"end": before},
            after={"end": new_end, "acting_id": row.acting_id},
        )
    return row
