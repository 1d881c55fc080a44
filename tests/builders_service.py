"""Builders for the service-standard tests: service types, requests, a linked SKP."""

import itertools
from datetime import UTC, date, datetime

from kinerja.clock import WIB
from kinerja.models.period import Period
from kinerja.models.service import ServiceRequest, ServiceType
from kinerja.models.skp import Indicator, Rhk, Skp

_seq = itertools.count(1)


def wib(*args) -> datetime:
    """A WIB wall-clock time as stored: naive UTC."""
    return datetime(*args, tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)


def make_service_type(
    unit, name=None, *, value=1, standard_unit="HARI_KERJA", active=True, fee=0
) -> ServiceType:
    """A jenis layanan of ``unit``."""
    return ServiceType.create(
        unit=unit,
        name=name or f"Layanan Uji {next(_seq)}",
        standard_value=value,
        standard_unit=standard_unit,
        requirements="KTP asli",
        fee=fee,
        active=active,
    )


def make_request(
    service_type, received, completed=None, *, handler=None, rework=False, reference=None
) -> ServiceRequest:
    """A stored request (times naive UTC, see :func:`wib`)."""
    return ServiceRequest.create(
        unit=service_type.unit_id,
        service_type=service_type,
        reference=reference or f"REF-{next(_seq):05d}",
        received_at=received,
        completed_at=completed,
        handler=handler,
        rework=rework,
        source="COUNTER",
    )


def make_period(year=2026, number=4, start=None, end=None, status="DIBUKA") -> Period:
    """A quarterly period (Triwulan IV of 2026 unless told)."""
    return Period.create(
        year=year,
        kind="TRIWULAN",
        number=number,
        name=f"Triwulan {number} {year}",
        start=start or date(year, 10, 1),
        end=end or date(year, 12, 31),
        status=status,
    )


def make_indicator(employee, *, year=2026, status="DRAFT", text=None) -> Indicator:
    """An SKP of ``employee`` with one RHK and one indicator (returned)."""
    skp = Skp.get_or_none((Skp.employee == employee) & (Skp.year == year))
    if skp is None:
        skp = Skp.create(employee=employee, year=year, status=status)
    rhk = Rhk.create(skp=skp, text="Terlaksananya pelayanan KTP-el yang cepat dan tepat")
    return Indicator.create(
        rhk=rhk,
        text=text or "Persentase KTP-el selesai tepat waktu",
        target_value=95,
        target_unit="%",
    )
