"""Ordered schema migrations.

Each module ``mNNNN_name.py`` in this package defines ``VERSION = NNNN``, a one-line
``DESCRIPTION`` and ``up(db)``. A fresh database runs them all in order; an existing one
runs those above its recorded version. Migrations are written so that running one on a
database that already has its tables is harmless (``safe=True``, add-column-if-missing),
because a migration that creates a table uses the model as it is today.
"""

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType

from kinerja.clock import utcnow
from kinerja.db import database, write_tx
from kinerja.models.system import SchemaVersion


@dataclass(frozen=True)
class Migration:
    """One ordered step of the schema."""

    version: int
    description: str
    module: ModuleType


def discover() -> list[Migration]:
    """All migration modules of this package, in version order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if not (info.name.startswith("m") and info.name[1:5].isdigit()):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(Migration(module.VERSION, module.DESCRIPTION, module))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"Duplicate migration versions: {versions}")
    return found


def latest_version() -> int:
    """The version a fully upgraded database has."""
    migrations = discover()
    return migrations[-1].version if migrations else 0


def current_version() -> int:
    """The version recorded in the bound database (0 for an empty one)."""
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.id.desc()).first()
    return row.version if row else 0


def upgrade(target: int | None = None) -> list[Migration]:
    """Apply every migration above the current version (up to ``target``); return them."""
    applied = []
    for migration in discover():
        if migration.version <= current_version():
            continue
        if target is not None and migration.version > target:
            break
        with write_tx():
            database.create_tables([SchemaVersion], safe=True)
            migration.module.up(database)
            row = SchemaVersion.select().first()
            if row is None:
                SchemaVersion.create(version=migration.version, updated_at=utcnow())
            else:
                row.version = migration.version
                row.updated_at = utcnow()
                row.save()
        applied.append(migration)
    return applied


def add_column_if_missing(db, table: str, column: str, field) -> bool:
    """Add ``field`` as ``column`` to ``table`` unless it is already there."""
    from playhouse.migrate import SchemaMigrator, migrate

    existing = {c.name for c in db.get_columns(table)}
    if column in existing:
        return False
    real = getattr(db, "obj", db)
    migrate(SchemaMigrator.from_database(real).add_column(table, column, field))
    return True
