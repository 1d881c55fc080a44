"""Enumerations of the regulation terms (docs/spec/regulation.md §2–§9) and of workflow states.

Every enum member's value is the stable code stored in the database; ``label`` is the
official Indonesian wording shown to people.
"""

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry an Indonesian display label."""

    def __new__(cls, value: str, label: str = ""):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label or value
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for form select fields."""
        return [(m.value, m.label) for m in cls]


# --- Organisation and people (docs/spec/regulation.md §8–§9) -------------------------------------


class UnitKind(LabelledEnum):
    """Level of a unit in the tree: OPD → bidang/UPT → seksi."""

    OPD = "OPD", "Perangkat Daerah (OPD)"
    BIDANG = "BIDANG", "Bidang/Bagian"
    UPT = "UPT", "UPT/Unit Layanan"
    SEKSI = "SEKSI", "Seksi/Subbagian"


class JenisJabatan(LabelledEnum):
    """Kind of position; decides who may be Pejabat Penilai (docs/spec/regulation.md §9)."""

    JPT = "JPT", "Jabatan Pimpinan Tinggi"
    ADMINISTRATOR = "ADMINISTRATOR", "Administrator"
    PENGAWAS = "PENGAWAS", "Pengawas"
    FUNGSIONAL = "FUNGSIONAL", "Fungsional"
    PELAKSANA = "PELAKSANA", "Pelaksana"


class Jenjang(LabelledEnum):
    """Jenjang of a functional position (PermenPANRB 1/2023, docs/spec/regulation.md §5)."""

    TERAMPIL = "TERAMPIL", "Terampil"
    MAHIR = "MAHIR", "Mahir"
    PENYELIA = "PENYELIA", "Penyelia"
    AHLI_PERTAMA = "AHLI_PERTAMA", "Ahli Pertama"
    AHLI_MUDA = "AHLI_MUDA", "Ahli Muda"
    AHLI_MADYA = "AHLI_MADYA", "Ahli Madya"
    AHLI_UTAMA = "AHLI_UTAMA", "Ahli Utama"


class EmployeeStatus(LabelledEnum):
    """PNS or PPPK; decides how the NIP / NI PPPK is validated (docs/spec/regulation.md §8)."""

    PNS = "PNS", "PNS"
    PPPK = "PPPK", "PPPK"


class ActingKind(LabelledEnum):
    """Acting officials standing in for a supervisor."""

    PLT = "PLT", "Pelaksana Tugas (Plt)"
    PLH = "PLH", "Pelaksana Harian (Plh)"


class Role(LabelledEnum):
    """Roles held as data; supervisor roles are derived from the chain instead."""

    ADMIN = "ADMIN", "Admin BKPSDM"
    AUDITOR = "AUDITOR", "Auditor (Inspektorat)"


# --- Ratings and predikat (docs/spec/regulation.md §3–§4) -----------------------------------------


class Rating(LabelledEnum):
    """Rating Hasil Kerja / Rating Perilaku Kerja (docs/spec/regulation.md §3)."""

    DIATAS_EKSPEKTASI = "DIATAS_EKSPEKTASI", "Di Atas Ekspektasi"
    SESUAI_EKSPEKTASI = "SESUAI_EKSPEKTASI", "Sesuai Ekspektasi"
    DIBAWAH_EKSPEKTASI = "DIBAWAH_EKSPEKTASI", "Di Bawah Ekspektasi"


class Predikat(LabelledEnum):
    """Predikat Kinerja Pegawai, best first (docs/spec/regulation.md §3)."""

    SANGAT_BAIK = "SANGAT_BAIK", "Sangat Baik"
    BAIK = "BAIK", "Baik"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN", "Butuh Perbaikan"
    KURANG = "KURANG", "Kurang/Misconduct"
    SANGAT_KURANG = "SANGAT_KURANG", "Sangat Kurang"


NEEDS_PLAN = frozenset({Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG})
"""Predikat that call for a development plan (Butuh Perbaikan or worse)."""


class OrgPredikat(LabelledEnum):
    """Predikat Kinerja Organisasi (SE MenPANRB 3/2023, docs/spec/regulation.md §4)."""

    ISTIMEWA = "ISTIMEWA", "Istimewa"
    BAIK = "BAIK", "Baik"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN", "Butuh Perbaikan"
    KURANG = "KURANG", "Kurang"
    SANGAT_KURANG = "SANGAT_KURANG", "Sangat Kurang"


class Aspek(LabelledEnum):
    """Aspek of an indikator kinerja individu (docs/spec/regulation.md §2)."""

    KUANTITAS = "KUANTITAS", "Kuantitas"
    KUALITAS = "KUALITAS", "Kualitas"
    WAKTU = "WAKTU", "Waktu"
    BIAYA = "BIAYA", "Biaya"


class Direction(LabelledEnum):
    """Whether a higher or a lower realisation is better."""

    HIGHER_BETTER = "HIGHER_BETTER", "Semakin tinggi semakin baik"
    LOWER_BETTER = "LOWER_BETTER", "Semakin rendah semakin baik"


class RhkKind(LabelledEnum):
    """Utama or Tambahan RHK (docs/spec/regulation.md §2)."""

    UTAMA = "UTAMA", "Utama"
    TAMBAHAN = "TAMBAHAN", "Tambahan"


class SkpApproach(LabelledEnum):
    """Kuantitatif or kualitatif SKP (docs/spec/regulation.md §2)."""

    KUANTITATIF = "KUANTITATIF", "Kuantitatif"
    KUALITATIF = "KUALITATIF", "Kualitatif"


class Perspektif(LabelledEnum):
    """Perspektif of a JPT's RHK (docs/spec/regulation.md §2)."""

    PENERIMA_LAYANAN = "PENERIMA_LAYANAN", "Penerima Layanan"
    PROSES_BISNIS = "PROSES_BISNIS", "Proses Bisnis"
    PENGUATAN_INTERNAL = "PENGUATAN_INTERNAL", "Penguatan Internal"
    ANGGARAN = "ANGGARAN", "Anggaran"


class Berakhlak(LabelledEnum):
    """The seven BerAKHLAK core values (docs/spec/regulation.md §3)."""

    BERORIENTASI_PELAYANAN = "BERORIENTASI_PELAYANAN", "Berorientasi Pelayanan"
    AKUNTABEL = "AKUNTABEL", "Akuntabel"
    KOMPETEN = "KOMPETEN", "Kompeten"
    HARMONIS = "HARMONIS", "Harmonis"
    LOYAL = "LOYAL", "Loyal"
    ADAPTIF = "ADAPTIF", "Adaptif"
    KOLABORATIF = "KOLABORATIF", "Kolaboratif"


BERAKHLAK_GUIDELINES: dict[Berakhlak, tuple[str, str, str]] = {
    Berakhlak.BERORIENTASI_PELAYANAN: (
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti",
    ),
    Berakhlak.AKUNTABEL: (
        "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin dan "
        "berintegritas tinggi",
        "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, "
        "dan efisien",
        "Tidak menyalahgunakan kewenangan jabatan",
    ),
    Berakhlak.KOMPETEN: (
        "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
        "Membantu orang lain belajar",
        "Melaksanakan tugas dengan kualitas terbaik",
    ),
    Berakhlak.HARMONIS: (
        "Menghargai setiap orang apapun latar belakangnya",
        "Suka menolong orang lain",
        "Membangun lingkungan kerja yang kondusif",
    ),
    Berakhlak.LOYAL: (
        "Memegang teguh ideologi Pancasila, UUD NRI 1945, setia kepada NKRI serta "
        "pemerintahan yang sah",
        "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
        "Menjaga rahasia jabatan dan negara",
    ),
    Berakhlak.ADAPTIF: (
        "Cepat menyesuaikan diri menghadapi perubahan",
        "Terus berinovasi dan mengembangkan kreativitas",
        "Bertindak proaktif",
    ),
    Berakhlak.KOLABORATIF: (
        "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
        "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
        "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
    ),
}


class RaterGroup(LabelledEnum):
    """Rater groups of 360 feedback (docs/spec/product.md §3)."""

    PEER = "PEER", "Rekan kerja setingkat"
    SUBORDINATE = "SUBORDINATE", "Bawahan"
    OTHER = "OTHER", "Pihak lain"


# --- Citizen satisfaction (docs/spec/regulation.md §7) --------------------------------------------


class Unsur(LabelledEnum):
    """The nine SKM unsur of PermenPANRB 14/2017 (docs/spec/regulation.md §7)."""

    U1 = "U1", "Persyaratan"
    U2 = "U2", "Sistem, mekanisme dan prosedur"
    U3 = "U3", "Waktu penyelesaian"
    U4 = "U4", "Biaya/tarif"
    U5 = "U5", "Produk spesifikasi jenis pelayanan"
    U6 = "U6", "Kompetensi pelaksana"
    U7 = "U7", "Perilaku pelaksana"
    U8 = "U8", "Sarana dan prasarana"
    U9 = "U9", "Penanganan pengaduan, saran dan masukan"


SKM_FACE_LABELS = ("Sangat tidak puas", "Tidak puas", "Puas", "Sangat puas")
"""The four faces of the one-press overall rating (kiosk and phone survey)."""

UNSUR_QUESTIONS: dict[Unsur, str] = {
    Unsur.U1: "Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    Unsur.U2: "Bagaimana kemudahan prosedur pelayanan di unit ini?",
    Unsur.U3: "Bagaimana kecepatan waktu dalam memberikan pelayanan?",
    Unsur.U4: "Bagaimana kewajaran biaya/tarif dalam pelayanan?",
    Unsur.U5: "Bagaimana kesesuaian hasil pelayanan dengan standar pelayanan?",
    Unsur.U6: "Bagaimana kompetensi/kemampuan petugas dalam pelayanan?",
    Unsur.U7: "Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
    Unsur.U8: "Bagaimana kualitas sarana dan prasarana?",
    Unsur.U9: "Bagaimana penanganan pengaduan pengguna layanan?",
}
"""The SKM question of each unsur, as the kiosk and the phone survey ask it."""

UNSUR_ANSWER_LABELS: dict[Unsur, tuple[str, str, str, str]] = {
    Unsur.U1: ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    Unsur.U2: ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    Unsur.U3: ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    Unsur.U4: ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    Unsur.U5: ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    Unsur.U6: ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    Unsur.U7: (
        "Tidak sopan dan ramah",
        "Kurang sopan dan ramah",
        "Sopan dan ramah",
        "Sangat sopan dan ramah",
    ),
    Unsur.U8: ("Buruk", "Cukup", "Baik", "Sangat baik"),
    Unsur.U9: (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    ),
}


class Mutu(LabelledEnum):
    """Mutu pelayanan A–D; the label is the kinerja unit pelayanan (docs/spec/regulation.md §7)."""

    A = "A", "Sangat baik"
    B = "B", "Baik"
    C = "C", "Kurang baik"
    D = "D", "Tidak baik"


# --- Workflow states (docs/spec/product.md §2) ----------------------------------------------------


class SkpStatus(LabelledEnum):
    """SKP states: DRAFT → DIAJUKAN → DISETUJUI, or DIAJUKAN → DIKEMBALIKAN → DRAFT."""

    DRAFT = "DRAFT", "Draf"
    DIAJUKAN = "DIAJUKAN", "Diajukan"
    DISETUJUI = "DISETUJUI", "Disetujui"
    DIKEMBALIKAN = "DIKEMBALIKAN", "Dikembalikan"


class EvaluationStatus(LabelledEnum):
    """Evaluation states (docs/spec/product.md §2)."""

    TERBUKA = "TERBUKA", "Terbuka"
    PENILAIAN_DIRI = "PENILAIAN_DIRI", "Penilaian diri selesai"
    DINILAI = "DINILAI", "Dinilai"
    FINAL = "FINAL", "Final"
    DITERIMA = "DITERIMA", "Diterima"
    KEBERATAN = "KEBERATAN", "Keberatan diajukan"
    DIPUTUS = "DIPUTUS", "Keberatan diputus"

    @property
    def is_editable(self) -> bool:
        """Not final yet: the Pejabat Penilai may still rate."""
        return self in (self.TERBUKA, self.PENILAIAN_DIRI, self.DINILAI)

    @property
    def is_locked(self) -> bool:
        """Final or later: the result shows and changes only by an objection decision."""
        return not self.is_editable


# Evaluation status sets (shared by use cases and read models).
_E = EvaluationStatus
EDITABLE = frozenset({_E.TERBUKA, _E.PENILAIAN_DIRI, _E.DINILAI})
"""An evaluation still open to change (self-assessment, 360 answers, rating)."""
LOCKED = frozenset({_E.FINAL, _E.DITERIMA, _E.KEBERATAN, _E.DIPUTUS})
"""A final evaluation: changed only by an objection decision."""
SELF_DONE = frozenset({_E.PENILAIAN_DIRI, _E.DINILAI, *LOCKED})
"""The self-assessment is done."""
RATED = frozenset({_E.DINILAI, *LOCKED})
"""The Pejabat Penilai has rated."""
FINALISED = LOCKED
"""Finalised (objections open or not)."""
FINISHED = frozenset({_E.FINAL, _E.DITERIMA, _E.DIPUTUS})
"""Final with no objection open: a period can close."""


class PeriodKind(LabelledEnum):
    """Periodic (quarterly or monthly) or annual evaluation period."""

    TRIWULAN = "TRIWULAN", "Triwulan"
    BULANAN = "BULANAN", "Bulanan"
    TAHUNAN = "TAHUNAN", "Tahunan"


class PeriodStatus(LabelledEnum):
    """A period is planned, open for evaluation, or closed."""

    DIRENCANAKAN = "DIRENCANAKAN", "Direncanakan"
    DIBUKA = "DIBUKA", "Dibuka"
    DITUTUP = "DITUTUP", "Ditutup"


# --- Notifications (issue 23 part 4) -------------------------------------------------------


class EmailMode(LabelledEnum):
    """How a person wants notifications by e-mail (in the portal they always show)."""

    HARIAN = "HARIAN", "Ringkasan harian"
    SEGERA = "SEGERA", "Segera"
    TIDAK = "TIDAK", "Tidak"


class NotificationKind(LabelledEnum):
    """What a notification is about."""

    SKP_DIKEMBALIKAN = "SKP_DIKEMBALIKAN", "SKP dikembalikan"
    SKP_DISETUJUI = "SKP_DISETUJUI", "SKP disetujui"
    UMPAN_BALIK_360 = "UMPAN_BALIK_360", "Permintaan umpan balik 360"
    HASIL_EVALUASI = "HASIL_EVALUASI", "Hasil evaluasi"
    PUTUSAN_KEBERATAN = "PUTUSAN_KEBERATAN", "Putusan keberatan"
    TENGGAT = "TENGGAT", "Pengingat tenggat"


# --- Pulse of trust (issue 23 part 2) -----------------------------------------------------


class PulseQuestion(LabelledEnum):
    """The questions of the anonymous pulse-of-trust survey (version :data:`PULSE_VERSION`).

    The set is fixed: a new or reworded question is a new member and a new version, so the
    trend over periods compares like with like.
    """

    EXPECTATIONS = "EXPECTATIONS", "Saya memahami ekspektasi atasan saya terhadap pekerjaan saya."
    FAIR = "FAIR", "Penilaian kinerja saya dilakukan dengan adil."
    SUPPORT = "SUPPORT", "Saya mendapat dukungan dan pelatihan yang saya perlukan."
    FEEDBACK = "FEEDBACK", "Saya menerima umpan balik yang berguna selama periode ini."
    VOICE = "VOICE", "Saya merasa aman menyampaikan pendapat atau keberatan tentang penilaian."


PULSE_VERSION = 1
"""Version of the :class:`PulseQuestion` set."""

PULSE_SCALE = {
    1: "Sangat tidak setuju",
    2: "Tidak setuju",
    3: "Ragu-ragu",
    4: "Setuju",
    5: "Sangat setuju",
}
"""The 1–5 agreement scale of the pulse survey, with its Indonesian labels."""
