"""Scale generator areas (:mod:`kinerja.demo.scale`): SKP with realisations, evaluations,
service requests and kiosk answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from kinerja.demo.scale_base import (
    GenContext,
    bulk,
    reset_sequences,
    utc_at,
    uuid_of,
    workdays,
)
from kinerja.demo.scale_org import quarters
from kinerja.enums import PeriodStatus, Rating
from kinerja.scoring import predikat_for

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
    closed = quarters(ctx, PeriodStatus.DITUTUP)

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
    reset_sequences([Skp, Rhk, Indicator])
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
        for period in quarters(ctx, PeriodStatus.DITUTUP):
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
        for period in quarters(ctx, PeriodStatus.DIBUKA):
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
    days = workdays(ctx.start, ctx.today - timedelta(days=1))
    last = ctx.now - timedelta(hours=1)

    def rows():
        for n in range(ctx.spec.requests):
            tid, uid, _, value, std_unit, *_ = types[rng.randrange(len(types))]
            day = days[rng.randrange(len(days))]
            received = utc_at(day, rng.randint(8, 14), rng.randrange(60))
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
    reset_sequences([ServiceType])
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
    days = workdays(ctx.start, ctx.today - timedelta(days=1))
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
                uuid_of(rng),
                kid,
                uid,
                day,
                hour,
                face,
                *unsur,
                "",
                utc_at(day, hour, rng.randrange(60)),
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
    reset_sequences([Kiosk])
    ctx.counts.update(kiosks=len(kiosks), kiosk_answers=n)
