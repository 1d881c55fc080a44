"""Admin: the training catalogue kept by BKPSDM (issue 23 part 6). Admins change it,
auditors read it; a course that a plan uses is deactivated, never deleted."""

from flask import abort, flash, redirect, render_template, request, url_for

from kinerja.models.evaluation import TrainingCourse
from kinerja.permissions import is_admin
from kinerja.services import training as svc
from portal.admin import bp
from portal.admin.training_forms import CourseForm
from portal.security import current_actor, internal_reader_required


def _can_write() -> bool:
    return is_admin(current_actor())


def _course(course_id: int) -> TrainingCourse:
    course = TrainingCourse.get_or_none(TrainingCourse.id == course_id)
    if course is None:
        abort(404)
    return course


def _data(form: CourseForm) -> svc.CourseData:
    return svc.CourseData(
        name=form.name.data,
        kind=form.kind.data,
        provider=form.provider.data,
        hours=form.hours.data,
        description=form.description.data or "",
        active=bool(form.active.data),
    )


def _form_page(form, course=None, status=200):
    return (
        render_template(
            "admin/training/form.html", form=form, course=course, can_write=_can_write()
        ),
        status,
    )


@bp.route("/pelatihan")
@internal_reader_required
def training_index():
    """The training catalogue: every course, active first within its kind."""
    courses = svc.catalogue()
    return render_template(
        "admin/training/index.html",
        courses=courses,
        used=svc.used_ids(courses),
        can_write=_can_write(),
    )


@bp.route("/pelatihan/baru", methods=["GET", "POST"])
@internal_reader_required
def training_create():
    """Add a course to the catalogue."""
    form = CourseForm()
    if request.method == "GET":
        return _form_page(form)
    if not form.validate():
        return _form_page(form, status=422)
    try:
        course = svc.create_course(current_actor().account, _data(form))
    except svc.TrainingError as exc:
        form.name.errors = [str(exc)]
        return _form_page(form, status=422)
    flash(f"{course.name} ditambahkan ke katalog pelatihan.", "success")
    return redirect(url_for("admin.training_index"), code=303)


@bp.route("/pelatihan/<int:course_id>/ubah", methods=["GET", "POST"])
@internal_reader_required
def training_edit(course_id):
    """Change a course."""
    course = _course(course_id)
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    if request.method == "GET":
        return _form_page(form, course)
    if not form.validate():
        return _form_page(form, course, 422)
    try:
        course = svc.update_course(current_actor().account, course, _data(form))
    except svc.TrainingError as exc:
        form.name.errors = [str(exc)]
        return _form_page(form, course, 422)
    flash(f"{course.name} diperbarui.", "success")
    return redirect(url_for("admin.training_index"), code=303)


@bp.route("/pelatihan/<int:course_id>/nonaktifkan", methods=["POST"])
@internal_reader_required
def training_deactivate(course_id):
    """Deactivate a course: it leaves the plan form; plans that use it keep it."""
    course = svc.set_course_active(current_actor().account, _course(course_id), False)
    flash(f"{course.name} dinonaktifkan; tidak tampil lagi di formulir rencana.", "success")
    return redirect(url_for("admin.training_index"), code=303)


@bp.route("/pelatihan/<int:course_id>/aktifkan", methods=["POST"])
@internal_reader_required
def training_activate(course_id):
    """Reactivate a course."""
    course = svc.set_course_active(current_actor().account, _course(course_id), True)
    flash(f"{course.name} diaktifkan kembali.", "success")
    return redirect(url_for("admin.training_index"), code=303)


@bp.route("/pelatihan/<int:course_id>/hapus", methods=["POST"])
@internal_reader_required
def training_delete(course_id):
    """Delete a course entered by mistake; one in use is refused (409) with the reason."""
    course = _course(course_id)
    try:
        svc.delete_course(current_actor().account, course)
    except svc.TrainingError as exc:
        flash(str(exc), "error")
        courses = svc.catalogue()
        return (
            render_template(
                "admin/training/index.html",
                courses=courses,
                used=svc.used_ids(courses),
                can_write=_can_write(),
            ),
            409,
        )
    flash(f"{course.name} dihapus dari katalog pelatihan.", "success")
    return redirect(url_for("admin.training_index"), code=303)
