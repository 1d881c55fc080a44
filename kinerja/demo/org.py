"""The demo organisation of Kota Sibolga: units, ~300 employees, accounts, one Plt.

Everything here is DEMO DATA (docs/spec/sibolga.md): the unit tree follows a typical Pemda
structure,
not Sibolga's official one, and every person is invented. The roster is built from the
context's seeded random generator only, so the same seed gives the same units, names and
NIPs; dates that must stay relative to today (the Plt period) use ``ctx.today``.

Shape: one tree per OPD (OPD → bidang/UPT → seksi). Each unit has a head whose supervisor
is the head of the parent unit; the heads of the OPD report to the Sekretaris Daerah, who
tops the chain. Staff (pelaksana and fungsional) report to the head of their own unit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from peewee import chunked

from kinerja.enums import ActingKind, EmployeeStatus, JenisJabatan, Jenjang, Role, UnitKind
from kinerja.models.account import Account, AccountRole
from kinerja.models.org import ActingOfficial, Employee, Unit
from kinerja.nip import make_ni_pppk, make_nip
from kinerja.ranks import TYPICAL_GOLONGAN, golongan_codes

J = JenisJabatan
PPPK_SHARE = 0.10
PPPK_CODE = 21
CHUNK = 100

# --- the unit tree -------------------------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    """``count`` staff of one kind in a unit; the first ``keys`` become named people."""

    count: int
    jenis: JenisJabatan
    title: str = ""  # base title of a JF ("Perawat"); pelaksana titles follow golongan
    jenjang: Jenjang | None = None
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitSpec:
    """A unit, its head and staff, and the units below it."""

    code: str
    name: str
    kind: UnitKind
    head_jenis: JenisJabatan
    short_name: str = ""
    head_title: str = ""  # default: "Kepala <name>"
    head_profile: str = "struktural"
    head_key: str | None = None
    public: bool = False
    staff: tuple[Staff, ...] = ()
    children: tuple[UnitSpec, ...] = ()

    @property
    def title(self) -> str:
        return self.head_title or f"Kepala {self.name}"


def pel(count: int, keys: tuple[str, ...] = ()) -> Staff:
    """Pelaksana staff."""
    return Staff(count, J.PELAKSANA, keys=keys)


def jf(count: int, title: str, jenjang: Jenjang, keys: tuple[str, ...] = ()) -> Staff:
    """Functional staff (jabatan fungsional) of one jenjang."""
    return Staff(count, J.FUNGSIONAL, title, jenjang, keys)


def seksi(code: str, name: str, *staff: Staff, public: bool = False, **kw) -> UnitSpec:
    """A seksi/subbagian/subbidang headed by a pengawas."""
    return UnitSpec(code, name, UnitKind.SEKSI, J.PENGAWAS, public=public, staff=staff, **kw)


def bidang(
    code: str, name: str, *staff: Staff, children=(), public: bool = False, **kw
) -> UnitSpec:
    """A bidang/bagian headed by an administrator."""
    return UnitSpec(
        code,
        name,
        UnitKind.BIDANG,
        J.ADMINISTRATOR,
        public=public,
        staff=staff,
        children=tuple(children),
        **kw,
    )


def sekretariat(opd: str, opd_name: str, *staff: Staff, subbag: int | None = None) -> UnitSpec:
    """The sekretariat of an OPD, with a Subbagian Umum dan Kepegawaian when ``subbag``."""
    children = ()
    if subbag:
        children = (seksi(f"{opd}.SEKRE.UMPEG", "Subbagian Umum dan Kepegawaian", pel(subbag)),)
    return bidang(
        f"{opd}.SEKRE",
        "Sekretariat",
        *staff,
        children=children,
        head_title=f"Sekretaris {opd_name}",
    )


def puskesmas(slug: str, place: str, scale: int, key: str | None = None) -> UnitSpec:
    """A puskesmas (UPT of Dinas Kesehatan); ``scale`` 0–2 from small to large."""
    big = scale >= 2
    staff = [
        jf(2 if scale else 1, "Dokter", Jenjang.AHLI_PERTAMA),
        jf(1, "Dokter Gigi", Jenjang.AHLI_PERTAMA),
        jf(2 + scale, "Perawat", Jenjang.TERAMPIL, keys=("pppk",) if key else ()),
        jf(1 + (scale > 0), "Perawat", Jenjang.MAHIR),
        jf(1 + big, "Perawat", Jenjang.AHLI_PERTAMA),
        jf(2 + big, "Bidan", Jenjang.TERAMPIL),
        jf(1, "Bidan", Jenjang.MAHIR),
        jf(1, "Apoteker", Jenjang.AHLI_PERTAMA),
        jf(1, "Pranata Laboratorium Kesehatan", Jenjang.TERAMPIL),
        jf(1, "Nutrisionis", Jenjang.TERAMPIL),
        pel(1 + scale),
    ]
    if big:
        staff += [
            jf(1, "Dokter", Jenjang.AHLI_MUDA),
            jf(1, "Tenaga Sanitasi Lingkungan", Jenjang.TERAMPIL),
        ]
    name = f"UPTD Puskesmas {place}"
    return UnitSpec(
        f"DINKES.PKM-{slug}",
        name,
        UnitKind.UPT,
        J.PENGAWAS,
        short_name=f"Puskesmas {place}",
        head_profile="kapus",
        head_key=key,
        public=True,
        staff=tuple(staff),
    )


def kelurahan(slug: str, place: str, count: int) -> UnitSpec:
    """A kelurahan office (UPT-like unit of the kecamatan), headed by the lurah."""
    return UnitSpec(
        f"KEC-SBGKOTA.KEL-{slug}",
        f"Kelurahan {place}",
        UnitKind.UPT,
        J.PENGAWAS,
        short_name=f"Kel. {place}",
        head_title=f"Lurah {place}",
        head_profile="pamong",
        public=True,
        staff=(pel(count),),
    )


def opd(code: str, name: str, short: str, *children: UnitSpec, public=False, **kw) -> UnitSpec:
    """An OPD headed by a JPT (unless ``head_jenis`` says otherwise)."""
    kw.setdefault("head_jenis", J.JPT)
    kw.setdefault("head_profile", "pimpinan")
    return UnitSpec(
        code, name, UnitKind.OPD, short_name=short, public=public, children=children, **kw
    )


AP, AM, T, M = Jenjang.AHLI_PERTAMA, Jenjang.AHLI_MUDA, Jenjang.TERAMPIL, Jenjang.MAHIR

DUKCAPIL_NAME = "Dinas Kependudukan dan Pencatatan Sipil"

TREE: tuple[UnitSpec, ...] = (
    opd(
        "SETDA",
        "Sekretariat Daerah",
        "Setda",
        bidang("SETDA.ORG", "Bagian Organisasi", jf(1, "Analis Kebijakan", AM), pel(3)),
        bidang("SETDA.UMUM", "Bagian Umum", pel(4)),
        head_title="Sekretaris Daerah Kota Sibolga",
        head_key="sekda",
    ),
    opd(
        "DISDUKCAPIL",
        DUKCAPIL_NAME,
        "Disdukcapil",
        sekretariat("DISDUKCAPIL", DUKCAPIL_NAME, jf(1, "Perencana", AP), pel(2), subbag=3),
        bidang(
            "DISDUKCAPIL.PDP",
            "Bidang Pelayanan Pendaftaran Penduduk",
            children=(
                seksi(
                    "DISDUKCAPIL.PDP.IDP",
                    "Seksi Identitas Penduduk",
                    pel(8, keys=("pelaksana", "rekan1", "rekan2", "rekan3", "pegawai_baru")),
                    public=True,
                    head_key="kasi_identitas",
                ),
                seksi(
                    "DISDUKCAPIL.PDP.PINDAH", "Seksi Pindah Datang Penduduk", pel(4), public=True
                ),
                seksi("DISDUKCAPIL.PDP.DATA", "Seksi Pendataan Penduduk", pel(3)),
            ),
            public=True,
            head_key="kabid_pdp",
        ),
        bidang(
            "DISDUKCAPIL.CAPIL",
            "Bidang Pelayanan Pencatatan Sipil",
            children=(
                seksi(
                    "DISDUKCAPIL.CAPIL.LAHIR",
                    "Seksi Kelahiran dan Kematian",
                    pel(4),
                    public=True,
                    head_key="plt",
                ),
                seksi(
                    "DISDUKCAPIL.CAPIL.KAWIN",
                    "Seksi Perkawinan dan Perceraian",
                    pel(3),
                    public=True,
                ),
            ),
            public=True,
        ),
        bidang(
            "DISDUKCAPIL.PIAK",
            "Bidang Pengelolaan Informasi Administrasi Kependudukan",
            jf(2, "Administrator Database Kependudukan", AP),
            jf(1, "Pranata Komputer", AP),
            short_name="Bidang PIAK",
            children=(
                seksi(
                    "DISDUKCAPIL.PIAK.SIAK",
                    "Seksi Sistem Informasi Administrasi Kependudukan",
                    pel(3),
                    short_name="Seksi SIAK",
                ),
            ),
        ),
        public=True,
        head_key="kadis_dukcapil",
    ),
    opd(
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        sekretariat(
            "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", pel(2), subbag=2
        ),
        bidang(
            "DPMPTSP.IZIN",
            "Bidang Pelayanan Perizinan dan Nonperizinan",
            jf(2, "Penata Perizinan", AP),
            jf(1, "Penata Perizinan", AM),
            children=(
                seksi("DPMPTSP.IZIN.USAHA", "Seksi Perizinan Berusaha", pel(4), public=True),
                seksi("DPMPTSP.IZIN.NONUSAHA", "Seksi Perizinan Nonberusaha", pel(3), public=True),
            ),
            public=True,
        ),
        bidang(
            "DPMPTSP.PM",
            "Bidang Penanaman Modal",
            jf(1, "Analis Kebijakan", AM),
            children=(
                seksi(
                    "DPMPTSP.PM.PROMOSI",
                    "Seksi Promosi dan Pengendalian Penanaman Modal",
                    pel(2),
                ),
            ),
        ),
        public=True,
    ),
    opd(
        "DINKES",
        "Dinas Kesehatan",
        "Dinkes",
        sekretariat("DINKES", "Dinas Kesehatan", jf(1, "Perencana", AP), pel(2), subbag=3),
        bidang(
            "DINKES.KESMAS",
            "Bidang Kesehatan Masyarakat",
            jf(1, "Epidemiolog Kesehatan", AM),
            jf(1, "Nutrisionis", AM),
            children=(seksi("DINKES.KESMAS.KESGA", "Seksi Kesehatan Keluarga dan Gizi", pel(2)),),
        ),
        bidang(
            "DINKES.YANKES",
            "Bidang Pelayanan Kesehatan",
            jf(1, "Administrator Kesehatan", AM),
            children=(seksi("DINKES.YANKES.PRIMER", "Seksi Pelayanan Kesehatan Primer", pel(2)),),
        ),
        bidang(
            "DINKES.P2P",
            "Bidang Pencegahan dan Pengendalian Penyakit",
            jf(1, "Tenaga Sanitasi Lingkungan", M),
            children=(seksi("DINKES.P2P.SURV", "Seksi Surveilans dan Imunisasi", pel(2)),),
        ),
        puskesmas("AEKHABIL", "Aek Habil", 2, key="kapus"),
        puskesmas("AEKPAROMBUNAN", "Aek Parombunan", 1),
        puskesmas("PCRKERAMBIL", "Pancuran Kerambil", 0),
        head_profile="pimpinan_kes",
    ),
    opd(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        sekretariat(
            "BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", pel(1), subbag=2
        ),
        bidang(
            "BKPSDM.PPIK",
            "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian",
            jf(1, "Pranata Komputer", AP, keys=("admin",)),
            jf(1, "Analis Sumber Daya Manusia Aparatur", AP),
            short_name="Bidang PPIK",
            children=(
                seksi("BKPSDM.PPIK.INFO", "Subbidang Data dan Informasi Kepegawaian", pel(3)),
            ),
        ),
        bidang(
            "BKPSDM.MUTASI",
            "Bidang Mutasi dan Promosi",
            jf(2, "Analis Sumber Daya Manusia Aparatur", AM),
            children=(seksi("BKPSDM.MUTASI.PANGKAT", "Subbidang Kepangkatan dan Promosi", pel(2)),),
        ),
        bidang(
            "BKPSDM.BANGKOM",
            "Bidang Pengembangan Kompetensi dan Penilaian Kinerja",
            jf(1, "Analis Sumber Daya Manusia Aparatur", AP),
            children=(
                seksi("BKPSDM.BANGKOM.KINERJA", "Subbidang Penilaian Kinerja Aparatur", pel(3)),
            ),
        ),
    ),
    opd(
        "DISKOMINFO",
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
        sekretariat("DISKOMINFO", "Dinas Komunikasi dan Informatika", pel(2)),
        bidang(
            "DISKOMINFO.APTIKA",
            "Bidang Aplikasi Informatika",
            jf(3, "Pranata Komputer", AP),
            jf(1, "Pranata Komputer", AM),
            jf(1, "Pranata Komputer", T),
        ),
        bidang(
            "DISKOMINFO.IKP",
            "Bidang Informasi dan Komunikasi Publik",
            jf(2, "Pranata Hubungan Masyarakat", AP),
            pel(2),
        ),
        bidang(
            "DISKOMINFO.SANDISTAT",
            "Bidang Persandian dan Statistik",
            jf(1, "Sandiman", AP),
            jf(2, "Statistisi", AP),
        ),
    ),
    opd(
        "BAPPEDA",
        "Badan Perencanaan Pembangunan Daerah",
        "Bappeda",
        sekretariat("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", pel(1), subbag=2),
        bidang(
            "BAPPEDA.PPM",
            "Bidang Pemerintahan dan Pembangunan Manusia",
            jf(2, "Perencana", AP),
            jf(1, "Perencana", AM),
        ),
        bidang(
            "BAPPEDA.EKON",
            "Bidang Perekonomian dan Sumber Daya Alam",
            jf(2, "Perencana", AP),
            jf(1, "Perencana", AM),
        ),
        bidang(
            "BAPPEDA.INFRA",
            "Bidang Infrastruktur dan Kewilayahan",
            jf(1, "Perencana", AP),
            jf(1, "Perencana", AM),
            pel(1),
        ),
    ),
    opd(
        "INSPEKTORAT",
        "Inspektorat Daerah",
        "Inspektorat",
        sekretariat("INSPEKTORAT", "Inspektorat Daerah", pel(2)),
        bidang(
            "INSPEKTORAT.IRBAN1",
            "Inspektorat Pembantu Wilayah I",
            jf(1, "Auditor", AM, keys=("auditor",)),
            jf(2, "Auditor", AP),
            jf(1, "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah", AM),
            head_title="Inspektur Pembantu Wilayah I",
            short_name="Irban I",
        ),
        bidang(
            "INSPEKTORAT.IRBAN2",
            "Inspektorat Pembantu Wilayah II",
            jf(1, "Auditor", AM),
            jf(1, "Auditor", AP),
            jf(2, "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah", AP),
            head_title="Inspektur Pembantu Wilayah II",
            short_name="Irban II",
        ),
        head_title="Inspektur Kota Sibolga",
    ),
    opd(
        "KEC-SBGKOTA",
        "Kecamatan Sibolga Kota",
        "Kec. Sibolga Kota",
        bidang(
            "KEC-SBGKOTA.SEKRE",
            "Sekretariat Kecamatan",
            pel(3),
            head_title="Sekretaris Kecamatan Sibolga Kota",
            head_profile="pamong",
        ),
        seksi("KEC-SBGKOTA.PEM", "Seksi Pemerintahan", pel(2), head_profile="pamong"),
        seksi(
            "KEC-SBGKOTA.YANUM",
            "Seksi Pelayanan Umum",
            pel(3),
            public=True,
            head_profile="pamong",
        ),
        seksi(
            "KEC-SBGKOTA.TRANTIB",
            "Seksi Ketenteraman dan Ketertiban Umum",
            pel(2),
            head_profile="pamong",
        ),
        kelurahan("PASARBARU", "Pasar Baru", 4),
        kelurahan("PASARBELAKANG", "Pasar Belakang", 4),
        kelurahan("PCRGEROBAK", "Pancuran Gerobak", 3),
        kelurahan("KOTABERINGIN", "Kota Beringin", 3),
        public=True,
        head_jenis=J.ADMINISTRATOR,
        head_title="Camat Sibolga Kota",
        head_profile="pamong",
    ),
    opd(
        "SATPOLPP",
        "Satuan Polisi Pamong Praja",
        "Satpol PP",
        sekretariat("SATPOLPP", "Satuan Polisi Pamong Praja", pel(2)),
        bidang(
            "SATPOLPP.GAKDA",
            "Bidang Penegakan Peraturan Daerah",
            jf(2, "Polisi Pamong Praja", AP),
            jf(3, "Polisi Pamong Praja", T),
        ),
        bidang(
            "SATPOLPP.TIBUM",
            "Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
            jf(4, "Polisi Pamong Praja", T),
            jf(2, "Polisi Pamong Praja", M),
            pel(2),
        ),
        bidang(
            "SATPOLPP.LINMAS",
            "Bidang Perlindungan Masyarakat",
            jf(1, "Polisi Pamong Praja", T),
            pel(2),
        ),
    ),
    opd(
        "DINSOS",
        "Dinas Sosial",
        "Dinsos",
        sekretariat("DINSOS", "Dinas Sosial", pel(2), subbag=2),
        bidang(
            "DINSOS.REHSOS",
            "Bidang Rehabilitasi Sosial",
            jf(2, "Pekerja Sosial", AP),
            jf(1, "Pekerja Sosial", T),
        ),
        bidang(
            "DINSOS.LINJAMSOS",
            "Bidang Perlindungan dan Jaminan Sosial",
            jf(1, "Penyuluh Sosial", AP),
            children=(seksi("DINSOS.LINJAMSOS.JSK", "Seksi Jaminan Sosial Keluarga", pel(3)),),
        ),
        bidang(
            "DINSOS.DAYASOS",
            "Bidang Pemberdayaan Sosial",
            jf(1, "Penyuluh Sosial", AM),
            pel(1),
        ),
    ),
)

# The Plt example: the head of this seksi stands in for the head of its bidang.
PLT_FOR_UNIT = "DISDUKCAPIL.CAPIL"
PLT_BEFORE = timedelta(days=30)
PLT_AFTER = timedelta(days=61)

# --- names and gelar -----------------------------------------------------------------------

# Given names and surnames of the naming traditions found in Sibolga (Batak Toba, Angkola/
# Mandailing and coastal Batak, Pesisir Malay/Minang, Nias, Javanese); TRADITIONS weighs
# them (a demo guess, not statistics).
CHRISTIAN_M = (
    "Jhonson", "Robert", "Martua", "Parulian", "Hotman", "Binsar", "Togar", "Rudi",
    "Daniel", "Samuel", "Hendra", "Poltak", "Marihot", "Benny", "Edward", "Fernando",
    "Ricky", "Andreas", "Yosua", "Immanuel", "Hotlan", "Sahat", "Bonar", "Tumpal",
    "Jonatan", "Ronald", "Frans", "Mangasi",
)  # fmt: skip
CHRISTIAN_F = (
    "Rosmawati", "Lamria", "Tiurma", "Hotmaida", "Debora", "Maria", "Rotua", "Ruth",
    "Sarma", "Lenny", "Yohana", "Kristina", "Lasma", "Sondang", "Evi", "Novita", "Riris",
    "Friska", "Melati", "Rosdiana", "Tiarma", "Erna", "Nelly", "Santi", "Imelda", "Hana",
)  # fmt: skip
MUSLIM_M = (
    "Ahmad", "Muhammad Rizki", "Zulkifli", "Syahrial", "Irwansyah", "Fadli", "Rahmat",
    "Hasan", "Ridwan", "Arif", "Fauzi", "Iqbal", "Rizal", "Taufik", "Khairul", "Syamsul",
    "Amiruddin", "Faisal", "Darwin", "Zulham", "Syafrizal", "Hamdani", "Ilham", "Yusuf",
    "Hendra", "Azhar", "Abdul Rahman", "Muhammad Yasir",
)  # fmt: skip
MUSLIM_F = (
    "Nur Aisyah", "Siti Rahmah", "Nurhayati", "Fitri", "Rahmadani", "Yusnita", "Nurlela",
    "Masitah", "Hafizah", "Sri Rezeki", "Ratna", "Rosmaini", "Khairunnisa", "Ummi Kalsum",
    "Nurmaida", "Fatimah", "Juliana", "Elvi", "Annisa", "Rahmi", "Mardiah", "Nurul Huda",
    "Zahara", "Latifah", "Dewi", "Halimah",
)  # fmt: skip
BATAK_TOBA = (
    "Hutagalung", "Pasaribu", "Simatupang", "Panggabean", "Sitompul", "Situmeang",
    "Sibuea", "Marpaung", "Hutabarat", "Tambunan", "Simanjuntak", "Hutauruk", "Sihombing",
    "Lumbantobing", "Sinaga", "Manurung", "Napitupulu", "Aritonang", "Simorangkir",
    "Pardede", "Silitonga", "Sianturi",
)  # fmt: skip
BATAK_MUSLIM = (
    "Nasution", "Lubis", "Siregar", "Harahap", "Pohan", "Rangkuti", "Batubara", "Daulay",
    "Hasibuan", "Tanjung", "Pulungan", "Ritonga", "Dalimunthe", "Matondang", "Pane",
)  # fmt: skip
NIAS = (
    "Zebua", "Gea", "Telaumbanua", "Zalukhu", "Harefa", "Lase", "Waruwu", "Hia",
    "Mendrofa", "Laoli", "Halawa", "Ndruru",
)  # fmt: skip
MALAY_M2 = ("Effendi", "Syahputra", "Saputra", "Hidayat", "Kurniawan", "Putra", "Rahman")
MALAY_F2 = ("Wati", "Sari", "Yanti", "Fitriani", "Wahyuni", "Putri", "Handayani", "Rahayu")
JAVA_M = (
    "Budi", "Agus", "Joko", "Eko", "Bambang", "Wahyu", "Teguh", "Dwi", "Suryadi", "Heru",
    "Bayu", "Sigit",
)  # fmt: skip
JAVA_M2 = ("Santoso", "Setiawan", "Susilo", "Prasetyo", "Sutrisno", "Hidayat", "Cahyono")
JAVA_F = ("Sri", "Dwi", "Endang", "Tri", "Wulan", "Puji", "Yuli", "Ratna", "Sulastri", "Rini")
JAVA_F2 = ("Wahyuni", "Lestari", "Susilawati", "Rahayu", "Astuti", "Handayani", "Ningsih")

TRADITIONS = (("toba", 34), ("muslim_batak", 26), ("malay", 14), ("nias", 12), ("java", 14))

S1 = ("S.E.", "S.Sos.", "S.Kom.", "S.H.", "S.AP.", "S.IP.", "S.Ak.", "S.Pd.")
GELAR_PROFILES: dict[str, tuple[tuple[str, str], ...]] = {
    "pimpinan": (
        ("", "S.Sos., M.Si."),
        ("", "S.H., M.H."),
        ("", "S.E., M.M."),
        ("Drs.", "M.Si."),
        ("", "S.STP, M.Si."),
        ("Ir.", "M.T."),
        ("", "S.IP., M.AP."),
    ),
    "pimpinan_kes": (("dr.", "M.Kes."), ("dr.", "M.K.M.")),
    "struktural": (
        ("", "S.Sos."),
        ("", "S.E."),
        ("", "S.H."),
        ("", "S.Sos., M.Si."),
        ("", "S.T."),
        ("", "S.IP."),
        ("", "S.E., M.Si."),
        ("", "S.Kom."),
        ("", "S.AP."),
        ("", "S.H., M.H."),
    ),
    "pamong": (("", "S.STP"), ("", "S.Sos."), ("", "S.IP."), ("", "S.STP, M.Si."), ("", "S.H.")),
    "kapus": (("dr.", ""), ("dr.", "M.K.M."), ("", "S.K.M."), ("Ns.", "S.Kep.")),
}

# Gelar of a functional position by base title: (terampil-level options, ahli-level options).
JF_GELAR: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "Dokter": ((), (("dr.", ""),)),
    "Dokter Gigi": ((), (("drg.", ""),)),
    "Perawat": ((("", "A.Md.Kep."),), (("Ns.", "S.Kep."),)),
    "Bidan": ((("", "A.Md.Keb."),), (("", "S.Tr.Keb."),)),
    "Apoteker": ((), (("apt.", "S.Farm."),)),
    "Pranata Laboratorium Kesehatan": ((("", "A.Md.AK."),), (("", "S.Tr.AK."),)),
    "Nutrisionis": ((("", "A.Md.Gz."),), (("", "S.Gz."),)),
    "Tenaga Sanitasi Lingkungan": ((("", "A.Md.KL."),), (("", "S.K.M."),)),
    "Epidemiolog Kesehatan": ((), (("", "S.K.M."), ("", "S.K.M., M.Epid."))),
    "Administrator Kesehatan": ((), (("", "S.K.M."), ("", "S.K.M., M.Kes."))),
    "Pranata Komputer": ((("", "A.Md.Kom."),), (("", "S.Kom."), ("", "S.T."))),
    "Administrator Database Kependudukan": ((), (("", "S.Kom."), ("", "S.T."))),
    "Analis Kebijakan": ((), (("", "S.IP."), ("", "S.Sos., M.Si."), ("", "S.AP."))),
    "Perencana": ((), (("", "S.T."), ("", "S.E., M.Si."), ("", "S.P."), ("", "S.T., M.T."))),
    "Auditor": ((), (("", "S.E."), ("", "S.Ak."), ("", "S.E., Ak."))),
    "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah": ((), (("", "S.H."), ("", "S.STP"))),
    "Analis Sumber Daya Manusia Aparatur": ((), (("", "S.Psi."), ("", "S.AP."), ("", "S.Sos."))),
    "Penata Perizinan": ((), (("", "S.H."), ("", "S.E."), ("", "S.AP."))),
    "Pranata Hubungan Masyarakat": ((), (("", "S.I.Kom."), ("", "S.Sos."))),
    "Sandiman": ((), (("", "S.Kom."), ("", "S.Tr.TP."))),
    "Statistisi": ((), (("", "S.Si."), ("", "S.Stat."))),
    "Polisi Pamong Praja": ((("", ""), ("", "A.Md.")), (("", "S.H."), ("", "S.Sos."))),
    "Pekerja Sosial": ((("", "A.Md."),), (("", "S.Sos."), ("", "S.Tr.Sos."))),
    "Penyuluh Sosial": ((), (("", "S.Sos."),)),
}

# Jabatan fungsional held mostly by women (the Perawat share is set separately).
FEMALE_SHARE = {"Bidan": 1.0, "Perawat": 0.75, "Nutrisionis": 0.8}

# --- golongan and ages ----------------------------------------------------------------------

PNS_CODES = golongan_codes(EmployeeStatus.PNS)


def _span(first: str, last: str) -> tuple[str, ...]:
    return PNS_CODES[PNS_CODES.index(first) : PNS_CODES.index(last) + 1]


JF_GOLONGAN = {
    Jenjang.TERAMPIL: _span("II/c", "II/d"),
    Jenjang.MAHIR: _span("III/a", "III/b"),
    Jenjang.PENYELIA: _span("III/c", "III/d"),
    Jenjang.AHLI_PERTAMA: _span("III/a", "III/b"),
    Jenjang.AHLI_MUDA: _span("III/c", "III/d"),
    Jenjang.AHLI_MADYA: _span("IV/a", "IV/c"),
}
JF_GOLONGAN_PPPK = {
    Jenjang.TERAMPIL: "VII",
    Jenjang.MAHIR: "VIII",
    Jenjang.PENYELIA: "IX",
    Jenjang.AHLI_PERTAMA: "IX",
    Jenjang.AHLI_MUDA: "XI",
    Jenjang.AHLI_MADYA: "XIII",
}
# Birth-year ranges (first, last) by position; every demo birth falls in 1965–2000.
BIRTH_YEARS = {
    J.JPT: (1966, 1974),
    J.ADMINISTRATOR: (1968, 1980),
    J.PENGAWAS: (1970, 1986),
}
JF_BIRTH_YEARS = {
    Jenjang.TERAMPIL: (1986, 1999),
    Jenjang.MAHIR: (1978, 1992),
    Jenjang.PENYELIA: (1970, 1982),
    Jenjang.AHLI_PERTAMA: (1987, 1998),
    Jenjang.AHLI_MUDA: (1975, 1989),
    Jenjang.AHLI_MADYA: (1968, 1980),
}
PELAKSANA_BIRTH_YEARS = {"II/a": (1992, 2000), "II/b": (1988, 1998)}
PELAKSANA_DEFAULT_BIRTH = (1972, 1995)
LATEST_TMT_YEAR = 2024
NEW_EMPLOYEE_TMT = (2025, 3)  # "pegawai_baru": CPNS appointed in March 2025


def pelaksana_title(golongan: str) -> str:
    """Nomenclature of a pelaksana position by golongan (KepmenPANRB on jabatan pelaksana)."""
    if golongan in ("II/a", "II/b", "V"):
        return "Pengadministrasi Perkantoran"
    if golongan in ("II/c", "II/d", "VI", "VII"):
        return "Operator Layanan Operasional"
    return "Penata Layanan Operasional"


# --- building the roster ------------------------------------------------------------------


@dataclass
class Person:
    """One employee before insertion."""

    unit_code: str
    jenis: JenisJabatan
    jabatan: str = ""
    base_title: str = ""
    jenjang: Jenjang | None = None
    boss: int | None = None  # index into the roster
    level: int = 0
    key: str | None = None
    profile: str = ""
    status: EmployeeStatus = EmployeeStatus.PNS
    golongan: str = ""
    nip: str = ""
    name: str = ""
    gelar_depan: str = ""
    gelar_belakang: str = ""

    def row(self, unit_id: int, supervisor_id: int | None) -> dict:
        return {
            "nip": self.nip,
            "name": self.name,
            "gelar_depan": self.gelar_depan,
            "gelar_belakang": self.gelar_belakang,
            "jabatan": self.jabatan,
            "jenis_jabatan": self.jenis.value,
            "jenjang": self.jenjang.value if self.jenjang else None,
            "golongan": self.golongan,
            "status": self.status.value,
            "unit": unit_id,
            "supervisor": supervisor_id,
        }


@dataclass
class Roster:
    """Everything ``seed_org`` builds before writing it."""

    units: list[tuple[UnitSpec, str | None]] = field(default_factory=list)  # (spec, parent)
    people: list[Person] = field(default_factory=list)


def plan(tree: tuple[UnitSpec, ...] = TREE) -> Roster:
    """The units and positions of the demo (no random choices yet)."""
    roster = Roster()
    sekda: int | None = None

    def walk(spec: UnitSpec, parent: str | None, boss: int | None, level: int) -> None:
        roster.units.append((spec, parent))
        head = Person(
            spec.code,
            spec.head_jenis,
            jabatan=spec.title,
            boss=boss,
            level=level,
            key=spec.head_key,
            profile=spec.head_profile,
        )
        roster.people.append(head)
        head_index = len(roster.people) - 1
        for staff in spec.staff:
            for i in range(staff.count):
                roster.people.append(
                    Person(
                        spec.code,
                        staff.jenis,
                        base_title=staff.title,
                        jenjang=staff.jenjang,
                        boss=head_index,
                        level=level + 1,
                        key=staff.keys[i] if i < len(staff.keys) else None,
                    )
                )
        for child in spec.children:
            walk(child, spec.code, head_index, level + 1)

    for top in tree:
        walk(top, None, sekda, 0 if sekda is None else 1)
        if sekda is None:
            sekda = 0  # the first tree is the Sekretariat Daerah, its head tops every chain
    return roster


def _pick_pppk(roster: Roster, rng) -> None:
    """Make about ``PPPK_SHARE`` of the roster PPPK: the named "pppk" person plus a random
    sample of unnamed pelaksana and fungsional."""
    eligible = [
        p for p in roster.people if p.jenis in (J.PELAKSANA, J.FUNGSIONAL) and p.key is None
    ]
    forced = [p for p in roster.people if p.key == "pppk"]
    wanted = round(len(roster.people) * PPPK_SHARE) - len(forced)
    for person in forced + rng.sample(eligible, wanted):
        person.status = EmployeeStatus.PPPK


def _birth(rng, first: int, last: int) -> date:
    year = rng.randint(first, last)
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _choose_golongan(person: Person, rng) -> str:
    if person.status is EmployeeStatus.PPPK:
        if person.jenis is J.FUNGSIONAL:
            return JF_GOLONGAN_PPPK[person.jenjang]
        return rng.choice(("V", "V", "VII", "IX"))
    if person.jenis is J.FUNGSIONAL:
        return rng.choice(JF_GOLONGAN[person.jenjang])
    if person.key == "sekda":
        return "IV/d"
    if person.key == "pegawai_baru":
        return "II/c"
    return rng.choice(TYPICAL_GOLONGAN[person.jenis])


def _birth_range(person: Person) -> tuple[int, int]:
    if person.key == "pegawai_baru":
        return (1999, 2000)
    if person.jenis is J.FUNGSIONAL:
        return JF_BIRTH_YEARS[person.jenjang]
    if person.jenis is J.PELAKSANA:
        return PELAKSANA_BIRTH_YEARS.get(person.golongan, PELAKSANA_DEFAULT_BIRTH)
    return BIRTH_YEARS[person.jenis]


class _NipAllocator:
    """Unique NIPs / NI PPPK with random sequence numbers."""

    def __init__(self, rng, today: date) -> None:
        self.rng = rng
        self.today = today
        self.used: set[str] = set()

    def _unique(self, build) -> str:
        while True:
            nip = build(self.rng.randint(1, 999))
            if nip not in self.used:
                self.used.add(nip)
                return nip

    def pns(self, birth: date, sex: str, fixed_tmt: tuple[int, int] | None = None) -> str:
        latest = min((LATEST_TMT_YEAR, 12), (self.today.year, self.today.month))
        if fixed_tmt is not None:
            year, month = min(fixed_tmt, (self.today.year, self.today.month))
        else:
            year = min(birth.year + self.rng.randint(21, 30), latest[0])
            month = self.rng.randint(1, 12)
            if (year, month) > latest:
                year, month = latest
        earliest = (birth.year + 18, birth.month)
        if (year, month) < earliest:  # cannot happen with births up to 2000; kept as a guard
            year, month = earliest
        return self._unique(lambda seq: make_nip(birth, year, month, sex, seq))

    def pppk(self, birth: date, sex: str) -> str:
        year = min(self.rng.randint(2021, 2024), self.today.year)
        year = max(year, birth.year + 18)
        return self._unique(lambda seq: make_ni_pppk(birth, year, PPPK_CODE, sex, seq))


class _Namer:
    """Realistic, unique names of the naming traditions found in Sibolga."""

    def __init__(self, rng) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.traditions = [t for t, _ in TRADITIONS]
        self.weights = [w for _, w in TRADITIONS]

    def _one(self, sex: str) -> str:
        rng = self.rng
        female = sex == "P"
        tradition = rng.choices(self.traditions, self.weights)[0]
        if tradition == "toba":
            return f"{rng.choice(CHRISTIAN_F if female else CHRISTIAN_M)} {rng.choice(BATAK_TOBA)}"
        if tradition == "muslim_batak":
            return f"{rng.choice(MUSLIM_F if female else MUSLIM_M)} {rng.choice(BATAK_MUSLIM)}"
        if tradition == "nias":
            return f"{rng.choice(CHRISTIAN_F if female else CHRISTIAN_M)} {rng.choice(NIAS)}"
        if tradition == "malay":
            first = rng.choice(MUSLIM_F if female else MUSLIM_M)
            return f"{first} {rng.choice(MALAY_F2 if female else MALAY_M2)}"
        first = rng.choice(JAVA_F if female else JAVA_M)
        return f"{first} {rng.choice(JAVA_F2 if female else JAVA_M2)}"

    def name(self, sex: str) -> str:
        for _ in range(50):
            candidate = self._one(sex)
            if candidate not in self.used:
                break
        self.used.add(candidate)
        return candidate


def _gelar(person: Person, sex: str, rng) -> tuple[str, str]:
    depan, belakang = _gelar_options(person, rng)
    if depan == "Drs." and sex == "P":
        depan = "Dra."
    return depan, belakang


def _gelar_options(person: Person, rng) -> tuple[str, str]:
    if person.jenis is J.FUNGSIONAL:
        terampil, ahli = JF_GELAR.get(person.base_title, ((), (("", "S.Sos."),)))
        options = ahli if person.jenjang.value.startswith("AHLI") else terampil
        return rng.choice(options) if options else ("", "")
    if person.jenis is J.PELAKSANA:
        g = person.golongan
        if g in ("II/a", "II/b", "V"):
            return ("", "")
        if g in ("II/c", "II/d", "VII"):
            return rng.choice((("", ""), ("", "A.Md."), ("", "A.Md.Kom."), ("", "A.Md.Ak.")))
        return ("", rng.choice(S1))
    return rng.choice(GELAR_PROFILES[person.profile or "struktural"])


def _sex(person: Person, rng) -> str:
    share = FEMALE_SHARE.get(person.base_title, 0.5)
    if person.jenis in (J.JPT, J.ADMINISTRATOR):
        share = 0.35
    return "P" if rng.random() < share else "L"


def fill(roster: Roster, rng, today: date) -> None:
    """Status, golongan, sex, name, gelar, birth and NIP of every planned person."""
    _pick_pppk(roster, rng)
    nips = _NipAllocator(rng, today)
    namer = _Namer(rng)
    for person in roster.people:
        person.golongan = _choose_golongan(person, rng)
        if person.jenis is J.FUNGSIONAL:
            person.jabatan = f"{person.base_title} {person.jenjang.label}"
        elif person.jenis is J.PELAKSANA:
            person.jabatan = pelaksana_title(person.golongan)
        sex = _sex(person, rng)
        person.name = namer.name(sex)
        person.gelar_depan, person.gelar_belakang = _gelar(person, sex, rng)
        birth = _birth(rng, *_birth_range(person))
        if person.status is EmployeeStatus.PPPK:
            person.nip = nips.pppk(birth, sex)
        else:
            fixed = NEW_EMPLOYEE_TMT if person.key == "pegawai_baru" else None
            person.nip = nips.pns(birth, sex, fixed)


# --- writing -------------------------------------------------------------------------------


def _insert_units(roster: Roster) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for spec, parent in roster.units:
        units[spec.code] = Unit.create(
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind.value,
            parent=units[parent] if parent else None,
            serves_public=spec.public,
        )
    return units


def _insert_people(roster: Roster, units: dict[str, Unit]) -> dict[str, int]:
    """Insert level by level (supervisors first); return the ids by NIP."""
    ids: dict[str, int] = {}
    for level in sorted({p.level for p in roster.people}):
        batch = [p for p in roster.people if p.level == level]
        rows = [
            p.row(
                units[p.unit_code].id,
                ids[roster.people[p.boss].nip] if p.boss is not None else None,
            )
            for p in batch
        ]
        for chunk in chunked(rows, CHUNK):
            Employee.insert_many(chunk).execute()
        for chunk in chunked([p.nip for p in batch], CHUNK):
            query = Employee.select(Employee.id, Employee.nip).where(Employee.nip.in_(chunk))
            ids.update({e.nip: e.id for e in query})
    return ids


def _insert_accounts(roster: Roster, ids: dict[str, int]) -> dict[str, int]:
    """One account per employee, sharing one hash of the demo password; ids by NIP."""
    from kinerja.demo import demo_password_hash

    password_hash = demo_password_hash()
    rows = [
        {
            "employee": ids[p.nip],
            "password_hash": password_hash,
            "must_change_password": p.key == "pegawai_baru",
            "session_nonce": secrets.token_hex(16),
        }
        for p in roster.people
    ]
    for chunk in chunked(rows, CHUNK):
        Account.insert_many(chunk).execute()
    by_employee = {a.employee_id: a.id for a in Account.select(Account.id, Account.employee)}
    return {nip: by_employee[employee_id] for nip, employee_id in ids.items()}


def seed_org(ctx) -> None:
    """Step 1 of the demo: units, employees, accounts, roles and the Plt example."""
    roster = plan()
    fill(roster, ctx.rng, ctx.today)

    ctx.units.update(_insert_units(roster))
    ids = _insert_people(roster, ctx.units)
    accounts = _insert_accounts(roster, ids)

    named = {p.key: p.nip for p in roster.people if p.key}
    by_nip = {e.nip: e for e in Employee.select().where(Employee.nip.in_(list(named.values())))}
    ctx.people.update({key: by_nip[nip] for key, nip in named.items()})

    AccountRole.insert_many(
        [
            {"account": accounts[named["admin"]], "role": Role.ADMIN.value},
            {"account": accounts[named["auditor"]], "role": Role.AUDITOR.value},
        ]
    ).execute()

    plt = ctx.people["plt"]
    kabid = Employee.get_by_id(plt.supervisor_id)
    if kabid.unit_id != ctx.units[PLT_FOR_UNIT].id:
        raise RuntimeError("Struktur demo tidak sesuai: Plt harus kepala seksi di bawah kabid.")
    start, end = ctx.today - PLT_BEFORE, ctx.today + PLT_AFTER
    ActingOfficial.create(
        acting=plt,
        for_employee=kabid,
        kind=ActingKind.PLT.value,
        start=start,
        end=end,
        note=f"Plt. {kabid.jabatan} selama pejabat definitif menjalani cuti besar (data demo).",
    )

    pppk = sum(p.status is EmployeeStatus.PPPK for p in roster.people)
    opd_count = sum(1 for spec, parent in roster.units if parent is None)
    ctx.counts.update(units=len(roster.units), employees=len(roster.people), pppk=pppk)
    ctx.summary += [
        f"{opd_count} perangkat daerah dengan bidang/UPT dan seksi ({len(roster.units)} unit)",
        f"{len(roster.people) - pppk} PNS dan {pppk} PPPK; setiap pegawai punya satu akun",
        f"Plt. {kabid.jabatan} ({kabid.full_name} cuti besar): {plt.full_name}, "
        f"{plt.jabatan}, {start:%d-%m-%Y} s.d. {end:%d-%m-%Y}",
    ]
