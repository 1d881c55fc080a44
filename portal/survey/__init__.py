"""The citizen's SKM on their own phone, opened from the QR code of a counter receipt.

Its own blueprint (not the public one, which keeps no session): the form is protected by the
app-wide CSRF rule, whose token lives in a session cookie set by the form page. The link's
token is the capability; the CSRF token only proves the post came from the form.
"""

from flask import Blueprint

bp = Blueprint("survey", __name__, url_prefix="/survei")

from portal.survey import views  # noqa: E402,F401
