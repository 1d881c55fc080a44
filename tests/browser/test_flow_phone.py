"""Phones (issue 21): every staff, supervisor, admin, auditor and loket page at 390×844.

On every screen of a phone context the page checks (``support.fits_the_phone``) assert that
the document is no wider than the screen and that every visible control lies within the
screen's width (or within a named, focusable scroll box that does); screenshots land in
``test-output/screenshots/<test>/``.

1. The header is one compact row with a "Menu" button (aria-expanded) that opens and closes
   the main menu by mouse and keyboard (Enter, Escape).
2. Each demo role walks its menu and the pages linked from there (one page per kind of
   address at most twice), on a phone.
3. At the loket, the "Selesai" button of an open request is on screen and works.
4. The supervisor's rating page keeps the self-assessment narratives readable.
5. At 1366×768 (and from 1300 px) the longest main menu fits on one line; at 1024 px it
   takes its own row; the page is never wider than the window.

Data: the Sibolga demo; ``kasi_identitas`` (a supervisor at a public-service unit) is also
given the admin role, so the menu has every entry.
"""

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from kinerja.enums import Role
from kinerja.models.account import AccountRole
from tests.browser import flows
from tests.browser.conftest import seed_demo
from tests.browser.support import new_context

MOST_ENTRIES = "kasi_identitas"
PAGE_LIMIT = 40
PER_KIND = 2  # e.g. an open and a final evaluation (the kuadran)
SKIPPED = re.compile(r"(/keluar|^/publik|^/kios/|\.(csv|xlsx|json|pdf|svg|png)$|/unduh)")


def build_phone_world():
    """The demo; the Kepala Seksi Identitas also administers (the longest menu)."""
    world = seed_demo()
    AccountRole.create(account=world.accounts[MOST_ENTRIES], role=str(Role.ADMIN))
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_phone_world


def _menu(page):
    return page.get_by_role("navigation", name="Menu utama")


def _toggle(page):
    return page.locator("header").get_by_role("button", name="Menu", exact=True)


def _kind(path: str) -> str:
    """One page per kind of address: the path with its numbers replaced."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href^='/'], main a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h.split("#")[0] for h in hrefs if h and not SKIPPED.search(h.split("?")[0])]


def test_phone_header_is_compact_and_its_menu_opens_by_keyboard(phone_page, checks, live_world):
    page = phone_page
    flows.login_as(page, checks, live_world, "pelaksana")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 844 * 0.12, f"header takes {header['height']}px of 844px"
    toggle = _toggle(page)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(_menu(page)).to_be_hidden()
    # Keyboard: focus the button, Enter opens, Escape closes and keeps the focus there.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    menu = _menu(page)
    expect(menu).to_be_visible()
    width = page.evaluate("() => window.innerWidth")
    for link in menu.get_by_role("link").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
        assert box["height"] >= 24, f"menu entry {link.inner_text()!r} too small to tap"
    checks.check(page, "menu-terbuka")
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(_menu(page)).to_be_hidden()
    # Mouse: open, follow an entry.
    toggle.click()
    with flows.lands_on(page, checks, "skp-dari-menu"):
        _menu(page).get_by_role("link", name="SKP Saya").click()
    expect(page).to_have_url(checks.url("/skp"))
    expect(_toggle(page)).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize(
    "key", ["pelaksana", "kasi_identitas", "kabid_pdp", "admin", "auditor"], ids=str
)
def test_every_page_of_a_role_fits_a_phone(phone_page, checks, live_world, key):
    """Menu entries first, then the pages they link to; at most two of each kind of address."""
    page = phone_page
    flows.login_as(page, checks, live_world, key)
    _toggle(page).click()
    queue = [h for h in _links(page) if h.startswith("/")]
    kinds = Counter({_kind("/beranda"): PER_KIND})
    visited = []
    while queue and len(visited) < PAGE_LIMIT:
        path = queue.pop(0)
        if path in visited or kinds[_kind(path)] >= PER_KIND:
            continue
        kinds[_kind(path)] += 1
        # a confirmation that explains why an action cannot be taken now answers 409
        checks.visit(page, path, step=f"{key}-{path}", status=(200, 409))
        visited.append(path)
        queue.extend(h for h in _links(page) if kinds[_kind(h)] < PER_KIND)
    assert len(visited) >= 5, f"{key}: only {visited}"


def test_loket_selesai_is_on_screen_and_works(phone_page, checks, live_world):
    page = phone_page
    flows.login_as(page, checks, live_world, "pelaksana")
    checks.visit(page, "/loket", step="loket")
    open_list = page.locator("#counter-open")
    badge = open_list.locator("h2 .badge")
    before = int(badge.inner_text())
    assert before > 0, "the demo has open requests"
    button = open_list.get_by_role("button", name=re.compile("^Selesai")).first
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    width = page.evaluate("() => window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"Selesai at {box}"
    button.click()
    expect(page.locator("#counter-open h2 .badge")).to_have_text(str(before - 1))
    checks.check(page, "loket-selesai")


def test_rating_page_keeps_narratives_readable_on_a_phone(phone_page, checks, live_world):
    page = phone_page
    flows.login_as(page, checks, live_world, "kasi_identitas")
    checks.visit(page, "/atasan/penilaian", step="daftar-penilaian")
    link = page.locator("main a[href^='/atasan/penilaian/']").first
    with flows.lands_on(page, checks, "nilai"):
        link.click()
    widths = page.eval_on_selector_all(
        "main .table td", "cells => cells.map(c => c.getBoundingClientRect().width)"
    )
    assert widths, "no table on the rating page"
    assert min(widths) >= 80, f"a cell only {min(widths)}px wide"


@pytest.mark.parametrize("width", [1366, 1300, 1024], ids=str)
def test_desktop_menu_is_on_one_line_at_1366(browser, checks, live_world, width):
    """One line from 1300 px (1366 is the common laptop); below that the menu takes its own
    row; never wider than the window."""
    context = new_context(browser, {"width": width, "height": 768})
    page = context.new_page()
    checks.watch(page)
    try:
        flows.login_as(page, checks, live_world, MOST_ENTRIES)
        menu = _menu(page)
        expect(menu.get_by_role("link", name="Admin")).to_be_visible()
        expect(menu.get_by_role("link", name="Loket Layanan")).to_be_visible()
        expect(_toggle(page)).to_be_hidden()
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= width, f"page {wide}px wider than the {width}px window"
        boxes = [li.bounding_box() for li in menu.locator("li").all()]
        assert all(b["x"] + b["width"] <= width for b in boxes), "menu entry off the window"
        tops = {round(b["y"]) for b in boxes}
        header = page.locator("header.site-header").bounding_box()
        if width >= 1300:
            assert len(tops) == 1, f"menu on {len(tops)} lines"
            assert header["height"] <= 80, f"header {header['height']}px high"
    finally:
        context.close()
