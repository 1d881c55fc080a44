"""The home page after login."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from kinerja.enums import SkpStatus
from kinerja.permissions import reads_all_internal
from kinerja.queries.home import people_around
from kinerja.queries.tasks import Glance, tasks_for
from kinerja.services import pulse
from portal.security import current_actor, login_required, public
from portal.staff import bp


@bp.route("/")
@public
def index():
    """The site root: home for logged-in people, else the citizens' public home."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    return redirect(url_for("public.home"))


@bp.route("/beranda")
@login_required
def home():
    """Profile, subordinates and the task list."""
    actor = current_actor()
    people = people_around(actor)
    glance = Glance()
    tasks = tasks_for(actor, glance)
    return render_template(
        "staff/home.html",
        glance=glance,
        skp_labels={m.value: m.label for m in SkpStatus},
        team=_team_card(tasks) if actor.supervised else None,
        employee=actor.employee,
        supervisor=people.supervisor,
        atasan=people.atasan,
        acting_for=people.acting_for,
        subordinates=people.subordinates,
        tasks=tasks,
        welcome=actor.account.welcomed_at is None,
        pulse_period=pulse.pending_period(actor),
        # Supervisors and BKPSDM (no extra query); the page itself checks who heads a unit.
        pulse_results=reads_all_internal(actor) or bool(actor.supervised),
    )


def _team_card(tasks) -> dict:
    """What the team waits for, read from the supervisor's tasks (no extra query)."""
    card = {"approve": 0, "rate": 0, "finalise": 0, "objections": 0, "deadline": None}
    for t in tasks:
        if t.endpoint == "supervisor.skp_queue":
            key = "approve"
        elif t.endpoint == "supervisor.evaluations":
            key = "finalise" if t.title.startswith("Finalisasi") else "rate"
        elif t.endpoint == "supervisor.objection_detail":
            key = "objections"
        else:
            continue
        card[key] += t.count
        if t.deadline and (card["deadline"] is None or t.deadline < card["deadline"]):
            card["deadline"] = t.deadline
    return card
