"""Demo step: publish the public snapshots of the demo periods (runs last)."""

from kinerja.models.period import Period
from kinerja.services.publish import latest_period, publish


def seed_public(ctx) -> None:
    """Publish every demo period that has started, so the public pages show data."""
    periods = list(
        Period.select().where(Period.start <= ctx.today).order_by(Period.start, Period.end)
    )
    if not periods:
        latest = latest_period(ctx.today)
        periods = [latest] if latest is not None else []
    for period in periods:
        publish(period, actor_label="sistem (data demo)")
    if periods:
        ctx.summary.append(f"Data publik diterbitkan untuk {len(periods)} periode.")
    ctx.counts["public_snapshots"] = len(periods)
