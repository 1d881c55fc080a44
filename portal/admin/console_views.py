"""The admin console's dashboard (docs/spec/product.md §7): completion per OPD for a period,
late lists, links to every console page. Each console section has its own ``*_views.py``
module in this package; admins change, auditors read every page and get 403 on every POST
(``internal_reader_required``)."""

from flask import current_app, render_template, request

from kinerja.queries import admin as admin_queries
from kinerja.queries import admin_dashboard
from portal.admin import bp
from portal.admin.common import period_or_404
from portal.config import mail_settings
from portal.security import internal_reader_required


@bp.route("/")
@internal_reader_required
def dashboard():
    """Completion per OPD for a period, late lists, links to every console page."""
    period_id = request.args.get("periode", type=int)
    period = period_or_404(period_id) if period_id else admin_dashboard.default_period()
    return render_template(
        "admin/console/dashboard.html",
        board=admin_dashboard.build(period),
        period=period,
        periods=admin_queries.all_periods(),
        mail_configured=mail_settings(current_app.config).configured,
    )
