"""Participation and less typing in a real browser (issue 23 parts 3 and 5).

1. The Admin BKPSDM opens "Partisipasi" from the console: every unit with subtotals; picking
   the seksi shows its progress chart (an SVG with a title) beside the same figures in a
   table, and who is late there.
2. The Kasi opens "Partisipasi unit" from the team page: only the seksi, with who is late.
3. The Kepala Dinas starts this year's SKP by copying last year's from "SKP Saya": the draft
   shows the RHK marked as copied from last year's approved SKP.
Every screen is checked (valid HTML, axe, screenshot).
"""

import pytest
from playwright.sync_api import expect

from kinerja.clock import today_wib
from kinerja.models.skp import Rhk, Skp
from tests.browser import flows
from tests.browser.conftest import build_world
from tests.builders_participation import make_participation_world
from tests.builders_skp import make_skp

LAST = today_wib().year - 1


def build_participation_world():
    """The small world with this year's cycle under way (tests/builders_participation.py)
    and the Kepala Dinas's approved SKP of last year."""
    world = build_world()
    world.objects.update(make_participation_world(world))
    make_skp(
        world.people["kadis"],
        year=LAST,
        status="DISETUJUI",
        rhks=(("UTAMA", "Meningkatnya kualitas layanan administrasi kependudukan", ()),),
    )
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_participation_world


def test_admin_opens_participation_of_every_unit(page, checks, live_world):
    flows.login_as(page, checks, live_world, "admin")
    with flows.lands_on(page, checks, "konsol"):
        page.get_by_role("link", name="Admin").click()
    with flows.lands_on(page, checks, "partisipasi"):
        page.get_by_role("link", name="Partisipasi").click()
    tree = page.locator("table.participation-tree")
    expect(tree).to_contain_text("BKPSDM")
    expect(tree).to_contain_text("Seksi Identitas Penduduk")
    with flows.lands_on(page, checks, "partisipasi-seksi"):
        tree.get_by_role("link", name="Seksi Identitas Penduduk").click()
    expect(page.locator("svg.progress-chart title")).to_have_text(
        "Kemajuan siklus kinerja Seksi Identitas Penduduk"
    )
    progress = page.locator("table.progress-table")
    expect(progress.get_by_role("row", name="SKP disetujui")).to_contain_text("%")
    expect(page.locator("table.late-table")).to_contain_text("Rekan Uji")


def test_a_head_opens_the_participation_of_their_unit(page, checks, live_world):
    flows.login_as(page, checks, live_world, "supervisor")
    checks.visit(page, "/atasan/tim", step="tim")
    with flows.lands_on(page, checks, "partisipasi-unit"):
        page.get_by_role("link", name="Partisipasi unit").click()
    rows = page.locator("table.participation-tree tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Seksi Identitas Penduduk")
    late = page.locator("table.late-table")
    expect(late).to_contain_text("Rekan Uji")
    expect(late).not_to_contain_text("Kabid Uji")


def test_an_employee_copies_last_years_skp(page, checks, live_world):
    flows.login_as(page, checks, live_world, "kadis")
    with flows.lands_on(page, checks, "skp-saya"):
        page.get_by_role("link", name="SKP Saya").click()
    with flows.lands_on(page, checks, "skp-disalin"):
        page.get_by_role("button", name=f"Salin dari SKP {LAST}").click()
    expect(page.locator(".rhk-meta").first).to_contain_text(
        f"Disalin dari SKP {LAST} yang disetujui"
    )
    kadis = live_world.people["kadis"]
    skp = Skp.get((Skp.employee == kadis.id) & (Skp.year == LAST + 1))
    assert Rhk.select().where(Rhk.skp == skp.id).count() == 1


def test_the_kabid_reads_participation_on_a_phone(phone_page, checks, live_world):
    """On a 390×844 phone the tree, the chart and the late list fit (tables scroll in their
    own box)."""
    flows.login_as(phone_page, checks, live_world, "atasan")
    checks.visit(phone_page, "/atasan/partisipasi", step="partisipasi-ponsel")
    rows = phone_page.locator("table.participation-tree tbody tr")
    expect(rows).to_have_count(2)
    expect(phone_page.locator("svg.progress-chart")).to_be_visible()
