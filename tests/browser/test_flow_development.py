"""Development that happens (issue 23 part 6) in a real browser.

The admin adds a course to the BKPSDM training catalogue; the Kasi (Pejabat Penilai) plans
it for the pegawai, picking it from the select that shows kind and provider; the pegawai
sees it on their plans page and agrees to be shown as Pegawai Teladan; the Kasi records the
completion (a date after today is refused and announced); the pegawai sees the completion.
A citizen on a phone reads /publik/teladan with the pegawai's name, and after the pegawai
withdraws consent the name is gone on the next request. Every screen is checked (HTML,
axe-core, phone fit on the phone); each step is read from the database too.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kinerja.clock import today_wib
from kinerja.enums import Rating
from kinerja.formatting import format_date
from kinerja.models.evaluation import DevelopmentPlan, Recognition, TrainingCourse
from kinerja.services import evaluation as evaluation_service
from kinerja.services import followup
from tests.browser import flows
from tests.browser import flows_supervisor as sv
from tests.browser.conftest import build_world

COURSE = "Pelatihan Pelayanan Prima Angkatan II"
PROVIDER = "BPSDM Provinsi Sumatera Utara"
OPTION = f"{COURSE} (Diklat/pelatihan klasikal, {PROVIDER}, 24 JP)"
NOTE = "STTPP nomor 800/77/BPSDM/2026, 24 JP."
REASON = "Melayani seluruh permohonan KTP-el tepat waktu dan dinilai ramah oleh warga."


def build_development_world():
    """The small world; this quarter open; Pegawai Uji rated Sangat Baik by the Kasi,
    finalised early (a written reason) and nominated as Pegawai Teladan."""
    world = build_world()
    sv.open_quarter(world, {"pegawai": 120})
    kasi = sv.actor(world, "supervisor")
    ev = sv.evaluation_of(world, "pegawai")
    A = Rating.DIATAS_EKSPEKTASI
    ev = evaluation_service.rate(kasi, ev, A, "Realisasi 120 %.", A, "Teladan di loket.")
    ev = evaluation_service.finalise(kasi, ev, early_reason="Pegawai dimutasi.")
    world.objects["evaluation"] = ev
    world.objects["recognition"] = followup.nominate(kasi, ev, REASON)
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_development_world


def test_a_course_is_planned_completed_and_the_teladan_shown_with_consent(
    page, phone_page, checks, live_world
):
    world = live_world
    ev = world.objects["evaluation"]
    today = today_wib()

    # 1. The admin adds the course to the catalogue.
    flows.login_as(page, checks, world, "admin", step="masuk-admin")
    checks.visit(page, "/admin/pelatihan", step="katalog-pelatihan")
    with flows.lands_on(page, checks, "pelatihan-baru"):
        page.get_by_role("link", name="Tambah pelatihan").click()
    flows.field(page, "Nama pelatihan").fill(COURSE)
    flows.field(page, "Jenis").select_option(label="Diklat/pelatihan klasikal")
    flows.field(page, "Penyelenggara").fill(PROVIDER)
    flows.field(page, "Jam pelajaran (JP)").fill("24")
    with flows.lands_on(page, checks, "pelatihan-tersimpan"):
        page.get_by_role("button", name="Simpan").click()
    expect(page).to_have_url(checks.url("/admin/pelatihan"))
    expect(page.get_by_role("status")).to_have_text(f"{COURSE} ditambahkan ke katalog pelatihan.")
    row = page.get_by_role("row").filter(has_text=COURSE)
    expect(row).to_contain_text(PROVIDER)
    expect(row).to_contain_text("Aktif")
    with sv.db():
        course = TrainingCourse.get(TrainingCourse.name == COURSE)
        assert (course.kind, course.hours, course.active) == ("DIKLAT", 24, True)
    flows.logout(page, checks, step="keluar-admin")

    # 2. The Kasi plans the course for the pegawai (owner: the pegawai).
    flows.login_as(page, checks, world, "supervisor", step="masuk-kasi")
    plan_url = f"/atasan/penilaian/{ev.id}/rencana-pengembangan"
    checks.visit(page, plan_url, step="rencana-kosong")
    flows.field(page, "Pelatihan dari katalog BKPSDM").select_option(label=OPTION)
    flows.field(page, "Penanggung jawab").select_option(label="Pegawai Uji")
    flows.field(page, "Tanggal target").fill((today + timedelta(days=30)).isoformat())
    with flows.lands_on(page, checks, "rencana-tersimpan"):
        page.get_by_role("button", name="Simpan rencana").click()
    expect(page.get_by_role("status")).to_have_text("Rencana pengembangan tersimpan.")
    plans = page.get_by_role("table", name="Rencana pengembangan Pegawai Uji")
    expect(plans).to_contain_text(COURSE)
    expect(plans).to_contain_text("Direncanakan")
    with sv.db():
        (plan,) = DevelopmentPlan.select().where(DevelopmentPlan.evaluation == ev.id)
        assert (plan.course_id, plan.kind, plan.description) == (course.id, "PELATIHAN", COURSE)
    flows.logout(page, checks, step="keluar-kasi")

    # 3. The pegawai sees the course and agrees to be shown as Pegawai Teladan.
    flows.login_as(page, checks, world, "pegawai", step="masuk-pegawai")
    checks.visit(page, "/rencana-pengembangan", step="rencana-pegawai")
    mine = page.get_by_role("table", name="Rencana pengembangan Anda")
    expect(mine).to_contain_text(COURSE)
    expect(mine).to_contain_text(PROVIDER)
    with flows.lands_on(page, checks, "persetujuan-teladan"):
        page.get_by_role("button", name="Ya, saya setuju").click()
    expect(page.get_by_role("status")).to_contain_text("Persetujuan Anda tercatat")
    flows.logout(page, checks, step="keluar-pegawai")

    # 4. The Kasi records the completion: tomorrow is refused, today is recorded.
    flows.login_as(page, checks, world, "supervisor", step="masuk-kasi-lagi")
    checks.visit(page, plan_url, step="rencana-berjalan")
    with flows.lands_on(page, checks, "catat-penyelesaian"):
        page.get_by_role("link", name=f"Catat penyelesaian rencana {COURSE}").click()
    flows.field(page, "Tanggal selesai").fill((today + timedelta(days=1)).isoformat())
    flows.field(page, "Catatan atau bukti penyelesaian").fill(NOTE)
    with flows.lands_on(page, checks, "penyelesaian-besok-ditolak", status=422):
        page.get_by_role("button", name="Simpan penyelesaian").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Tanggal selesai tidak boleh setelah hari ini."
    )
    with sv.db():
        assert DevelopmentPlan.get_by_id(plan.id).completed_at is None
    flows.field(page, "Tanggal selesai").fill(today.isoformat())
    with flows.lands_on(page, checks, "penyelesaian-tersimpan"):
        page.get_by_role("button", name="Simpan penyelesaian").click()
    expect(page).to_have_url(checks.url(plan_url))
    expect(plans).to_contain_text(f"Diselesaikan {format_date(today)}: {NOTE}")
    with sv.db():
        plan = DevelopmentPlan.get_by_id(plan.id)
        assert (plan.status, plan.completed_at) == ("SELESAI", today)
    flows.logout(page, checks, step="keluar-kasi-lagi")

    # 5. The pegawai sees the completion.
    flows.login_as(page, checks, world, "pegawai", step="masuk-pegawai-lagi")
    checks.visit(page, "/rencana-pengembangan", step="rencana-selesai-pegawai")
    expect(mine).to_contain_text(f"Diselesaikan {format_date(today)}: {NOTE}")

    # 6. A citizen on a phone reads the Pegawai Teladan page.
    checks.visit(phone_page, "/publik/beranda", step="beranda-warga-ponsel")
    with flows.lands_on(phone_page, checks, "teladan-ponsel"):
        phone_page.get_by_role("link", name="Lihat Pegawai Teladan").click()
    expect(phone_page).to_have_url(checks.url("/publik/teladan"))
    expect(phone_page.get_by_role("heading", name="Pegawai Uji", level=2)).to_be_visible()
    expect(phone_page.get_by_role("main")).to_contain_text(REASON)

    # 7. The pegawai withdraws consent; the citizen's next request no longer shows the name.
    with flows.lands_on(page, checks, "persetujuan-ditarik"):
        page.get_by_role("button", name="Tarik persetujuan").click()
    expect(page.get_by_role("status")).to_contain_text("Persetujuan Anda ditarik")
    with sv.db():
        assert Recognition.get_by_id(world.objects["recognition"].id).consent is False
    checks.visit(phone_page, "/publik/teladan", step="teladan-setelah-ditarik")
    expect(phone_page.get_by_role("heading", name="Pegawai Uji")).to_have_count(0)
    expect(phone_page.get_by_role("main")).to_contain_text(
        "Belum ada Pegawai Teladan yang dapat ditampilkan."
    )
