"""Demo step: kiosks at the public-service units and six months of citizens' answers.

DEMO DATA. Every public-service seksi/UPT gets a paired-looking kiosk; the answers are
mostly positive with some negative ones, a share of respondents go on to the nine unsur,
a few leave a comment. A few small units get fewer than 10 answers a month, so the public
pages show suppression. Disdukcapil's "Loket 1" (Seksi Identitas Penduduk) has a duty
roster: the named "pelaksana" sits there in the mornings and "rekan1" in the afternoons,
so attributed figures exist for them.

Every ``PHONE_EVERY``-th complete answer at the other kiosks' units came from the
citizen's own phone instead (channel "ponsel", no kiosk; issue 22), so the public pages
show respondents per channel. The choice draws no random number: the figures stay as
they were, only their channel differs.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import date, datetime, time, timedelta

from peewee import chunked

from kinerja.clock import to_wib
from kinerja.demo import story
from kinerja.enums import UnitKind, Unsur
from kinerja.models.kiosk import (
    DEFAULT_OPENING_HOURS,
    Channel,
    CounterDuty,
    Kiosk,
    KioskResponse,
)
from kinerja.models.org import Unit
from kinerja.services.kiosk import token_hash
from kinerja.services.kiosk_duty import wib_to_utc

CHUNK = 100
PHONE_EVERY = 5  # of the complete answers outside Loket 1, one in five came by phone
LOKET_1_UNIT = "DISDUKCAPIL.PDP.IDP"
MORNING = (time(8, 0), time(12, 0))
AFTERNOON = (time(13, 0), time(15, 30))
COMMENTS_GOOD = (
    "Pelayanan cepat, petugas ramah.",
    "Terima kasih, prosesnya jelas.",
    "Antrean tertib dan ruang tunggu bersih.",
    "Petugas membantu menjelaskan persyaratan.",
)
COMMENTS_BAD = (
    "Antrean terlalu lama.",
    "Persyaratan berubah-ubah, mohon diumumkan jelas.",
    "Ruang tunggu panas, kipas rusak.",
    "Blanko habis, harus datang lagi besok.",
)


def _workdays(start: date, end: date):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def _face(rng, quality: float) -> int:
    roll = rng.random()
    if roll < quality * 0.55:
        return 4
    if roll < quality:
        return 3
    if roll < quality + (1 - quality) * 0.65:
        return 2
    return 1


def _unsur_value(rng, face: int) -> int:
    return max(1, min(4, face + rng.choice((-1, 0, 0, 0, 0, 1))))


def _kiosk_units(ctx) -> list[Unit]:
    public = list(Unit.select().where(Unit.serves_public & Unit.active).order_by(Unit.code))
    parents = {u.parent_id for u in public}
    return [
        u
        for u in public
        if u.kind in (UnitKind.SEKSI, UnitKind.UPT) or (u.id not in parents and u.parent_id)
    ]


def _duty_rows(kiosk: Kiosk, ctx, start: date, end: date) -> list[dict]:
    """Mornings for "pelaksana", afternoons for "rekan1" until yesterday; today
    "pelaksana" is signed in (an open duty), so a live answer is attributed to them."""
    pelaksana, rekan = ctx.people.get("pelaksana"), ctx.people.get("rekan1")
    rows = []
    for day in _workdays(start, end - timedelta(days=1)):
        for person, (begin, finish) in ((pelaksana, MORNING), (rekan, AFTERNOON)):
            if person is not None:
                rows.append(
                    {
                        "kiosk": kiosk.id,
                        "employee": person.id,
                        "start": wib_to_utc(day, begin),
                        "end": wib_to_utc(day, finish),
                        "created_at": ctx.now,
                    }
                )
    if pelaksana is not None:
        rows.append(
            {
                "kiosk": kiosk.id,
                "employee": pelaksana.id,
                "start": wib_to_utc(end, time(0, 0)),
                "end": None,
                "created_at": ctx.now,
            }
        )
    return rows


def seed_kiosk(ctx) -> None:
    """Kiosks for the public-service units and six months of SKM answers."""
    rng = ctx.rng
    start = story.data_start(ctx.today)
    end = ctx.today
    units = _kiosk_units(ctx)
    if not units:
        return
    now = ctx.now
    kiosks: list[tuple[Kiosk, float, float]] = []
    for index, unit in enumerate(units):
        loket_1 = unit.code == LOKET_1_UNIT
        kiosk = Kiosk.create(
            unit=unit,
            name=f"Kios {unit.display_name}",
            counter="Loket 1" if loket_1 else "",
            opening_hours=json.dumps(DEFAULT_OPENING_HOURS),
            token_hash=token_hash(secrets.token_urlsafe(32)),  # paired-looking, unusable
            paired_at=datetime.combine(start, time(1, 0)),
            last_seen_at=now,
            created_at=datetime.combine(start, time(0, 30)),
        )
        if loket_1:
            rate, quality = 9.0, 0.9
        elif index % 5 == 4:
            rate, quality = 0.35, 0.78  # small: below the public threshold of 10 a month
        else:
            rate, quality = rng.choice((1.5, 2.5, 4.0)), rng.uniform(0.72, 0.93)
        kiosks.append((kiosk, rate, quality))

    duty_kiosk = next((k for k, _, _ in kiosks if k.counter == "Loket 1"), None)
    duties = _duty_rows(duty_kiosk, ctx, start, end) if duty_kiosk else []
    for batch in chunked(duties, CHUNK):
        CounterDuty.insert_many(batch).execute()
    by_day: dict[date, list[dict]] = {}
    for d in duties:
        by_day.setdefault(to_wib(d["start"]).date(), []).append(d)

    def attributed(kiosk: Kiosk, day: date, at: datetime):
        if duty_kiosk is None or kiosk.id != duty_kiosk.id:
            return None
        for d in by_day.get(day, ()):
            if d["start"] <= at and (d["end"] is None or at < d["end"]):
                return d["employee"]
        return None

    rows = []
    complete = 0
    for kiosk, rate, quality in kiosks:
        for day in _workdays(start, end - timedelta(days=1)):
            count = int(rate) + (rng.random() < rate - int(rate))
            for _ in range(count):
                local = datetime.combine(day, time(8, 0)) + timedelta(
                    minutes=rng.randrange(0, 7 * 60)
                )
                at = wib_to_utc(day, local.time())
                face = _face(rng, quality)
                row = {
                    "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "kiosk": kiosk.id,
                    "channel": Channel.KIOSK.value,
                    "unit": kiosk.unit_id,
                    "service_type_id": None,
                    "day": day,
                    "hour": to_wib(at).hour,
                    "face": face,
                    "comment": "",
                    "employee": attributed(kiosk, day, at),
                    "received_at": at,
                    "updated_at": None,
                }
                depth = rng.random()
                answered = 9 if depth < 0.45 else (rng.randrange(1, 9) if depth < 0.6 else 0)
                for i, unsur in enumerate(Unsur):
                    row[unsur.value.lower()] = _unsur_value(rng, face) if i < answered else None
                if rng.random() < 0.06:
                    row["comment"] = rng.choice(COMMENTS_GOOD if face >= 3 else COMMENTS_BAD)
                if answered == 9 and kiosk is not duty_kiosk:
                    complete += 1
                    if complete % PHONE_EVERY == 0:
                        row.update(kiosk=None, channel=Channel.PONSEL.value)
                rows.append(row)
    for batch in chunked(rows, CHUNK):
        KioskResponse.insert_many(batch).execute()
    ctx.counts["kiosks"] = len(kiosks)
    ctx.counts["kiosk_responses"] = len(rows)
    ctx.summary.append(
        f"Kios SKM: {len(kiosks)} kios, {len(rows)} jawaban sejak {start.isoformat()}; "
        "Loket 1 Disdukcapil dengan jadwal jaga petugas (jawaban terhitung untuk pelaksana)."
    )
