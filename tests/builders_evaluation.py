"""Builders for evaluation tests: periods, approved SKPs, evaluations, raters."""

import itertools
from datetime import date
from decimal import Decimal

from kinerja import settings
from kinerja.clock import utcnow
from kinerja.enums import PeriodKind, PeriodStatus
from kinerja.models.evaluation import Evaluation
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, PerilakuExpectation, Realisation, Rhk, Skp
from kinerja.permissions import Actor
from tests.builders import make_account, make_employee

_seq = itertools.count(1)


def make_period(year=2026, number=None, *, kind="TRIWULAN", status="DIBUKA", start=None, end=None):
    """A period (opened: settings frozen) with deadlines in the future. By default one of
    the quarters I–III, which have ended at the pinned 26 November 2026 (an evaluation is
    finalised only after its period ends)."""
    number = number if number is not None else next(_seq) % 3 + 1
    if kind == PeriodKind.TAHUNAN:
        number = 0
        start, end = start or date(year, 1, 1), end or date(year, 12, 31)
    else:
        start = start or date(year, 3 * number - 2, 1)
        end = end or date(year, 3 * number, 28)
    period = Period.create(
        year=year,
        kind=kind,
        number=number,
        name=f"Uji {kind} {number} {year}",
        start=start,
        end=end,
        status=PeriodStatus.DIRENCANAKAN,
        self_assessment_deadline=date(2099, 1, 10),
        rating_deadline=date(2099, 1, 20),
    )
    if status != PeriodStatus.DIRENCANAKAN:
        settings.freeze(period)
        period.status = status
        period.opened_at = utcnow()
        period.save()
    return period


def make_approved_skp(employee, year=2026, *, indicators=((100, 120), (100, 100))):
    """An approved SKP: one Utama RHK with indicators (target, realisation) per period."""
    skp = Skp.create(
        employee=employee,
        year=year,
        status="DISETUJUI",
        pejabat_penilai=employee.supervisor_id,
        approved_at=utcnow(),
    )
    rhk = Rhk.create(skp=skp, kind="UTAMA", position=1, text="Layanan KTP-el tepat waktu")
    for i, (target, _) in enumerate(indicators, start=1):
        Indicator.create(
            rhk=rhk,
            position=i,
            text=f"Jumlah dokumen {i}",
            target_value=Decimal(target),
            target_unit="dokumen",
        )
    PerilakuExpectation.create(skp=skp, value="BERORIENTASI_PELAYANAN", text="Ramah")
    return skp


def add_realisation(skp, period, values):
    """Realisation values for the SKP's indicators, in order."""
    indicators = list(
        Indicator.select().join(Rhk).where(Rhk.skp == skp.id).order_by(Indicator.position)
    )
    for ind, value in zip(indicators, values, strict=False):
        Realisation.create(indicator=ind, period=period, value=Decimal(value))


def make_evaluation(employee, period, skp=None, **fields):
    """An evaluation row (status TERBUKA unless given)."""
    skp = skp or (
        Skp.get_or_none((Skp.employee == employee.id) & (Skp.year == period.year))
        or make_approved_skp(employee, period.year)
    )
    return Evaluation.create(
        employee=employee, period=period, skp=skp, unit=employee.unit_id, **fields
    )


def actor_of(world, key):
    """The Actor for a world person."""
    return Actor(world.accounts[key])


def make_peers(world, count=5):
    """``count`` more peers of the world's pegawai (same supervisor) with accounts."""
    peers = []
    for i in range(count):
        person = make_employee(
            f"Rekan Tambahan {i + 1}",
            unit=world.units["seksi"],
            supervisor=world.people["supervisor"],
        )
        make_account(person)
        peers.append(person)
    return peers
