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


def test_upgrade_from_version_one_keeps_data(app):
    # Rebuild the database as it was at version 1, put data in, then upgrade.
    is_pg = "Postgres" in type(database.obj).__name__
    if not is_pg:
        database.execute_sql("PRAGMA foreign_keys = OFF")
    for table in sorted(_tables()):
        database.execute_sql(
            f'DROP TABLE IF EXISTS "{table}" CASCADE'
            if "Postgres" in type(database.obj).__name__
            else f'DROP TABLE IF EXISTS "{table}"'
        )
    if not is_pg:
        database.execute_sql("PRAGMA foreign_keys = ON")
    assert migrations.current_version() == 0
    migrations.upgrade(target=1)
    assert migrations.current_version() == 1
    Unit.create(code="LAMA", name="Unit Lama", kind="OPD")
    applied = migrations.upgrade()
    assert migrations.current_version() == migrations.latest_version()
    assert [m.version for m in applied] == [
        m.version for m in migrations.discover() if m.version > 1
    ]
    assert Unit.get(Unit.code == "LAMA").name == "Unit Lama"


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
