"""Schema versions: idempotent init, ordered upgrades that keep data."""

from kinerja import migrations
from kinerja.db import database
from kinerja.models.org import Unit


def _tables():
    return set(database.get_tables())


def test_fresh_database_reaches_latest(app):
    assert migrations.current_version() == migrations.latest_version() >= 1


def test_init_db_is_idempotent(runner):
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == second.exit_code == 0
    assert f"versi {migrations.latest_version()}" in second.output
    assert "diterapkan" not in second.output


def test_migrations_are_ordered_and_unique():
    versions = [m.version for m in migrations.discover()]
    assert versions == sorted(set(versions))
    assert versions[0] == 1
    assert all(m.description for m in migrations.discover())


def test_add_column_if_missing(app):
    from peewee import CharField

    assert migrations.add_column_if_missing(database, "unit", "catatan_uji", CharField(default=""))
    assert not migrations.add_column_if_missing(
        database, "unit", "catatan_uji", CharField(default="")
    )


def test_upgrade_db_command(runner):
    result = runner.invoke(args=["upgrade-db"])
    assert result.exit_code == 0
    assert "Versi skema" in result.output


def test_sqlite_file_in_a_missing_folder_is_created(tmp_path):
    from kinerja.db import open_database

    target = tmp_path / "belum" / "ada" / "kinerja.sqlite3"
    db = open_database(f"sqlite:///{target}")
    with db.connection_context():
        assert migrations.upgrade()
    assert target.exists()


def _page_cache_triggers() -> list[str]:
    if "Postgres" in type(database.obj).__name__:
        # No "%" here: psycopg2 would read it as a parameter marker.
        sql = "SELECT tgname FROM pg_trigger WHERE substr(tgname, 1, 12) = 'kinerja_gen_'"
    else:
        sql = (
            "SELECT name FROM sqlite_master "
            "WHERE type = 'trigger' AND substr(name, 1, 12) = 'kinerja_gen_'"
        )
    return [row[0] for row in database.execute_sql(sql).fetchall()]


def test_upgrade_drops_the_page_cache_and_its_triggers(app):
    # A database at version 10 still has the page cache, its counter and a trigger per table.
    is_pg = "Postgres" in type(database.obj).__name__
    if not is_pg:
        database.execute_sql("PRAGMA foreign_keys = OFF")
    for table in sorted(_tables()):
        database.execute_sql(f'DROP TABLE IF EXISTS "{table}"' + (" CASCADE" if is_pg else ""))
    if not is_pg:
        database.execute_sql("PRAGMA foreign_keys = ON")
    migrations.upgrade(target=10)
    database.execute_sql("INSERT INTO data_generation (scope, value) VALUES ('core', 0)")
    bump = "UPDATE data_generation SET value = value + 1 WHERE scope = 'core'"
    if is_pg:
        database.execute_sql(
            "CREATE OR REPLACE FUNCTION kinerja_bump_generation() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {bump}; RETURN NULL; END $$"
        )
        database.execute_sql(
            'CREATE TRIGGER "kinerja_gen_unit" AFTER INSERT ON "unit" '
            "FOR EACH STATEMENT EXECUTE FUNCTION kinerja_bump_generation()"
        )
    else:
        database.execute_sql(
            f'CREATE TRIGGER "kinerja_gen_unit_insert" AFTER INSERT ON "unit" BEGIN {bump}; END'
        )
    assert _page_cache_triggers()
    assert [m.version for m in migrations.upgrade()] == [
        m.version for m in migrations.discover() if m.version > 10
    ]
    assert _page_cache_triggers() == []
    assert not {"data_generation", "cached_page"} & _tables()
    Unit.create(code="BARU", name="Unit Baru", kind="OPD")  # no trigger left to fail


# --- frozen migrations: an old database upgraded equals a fresh one and the models ----------


def _is_pg() -> bool:
    return "Postgres" in type(database.obj).__name__


def _drop_everything() -> None:
    if not _is_pg():
        database.execute_sql("PRAGMA foreign_keys = OFF")
    for table in sorted(_tables()):
        database.execute_sql(f'DROP TABLE IF EXISTS "{table}"' + (" CASCADE" if _is_pg() else ""))
    if not _is_pg():
        database.execute_sql("PRAGMA foreign_keys = ON")


def _normal_type(data_type: str) -> str:
    kind = data_type.upper().split("(")[0].strip()
    return {"INT": "INTEGER", "SERIAL": "INTEGER", "CHARACTER VARYING": "VARCHAR"}.get(kind, kind)


def _schema() -> dict:
    """Tables with their columns (type, null) and indexes (columns, unique), by name."""
    found = {}
    for table in sorted(_tables()):
        columns = {
            c.name: (_normal_type(c.data_type), bool(c.null) and not c.primary_key)
            for c in database.get_columns(table)
        }
        indexes = {
            i.name: (tuple(c.strip('"') for c in i.columns), bool(i.unique))
            for i in database.get_indexes(table)
            if not i.name.startswith(("sqlite_autoindex", f"{table}_pkey"))
        }
        found[table] = {"columns": columns, "indexes": indexes}
    return found


def _mark() -> str:
    return "%s" if _is_pg() else "?"


def _insert(table: str, **values) -> None:
    names = ", ".join(f'"{n}"' for n in values)
    marks = ", ".join([_mark()] * len(values))
    database.execute_sql(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(values.values())
    )


def _insert_row(table: str, **values) -> int:
    """A row of ``table`` as its schema stands now: given values, every other NOT NULL column
    filled by its type. Returns the new id."""
    from datetime import date, datetime

    row = dict(values)
    for column in database.get_columns(table):
        if column.name in row or column.primary_key or column.null:
            continue
        kind = _normal_type(column.data_type)
        if kind.startswith(("DATETIME", "TIMESTAMP")):
            row[column.name] = datetime(2026, 1, 5, 8, 0)
        elif kind == "DATE":
            row[column.name] = date(2026, 1, 5)
        elif kind == "BOOLEAN":
            row[column.name] = False
        elif kind.startswith(("INTEGER", "BIGINT", "SMALLINT", "DECIMAL", "NUMERIC", "REAL")):
            row[column.name] = 0
        else:
            row[column.name] = ""
    _insert(table, **row)
    return database.execute_sql(f'SELECT MAX("id") FROM "{table}"').fetchone()[0]


OLD_ROWS = {}


def _old_data_at(version: int) -> None:
    """Rows written with the schema of ``version`` (plain SQL: today's models may differ)."""
    if version == 1:
        OLD_ROWS["unit"] = _insert_row("unit", code="LAMA", name="Unit Lama", kind="OPD")
        OLD_ROWS["employee"] = _insert_row(
            "employee", nip="199001012015031001", name="Pegawai Lama", unit_id=OLD_ROWS["unit"]
        )
    if version == 2:
        OLD_ROWS["period"] = _insert_row("period", kind="TAHUNAN", year=2026, name="Tahun 2026")
    if version == 5:
        OLD_ROWS["kiosk"] = _insert_row("kiosk", unit_id=OLD_ROWS["unit"], name="Kios Lama")
        _insert_row("counter_duty", kiosk_id=OLD_ROWS["kiosk"], employee_id=OLD_ROWS["employee"])
        _insert_row(
            "kiosk_response",
            client_id="lama-1",
            kiosk_id=OLD_ROWS["kiosk"],
            unit_id=OLD_ROWS["unit"],
            face=4,
        )
    if version == 7:
        snapshot = _insert_row("public_snapshot", period_id=OLD_ROWS["period"], status="TERBIT")
        _insert_row("public_unit_figure", snapshot_id=snapshot, code="LAMA", name="Unit Lama")


def test_an_old_database_upgraded_equals_a_fresh_one_and_the_models(app):
    fresh = _schema()
    _drop_everything()
    assert migrations.current_version() == 0
    for migration in migrations.discover():
        migrations.upgrade(target=migration.version)
        _old_data_at(migration.version)
    assert migrations.current_version() == migrations.latest_version()
    upgraded = _schema()
    assert upgraded == fresh
    assert database.execute_sql('SELECT "name" FROM "employee"').fetchone()[0] == "Pegawai Lama"
    # Columns added later have their defaults on the old rows, and no rebuilt table took
    # rows of another with it (on SQLite a DROP TABLE cascades through foreign keys).
    assert database.execute_sql('SELECT "channel" FROM "kiosk_response"').fetchone()[0] == "kiosk"
    assert database.execute_sql('SELECT "rate_count" FROM "kiosk"').fetchone()[0] == 0
    for table in ("kiosk", "counter_duty", "kiosk_response", "public_snapshot"):
        count = database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        assert count == 1, f"{table}: {count} rows after the upgrade"
    figures = database.execute_sql('SELECT COUNT(*) FROM "public_unit_figure"').fetchone()[0]
    assert figures == 1, "public_unit_figure lost its rows in the upgrade"
    # Every model's table, columns, nullability and indexes are what the migrations built.
    expected = _models_schema()
    for table, want in expected.items():
        assert table in upgraded, f"{table}: no migration creates it"
        got = upgraded[table]
        assert set(got["columns"]) == set(want["columns"]), table
        for column, null in want["columns"].items():
            assert got["columns"][column][1] == null, f"{table}.{column}: null {null}"
        for name, (columns, unique) in want["indexes"].items():
            assert got["indexes"].get(name) == (columns, unique), f"{table}: index {name}"
    retired = set(upgraded) - set(expected) - {"schema_version"}
    assert not retired, f"tables no model knows: {retired}"


def _models_schema() -> dict:
    """What today's models declare: columns with nullability, and their indexes."""
    import importlib
    import pkgutil

    import kinerja.models as package
    from kinerja.db import BaseModel

    seen = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"kinerja.models.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
                seen[value._meta.table_name] = value
    found = {}
    for table, model in seen.items():
        columns = {
            f.column_name: bool(f.null) and not f.primary_key for f in model._meta.sorted_fields
        }
        indexes = {}
        for index in model._meta.fields_to_index():
            cols = tuple(
                getattr(e, "column_name", None) or getattr(e, "name", str(e))
                for e in index._expressions
            )
            indexes[index._name] = (cols, bool(index._unique))
        found[table] = {"columns": columns, "indexes": indexes}
    return found


def test_no_migration_imports_todays_models():
    import ast
    from pathlib import Path

    folder = Path(migrations.__file__).parent
    offenders = []
    for path in sorted(folder.glob("m[0-9]*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "kinerja.models"
            ):
                offenders.append(f"{path.name}: from {node.module} import …")
    assert not offenders, offenders
