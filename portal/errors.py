"""Indonesian error pages, JSON errors for JSON callers."""

from flask import jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from peewee import DataError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: ("Permintaan tidak valid", "Permintaan yang Anda kirim tidak dapat diproses."),
    401: ("Perlu masuk", "Silakan masuk terlebih dahulu untuk membuka halaman ini."),
    403: ("Akses ditolak", "Anda tidak memiliki hak untuk membuka atau mengubah data ini."),
    404: ("Halaman tidak ditemukan", "Alamat yang Anda buka tidak ada atau sudah dipindahkan."),
    405: ("Metode tidak diizinkan", "Halaman ini tidak menerima cara pengiriman tersebut."),
    409: ("Terjadi konflik", "Data telah diubah oleh orang lain. Muat ulang lalu coba lagi."),
    413: ("Data terlalu besar", "Data yang Anda kirim melebihi batas ukuran yang diizinkan."),
    415: ("Jenis data tidak didukung", "Kirim data melalui formulir di halaman portal."),
    422: ("Data tidak valid", "Periksa kembali isian Anda."),
    429: ("Terlalu banyak permintaan", "Silakan tunggu sebentar lalu coba lagi."),
    500: (
        "Terjadi kesalahan",
        "Terjadi kesalahan pada server. Tim kami telah dicatat; silakan coba lagi.",
    ),
}


# Machine APIs: every error there is JSON, whatever the caller sent or accepts.
JSON_ONLY_PATHS = ("/kios/api/",)


def _wants_json() -> bool:
    if request.path.startswith(JSON_ONLY_PATHS):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path.endswith(".json") or request.is_json or best == "application/json"


def error_response(code: int, detail: str | None = None):
    """Render an error in the form the caller asked for."""
    title, message = MESSAGES.get(code, MESSAGES[400 if code < 500 else 500])
    if detail:
        message = detail
    if _wants_json():
        body = jsonify({"error": {"code": code, "title": title, "message": message}})
    else:
        name = "errors/_error.html" if request.headers.get("HX-Request") else "errors/error.html"
        body = render_template(name, code=code, title=title, message=message)
    return make_response(body, code)


def _json_body_problem(app) -> int | None:
    """415 for a JSON body sent to a form view, 400 for JSON nested too deeply to parse.

    flask-wtf reads a JSON body as form data, and crashes on anything but a flat object of
    strings; only views marked ``reads_json`` (or CSRF-exempt machine APIs) take JSON.
    """
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or not request.is_json:
        return None
    from portal.security import csrf

    view = app.view_functions.get(request.endpoint)
    if view is None:
        return None
    name = f"{view.__module__}.{view.__name__}"
    if not (getattr(view, "reads_json", False) or name in csrf._exempt_views):
        return 415
    try:
        request.get_json(silent=True)
    except RecursionError:
        return 400
    return None


def refuse(code: int, message: str):
    """Abort with ``code`` and an Indonesian ``message`` that the error page shows."""
    from werkzeug.exceptions import default_exceptions

    exc = default_exceptions[code](message)
    exc.indonesian = True
    raise exc


def register(app) -> None:
    """Install the handlers."""

    @app.before_request
    def _refuse_unusable_json():
        code = _json_body_problem(app)
        if code is not None:
            return error_response(code)

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_response(
            400,
            "Token keamanan formulir (CSRF) tidak ada atau sudah kedaluwarsa. "
            "Muat ulang halaman lalu kirim kembali.",
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = exc.code or 500
        # Only a message a view gave in Indonesian (refuse()) is shown; werkzeug's own
        # descriptions are English and may carry internals.
        detail = exc.description if getattr(exc, "indonesian", False) else None
        response = error_response(code, detail)
        if code == 405 and exc.get_headers():
            for key, value in exc.get_headers():
                if key.lower() == "allow":
                    response.headers["Allow"] = value
        return response

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def _out_of_range(exc):
        # A number from the request too large for the database (SQLite raises
        # OverflowError, PostgreSQL DataError): bad input, not a server fault. Logged so
        # that the view can learn to check its input.
        app.logger.warning("Input out of range at %s: %s", request.path, exc)
        return error_response(
            400, "Angka atau data yang Anda kirim di luar batas yang dapat diproses."
        )

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("Unhandled error", exc_info=exc)
        return error_response(InternalServerError.code)
