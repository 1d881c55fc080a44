"""The admin console's exports (docs/spec/product.md §7): SKP, evaluations, IKM and
service figures as XLSX or CSV, per unit or city-wide."""

from datetime import date

from flask import Response, abort, render_template, request

from kinerja.clock import today_wib
from kinerja.models.org import Unit
from kinerja.queries import exports
from portal.admin import bp
from portal.admin.common import period_or_404, unit_pairs
from portal.errors import refuse
from portal.security import internal_reader_required

EXPORT_KINDS = {
    "skp": "SKP",
    "evaluasi": "Evaluasi kinerja",
    "ikm": "IKM (SKM kios)",
    "layanan": "Standar layanan",
}


@bp.route("/ekspor")
@internal_reader_required
def exports_page():
    """Choose an export: SKP, evaluations, IKM, service figures; per unit or city-wide."""
    today = today_wib()
    return render_template(
        "admin/console/exports.html",
        unit_choices=unit_pairs("Seluruh kota"),
        years=exports.export_years() or [today.year],
        periods=exports.exportable_periods(),
        start=date(today.year, 1, 1),
        end=today,
    )


def _date_arg(name: str, default: date) -> date:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        refuse(400, f"Tanggal {name} tidak valid.")


@bp.route("/ekspor/<kind>.<fmt>")
@internal_reader_required
def export_download(kind, fmt):
    """Download one export as XLSX or CSV."""
    if kind not in EXPORT_KINDS or fmt not in ("xlsx", "csv"):
        abort(404)
    unit_id = request.args.get("unit", type=int) or None
    if unit_id and Unit.get_or_none(Unit.id == unit_id) is None:
        abort(404)
    if kind == "skp":
        year = request.args.get("tahun", type=int) or today_wib().year
        table = exports.skp_table(year, unit_id)
    elif kind == "evaluasi":
        period = period_or_404(request.args.get("periode", type=int) or 0)
        table = exports.evaluation_table(period.id, unit_id)
    else:
        today = today_wib()
        start = _date_arg("dari", date(today.year, 1, 1))
        end = _date_arg("sampai", today)
        if end < start:
            refuse(400, "Tanggal akhir tidak boleh sebelum tanggal awal.")
        maker = exports.ikm_table if kind == "ikm" else exports.service_table
        table = maker(start, end, unit_id)
    if fmt == "csv":
        body, mimetype = exports.to_csv(table), "text/csv"
    else:
        body = exports.to_xlsx(table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={table.filename}.{fmt}"},
    )
