"""The demo tells the same story on every date (kinerja.demo.story): the previous quarter
evaluated, the current one open, two complete quarters of public data, nothing in the future.
Seeded on awkward dates: a quarter's last morning, 1 January, the first day of TW II, the
last day of TW II and 29 February 2028."""

from datetime import date, timedelta

import pytest
from peewee import fn

from kinerja import clock, demo, migrations, passwords
from kinerja.db import database, open_database
from kinerja.demo import story
from kinerja.enums import EvaluationStatus, PeriodKind, PeriodStatus
from kinerja.models.evaluation import Evaluation, Objection
from kinerja.models.kiosk import KioskResponse
from kinerja.models.period import Period
from kinerja.models.public import PublicSnapshot
from kinerja.models.skp import Realisation, Skp

DATES = ["2026-12-31T06:30", "2027-01-01T07:00", "2027-04-01", "2027-06-30", "2028-02-29"]


@pytest.mark.parametrize(
    ("day", "quarter", "previous", "start"),
    [
        (date(2026, 11, 26), (2026, 4), (2026, 3), date(2026, 4, 1)),
        (date(2027, 1, 1), (2027, 1), (2026, 4), date(2026, 7, 1)),
        (date(2027, 6, 30), (2027, 2), (2027, 1), date(2026, 10, 1)),
        (date(2028, 2, 29), (2028, 1), (2027, 4), date(2027, 7, 1)),
    ],
)
def test_story_calendar(day, quarter, previous, start):
    assert story.quarter_of(day) == quarter
    assert story.previous_quarter(day) == previous
    assert story.data_start(day) == start
    assert story.skp_years(day) == sorted({previous[0], quarter[0]})


@pytest.fixture(params=DATES)
def seeded_on(request, tmp_path):
    passwords.configure(time_cost=1, memory_cost=1024)
    if database.obj is not None and not database.is_closed():
        database.close()
    with clock.pinned_at(request.param):
        open_database(f"sqlite:///{tmp_path / 'demo.db'}")
        migrations.upgrade()
        demo.seed()
        yield clock.today_wib(), clock.utcnow()
    database.close()


def _period(year_number) -> Period:
    year, number = year_number
    return Period.get(
        (Period.year == year) & (Period.number == number) & (Period.kind == PeriodKind.TRIWULAN)
    )


def test_the_demo_story_holds_on_awkward_dates(seeded_on):
    today, now = seeded_on
    current, evaluated = _period(story.quarter_of(today)), _period(story.previous_quarter(today))
    assert current.status == PeriodStatus.DIBUKA and current.start <= today <= current.end
    assert evaluated.status == PeriodStatus.DITUTUP
    # The evaluated quarter: finals (one in keberatan, its window still open) on approved SKPs.
    finals = Evaluation.select().where(Evaluation.period == evaluated.id)
    assert finals.count() > 100
    objection = Objection.get()
    assert objection.evaluation.status == EvaluationStatus.KEBERATAN
    assert objection.evaluation.objection_deadline >= today
    assert {e.skp.year for e in finals.limit(50)} == {evaluated.year}
    # The current quarter: open evaluations on this year's approved SKPs.
    open_now = Evaluation.select().where(Evaluation.period == current.id)
    assert open_now.count() > 100
    assert {e.status for e in open_now} == {EvaluationStatus.TERBUKA}
    assert Skp.select().where(Skp.year == today.year, Skp.status == "DIAJUKAN").exists()
    # Public data: at least two ended quarters published, the latest being the evaluated one.
    snapshots = list(PublicSnapshot.select().order_by(PublicSnapshot.period_start))
    assert len(snapshots) >= 2 and all(s.period_end < today for s in snapshots)
    assert snapshots[-1].period_id == evaluated.id
    assert KioskResponse.select().count() > 1000
    # Nothing happened after now, and nothing before the data window.
    limit = now + timedelta(seconds=1)
    for model, column in (
        (Evaluation, Evaluation.finalised_at),
        (Evaluation, Evaluation.acknowledged_at),
        (Evaluation, Evaluation.created_at),
        (Skp, Skp.approved_at),
        (Skp, Skp.submitted_at),
        (Realisation, Realisation.updated_at),
        (Objection, Objection.filed_at),
        (Period, Period.closed_at),
    ):
        latest = model.select(column).where(column.is_null(False)).order_by(column.desc()).scalar()
        assert latest is None or latest <= limit, (column.name, latest, now)
    days = KioskResponse.select(fn.MIN(KioskResponse.day), fn.MAX(KioskResponse.day)).tuples()
    earliest, latest = days.get()
    assert story.data_start(today) <= earliest and latest <= today
    if latest == today:
        last_hour = KioskResponse.select(fn.MAX(KioskResponse.hour)).where(
            KioskResponse.day == today
        )
        assert last_hour.scalar() <= clock.now_wib().hour
