"""Public transparency pages and their open-data twins (docs/spec/product.md §6, style habit 9).

Each page renders ONE dict from a ``kinerja.queries.public_*`` module as HTML, JSON or CSV.
Published snapshots never change (a new publish makes a new one), so a page is cached by
snapshot:

- its **key** is the release, the published snapshots (id and build time), the page, the
  format and its known query parameters, normalised (any other parameter is ignored, so no
  URL can force a fresh render);
- its **ETag** is a digest of the key, checked before anything renders: ``If-None-Match``
  gets a 304 after one small query;
- its body is kept in a bounded in-process memo (:class:`Memo`, one per app) under the
  key, with its gzip twin, so each process renders a page once per publish;
- ``Cache-Control: public, max-age=300`` lets nginx or a CDN keep it, and no cookie is set.
"""

import gzip
import hashlib
import json
import threading
from collections import OrderedDict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import Response, current_app, render_template, request, url_for
from flask.globals import request_ctx
from werkzeug.datastructures import ImmutableMultiDict

from kinerja.formatting import csv_text
from kinerja.queries import (
    open_data,
    public_common,
    public_csv,
    public_home,
    public_method,
    public_overview,
    public_unit,
)
from portal.errors import refuse
from portal.public import bp
from portal.security import public

CACHE_CONTROL = "public, max-age=300"
FORMATS = "<any(json, csv):fmt>"
DIRECTIONS = ("naik", "turun")
TWIN_DROPS = ("fmt", "halaman")  # the JSON and CSV twins hold every unit: no page number
MIMETYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
}
_ROOT = Path(__file__).resolve().parent.parent.parent
_release: str | None = None


def release() -> str:
    """A digest of the code and templates: a new release never serves an old rendering."""
    global _release  # computed once per process; identical in every process of a release
    if _release is None:
        digest = hashlib.sha256()
        for folder in ("portal", "kinerja", "templates"):
            for path in sorted((_ROOT / folder).rglob("*")):
                if path.suffix in (".py", ".html", ".md", ".json", ".txt") and path.is_file():
                    digest.update(str(path.relative_to(_ROOT)).encode())
                    digest.update(path.read_bytes())
        _release = digest.hexdigest()[:16]
    return _release


class Memo:
    """A small thread-safe LRU of rendered pages, bounded by total size in bytes.

    A page missing from the memo is rendered by one thread; the others asking for it
    meanwhile wait for that rendering (:meth:`get_or_make`) instead of each rendering it
    again: after a publish, the city overview (about 150 ms on 5 000 staff) is wanted by
    every thread at once.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()
        self.renderings: dict[str, threading.Lock] = {}

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def get_or_make(self, key: str, make):
        """The entry under ``key``, made by ``make()`` (and kept) if absent."""
        entry = self.get(key)
        if entry is not None:
            return entry
        with self.lock:
            rendering = self.renderings.setdefault(key, threading.Lock())
        try:
            with rendering:
                entry = self.get(key)  # made by the thread this one waited for
                if entry is None:
                    entry = make()
                    self.put(key, entry)
        finally:
            with self.lock:
                if self.renderings.get(key) is rendering:  # not a later rendering's lock
                    del self.renderings[key]
        return entry

    def put(self, key: str, entry: tuple) -> None:
        cost = len(entry[1]) + len(entry[2])
        if cost > self.max_bytes:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = entry
            self.size += cost
            while self.size > self.max_bytes:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old[1]) + len(old[2])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


MEMO = "kinerja_public_memo"
bp.record_once(lambda state: state.app.extensions.setdefault(MEMO, Memo()))


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


def _body(data: dict, fmt: str | None, template: str, filename: str) -> str:
    """Render the dict as HTML, JSON or CSV."""
    fmt = fmt or "html"
    if fmt == "json":
        return json.dumps(data, default=_default, ensure_ascii=False, indent=2)
    if fmt == "csv":
        columns = public_csv.CSV_COLUMNS
        rows = ([row.get(c) for c in columns] for row in public_csv.csv_rows(data))
        return csv_text(columns, rows)
    return render_template(template, data=data, twins=_twins(), filename=filename)


def _cached(fmt: str | None, params: dict, filename: str, render, snapshot=None) -> Response:
    """The page under its snapshot key: 304, a memo hit, or ``render()`` once.

    ``params`` are the page's known query parameters, validated and normalised (None:
    absent). They replace ``request.args`` for the render, so the body depends on nothing
    the key does not hold (templates and twin links read only these). A page of one
    ``snapshot`` (the stable open-data URLs) is keyed by that snapshot alone, so a publish
    of another period changes neither its ETag nor its bytes.
    """
    fmt = fmt or "html"
    params = {name: str(value) for name, value in params.items() if value is not None}
    request.args = ImmutableMultiDict(params)
    if snapshot is not None:
        snapshots = ((snapshot.id, snapshot.built_at),)
    else:
        snapshots = public_common.snapshot_versions()
    view = (request.endpoint, sorted(request.view_args.items(), key=str))
    key = repr((release(), snapshots, view, fmt, sorted(params.items())))
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:

        def make():
            body = render().encode()
            return (MIMETYPES[fmt], body, gzip.compress(body, 6))

        entry = current_app.extensions[MEMO].get_or_make(key, make)
        response = Response(entry[1], content_type=entry[0])
        if "gzip" in request.accept_encodings and len(entry[1]) > 1024:
            response.set_data(entry[2])
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        if fmt == "csv":
            response.headers["Content-Disposition"] = f'inline; filename="{filename}.csv"'
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


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
def overview(fmt):
    """City overview: the public-service units (a page of them) and the process figures."""
    period_id = _period_arg()
    page = _page_arg()
    params = {"periode": period_id, "halaman": page if "halaman" in request.args else None}
    sort = request.args.get("urut")
    params["urut"] = sort if sort in public_overview.SORT_KEYS else None
    params["arah"] = request.args.get("arah") if request.args.get("arah") in DIRECTIONS else None

    def render():
        # HTML shows one page of units; the JSON and CSV twins stay complete (open data).
        data = public_overview.overview(
            period_id, sort or "unit", params["arah"] == "turun", page if fmt is None else None
        )
        if period_id is not None and data["asal"]["periode_id"] is None:
            refuse(404, "Periode tidak ditemukan.")
        total = len(data["unit"]) if fmt else data["paginasi"]["jumlah_unit"]
        if page > public_overview.page_count(total):
            refuse(404, "Halaman daftar unit tidak ditemukan.")
        return _body(data, fmt, "public/overview.html", "kinerja-sibolga-ringkasan")

    return _cached(fmt, params, "kinerja-sibolga-ringkasan", render)


bp.record_once(
    lambda state: state.app.add_url_rule(f"/publik.{FORMATS}", "public.overview", overview)
)


@bp.route("/beranda", defaults={"fmt": None})
@bp.route(f"/beranda.{FORMATS}")
@public
def home(fmt):
    """The citizens' home: the city headline of the latest published period, in plain words."""

    def render():
        return _body(public_home.home(), fmt, "public/home.html", "kinerja-sibolga-beranda")

    return _cached(fmt, {}, "kinerja-sibolga-beranda", render)


@bp.route("/unit/<code>", defaults={"fmt": None})
@bp.route(f"/unit/<code>.{FORMATS}")
@public
def unit(code, fmt):
    """One unit: IKM and unsur, trend, sample, service standards, predikat distribution."""
    period_id = _period_arg()

    def render():
        data = _checked(public_unit.unit_page(code, period_id))
        return _body(data, fmt, "public/unit.html", f"kinerja-sibolga-unit-{code}")

    filename = f"kinerja-sibolga-unit-{code}"
    return _cached(fmt, {"periode": period_id}, filename, render)


@bp.route("/metode", defaults={"fmt": None})
@bp.route(f"/metode.{FORMATS}")
@public
def method(fmt):
    """How every public figure is computed, with thresholds and regulations."""

    def render():
        return _body(public_method.method(), fmt, "public/method.html", "kinerja-sibolga-metode")

    return _cached(fmt, {}, "kinerja-sibolga-metode", render)


@bp.route("/data", defaults={"fmt": None})
@bp.route(f"/data.{FORMATS}")
@public
def catalogue(fmt):
    """Open data catalogue: every download, the licence and the data dictionary."""
    return _cached(fmt, {}, "kinerja-sibolga-katalog", _catalogue_body)


def _catalogue_body() -> str:
    fmt = request.view_args["fmt"]
    data = public_method.catalogue()
    data["cuplikan"] = [
        {
            "periode": s.period_name,
            "periode_id": s.period_id,
            "mulai": s.period_start,
            "selesai": s.period_end,
            "diterbitkan": s.built_at,
            "id": open_data.snapshot_key(s),
            "url": {
                "datapackage": url_for("public.datapackage", key=open_data.snapshot_key(s)),
                "dcat": url_for("public.dcat", key=open_data.snapshot_key(s)),
                "ringkasan": url_for(
                    "public.snapshot_csv", key=open_data.snapshot_key(s), name="ringkasan"
                ),
                "katalog": url_for(
                    "public.snapshot_csv", key=open_data.snapshot_key(s), name="katalog"
                ),
            },
        }
        for s in public_common.published_snapshots()
    ]
    endpoints = {
        "ringkasan": "public.overview",
        "metode": "public.method",
        "data": "public.catalogue",
    }
    for item in data["dataset"]:
        endpoint = endpoints.get(item["halaman"], "public.unit")
        args = {"code": item["kode"]} if item["halaman"] == "unit" else {}
        item["url"] = {
            f: url_for(endpoint, fmt=f if f != "html" else None, **args)
            for f in ("html", "json", "csv")
        }
    return _body(data, fmt or "html", "public/catalogue.html", "kinerja-sibolga-katalog")


# --- open data per snapshot: Data Package, DCAT and CSVs at stable URLs ------------------------


def _snapshot(key: str):
    snapshot = open_data.snapshot_by_key(key)
    if snapshot is None:
        refuse(404, "Cuplikan data terbuka ini tidak ditemukan atau sudah diganti.")
    return snapshot


def _absolute(path: str) -> str:
    """``path`` under the configured public address (else the path, relative to the host)."""
    return current_app.config.get("PUBLIC_BASE_URL", "") + path


def _folder(key: str) -> str:
    return _absolute(url_for("public.datapackage", key=key).rsplit("/", 1)[0] + "/")


def _json(data: dict) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False, indent=2)


@bp.route("/data/<key>/datapackage.json")
@public
def datapackage(key):
    """The snapshot as a Frictionless Tabular Data Package (Table Schema for every CSV)."""
    snapshot = _snapshot(key)

    def render():
        homepage = _absolute(url_for("public.overview", periode=snapshot.period_id))
        return _json(open_data.datapackage(snapshot, homepage))

    return _cached("json", {}, f"kinerja-sibolga-{key}", render, snapshot)


@bp.route("/data/<key>/dcat.jsonld")
@public
def dcat(key):
    """The snapshot as a DCAT catalogue entry (JSON-LD) for Satu Data Indonesia."""
    snapshot = _snapshot(key)

    def render():
        landing = _absolute(url_for("public.catalogue"))
        return _json(open_data.dcat(snapshot, _folder(key), landing))

    return _cached("jsonld", {}, f"kinerja-sibolga-{key}", render, snapshot)


@bp.route("/data/<key>/<any(ringkasan, katalog):name>.csv", defaults={"code": None})
@bp.route("/data/<key>/unit/<code>.csv", defaults={"name": "unit"})
@public
def snapshot_csv(key, name, code):
    """A CSV of one snapshot at its stable URL: the same bytes as the page's CSV twin with
    ``?periode=`` while that snapshot is the period's, and never other bytes afterwards."""
    snapshot = _snapshot(key)
    period_id = snapshot.period_id

    def render():
        if name == "ringkasan":
            data = public_overview.overview(period_id)
        elif name == "katalog":
            data = public_method.catalogue(period_id)
        else:
            data = _checked(public_unit.unit_page(code, period_id))
        if data["asal"]["diperbarui"] != snapshot.built_at:  # republished meanwhile
            refuse(404, "Cuplikan data terbuka ini tidak ditemukan atau sudah diganti.")
        return _body(data, "csv", "", "")

    filename = f"kinerja-sibolga-{key}-{name if code is None else 'unit-' + code}"
    return _cached("csv", {}, filename, render, snapshot)
