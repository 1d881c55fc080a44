"""Demo step: publish the public snapshots of the demo's completed quarters (runs last).

A quarter's figures are published once it has ended, as the city does: every quarter that
ended within the demo's data window (``story.data_start``) gets its snapshot, so the public
pages show the last complete quarter (with the evaluated quarter's predikat distribution)
and a trend on any date. The running quarter is published by an administrator
(Admin → Publikasi, or ``flask --app portal publish``).
"""

from kinerja.demo import story
from kinerja.enums import PeriodKind
from kinerja.models.period import Period
from kinerja.services.publish import publish


def seed_public(ctx) -> None:
    """Publish every ended quarter of the data window, oldest first."""
    periods = list(
        Period.select()
        .where(
            (Period.kind == PeriodKind.TRIWULAN)
            & (Period.end < ctx.today)
            & (Period.end >= story.data_start(ctx.today))
        )
        .order_by(Period.start)
    )
    for period in periods:
        publish(period, actor_label="sistem (data demo)")
    if periods:
        ctx.summary.append(f"Data publik diterbitkan untuk {len(periods)} periode.")
    ctx.counts["public_snapshots"] = len(periods)
