"""A built world for the participation figures (issue 23 part 3): this year's periods with
deadlines around today, SKP at every stage, evaluations, an objection and development plans,
spread over the world's unit tree (tests/conftest.py ``world``)."""

from datetime import timedelta
from decimal import Decimal

from kinerja.clock import today_wib, utcnow
from kinerja.enums import PeriodKind
from kinerja.models.evaluation import DevelopmentPlan, Objection
from kinerja.models.period import Period
from tests.builders import make_employee
from tests.builders_evaluation import add_realisation, make_approved_skp, make_evaluation
from tests.builders_skp import make_skp


def make_participation_world(world) -> dict:
    """Fill ``world``: this year's SKP deadline and the open period's realisation and
    self-assessment deadlines passed yesterday, the rating deadline in ten days.

    Seksi (4 staff): the kasi's SKP a draft; the pegawai approved, realisation complete,
    result final and acknowledged, a development plan on track; the peer approved, one of
    two realisations, self-assessment not done; "Pegawai Berkeberatan" approved, nothing
    realised, keberatan filed, a development plan overdue. Bidang: the kabid's SKP
    submitted. OPD: the kadis has no SKP. BKPSDM: admin and auditor, no SKP.
    Returns the period and the extra employee."""
    today = today_wib()
    yesterday = today - timedelta(days=1)
    year = today.year
    Period.create(
        year=year,
        kind=PeriodKind.TAHUNAN,
        number=0,
        name=f"Tahunan {year}",
        start=today.replace(month=1, day=1),
        end=today.replace(month=12, day=31),
        status="DIBUKA",
        skp_deadline=yesterday,
    )
    period = Period.create(
        year=year,
        kind=PeriodKind.TRIWULAN,
        number=1,
        name=f"Triwulan Uji {year}",
        start=today - timedelta(days=60),
        end=today - timedelta(days=5),
        status="DIBUKA",
        realisation_deadline=yesterday,
        self_assessment_deadline=yesterday,
        rating_deadline=today + timedelta(days=10),
    )
    p = world.people
    seksi = world.units["seksi"]
    objector = make_employee("Pegawai Berkeberatan", unit=seksi, supervisor=p["supervisor"])
    make_skp(p["supervisor"], year=year, status="DRAFT")
    make_skp(p["atasan"], year=year, status="DIAJUKAN")
    done = make_approved_skp(p["pegawai"], year)
    add_realisation(done, period, [100, 100])
    half = make_approved_skp(p["peer"], year)
    add_realisation(half, period, [50])
    make_approved_skp(objector, year)
    final = make_evaluation(p["pegawai"], period, status="FINAL", acknowledged_at=utcnow())
    make_evaluation(p["peer"], period, status="TERBUKA")
    objected = make_evaluation(objector, period, status="KEBERATAN")
    Objection.create(evaluation=objected, reasons="Tidak sesuai realisasi.")
    for ev, employee, due, status in (
        (final, p["pegawai"], today + timedelta(days=30), "BERJALAN"),
        (objected, objector, yesterday, "RENCANA"),
    ):
        DevelopmentPlan.create(
            evaluation=ev,
            employee=employee,
            kind="COACHING",
            description="Pendampingan penyusunan laporan",
            owner=p["supervisor"],
            due=due,
            status=status,
        )
    return {"period": period, "objector": objector, "target": Decimal(100)}
