"""The bell keeps the longest menu on one line (issue 21's rule, issue 23 part 4): the demo's
Kepala Seksi Identitas, who also administers, with 12 unread notifications (a two-digit
badge) at 1366 and 1300 px."""

import pytest
from playwright.sync_api import expect

from kinerja.enums import NotificationKind
from kinerja.services.notifications import notify
from tests.browser import flows
from tests.browser.support import new_context
from tests.browser.test_flow_phone import MOST_ENTRIES, build_phone_world


def build_world_with_unread():
    """The phone flow's demo world, with a dozen unread notifications for the longest menu."""
    world = build_phone_world()
    for i in range(12):
        notify(world.people[MOST_ENTRIES].id, NotificationKind.TENGGAT, f"Uji {i}", "Isi")
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_world_with_unread


@pytest.mark.parametrize("width", [1366, 1300], ids=str)
def test_menu_with_the_bell_is_on_one_line(browser, checks, live_world, width):
    context = new_context(browser, {"width": width, "height": 768})
    page = context.new_page()
    checks.watch(page)
    try:
        flows.login_as(page, checks, live_world, MOST_ENTRIES)
        menu = page.get_by_role("navigation", name="Menu utama")
        expect(menu.get_by_role("link", name="Notifikasi, 12 belum dibaca")).to_be_visible()
        expect(menu.get_by_role("link", name="Admin")).to_be_visible()
        boxes = [li.bounding_box() for li in menu.locator("li").all()]
        assert all(b["x"] + b["width"] <= width for b in boxes), "menu entry off the window"
        assert len({round(b["y"]) for b in boxes}) == 1, "menu on more than one line"
        logout = page.locator("header form.logout").bounding_box()
        right = max(b["x"] + b["width"] for b in boxes)
        assert right <= logout["x"], f"menu ends at {right}px, under the name at {logout['x']}px"
        header = page.locator("header.site-header").bounding_box()
        assert header["height"] <= 80, f"header {header['height']}px high"
    finally:
        context.close()
