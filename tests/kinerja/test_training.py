"""Development that happens (issue 23 part 6): the training catalogue kept by BKPSDM, plans
that pick from it, completion recorded by the owner or the head, and Pegawai Teladan shown
publicly only with consent."""

from datetime import timedelta

import pytest

from kinerja.clock import today_wib
from kinerja.enums import Rating
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import DevelopmentPlan, PlanKind, TrainingCourse, TrainingKind
from kinerja.services import evaluation as svc
from kinerja.services import followup, training
from kinerja.services.evaluation import EvaluationError, Forbidden
from tests.builders_evaluation import actor_of, make_evaluation, make_period

A, S, B = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI


def _course(world, name="Pelatihan Pelayanan Prima", kind="DIKLAT", **fields):
    data = training.CourseData(
        name=name,
        kind=kind,
        provider=fields.pop("provider", "BPSDM Provinsi Sumatera Utara"),
        hours=fields.pop("hours", 24),
        **fields,
    )
    return training.create_course(world.accounts["admin"], data)


def _actions(object_type, object_id) -> list[str]:
    return [
        e.action
        for e in AuditEvent.select()
        .where((AuditEvent.object_type == object_type) & (AuditEvent.object_id == str(object_id)))
        .order_by(AuditEvent.id)
    ]


def _final(world, hasil=S, perilaku=S, period=None):
    """A final evaluation of the pegawai, rated by the supervisor."""
    kasi = actor_of(world, "supervisor")
    ev = make_evaluation(world.people["pegawai"], period or make_period())
    ev = svc.rate(kasi, ev, hasil, "alasan", perilaku, "alasan")
    return svc.finalise(kasi, ev)


def _weak_final(world):
    """A final annual Butuh Perbaikan (its development plan is mandatory)."""
    return _final(world, B, S, make_period(2025, kind="TAHUNAN"))


def _plan(world, ev, *, owner="supervisor", course=None, kind="COACHING", description="Coaching"):
    return followup.add_plan(
        actor_of(world, "supervisor"),
        ev,
        kind,
        description,
        world.people[owner].id,
        today_wib() + timedelta(days=30),
        course_id=course.id if course else None,
    )


# --- the catalogue -------------------------------------------------------------------------


def test_admin_keeps_the_catalogue_and_every_change_is_audited(world):
    course = _course(world, "  Pelatihan   Pelayanan Prima ", description="Tiga hari.")
    assert (course.name, course.kind, course.hours, course.active) == (
        "Pelatihan Pelayanan Prima",
        "DIKLAT",
        24,
        True,
    )
    assert course.option_label == (
        "Pelatihan Pelayanan Prima (Diklat/pelatihan klasikal, "
        "BPSDM Provinsi Sumatera Utara, 24 JP)"
    )
    course = training.update_course(
        world.accounts["admin"],
        course,
        training.CourseData("Pelatihan Pelayanan Prima", "E_LEARNING", "LAN", 12),
    )
    assert (course.kind, course.provider, course.hours) == ("E_LEARNING", "LAN", 12)
    training.set_course_active(world.accounts["admin"], course, False)
    assert training.catalogue(active_only=True) == []
    training.set_course_active(world.accounts["admin"], course, True)
    assert [c.id for c in training.catalogue(active_only=True)] == [course.id]
    assert _actions("training_course", course.id) == [
        "pelatihan.dibuat",
        "pelatihan.diubah",
        "pelatihan.dinonaktifkan",
        "pelatihan.diaktifkan",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "Nama pelatihan wajib diisi."),
        ({"name": "x" * 201}, "paling banyak 200 karakter"),
        ({"kind": "KURSUS"}, "Pilih jenis pelatihan."),
        ({"provider": ""}, "Penyelenggara wajib diisi."),
        ({"hours": 0}, "Jumlah JP harus bilangan bulat 1 sampai 1000."),
        ({"hours": None}, "Jumlah JP harus bilangan bulat"),
        ({"hours": True}, "Jumlah JP harus bilangan bulat"),
        ({"description": "x" * 4001}, "Uraian paling banyak 4.000 karakter."),
    ],
)
def test_catalogue_validation_in_indonesian(world, fields, message):
    data = {"name": "Coaching Layanan", "kind": "COACHING", "provider": "BKPSDM", "hours": 8}
    data.update(fields)
    with pytest.raises(training.TrainingError, match=message):
        training.create_course(world.accounts["admin"], training.CourseData(**data))
    assert TrainingCourse.select().count() == 0


def test_a_course_name_is_unique(world):
    _course(world)
    with pytest.raises(training.TrainingError, match="sudah ada di katalog"):
        _course(world, provider="LAN")


def test_a_course_in_use_is_never_deleted_only_deactivated(world):
    used, unused = _course(world), _course(world, "Mentoring Sejawat", "MENTORING")
    _plan(world, _final(world), course=used)
    with pytest.raises(training.TrainingError, match="tidak dapat dihapus"):
        training.delete_course(world.accounts["admin"], used)
    assert TrainingCourse.get_or_none(TrainingCourse.id == used.id) is not None
    training.delete_course(world.accounts["admin"], unused)
    assert TrainingCourse.get_or_none(TrainingCourse.id == unused.id) is None
    assert _actions("training_course", unused.id)[-1] == "pelatihan.dihapus"
    assert training.used_ids(training.catalogue()) == {used.id}


def test_plan_kind_follows_the_course_kind():
    assert TrainingKind.DIKLAT.plan_kind is PlanKind.PELATIHAN
    assert TrainingKind.E_LEARNING.plan_kind is PlanKind.PELATIHAN
    assert TrainingKind.MAGANG.plan_kind is PlanKind.PELATIHAN
    assert TrainingKind.COACHING.plan_kind is PlanKind.COACHING
    assert TrainingKind.MENTORING.plan_kind is PlanKind.MENTORING


# --- plans pick from the catalogue ----------------------------------------------------------


def test_a_plan_picks_an_active_course_and_a_free_plan_stays_possible(world):
    ev = _final(world)
    course = _course(world)
    plan = _plan(world, ev, course=course, kind="COACHING", description="")
    assert plan.course_id == course.id
    assert plan.kind == PlanKind.PELATIHAN  # the course's kind, not the form's
    assert plan.description == "Pelatihan Pelayanan Prima"  # empty: the course's name
    free = _plan(world, ev, description="Coaching mingguan oleh Kasi")
    assert free.course_id is None and free.kind == PlanKind.COACHING
    assert [p.course.name if p.course else None for p in followup.plans_of(ev)] == [
        "Pelatihan Pelayanan Prima",
        None,
    ]


def test_a_deactivated_course_cannot_be_picked(world):
    ev = _final(world)
    course = _course(world)
    training.set_course_active(world.accounts["admin"], course, False)
    with pytest.raises(EvaluationError, match="tidak ada di katalog atau sudah nonaktif"):
        _plan(world, ev, course=course)
    assert DevelopmentPlan.select().count() == 0


# --- completion -----------------------------------------------------------------------------


def test_the_owner_records_completion_with_a_date_not_in_the_future(world):
    ev = _final(world)
    plan = _plan(world, ev, owner="pegawai", course=_course(world))
    pegawai = actor_of(world, "pegawai")
    with pytest.raises(EvaluationError, match="tidak boleh setelah hari ini"):
        followup.record_completion(pegawai, plan, today_wib() + timedelta(days=1), "STTPP")
    with pytest.raises(EvaluationError, match="Isi tanggal selesai.*Isi catatan"):
        followup.record_completion(pegawai, plan, None, " ")
    assert DevelopmentPlan.get_by_id(plan.id).completed_at is None
    day = today_wib() - timedelta(days=2)
    plan = followup.record_completion(pegawai, plan, day, "STTPP 800/123/BPSDM/2026")
    plan = DevelopmentPlan.get_by_id(plan.id)
    assert (plan.status, plan.completed_at, plan.completion_note, plan.recorded_by_id) == (
        "SELESAI",
        day,
        "STTPP 800/123/BPSDM/2026",
        world.people["pegawai"].id,
    )
    assert _actions("development_plan", plan.id)[-1] == "rencana_pengembangan.selesai"


@pytest.mark.parametrize("who", ["supervisor", "atasan"])
def test_the_head_records_completion_of_a_mandatory_plan(world, who):
    plan = _plan(world, _weak_final(world), owner="pegawai")
    plan = followup.record_completion(actor_of(world, who), plan, today_wib(), "Coaching selesai")
    assert plan.status == "SELESAI" and plan.recorded_by_id == world.people[who].id


@pytest.mark.parametrize("who", ["peer", "admin", "auditor", "kadis_outside"])
def test_others_never_record_completion(world, who):
    from kinerja.models.account import Account
    from kinerja.permissions import Actor
    from tests.builders import make_account, make_employee

    plan = _plan(world, _final(world), owner="supervisor")
    if who == "kadis_outside":
        outsider = make_employee("Kabid Lain", unit=world.units["bkpsdm"], jenis="ADMINISTRATOR")
        actor = Actor(Account.get_by_id(make_account(outsider).id))
    else:
        actor = actor_of(world, who)
    with pytest.raises(Forbidden):
        followup.record_completion(actor, plan, today_wib(), "selesai")
    # the employee is not the owner here
    with pytest.raises(Forbidden):
        followup.record_completion(actor_of(world, "pegawai"), plan, today_wib(), "selesai")
    assert DevelopmentPlan.get_by_id(plan.id).completed_at is None


def test_the_employee_owner_cannot_close_a_mandatory_plan(world):
    plan = _plan(world, _weak_final(world), owner="pegawai")
    with pytest.raises(Forbidden):
        followup.record_completion(actor_of(world, "pegawai"), plan, today_wib(), "selesai")


def test_a_cancelled_plan_is_not_completed(world):
    plan = _plan(world, _final(world))
    followup.set_plan_status(actor_of(world, "supervisor"), plan, "BATAL")
    with pytest.raises(Forbidden):
        followup.record_completion(
            actor_of(world, "supervisor"), DevelopmentPlan.get_by_id(plan.id), today_wib(), "x"
        )


def test_an_open_plan_past_its_due_date_is_late(world):
    plan = _plan(world, _final(world))
    today = today_wib()
    assert not plan.late_on(today)
    assert plan.late_on(plan.due + timedelta(days=1))
    plan.status = "BERJALAN"
    assert plan.late_on(plan.due + timedelta(days=1))
    for closed in ("SELESAI", "BATAL"):
        plan.status = closed
        assert not plan.late_on(plan.due + timedelta(days=1))


# --- Pegawai Teladan --------------------------------------------------------------------------


def _nominated(
    world, key="pegawai", reason="Melayani 40 permohonan KTP-el per hari tanpa keluhan."
):
    kasi = actor_of(world, "supervisor")
    ev = make_evaluation(world.people[key], make_period())
    ev = svc.finalise(kasi, svc.rate(kasi, ev, A, "baik", A, "baik"))
    return followup.nominate(kasi, ev, reason)


def test_only_consented_nominees_are_published(world):
    asked = _nominated(world)
    refused = _nominated(world, "peer")
    assert followup.published_recognitions() == []  # consent not recorded yet
    followup.record_consent(actor_of(world, "peer"), refused, False)
    assert followup.published_recognitions() == []
    followup.record_consent(actor_of(world, "pegawai"), asked, True)
    (shown,) = followup.published_recognitions()
    ev = asked.evaluation
    assert shown == {
        "nama": world.people["pegawai"].full_name,
        "unit": world.units["seksi"].name,
        "periode": ev.period.name,
        "tahun": ev.period.year,
        "alasan": "Melayani 40 permohonan KTP-el per hari tanpa keluhan.",
    }


def test_withdrawn_consent_leaves_the_public_list_and_is_audited(world):
    rec = _nominated(world)
    pegawai = actor_of(world, "pegawai")
    followup.record_consent(pegawai, rec, True)
    assert len(followup.published_recognitions()) == 1
    followup.record_consent(pegawai, rec, False)
    assert followup.published_recognitions() == []
    assert _actions("recognition", rec.id) == [
        "teladan.persetujuan",
        "teladan.persetujuan_ditarik",
    ]
    followup.record_consent(pegawai, rec, True)  # and may give it again
    assert len(followup.published_recognitions()) == 1


def test_the_public_list_is_one_bounded_query(world, count_queries):
    for key in ("pegawai", "peer"):
        rec = _nominated(world, key)
        followup.record_consent(actor_of(world, key), rec, True)
    with count_queries() as log:
        people = followup.published_recognitions(limit=1)
    assert len(people) == 1
    assert log.count == 1, str(log)


def test_short_reason_cuts_at_a_word():
    assert followup.short_reason("  Teladan   pelayanan ") == "Teladan pelayanan"
    text = "kata " * 100
    cut = followup.short_reason(text, 30)
    assert cut.endswith("…") and len(cut) <= 31 and "  " not in cut
