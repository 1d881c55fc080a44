"""The training catalogue kept by BKPSDM (issue 23 part 6): courses that development plans
pick from. Admins add, change, deactivate and reactivate courses; a course that a plan uses
is never deleted (it is deactivated: it leaves the plan form, the plans keep it).

Every writing use case runs in one transaction and is audited.
"""

from dataclasses import dataclass

from peewee import IntegrityError

from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.models.evaluation import DevelopmentPlan, TrainingCourse, TrainingKind
from kinerja.services import audit

MAX_NAME = 200
MAX_PROVIDER = 160
MAX_DESCRIPTION = 4000
MAX_HOURS = 1000


class TrainingError(ValueError):
    """A use case refused: the message is Indonesian and meant for the person."""


@dataclass(frozen=True)
class CourseData:
    """The editable fields of a course."""

    name: str
    kind: str
    provider: str
    hours: int | None
    description: str = ""
    active: bool = True


def _clean(data: CourseData) -> dict:
    errors = []
    name = " ".join((data.name or "").split())
    if not name:
        errors.append("Nama pelatihan wajib diisi.")
    elif len(name) > MAX_NAME:
        errors.append(f"Nama pelatihan paling banyak {MAX_NAME} karakter.")
    try:
        kind = TrainingKind(data.kind)
    except ValueError:
        errors.append("Pilih jenis pelatihan.")
        kind = None
    provider = " ".join((data.provider or "").split())
    if not provider:
        errors.append("Penyelenggara wajib diisi.")
    elif len(provider) > MAX_PROVIDER:
        errors.append(f"Penyelenggara paling banyak {MAX_PROVIDER} karakter.")
    hours = data.hours
    if isinstance(hours, bool) or not isinstance(hours, int) or not 0 < hours <= MAX_HOURS:
        errors.append(f"Jumlah JP harus bilangan bulat 1 sampai {MAX_HOURS}.")
    description = (data.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors.append("Uraian paling banyak 4.000 karakter.")
    if errors:
        raise TrainingError(" ".join(errors))
    return {
        "name": name,
        "kind": kind.value,
        "provider": provider,
        "hours": hours,
        "description": description,
        "active": bool(data.active),
    }


def _snapshot(course: TrainingCourse) -> dict:
    return {
        "name": course.name,
        "kind": course.kind,
        "provider": course.provider,
        "hours": course.hours,
        "active": course.active,
    }


def _duplicate(name: str) -> TrainingError:
    return TrainingError(f"Pelatihan bernama {name} sudah ada di katalog.")


def create_course(actor, data: CourseData) -> TrainingCourse:
    """Add a course to the catalogue."""
    fields = _clean(data)
    with write_tx():
        try:
            course = TrainingCourse.create(**fields)
        except IntegrityError:
            raise _duplicate(fields["name"]) from None
        audit.record(
            "pelatihan.dibuat",
            actor=actor,
            object_type="training_course",
            object_id=course.id,
            after=_snapshot(course),
        )
    return course


def update_course(actor, course: TrainingCourse, data: CourseData) -> TrainingCourse:
    """Change a course (the plans that use it show the new name)."""
    fields = _clean(data)
    with write_tx():
        course = TrainingCourse.get_by_id(course.id)
        before = _snapshot(course)
        for key, value in fields.items():
            setattr(course, key, value)
        course.updated_at = utcnow()
        try:
            course.save()
        except IntegrityError:
            raise _duplicate(fields["name"]) from None
        audit.record(
            "pelatihan.diubah",
            actor=actor,
            object_type="training_course",
            object_id=course.id,
            before=before,
            after=_snapshot(course),
        )
    return course


def set_course_active(actor, course: TrainingCourse, active: bool) -> TrainingCourse:
    """Deactivate (or reactivate) a course: a deactivated one leaves the plan form."""
    with write_tx():
        course = TrainingCourse.get_by_id(course.id)
        before = _snapshot(course)
        course.active = bool(active)
        course.updated_at = utcnow()
        course.save()
        audit.record(
            "pelatihan.diaktifkan" if active else "pelatihan.dinonaktifkan",
            actor=actor,
            object_type="training_course",
            object_id=course.id,
            before=before,
            after=_snapshot(course),
        )
    return course


def is_used(course: TrainingCourse) -> bool:
    """Whether any development plan uses the course."""
    return DevelopmentPlan.select().where(DevelopmentPlan.course == course.id).exists()


def delete_course(actor, course: TrainingCourse) -> None:
    """Delete a course entered by mistake; one that a plan uses is refused (deactivate it)."""
    with write_tx():
        course = TrainingCourse.get_by_id(course.id)
        if is_used(course):
            raise TrainingError(
                f"{course.name} dipakai dalam rencana pengembangan dan tidak dapat "
                "dihapus. Nonaktifkan saja: pelatihan tidak tampil lagi di formulir rencana."
            )
        before = _snapshot(course)
        course.delete_instance()
        audit.record(
            "pelatihan.dihapus",
            actor=actor,
            object_type="training_course",
            object_id=course.id,
            before=before,
        )


def catalogue(active_only: bool = False) -> list[TrainingCourse]:
    """The courses by kind then name (only the active ones when asked)."""
    query = TrainingCourse.select()
    if active_only:
        query = query.where(TrainingCourse.active)
    return list(query.order_by(TrainingCourse.kind, TrainingCourse.name))


def used_ids(courses: list[TrainingCourse]) -> set[int]:
    """The ids of ``courses`` that some plan uses, in one query."""
    if not courses:
        return set()
    return {
        row.course_id
        for row in DevelopmentPlan.select(DevelopmentPlan.course)
        .where(DevelopmentPlan.course.in_([c.id for c in courses]))
        .distinct()
    }
