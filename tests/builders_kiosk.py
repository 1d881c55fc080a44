"""Kiosk builders: a registered, paired kiosk that is always open, and answer payloads."""

import itertools
import uuid
from datetime import datetime

from kinerja.permissions import Actor
from kinerja.services import kiosk as kiosk_service

ALWAYS_OPEN = {day: ("00:00", "23:59") for day in range(7)}
# Test kiosks are paired before every moment the tests answer at (answers claimed before
# the pairing are refused, issue 19).
PAIRED_AT = datetime(2026, 1, 1)
_clock = itertools.count(1)


def admin_actor(world) -> Actor:
    """The world's admin as an Actor."""
    return Actor(world.accounts["admin"])


def make_kiosk(world, *, unit=None, name="Kios Uji", counter="Loket 1", services=(), hours=None):
    """A kiosk of ``unit`` (default: the world's seksi), paired; returns (kiosk, token)."""
    admin = admin_actor(world)
    unit = unit or world.units["seksi"]
    kiosk, code = kiosk_service.register_kiosk(admin, unit.id, name, counter, list(services))
    kiosk_service.set_opening_hours(admin, kiosk.id, ALWAYS_OPEN if hours is None else hours)
    kiosk, token = kiosk_service.pair_device(code, client=f"uji-{next(_clock)}", now=PAIRED_AT)
    return kiosk, token


def payload(face=4, *, client_id=None, unsur=None, at: datetime | None = None, **extra):
    """An answer payload as the kiosk page sends it."""
    body = {"id": client_id or str(uuid.uuid4()), "face": face}
    if unsur is not None:
        body["unsur"] = unsur
    if at is not None:
        body["answered_at"] = utc_ms(at)
    body.update(extra)
    return body


def utc_ms(naive_utc: datetime) -> int:
    """Milliseconds since 1970 of a naive-UTC datetime."""
    from datetime import UTC

    return int(naive_utc.replace(tzinfo=UTC).timestamp() * 1000)
