"""Ordered schema migrations.

Each module ``mNNNN_name.py`` in this package defines ``VERSION = NNNN``, a one-line
``DESCRIPTION`` and ``up(db)``. A fresh database runs them all in order; an existing one
runs those above its recorded version.

Every migration states the schema of its own time: the tables of versions 1 to 8 are SQL
files in ``sql/`` (one per dialect), later ones write their SQL or their column definitions
in the module. None imports today's models, so changing a model never changes what an old
migration does: a model change is a new migration (``tests/kinerja/test_migrations.py``
upgrades a version-1 database with data and compares it with a fresh one and with the
models). Running a migration again on a database that already has its tables is harmless
(``IF NOT EXISTS``, add-column-if-missing).
"""

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from kinerja.clock import utcnow
from kinerja.db import database, is_sqlite, write_tx
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


def _literal(value) -> str:
    """A constant DEFAULT for DDL (parameters are not allowed there)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def add_column_if_missing(db, table: str, column: str, field) -> bool:
    """Add ``field`` as ``column`` to ``table`` unless it is already there.

    One ``ALTER TABLE … ADD COLUMN`` on SQLite as on PostgreSQL: a NOT NULL column carries
    its default as the column's DEFAULT, so old rows get it and no table is rebuilt (on
    SQLite a rebuild drops the table, and the drop would cascade to, or be refused by, the
    rows of the tables that refer to it).
    """
    existing = {c.name for c in db.get_columns(table)}
    if column in existing:
        return False
    real = getattr(db, "obj", db)
    ctx = real.get_sql_context()
    field.name = field.column_name = column
    kind = ctx.sql(field.ddl_datatype(ctx)).query()[0]
    definition = f'"{column}" {kind}'
    if not field.null:
        default = field.default() if callable(field.default) else field.default
        if default is None:
            raise ValueError(f"{table}.{column}: a NOT NULL column needs a default")
        definition += f" NOT NULL DEFAULT {_literal(field.db_value(default))}"
    db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN {definition}')
    return True


def run_sql_file(db, version: int) -> None:
    """Run ``sql/mNNNN.<dialect>.sql``, the frozen schema of migration ``version``."""
    dialect = "sqlite" if is_sqlite() else "postgres"
    path = Path(__file__).parent / "sql" / f"m{version:04d}.{dialect}.sql"
    text = "\n".join(line for line in path.read_text().splitlines() if not line.startswith("--"))
    for statement in text.split(";\n"):
        if statement.strip():
            db.execute_sql(statement.strip())
