"""Pages for every employee: home, profile, tasks."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from portal.staff import views  # noqa: E402,F401
