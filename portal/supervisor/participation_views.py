"""Participation of a head's own units (issue 23 part 3): the head's unit and everything
below it, with a unit's progress chart and who is late."""

from flask import render_template

from kinerja.permissions.participation import participation_roots
from portal.participation_pages import participation_context, participation_csv
from portal.security import current_actor, login_required, require
from portal.supervisor import bp


@bp.route("/partisipasi")
@login_required
def participation():
    """How far the cycle has gone in the units the actor heads or oversees."""
    roots = participation_roots(current_actor())
    require(roots is None or bool(roots))
    return render_template(
        "supervisor/participation.html",
        endpoint="supervisor.participation",
        **participation_context(roots),
    )


@bp.route("/partisipasi.csv")
@login_required
def participation_csv_download():
    """The figures of the actor's units as CSV."""
    roots = participation_roots(current_actor())
    require(roots is None or bool(roots))
    return participation_csv(roots)
