"""Participation of a head's own units (issue 23 part 3): the head's unit and everything
below it, with a unit's progress chart and who is late."""

from flask import render_template

from kinerja.permissions.participation import participation_roots
from portal.errors import refuse
from portal.participation_pages import participation_context, participation_csv
from portal.security import current_actor, login_required
from portal.supervisor import bp

# The team page links here for every Pejabat Penilai; one who heads no unit and has no
# unit head below them learns why there is nothing to see.
NO_UNIT = (
    "Partisipasi unit hanya untuk kepala unit kerja dan atasan di atasnya. Anda tidak "
    "memimpin unit kerja dan tidak membawahi kepala unit, sehingga tidak ada data "
    "partisipasi yang dapat Anda lihat."
)


def _roots():
    roots = participation_roots(current_actor())
    if roots is not None and not roots:
        refuse(403, NO_UNIT)
    return roots


@bp.route("/partisipasi")
@login_required
def participation():
    """How far the cycle has gone in the units the actor heads or oversees."""
    roots = _roots()
    return render_template(
        "supervisor/participation.html",
        endpoint="supervisor.participation",
        **participation_context(roots),
    )


@bp.route("/partisipasi.csv")
@login_required
def participation_csv_download():
    """The figures of the actor's units as CSV."""
    return participation_csv(_roots())
