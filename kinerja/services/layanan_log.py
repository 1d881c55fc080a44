"""Use cases of the request log of the service standards (docs/spec/product.md §4): a
request registered and completed at the counter, or brought in by a CSV import (upload with
its dry run, then an all-or-nothing import). Each write refreshes the linked SKP
indicators of the handler (:mod:`kinerja.services.layanan_linked`).
"""

import re
from dataclasses import dataclass
from datetime import datetime

from peewee import IntegrityError, chunked

from kinerja.clock import to_wib, utcnow
from kinerja.db import write_tx
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
from kinerja.models.service import (
    ImportBatch,
    ServiceRequest,
    ServiceType,
)
from kinerja.permissions import Actor
from kinerja.permissions.service import (
    can_log_requests,
)
from kinerja.services import audit
from kinerja.services.layanan import NotAllowed, ServiceError
from kinerja.services.layanan_linked import refresh_linked_for

MAX_REFERENCE = 60
SOURCE_COUNTER = "COUNTER"
SOURCE_IMPORT = "IMPORT"


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
