"""The guide page and the dismissal of the first-login welcome."""

from flask import redirect, render_template, request, url_for

from kinerja.queries import guide
from kinerja.services import auth
from portal.guide import bp
from portal.security import current_actor, login_required


@bp.route("")
@login_required
def index():
    """The staff guide: one page, sections with stable anchors (see templates/guide)."""
    return render_template("guide/index.html", f=guide.facts())


@bp.route("/sambutan", methods=["POST"])
@login_required
def dismiss_welcome():
    """Hide the first-login welcome for good; go to the guide or back home."""
    auth.dismiss_welcome(current_actor().account)
    if request.form.get("next") == "panduan":
        return redirect(url_for("guide.index"), 303)
    return redirect(url_for("staff.home"), 303)
