"""Participation of every unit for BKPSDM (issue 23 part 3): the unit tree with subtotals,
a unit's progress chart and who is late."""

from flask import render_template

from portal.admin import bp
from portal.participation_pages import participation_context, participation_csv
from portal.security import internal_reader_required


@bp.route("/partisipasi")
@internal_reader_required
def participation():
    """How far the cycle has gone in every unit, and who is late (admins and auditors)."""
    return render_template(
        "admin/participation.html", endpoint="admin.participation", **participation_context(None)
    )


@bp.route("/partisipasi.csv")
@internal_reader_required
def participation_csv_download():
    """The figures of every unit as CSV."""
    return participation_csv(None)
