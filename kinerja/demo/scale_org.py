"""Scale generator areas (:mod:`kinerja.demo.scale`): the organisation (units, people,
accounts) and the periods."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

from kinerja import settings
from kinerja.demo.scale_base import (
    GenContext,
    Person,
    bulk,
    reset_sequences,
)
from kinerja.enums import PeriodKind, PeriodStatus, Role
from kinerja.models.account import Account, AccountRole
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.nip import make_nip

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
    reset_sequences([Unit, Employee, Account])
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


def quarters(ctx: GenContext, *statuses: PeriodStatus) -> list[Period]:
    """The generated quarterly periods with one of ``statuses``."""
    wanted = {s.value for s in statuses}
    return [
        p
        for p in ctx.periods
        if p.kind == PeriodKind.TRIWULAN.value and p.status in wanted and p.end >= ctx.start
    ]
