"""The staff guide (Panduan) inside the portal, and the first-login welcome (issue 23)."""

from flask import Blueprint

bp = Blueprint("guide", __name__, url_prefix="/panduan")

from portal.guide import views  # noqa: E402,F401
