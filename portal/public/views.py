"""Public transparency pages and their open-data twins (product.md §6, style habit 9).

Each page renders ONE dict from :mod:`kinerja.public_data` as HTML, JSON or CSV. Every
response is cacheable (ETag over the body, ``Cache-Control: public, max-age=300``,
conditional GET → 304) and sets no cookie: these pages are the same for everyone.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

from flask import current_app, make_response, render_template, request, url_for
from flask.globals import request_ctx

from kinerja import public_data
from kinerja.formatting import csv_text
from portal.errors import refuse
from portal.page_cache import cached
from portal.public import bp
from portal.security import public

CACHE_CONTROL = "public, max-age=300"
FORMATS = "<any(json, csv):fmt>"
PERIOD_ARG = {"periode": lambda v: v.isdigit() and len(v) < 10}
OVERVIEW_ARGS = {
    **PERIOD_ARG,
    "urut": lambda v: v in public_data.SORT_KEYS,
    "arah": lambda v: v in ("naik", "turun"),
    "halaman": lambda v: v.isdigit() and len(v) < 6,
}
TWIN_DROPS = ("fmt", "halaman")  # the JSON and CSV twins hold every unit: no page number
MIMETYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


@bp.after_request
def _no_session_cookie(response):
    """Public pages are identical for everyone: never set or refresh a session cookie."""
    # A null session is never saved: no Set-Cookie and no "Vary: Cookie" on this response,
    # whatever later hooks read (flask-login reads the session after this hook).
    request_ctx._session = current_app.session_interface.make_null_session(current_app)
    return response


def _default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"  # stored as naive UTC
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} tidak dapat dijadikan JSON")


def _twins(**values) -> dict[str, str]:
    """The URLs of this page in every format, keeping the query string (not the page)."""
    args = {**(request.view_args or {}), **request.args.to_dict(), **values}
    args.pop("fmt", None)
    data_args = {k: v for k, v in args.items() if k not in TWIN_DROPS}
    return {
        "html": url_for(request.endpoint, **args),
        "json": url_for(request.endpoint, fmt="json", **data_args),
        "csv": url_for(request.endpoint, fmt="csv", **data_args),
    }


def _respond(data: dict, fmt: str | None, template: str, filename: str):
    """Render the dict as HTML, JSON or CSV, with caching headers and conditional GET."""
    fmt = fmt or "html"
    if fmt == "json":
        body = json.dumps(data, default=_default, ensure_ascii=False, indent=2)
    elif fmt == "csv":
        columns = public_data.CSV_COLUMNS
        rows = ([row.get(c) for c in columns] for row in public_data.csv_rows(data))
        body = csv_text(columns, rows)
    else:
        body = render_template(template, data=data, twins=_twins(), filename=filename)
    response = make_response(body)
    response.headers["Content-Type"] = MIMETYPES[fmt]
    if fmt == "csv":
        response.headers["Content-Disposition"] = f'inline; filename="{filename}.csv"'
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:40])
    return response.make_conditional(request)


def _period_arg() -> int | None:
    raw = request.args.get("periode", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        refuse(404, "Periode tidak ditemukan.")
    return int(raw)


def _page_arg() -> int:
    """The overview's 1-based page (``halaman``, default 1); anything else is a 404."""
    raw = request.args.get("halaman")
    if raw is None:
        return 1
    if not (raw.isdigit() and len(raw) < 6) or int(raw) < 1:
        refuse(404, "Halaman daftar unit tidak ditemukan.")
    return int(raw)


def _checked(data):
    if data is None:
        refuse(404, "Data unit ini belum diterbitkan untuk periode tersebut.")
    return data


@bp.route("", defaults={"fmt": None})
@public
@cached("public", canonical_args=OVERVIEW_ARGS)
def overview(fmt):
    """City overview: the public-service units (a page of them) and the process figures."""
    period_id = _period_arg()
    page = _page_arg()
    sort = request.args.get("urut", "unit")
    descending = request.args.get("arah") == "turun"
    # HTML shows one page of units; the JSON and CSV twins stay complete (open data).
    data = public_data.overview(period_id, sort, descending, page if fmt is None else None)
    if period_id is not None and data["asal"]["periode_id"] is None:
        refuse(404, "Periode tidak ditemukan.")
    total = len(data["unit"]) if fmt else data["paginasi"]["jumlah_unit"]
    if page > public_data.page_count(total):
        refuse(404, "Halaman daftar unit tidak ditemukan.")
    return _respond(data, fmt, "public/overview.html", "kinerja-sibolga-ringkasan")


bp.record_once(
    lambda state: state.app.add_url_rule(f"/publik.{FORMATS}", "public.overview", overview)
)


@bp.route("/unit/<code>", defaults={"fmt": None})
@bp.route(f"/unit/<code>.{FORMATS}")
@public
@cached("public", canonical_args=PERIOD_ARG)
def unit(code, fmt):
    """One unit: IKM and unsur, trend, sample, service standards, predikat distribution."""
    data = _checked(public_data.unit_page(code, _period_arg()))
    return _respond(data, fmt, "public/unit.html", f"kinerja-sibolga-unit-{code}")


@bp.route("/metode", defaults={"fmt": None})
@bp.route(f"/metode.{FORMATS}")
@public
@cached("public")
def method(fmt):
    """How every public figure is computed, with thresholds and regulations."""
    return _respond(public_data.method(), fmt, "public/method.html", "kinerja-sibolga-metode")


@bp.route("/data", defaults={"fmt": None})
@bp.route(f"/data.{FORMATS}")
@public
@cached("public")
def catalogue(fmt):
    """Open data catalogue: every download, the licence and the data dictionary."""
    data = public_data.catalogue()
    endpoints = {
        "ringkasan": "public.overview",
        "metode": "public.method",
        "data": "public.catalogue",
    }
    for item in data["dataset"]:
        endpoint = endpoints.get(item["halaman"], "public.unit")
        args = {"code": item["kode"]} if item["halaman"] == "unit" else {}
        item["url"] = {
            f: url_for(endpoint, fmt=f if f != "html" else None, **args) for f in MIMETYPES
        }
    return _respond(data, fmt, "public/catalogue.html", "kinerja-sibolga-katalog")
