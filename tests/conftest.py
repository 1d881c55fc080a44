"""Shared fixtures: app, client, runner, login_as, world (one person per role)."""

import os
from dataclasses import dataclass, field

import pytest

from kinerja import clock, migrations, passwords
from kinerja.db import database, is_postgres
from kinerja.enums import Role
from portal import create_app
from tests.builders import make_account, make_employee, make_unit

ROLES = ("anonymous", "pegawai", "supervisor", "atasan", "admin", "auditor")

# The day the suite runs on, whatever the calendar says (issue 16). CI runs the dated tests
# again with KINERJA_TODAY set to awkward days (end of a quarter, 1 January, 29 February).
DEFAULT_TODAY = "2026-11-26T10:00"


def pytest_configure(config):
    """Pin the clock before any test module is imported; subprocesses inherit the pin."""
    os.environ.setdefault(clock.ENV_VAR, DEFAULT_TODAY)
    clock.pin(os.environ[clock.ENV_VAR])
    # Batch commands invoked in-process must not lower the priority of the test worker.
    os.environ["KINERJA_BATCH_NICE"] = "0"


def pytest_report_header(config):
    return f"kinerja.clock: today is pinned to {clock.today_wib().isoformat()} (WIB)"


@pytest.fixture(scope="session", autouse=True)
def _cheap_passwords():
    passwords.configure(time_cost=1, memory_cost=1024)


def _database_url(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return _worker_database(url)


_created_worker_dbs: set[str] = set()


def _worker_database(url: str) -> str:
    """One PostgreSQL database per xdist worker (``<name>_gw0``), created on first use.

    Each app fixture drops and recreates the schema, so two workers sharing one database
    would wipe each other's tables mid-test.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgres"):
        return url
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    worker_url = urlunsplit(parts._replace(path=f"/{name}"))
    if name not in _created_worker_dbs:
        import psycopg2

        conn = psycopg2.connect(url)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        _created_worker_dbs.add(name)
    return worker_url


# The rows the migrations themselves insert, by table, captured after the first full build
# of this worker's PostgreSQL schema (a test then starts from TRUNCATE + these rows).
_pg_baseline: dict[str, tuple[list[str], list[tuple]]] | None = None
_pg_shape: list | None = None

_PG_SHAPE_SQL = """
SELECT 'c', table_name, column_name || ' ' || data_type || ' ' || is_nullable
  FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL
SELECT 't', c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal
UNION ALL
SELECT 'i', tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'f', p.proname, '' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public'
ORDER BY 1, 2, 3
"""


def _pg_schema_shape() -> list:
    return database.execute_sql(_PG_SHAPE_SQL).fetchall()


def _reset_postgres():
    """Give the next test an empty, fully migrated PostgreSQL schema.

    Rebuilding the schema for every test costs about 0,4 s; emptying the tables costs a
    fraction of that. The schema is rebuilt only when a test changed it (dropped a table,
    stepped the version back).
    """
    global _pg_baseline, _pg_shape
    if not is_postgres():
        return
    intact = _pg_baseline is not None and _pg_schema_shape() == _pg_shape
    if intact:
        # a test may have stepped the version back (the migration tests)
        intact = migrations.current_version() == migrations.latest_version()
    if not intact:
        database.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        migrations.upgrade()
        _pg_baseline = {}
        for table in database.get_tables():
            cursor = database.execute_sql(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            _pg_baseline[table] = (columns, cursor.fetchall())
        _pg_shape = _pg_schema_shape()
        return
    # TRUNCATE costs a few milliseconds per table: empty only the tables a test wrote to
    probe = " UNION ALL ".join(
        f"SELECT '{t}' FROM (SELECT 1 FROM \"{t}\" LIMIT 1) AS x" for t in sorted(_pg_baseline)
    )
    used = [row[0] for row in database.execute_sql(probe).fetchall()]
    names = ", ".join(f'"{t}"' for t in used)
    if names:
        database.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    for table, (columns, rows) in _pg_baseline.items():
        if not rows:
            continue
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        for row in rows:
            database.execute_sql(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', row)
        if "id" in columns:
            database.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), MAX(id)) "
                f'FROM "{table}"'
            )


@pytest.fixture
def app(tmp_path):
    """A fresh app on a fresh database, CSRF off for convenience (CSRF has its own tests)."""
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "uji-rahasia",
            "DATABASE_URL": _database_url(tmp_path),
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_COST": "fast",
            "DEMO_BANNER": "0",
        }
    )
    database.connect(reuse_if_open=True)
    _reset_postgres()
    migrations.upgrade()
    yield application
    if not database.is_closed():
        database.close()


@pytest.fixture
def csrf_app(tmp_path):
    """Like ``app`` but with CSRF protection on, as in production."""
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "uji-rahasia",
            "DATABASE_URL": _database_url(tmp_path),
            "PASSWORD_COST": "fast",
            "DEMO_BANNER": "0",
        }
    )
    database.connect(reuse_if_open=True)
    _reset_postgres()
    migrations.upgrade()
    yield application
    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Log ``client`` in as an account (or an employee's account) without a password."""

    def _login(who):
        account = getattr(who, "account", None) or who
        if hasattr(account, "accounts"):
            account = account.accounts.get()
        with client.session_transaction() as session:
            session["_user_id"] = f"{account.id}.{account.session_nonce}"
            session["_fresh"] = True
            session.pop("_login_at", None)  # a new login: its lifetime starts at first use
        return client

    return _login


@dataclass
class World:
    """One person per role, in one small unit tree, plus area objects added by tests."""

    units: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    accounts: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


@pytest.fixture
def world(app):
    """kadis → kabid (atasan) → kasi (supervisor) → pegawai + peer; admin; auditor."""
    w = World()
    opd = make_unit(
        "Dinas Kependudukan dan Pencatatan Sipil",
        code="DUKCAPIL",
        kind="OPD",
        serves_public=True,
        short_name="Disdukcapil",
    )
    bidang = make_unit(
        "Bidang Pelayanan Pendaftaran Penduduk",
        code="DUKCAPIL.PDP",
        kind="BIDANG",
        parent=opd,
        serves_public=True,
    )
    seksi = make_unit(
        "Seksi Identitas Penduduk",
        code="DUKCAPIL.PDP.ID",
        kind="SEKSI",
        parent=bidang,
        serves_public=True,
    )
    bkpsdm = make_unit(
        "Badan Kepegawaian dan Pengembangan SDM", code="BKPSDM", kind="OPD", short_name="BKPSDM"
    )
    w.units.update(opd=opd, bidang=bidang, seksi=seksi, bkpsdm=bkpsdm)
    kadis = make_employee("Kepala Dinas Uji", unit=opd, jenis="JPT", golongan="IV/c")
    atasan = make_employee(
        "Kabid Uji", unit=bidang, supervisor=kadis, jenis="ADMINISTRATOR", golongan="IV/a"
    )
    supervisor = make_employee(
        "Kasi Uji", unit=seksi, supervisor=atasan, jenis="PENGAWAS", golongan="III/d"
    )
    pegawai = make_employee("Pegawai Uji", unit=seksi, supervisor=supervisor)
    peer = make_employee("Rekan Uji", unit=seksi, supervisor=supervisor)
    admin = make_employee("Admin Uji", unit=bkpsdm)
    auditor = make_employee("Auditor Uji", unit=bkpsdm)
    w.people.update(
        kadis=kadis,
        atasan=atasan,
        supervisor=supervisor,
        pegawai=pegawai,
        peer=peer,
        admin=admin,
        auditor=auditor,
    )
    for key, person in w.people.items():
        roles = {"admin": [Role.ADMIN], "auditor": [Role.AUDITOR]}.get(key, [])
        w.accounts[key] = make_account(person, roles=roles)
    return w


_TX_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END")
# kinerja.db.maybe_checkpoint runs one every CHECKPOINT_EVERY commits of the process, so
# whether it lands in a measured request depends on the tests that ran before: not a
# statement of the page, tallied with the transaction control.
_MAINTENANCE = ("PRAGMA WAL_CHECKPOINT",)


class QueryLog:
    """SQL statements seen by the bound database while counting (transaction control apart)."""

    def __init__(self):
        self.statements: list[str] = []
        self.tx_control = 0

    @property
    def count(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return "\n".join(f"{i + 1:3}. {sql}" for i, sql in enumerate(self.statements))


@pytest.fixture
def count_queries(app, monkeypatch):
    """Count SQL statements: ``with count_queries() as q: client.get(url)`` → ``q.count``.

    Wraps the bound peewee database's ``execute_sql`` (every model query goes through it);
    BEGIN/COMMIT/SAVEPOINT and the periodic WAL checkpoint are tallied apart in
    ``q.tx_control``. ``str(q)`` lists the SQL.
    """
    from contextlib import contextmanager

    db = database.obj
    original = db.execute_sql
    active: list[QueryLog] = []

    def counting(sql, params=None, *args, **kwargs):
        for log in active:
            if sql.lstrip().upper().startswith(_TX_CONTROL + _MAINTENANCE):
                log.tx_control += 1
            else:
                log.statements.append(sql)
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counting)

    @contextmanager
    def _count():
        log = QueryLog()
        active.append(log)
        try:
            yield log
        finally:
            active.remove(log)

    return _count
