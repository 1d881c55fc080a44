"""Shared fixtures: app, client, runner, login_as, world (one person per role)."""

import os
from dataclasses import dataclass, field

import pytest

from kinerja import migrations, passwords
from kinerja.db import database
from kinerja.enums import Role
from portal import create_app
from tests.builders import make_account, make_employee, make_unit

ROLES = ("anonymous", "pegawai", "supervisor", "atasan", "admin", "auditor")


@pytest.fixture(scope="session", autouse=True)
def _cheap_passwords():
    passwords.configure(time_cost=1, memory_cost=1024)


def _database_url(tmp_path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite3'}"


def _reset_postgres():
    if database.obj.__class__.__name__.startswith("Postgres"):
        database.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


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
