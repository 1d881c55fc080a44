"""Pegawai Teladan (issue 23 part 6): employees recognised with their recorded consent.

Unlike the data pages this page is not cached by snapshot: a nominee who withdraws consent
must be gone on the very next request. It renders live from one bounded query
(:func:`kinerja.services.followup.published_recognitions`), with no memo, and tells caches
to revalidate every time.
"""

from flask import make_response, render_template

from kinerja.services import followup
from portal.public import bp
from portal.security import public


@bp.route("/teladan")
@public
def teladan():
    """Pegawai Teladan: name, unit, period and a short reason, only with consent."""
    response = make_response(
        render_template("public/teladan.html", people=followup.published_recognitions())
    )
    response.headers["Cache-Control"] = "no-cache"
    return response
