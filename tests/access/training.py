"""Access table: the training catalogue (admin), recording a plan's completion, and the
public Pegawai Teladan page (issue 23 part 6)."""

from kinerja.models.evaluation import TrainingCourse
from tests.access import ALL, INTERNAL, both, get, post

HEAD = {"supervisor", "atasan"}  # the plan's owner is the supervisor; the atasan oversees


def setup(world):
    """A course used by the evaluation area's plan (so deleting it is refused: 409), and
    an unused one."""
    used = TrainingCourse.create(
        name="Pelatihan Pelayanan Prima", kind="DIKLAT", provider="BPSDM Provsu", hours=24
    )
    TrainingCourse.create(name="Mentoring Uji", kind="MENTORING", provider="BKPSDM", hours=8)
    plan = world.objects["plan"]  # tests/access/evaluation.py runs first (file order)
    plan.course = used.id
    plan.save()
    world.objects["course"] = used


def _course(suffix):
    return lambda w: f"/admin/pelatihan/{w.objects['course'].id}{suffix}"


ROUTES = {
    "admin.training_index": get(INTERNAL, "/admin/pelatihan"),
    "admin.training_create": both(INTERNAL, {"admin"}, "/admin/pelatihan/baru"),
    "admin.training_edit": both(INTERNAL, {"admin"}, _course("/ubah")),
    "admin.training_deactivate": post({"admin"}, _course("/nonaktifkan")),
    "admin.training_activate": post({"admin"}, _course("/aktifkan")),
    "admin.training_delete": post(
        {"admin"}, _course("/hapus"), note="the course is in use: refused with 409"
    ),
    "staff.plan_completion": both(
        HEAD,
        HEAD,
        lambda w: f"/rencana-pengembangan/{w.objects['plan'].id}/selesai",
        note="POST without a date: 422",
    ),
    "public.teladan": get(ALL, "/publik/teladan"),
}
