"""Builders for SKP tests: a year of periods, SKPs with RHK and indicators."""

from decimal import Decimal

from kinerja.clock import pinned_at, today_wib, utcnow
from kinerja.models.period import Period
from kinerja.models.skp import FeedbackNote, Indicator, Rhk, Skp
from kinerja.services import periods as period_service


def make_year(year: int | None = None, *, open_numbers=(1,), kind="TRIWULAN") -> list[Period]:
    """A year with its periods; the quarters in ``open_numbers`` are opened."""
    year = year or today_wib().year
    created = period_service.create_year(year, kind)
    for period in created:
        if period.number in open_numbers:
            # a period opens from its first day on: open a future one as on that day
            with pinned_at(max(period.start, today_wib())):
                period_service.open_period(period)
    return list(Period.select().where(Period.year == year).order_by(Period.number))


def make_skp(
    employee,
    *,
    year: int | None = None,
    status="DRAFT",
    approach="KUANTITATIF",
    rhks=(("UTAMA", "Terlaksananya pelayanan KTP-el", (("Jumlah KTP-el", "100", "keping"),)),),
    parent=None,
    version=1,
):
    """An SKP with RHK and indicators; ``status`` DISETUJUI also sets ``approved_at``."""
    year = year or today_wib().year
    now = utcnow()
    skp = Skp.create(
        employee=employee,
        year=year,
        approach=approach,
        status=status,
        version=version,
        pejabat_penilai=employee.supervisor_id,
        submitted_at=now if status in ("DIAJUKAN", "DISETUJUI") else None,
        approved_at=now if status == "DISETUJUI" else None,
        approved_by=employee.supervisor_id if status == "DISETUJUI" else None,
    )
    for position, (kind, text, indicators) in enumerate(rhks, start=1):
        rhk = Rhk.create(skp=skp, kind=kind, position=position, text=text, parent_rhk=parent)
        for i, (ind_text, target, unit) in enumerate(indicators, start=1):
            Indicator.create(
                rhk=rhk,
                position=i,
                text=ind_text,
                target_value=Decimal(target) if target else None,
                target_unit=unit,
                success_criteria="" if target else "Kriteria keberhasilan uji",
            )
    return skp


def first_rhk(skp) -> Rhk:
    """The first RHK of an SKP."""
    return Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.kind, Rhk.position).first()


def first_indicator(skp) -> Indicator:
    """The first indicator of an SKP."""
    return Indicator.select().join(Rhk).where(Rhk.skp == skp.id).order_by(Indicator.id).first()


def make_note(employee, author, text="Kerja bagus minggu ini.", kind="PUJIAN"):
    """A feedback note about ``employee``."""
    return FeedbackNote.create(
        employee=employee, author=author, day=today_wib(), kind=kind, text=text
    )
