"""The admin console's audit log (docs/spec/product.md §7): filters, pagination, the chain
verification, CSV."""

from datetime import UTC, date, datetime, time, timedelta

from flask import Response, render_template, request

from kinerja import audit_labels
from kinerja.clock import WIB
from kinerja.queries import admin as admin_queries
from kinerja.queries import exports
from kinerja.services.audit import verify_chain
from portal.admin import bp
from portal.admin.common import page_args, paginate
from portal.errors import refuse
from portal.security import internal_reader_required


def _wib_midnight_utc(name: str, days_after: int = 0) -> datetime | None:
    """The start (WIB) of the day given as ``?name=YYYY-MM-DD``, as naive UTC."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        refuse(400, "Tanggal tidak valid (format TTTT-BB-HH).")
    day += timedelta(days=days_after)
    return datetime.combine(day, time(0), tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)


def _audit_query():
    """The log filtered by the query string (person, object, action, dates, sign-ins)."""
    args = request.args
    return admin_queries.audit_events(
        person=args.get("orang", "").strip()[:120],
        object_type=args.get("jenis", "")[:40],
        object_id=args.get("objek", "")[:40],
        action=args.get("aksi", "").strip()[:60],
        sign_ins=bool(args.get("masuk")),
        since=_wib_midnight_utc("dari"),
        before=_wib_midnight_utc("sampai", days_after=1),
    )


@bp.route("/audit")
@internal_reader_required
def audit_log():
    """The audit log with filters, pagination and the chain verification result."""
    page = paginate(_audit_query())
    return render_template(
        "admin/console/audit.html",
        page=page,
        entries=audit_labels.describe(page.items),
        object_labels=audit_labels.OBJECT_LABELS,
        report=verify_chain(),
        filters=request.args,
        object_types=admin_queries.audit_object_types(),
        page_args=page_args(),
    )


@bp.route("/audit.csv")
@internal_reader_required
def audit_csv():
    """The filtered audit log as CSV (the same labels as the page, times in WIB)."""
    table = exports.Table(
        "Log audit",
        [
            "No",
            "Waktu (WIB)",
            "Pelaku",
            "Aksi",
            "Kode Aksi",
            "Jenis Objek",
            "ID Objek",
            "Perubahan (sebelum → sesudah)",
            "Hash",
        ],
    )
    query = _audit_query().limit(100_000)
    for start in range(0, 100_000, 1000):
        chunk = list(query.offset(start).limit(1000))
        for e in audit_labels.describe(chunk):
            table.rows.append(
                [
                    e.id,
                    e.at,
                    e.actor,
                    e.action_label,
                    e.action,
                    e.object_label,
                    e.object_id,
                    audit_labels.changes_text(e.changes),
                    e.hash,
                ]
            )
        if len(chunk) < 1000:
            break
    return Response(
        exports.to_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=log-audit.csv"},
    )
