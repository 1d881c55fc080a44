"""Notifications: the list behind the bell, marking read, and the e-mail preferences."""

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.routing import BuildError

from kinerja.services import notifications as svc
from portal.security import current_actor, login_required
from portal.staff import bp
from portal.staff.notification_forms import PreferencesForm


def link_of(item) -> str:
    """The page a notification is about (the list itself if that page no longer exists)."""
    try:
        return url_for(item.link_endpoint, **item.args)
    except (BuildError, ValueError):
        return url_for("staff.notifications")


@bp.route("/notifikasi")
@login_required
def notifications():
    """The person's notifications, newest first."""
    actor = current_actor()
    items = svc.list_for(actor)
    return render_template(
        "staff/notifications/index.html",
        items=items,
        unread=sum(1 for n in items if n.unread),
    )


@bp.route("/notifikasi/<int:notification_id>/buka", methods=["POST"])
@login_required
def notification_open(notification_id: int):
    """Mark a notification read and go to the page it is about."""
    try:
        item = svc.mark_read(current_actor(), notification_id)
    except svc.NotFound:
        abort(404)
    return redirect(link_of(item), code=303)


@bp.route("/notifikasi/<int:notification_id>/dibaca", methods=["POST"])
@login_required
def notification_read(notification_id: int):
    """Mark one notification read and stay on the list."""
    try:
        svc.mark_read(current_actor(), notification_id)
    except svc.NotFound:
        abort(404)
    return redirect(url_for("staff.notifications"), code=303)


@bp.route("/notifikasi/baca-semua", methods=["POST"])
@login_required
def notifications_read_all():
    """Mark every notification read."""
    count = svc.mark_all_read(current_actor())
    flash(f"{count} pemberitahuan ditandai sudah dibaca.", "success")
    return redirect(url_for("staff.notifications"), code=303)


@bp.route("/notifikasi/pengaturan", methods=["GET", "POST"])
@login_required
def notification_preferences():
    """Choose how notifications arrive by e-mail (in the portal they always show)."""
    actor = current_actor()
    form = PreferencesForm()
    problems: list[str] = []
    status = 200
    if request.method == "GET":
        current = svc.preferences_of(actor)
        form.email_mode.data = current.email_mode.value
        form.email.data = current.email
    elif form.validate_on_submit():
        try:
            svc.set_preferences(actor, form.email_mode.data or "", form.email.data or "")
        except svc.NotificationError as exc:
            for name, message in exc.errors.items():
                form[name].errors = [message]
            problems = list(exc.errors.values())
            status = 422
        else:
            flash("Pengaturan notifikasi disimpan.", "success")
            return redirect(url_for("staff.notification_preferences"), code=303)
    else:
        problems = [m for errors in form.errors.values() for m in errors]
        status = 422
    return (
        render_template("staff/notifications/preferences.html", form=form, problems=problems),
        status,
    )
