"""Real-browser fixtures: a live waitress server per module, Debian's Chromium, page checks.

- ``live_server``: the base URL of a waitress server in a thread on a free loopback port,
  serving ``create_app`` (CSRF on, as in production) on a fresh SQLite file per module.
  The module's database is filled by the ``world_builder`` fixture (override it in a module
  to seed something else, e.g. ``seed_demo``); ``live_world`` is what the builder returned.
- ``browser``: Chromium, one per worker. Skipped (with the reason) only where
  ``/usr/bin/chromium`` is absent; with ``KINERJA_REQUIRE_BROWSER=1`` (CI) that fails instead.
- ``page`` (1280×800) and ``phone_page`` (390×844): a new browser context per test.
- ``visit(page, path, step=None, status=200)`` and ``check(page, step, status=None)``: run the
  page checks (strict HTML5 parse of the response body with unique ids, ``lang="id"``,
  axe-core with no serious/critical violations; in a phone context also no sideways
  scrolling and every control within the screen, see ``support.fits_the_phone``) and save a
  screenshot under
  ``test-output/screenshots/<test-name>/``.

The app binds the global peewee ``DatabaseProxy``: one live server per module, and
``--dist loadfile`` keeps a module in one xdist worker, so the proxy points at this
module's database while its tests run. Do not use the ``app``/``client`` fixtures here.
"""

import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import waitress

from kinerja import migrations, passwords
from kinerja.db import database
from kinerja.enums import Role
from portal import create_app
from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    PageChecks,
    axe_source,
    new_context,
    slug,
)
from tests.builders import TEST_PASSWORD, make_account, make_employee, make_unit

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder ``browser`` (``-m "not browser"`` leaves them out)."""
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _chromium_or_skip():
    if Path(CHROMIUM).exists():
        return
    message = (
        f"Chromium tidak ditemukan di {CHROMIUM}: tes peramban dilewati "
        "(pasang dengan `apt-get install chromium`; .ci/run memasangnya)."
    )
    if os.environ.get("KINERJA_REQUIRE_BROWSER") == "1":
        pytest.fail(message.replace("dilewati", "WAJIB di CI (KINERJA_REQUIRE_BROWSER=1)"))
    pytest.skip(message)


@dataclass
class BrowserWorld:
    """The people of a browser module, with the password each one logs in with."""

    units: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    accounts: dict = field(default_factory=dict)
    passwords: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def nip(self, key: str) -> str:
        """The NIP a person types at the login page."""
        return self.people[key].nip


def build_world() -> BrowserWorld:
    """The small world of tests/conftest.py, plus ``baru`` who must change the password."""
    w = BrowserWorld()
    opd = make_unit(
        "Dinas Kependudukan dan Pencatatan Sipil",
        code="DUKCAPIL",
        serves_public=True,
        short_name="Disdukcapil",
    )
    bidang = make_unit(
        "Bidang Pelayanan Pendaftaran Penduduk", code="DUKCAPIL.PDP", kind="BIDANG", parent=opd
    )
    seksi = make_unit(
        "Seksi Identitas Penduduk", code="DUKCAPIL.PDP.ID", kind="SEKSI", parent=bidang
    )
    bkpsdm = make_unit("Badan Kepegawaian dan Pengembangan SDM", code="BKPSDM", short_name="BKPSDM")
    w.units.update(opd=opd, bidang=bidang, seksi=seksi, bkpsdm=bkpsdm)
    kadis = make_employee("Kepala Dinas Uji", unit=opd, jenis="JPT", golongan="IV/c")
    atasan = make_employee(
        "Kabid Uji", unit=bidang, supervisor=kadis, jenis="ADMINISTRATOR", golongan="IV/a"
    )
    supervisor = make_employee(
        "Kasi Uji", unit=seksi, supervisor=atasan, jenis="PENGAWAS", golongan="III/d"
    )
    w.people.update(
        kadis=kadis,
        atasan=atasan,
        supervisor=supervisor,
        pegawai=make_employee("Pegawai Uji", unit=seksi, supervisor=supervisor),
        peer=make_employee("Rekan Uji", unit=seksi, supervisor=supervisor),
        baru=make_employee("Pegawai Baru Uji", unit=seksi, supervisor=supervisor),
        admin=make_employee("Admin Uji", unit=bkpsdm),
        auditor=make_employee("Auditor Uji", unit=bkpsdm),
    )
    for key, person in w.people.items():
        roles = {"admin": [Role.ADMIN], "auditor": [Role.AUDITOR]}.get(key, [])
        w.accounts[key] = make_account(person, roles=roles, must_change=key == "baru")
        w.passwords[key] = TEST_PASSWORD
    return w


def seed_demo() -> BrowserWorld:
    """The Sibolga demo data (kinerja.demo), its named people with the demo password."""
    from kinerja import demo

    demo.seed()
    w = BrowserWorld()
    for key, nip in demo.demo_people().items():
        person = demo.demo_person(key)
        assert person.nip == nip
        w.people[key] = person
        w.accounts[key] = person.accounts.get()
        w.passwords[key] = demo.DEMO_PASSWORD
    return w


@pytest.fixture(scope="module")
def world_builder():
    """What fills the module's database (override per module; returns the world)."""
    return build_world


@dataclass
class _Live:
    url: str
    world: object


def live_app(tmp_path_factory, world_builder, name: str = "live"):
    """An app on a fresh SQLite file in a module's temporary folder, filled by the builder.

    Returns (app, world); the database connection is closed for the server to take.
    """
    passwords.configure(time_cost=1, memory_cost=1024)
    folder = tmp_path_factory.mktemp(name)
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "uji-peramban",
            "DATABASE_URL": f"sqlite:///{folder / 'live.sqlite3'}",
            "PASSWORD_COST": "fast",
            "DEMO_BANNER": "0",
        }
    )
    database.connect(reuse_if_open=True)
    migrations.upgrade()
    world = world_builder()
    database.close()
    return application, world


@pytest.fixture(scope="module")
def _live(tmp_path_factory, world_builder):
    application, world = live_app(tmp_path_factory, world_builder)
    server = waitress.create_server(application, host="127.0.0.1", port=0, threads=4)

    def run():
        try:
            server.run()
        except OSError:  # closed from the test thread while its loop waited in select()
            pass

    thread = threading.Thread(target=run, name="live-server", daemon=True)
    thread.start()
    try:
        yield _Live(f"http://127.0.0.1:{server.effective_port}", world)
    finally:
        server.close()
        thread.join(timeout=10)
        if not database.is_closed():
            database.close()


@pytest.fixture(scope="module")
def live_server(_live) -> str:
    """The base URL of this module's live server (no trailing slash)."""
    return _live.url


@pytest.fixture(scope="module")
def live_world(_live):
    """What ``world_builder`` created in this module's database."""
    return _live.world


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never ``playwright install``)."""
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        manager.stop()
        raise
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture(scope="session")
def axe():
    """The pinned axe-core source (installed from npm into .cache/axe-core when absent)."""
    return axe_source()


@pytest.fixture
def checks(request, live_server, axe) -> PageChecks:
    """This test's page checks and its screenshot folder (emptied first)."""
    folder = SCREENSHOTS / slug(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    return PageChecks(live_server, axe, folder)


def _new_page(browser, checks, viewport):
    context = new_context(browser, viewport)
    page = context.new_page()
    checks.watch(page)
    return context, page


@pytest.fixture
def page(browser, checks):
    """A desktop page (1280×800) in a fresh context (no cookies)."""
    context, tab = _new_page(browser, checks, DESKTOP)
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser, checks):
    """A phone page (390×844) in a fresh context."""
    context, tab = _new_page(browser, checks, PHONE)
    yield tab
    context.close()


@pytest.fixture
def visit(checks):
    """``visit(page, path, step=None, status=200)``: navigate, then run the page checks."""
    return checks.visit


@pytest.fixture
def check(checks):
    """``check(page, step, status=None)``: run the page checks on what is shown now."""
    return checks.check
