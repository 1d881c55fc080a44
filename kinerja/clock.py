"""Time helpers and the one clock of the portal: "now" and "today" come only from here.

Everything is stored as naive UTC and shown in WIB (Asia/Jakarta).

The clock can be *pinned* so that nothing depends on the date a program runs: with
``KINERJA_TODAY`` set in the environment (``2028-02-29`` or ``2028-02-29T10:30``, read as
WIB), the clock starts at that moment when the process starts and then runs on at the
normal rate, so intervals and timeouts still behave. Every process started with the same
value agrees on the date, so nothing here is state another process would need.
``create_app`` reads the variable (:func:`configure`); the test suite pins the clock itself
(``tests/conftest.py``); ``make run`` follows the real date. :func:`pin` moves the clock
inside one process (tests only).
"""

import os
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
ENV_VAR = "KINERJA_TODAY"
DEFAULT_PINNED_TIME = time(10, 0)

_offset = timedelta(0)


def _real_utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def parse_pinned(text: str) -> datetime:
    """A pinned moment written as an ISO date or date-time in WIB, as naive UTC."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{ENV_VAR} bukan tanggal ISO (YYYY-MM-DD[THH:MM]): {text!r}") from exc
    if len(text) == 10:
        moment = datetime.combine(moment.date(), DEFAULT_PINNED_TIME)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment.astimezone(UTC).replace(tzinfo=None)


def pin(moment: datetime | date | str | None) -> None:
    """Make the clock read ``moment`` now and run on from there; ``None`` unpins it.

    A date alone is read as 10.00 WIB that day; a naive datetime as WIB.
    """
    global _offset
    if moment is None:
        _offset = timedelta(0)
        return
    if isinstance(moment, str):
        target = parse_pinned(moment)
    elif isinstance(moment, datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=WIB)
        target = aware.astimezone(UTC).replace(tzinfo=None)
    else:
        target = parse_pinned(moment.isoformat())
    _offset = target - _real_utcnow()


@contextmanager
def pinned_at(moment: datetime | date | str):
    """Run a block with the clock pinned to ``moment``, then put it back (tests)."""
    global _offset
    saved = _offset
    pin(moment)
    try:
        yield
    finally:
        _offset = saved


def pinned() -> bool:
    """Whether the clock is pinned (by :func:`pin` or ``KINERJA_TODAY``)."""
    return _offset != timedelta(0)


def utcnow() -> datetime:
    """The current time as a naive UTC datetime (the storage convention)."""
    return _real_utcnow() + _offset


def now_wib() -> datetime:
    """The current time in Sibolga, timezone-aware."""
    return utcnow().replace(tzinfo=UTC).astimezone(WIB)


def to_wib(value: datetime) -> datetime:
    """A stored naive-UTC (or aware) datetime converted to WIB."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIB)


def as_aware_utc(value: datetime) -> datetime:
    """A stored naive-UTC datetime made timezone-aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def today_wib() -> date:
    """Today's date in Sibolga (WIB)."""
    return now_wib().date()


def epoch_ms() -> int:
    """The current time as milliseconds since 1970 (what a kiosk's clock sends)."""
    return int(as_aware_utc(utcnow()).timestamp() * 1000)


def configure(environ=os.environ) -> None:
    """Pin the clock when ``KINERJA_TODAY`` is set and it is not pinned yet."""
    if environ.get(ENV_VAR) and not pinned():
        pin(environ[ENV_VAR])
