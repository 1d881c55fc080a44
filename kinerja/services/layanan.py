"""Use cases of the service standards (docs/spec/product.md §4): the catalogue of jenis
layanan and the city days off, and the errors every service-standard use case raises.

The request log (counter and CSV import) is in :mod:`kinerja.services.layanan_log`, SKP
indicators filled from the requests in :mod:`kinerja.services.layanan_linked`, and the read
models in :mod:`kinerja.queries.layanan`. Every writing use case runs in one transaction and
is audited.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from peewee import IntegrityError

from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.models.org import Unit
from kinerja.models.service import (
    CityDayOff,
    ServiceType,
)
from kinerja.scoring import StandardUnit
from kinerja.services import audit

MAX_NAME = 160
MAX_STANDARD = 100000


class ServiceError(ValueError):
    """A use case refused: the message is Indonesian and meant for the person."""


class NotAllowed(ServiceError):
    """The actor may not do this."""


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
