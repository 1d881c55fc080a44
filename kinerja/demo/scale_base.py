"""What every area of the scale generator (:mod:`kinerja.demo.scale`) shares: the spec, the
context, bulk writing and small date helpers."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kinerja.db import database, is_postgres
from kinerja.models.period import Period

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


def reset_sequences(models) -> None:
    """After explicit ids on PostgreSQL, move each id sequence past the highest id."""
    if not is_postgres():
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )


def uuid_of(rng: random.Random) -> str:
    """A version-4 UUID drawn from the seeded generator (the same seed, the same ids)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def utc_at(day: date, hour: int, minute: int = 0) -> datetime:
    """Naive UTC of a WIB wall-clock time."""
    return datetime(day.year, day.month, day.day, hour, minute) - WIB


def workdays(start: date, end: date) -> list[date]:
    """Monday to Friday from ``start`` to ``end`` inclusive."""
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days
