"""Publishing the public snapshot from the admin console (auditors see, admins publish)."""

from flask import flash, redirect, render_template, request, url_for

from kinerja.queries import admin as admin_queries
from kinerja.services import publish as publishing
from portal.admin import bp
from portal.security import current_actor, internal_reader_required


def _page(status: int = 200, error: str | None = None, selected: int | None = None):
    periods = admin_queries.periods_for_publishing()
    snapshots = admin_queries.snapshots_by_period()
    latest = publishing.latest_period()
    if selected is None and latest is not None:
        selected = latest.id
    body = render_template(
        "admin/publish/index.html",
        periods=periods,
        snapshots=snapshots,
        selected=selected,
        error=error,
    )
    return body, status


@bp.route("/publikasi", methods=["GET", "POST"])
@internal_reader_required
def publish():
    """List published snapshots; publish (or rebuild) the public data of a period."""
    if request.method == "GET":
        return _page()
    raw = request.form.get("period", "").strip()
    if raw and not raw.isdigit():
        return _page(422, "Pilih periode dari daftar.")
    try:
        report = publishing.publish(int(raw) if raw else None, actor=current_actor().account)
    except publishing.PublishError as exc:
        return _page(422, str(exc), int(raw) if raw else None)
    flash(report.text(), "success")
    return redirect(url_for("admin.publish"), 303)
