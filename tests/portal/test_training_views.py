"""Views of issue 23 part 6: the catalogue admin under /admin/pelatihan, the plan form that
picks a course, the completion page, and the live Pegawai Teladan page."""

from datetime import timedelta

import pytest

from kinerja.clock import today_wib
from kinerja.enums import Rating
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import DevelopmentPlan, Recognition, TrainingCourse
from kinerja.services import evaluation as svc
from kinerja.services import followup
from tests.builders_evaluation import actor_of, make_evaluation, make_period
from tests.html import check_page, find_all, texts

A, S = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI


def main(tree):
    """The page's own content (not the header)."""
    [element] = find_all(tree, "main")
    return element


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _course(name="Pelatihan Pelayanan Prima", kind="DIKLAT", active=True):
    return TrainingCourse.create(
        name=name, kind=kind, provider="BPSDM Provinsi Sumatera Utara", hours=24, active=active
    )


def _final(world, hasil=S, perilaku=S):
    kasi = actor_of(world, "supervisor")
    ev = make_evaluation(world.people["pegawai"], make_period())
    return svc.finalise(kasi, svc.rate(kasi, ev, hasil, "alasan", perilaku, "alasan"))


# --- the catalogue admin ----------------------------------------------------------------------

FORM = {"name": "Coaching Layanan Prima", "kind": "COACHING", "provider": "BKPSDM", "hours": "8"}


def test_admin_adds_edits_and_deactivates_a_course(world, login_as):
    client = login_as(world.people["admin"])
    response = client.post("/admin/pelatihan/baru", data=FORM)
    assert response.status_code == 303
    course = TrainingCourse.get(TrainingCourse.name == "Coaching Layanan Prima")
    assert (course.kind, course.provider, course.hours) == ("COACHING", "BKPSDM", 8)
    response = client.get(f"/admin/pelatihan/{course.id}/ubah")
    tree = check_page(response.get_data(as_text=True))
    assert find_all(tree, "input", name="name")[0].get("value") == "Coaching Layanan Prima"
    response = client.post(f"/admin/pelatihan/{course.id}/ubah", data={**FORM, "hours": "16"})
    assert response.status_code == 303 and TrainingCourse.get_by_id(course.id).hours == 16
    assert client.post(f"/admin/pelatihan/{course.id}/nonaktifkan").status_code == 303
    assert not TrainingCourse.get_by_id(course.id).active
    tree = check_page(client.get("/admin/pelatihan").get_data(as_text=True))
    [row] = find_all(main(tree), "tr")[1:]
    assert texts(row, "th") == ["Coaching Layanan Prima"]
    assert "Nonaktif" in _text(row)
    assert [_text(b) for b in find_all(row, "button")] == [
        "Aktifkan Coaching Layanan Prima",
        "Hapus Coaching Layanan Prima",
    ]
    actions = [
        e.action for e in AuditEvent.select().where(AuditEvent.object_type == "training_course")
    ]
    assert actions == ["pelatihan.dibuat", "pelatihan.diubah", "pelatihan.dinonaktifkan"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Nama pelatihan wajib diisi."),
        ("kind", "", "Pilih jenis pelatihan."),
        ("kind", "KURSUS", "Pilihan tidak valid."),
        ("provider", "", "Penyelenggara wajib diisi."),
        ("hours", "", "Jumlah JP wajib diisi dengan bilangan bulat."),
        ("hours", "dua", "Isian harus berupa bilangan bulat."),
        ("hours", "0", "Isi bilangan bulat 1 sampai 1000."),
    ],
)
def test_bad_input_is_a_422_with_an_indonesian_message(world, login_as, field, value, message):
    client = login_as(world.people["admin"])
    response = client.post("/admin/pelatihan/baru", data={**FORM, field: value})
    assert response.status_code == 422
    tree = check_page(response.get_data(as_text=True))
    [error] = find_all(tree, "p", id=f"{field}-error")
    assert message in _text(error)
    assert TrainingCourse.select().count() == 0


def test_a_duplicate_name_is_refused(world, login_as):
    _course("Coaching Layanan Prima")
    response = login_as(world.people["admin"]).post("/admin/pelatihan/baru", data=FORM)
    assert response.status_code == 422
    assert "sudah ada di katalog" in response.get_data(as_text=True)


def test_a_course_in_use_cannot_be_deleted(world, login_as):
    course = _course()
    followup.add_plan(
        actor_of(world, "supervisor"),
        _final(world),
        "PELATIHAN",
        "",
        world.people["pegawai"].id,
        today_wib() + timedelta(days=20),
        course_id=course.id,
    )
    client = login_as(world.people["admin"])
    response = client.post(f"/admin/pelatihan/{course.id}/hapus")
    assert response.status_code == 409
    assert "tidak dapat dihapus" in response.get_data(as_text=True)
    assert TrainingCourse.get_or_none(TrainingCourse.id == course.id) is not None
    tree = check_page(client.get("/admin/pelatihan").get_data(as_text=True))
    [row] = find_all(main(tree), "tr")[1:]
    assert "Dipakai dalam rencana" in _text(row)
    assert "Hapus" not in [_text(b).split()[0] for b in find_all(row, "button")]


def test_auditor_reads_the_catalogue_but_changes_nothing(world, login_as):
    course = _course()
    client = login_as(world.people["auditor"])
    tree = check_page(client.get("/admin/pelatihan").get_data(as_text=True))
    assert not find_all(main(tree), "form")
    assert client.post("/admin/pelatihan/baru", data=FORM).status_code == 403
    assert client.post(f"/admin/pelatihan/{course.id}/nonaktifkan").status_code == 403
    assert TrainingCourse.get_by_id(course.id).active


# --- plans pick from the catalogue ------------------------------------------------------------


def test_the_plan_form_offers_only_active_courses_with_kind_and_provider(world, login_as):
    ev = _final(world)
    _course()
    _course("Magang Lama", "MAGANG", active=False)
    client = login_as(world.people["supervisor"])
    tree = check_page(
        client.get(f"/atasan/penilaian/{ev.id}/rencana-pengembangan").get_data(as_text=True)
    )
    [select] = find_all(tree, "select", name="course")
    assert [_text(o) for o in find_all(select, "option")] == [
        "Tanpa katalog (rencana bebas)",
        "Pelatihan Pelayanan Prima (Diklat/pelatihan klasikal, "
        "BPSDM Provinsi Sumatera Utara, 24 JP)",
    ]


def test_the_head_plans_a_course_and_both_sides_see_it(world, login_as, client):
    ev = _final(world)
    course = _course()
    login_as(world.people["supervisor"])
    due = today_wib() + timedelta(days=14)
    response = client.post(
        f"/atasan/penilaian/{ev.id}/rencana-pengembangan",
        data={
            "course": str(course.id),
            "kind": "COACHING",
            "description": "",
            "owner": str(world.people["pegawai"].id),
            "due": due.isoformat(),
        },
    )
    assert response.status_code == 303
    plan = DevelopmentPlan.get(DevelopmentPlan.evaluation == ev.id)
    assert (plan.course_id, plan.kind) == (course.id, "PELATIHAN")
    # the employee's plans page: course, status, and the completion link (they own it)
    login_as(world.people["pegawai"])
    tree = check_page(client.get("/rencana-pengembangan").get_data(as_text=True))
    [table] = find_all(tree, "table")
    [row] = find_all(table, "tr")[1:]
    assert "Pelatihan Pelayanan Prima" in _text(row)
    assert "Direncanakan" in _text(row)
    assert find_all(row, "a", href=f"/rencana-pengembangan/{plan.id}/selesai")
    # the head's rating page
    login_as(world.people["supervisor"])
    tree = check_page(client.get(f"/atasan/penilaian/{ev.id}").get_data(as_text=True))
    [section] = find_all(tree, "section", **{"aria_labelledby": "follow-title"})
    assert "Pelatihan Pelayanan Prima" in _text(section)


def test_completion_page_records_and_refuses_a_future_date(world, login_as, client):
    ev = _final(world)
    plan = followup.add_plan(
        actor_of(world, "supervisor"),
        ev,
        "COACHING",
        "Coaching mingguan",
        world.people["supervisor"].id,
        today_wib() + timedelta(days=10),
    )
    login_as(world.people["supervisor"])
    url = f"/rencana-pengembangan/{plan.id}/selesai"
    tomorrow = today_wib() + timedelta(days=1)
    response = client.post(url, data={"completed_at": tomorrow.isoformat(), "note": "Selesai"})
    assert response.status_code == 422
    tree = check_page(response.get_data(as_text=True))
    [alert] = find_all(tree, "div", role="alert")
    assert "Tanggal selesai tidak boleh setelah hari ini." in _text(alert)
    response = client.post(url, data={"completed_at": "kemarin", "note": ""})
    assert response.status_code == 422
    assert DevelopmentPlan.get_by_id(plan.id).completed_at is None
    day = today_wib()
    response = client.post(url, data={"completed_at": day.isoformat(), "note": "Empat sesi."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/atasan/penilaian/{ev.id}/rencana-pengembangan")
    plan = DevelopmentPlan.get_by_id(plan.id)
    assert (plan.status, plan.completed_at, plan.completion_note) == ("SELESAI", day, "Empat sesi.")
    # the employee sees it on their plans page, without a completion link (not the owner)
    login_as(world.people["pegawai"])
    tree = check_page(client.get("/rencana-pengembangan").get_data(as_text=True))
    [row] = find_all(find_all(tree, "table")[0], "tr")[1:]
    assert "Selesai" in _text(row) and "Empat sesi." in _text(row)
    assert not find_all(row, "a", href=url)
    assert client.get(url).status_code == 403


def test_an_overdue_plan_is_shown_late(world, login_as):
    ev = _final(world)
    plan = followup.add_plan(
        actor_of(world, "supervisor"),
        ev,
        "COACHING",
        "Coaching mingguan",
        world.people["supervisor"].id,
        today_wib() + timedelta(days=10),
    )
    DevelopmentPlan.update(due=today_wib() - timedelta(days=3)).where(
        DevelopmentPlan.id == plan.id
    ).execute()
    tree = check_page(
        login_as(world.people["pegawai"]).get("/rencana-pengembangan").get_data(as_text=True)
    )
    [row] = find_all(find_all(tree, "table")[0], "tr")[1:]
    assert texts(row, "strong") == ["Terlambat"]


# --- consent and the public Pegawai Teladan page ----------------------------------------------


def _teladan(client) -> list[str]:
    response = client.get("/publik/teladan")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Set-Cookie" not in response.headers
    tree = check_page(response.get_data(as_text=True))
    return [_text(h) for ul in find_all(tree, "ul", class_="teladan-list") for h in ul.iter("h2")]


def _nominate(world, key):
    kasi = actor_of(world, "supervisor")
    ev = make_evaluation(world.people[key], make_period())
    ev = svc.finalise(kasi, svc.rate(kasi, ev, A, "baik", A, "baik"))
    return followup.nominate(kasi, ev, f"Teladan pelayanan {key}")


def test_teladan_shows_only_consent_and_a_withdrawal_on_the_next_request(world, login_as, app):
    public = app.test_client()
    rec = _nominate(world, "pegawai")
    refused = _nominate(world, "peer")
    assert _teladan(public) == []  # nobody has consented yet
    staff = login_as(world.people["peer"])
    staff.post(f"/penghargaan/{refused.id}/persetujuan", data={"consent": "tidak"})
    login_as(world.people["pegawai"])
    staff.post(f"/penghargaan/{rec.id}/persetujuan", data={"consent": "ya"})
    assert _teladan(public) == ["Pegawai Uji"]
    # the employee's own page offers the withdrawal
    tree = check_page(staff.get("/rencana-pengembangan").get_data(as_text=True))
    [withdraw] = [b for b in find_all(tree, "button") if _text(b) == "Tarik persetujuan"]
    assert withdraw.get("value") == "tidak"
    response = staff.post(f"/penghargaan/{rec.id}/persetujuan", data={"consent": "tidak"})
    assert response.status_code == 303
    assert Recognition.get_by_id(rec.id).consent is False
    assert _teladan(public) == []  # the very next request
    tree = check_page(staff.get("/rencana-pengembangan").get_data(as_text=True))
    assert "Beri persetujuan" in [_text(b) for b in find_all(tree, "button")]


def test_teladan_is_linked_from_the_public_home_and_the_staff_home(world, login_as, app):
    tree = check_page(app.test_client().get("/publik/beranda").get_data(as_text=True))
    assert find_all(main(tree), "a", href="/publik/teladan")
    tree = check_page(login_as(world.people["pegawai"]).get("/beranda").get_data(as_text=True))
    [section] = find_all(tree, "section", **{"aria_labelledby": "teladan-title"})
    assert texts(section, "h2") == ["Teladan di kota Anda"]
    assert find_all(section, "a", href="/publik/teladan")


def test_teladan_page_is_one_query_and_never_served_from_a_memo(
    world, login_as, app, count_queries
):
    public = app.test_client()
    rec = _nominate(world, "pegawai")
    followup.record_consent(actor_of(world, "pegawai"), rec, True)
    assert _teladan(public) == ["Pegawai Uji"]
    with count_queries() as log:
        assert _teladan(public) == ["Pegawai Uji"]
    assert log.count == 1, str(log)
    # no ETag: a conditional request renders afresh rather than answering 304
    response = public.get("/publik/teladan", headers={"If-None-Match": "*"})
    assert response.status_code == 200 and "ETag" not in response.headers
