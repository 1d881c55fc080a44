"""The participation page (issue 23 part 3), shared by the admin console (every unit) and the
heads' page (their own subtree): period and unit from the query string, one read model."""

from flask import Response, abort, request

from kinerja.models.period import Period
from kinerja.queries import admin_dashboard, exports, participation
from portal.security import current_actor


def participation_context(roots: set[int] | None) -> dict:
    """The template context for ``roots`` (None: the whole city): the period (``?periode=``,
    else the current one), the figures, and the unit in focus (``?unit=``, else the first
    of the scope) with its chart figures and its late list."""
    period_id = request.args.get("periode", type=int)
    if period_id:
        period = Period.get_or_none(Period.id == period_id)
        if period is None:
            abort(404)
    else:
        period = admin_dashboard.default_period()
    periods = list(Period.select().order_by(Period.year.desc(), Period.number))
    if period is None:
        return {"period": None, "periods": periods, "report": None}
    report = participation.build(period, current_actor().day, roots)
    unit_id = request.args.get("unit", type=int)
    focus = report.row(unit_id) if unit_id else (report.rows[0] if report.rows else None)
    if unit_id and focus is None:
        abort(404)
    late = []
    if focus is not None:
        late = report.late_in(report.subtree_ids(focus.unit.id))
    return {
        "period": period,
        "periods": periods,
        "report": report,
        "focus": focus,
        "focus_late": late,
        "steps": focus.subtotal.steps(report.realisation_counted) if focus else [],
    }


def participation_csv(roots: set[int] | None) -> Response:
    """The unit tree with its subtotals as CSV (the same figures as the page)."""
    context = participation_context(roots)
    if context["report"] is None:
        abort(404)
    table = participation.table(context["report"])
    return Response(
        exports.to_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={table.filename}.csv"},
    )
