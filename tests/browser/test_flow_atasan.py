"""Atasan Pejabat Penilai: decide two keberatan in a real browser; the pegawai sees it.

Issue 10 (atasan flow): the Kabid opens a keberatan from the home tasks, reads both sides,
asks the Pejabat Penilai for an explanation and reads the answer, is refused when changing
the result without new ratings, then changes both ratings with a reason (Baik → Sangat
Baik); from the objections page the second keberatan is confirmed. The pegawai then sees the
decision on the evaluation. Every screen is checked; each decision is read from the
database too.
"""

import pytest
from playwright.sync_api import expect

from kinerja.enums import EvaluationStatus, Predikat, Rating
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import MessageRole, Objection, ObjectionDecision, ObjectionMessage
from kinerja.services import evaluation as evaluation_service
from kinerja.services import objection as objection_service
from tests.browser import flows
from tests.browser import flows_supervisor as sv
from tests.browser.conftest import build_world

PEGAWAI_REASONS = (
    "Realisasi saya 100 % dan saya menggantikan rekan di loket selama dua minggu; "
    "perilaku kerja layak dinilai di atas ekspektasi."
)
PEER_REASONS = "Saya tidak pernah diberi umpan balik tentang perilaku kerja selama triwulan."
QUESTION = "Mohon jelaskan dasar Rating Perilaku Kerja Sesuai Ekspektasi."
ANSWER = "Penggantian di loket belum saya catat di log umpan balik; saya akui terlewat."
CHANGE_REASON = "Penggantian tugas di loket terbukti; perilaku kerja di atas ekspektasi."
CONFIRM_REASON = "Log umpan balik memuat tiga catatan tentang keterlambatan; rating tetap."


def build_atasan_world():
    """The small world; this quarter open; Pegawai Uji (Baik) and Rekan Uji
    (Kurang/Misconduct) rated and finalised by the Kasi, and both filed a keberatan."""
    world = build_world()
    sv.open_quarter(world, {"pegawai": 100, "peer": 100})
    kasi = sv.actor(world, "supervisor")
    ratings = {
        "pegawai": (Rating.SESUAI_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, PEGAWAI_REASONS),
        "peer": (Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI, PEER_REASONS),
    }
    for key, (hasil, perilaku, reasons) in ratings.items():
        ev = sv.evaluation_of(world, key)
        evaluation_service.rate(
            kasi, ev, hasil, "Realisasi sesuai target.", perilaku, "Sesuai catatan harian."
        )
        # this quarter has not ended: finalising now needs a written reason
        ev = evaluation_service.finalise(kasi, ev, early_reason="Pegawai dimutasi.")
        objection = objection_service.file_objection(sv.actor(world, key), ev, reasons)
        world.objects[f"objection_{key}"] = objection
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_atasan_world


def _objection(world, key: str) -> Objection:
    return Objection.get_by_id(world.objects[f"objection_{key}"].id)


def test_atasan_decides_objections_and_the_pegawai_sees_it(page, checks, live_world):
    world = live_world
    quarter = world.objects["quarter"]
    objection_url = f"/atasan/keberatan/{world.objects['objection_pegawai'].id}"

    # Home: both keberatan are tasks of the Kabid (atasan of the Kasi who rated them).
    flows.login_as(page, checks, world, "atasan", step="beranda-kabid")
    tasks = page.get_by_role("region", name="Tugas Anda")
    expect(tasks.get_by_role("link", name="Putus keberatan Rekan Uji")).to_be_visible()

    # The keberatan: both statements side by side.
    with flows.lands_on(page, checks, "keberatan-pegawai"):
        tasks.get_by_role("link", name="Putus keberatan Pegawai Uji").click()
    expect(page).to_have_url(checks.url(objection_url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Keberatan Pegawai Uji")
    expect(page.get_by_role("region", name="Pernyataan pegawai")).to_contain_text(PEGAWAI_REASONS)
    penilai = page.get_by_role("region", name="Penilaian oleh Pejabat Penilai")
    expect(penilai).to_contain_text("Rating Perilaku Kerja: Sesuai Ekspektasi")
    expect(penilai).to_contain_text("Predikat semula: Baik")

    # Ask the Pejabat Penilai for an explanation.
    flows.field(page, "Minta penjelasan dari").select_option(label="Pejabat Penilai")
    flows.field(page, "Pertanyaan / catatan").fill(QUESTION)
    with flows.lands_on(page, checks, "keberatan-minta-penjelasan"):
        page.get_by_role("button", name="Simpan catatan").click()
    expect(page.get_by_role("status")).to_have_text("Catatan keberatan tersimpan.")
    notes = page.get_by_role("region", name="Catatan penjelasan")
    expect(notes).to_contain_text("meminta penjelasan dari Pejabat Penilai")
    expect(notes).to_contain_text(QUESTION)
    with sv.db():
        objection = _objection(world, "pegawai")
        (asked,) = ObjectionMessage.select().where(ObjectionMessage.objection == objection.id)
        assert (asked.role, asked.requested_from) == (MessageRole.ATASAN, MessageRole.PENILAI)
        # The Kasi answers (from their own task; the supervisor flow covers their pages).
        objection_service.add_message(sv.actor(world, "supervisor"), objection, ANSWER)
    checks.visit(page, objection_url, step="keberatan-penjelasan-penilai")
    expect(notes).to_contain_text(ANSWER)

    # "Mengubah" with only one new rating is refused and announced; what was chosen stays
    # chosen, and nothing changes.
    decision = page.get_by_role("region", name="Putusan", exact=True)
    new_hasil = flows.field(page, "Rating Hasil Kerja baru (bila mengubah)")
    new_perilaku = flows.field(page, "Rating Perilaku Kerja baru (bila mengubah)")
    decision.get_by_role("radio", name="Mengubah hasil evaluasi").check()
    new_hasil.select_option(label=Rating.DIATAS_EKSPEKTASI.label)
    flows.field(page, "Alasan putusan").fill(CHANGE_REASON)
    with flows.lands_on(page, checks, "putusan-rating-kurang", status=422):
        decision.get_by_role("button", name="Putuskan (final)").click()
    expect(page.get_by_role("alert")).to_contain_text("Pilih Rating Perilaku Kerja baru.")
    expect(decision.get_by_role("radio", name="Mengubah hasil evaluasi")).to_be_checked()
    expect(new_hasil).to_have_value(Rating.DIATAS_EKSPEKTASI.value)
    expect(flows.field(page, "Alasan putusan")).to_have_value(CHANGE_REASON)
    with sv.db():
        assert _objection(world, "pegawai").decision is None
        assert sv.evaluation_of(world, "pegawai").status == EvaluationStatus.KEBERATAN

    # Both ratings changed with the reason: the live preview says Baik becomes Sangat Baik;
    # deciding shows the ratings and predikat before and after and asks first; final.
    with page.expect_response(lambda r: "/pratinjau?" in r.url):
        new_perilaku.select_option(label=Rating.DIATAS_EKSPEKTASI.label)
    expect(page.locator("#decision-preview")).to_contain_text(
        f"Predikat setelah putusan: {Predikat.SANGAT_BAIK.label}"
    )
    with flows.lands_on(page, checks, "putusan-konfirmasi"):
        decision.get_by_role("button", name="Putuskan (final)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Putuskan keberatan")
    expect(page.get_by_role("table")).to_contain_text(Predikat.SANGAT_BAIK.label)
    with sv.db():
        assert _objection(world, "pegawai").decision is None
    with flows.lands_on(page, checks, "putusan-mengubah"):
        page.get_by_role("button", name="Ya, putuskan (final)").click()
    expect(page).to_have_url(checks.url(objection_url))
    expect(page.get_by_role("status")).to_have_text(
        "Keberatan telah diputus. Putusan bersifat final dan tercatat."
    )
    expect(decision).to_contain_text(f"Mengubah hasil evaluasi — {CHANGE_REASON}")
    expect(decision).to_contain_text("Putusan bersifat final.")
    expect(decision).to_contain_text(Predikat.SANGAT_BAIK.label)
    expect(decision.get_by_role("button", name="Putuskan (final)")).to_have_count(0)
    expect(page.get_by_role("button", name="Simpan catatan")).to_have_count(0)
    with sv.db():
        objection = _objection(world, "pegawai")
        assert objection.decision == ObjectionDecision.CHANGE
        assert objection.decision_reason == CHANGE_REASON
        assert objection.decided_by_id == world.people["atasan"].id
        assert (objection.old_predikat, objection.new_predikat) == (
            Predikat.BAIK,
            Predikat.SANGAT_BAIK,
        )
        ev = sv.evaluation_of(world, "pegawai")
        assert ev.status == EvaluationStatus.DIPUTUS
        assert (ev.hasil_rating, ev.perilaku_rating, ev.predikat) == (
            Rating.DIATAS_EKSPEKTASI,
            Rating.DIATAS_EKSPEKTASI,
            Predikat.SANGAT_BAIK,
        )
        assert (
            AuditEvent.select()
            .where(
                (AuditEvent.action == "keberatan.diputus") & (AuditEvent.object_id == str(ev.id))
            )
            .count()
            == 1
        )

    # The objections page (Tim Saya → Keberatan): one decided, one waiting.
    with flows.lands_on(page, checks, "tim-kabid"):
        page.get_by_role("navigation").get_by_role("link", name="Tim Saya").click()
    with flows.lands_on(page, checks, "daftar-keberatan"):
        page.get_by_role("link", name="Keberatan", exact=True).click()
    expect(page).to_have_url(checks.url("/atasan/keberatan"))
    waiting = page.get_by_role("list").filter(has_text="Rekan Uji")
    expect(waiting).to_contain_text(quarter.name)
    decided = page.get_by_role("listitem").filter(has_text="Pegawai Uji")
    expect(decided).to_contain_text(ObjectionDecision.CHANGE.label)
    with flows.lands_on(page, checks, "keberatan-rekan"):
        waiting.get_by_role("link", name="Rekan Uji").click()
    expect(page.get_by_role("region", name="Pernyataan pegawai")).to_contain_text(PEER_REASONS)
    decision.get_by_role("radio", name="Menguatkan hasil evaluasi").check()
    flows.field(page, "Alasan putusan").fill(CONFIRM_REASON)
    expect(page.locator("#decision-preview")).to_contain_text("tidak berubah")
    with flows.lands_on(page, checks, "putusan-menguatkan-konfirmasi"):
        decision.get_by_role("button", name="Putuskan (final)").click()
    expect(page.get_by_role("table")).to_contain_text(Predikat.KURANG.label)
    with flows.lands_on(page, checks, "putusan-menguatkan"):
        page.get_by_role("button", name="Ya, putuskan (final)").click()
    expect(decision).to_contain_text(f"Menguatkan hasil evaluasi — {CONFIRM_REASON}")
    with sv.db():
        objection = _objection(world, "peer")
        assert objection.decision == ObjectionDecision.CONFIRM
        assert objection.new_predikat == objection.old_predikat == Predikat.KURANG
        ev = sv.evaluation_of(world, "peer")
        assert (ev.status, ev.predikat) == (EvaluationStatus.DIPUTUS, Predikat.KURANG)

    # Back to the list (the page's crumb): both decided, nothing waits; no task is left.
    with flows.lands_on(page, checks, "daftar-keberatan-selesai"):
        page.get_by_role("link", name="Keberatan", exact=True).click()
    expect(page.get_by_role("listitem").filter(has_text="Tidak ada.")).to_have_count(1)
    expect(page.get_by_role("listitem").filter(has_text="Rekan Uji")).to_contain_text(
        ObjectionDecision.CONFIRM.label
    )
    checks.visit(page, "/beranda", step="beranda-kabid-selesai")
    expect(page.get_by_role("region", name="Tugas Anda")).not_to_contain_text("Putus keberatan")
    flows.logout(page, checks)

    # The pegawai sees the decision and the changed result on the evaluation.
    flows.login_as(page, checks, world, "pegawai", step="beranda-pegawai")
    with flows.lands_on(page, checks, "penilaian-saya"):
        page.get_by_role("navigation").get_by_role("link", name="Penilaian").click()
    row = sv.row_of(page, quarter.name)
    expect(row).to_contain_text(EvaluationStatus.DIPUTUS.label)
    expect(row).to_contain_text(Predikat.SANGAT_BAIK.label)
    with flows.lands_on(page, checks, "evaluasi-pegawai-diputus"):
        row.get_by_role("link", name="Lihat").click()
    objection_card = page.get_by_role("region", name="Keberatan", exact=True)
    expect(objection_card).to_contain_text(
        f"Putusan atasan Pejabat Penilai: Mengubah hasil evaluasi — {CHANGE_REASON}"
    )
    expect(objection_card).to_contain_text("Semula: Baik → menjadi Sangat Baik.")
    result = page.get_by_role("region", name="Hasil evaluasi")
    expect(result).to_contain_text("Sangat Baik")
    expect(result).to_contain_text("(putusan keberatan)")
