"""Demo data of issue 23 part 6: the BKPSDM training catalogue, demo development plans that
pick from it (one completed), and Pegawai Teladan nominations (most with consent, one still
waiting for the nominee's answer) so that /publik/teladan shows realistic entries."""

from __future__ import annotations

from datetime import timedelta

from kinerja.enums import EvaluationStatus, Predikat
from kinerja.models.evaluation import DevelopmentPlan, Evaluation, Recognition, TrainingCourse
from kinerja.models.org import Employee

BPSDM = "BPSDM Provinsi Sumatera Utara"
LAN_ELEARNING = "Lembaga Administrasi Negara (e-learning ASN)"
BKPSDM = "BKPSDM Kota Sibolga"

# name, kind, provider, hours (JP), description, active
COURSES = (
    (
        "Pelatihan Pelayanan Prima",
        "DIKLAT",
        BPSDM,
        24,
        "Standar pelayanan, komunikasi dengan warga, penanganan keluhan.",
        True,
    ),
    (
        "Pelatihan Teknis Administrasi Kependudukan",
        "DIKLAT",
        BPSDM,
        40,
        "Perekaman KTP-el, pencatatan sipil dan pemutakhiran data kependudukan.",
        True,
    ),
    (
        "Manajemen Kinerja ASN dan Penyusunan SKP",
        "E_LEARNING",
        LAN_ELEARNING,
        10,
        "Belajar mandiri daring: RHK, indikator, realisasi dan umpan balik berkelanjutan.",
        True,
    ),
    (
        "Tata Naskah Dinas Elektronik",
        "E_LEARNING",
        LAN_ELEARNING,
        8,
        "Penulisan naskah dinas dan pengelolaan arsip elektronik.",
        True,
    ),
    (
        "Coaching Kinerja oleh Atasan Langsung",
        "COACHING",
        BKPSDM,
        8,
        "Empat sesi coaching terjadwal dengan Pejabat Penilai, dicatat dalam log umpan balik.",
        True,
    ),
    (
        "Mentoring Pelayanan di Loket",
        "MENTORING",
        BKPSDM,
        16,
        "Pendampingan oleh pegawai senior di loket layanan selama satu bulan.",
        True,
    ),
    (
        "Magang di Mal Pelayanan Publik",
        "MAGANG",
        "DPMPTSP Kota Sibolga",
        40,
        "Dua minggu bertugas di mal pelayanan publik untuk belajar layanan terpadu.",
        True,
    ),
    (
        "Diklat Prajabatan (pola lama)",
        "DIKLAT",
        BPSDM,
        100,
        "Digantikan Pelatihan Dasar CPNS; tidak dipakai lagi untuk rencana baru.",
        False,
    ),
)

REASONS = (
    "Menyelesaikan seluruh permohonan KTP-el tepat waktu selama triwulan dan dinilai ramah "
    "oleh warga di kios survei.",
    "Menyusun ulang alur antrean loket sehingga waktu tunggu warga turun hampir separuh.",
    "Membimbing dua pegawai baru hingga mandiri melayani di loket dalam tiga minggu.",
    "Menuntaskan pemutakhiran data yang tertunda tanpa satu pun keluhan warga.",
)


def seed_training(ctx) -> None:
    """The catalogue, course links on the demo plans, and Pegawai Teladan nominations."""
    _at = ctx.at
    created = _at(ctx.today - timedelta(days=120))
    courses = {}
    for name, kind, provider, hours, description, active in COURSES:
        courses[name] = TrainingCourse.create(
            name=name,
            kind=kind,
            provider=provider,
            hours=hours,
            description=description,
            active=active,
            created_at=created,
            updated_at=created,
        )
    # Pelatihan and mentoring plans pick their course; every other coaching plan stays a
    # free plan (coaching by the head without a catalogue entry).
    by_kind = {
        "PELATIHAN": courses["Pelatihan Pelayanan Prima"],
        "MENTORING": courses["Mentoring Pelayanan di Loket"],
        "COACHING": courses["Coaching Kinerja oleh Atasan Langsung"],
    }
    linked = 0
    plans = DevelopmentPlan.select().order_by(DevelopmentPlan.id)
    for i, plan in enumerate(plans):
        if plan.kind == "COACHING" and i % 2:
            continue
        plan.course = by_kind[plan.kind].id
        plan.save()
        linked += 1
    # One plan carried out already: completion recorded by its owner (the head).
    done = (
        DevelopmentPlan.select()
        .where(DevelopmentPlan.course.is_null(False))
        .order_by(DevelopmentPlan.id)
        .first()
    )
    if done is not None:
        done.status = "SELESAI"
        done.completed_at = ctx.today - timedelta(days=3)
        done.completion_note = (
            f"{done.course.name} ({done.course.hours} JP) selesai; bukti diserahkan ke BKPSDM."
        )
        done.recorded_by = done.owner_id
        done.save()

    # Pegawai Teladan: the first final Sangat Baik results; the last one has not answered.
    best = list(
        Evaluation.select(Evaluation, Employee)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(
            (Evaluation.predikat == Predikat.SANGAT_BAIK.value)
            & Evaluation.status.in_([EvaluationStatus.FINAL.value, EvaluationStatus.DITERIMA.value])
            & Employee.supervisor.is_null(False)
        )
        .order_by(Evaluation.id)
        .limit(len(REASONS))
    )
    consented = 0
    for i, ev in enumerate(best):
        nominated = _at(ctx.today - timedelta(days=20 - i))
        answered = i < len(best) - 1
        Recognition.create(
            evaluation=ev.id,
            nominated_by=ev.employee.supervisor_id,
            nominated_at=nominated,
            reason=REASONS[i],
            consent=True if answered else None,
            consent_recorded_at=_at(ctx.today - timedelta(days=15 - i)) if answered else None,
        )
        consented += answered
    ctx.counts["training_courses"] = len(courses)
    ctx.summary.append(
        f"Katalog pelatihan: {len(courses)} pelatihan ({sum(c[5] for c in COURSES)} aktif), "
        f"{linked} rencana memakai katalog; Pegawai Teladan: {len(best)} usulan, "
        f"{consented} dengan persetujuan tampil di /publik/teladan."
    )
