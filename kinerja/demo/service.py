"""Demo service standards (docs/spec/sibolga.md "Demo services and standard times"): the catalogue
of
Disdukcapil, DPMPTSP, the puskesmas, the kelurahan and the kecamatan, the year's cuti
bersama as city days off, and six months of requests with a realistic spread (most on
time, some late, a few returned for rework). All DEMO DATA.

The catalogue adds "Akta Perkawinan" (Seksi Perkawinan dan Perceraian) to docs/spec/sibolga.md's
list,
so every seksi with a kiosk also serves requests and its public IKM has N, S and a verdict
(issue 18); Persetujuan Bangunan Gedung is completed by its seksi (Perizinan Non-Usaha).

Requests are handled by staff of the unit that does the work (the named "pelaksana" of
Disdukcapil takes a good share of KTP-el). Requests whose completion would lie in the
future stay open, plus a few overdue ones, so the counter has something to show. If the
SKP step created the pelaksana's SKP, its KTP-el indicator is linked to "Penerbitan KTP-el"
(on-time rate, target 95 %) and its realisation filled from the requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import holidays
from peewee import chunked

from kinerja import org as org_queries
from kinerja.clock import WIB
from kinerja.db import database
from kinerja.demo import story
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.service import CityDayOff, ServiceRequest, ServiceType
from kinerja.models.skp import Indicator, Rhk, Skp
from kinerja.queries.service_figures import LinkedFigure
from kinerja.scoring import StandardUnit, WorkCalendar
from kinerja.services import layanan_linked, layanan_log

CHUNK = 500
HARI, MENIT = StandardUnit.HARI_KERJA.value, StandardUnit.MENIT.value


@dataclass(frozen=True)
class DemoService:
    """A jenis layanan of the demo catalogue and how busy it is."""

    unit: str  # unit code (kinerja/demo/org.py)
    name: str
    value: int
    standard_unit: str
    per_day: float  # requests per working day
    handlers: tuple[str, ...]  # unit codes whose staff complete it
    requirements: str = ""
    fee: Decimal = Decimal(0)


DUKCAPIL = "DISDUKCAPIL"
IDP = "DISDUKCAPIL.PDP.IDP"
CATALOGUE: tuple[DemoService, ...] = (
    DemoService(DUKCAPIL, "Penerbitan KTP-el", 1, HARI, 24, (IDP,),
                "Kartu Keluarga; surat keterangan hilang atau KTP-el rusak bila penggantian."),
    DemoService(DUKCAPIL, "Penerbitan Kartu Keluarga", 1, HARI, 11, (IDP,),
                "KK lama; dokumen peristiwa (akta kelahiran, akta perkawinan, surat pindah)."),
    DemoService(DUKCAPIL, "Akta Kelahiran", 1, HARI, 7, ("DISDUKCAPIL.CAPIL.LAHIR",),
                "Surat keterangan lahir; KK; KTP-el orang tua; dua saksi."),
    DemoService(DUKCAPIL, "Akta Perkawinan", 1, HARI, 2, ("DISDUKCAPIL.CAPIL.KAWIN",),
                "Surat keterangan perkawinan dari pemuka agama; KTP-el dan KK kedua mempelai; "
                "dua saksi."),
    DemoService(DUKCAPIL, "Kartu Identitas Anak", 1, HARI, 5, (IDP,),
                "Akta kelahiran anak; KK; pas foto anak usia 5 tahun ke atas."),
    DemoService(DUKCAPIL, "Surat Pindah (SKPWNI)", 1, HARI, 3, ("DISDUKCAPIL.PDP.PINDAH",),
                "KK; KTP-el; alamat tujuan pindah."),
    DemoService("DPMPTSP", "Persetujuan Bangunan Gedung", 14, HARI, 1,
                ("DPMPTSP.IZIN.NONUSAHA",),
                "Dokumen teknis bangunan; bukti kepemilikan tanah; KTP-el pemohon."),
    DemoService("DPMPTSP", "Izin usaha mikro (NIB)", 1, HARI, 4, ("DPMPTSP.IZIN.USAHA",),
                "KTP-el; NPWP (bila ada); alamat usaha."),
    DemoService("DINKES.PKM-AEKHABIL", "Pelayanan rawat jalan", 60, MENIT, 18,
                ("DINKES.PKM-AEKHABIL",), "Kartu BPJS Kesehatan atau KTP-el."),
    DemoService("DINKES.PKM-AEKPAROMBUNAN", "Pelayanan rawat jalan", 60, MENIT, 11,
                ("DINKES.PKM-AEKPAROMBUNAN",), "Kartu BPJS Kesehatan atau KTP-el."),
    DemoService("DINKES.PKM-PCRKERAMBIL", "Pelayanan rawat jalan", 60, MENIT, 7,
                ("DINKES.PKM-PCRKERAMBIL",), "Kartu BPJS Kesehatan atau KTP-el."),
    *(
        DemoService(f"KEC-SBGKOTA.KEL-{slug}", "Surat keterangan domisili", 30, MENIT, n,
                    (f"KEC-SBGKOTA.KEL-{slug}",), "Surat pengantar RT/RW; KTP-el; KK.")
        for slug, n in (("PASARBARU", 4), ("PASARBELAKANG", 3), ("PCRGEROBAK", 2),
                        ("KOTABERINGIN", 2))
    ),
    DemoService("KEC-SBGKOTA.YANUM", "Legalisasi dokumen", 30, MENIT, 4,
                ("KEC-SBGKOTA.YANUM",), "Dokumen asli dan fotokopinya."),
)  # fmt: skip

KTP = "Penerbitan KTP-el"
LINK_TARGET = Decimal(95)


def _utc(day: date, hour: int, minute: int) -> datetime:
    moment = datetime.combine(day, time(hour, minute), tzinfo=WIB)
    return moment.astimezone(UTC).replace(tzinfo=None)


def _days_off(ctx) -> set[date]:
    """The year's cuti bersama as city days off (the city closes on them)."""
    table = holidays.country_holidays(
        "ID", years=ctx.today.year, language="id", categories=("government",)
    )
    rows = [{"date": day, "name": f"{name} (demo: diikuti Pemkot Sibolga)"}
            for day, name in sorted(table.items())]  # fmt: skip
    if rows:
        CityDayOff.insert_many(rows).execute()
    return {row["date"] for row in rows}


def _handlers(codes: tuple[str, ...], units: dict[str, Unit]) -> list[int]:
    unit_ids = [units[c].id for c in codes if c in units]
    if not unit_ids:
        return []
    query = Employee.select(Employee.id).where(
        Employee.unit.in_(unit_ids) & Employee.active & (Employee.jenis_jabatan != "PENGAWAS")
    )
    found = [e.id for e in query.order_by(Employee.id)]
    if not found:  # a unit of one: its head serves the counter
        found = [e.id for e in Employee.select(Employee.id).where(Employee.unit.in_(unit_ids))]
    return found


def _next_workday(day: date, cal: WorkCalendar, steps: int) -> date:
    while steps > 0:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            steps -= 1
    return day


def _days_taken(rng, standard: int, good: bool) -> int:
    """Working days to complete a days-standard request: most on time, some late."""
    roll = rng.random()
    late_share = 0.04 if good else 0.09
    if standard <= 1:
        if roll < late_share:
            return rng.choice((2, 2, 2, 3, 4))
        return 0 if rng.random() < 0.72 else 1
    if roll < late_share * 1.5:
        return standard + rng.randint(1, max(2, standard // 2))
    return rng.randint(max(1, standard // 3), standard)


def _minutes_taken(rng, standard: int) -> int:
    """Minutes to complete a minutes-standard request: most within the standard."""
    if rng.random() < 0.09:
        return standard + rng.randint(1, standard)
    return max(3, int(rng.triangular(standard * 0.2, standard, standard * 0.55)))


def seed_service(ctx) -> None:
    """The demo catalogue, city days off and six months of requests (bulk inserts)."""
    rng = ctx.rng
    units = ctx.units or {u.code: u for u in Unit.select()}
    extra = _days_off(ctx)
    cal = WorkCalendar(extra_days_off=frozenset(extra))
    now = ctx.now
    start, end = story.data_start(ctx.today), ctx.today
    pelaksana = ctx.people.get("pelaksana")

    types: dict[int, tuple[ServiceType, DemoService, list[int]]] = {}
    for spec in CATALOGUE:
        unit = units.get(spec.unit)
        if unit is None:
            continue
        handlers = _handlers(spec.handlers, units)
        if not handlers:
            continue
        st = ServiceType.create(
            unit=unit,
            name=spec.name,
            standard_value=spec.value,
            standard_unit=spec.standard_unit,
            requirements=spec.requirements,
            fee=spec.fee,
        )
        types[st.id] = (st, spec, handlers)

    rows: list[dict] = []
    sequence: dict[tuple[int, date], int] = {}  # (unit, day) → last number
    day = start
    while day <= end:
        if cal.is_working_day(day):
            for st, spec, handlers in types.values():
                count = max(0, round(rng.gauss(spec.per_day, max(1.0, spec.per_day * 0.25))))
                if spec.per_day < 1:
                    count = 1 if rng.random() < spec.per_day else 0
                for _ in range(count):
                    rows.append(
                        _request(rng, cal, st, spec, handlers, day, now, pelaksana, sequence)
                    )
        day += timedelta(days=1)

    # a few requests that have waited too long, for the counter's overdue highlight
    ktp = next((st for st, spec, _ in types.values() if spec.name == KTP), None)
    if ktp is not None:
        for back in (4, 6, 9):
            received_day = ctx.today - timedelta(days=back)
            key = (ktp.unit_id, received_day)
            sequence[key] = sequence.get(key, 0) + 1
            rows.append(_open_row(ktp, received_day, sequence[key], _utc(received_day, 10, 5)))

    _bulk_insert(rows)

    linked = _link_pelaksana(ctx, ktp, start)
    open_count = sum(1 for r in rows if r["completed_at"] is None)
    ctx.counts["service_types"] = len(types)
    ctx.counts["service_requests"] = len(rows)
    ctx.summary.append(
        f"Standar pelayanan: {len(types)} jenis layanan, {len(rows)} permohonan "
        f"({start:%d/%m/%Y}–{end:%d/%m/%Y}), {open_count} belum selesai, "
        f"{len(extra)} hari libur kota"
        + ("; indikator KTP-el pelaksana tertaut ke data layanan" if linked else "")
        + "."
    )


COLUMNS = (
    "unit_id",
    "service_type_id",
    "reference",
    "received_at",
    "completed_at",
    "handler_id",
    "registered_by_id",
    "rework",
    "source",
    "created_at",
)


def _bulk_insert(rows: list[dict]) -> None:
    """Plain executemany: building ORM SQL for every row would dominate the seeding time."""
    table = ServiceRequest._meta.table_name
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    marks = ", ".join([database.param] * len(COLUMNS))
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 - fixed names
    keys = [c.removesuffix("_id") if c.endswith("_id") else c for c in COLUMNS]
    cursor = database.cursor()
    for chunk in chunked(rows, CHUNK):
        cursor.executemany(sql, [tuple(_param(row[k]) for k in keys) for row in chunk])


def _param(value):
    if isinstance(value, datetime):
        return str(value)
    return value  # bool stays bool: SQLite stores 1/0, PostgreSQL needs a boolean


def _reference(st: ServiceType, day: date, number: int) -> str:
    # same stem as the counter's generated numbers, so new ones continue the sequence
    return f"{layanan_log.reference_prefix(st.unit)}-{day:%Y%m%d}-{number:04d}"


def _open_row(st: ServiceType, day: date, number: int, received: datetime) -> dict:
    return {
        "unit": st.unit_id,
        "service_type": st.id,
        "reference": _reference(st, day, number),
        "received_at": received,
        "completed_at": None,
        "handler": None,
        "registered_by": None,
        "rework": False,
        "source": "COUNTER",
        "created_at": received,
    }


def _request(rng, cal, st, spec, handlers, day, now, pelaksana, sequence) -> dict:
    key = (st.unit_id, day)
    sequence[key] = sequence.get(key, 0) + 1
    hour, minute = rng.randint(8, 14), rng.randint(0, 59)
    received = _utc(day, hour, minute)
    row = _open_row(st, day, sequence[key], received)
    if pelaksana is not None and spec.name == KTP and rng.random() < 0.3:
        handler = pelaksana.id
    else:
        handler = rng.choice(handlers)
    good = pelaksana is not None and handler == pelaksana.id
    if spec.standard_unit == HARI:
        taken = _days_taken(rng, spec.value, good)
        done_day = _next_workday(day, cal, taken)
        if taken == 0:
            completed = received + timedelta(minutes=rng.randint(20, 150))
        else:
            completed = _utc(done_day, rng.randint(8, 15), rng.randint(0, 59))
    else:
        completed = received + timedelta(minutes=_minutes_taken(rng, spec.value))
    if completed > now:
        return row
    row.update(
        completed_at=completed,
        handler=handler,
        registered_by=rng.choice(handlers) if rng.random() < 0.4 else handler,
        rework=rng.random() < (0.025 if good else 0.045),
    )
    return row


def _link_pelaksana(ctx, ktp: ServiceType | None, data_start: date) -> bool:
    """Link the pelaksana's KTP-el percentage indicator, if the SKP step made one."""
    pelaksana = ctx.people.get("pelaksana")
    if ktp is None or pelaksana is None:
        return False
    skp = Skp.get_or_none((Skp.employee == pelaksana.id) & (Skp.year == ctx.today.year))
    if skp is None:
        return False
    candidates = list(
        Indicator.select()
        .join(Rhk)
        .where((Rhk.skp == skp.id) & Indicator.text.contains("KTP-el"))
        .order_by(Indicator.id)
    )
    indicator = next((i for i in candidates if i.target_unit == "%"), None)
    if indicator is None:
        return False
    if pelaksana.unit_id not in org_queries.descendant_unit_ids(ktp.unit_id):
        return False
    indicator.text = "Persentase KTP-el selesai tepat waktu (standar 1 hari kerja)"
    indicator.target_value = LINK_TARGET
    indicator.target_unit = "%"
    indicator.linked_service_type_id = ktp.id
    indicator.linked_figure = LinkedFigure.ON_TIME_RATE.value
    indicator.save()
    periods = Period.select().where(
        (Period.year == ctx.today.year)
        & (Period.kind != "TAHUNAN")
        & (Period.start <= ctx.today)
        & (Period.end >= data_start)
    )
    for period in periods:
        layanan_linked.refresh_linked_realisation(indicator, period)
    return True
