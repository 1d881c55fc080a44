"""``/survei/<token>``: the SKM form of a receipt's link, and its thank-you page.

Unknown links answer 404; used or expired links 410 with the same page, which never says
whether a link existed. Bodies above :data:`MAX_BODY` are refused before they are read.
"""

from flask import redirect, render_template, request, url_for

from kinerja.enums import Unsur
from kinerja.services import survey as svc
from kinerja.services.survey import TokenState
from portal.security import public
from portal.survey import bp
from portal.survey.forms import SurveyForm

MAX_BODY = 8 * 1024  # ten radio answers, a 280-character comment and the CSRF token


def _gone(state: TokenState):
    status = 404 if state is TokenState.UNKNOWN else 410
    page = render_template("survey/invalid.html")
    return page, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _form_page(form: SurveyForm, context: svc.SurveyContext, token: str, status: int = 200):
    page = render_template("survey/form.html", form=form, context=context, token=token)
    return page, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.url_value_preprocessor
def _cap_body(endpoint, values):
    """Cap the body before anything reads it (URL preprocessors run before the app's
    CSRF check, which parses the form)."""
    request.max_content_length = MAX_BODY


@bp.route("/<token>", methods=["GET", "POST"])
@public
def form(token):
    """The SKM on the citizen's phone (no login): the link itself is the permission."""
    context = svc.lookup(token)
    if context.state is not TokenState.OPEN:
        return _gone(context.state)
    form = SurveyForm()
    if request.method == "GET":
        return _form_page(form, context, token)
    if not form.validate():
        return _form_page(form, context, token, 422)
    answer = svc.PhoneAnswer(
        face=form.face.data,
        unsur={u: form[u.value.lower()].data for u in Unsur},
        comment=form.comment.data or "",
    )
    state = svc.submit(token, answer)
    if state is not TokenState.OPEN:
        return _gone(state)
    return redirect(url_for("survey.thanks"), code=303)


@bp.route("/terima-kasih")
@public
def thanks():
    """After an answer: thanks, nothing else (the link is used up)."""
    return render_template("survey/thanks.html")
