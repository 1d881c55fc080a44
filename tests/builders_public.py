"""Builders for the public pages: periods, kiosk answers, service requests, evaluations."""

import itertools
import uuid
from datetime import date, datetime, timedelta

from kinerja.models.evaluation import Evaluation
from kinerja.models.kiosk import Kiosk, KioskResponse
from kinerja.models.period import Period
from kinerja.models.service import ServiceRequest, ServiceType
from tests.builders import make_employee

_seq = itertools.count(1)


def make_period(year=2026, number=1, *, kind="TRIWULAN", status="DIBUKA", start=None, end=None):
    """A period (a quarter by default; number 0 with kind TAHUNAN for the year)."""
    if kind == "TAHUNAN":
        start, end, name = date(year, 1, 1), date(year, 12, 31), f"Tahunan {year}"
    else:
        start = start or date(year, 3 * number - 2, 1)
        end = end or (date(year + (number == 4), (3 * number) % 12 + 1, 1) - timedelta(days=1))
        name = f"Triwulan {number} {year}"
    return Period.create(
        year=year,
        kind=kind,
        number=number,
        name=name,
        start=start,
        end=end,
        status=status,
        skp_deadline=date(year, 1, 31) if kind == "TAHUNAN" else None,
    )


def make_kiosk(unit):
    """A kiosk at ``unit``."""
    return Kiosk.create(unit=unit, name=f"Kios {next(_seq)}")


def add_answers(
    unit, day, count, values=(4, 3, 3, 4, 3, 3, 4, 3, 3), *, face=4, kiosk=None, phone=False
):
    """``count`` SKM answers at ``unit`` on ``day`` (each unsur answered with ``values``),
    at a kiosk of the unit, or from citizens' phones (channel "ponsel", no kiosk)."""
    if not phone:
        kiosk = kiosk or Kiosk.get_or_none(Kiosk.unit == unit) or make_kiosk(unit)
    rows = [
        {
            "client_id": str(uuid.uuid4()),
            "kiosk": None if phone else kiosk.id,
            "channel": "ponsel" if phone else "kiosk",
            "unit": unit.id,
            "day": day,
            "hour": 9,
            "face": face,
            **{f"u{i + 1}": v for i, v in enumerate(values)},
            "comment": "Komentar rahasia warga",
        }
        for _ in range(count)
    ]
    if rows:
        KioskResponse.insert_many(rows).execute()


def make_service_type(unit, name="Penerbitan KTP-el", value=1, std_unit="HARI_KERJA"):
    """A jenis layanan of ``unit``."""
    return ServiceType.create(unit=unit, name=name, standard_value=value, standard_unit=std_unit)


def add_requests(
    service_type, received, count, *, hours=2, rework=False, completed=True, handler=None
):
    """``count`` requests received at ``received`` (naive UTC), completed ``hours`` later
    (by ``handler``, an Employee, when given)."""
    rows = [
        {
            "unit": service_type.unit_id,
            "service_type": service_type.id,
            "reference": f"REG-{next(_seq)}",
            "received_at": received,
            "completed_at": received + timedelta(hours=hours) if completed else None,
            "rework": rework,
            "handler": handler.id if handler is not None else None,
        }
        for _ in range(count)
    ]
    if rows:
        ServiceRequest.insert_many(rows).execute()


def add_evaluations(unit, period, counts, *, status="FINAL"):
    """One employee with a final evaluation per count: ``{"BAIK": 12, "SANGAT_BAIK": 3}``."""
    made = []
    for predikat, n in counts.items():
        for _ in range(n):
            employee = make_employee(unit=unit)
            made.append(
                Evaluation.create(
                    employee=employee, period=period, unit=unit, status=status, predikat=predikat
                )
            )
    return made


def noon(day: date) -> datetime:
    """Naive UTC at noon WIB of ``day``."""
    return datetime(day.year, day.month, day.day, 5, 0)
