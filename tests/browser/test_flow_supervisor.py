"""Pejabat Penilai: approve an SKP, rate, calibrate the unit and finalise, in a real browser.

Issue 10 (supervisor flow): the Kasi opens the team overview, returns a subordinate's
submitted SKP with a note (an empty note is refused first), approves it once it is
resubmitted, rates the subordinate's evaluation (both ratings with reasons; the predikat
shows at once), finds on the calibration page that the seksi breaks the distribution pattern
of its organisation predikat (Baik: at least one Butuh Perbaikan or Kurang), reviews the
evaluation the breach names, re-rates it, sees the distribution comply, and finalises the
three evaluations, each through the confirmation page (ratings, predikat and objection
deadline shown; the first one is cancelled once with "Batal"). Every screen is checked;
each step's outcome is also read from the database.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kinerja.clock import today_wib
from kinerja.enums import EvaluationStatus, Predikat, Rating, SkpStatus
from kinerja.formatting import format_date as tanggal
from kinerja.models.skp import Skp
from kinerja.services import calibration as calib
from kinerja.services import evaluation as evaluation_service
from kinerja.services import skp as skp_service
from tests.browser import flows
from tests.browser import flows_supervisor as sv
from tests.browser.conftest import build_world
from tests.builders_evaluation import add_realisation

RETURN_NOTE = "Tambahkan target kualitas pada indikator KTP-el."


def build_supervisor_world():
    """The small world; this quarter open. Rekan Uji (realisation 130 of 100) and Pegawai
    Baru Uji (60 of 100) have evaluations the Kasi already rated Sangat Baik and Baik;
    Pegawai Uji's SKP waits for approval. The seksi's organisation predikat is Baik."""
    world = build_world()
    quarter = sv.open_quarter(world, {"peer": 130, "baru": 60}, submitted=("pegawai",))
    kasi = sv.actor(world, "supervisor")
    evaluation_service.rate(
        kasi,
        sv.evaluation_of(world, "peer"),
        Rating.DIATAS_EKSPEKTASI,
        "Realisasi 130 % dari target.",
        Rating.DIATAS_EKSPEKTASI,
        "Menjadi teladan pelayanan di loket.",
    )
    evaluation_service.rate(
        kasi,
        sv.evaluation_of(world, "baru"),
        Rating.SESUAI_EKSPEKTASI,
        "Pegawai baru, masih beradaptasi.",
        Rating.SESUAI_EKSPEKTASI,
        "Sikap kerja baik.",
    )
    calib.set_org_predikat(None, world.units["seksi"], quarter, "BAIK")
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_supervisor_world


def _skp(world) -> Skp:
    return Skp.get_by_id(world.objects["skps"]["pegawai"].id)


def test_supervisor_approves_rates_calibrates_and_finalises(page, checks, live_world):
    world = live_world
    quarter = world.objects["quarter"]
    seksi = world.units["seksi"]

    # Home: the SKP waiting and the two rated evaluations to finalise are tasks.
    flows.login_as(page, checks, world, "supervisor", step="beranda-kasi")
    tasks = page.get_by_role("region", name="Tugas Anda")
    expect(tasks.get_by_role("link", name="SKP menunggu persetujuan Anda")).to_be_visible()
    expect(tasks).to_contain_text(f"Finalisasi evaluasi bawahan {quarter.name}")

    # Team overview: Pegawai Uji's SKP waits for a decision.
    with flows.lands_on(page, checks, "tim-saya"):
        page.get_by_role("navigation").get_by_role("link", name="Tim Saya").click()
    expect(page).to_have_url(checks.url("/atasan/tim"))
    row = sv.row_of(page, "Pegawai Uji")
    expect(row).to_contain_text("Perlu keputusan Anda")
    expect(sv.row_of(page, "Rekan Uji")).to_contain_text("Disetujui")

    # Review: returning without a note is refused (htmx swap, error linked to the field).
    with flows.lands_on(page, checks, "skp-tinjau"):
        row.get_by_role("link", name="Diajukan SKP Pegawai Uji").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"SKP {quarter.year}: Pegawai Uji")
    decision = page.get_by_role("region", name="Keputusan")
    decision.get_by_role("button", name="Kembalikan dengan catatan").click()
    note = flows.field(page, "Catatan untuk pegawai")
    expect(note).to_have_attribute("aria-invalid", "true")
    checks.check(page, "skp-kembalikan-tanpa-catatan")
    error_id = note.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_contain_text("wajib diisi")
    with sv.db():
        assert _skp(world).status == SkpStatus.DIAJUKAN

    # Returned with a note.
    note.fill(RETURN_NOTE)
    decision.get_by_role("button", name="Kembalikan dengan catatan").click()
    expect(decision.get_by_role("status")).to_have_text(
        "SKP Pegawai Uji dikembalikan dengan catatan."
    )
    expect(decision).to_contain_text(RETURN_NOTE)
    checks.check(page, "skp-dikembalikan")
    with sv.db():
        skp = _skp(world)
        assert skp.status == SkpStatus.DIKEMBALIKAN
        assert skp.return_note == RETURN_NOTE
        # The pegawai fixes and resubmits it (their own flow covers that page).
        skp_service.submit(sv.actor(world, "pegawai"), skp)

    # The resubmitted SKP is in the approval queue; approved in place.
    checks.visit(page, "/atasan/skp", step="antrean-skp")
    with flows.lands_on(page, checks, "skp-tinjau-ulang"):
        sv.row_of(page, "Pegawai Uji").get_by_role("link", name="Periksa SKP Pegawai Uji").click()
    # What is typed in the expectations is kept: approving asks first and saves it too.
    flows.field(page, "Akuntabel").fill("Laporan tepat waktu setiap Jumat")
    page.get_by_role("button", name="Setujui SKP…").click()
    confirm = page.get_by_role("region", name="Setujui SKP Pegawai Uji?")
    expect(confirm).to_contain_text("Laporan tepat waktu setiap Jumat")
    checks.check(page, "skp-setujui-konfirmasi")
    with sv.db():
        assert _skp(world).status == SkpStatus.DIAJUKAN
    confirm.get_by_role("button", name="Ya, setujui SKP").click()
    expect(page.locator(".flashes")).to_contain_text("SKP Pegawai Uji disetujui.")
    expect(page.locator(".status").first).not_to_have_text("Diajukan")
    checks.check(page, "skp-disetujui")
    with sv.db():
        skp = _skp(world)
        assert skp.status == SkpStatus.DISETUJUI
        assert skp.approved_by_id == world.people["supervisor"].id
        # BKPSDM creates the evaluations of SKPs approved after the period opened
        # (`flask admin create-evaluations`); the pegawai reports 100 of 100.
        assert evaluation_service.create_evaluations_for_period(quarter) == 1
        add_realisation(skp, quarter, [100])

    # Rating: from the home task to the team's evaluations, then the rating page.
    checks.visit(page, "/beranda", step="beranda-nilai")
    with flows.lands_on(page, checks, "evaluasi-tim"):
        page.get_by_role("link", name=f"Nilai kinerja bawahan {quarter.name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(quarter.name)
    with flows.lands_on(page, checks, "nilai-pegawai"):
        page.get_by_role("link", name="Nilai Pegawai Uji", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Penilaian Kinerja Pegawai Uji")
    expect(page.get_by_text("Saran dari indikator: Sesuai Ekspektasi")).to_be_visible()
    expect(sv.preview(page)).to_contain_text("Pilih kedua rating")
    sv.choose_ratings(
        page,
        checks,
        Rating.SESUAI_EKSPEKTASI,
        Rating.DIATAS_EKSPEKTASI,
        Predikat.BAIK,
        "nilai-pegawai-pratinjau",
    )
    sv.save_rating(
        page,
        checks,
        "Realisasi 100 % dari target KTP-el.",
        "Ramah dan tanggap di loket.",
        "nilai-pegawai-tersimpan",
    )
    with sv.db():
        ev = sv.evaluation_of(world, "pegawai")
        assert ev.status == EvaluationStatus.DINILAI
        assert (ev.hasil_rating, ev.perilaku_rating) == (
            Rating.SESUAI_EKSPEKTASI,
            Rating.DIATAS_EKSPEKTASI,
        )
        assert ev.predikat == Predikat.BAIK
        assert ev.hasil_reason == "Realisasi 100 % dari target KTP-el."
        assert ev.rated_by_id == world.people["supervisor"].id

    # Calibration: Baik 2, Sangat Baik 1, nobody at Butuh Perbaikan or Kurang — a breach.
    with flows.lands_on(page, checks, "kalibrasi-pelanggaran"):
        page.get_by_role("link", name="Kalibrasi unit", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(seksi.display_name)
    expect(page.get_by_text("Predikat Kinerja Organisasi: Baik")).to_be_visible()
    table = page.get_by_role("table", name="Sebaran predikat usulan")
    expect(table).to_contain_text("3 dinilai, 0 belum")
    expect(table.get_by_role("cell")).to_have_text(
        ["1", "33,33 %", "—", "2", "66,67 %", "paling banyak 70 %"] + ["0", "0 %", "—"] * 3
    )
    expect(page.get_by_text("3 dari 3 pegawai sudah dinilai")).to_be_visible()
    breach = page.get_by_role("listitem").filter(
        has_text="Butuh Perbaikan atau Kurang/Misconduct, saat ini 0,00 % (0 dari 3 pegawai)"
    )
    expect(breach).to_have_count(1)
    with sv.db():
        view = calib.calibration(seksi, quarter)
        assert [b.breach.code for b in view.breaches] == ["BAIK.ADA_BP_ATAU_KURANG"]

    # The breach names the evaluations to review: Pegawai Baru Uji reached 60 of 100.
    with flows.lands_on(page, checks, "tinjau-pegawai-baru"):
        breach.get_by_role("link", name="Pegawai Baru Uji").click()
    expect(page.get_by_text("Saran dari indikator: Di Bawah Ekspektasi")).to_be_visible()
    sv.choose_ratings(
        page,
        checks,
        Rating.DIBAWAH_EKSPEKTASI,
        Rating.SESUAI_EKSPEKTASI,
        Predikat.BUTUH_PERBAIKAN,
        "tinjau-pegawai-baru-pratinjau",
    )
    sv.save_rating(
        page,
        checks,
        "Kalibrasi unit: realisasi 60 % dari target; perlu pendampingan.",
        "Sikap kerja baik.",
        "tinjau-pegawai-baru-tersimpan",
    )
    with sv.db():
        assert sv.evaluation_of(world, "baru").predikat == Predikat.BUTUH_PERBAIKAN

    # The distribution now follows the pattern.
    with flows.lands_on(page, checks, "kalibrasi-sesuai"):
        page.get_by_role("link", name="Kalibrasi unit", exact=True).first.click()
    expect(page.get_by_text("Sebaran predikat sesuai pola.")).to_be_visible()
    expect(table.get_by_role("cell")).to_have_text(
        ["1", "33,33 %", "—", "1", "33,33 %", "paling banyak 70 %", "1", "33,33 %", "—"]
        + ["0", "0 %", "—"] * 2
    )
    expect(page.get_by_text("(0 dari 3 pegawai)")).to_have_count(0)
    with sv.db():
        assert calib.calibration(seksi, quarter).breaches == []

    # Finalise the three evaluations, one rating page after the other.
    deadline = today_wib() + timedelta(days=14)
    expected = {
        "pegawai": Predikat.BAIK,
        "baru": Predikat.BUTUH_PERBAIKAN,
        "peer": Predikat.SANGAT_BAIK,
    }
    # The calibration page lists the unit's evaluations: open Pegawai Uji's first.
    with flows.lands_on(page, checks, "buka-pegawai"):
        page.get_by_role("link", name="Pegawai Uji", exact=True).click()
    for key, name in (
        ("pegawai", "Pegawai Uji"),
        ("baru", "Pegawai Baru Uji"),
        ("peer", "Rekan Uji"),
    ):
        if key != "pegawai":
            with flows.lands_on(page, checks, f"buka-{key}"):
                page.get_by_role("link", name=f"Nilai {name}", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Penilaian Kinerja {name}")
        # Finalising asks first: what will be locked, and the objection deadline it sets.
        with flows.lands_on(page, checks, f"konfirmasi-final-{key}"):
            page.get_by_role("link", name="Finalisasi evaluasi").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Finalisasi evaluasi {name}?")
        locked = page.get_by_role("region", name="Yang akan dikunci")
        expect(locked).to_contain_text(expected[key].label)
        expect(locked).to_contain_text(tanggal(deadline))
        expect(page.get_by_text("hanya dapat terjadi melalui keberatan")).to_be_visible()
        with sv.db():
            assert sv.evaluation_of(world, key).status == EvaluationStatus.DINILAI
        if key == "pegawai":
            # "Batal" goes back to the rating page with nothing locked; then confirm again.
            with flows.lands_on(page, checks, "batal-final-pegawai"):
                page.get_by_role("link", name="Batal").click()
            expect(page.get_by_role("button", name="Simpan rating")).to_be_visible()
            with sv.db():
                assert sv.evaluation_of(world, key).status == EvaluationStatus.DINILAI
            with flows.lands_on(page, checks, "konfirmasi-final-pegawai-lagi"):
                page.get_by_role("link", name="Finalisasi evaluasi").click()
        # The quarter has not ended yet: finalising now needs a written reason (audited).
        page.get_by_label("Alasan finalisasi sebelum").fill(
            "Pegawai dimutasi sebelum akhir triwulan."
        )
        with flows.lands_on(page, checks, f"final-{key}"):
            page.get_by_role("button", name="Ya, finalisasi").click()
        expect(page.get_by_role("status")).to_have_text(
            f"Evaluasi difinalisasi. Batas keberatan: {tanggal(deadline)}."
        )
        expect(page.get_by_text("Evaluasi ini sudah final dan terkunci.")).to_be_visible()
        expect(page.get_by_role("button", name="Simpan rating")).to_have_count(0)
        with flows.lands_on(page, checks, f"evaluasi-tim-{key}"):
            page.get_by_role("link", name="Evaluasi tim").click()
        expect(sv.row_of(page, name)).to_contain_text("Final")

    for key, predikat in expected.items():
        expect(sv.row_of(page, world.people[key].name)).to_contain_text(predikat.label)
    with sv.db():
        for key, predikat in expected.items():
            ev = sv.evaluation_of(world, key)
            assert ev.status == EvaluationStatus.FINAL
            assert ev.predikat == predikat
            assert ev.finalised_by_id == world.people["supervisor"].id
            assert ev.objection_deadline == deadline

    # Nothing is left to rate or finalise on the home page.
    checks.visit(page, "/beranda", step="beranda-selesai")
    expect(page.get_by_role("region", name="Tugas Anda")).not_to_contain_text(quarter.name)
