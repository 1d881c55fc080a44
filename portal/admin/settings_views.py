"""The admin console's settings page (docs/spec/product.md §7)."""

from flask import flash, redirect, render_template, request, url_for

from kinerja import settings
from kinerja.queries import admin as admin_queries
from kinerja.services import admin_settings
from portal.admin import bp
from portal.admin.common import current_account
from portal.admin.console_forms import settings_form_class
from portal.security import internal_reader_required


@bp.route("/pengaturan", methods=["GET", "POST"])
@internal_reader_required
def settings_page():
    """The configurable values; each open period keeps the values frozen when it opened."""
    Form = settings_form_class(settings.SPECS)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        form = Form()
        if form.validate_on_submit():
            values = {key: getattr(form, key).data for key in settings.SPECS}
            found = admin_settings.problems(values)
            if found:
                for key, message in found.items():
                    getattr(form, key).errors = [*getattr(form, key).errors, message]
            else:
                changed = admin_settings.update(values, actor=current_account())
                flash(
                    f"{len(changed)} pengaturan diubah." if changed else "Tidak ada perubahan.",
                    "success",
                )
                return redirect(url_for("admin.settings_page"), 303)
        errors = [
            f"{getattr(form, k).label.text}: {' '.join(getattr(form, k).errors)}"
            for k in settings.SPECS
            if getattr(form, k).errors
        ]
        status = 422
    else:
        form = Form(formdata=None, data=settings.current())
    return (
        render_template(
            "admin/console/settings.html",
            form=form,
            specs=settings.SPECS,
            frozen=admin_queries.frozen_by_open_period(),
            errors=errors,
        ),
        status,
    )
