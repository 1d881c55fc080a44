"""How the audit log reads in Indonesian: a label for every action code, the before/after
of an entry as "Kolom: sebelum → sesudah" rows, and one way to name who acted.

Every action code passed to ``audit.record``/``record_many`` must have a label here
(tests/kinerja/test_audit_labels.py collects them from the source and fails on a missing
one).
"""

import json
from dataclasses import dataclass

from kinerja.nip import format_nip

ACTION_LABELS = {
    "account.created": "Akun dibuat",
    "account.password_changed": "Kata sandi diganti",
    "account.password_check_failed": "Kata sandi lama salah saat penggantian",
    "account.password_reset": "Kata sandi diatur ulang",
    "account.role_granted": "Peran akun diberikan",
    "account.role_removed": "Peran akun dicabut",
    "account.unlocked": "Akun dibuka kembali",
    "account.welcome_seen": "Sambutan pertama di portal ditutup",
    "acting.created": "Pelaksana tugas (Plt/Plh) ditetapkan",
    "acting.ended": "Pelaksana tugas (Plt/Plh) diakhiri",
    "auth.locked": "Akun terkunci karena salah kata sandi",
    "auth.login": "Masuk",
    "auth.login_failed": "Gagal masuk",
    "auth.logout": "Keluar",
    "auth.sessions_ended": "Semua sesi diakhiri",
    "auth.throttled": "Percobaan masuk ditahan",
    "data.generated": "Data uji dibangkitkan",
    "demo.seeded": "Data demo diisi",
    "employee.activated": "Pegawai diaktifkan",
    "employee.deactivated": "Pegawai dinonaktifkan",
    "employee.supervisor_set": "Atasan pegawai ditetapkan",
    "employee.updated": "Data pegawai diubah",
    "evaluasi.dibuat": "Evaluasi dibuat",
    "evaluasi.difinalisasi": "Evaluasi difinalisasi",
    "evaluasi.dinilai": "Evaluasi dinilai",
    "evaluasi.diterima": "Evaluasi diterima pegawai",
    "evaluasi.penilaian_diri": "Penilaian diri disimpan",
    "feedback.note_added": "Catatan umpan balik ditambahkan",
    "feedback.reply_added": "Balasan umpan balik ditambahkan",
    "keberatan.diajukan": "Keberatan diajukan",
    "keberatan.diputus": "Keberatan diputus",
    "keberatan.penjelasan": "Penjelasan keberatan diberikan",
    "keberatan.permintaan_penjelasan": "Penjelasan keberatan diminta",
    "keberatan.putusan_pejabat_dicatat": "Putusan pejabat atas keberatan dicatat",
    "kiosk.duty_added": "Jadwal jaga loket ditambahkan",
    "kiosk.duty_ended": "Jadwal jaga loket diakhiri",
    "kiosk.duty_removed": "Jadwal jaga loket dihapus",
    "kiosk.duty_sign_in": "Petugas loket mulai bertugas",
    "kiosk.duty_sign_out": "Petugas loket selesai bertugas",
    "kiosk.duty_taken_over": "Tugas loket diambil alih rekan",
    "kiosk.opening_hours": "Jam layanan kios diubah",
    "kiosk.paired": "Perangkat kios dipasangkan",
    "kiosk.pairing_code_issued": "Kode pemasangan kios dibuat",
    "kiosk.registered": "Kios didaftarkan",
    "kiosk.revoked": "Kios dicabut",
    "kiosk.takeover_read": "Pemberitahuan ambil alih loket dibaca",
    "kiosk.updated": "Data kios diubah",
    "pelatihan.diaktifkan": "Pelatihan di katalog diaktifkan",
    "pelatihan.dibuat": "Pelatihan ditambahkan ke katalog",
    "pelatihan.dihapus": "Pelatihan dihapus dari katalog",
    "pelatihan.dinonaktifkan": "Pelatihan di katalog dinonaktifkan",
    "pelatihan.diubah": "Pelatihan di katalog diubah",
    "notifikasi.pilihan_diubah": "Pilihan pengiriman notifikasi diubah",
    "period.closed": "Periode ditutup",
    "period.opened": "Periode dibuka",
    "period.year_created": "Periode tahun dibuat",
    "pulse.answered": "Survei denyut kepercayaan diisi (tanpa isi jawaban)",
    "pola_distribusi.disimpan": "Pola distribusi predikat disimpan",
    "predikat_organisasi.ditetapkan": "Predikat kinerja organisasi ditetapkan",
    "public.published": "Data publik diterbitkan",
    "rencana_pengembangan.dibuat": "Rencana pengembangan dibuat",
    "rencana_pengembangan.selesai": "Penyelesaian rencana pengembangan dicatat",
    "rencana_pengembangan.status": "Status rencana pengembangan diubah",
    "roster.imported": "Daftar pegawai diimpor",
    "roster.job_retried": "Impor daftar pegawai diulang",
    "roster.job_stopped": "Impor daftar pegawai dihentikan",
    "service.day_off_added": "Hari libur layanan ditambahkan",
    "service.day_off_removed": "Hari libur layanan dihapus",
    "service.import_checked": "Berkas permohonan layanan diperiksa",
    "service.receipt_printed": "Tanda terima dengan kode survei dicetak",
    "service.import_done": "Permohonan layanan diimpor",
    "service.indicator_linked": "Indikator dihubungkan ke jenis layanan",
    "service.indicator_unlinked": "Hubungan indikator dengan jenis layanan dilepas",
    "service.realisation_noted": "Realisasi layanan dicatat",
    "service.realisation_refreshed": "Realisasi layanan diperbarui",
    "service.request_completed": "Permohonan layanan diselesaikan",
    "service.request_registered": "Permohonan layanan didaftarkan",
    "service.type_activated": "Jenis layanan diaktifkan",
    "service.type_created": "Jenis layanan dibuat",
    "service.type_deactivated": "Jenis layanan dinonaktifkan",
    "service.type_updated": "Jenis layanan diubah",
    "setting.changed": "Pengaturan diubah",
    "skp.approach_changed": "Pendekatan SKP diubah",
    "skp.approved": "SKP disetujui",
    "skp.created": "SKP dibuat",
    "skp.copied_from_previous": "SKP disalin dari SKP tahun lalu",
    "skp.expectations_set": "Ekspektasi perilaku ditetapkan",
    "skp.indicator_added": "Indikator SKP ditambahkan",
    "skp.indicator_changed": "Indikator SKP diubah",
    "skp.indicator_deleted": "Indikator SKP dihapus",
    "skp.realisation_feedback": "Umpan balik realisasi diberikan",
    "skp.realisation_saved": "Realisasi SKP disimpan",
    "skp.returned": "SKP dikembalikan untuk diperbaiki",
    "skp.revision_started": "Revisi SKP dimulai",
    "skp.rhk_added": "Rencana hasil kerja ditambahkan",
    "skp.rhk_cascaded": "Rencana hasil kerja diturunkan dari RHK atasan",
    "skp.rhk_changed": "Rencana hasil kerja diubah",
    "skp.rhk_deleted": "Rencana hasil kerja dihapus",
    "skp.rhk_moved": "Urutan rencana hasil kerja diubah",
    "skp.submitted": "SKP diajukan",
    "teladan.diusulkan": "Pegawai teladan diusulkan",
    "teladan.persetujuan": "Usulan pegawai teladan diputus",
    "teladan.persetujuan_ditarik": "Persetujuan publikasi pegawai teladan ditarik",
    "umpan_balik_360.diminta": "Umpan balik 360 diminta",
    "umpan_balik_360.ditutup": "Umpan balik 360 ditutup",
    "unit.activated": "Unit diaktifkan",
    "unit.created": "Unit dibuat",
    "unit.deactivated": "Unit dinonaktifkan",
    "unit.moved": "Unit dipindahkan",
    "unit.updated": "Data unit diubah",
}

# Entries hidden from the audit log unless asked for ("Tampilkan aktivitas masuk/keluar").
SIGN_IN_OUT_ACTIONS = ("auth.login", "auth.logout")

OBJECT_LABELS = {
    "account": "Akun",
    "counter_duty": "Jadwal jaga",
    "database": "Basis data",
    "distribution_pattern": "Pola distribusi",
    "employee": "Pegawai",
    "evaluation": "Evaluasi",
    "kiosk": "Kios",
    "objection": "Keberatan",
    "period": "Periode",
    "setting": "Pengaturan",
    "skp": "SKP",
    "training_course": "Pelatihan",
    "unit": "Unit",
}

FIELD_LABELS = {
    "active": "Aktif",
    "approach": "Pendekatan",
    "approved_at": "Disetujui pada",
    "completed_at": "Tanggal selesai",
    "completion_note": "Catatan penyelesaian",
    "counter": "Loket",
    "course": "Pelatihan",
    "date": "Tanggal",
    "day": "Hari",
    "decision": "Putusan",
    "direction": "Arah",
    "due": "Batas waktu",
    "email": "Alamat e-mail",
    "email_mode": "Kirim lewat e-mail",
    "employee": "Pegawai",
    "employee_id": "Pegawai",
    "end": "Selesai",
    "errors": "Kesalahan",
    "expectations": "Ekspektasi",
    "failed_attempts": "Percobaan gagal",
    "filename": "Nama berkas",
    "hasil_rating": "Rating hasil kerja",
    "hours": "Jam pelajaran (JP)",
    "jabatan": "Jabatan",
    "key": "Pengaturan",
    "kind": "Jenis",
    "name": "Nama",
    "narrative": "Uraian",
    "new": "Baru",
    "nip": "NIP",
    "note": "Catatan",
    "opening_hours": "Jam layanan",
    "parent_id": "Unit induk",
    "period": "Periode",
    "perilaku_rating": "Rating perilaku",
    "predikat": "Predikat",
    "provider": "Penyelenggara",
    "reason": "Alasan",
    "role": "Peran",
    "roles": "Peran",
    "rows": "Baris",
    "start": "Mulai",
    "status": "Status",
    "supervisor_id": "Atasan",
    "target_value": "Target",
    "text": "Teks",
    "unchanged": "Tidak berubah",
    "unit": "Unit",
    "unit_id": "Unit",
    "value": "Nilai",
    "version": "Versi",
    "year": "Tahun",
}


def action_label(code: str) -> str:
    """The Indonesian label of an action code (the code itself if none is known)."""
    return ACTION_LABELS.get(code, code)


def field_label(key: str) -> str:
    """The Indonesian label of a before/after field ("target_value" → "Target")."""
    return FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()


def value_text(value) -> str:
    """A before/after value as text: "Ya"/"Tidak", "—" for nothing, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{field_label(str(k))}: {value_text(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class Change:
    """One row of an entry's before/after: the field, its old and its new value."""

    label: str
    before: str
    after: str
    changed: bool


def _decoded(text: str):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def changes(before: str, after: str) -> list[Change]:
    """The before/after JSON of an entry as rows "Kolom: sebelum → sesudah"."""
    old, new = _decoded(before), _decoded(after)
    if not isinstance(old, dict) and not isinstance(new, dict):
        if old is None and new is None:
            return []
        return [Change("Nilai", value_text(old), value_text(new), old != new)]
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    keys = list(old) + [k for k in new if k not in old]
    return [
        Change(
            field_label(key),
            value_text(old.get(key)),
            value_text(new.get(key)),
            old.get(key) != new.get(key),
        )
        for key in keys
    ]


def actor_text(label: str, employee=None, kiosk_name: str | None = None) -> str:
    """Who acted, one way for every entry: "Nama (NIP)" for a person's account, "Sistem"
    for the application itself, "Kios <nama>" for a kiosk device."""
    if employee is not None:
        return f"{employee.full_name} ({format_nip(employee.nip)})"
    text = (label or "").strip()
    lower = text.lower()
    if lower.startswith("perangkat kios"):
        return f"Kios {kiosk_name}" if kiosk_name else "Kios"
    if lower.startswith("klien "):
        return f"Klien tanpa akun ({text[6:]})"
    if not text or lower.startswith(("sistem", "gen-data")):
        return "Sistem"
    if text.isdigit():
        return f"NIP {format_nip(text)}" if len(text) == 18 else f"NIP {text}"
    return text


@dataclass(frozen=True)
class EntryView:
    """One audit entry as the log shows it."""

    id: int
    at: object
    actor: str
    action: str
    action_label: str
    object_type: str
    object_label: str
    object_id: str
    changes: list
    hash: str


def describe(events) -> list[EntryView]:
    """The entries with Indonesian labels (accounts and kiosks read in two queries)."""
    from kinerja.models.account import Account
    from kinerja.models.kiosk import Kiosk
    from kinerja.models.org import Employee

    events = list(events)
    account_ids = {e.actor_account_id for e in events if e.actor_account_id}
    people = {}
    if account_ids:
        query = (
            Account.select(Account.id, Employee)
            .join(Employee)
            .where(Account.id.in_(sorted(account_ids)))
        )
        people = {a.id: a.employee for a in query}
    kiosk_ids = {
        int(e.object_id) for e in events if e.object_type == "kiosk" and str(e.object_id).isdigit()
    }
    kiosks = {}
    if kiosk_ids:
        kiosks = {k.id: k.name for k in Kiosk.select().where(Kiosk.id.in_(sorted(kiosk_ids)))}
    views = []
    for e in events:
        kiosk = kiosks.get(int(e.object_id)) if str(e.object_id).isdigit() else None
        views.append(
            EntryView(
                id=e.id,
                at=e.at,
                actor=actor_text(
                    e.actor_label,
                    people.get(e.actor_account_id),
                    kiosk if e.object_type == "kiosk" else None,
                ),
                action=e.action,
                action_label=action_label(e.action),
                object_type=e.object_type,
                object_label=OBJECT_LABELS.get(e.object_type, e.object_type),
                object_id=e.object_id,
                changes=changes(e.before, e.after),
                hash=e.hash,
            )
        )
    return views


def changes_text(rows: list[Change]) -> str:
    """The before/after rows on one line (for CSV): "Kolom: sebelum → sesudah; ..."."""
    return "; ".join(f"{c.label}: {c.before} → {c.after}" for c in rows)
