"""Participation per unit (issue 23 part 3): figures against a built world, lateness from the
existing deadlines, heads limited to their subtree, statements independent of city size."""

from kinerja.clock import today_wib
from kinerja.permissions.participation import can_view_participation, participation_roots
from kinerja.queries import participation
from tests.builders import make_employee, make_unit
from tests.builders_evaluation import actor_of, make_approved_skp
from tests.builders_participation import make_participation_world
from tests.builders_skp import make_skp


def _build(world, roots=None):
    period = world.objects["period"]
    return participation.build(period, today_wib(), roots)


def _late(report):
    return {(e.name, e.what.split(" (")[0]) for e in report.late}


def test_figures_of_the_seksi_and_the_subtotals_up_the_tree(world):
    world.objects.update(make_participation_world(world))
    report = _build(world)
    seksi = report.row(world.units["seksi"].id)
    own = seksi.own
    assert (own.staff, own.skp_drafted, own.skp_submitted, own.skp_approved) == (4, 4, 3, 3)
    assert own.realisation_filled == 1  # only the pegawai filled both indicators
    assert (own.evaluations, own.self_assessed, own.final) == (3, 2, 2)
    assert (own.acknowledged, own.objected, own.responded) == (1, 1, 2)
    assert (own.plans_on_track, own.plans_overdue, own.plans_done) == (1, 1, 0)
    bidang = report.row(world.units["bidang"].id)
    assert (bidang.own.staff, bidang.subtotal.staff) == (1, 5)
    assert (bidang.subtotal.skp_submitted, bidang.subtotal.skp_approved) == (4, 3)
    opd = report.row(world.units["opd"].id)
    assert (opd.depth, bidang.depth, seksi.depth) == (0, 1, 2)
    assert opd.subtotal.staff == 6 and opd.subtotal.final == 2
    assert report.total.staff == 8  # with BKPSDM's admin and auditor
    steps = {s["label"]: s for s in seksi.subtotal.steps()}
    assert str(steps["SKP disetujui"]["percent"]) == "75.0"
    assert str(steps["Realisasi periode lengkap"]["percent"]) == "25.0"


def test_who_is_late_follows_the_period_deadlines(world):
    world.objects.update(make_participation_world(world))
    late = _late(_build(world))
    assert ("Kepala Dinas Uji", "SKP belum disetujui") in late
    assert ("Kabid Uji", "SKP belum disetujui") in late
    assert ("Kasi Uji", "SKP belum disetujui") in late
    assert ("Admin Uji", "SKP belum disetujui") in late
    assert ("Rekan Uji", "Realisasi Triwulan Uji " + str(today_wib().year) + " belum lengkap") in {
        (n, w.split(" (")[0]) for n, w in late
    }
    assert ("Rekan Uji", "Penilaian diri belum selesai") in late
    assert ("Pegawai Berkeberatan", "Rencana pengembangan melewati tenggat") in late
    names = {n for n, _ in late}
    assert "Pegawai Uji" not in names  # everything done on time


def test_nothing_is_late_before_the_deadlines(world):
    world.objects.update(make_participation_world(world))
    period = world.objects["period"]
    from datetime import timedelta

    report = participation.build(period, today_wib() - timedelta(days=1))
    assert {e.what for e in report.late} == set()


def test_heads_see_their_own_subtree_only(world):
    world.objects.update(make_participation_world(world))
    kasi = participation_roots(actor_of(world, "supervisor"))
    kabid = participation_roots(actor_of(world, "atasan"))
    assert kasi == {world.units["seksi"].id}
    assert world.units["bidang"].id in kabid and world.units["opd"].id not in kabid
    report = _build(world, kasi)
    assert [r.unit.id for r in report.rows] == [world.units["seksi"].id]
    assert report.total.staff == 4
    assert {e.name for e in report.late} <= {"Kasi Uji", "Rekan Uji", "Pegawai Berkeberatan"}
    assert "Kabid Uji" not in {e.name for e in report.late}
    assert not can_view_participation(actor_of(world, "pegawai"))
    assert participation_roots(actor_of(world, "admin")) is None


def test_statements_do_not_grow_with_the_city(world, count_queries):
    world.objects.update(make_participation_world(world))
    period = world.objects["period"]
    with count_queries() as small:
        participation.build(period, today_wib())
    for i in range(3):
        opd = make_unit(f"Dinas Tambahan {i}", kind="OPD")
        head = make_employee(f"Kepala Tambahan {i}", unit=opd, jenis="JPT")
        for j in range(4):
            sub = make_unit(f"Bidang {i}.{j}", kind="BIDANG", parent=opd)
            person = make_employee(f"Staf {i}.{j}", unit=sub, supervisor=head)
            make_approved_skp(person, period.year)
            make_skp(make_employee(unit=sub, supervisor=head), year=period.year)
    with count_queries() as large:
        report = participation.build(period, today_wib())
    assert large.count == small.count, str(large)
    assert large.count <= 12
    assert report.total.staff == 8 + 3 * 9


def test_an_approved_skp_under_revision_is_late_on_no_page(world):
    """One rule for "SKP belum disetujui" (the person's task list, the team page, this
    report and the admin dashboard): an SKP approved once stays approved while it is
    revised; one never approved is late everywhere."""
    from kinerja.models.skp import Skp
    from kinerja.queries.admin_dashboard import late_items
    from kinerja.services.skp import start_revision

    world.objects.update(make_participation_world(world))
    period = world.objects["period"]
    skp = Skp.get((Skp.employee == world.people["pegawai"].id) & (Skp.year == period.year))
    start_revision(actor_of(world, "pegawai"), skp, "Target triwulan berubah")

    report = {n for n, w in _late(_build(world)) if w == "SKP belum disetujui"}
    items, _ = late_items(period, today_wib())
    dashboard = {i.employee.name for i in items if i.what.startswith("SKP belum disetujui")}
    assert "Pegawai Uji" not in report and "Pegawai Uji" not in dashboard
    assert "Kasi Uji" in report and "Kasi Uji" in dashboard  # a draft never approved
    assert report == dashboard
