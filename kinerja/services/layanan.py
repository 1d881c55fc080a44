"""Use cases of the service standards (docs/spec/product.md §4): catalogue, counter log, CSV import,
city days off, and SKP indicators whose realisation fills itself from the requests.

Every writing use case runs in one transaction and is audited.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from peewee import IntegrityError, chunked

from kinerja.clock import to_wib, today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import Direction, PeriodStatus
from kinerja.imports.service_requests import (
    CheckResult,
    ExistingRequest,
    RowError,
    Table,
    check,
    decode,
    normalise_name,
    normalise_nip,
    read,
)
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.service import (
    CityDayOff,
    ImportBatch,
    ServiceRequest,
    ServiceType,
)
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from kinerja.permissions import Actor
from kinerja.permissions.service import (
    can_link_indicator,
    can_log_requests,
    can_note_linked_indicator,
    own_unit_chain_ids,
    skp_of,
)
from kinerja.queries.service_figures import (
    FIGURE_DIRECTION,
    LinkedFigure,
    calendar,
    employee_figures,
    figure_value,
    is_overdue,
    utc_bounds,
)
from kinerja.scoring import StandardUnit
from kinerja.services import audit

MAX_REFERENCE = 60
MAX_NAME = 160
MAX_STANDARD = 100000
SOURCE_COUNTER = "COUNTER"
SOURCE_IMPORT = "IMPORT"


class ServiceError(ValueError):
    """A use case refused: the message is Indonesian and meant for the person."""


class NotAllowed(ServiceError):
    """The actor may not do this."""


# --- catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTypeData:
    """The editable fields of a jenis layanan."""

    name: str
    standard_value: int
    standard_unit: str
    requirements: str = ""
    fee: Decimal = Decimal(0)
    active: bool = True


def _clean_type(data: ServiceTypeData) -> dict:
    name = " ".join((data.name or "").split())
    if not name:
        raise ServiceError("Nama jenis layanan wajib diisi.")
    if len(name) > MAX_NAME:
        raise ServiceError(f"Nama jenis layanan paling banyak {MAX_NAME} karakter.")
    try:
        unit = StandardUnit(data.standard_unit)
    except ValueError:
        raise ServiceError("Satuan standar waktu harus hari kerja atau menit.") from None
    value = data.standard_value
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_STANDARD:
        raise ServiceError("Standar waktu harus bilangan bulat lebih dari 0.")
    try:
        fee = Decimal(data.fee if data.fee is not None else 0)
    except (InvalidOperation, TypeError):
        raise ServiceError("Biaya harus berupa angka.") from None
    if not fee.is_finite() or fee < 0 or fee >= Decimal("1e12"):
        raise ServiceError("Biaya tidak boleh negatif.")
    return {
        "name": name,
        "standard_value": value,
        "standard_unit": unit.value,
        "requirements": (data.requirements or "").strip(),
        "fee": fee.quantize(Decimal("0.01")),
        "active": bool(data.active),
    }


def _type_snapshot(service_type: ServiceType) -> dict:
    return {
        "unit_id": service_type.unit_id,
        "name": service_type.name,
        "standard_value": service_type.standard_value,
        "standard_unit": service_type.standard_unit,
        "requirements": service_type.requirements,
        "fee": str(service_type.fee),
        "active": service_type.active,
    }


def create_service_type(actor, unit: Unit, data: ServiceTypeData) -> ServiceType:
    """Add a jenis layanan to a unit's catalogue."""
    fields = _clean_type(data)
    with write_tx():
        try:
            service_type = ServiceType.create(unit=unit, **fields)
        except IntegrityError:
            raise ServiceError(f"Jenis layanan {fields['name']!r} sudah ada di unit ini.") from None
        audit.record(
            "service.type_created",
            actor=actor,
            object_type="service_type",
            object_id=service_type.id,
            after=_type_snapshot(service_type),
        )
    return service_type


def update_service_type(actor, service_type: ServiceType, data: ServiceTypeData) -> ServiceType:
    """Change a jenis layanan (its past requests keep their history)."""
    fields = _clean_type(data)
    with write_tx():
        before = _type_snapshot(service_type)
        for key, value in fields.items():
            setattr(service_type, key, value)
        service_type.updated_at = utcnow()
        try:
            service_type.save()
        except IntegrityError:
            raise ServiceError(f"Jenis layanan {fields['name']!r} sudah ada di unit ini.") from None
        audit.record(
            "service.type_updated",
            actor=actor,
            object_type="service_type",
            object_id=service_type.id,
            before=before,
            after=_type_snapshot(service_type),
        )
    return service_type


def set_service_type_active(actor, service_type: ServiceType, active: bool) -> ServiceType:
    """Deactivate (or reactivate) a jenis layanan; it disappears from the counter."""
    with write_tx():
        before = _type_snapshot(service_type)
        service_type.active = active
        service_type.updated_at = utcnow()
        service_type.save()
        audit.record(
            "service.type_activated" if active else "service.type_deactivated",
            actor=actor,
            object_type="service_type",
            object_id=service_type.id,
            before=before,
            after=_type_snapshot(service_type),
        )
    return service_type


def catalogue(unit_id: int | None = None, active_only: bool = False) -> list[ServiceType]:
    """Service types with their units, by unit then name."""
    query = ServiceType.select(ServiceType, Unit).join(Unit)
    if unit_id is not None:
        query = query.where(ServiceType.unit == unit_id)
    if active_only:
        query = query.where(ServiceType.active)
    return list(query.order_by(Unit.name, ServiceType.name))


def service_units_for(employee: Employee) -> list[Unit]:
    """Units with an active catalogue where the employee is staff, nearest first."""
    chain = own_unit_chain_ids(employee)
    with_types = {
        row.unit_id
        for row in ServiceType.select(ServiceType.unit)
        .where(ServiceType.unit.in_(chain) & ServiceType.active)
        .distinct()
    }
    units = {u.id: u for u in Unit.select().where(Unit.id.in_(list(with_types)))}
    return [units[i] for i in chain if i in units]


# --- city days off -------------------------------------------------------------------------------


def add_day_off(actor, day: date, name: str) -> CityDayOff:
    """Add a city-specific day off (it counts as a non-working day in every figure)."""
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("Keterangan hari libur wajib diisi.")
    if len(name) > 120:
        raise ServiceError("Keterangan hari libur paling banyak 120 karakter.")
    with write_tx():
        try:
            row = CityDayOff.create(date=day, name=name)
        except IntegrityError:
            raise ServiceError("Tanggal itu sudah tercatat sebagai hari libur kota.") from None
        audit.record(
            "service.day_off_added",
            actor=actor,
            object_type="city_day_off",
            object_id=row.id,
            after={"date": day, "name": name},
        )
    return row


def remove_day_off(actor, row: CityDayOff) -> None:
    """Remove a city-specific day off."""
    with write_tx():
        before = {"date": row.date, "name": row.name}
        row.delete_instance()
        audit.record(
            "service.day_off_removed",
            actor=actor,
            object_type="city_day_off",
            object_id=row.id,
            before=before,
        )


# --- the counter ---------------------------------------------------------------------------------


def reference_prefix(unit: Unit) -> str:
    """The stem of generated reference numbers: the unit's top code ("DISDUKCAPIL")."""
    return re.sub(r"[^A-Z0-9]", "", unit.code.split(".")[0].upper()) or "LAYANAN"


def _generate_reference(unit: Unit, moment: datetime) -> str:
    stem = f"{reference_prefix(unit)}-{to_wib(moment):%Y%m%d}-"
    used = {
        row.reference
        for row in ServiceRequest.select(ServiceRequest.reference).where(
            (ServiceRequest.unit == unit.id) & ServiceRequest.reference.startswith(stem)
        )
    }
    number = len(used) + 1
    while f"{stem}{number:04d}" in used:
        number += 1
    return f"{stem}{number:04d}"


def _request_snapshot(request: ServiceRequest) -> dict:
    return {
        "unit_id": request.unit_id,
        "service_type_id": request.service_type_id,
        "reference": request.reference,
        "received_at": request.received_at,
        "completed_at": request.completed_at,
        "handler_id": request.handler_id,
        "rework": request.rework,
        "source": request.source,
    }


def register_request(
    actor: Actor,
    service_type: ServiceType,
    reference: str | None = None,
    now: datetime | None = None,
) -> ServiceRequest:
    """Register a request at the counter in one step (no citizen data needed)."""
    if not can_log_requests(actor, service_type.unit_id):
        raise NotAllowed("Hanya staf unit layanan ini yang dapat mencatat permohonan.")
    if not service_type.active:
        raise ServiceError("Jenis layanan ini tidak aktif lagi.")
    reference = " ".join((reference or "").split())
    if len(reference) > MAX_REFERENCE:
        raise ServiceError(f"Nomor permohonan paling banyak {MAX_REFERENCE} karakter.")
    moment = now or utcnow()
    with write_tx():
        unit = Unit.get_by_id(service_type.unit_id)
        if not reference:
            reference = _generate_reference(unit, moment)
        try:
            request = ServiceRequest.create(
                unit=unit,
                service_type=service_type,
                reference=reference,
                received_at=moment,
                registered_by=actor.employee_id,
                source=SOURCE_COUNTER,
            )
        except IntegrityError:
            raise ServiceError(
                f"Nomor permohonan {reference!r} sudah dipakai di unit ini."
            ) from None
        audit.record(
            "service.request_registered",
            actor=actor.account,
            object_type="service_request",
            object_id=request.id,
            after=_request_snapshot(request),
        )
    return request


def complete_request(
    actor: Actor, request: ServiceRequest, rework: bool = False, now: datetime | None = None
) -> ServiceRequest:
    """Complete a request in one step; the actor becomes its handler."""
    if not can_log_requests(actor, request.unit_id):
        raise NotAllowed("Hanya staf unit layanan ini yang dapat menyelesaikan permohonan.")
    moment = now or utcnow()
    with write_tx():
        fresh = ServiceRequest.get_by_id(request.id)
        if fresh.completed_at is not None:
            raise ServiceError(f"Permohonan {fresh.reference} sudah diselesaikan.")
        before = _request_snapshot(fresh)
        fresh.completed_at = max(moment, fresh.received_at)
        fresh.handler = actor.employee_id
        fresh.rework = bool(rework)
        fresh.save()
        audit.record(
            "service.request_completed",
            actor=actor.account,
            object_type="service_request",
            object_id=fresh.id,
            before=before,
            after=_request_snapshot(fresh),
        )
        refresh_linked_for(actor.employee_id, fresh.service_type_id, to_wib(moment).date())
    return fresh


@dataclass(frozen=True)
class OpenRequest:
    """An open request at the counter, with whether it is past its standard time."""

    request: ServiceRequest
    service_type: ServiceType
    overdue: bool


def open_requests(unit_id: int, now: datetime | None = None) -> list[OpenRequest]:
    """The unit's open requests, oldest first, each flagged when overdue."""
    moment = now or utcnow()
    cal = calendar()
    rows = (
        ServiceRequest.select(ServiceRequest, ServiceType)
        .join(ServiceType)
        .where((ServiceRequest.unit == unit_id) & ServiceRequest.completed_at.is_null())
        .order_by(ServiceRequest.received_at, ServiceRequest.id)
    )
    return [
        OpenRequest(row, row.service_type, is_overdue(row, row.service_type, moment, cal))
        for row in rows
    ]


def completed_today(unit_id: int, employee_id: int) -> int:
    """How many of the unit's requests this employee completed today (WIB)."""
    today = today_wib()
    lo, hi = utc_bounds(today, today)
    return (
        ServiceRequest.select()
        .where(
            (ServiceRequest.unit == unit_id)
            & (ServiceRequest.handler == employee_id)
            & (ServiceRequest.completed_at >= lo)
            & (ServiceRequest.completed_at < hi)
        )
        .count()
    )


# --- CSV import -------------------------------------------------------------------------------

BATCH_CHECKED = "DIPERIKSA"
BATCH_IMPORTED = "DIIMPOR"


def check_import(
    unit: Unit, content: bytes | str | Table, now: datetime | None = None
) -> CheckResult:
    """Dry run: every row error of a CSV (or of its already read table) for this unit,
    without writing anything."""
    table = content if isinstance(content, Table) else read(content)
    services = {
        normalise_name(t.name): t.id
        for t in ServiceType.select().where(ServiceType.unit == unit.id)
    }
    nips = {row.cells.get("handler_nip", "") for row in table.rows}
    nips = {normalise_nip(n) for n in nips if n}
    handlers = {}
    for chunk in chunked(sorted(nips), 500):
        handlers.update(
            {
                e.nip: e.id
                for e in Employee.select(Employee.id, Employee.nip).where(Employee.nip.in_(chunk))
            }
        )
    references = sorted({row.cells.get("reference", "") for row in table.rows} - {""})
    existing = {}
    for chunk in chunked(references, 500):
        for r in ServiceRequest.select().where(
            (ServiceRequest.unit == unit.id) & ServiceRequest.reference.in_(chunk)
        ):
            existing[r.reference] = ExistingRequest(
                r.service_type_id, r.received_at, r.completed_at, r.handler_id, r.rework
            )
    return check(
        table, services=services, handlers=handlers, existing=existing, now=now or utcnow()
    )


def upload_import(
    actor, unit: Unit, filename: str, content: bytes
) -> tuple[ImportBatch | None, CheckResult]:
    """Keep an uploaded CSV as a batch and return its dry run (no batch if unreadable)."""
    text, errors = decode(content)
    if text is None:
        return None, CheckResult(errors=errors)
    result = check_import(unit, text)
    with write_tx():
        batch = ImportBatch.create(
            unit=unit,
            filename=(filename or "permohonan.csv")[:200],
            content=text,
            status=BATCH_CHECKED,
            row_count=result.row_count,
            error_count=len(result.errors),
            created_by_account_id=getattr(actor, "id", None),
        )
        audit.record(
            "service.import_checked",
            actor=actor,
            object_type="import_batch",
            object_id=batch.id,
            after={
                "unit_id": unit.id,
                "filename": batch.filename,
                "rows": result.row_count,
                "errors": len(result.errors),
                "new": len(result.new),
                "unchanged": len(result.unchanged),
            },
        )
    return batch, result


class ImportRefused(ServiceError):
    """The file still has errors: nothing was imported."""

    def __init__(self, result: CheckResult):
        super().__init__(
            f"Impor ditolak: {len(result.errors)} kesalahan. Perbaiki berkas lalu unggah lagi."
        )
        self.result = result


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did."""

    inserted: int
    unchanged: int


def run_import(actor, batch: ImportBatch) -> ImportOutcome:
    """Import a checked batch: all rows or none, idempotent on the reference.

    The CSV is read before the write transaction opens; the rows are checked inside it
    against the data as it is then (a few indexed queries)."""
    table = read(ImportBatch.get_by_id(batch.id).content)
    with write_tx():
        batch = ImportBatch.get_by_id(batch.id)
        if batch.status == BATCH_IMPORTED:
            raise ServiceError("Berkas ini sudah diimpor.")
        unit = Unit.get_by_id(batch.unit_id)
        result = check_import(unit, table)
        if not result.ok:
            batch.error_count = len(result.errors)
            batch.save()
            raise ImportRefused(result)
        now = utcnow()
        rows = [
            {
                "unit": unit.id,
                "service_type": r.service_type_id,
                "reference": r.reference,
                "received_at": r.received_at,
                "completed_at": r.completed_at,
                "handler": r.handler_id,
                "rework": r.rework,
                "source": SOURCE_IMPORT,
                "import_batch_id": batch.id,
                "created_at": now,
            }
            for r in result.new
        ]
        try:
            for chunk in chunked(rows, 200):
                ServiceRequest.insert_many(chunk).execute()
        except IntegrityError:
            raise ServiceError(
                "Impor dibatalkan: nomor permohonan bentrok dengan data yang baru masuk. "
                "Periksa ulang berkas."
            ) from None
        batch.status = BATCH_IMPORTED
        batch.imported_count = len(rows)
        batch.skipped_count = len(result.unchanged)
        batch.error_count = 0
        batch.imported_at = now
        batch.save()
        audit.record(
            "service.import_done",
            actor=actor,
            object_type="import_batch",
            object_id=batch.id,
            after={"unit_id": unit.id, "inserted": len(rows), "unchanged": len(result.unchanged)},
        )
        touched = {
            (r.handler_id, r.service_type_id, to_wib(r.completed_at).date())
            for r in result.new
            if r.handler_id and r.completed_at
        }
        for handler_id, type_id, day in sorted(touched):
            refresh_linked_for(handler_id, type_id, day)
    return ImportOutcome(len(rows), len(result.unchanged))


def import_errors(result: CheckResult) -> list[RowError]:
    """The errors of a dry run, in row order."""
    return sorted(result.errors, key=lambda e: e.row)


# --- linked SKP indicators ---------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedDetail:
    """The numbers behind an automatic realisation (stored as ``auto_detail`` JSON)."""

    figure: str
    figure_label: str
    service_type_id: int
    service_type: str
    standard: str
    start: str
    end: str
    n: int
    on_time: int
    late: int
    rework: int
    on_time_rate: str | None
    rework_rate: str | None
    median: int | None
    p90: int | None
    duration_unit: str | None
    value: str | None

    def to_json(self) -> str:
        """The detail as JSON text."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def parse_detail(text: str) -> dict:
    """``auto_detail`` JSON as a dict (empty when absent or unreadable)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def linked_realisation_detail(indicator: Indicator, period: Period) -> LinkedDetail | None:
    """The figure of a linked indicator in a period, from the requests its owner completed
    in the period (None when the indicator is not linked)."""
    if not indicator.linked_service_type_id or not indicator.linked_figure:
        return None
    service_type = ServiceType.get_or_none(ServiceType.id == indicator.linked_service_type_id)
    if service_type is None:
        return None
    try:
        figure = LinkedFigure(indicator.linked_figure)
    except ValueError:
        return None
    employee_id = skp_of(indicator).employee_id
    table = employee_figures(employee_id, period.start, period.end, service_type.id)
    figures = table.total
    value = figure_value(figures, figure)
    return LinkedDetail(
        figure=figure.value,
        figure_label=figure.label,
        service_type_id=service_type.id,
        service_type=service_type.name,
        standard=service_type.standard_label,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        n=figures.n_completed,
        on_time=figures.n_on_time,
        late=figures.n_completed - figures.n_on_time,
        rework=figures.n_rework,
        on_time_rate=str(figures.on_time_rate) if figures.on_time_rate is not None else None,
        rework_rate=str(figures.rework_rate) if figures.rework_rate is not None else None,
        median=figures.median,
        p90=figures.p90,
        duration_unit=figures.unit.label if figures.unit else None,
        value=str(value) if value is not None else None,
    )


def refresh_linked_realisation(indicator: Indicator, period: Period) -> Realisation | None:
    """Fill a linked indicator's realisation for a period from the requests (automatic).

    Only the value and its detail change; the owner's note and evidence stay.
    """
    detail = linked_realisation_detail(indicator, period)
    if detail is None:
        return None
    value = Decimal(detail.value) if detail.value is not None else None
    text = detail.to_json()
    with write_tx():
        row = Realisation.get_or_none(
            (Realisation.indicator == indicator.id) & (Realisation.period == period.id)
        )
        if row is None:
            row = Realisation(indicator=indicator.id, period=period.id)
        old = parse_detail(row.auto_detail)
        changed = row.id is None or row.value != value or old != parse_detail(text)
        if not changed and row.automatic:
            return row
        before = {"value": row.value, "automatic": row.automatic} if row.id else None
        row.value = value
        row.automatic = True
        row.auto_detail = text
        row.updated_at = utcnow()
        row.save()
        audit.record(
            "service.realisation_refreshed",
            actor_label="sistem",
            object_type="realisation",
            object_id=row.id,
            before=before,
            after={"value": value, "n": detail.n, "figure": detail.figure},
        )
    return row


def _current_periods(year: int, day: date | None = None) -> list[Period]:
    query = Period.select().where((Period.year == year) & (Period.status != PeriodStatus.DITUTUP))
    if day is not None:
        query = query.where((Period.start <= day) & (Period.end >= day))
    else:
        query = query.where(Period.start <= today_wib())
    return list(query.order_by(Period.start, Period.id))


def refresh_linked_for(employee_id: int, service_type_id: int, day: date) -> int:
    """Refresh every linked indicator of this employee and service type in the periods that
    contain ``day`` and are not closed; return how many realisations were refreshed."""
    indicators = list(
        Indicator.select()
        .join(Rhk)
        .join(Skp)
        .where(
            (Skp.employee == employee_id)
            & (Skp.year == day.year)
            & (Indicator.linked_service_type_id == service_type_id)
            & Indicator.linked_figure.is_null(False)
        )
    )
    if not indicators:
        return 0
    count = 0
    for period in _current_periods(day.year, day):
        for indicator in indicators:
            if refresh_linked_realisation(indicator, period) is not None:
                count += 1
    return count


def linkable_service_types(employee: Employee) -> list[ServiceType]:
    """Active service types of the units where the employee is staff."""
    chain = own_unit_chain_ids(employee)
    return list(
        ServiceType.select(ServiceType, Unit)
        .join(Unit)
        .where(ServiceType.unit.in_(chain) & ServiceType.active)
        .order_by(Unit.name, ServiceType.name)
    )


def link_indicator(
    actor: Actor, indicator: Indicator, service_type_id: int | None, figure: str | None
) -> Indicator:
    """Link (or unlink, with None) a draft SKP's indicator to a service type and figure."""
    if not can_link_indicator(actor, indicator):
        raise NotAllowed("Hanya pemilik SKP berstatus draf yang dapat menautkan indikator.")
    if service_type_id is None:
        figure = None
    else:
        allowed = {t.id for t in linkable_service_types(actor.employee)}
        if service_type_id not in allowed:
            raise ServiceError("Pilih jenis layanan dari unit tempat Anda bekerja.")
        try:
            figure = LinkedFigure(figure).value
        except ValueError:
            raise ServiceError("Pilih angka layanan yang dipakai sebagai realisasi.") from None
        wanted = FIGURE_DIRECTION[LinkedFigure(figure)]
        current = Indicator.get_by_id(indicator.id).direction
        if current != wanted:
            raise ServiceError(
                f"Angka “{LinkedFigure(figure).label}” berarah “{wanted.label}”, sedangkan "
                f"arah indikator ini “{Direction(current).label}”. Pilih angka "
                "lain, atau ubah arah indikator lebih dahulu."
            )
    with write_tx():
        fresh = Indicator.get_by_id(indicator.id)
        before = {
            "linked_service_type_id": fresh.linked_service_type_id,
            "linked_figure": fresh.linked_figure,
        }
        fresh.linked_service_type_id = service_type_id
        fresh.linked_figure = figure
        fresh.save()
        if service_type_id is None:
            (
                Realisation.update(automatic=False, auto_detail="")
                .where(Realisation.indicator == fresh.id)
                .execute()
            )
        audit.record(
            "service.indicator_linked" if service_type_id else "service.indicator_unlinked",
            actor=actor.account,
            object_type="indicator",
            object_id=fresh.id,
            before=before,
            after={"linked_service_type_id": service_type_id, "linked_figure": figure},
        )
        if service_type_id is not None:
            for period in _current_periods(skp_of(fresh).year):
                refresh_linked_realisation(fresh, period)
    return fresh


def save_linked_note(
    actor: Actor,
    indicator: Indicator,
    period: Period,
    narrative: str,
    evidence_link: str = "",
    evidence_note: str = "",
) -> Realisation:
    """The owner's note beside an automatic realisation; the figure itself is not theirs
    to change."""
    if not can_note_linked_indicator(actor, indicator):
        raise NotAllowed("Hanya pemilik SKP yang dapat menambah catatan realisasi.")
    if period.status == PeriodStatus.DITUTUP:
        raise ServiceError("Periode ini sudah ditutup.")
    link = (evidence_link or "").strip()
    if link and not re.match(r"^https?://\S+$", link):
        raise ServiceError("Tautan bukti harus diawali http:// atau https://.")
    if len(link) > 500:
        raise ServiceError("Tautan bukti paling banyak 500 karakter.")
    with write_tx():
        row = refresh_linked_realisation(indicator, period)
        if row is None:
            raise ServiceError("Indikator ini tidak tertaut ke data layanan.")
        before = {
            "narrative": row.narrative,
            "evidence_link": row.evidence_link,
            "evidence_note": row.evidence_note,
        }
        row.narrative = (narrative or "").strip()[:4000]
        row.evidence_link = link
        row.evidence_note = (evidence_note or "").strip()[:4000]
        row.updated_at = utcnow()
        row.save()
        audit.record(
            "service.realisation_noted",
            actor=actor.account,
            object_type="realisation",
            object_id=row.id,
            before=before,
            after={
                "narrative": row.narrative,
                "evidence_link": row.evidence_link,
                "evidence_note": row.evidence_note,
            },
        )
    return row


def periods_of_indicator(indicator: Indicator) -> list[Period]:
    """The periods of the indicator's SKP year, in order."""
    year = skp_of(indicator).year
    return list(Period.select().where(Period.year == year).order_by(Period.start, Period.id))


@dataclass(frozen=True)
class LinkedRow:
    """One period of a linked indicator: the stored realisation and the live figures."""

    period: Period
    realisation: Realisation | None
    detail: LinkedDetail | None


def linked_realisation_rows(indicator: Indicator, today: date | None = None) -> list[LinkedRow]:
    """Per period that has started: the stored realisation and the numbers behind it
    (what ``templates/staff/service/_linked_indicator.html`` shows)."""
    today = today or today_wib()
    return [
        LinkedRow(
            period,
            realisation_of(indicator.id, period.id),
            linked_realisation_detail(indicator, period),
        )
        for period in periods_of_indicator(indicator)
        if period.start <= today
    ]


def realisation_of(indicator_id: int, period_id: int) -> Realisation | None:
    """The stored realisation of an indicator in a period, if any."""
    return Realisation.get_or_none(
        (Realisation.indicator == indicator_id) & (Realisation.period == period_id)
    )


def employees_by_id(ids: Iterable[int]) -> dict[int, Employee]:
    """Employees by id (one query)."""
    ids = list(set(ids))
    if not ids:
        return {}
    return {e.id: e for e in Employee.select().where(Employee.id.in_(ids))}
