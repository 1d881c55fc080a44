"""The home page after login."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from kinerja import org
from kinerja.models.org import Employee, Unit
from kinerja.tasks import tasks_for
from portal.security import current_actor, login_required, public
from portal.staff import bp


@bp.route("/")
@public
def index():
    """The site root: home for logged-in people, else the login page."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    return redirect(url_for("auth.login"))


@bp.route("/beranda")
@login_required
def home():
    """Profile, subordinates and the task list."""
    actor = current_actor()
    employee = Employee.select().where(Employee.id == actor.employee_id).first()
    supervisor = employee.supervisor if employee.supervisor_id else None
    atasan_ids = org.atasan_penilai_of(employee, actor.day)
    atasan = (
        Employee.select().where(Employee.id.in_(list(atasan_ids))).order_by(Employee.id).first()
        if atasan_ids
        else None
    )
    acting_for = [Employee.get_by_id(i) for i in org.acting_for_ids(actor.employee_id, actor.day)]
    subordinates = (
        list(
            Employee.select(Employee, Unit)
            .join(Unit)
            .where(Employee.id.in_(list(actor.supervised)))
            .order_by(Employee.name)
        )
        if actor.supervised
        else []
    )
    return render_template(
        "staff/home.html",
        employee=employee,
        supervisor=supervisor,
        atasan=atasan,
        acting_for=acting_for,
        subordinates=subordinates,
        tasks=tasks_for(actor),
    )
