"""Time helpers: everything is stored as naive UTC and shown in WIB (Asia/Jakarta)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    """The current time as a naive UTC datetime (the storage convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


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
    return datetime.now(WIB).date()
