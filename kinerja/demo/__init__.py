"""The Kota Sibolga demo data set (docs/spec/sibolga.md): what ``make run`` loads.

``seed()`` runs every step of :data:`STEPS` inside one transaction on an empty database,
marks it as a demo database (Setting ``demo_data``) and records the named demo people
(Setting ``demo_people``: ``{key: nip}``) so that later commands can find them with
:func:`demo_person`. It refuses a database that already holds non-demo data and changes
nothing on a database that already holds the demo.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as time_of_day

from peewee import PeeweeException

from kinerja import passwords
from kinerja.clock import DEFAULT_PINNED_TIME, WIB, as_aware_utc, today_wib, utcnow
from kinerja.db import write_tx
from kinerja.demo import evaluation as demo_evaluation
from kinerja.demo import kiosk as demo_kiosk
from kinerja.demo import org, public, skp
from kinerja.demo import pulse as demo_pulse
from kinerja.demo import service as demo_service
from kinerja.demo import training as demo_training
from kinerja.models.account import Account
from kinerja.models.org import Employee, Unit
from kinerja.models.system import Setting
from kinerja.nip import format_nip
from kinerja.services import audit

DEMO_PASSWORD = "Sibolga2026demo"
DEMO_FLAG_KEY = "demo_data"
DEMO_PEOPLE_KEY = "demo_people"
DEFAULT_SEED = 2026
_password_hash: list[str] = []


def demo_password_hash() -> str:
    """The one Argon2 hash of the demo password that every demo account shares; computed
    once, before the loading transaction opens (hashing is slow work)."""
    if not _password_hash:
        _password_hash.append(passwords.hash_password(DEMO_PASSWORD))
    return _password_hash[0]


MSG_REFUSED = (
    "Basis data sudah berisi data non-demo; seed-demo dibatalkan agar data asli tidak tercampur."
)
MSG_NOT_LOADED = "Data demo belum dimuat. Jalankan `make run` atau `flask seed-demo`."
DEMO_WARNING = (
    "PERHATIAN: seluruh pegawai, unit dan nilai di atas adalah DATA DEMO, bukan data resmi "
    "Pemerintah Kota Sibolga."
)


class DemoRefused(RuntimeError):
    """The database holds non-demo data, so the demo is not loaded into it."""

    def __init__(self, message: str = MSG_REFUSED) -> None:
        super().__init__(message)


@dataclass
class DemoContext:
    """What the seeding steps share: the seeded random generator, today, and what the
    earlier steps created (units by code, named people by key, summary lines)."""

    rng: random.Random
    today: date
    seed: int = DEFAULT_SEED
    now: datetime | None = None  # naive UTC; defaults to 10.00 WIB on ``today``
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Employee] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.now is None:
            self.now = as_aware_utc(
                datetime.combine(self.today, DEFAULT_PINNED_TIME, tzinfo=WIB)
            ).replace(tzinfo=None)

    def at(self, day: date, hour: int = 9) -> datetime:
        """A naive-UTC moment at ``hour`` WIB on ``day``, never later than now: the story
        is told relative to today, so an event it places after today happens "just now"."""
        moment = as_aware_utc(datetime.combine(day, time_of_day(hour), tzinfo=WIB)).replace(
            tzinfo=None
        )
        return min(moment, self.now)


# The seeding steps, in order. Later features append their own step here (SKP, evaluation,
# kiosk, service…); each takes the DemoContext and may use what earlier steps created.
STEPS: list[Callable[[DemoContext], None]] = [org.seed_org, skp.seed_skp]
STEPS.append(demo_evaluation.seed_evaluation)  # after SKP: periods, approved SKPs
STEPS.append(demo_service.seed_service)  # after org (and SKP: links an indicator)
STEPS.append(demo_kiosk.seed_kiosk)
STEPS.append(demo_training.seed_training)  # after evaluation: plans and final results
STEPS.append(demo_pulse.seed_pulse)  # after SKP: the closed quarters
STEPS.append(public.seed_public)  # publishes the snapshots: keep last


@dataclass(frozen=True)
class DemoLogin:
    """A named demo person to log in as, with the role they demonstrate."""

    key: str
    role_label: str
    description: str


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("admin", "Admin BKPSDM", "Mengelola pegawai, unit, periode dan pengaturan."),
    DemoLogin("auditor", "Auditor Inspektorat", "Membaca log audit dan laporan (hanya baca)."),
    DemoLogin("sekda", "Sekretaris Daerah", "Puncak rantai atasan; menilai kepala OPD."),
    DemoLogin("kadis_dukcapil", "Kepala Dinas (JPT)", "Kepala Disdukcapil."),
    DemoLogin("kabid_pdp", "Kepala Bidang", "Kabid Pelayanan Pendaftaran Penduduk."),
    DemoLogin("kasi_identitas", "Kepala Seksi", "Pejabat Penilai petugas loket KTP-el."),
    DemoLogin("plt", "Plt. Kepala Bidang", "Kasi yang menjadi Plt. Kabid Pencatatan Sipil."),
    DemoLogin("pelaksana", "Pelaksana", "Petugas loket Disdukcapil; pegawai yang dinilai."),
    DemoLogin("rekan1", "Rekan kerja 1", "Rekan setingkat petugas loket."),
    DemoLogin("rekan2", "Rekan kerja 2", "Rekan setingkat petugas loket."),
    DemoLogin("rekan3", "Rekan kerja 3", "Rekan setingkat petugas loket."),
    DemoLogin("pegawai_baru", "Pegawai baru", "Wajib mengganti kata sandi saat pertama masuk."),
    DemoLogin("pppk", "Pegawai PPPK", "Pegawai PPPK (NI PPPK) di puskesmas."),
    DemoLogin("kapus", "Kepala Puskesmas", "Kepala UPTD Puskesmas Aek Habil."),
]


@dataclass
class DemoSummary:
    """What ``seed()`` did (or found), for the command line."""

    already_loaded: bool
    units: int
    employees: int
    accounts: int
    lines: list[str] = field(default_factory=list)
    logins: str = ""
    seed: int | None = None
    seconds: float | None = None

    def text(self) -> str:
        """A readable Indonesian summary: counts, notes of the steps, the login table."""
        if self.already_loaded:
            out = ["Data demo Kota Sibolga sudah dimuat sebelumnya; tidak ada yang diubah."]
        else:
            took = f" dalam {self.seconds:.1f} detik".replace(".", ",") if self.seconds else ""
            out = [f"Data demo Kota Sibolga dimuat (benih {self.seed}){took}."]
        out.append(
            f"Unit organisasi: {self.units} · Pegawai: {self.employees} · Akun: {self.accounts}"
        )
        out += [f"- {line}" for line in self.lines]
        out += ["", "Akun demo:", self.logins, "", DEMO_WARNING]
        return "\n".join(out)


# --- settings --------------------------------------------------------------------------------


def _get_setting(key: str):
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return None
    try:
        return json.loads(row.value)
    except ValueError:
        return None


def _set_setting(key: str, value) -> None:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        Setting.create(key=key, value=text)
    else:
        row.value = text
        row.updated_at = utcnow()
        row.save()


def is_demo_database() -> bool:
    """Whether the database holds the demo data set (Setting ``demo_data`` is true)."""
    try:
        return _get_setting(DEMO_FLAG_KEY) is True
    except PeeweeException:
        return False


def demo_people() -> dict[str, str]:
    """The named demo people, ``{key: nip}`` (empty when the demo is not loaded)."""
    value = _get_setting(DEMO_PEOPLE_KEY)
    return value if isinstance(value, dict) else {}


def demo_person(key: str) -> Employee:
    """The employee of a named demo person ("pelaksana", "kasi_identitas"…)."""
    nip = demo_people().get(key)
    employee = Employee.get_or_none(Employee.nip == nip) if nip else None
    if employee is None:
        raise LookupError(f"Orang demo {key!r} tidak ditemukan; apakah data demo sudah dimuat?")
    return employee


# --- seeding -------------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {
        "units": Unit.select().count(),
        "employees": Employee.select().count(),
        "accounts": Account.select().count(),
    }


def seed(seed: int = DEFAULT_SEED) -> DemoSummary:
    """Load the demo into an empty database (all steps in one transaction).

    Raises :class:`DemoRefused` when the database holds non-demo data; returns a summary
    saying so, and changes nothing, when the demo is already loaded.
    """
    started = time.perf_counter()
    demo_password_hash()
    with write_tx():
        if Employee.select().exists() or Unit.select().exists():
            if not is_demo_database():
                raise DemoRefused()
            counts = _counts()
            return DemoSummary(already_loaded=True, logins=login_table(), **counts)

        ctx = DemoContext(rng=random.Random(seed), today=today_wib(), seed=seed, now=utcnow())
        for step in STEPS:
            step(ctx)
        _set_setting(DEMO_FLAG_KEY, True)
        _set_setting(DEMO_PEOPLE_KEY, {key: e.nip for key, e in ctx.people.items()})
        counts = _counts()
        audit.record(
            "demo.seeded",
            actor_label="sistem",
            object_type="demo",
            after={**counts, **ctx.counts, "seed": seed},
        )
        logins = login_table()
    return DemoSummary(
        already_loaded=False,
        lines=list(ctx.summary),
        logins=logins,
        seed=seed,
        seconds=time.perf_counter() - started,
        **counts,
    )


# --- the login table ---------------------------------------------------------------------------


def _unit_label(unit: Unit, units: dict[int, Unit]) -> str:
    top = unit
    while top.parent_id is not None and top.parent_id in units:
        top = units[top.parent_id]
    if top.id == unit.id:
        return unit.display_name
    return f"{unit.display_name} ({top.display_name})"


def _demo_password_state(account: Account | None) -> str:
    """What the table says about an account's password: the demo password only while the
    stored hash still matches it (one Argon2 check, only for the listed demo logins)."""
    if account is None:
        return "(tanpa akun)"
    if not passwords.verify_password(account.password_hash, DEMO_PASSWORD):
        return "(kata sandi sudah diganti)"
    if account.must_change_password:
        return f"{DEMO_PASSWORD} (wajib diganti)"
    return DEMO_PASSWORD


def login_table() -> str:
    """The demo logins as a plain-text table (role, NIP, name, unit, password)."""
    people = demo_people()
    if not people:
        return MSG_NOT_LOADED
    employees = {e.nip: e for e in Employee.select().where(Employee.nip.in_(list(people.values())))}
    accounts = {
        a.employee_id: a
        for a in Account.select(
            Account.id, Account.employee, Account.password_hash, Account.must_change_password
        ).where(Account.employee.in_([e.id for e in employees.values()]))
    }
    units = {u.id: u for u in Unit.select()}
    header = ("Peran", "NIP", "Nama", "Unit", "Kata sandi")
    rows = []
    for login in DEMO_LOGINS:
        employee = employees.get(people.get(login.key, ""))
        if employee is None:
            continue
        password = _demo_password_state(accounts.get(employee.id))
        rows.append(
            (
                login.role_label,
                format_nip(employee.nip, employee.status),
                employee.full_name,
                _unit_label(units[employee.unit_id], units),
                password,
            )
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line("-" * w for w in widths), *map(line, rows)])
