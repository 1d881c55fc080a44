"""Scale data generator: a whole (fictional) city for benchmarks and load tests.

``flask --app portal gen-data --employees 5000 --months 24 --kiosk-answers 1000000
--requests 200000 --seed 1`` fills an EMPTY database, deterministically by seed, with data
that is valid by the domain's rules:

- org: a Sekda over the OPD heads, each OPD with bidang and seksi (public-service OPDs also
  with UPT); a complete supervisor chain (JPT → Administrator → Pengawas → staff); valid,
  unique NIPs (TMT at least 21 years after birth, never in the future); one account each
  (one shared hash of the demo password), an admin and an auditor;
- periods: every year the months span, annual + quarters; past quarters closed, the
  current one open, settings frozen as when a period opens;
- skp: an approved SKP per employee with a supervisor and year (one Utama RHK, two
  indicators) and a realisation per closed quarter;
- evaluation: a final (or acknowledged) evaluation per employee and closed quarter, the
  predikat taken from the kuadran (``scoring.predikat_for``); open ones for the current one;
- service: service types of the public units and their requests (received on working
  hours, completed within a few days, never in the future);
- kiosk: one kiosk per public unit and the SKM answers (day/hour in WIB, unique ids).

Each area is one function in :data:`AREAS` taking the shared :class:`GenContext`; a new
area appends its own. Rows go in with ``executemany`` in chunks, one transaction per area;
on SQLite the load runs with ``synchronous=OFF`` and a large cache, restored afterwards.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kinerja import settings
from kinerja.clock import today_wib
from kinerja.db import database, is_postgres, is_sqlite, write_tx
from kinerja.enums import PeriodKind, PeriodStatus, Rating, Role
from kinerja.models.account import Account, AccountRole
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.nip import make_nip
from kinerja.scoring import predikat_for

WIB = timedelta(hours=7)
GEN_FLAG_KEY = "generated_data"


class GenRefused(RuntimeError):
    """The database is not empty; the generator only fills an empty one."""


@dataclass(frozen=True)
class GenSpec:
    """Sizes and seed of a generated data set."""

    employees: int = 5000
    months: int = 24
    kiosk_answers: int = 1_000_000
    requests: int = 200_000
    seed: int = 1
    today: date | None = None


@dataclass
class Person:
    id: int
    unit_id: int
    supervisor_id: int | None
    jenis: str


@dataclass
class GenContext:
    """What the areas share: the spec, the seeded generator and what earlier areas made."""

    spec: GenSpec
    rng: random.Random
    today: date
    now: datetime
    units: list[tuple[int, str, bool]] = field(default_factory=list)  # (id, code, public)
    people: list[Person] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    skp_by: dict[tuple[int, int], int] = field(default_factory=dict)  # (employee, year) → id
    counts: dict[str, int] = field(default_factory=dict)
    log: Callable[[str], None] = print

    @property
    def start(self) -> date:
        """First day of the span: ``months`` whole months before the current month."""
        month = self.today.year * 12 + self.today.month - 1 - self.spec.months
        return date(month // 12, month % 12 + 1, 1)

    def public_units(self) -> list[int]:
        return [uid for uid, _, public in self.units if public]


# --- bulk writing ---------------------------------------------------------------------------


def _value(v):
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, date):
        return v.isoformat()
    return v


def bulk(model, columns: Sequence[str], rows: Iterable[Sequence], chunk: int = 2000) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``model``'s table; return the count.

    Uses the driver's executemany (SQLite) or ``execute_values`` (PostgreSQL): peewee's
    query builder costs more than the database for millions of rows.
    """
    table = model._meta.table_name
    # Columns not given get the model's default (defaults live in Python, not the schema).
    extra = [
        (name, f.default() if callable(f.default) else f.default)
        for name, f in model._meta.fields.items()
        if name not in columns and f.default is not None and not f.primary_key
    ]
    columns = [*columns, *(name for name, _ in extra)]
    defaults = tuple(
        _value(f.db_value(v))
        for (_, v), f in zip(extra, (model._meta.fields[n] for n, _ in extra), strict=True)
    )
    names = ", ".join(f'"{model._meta.fields[c].column_name}"' for c in columns)
    total = 0
    batch: list[tuple] = []

    def flush():
        nonlocal total
        if not batch:
            return
        if is_postgres():
            from psycopg2.extras import execute_values

            cursor = database.cursor()
            execute_values(
                cursor, f'INSERT INTO "{table}" ({names}) VALUES %s', batch, page_size=1000
            )
        else:
            marks = ", ".join("?" for _ in columns)
            database.cursor().executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})', batch
            )
        total += len(batch)
        batch.clear()

    for row in rows:
        batch.append(tuple(_value(v) for v in row) + defaults)
        if len(batch) >= chunk:
            flush()
    flush()
    return total


def _reset_sequences(models) -> None:
    """After explicit ids on PostgreSQL, move each id sequence past the highest id."""
    if not is_postgres():
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    """Naive UTC of a WIB wall-clock time."""
    return datetime(day.year, day.month, day.day, hour, minute) - WIB


def _workdays(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


# --- org ----------------------------------------------------------------------------------------

STAFF_PER_SEKSI = 10
GOLONGAN_PELAKSANA = ("II/a", "II/b", "II/c", "II/d", "III/a", "III/b")
FIRST = ("Ahmad", "Budi", "Citra", "Dewi", "Eka", "Fitri", "Gilang", "Hana", "Intan", "Joko")
LAST = ("Siregar", "Hutabarat", "Pasaribu", "Simatupang", "Nasution", "Lubis", "Sinaga")


class _Nips:
    """Unique, valid NIPs: TMT 21–30 years after birth, never after ``today``."""

    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today, self.used = rng, today, set()

    def make(self, first_birth_year: int, last_birth_year: int) -> str:
        rng = self.rng
        while True:
            birth = date(rng.randint(first_birth_year, last_birth_year), 1, 1) + timedelta(
                days=rng.randrange(365)
            )
            tmt_year = min(birth.year + rng.randint(21, 30), self.today.year - 1)
            nip = make_nip(
                birth, tmt_year, rng.randint(1, 12), rng.choice("LP"), rng.randint(1, 999)
            )
            if nip not in self.used:
                self.used.add(nip)
                return nip


def gen_org(ctx: GenContext) -> None:
    """Units, employees (supervisor chain), accounts, admin and auditor."""
    rng, total = ctx.rng, ctx.spec.employees
    # Per OPD: head + 3 kabid + 6 kasi + 6 × STAFF_PER_SEKSI staff ≈ 70 people.
    n_opd = max(1, round((total - 1) / (10 + 6 * STAFF_PER_SEKSI)))
    unit_rows, uid = [], 0

    def unit(code, name, kind, parent, public):
        nonlocal uid
        uid += 1
        unit_rows.append((uid, code, name, "", kind, parent, public, True, ctx.now))
        ctx.units.append((uid, code, public))
        return uid

    setda = unit("SETDA", "Sekretariat Daerah", "OPD", None, False)
    layout = []  # (opd_id, [(bidang_id, [seksi_id, ...]), ...])
    for o in range(1, n_opd + 1):
        public = o % 5 in (1, 3)  # two in five OPDs serve the public
        opd = unit(f"OPD{o:03d}", f"Dinas Uji {o}", "OPD", None, public)
        bidangs = []
        for b in range(1, 4):
            kind = "UPT" if public and b == 3 else "BIDANG"
            bid = unit(f"OPD{o:03d}.B{b}", f"Bidang {b} Dinas Uji {o}", kind, opd, public)
            seksis = [
                unit(
                    f"OPD{o:03d}.B{b}.S{s}",
                    f"Seksi {s} Bidang {b} Dinas Uji {o}",
                    "SEKSI",
                    bid,
                    public,
                )
                for s in (1, 2)
            ]
            bidangs.append((bid, seksis))
        layout.append((opd, bidangs))
    bulk(
        Unit,
        [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "serves_public",
            "active",
            "created_at",
        ],
        unit_rows,
    )

    nips = _Nips(rng, ctx.today)
    rows: list[tuple] = []

    def person(unit_id, supervisor, jenis, golongan, jabatan, births):
        pid = len(rows) + 1
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {pid}"
        rows.append(
            (
                pid,
                nips.make(*births),
                name,
                jabatan,
                jenis,
                golongan,
                "PNS",
                unit_id,
                supervisor,
                True,
                ctx.now,
                ctx.now,
            )
        )
        ctx.people.append(Person(pid, unit_id, supervisor, jenis))
        return pid

    sekda = person(setda, None, "JPT", "IV/d", "Sekretaris Daerah", (1968, 1972))
    heads, kasis = [], []
    for opd, bidangs in layout:
        head = person(opd, sekda, "JPT", "IV/c", "Kepala Dinas", (1968, 1975))
        heads.append(head)
        for bid, seksis in bidangs:
            kabid = person(bid, head, "ADMINISTRATOR", "IV/a", "Kepala Bidang", (1970, 1980))
            for seksi_id in seksis:
                kasis.append(
                    (
                        seksi_id,
                        person(seksi_id, kabid, "PENGAWAS", "III/d", "Kepala Seksi", (1975, 1988)),
                    )
                )
    i = 0
    while len(rows) < total:
        seksi_id, kasi = kasis[i % len(kasis)]
        person(
            seksi_id,
            kasi,
            "PELAKSANA",
            rng.choice(GOLONGAN_PELAKSANA),
            "Pengadministrasi Umum",
            (1975, 1998),
        )
        i += 1
    rows.sort(key=lambda r: r[0])
    bulk(
        Employee,
        [
            "id",
            "nip",
            "name",
            "jabatan",
            "jenis_jabatan",
            "golongan",
            "status",
            "unit",
            "supervisor",
            "active",
            "created_at",
            "updated_at",
        ],
        rows,
    )

    from kinerja.demo import demo_password_hash

    password_hash = demo_password_hash()
    bulk(
        Account,
        [
            "id",
            "employee",
            "password_hash",
            "must_change_password",
            "session_nonce",
            "active",
            "created_at",
        ],
        (
            (p.id, p.id, password_hash, False, f"{rng.getrandbits(128):032x}", True, ctx.now)
            for p in ctx.people
        ),
    )
    staff = [p.id for p in ctx.people if p.jenis == "PELAKSANA"]
    admin, auditor = staff[0], staff[1]
    bulk(
        AccountRole,
        ["account", "role", "granted_at"],
        [(admin, Role.ADMIN.value, ctx.now), (auditor, Role.AUDITOR.value, ctx.now)],
    )
    _reset_sequences([Unit, Employee, Account])
    ctx.counts.update(units=len(unit_rows), employees=len(rows), accounts=len(rows))


# --- periods ------------------------------------------------------------------------------------


def gen_periods(ctx: GenContext) -> None:
    """Annual periods and quarters for every year of the span, statuses as of today."""
    from kinerja.services.periods import RATING_DAYS, REALISATION_DAYS, SELF_ASSESSMENT_DAYS

    frozen = json.dumps(settings.current(), sort_keys=True)
    for year in range(ctx.start.year, ctx.today.year + 1):
        spans = [(PeriodKind.TAHUNAN, 0, date(year, 1, 1), date(year, 12, 31), f"Tahunan {year}")]
        for q in range(1, 5):
            end = date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
            spans.append(
                (PeriodKind.TRIWULAN, q, date(year, 3 * q - 2, 1), end, f"Triwulan {q} {year}")
            )
        for kind, number, start, end, name in spans:
            if end < ctx.today:
                status = PeriodStatus.DITUTUP
            elif start <= ctx.today:
                status = PeriodStatus.DIBUKA
            else:
                status = PeriodStatus.DIRENCANAKAN
            opened = status is not PeriodStatus.DIRENCANAKAN
            ctx.periods.append(
                Period.create(
                    year=year,
                    kind=kind.value,
                    number=number,
                    name=name,
                    start=start,
                    end=end,
                    status=status.value,
                    skp_deadline=date(year, 1, 31) if kind is PeriodKind.TAHUNAN else None,
                    realisation_deadline=end + timedelta(days=REALISATION_DAYS),
                    self_assessment_deadline=end + timedelta(days=SELF_ASSESSMENT_DAYS),
                    rating_deadline=end + timedelta(days=RATING_DAYS),
                    frozen_settings=frozen if opened else "",
                    opened_at=datetime.combine(start, datetime.min.time()) if opened else None,
                    closed_at=datetime.combine(end, datetime.min.time())
                    + timedelta(days=RATING_DAYS)
                    if status is PeriodStatus.DITUTUP
                    else None,
                )
            )
    ctx.counts["periods"] = len(ctx.periods)


def _quarters(ctx: GenContext, *statuses: PeriodStatus) -> list[Period]:
    wanted = {s.value for s in statuses}
    return [
        p
        for p in ctx.periods
        if p.kind == PeriodKind.TRIWULAN.value and p.status in wanted and p.end >= ctx.start
    ]


# --- SKP ----------------------------------------------------------------------------------------


def gen_skp(ctx: GenContext) -> None:
    """Approved SKPs (one Utama RHK, two indicators) and realisations per closed quarter."""
    from kinerja.models.skp import Indicator, Realisation, Rhk, Skp

    years = sorted({p.year for p in ctx.periods})
    rated = [p for p in ctx.people if p.supervisor_id is not None]
    skps, rhks, indicators = [], [], []
    ind_of: dict[int, list[int]] = {}
    for year in years:
        approved = datetime(year, 1, 20, 2, 0)
        for p in rated:
            sid = len(skps) + 1
            skps.append(
                (
                    sid,
                    p.id,
                    year,
                    "KUANTITATIF",
                    "DISETUJUI",
                    1,
                    p.supervisor_id,
                    approved - timedelta(days=5),
                    approved,
                    p.supervisor_id,
                    approved,
                    approved,
                )
            )
            ctx.skp_by[(p.id, year)] = sid
            rhks.append((sid, sid, "UTAMA", 1, "Terlaksananya tugas pelayanan unit sesuai standar"))
            first = len(indicators) + 1
            indicators.append(
                (
                    first,
                    sid,
                    1,
                    "Jumlah berkas yang diselesaikan",
                    "KUANTITAS",
                    "100.00",
                    "berkas",
                    "HIGHER_BETTER",
                )
            )
            indicators.append(
                (
                    first + 1,
                    sid,
                    2,
                    "Persentase berkas tepat waktu",
                    "WAKTU",
                    "100.00",
                    "persen",
                    "HIGHER_BETTER",
                )
            )
            ind_of[sid] = [first, first + 1]
    bulk(
        Skp,
        [
            "id",
            "employee",
            "year",
            "approach",
            "status",
            "version",
            "pejabat_penilai",
            "submitted_at",
            "approved_at",
            "approved_by",
            "created_at",
            "updated_at",
        ],
        skps,
    )
    bulk(Rhk, ["id", "skp", "kind", "position", "text"], rhks)
    bulk(
        Indicator,
        ["id", "rhk", "position", "text", "aspek", "target_value", "target_unit", "direction"],
        indicators,
    )
    rng = ctx.rng
    closed = _quarters(ctx, PeriodStatus.DITUTUP)

    def realisations():
        for period in closed:
            for p in rated:
                sid = ctx.skp_by.get((p.id, period.year))
                for ind in ind_of.get(sid, ()):
                    yield (
                        ind,
                        period.id,
                        f"{rng.randint(80, 125)}.00",
                        "Sesuai laporan bulanan",
                        "",
                    )

    n = bulk(
        Realisation, ["indicator", "period", "value", "narrative", "evidence_link"], realisations()
    )
    _reset_sequences([Skp, Rhk, Indicator])
    ctx.counts.update(skp=len(skps), indicators=len(indicators), realisations=n)


# --- evaluation ---------------------------------------------------------------------------------

RATINGS = (Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI)
RATING_WEIGHTS = (0.2, 0.72, 0.08)


def gen_evaluation(ctx: GenContext) -> None:
    """Final evaluations for closed quarters, open ones for the current quarter."""
    from kinerja.models.evaluation import Evaluation

    rng = ctx.rng
    rated = [p for p in ctx.people if p.supervisor_id is not None]

    def rows():
        for period in _quarters(ctx, PeriodStatus.DITUTUP):
            rated_at = datetime.combine(period.end, datetime.min.time()) + timedelta(
                days=15, hours=2
            )
            final_at = rated_at + timedelta(days=3)
            for p in rated:
                hasil, perilaku = rng.choices(RATINGS, RATING_WEIGHTS, k=2)
                result = predikat_for(hasil, perilaku)
                acknowledged = rng.random() < 0.7
                yield (
                    p.id,
                    period.id,
                    ctx.skp_by[(p.id, period.year)],
                    p.unit_id,
                    "DITERIMA" if acknowledged else "FINAL",
                    rated_at - timedelta(days=5),
                    hasil.value,
                    "Sesuai capaian indikator dan bukti dukung.",
                    perilaku.value,
                    "Sesuai pengamatan atasan selama periode.",
                    result.predikat.value,
                    result.explanation,
                    False,
                    p.supervisor_id,
                    rated_at,
                    p.supervisor_id,
                    final_at,
                    period.end + timedelta(days=32),
                    final_at + timedelta(days=2) if acknowledged else None,
                    datetime.combine(period.start, datetime.min.time()),
                    final_at,
                )
        for period in _quarters(ctx, PeriodStatus.DIBUKA):
            opened = datetime.combine(period.start, datetime.min.time())
            for p in rated:
                yield (
                    p.id,
                    period.id,
                    ctx.skp_by[(p.id, period.year)],
                    p.unit_id,
                    "TERBUKA",
                    None,
                    None,
                    "",
                    None,
                    "",
                    None,
                    "",
                    False,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    opened,
                    opened,
                )

    n = bulk(
        Evaluation,
        [
            "employee",
            "period",
            "skp",
            "unit",
            "status",
            "self_assessed_at",
            "hasil_rating",
            "hasil_reason",
            "perilaku_rating",
            "perilaku_reason",
            "predikat",
            "predikat_explanation",
            "is_unit_head_rating",
            "rated_by",
            "rated_at",
            "finalised_by",
            "finalised_at",
            "objection_deadline",
            "acknowledged_at",
            "created_at",
            "updated_at",
        ],
        rows(),
    )
    ctx.counts["evaluations"] = n


# --- service standards --------------------------------------------------------------------------

SERVICES = (("Penerbitan surat keterangan", 3, "HARI_KERJA"), ("Legalisasi dokumen", 60, "MENIT"))


def gen_service(ctx: GenContext) -> None:
    """Service types of the public seksi/UPT and ``requests`` requests over the span."""
    from kinerja.models.service import ServiceRequest, ServiceType

    rng = ctx.rng
    publics = [(uid, code) for uid, code, public in ctx.units if public and ".S" in code]
    if not publics or not ctx.spec.requests:
        return
    types = []
    for uid, _ in publics:
        for name, value, std_unit in SERVICES:
            types.append(
                (
                    len(types) + 1,
                    uid,
                    name,
                    value,
                    std_unit,
                    "KTP-el atau surat pengantar",
                    "0",
                    True,
                    ctx.now,
                    ctx.now,
                )
            )
    bulk(
        ServiceType,
        [
            "id",
            "unit",
            "name",
            "standard_value",
            "standard_unit",
            "requirements",
            "fee",
            "active",
            "created_at",
            "updated_at",
        ],
        types,
    )
    handlers: dict[int, list[int]] = {}
    for p in ctx.people:
        handlers.setdefault(p.unit_id, []).append(p.id)
    days = _workdays(ctx.start, ctx.today - timedelta(days=1))
    last = ctx.now - timedelta(hours=1)

    def rows():
        for n in range(ctx.spec.requests):
            tid, uid, _, value, std_unit, *_ = types[rng.randrange(len(types))]
            day = days[rng.randrange(len(days))]
            received = _utc(day, rng.randint(8, 14), rng.randrange(60))
            if std_unit == "MENIT":
                completed = received + timedelta(minutes=rng.randint(10, value * 2))
            else:
                completed = received + timedelta(
                    days=rng.choice((0, 1, 1, 2, 3, 3, 4, 6)), hours=rng.randint(0, 3)
                )
            if completed > last:
                completed = None
            yield (
                uid,
                tid,
                f"REG-{n + 1:07d}",
                received,
                completed,
                rng.choice(handlers[uid]),
                rng.random() < 0.03,
                "COUNTER",
                received,
            )

    n = bulk(
        ServiceRequest,
        [
            "unit",
            "service_type",
            "reference",
            "received_at",
            "completed_at",
            "handler",
            "rework",
            "source",
            "created_at",
        ],
        rows(),
    )
    _reset_sequences([ServiceType])
    ctx.counts.update(service_types=len(types), requests=n)


# --- kiosk --------------------------------------------------------------------------------------


def gen_kiosk(ctx: GenContext) -> None:
    """One kiosk per public seksi/UPT and ``kiosk_answers`` SKM answers over the span."""
    from kinerja.models.kiosk import Kiosk, KioskResponse

    rng = ctx.rng
    publics = [uid for uid, code, public in ctx.units if public and ".S" in code]
    if not publics or not ctx.spec.kiosk_answers:
        return
    kiosks = [
        (i + 1, uid, f"Kios Loket {i + 1}", "Loket 1", "[]", "ACTIVE", ctx.now)
        for i, uid in enumerate(publics)
    ]
    bulk(
        Kiosk, ["id", "unit", "name", "counter", "service_type_ids", "status", "created_at"], kiosks
    )
    days = _workdays(ctx.start, ctx.today - timedelta(days=1))
    quality = {uid: rng.uniform(0.55, 0.9) for uid in publics}

    def rows():
        for _ in range(ctx.spec.kiosk_answers):
            kid, uid, *_ = kiosks[rng.randrange(len(kiosks))]
            day = days[rng.randrange(len(days))]
            hour = rng.randint(8, 15)
            good = quality[uid]
            face = (
                4 if rng.random() < good * 0.5 else 3 if rng.random() < good else rng.choice((1, 2))
            )
            unsur = [min(4, max(1, face + rng.choice((-1, 0, 0, 0, 1)))) for _ in range(9)]
            yield (
                _uuid(rng),
                kid,
                uid,
                day,
                hour,
                face,
                *unsur,
                "",
                _utc(day, hour, rng.randrange(60)),
            )

    n = bulk(
        KioskResponse,
        [
            "client_id",
            "kiosk",
            "unit",
            "day",
            "hour",
            "face",
            "u1",
            "u2",
            "u3",
            "u4",
            "u5",
            "u6",
            "u7",
            "u8",
            "u9",
            "comment",
            "received_at",
        ],
        rows(),
        chunk=5000,
    )
    _reset_sequences([Kiosk])
    ctx.counts.update(kiosks=len(kiosks), kiosk_answers=n)


AREAS: list[Callable[[GenContext], None]] = [
    gen_org,
    gen_periods,
    gen_skp,
    gen_evaluation,
    gen_service,
    gen_kiosk,
]


# --- running ------------------------------------------------------------------------------------


def _fast_load(on: bool) -> None:
    if not is_sqlite():
        return
    if on:
        database.execute_sql("PRAGMA synchronous = OFF")
        database.execute_sql("PRAGMA cache_size = -262144")
        database.execute_sql("PRAGMA temp_store = MEMORY")
    else:
        database.execute_sql("PRAGMA synchronous = NORMAL")
        database.execute_sql("PRAGMA cache_size = -32000")
        database.execute_sql("PRAGMA temp_store = DEFAULT")


def generate(spec: GenSpec, log: Callable[[str], None] = print) -> dict[str, int]:
    """Fill an empty database with the generated city; return the row counts."""
    if Employee.select().exists() or Unit.select().exists():
        raise GenRefused("Basis data tidak kosong; gen-data hanya mengisi basis data kosong.")
    if spec.employees < 20:
        raise ValueError("--employees minimal 20")
    today = spec.today or today_wib()
    ctx = GenContext(
        spec, random.Random(spec.seed), today, datetime.combine(today, datetime.min.time()), log=log
    )
    from kinerja.demo import demo_password_hash

    demo_password_hash()  # the one Argon2 hash, before any write transaction opens
    _fast_load(True)
    try:
        for area in AREAS:
            started = time.perf_counter()
            with write_tx():
                area(ctx)
            log(f"{area.__name__}: {time.perf_counter() - started:.1f} s")
        with write_tx():
            from kinerja.models.system import Setting
            from kinerja.services import audit

            Setting.create(key=GEN_FLAG_KEY, value=json.dumps({"seed": spec.seed, **ctx.counts}))
            audit.record(
                "data.generated", actor_label="gen-data", object_type="database", after=ctx.counts
            )
    finally:
        _fast_load(False)
    database.execute_sql("ANALYZE")  # fresh planner statistics for the new volumes
    return ctx.counts
