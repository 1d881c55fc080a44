"""The demo organisation of Kota Sibolga: units, ~300 employees, accounts, one Plt.

Everything here is DEMO DATA (docs/spec/sibolga.md): the unit tree (``sibolga_units.json``)
follows a typical Pemda structure, not Sibolga's official one, and every person is invented
(names and gelar from ``sibolga_people.json``). The roster is built from the
context's seeded random generator only, so the same seed gives the same units, names and
NIPs; dates that must stay relative to today (the Plt period) use ``ctx.today``.

Shape: one tree per OPD (OPD → bidang/UPT → seksi). Each unit has a head whose supervisor
is the head of the parent unit; the heads of the OPD report to the Sekretaris Daerah, who
tops the chain. Staff (pelaksana and fungsional) report to the head of their own unit.

The units are written directly (the roster import does not create units); the people are
written as a roster file with the template's columns and loaded by the real roster import
(:mod:`kinerja.imports.roster`); accounts, roles and the Plt follow.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from peewee import chunked

from kinerja.enums import ActingKind, EmployeeStatus, JenisJabatan, Jenjang, Role, UnitKind
from kinerja.formatting import csv_text
from kinerja.imports import roster as roster_import
from kinerja.imports import roster_parse
from kinerja.imports.roster_parse import TEMPLATE_HEADER
from kinerja.models.account import Account, AccountRole
from kinerja.models.org import ActingOfficial, Employee, Unit
from kinerja.nip import make_ni_pppk, make_nip
from kinerja.ranks import TYPICAL_GOLONGAN, golongan_codes

J = JenisJabatan
PPPK_SHARE = 0.10
PPPK_CODE = 21
CHUNK = 100
DEMO_ROSTER_NAME = "demo-daftar-pegawai.csv"

# --- the unit tree -------------------------------------------------------------------------


UNITS_FILE = Path(__file__).with_name("sibolga_units.json")
# The head of a unit by its kind, unless the data file says otherwise.
DEFAULT_HEAD = {
    UnitKind.OPD: J.JPT,
    UnitKind.BIDANG: J.ADMINISTRATOR,
    UnitKind.UPT: J.PENGAWAS,
    UnitKind.SEKSI: J.PENGAWAS,
}


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


def load_tree(path: Path = UNITS_FILE) -> tuple[UnitSpec, ...]:
    """The unit tree of the demo, read from its data file (``sibolga_units.json``)."""
    with path.open(encoding="utf-8") as handle:
        return tuple(_unit(entry) for entry in json.load(handle)["units"])


def _unit(entry: dict) -> UnitSpec:
    kind = UnitKind(entry["kind"])
    return UnitSpec(
        code=entry["code"],
        name=entry["name"],
        kind=kind,
        head_jenis=J(entry.get("head_jenis", DEFAULT_HEAD[kind])),
        short_name=entry.get("short_name", ""),
        head_title=entry.get("head_title", ""),
        head_profile=entry.get("head_profile", "struktural"),
        head_key=entry.get("head_key"),
        public=entry.get("public", False),
        staff=tuple(_staff(item) for item in entry.get("staff", ())),
        children=tuple(_unit(child) for child in entry.get("children", ())),
    )


def _staff(item: dict) -> Staff:
    """Staff with a title are fungsional of that title and jenjang; without one, pelaksana."""
    keys = tuple(item.get("keys", ()))
    if "title" in item:
        return Staff(item["count"], J.FUNGSIONAL, item["title"], Jenjang(item["jenjang"]), keys)
    return Staff(item["count"], J.PELAKSANA, keys=keys)


# The Plt example: the head of this seksi stands in for the head of its bidang.
PLT_FOR_UNIT = "DISDUKCAPIL.CAPIL"
PLT_BEFORE = timedelta(days=30)
PLT_AFTER = timedelta(days=61)

# --- names and gelar -----------------------------------------------------------------------

PEOPLE_FILE = Path(__file__).with_name("sibolga_people.json")


@dataclass(frozen=True)
class Naming:
    """Names and gelar of the demo people, read from ``sibolga_people.json``: the naming
    traditions found in Sibolga, weighed (a demo guess, not statistics), and the gelar
    options by head profile and by functional title."""

    traditions: tuple[dict, ...]
    names: dict[str, tuple[str, ...]]
    s1: tuple[str, ...]
    gelar_profiles: dict[str, tuple[tuple[str, str], ...]]
    jf_gelar: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]
    female_share: dict[str, float]


def _pairs(items) -> tuple[tuple[str, str], ...]:
    return tuple((depan, belakang) for depan, belakang in items)


@cache
def naming(path: Path = PEOPLE_FILE) -> Naming:
    """The names and gelar data file, read once."""
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return Naming(
        traditions=tuple(data["traditions"]),
        names={key: tuple(values) for key, values in data["names"].items()},
        s1=tuple(data["s1"]),
        gelar_profiles={k: _pairs(v) for k, v in data["gelar_profiles"].items()},
        jf_gelar={k: (_pairs(t), _pairs(a)) for k, (t, a) in data["jf_gelar"].items()},
        female_share=dict(data["female_share"]),
    )


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

    def roster_row(self, supervisor_nip: str) -> tuple:
        """This person as one row under the roster template's headings."""
        return (
            self.nip,
            self.name,
            self.gelar_depan,
            self.gelar_belakang,
            self.jabatan,
            self.jenis.value,
            self.jenjang.value if self.jenjang else "",
            self.golongan,
            self.status.value,
            self.unit_code,
            supervisor_nip,
            "ya",
        )


@dataclass
class Roster:
    """Everything ``seed_org`` builds before writing it."""

    units: list[tuple[UnitSpec, str | None]] = field(default_factory=list)  # (spec, parent)
    people: list[Person] = field(default_factory=list)


def plan(tree: tuple[UnitSpec, ...] | None = None) -> Roster:
    """The units and positions of the demo (no random choices yet)."""
    tree = load_tree() if tree is None else tree
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
        self.data = naming()
        self.traditions = self.data.traditions
        self.weights = [t["weight"] for t in self.traditions]

    def _one(self, sex: str) -> str:
        rng = self.rng
        tradition = rng.choices(self.traditions, self.weights)[0]
        given = rng.choice(self.data.names[tradition["given"][sex]])
        return f"{given} {rng.choice(self.data.names[tradition['family'][sex]])}"

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
        terampil, ahli = naming().jf_gelar.get(person.base_title, ((), (("", "S.Sos."),)))
        options = ahli if person.jenjang.value.startswith("AHLI") else terampil
        return rng.choice(options) if options else ("", "")
    if person.jenis is J.PELAKSANA:
        g = person.golongan
        if g in ("II/a", "II/b", "V"):
            return ("", "")
        if g in ("II/c", "II/d", "VII"):
            return rng.choice((("", ""), ("", "A.Md."), ("", "A.Md.Kom."), ("", "A.Md.Ak.")))
        return ("", rng.choice(naming().s1))
    return rng.choice(naming().gelar_profiles[person.profile or "struktural"])


def _sex(person: Person, rng) -> str:
    share = naming().female_share.get(person.base_title, 0.5)
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


def roster_file(roster: Roster) -> bytes:
    """The demo's people as the CSV an admin uploads (the roster template's columns),
    supervisors before their staff so the ids follow the levels of the tree."""
    rows = []
    for level in sorted({p.level for p in roster.people}):
        for person in roster.people:
            if person.level != level:
                continue
            boss = roster.people[person.boss].nip if person.boss is not None else ""
            rows.append(person.roster_row(boss))
    return csv_text(TEMPLATE_HEADER, rows).encode("utf-8")


def _import_people(roster: Roster) -> dict[str, int]:
    """Load the people through the real roster import; return the ids by NIP."""
    rows = roster_parse.parse(roster_file(roster), DEMO_ROSTER_NAME)
    report = roster_import.apply(rows, filename=DEMO_ROSTER_NAME)
    if report.errors or len(report.new) != len(roster.people):
        raise RuntimeError(f"Daftar pegawai demo ditolak impor: {report.errors[:3]}")
    return dict(Employee.select(Employee.nip, Employee.id).tuples())


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
    ids = _import_people(roster)
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
