"""Performance years and their periods: create a year, open and close a period
(docs/spec/regulation.md §1, docs/spec/product.md §2 "Deadlines and reminders")."""

import calendar
from datetime import date, timedelta

from peewee import IntegrityError

from kinerja import settings
from kinerja.clock import today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import PeriodKind, PeriodStatus
from kinerja.formatting import MONTHS, format_date
from kinerja.models.period import Period
from kinerja.services import audit

ROMAN = ("I", "II", "III", "IV")
REALISATION_DAYS = 5
SELF_ASSESSMENT_DAYS = 10
RATING_DAYS = 20


class PeriodError(ValueError):
    """A period use case refused, with an Indonesian message."""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _plan(year: int, kind: PeriodKind) -> list[tuple[int, str, date, date]]:
    if kind is PeriodKind.TRIWULAN:
        return [
            (
                q,
                f"Triwulan {ROMAN[q - 1]} {year}",
                date(year, 3 * q - 2, 1),
                _month_end(year, 3 * q),
            )
            for q in range(1, 5)
        ]
    return [
        (m, f"{MONTHS[m - 1]} {year}", date(year, m, 1), _month_end(year, m)) for m in range(1, 13)
    ]


def create_year(
    year: int,
    kind: str = "TRIWULAN",
    *,
    skp_deadline: date | None = None,
    realisation_days: int = REALISATION_DAYS,
    self_assessment_days: int = SELF_ASSESSMENT_DAYS,
    rating_days: int = RATING_DAYS,
    actor=None,
) -> list[Period]:
    """Create a year's annual period (with the SKP deadline) and its quarters or months.

    Deadlines of a periodic evaluation count from the period's last day. Refused when the
    year already exists.
    """
    if not 2000 <= int(year) <= 2100:
        raise PeriodError("Tahun harus antara 2000 dan 2100.")
    try:
        kind = PeriodKind(kind)
    except ValueError as exc:
        raise PeriodError("Jenis periode harus TRIWULAN atau BULANAN.") from exc
    if kind is PeriodKind.TAHUNAN:
        raise PeriodError("Jenis periode harus TRIWULAN atau BULANAN.")
    skp_deadline = skp_deadline or date(year, 1, 31)
    year_end = date(year, 12, 31)
    with write_tx():
        if Period.select().where(Period.year == year).exists():
            raise PeriodError(f"Periode tahun {year} sudah ada.")
        try:
            annual = Period.create(
                year=year,
                kind=PeriodKind.TAHUNAN,
                number=0,
                name=f"Tahunan {year}",
                start=date(year, 1, 1),
                end=year_end,
                skp_deadline=skp_deadline,
                realisation_deadline=year_end + timedelta(days=realisation_days),
                self_assessment_deadline=year_end + timedelta(days=self_assessment_days),
                rating_deadline=year_end + timedelta(days=rating_days),
            )
            periods = [annual]
            for number, name, start, end in _plan(year, kind):
                periods.append(
                    Period.create(
                        year=year,
                        kind=kind,
                        number=number,
                        name=name,
                        start=start,
                        end=end,
                        realisation_deadline=end + timedelta(days=realisation_days),
                        self_assessment_deadline=end + timedelta(days=self_assessment_days),
                        rating_deadline=end + timedelta(days=rating_days),
                    )
                )
        except IntegrityError as exc:
            raise PeriodError(f"Periode tahun {year} sudah ada.") from exc
        audit.record(
            "period.year_created",
            actor=actor,
            object_type="period_year",
            object_id=year,
            after={"year": year, "kind": str(kind), "periods": [p.name for p in periods]},
        )
    return periods


def _after_open(period: Period, actor) -> None:
    """What opening a period starts: the evaluations of everyone with an approved SKP."""
    from kinerja.services.evaluation import create_evaluations_for_period

    create_evaluations_for_period(period, actor)


def open_refusal(period: Period, today: date | None = None) -> str | None:
    """Why ``period`` cannot be opened today, or None. A period opens from its first day
    on, never earlier (nothing of a future period can be entered or rated yet)."""
    today = today or today_wib()
    if period.status != PeriodStatus.DIRENCANAKAN:
        return f"{period.name} tidak dapat dibuka (status {period.status})."
    if period.start > today:
        return (
            f"{period.name} belum dapat dibuka: periode ini baru dimulai "
            f"{format_date(period.start)}. Periode dibuka paling cepat pada hari pertamanya."
        )
    return None


def open_consequences(period: Period) -> dict:
    """What opening ``period`` would do, for the confirmation page: how many employees
    (active, with an approved SKP of the year, no evaluation in it yet) get an evaluation;
    the same rule as ``create_evaluations_for_period``."""
    from kinerja.enums import SkpStatus
    from kinerja.models.evaluation import Evaluation
    from kinerja.models.org import Employee
    from kinerja.models.skp import Skp

    have = Evaluation.select(Evaluation.employee).where(Evaluation.period == period.id)
    employees = (
        Skp.select(Skp.employee)
        .join(Employee, on=(Skp.employee == Employee.id))
        .where(
            (Skp.year == period.year)
            & (Skp.status == SkpStatus.DISETUJUI)
            & Employee.active
            & Skp.employee.not_in(have)
        )
        .distinct()
        .count()
    )
    return {"evaluations": employees}


def open_period(period: Period, actor=None) -> Period:
    """Open a period (from its first day on): freeze the settings in force into it, set it
    DIBUKA and create the evaluations. Cannot be undone."""
    with write_tx():
        period = Period.get_by_id(period.id)
        refusal = open_refusal(period)
        if refusal:
            raise PeriodError(refusal)
        settings.freeze(period)
        period.status = PeriodStatus.DIBUKA
        period.opened_at = utcnow()
        period.save()
        _after_open(period, actor)
        audit.record(
            "period.opened",
            actor=actor,
            object_type="period",
            object_id=period.id,
            before={"status": "DIRENCANAKAN"},
            after={"status": "DIBUKA", "name": period.name},
        )
    return period


class PeriodUnfinished(PeriodError):
    """The period cannot close yet: ``evaluations`` are not final and (annual period)
    ``followups`` lack the required development plan."""

    def __init__(self, period: Period, evaluations: list, followups: list):
        parts = []
        if evaluations:
            parts.append(f"{len(evaluations)} evaluasi belum final")
        if followups:
            parts.append(
                f"{len(followups)} predikat Butuh Perbaikan atau lebih rendah belum "
                "memiliki rencana pengembangan"
            )
        super().__init__(f"{period.name} belum dapat ditutup: " + "; ".join(parts) + ".")
        self.evaluations = evaluations
        self.followups = followups


def close_period(period: Period, actor=None) -> Period:
    """Close an open period once every evaluation is final (and, for the annual period,
    every Butuh Perbaikan or worse has a development plan); realisation is then fixed."""
    from kinerja.queries.admin_dashboard import unfinished_evaluations
    from kinerja.services import pulse
    from kinerja.services.followup import unfinished_followups

    with write_tx():
        period = Period.get_by_id(period.id)
        if period.status != PeriodStatus.DIBUKA:
            raise PeriodError(f"{period.name} tidak dapat ditutup (status {period.status}).")
        pending = unfinished_evaluations(period)
        followups = unfinished_followups(period) if period.is_annual else []
        if pending or followups:
            raise PeriodUnfinished(period, pending, followups)
        period.status = PeriodStatus.DITUTUP
        period.closed_at = utcnow()
        period.save()
        pulse.freeze_tree(period)  # the pulse groups of the period are folded over this tree
        audit.record(
            "period.closed",
            actor=actor,
            object_type="period",
            object_id=period.id,
            before={"status": "DIBUKA"},
            after={"status": "DITUTUP", "name": period.name},
        )
    return period


# --- queries -------------------------------------------------------------------------------
