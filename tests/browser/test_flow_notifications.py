"""Notifications in a real browser (issue 23 part 4): the Kasi returns Pegawai Uji's SKP with
a note; Pegawai Uji logs in, reads "Notifikasi, 1 belum dibaca" on the bell, opens the list,
opens the notification and lands on the returned SKP with the bell back to no unread; then
the same on a phone, through the "Menu" button. Every screen is checked (axe, phone fit)."""

import pytest
from playwright.sync_api import expect

from kinerja.clock import today_wib
from kinerja.enums import NotificationKind
from kinerja.models.notification import Notification
from kinerja.services import notifications as notification_service
from tests.browser import flows
from tests.browser import flows_supervisor as sv
from tests.browser.conftest import build_world
from tests.builders_skp import make_skp

RETURN_NOTE = "Lengkapi target kualitas indikator KTP-el."


def build_notification_world():
    """The small world; Pegawai Uji's SKP of this year waits for the Kasi's decision."""
    world = build_world()
    skp = make_skp(world.people["pegawai"], year=today_wib().year, status="DIAJUKAN", rhks=sv.RHKS)
    world.objects["skp"] = skp
    return world


@pytest.fixture(scope="module")
def world_builder():
    return build_notification_world


def _bell(page):
    return page.get_by_role("navigation", name="Menu utama").locator("a.nav-bell")


def test_returned_skp_reaches_the_employee_through_the_bell(page, checks, live_world):
    world = live_world
    skp = world.objects["skp"]

    # The Kasi returns the SKP with a note.
    flows.login_as(page, checks, world, "supervisor", step="masuk-kasi")
    checks.visit(page, f"/atasan/skp/{skp.id}", step="skp-tinjau")
    decision = page.get_by_role("region", name="Keputusan")
    flows.field(page, "Catatan untuk pegawai").fill(RETURN_NOTE)
    decision.get_by_role("button", name="Kembalikan dengan catatan").click()
    expect(decision.get_by_role("status")).to_have_text(
        "SKP Pegawai Uji dikembalikan dengan catatan."
    )
    checks.check(page, "skp-dikembalikan")
    expect(_bell(page)).to_have_attribute("aria-label", "Notifikasi")  # nothing for the Kasi
    flows.logout(page, checks)

    # Pegawai Uji sees the count on the bell and opens the list.
    flows.login_as(page, checks, world, "pegawai", step="masuk-pegawai")
    bell = page.get_by_role("link", name="Notifikasi, 1 belum dibaca")
    expect(bell).to_be_visible()
    expect(bell).to_contain_text("1")
    with flows.lands_on(page, checks, "notifikasi"):
        bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifikasi")
    title = f"SKP {skp.year} Anda dikembalikan oleh Pejabat Penilai"
    item = page.locator(".notification-unread")
    expect(item).to_contain_text(RETURN_NOTE)
    expect(item).to_contain_text("Belum dibaca")

    # Opening it marks it read and lands on the SKP with the note.
    with flows.lands_on(page, checks, "skp-dari-notifikasi"):
        page.get_by_role("button", name=title).click()
    expect(page).to_have_url(checks.url(f"/skp/{skp.id}"))
    expect(page.get_by_text(RETURN_NOTE)).to_be_visible()
    expect(_bell(page)).to_have_attribute("aria-label", "Notifikasi")
    with sv.db():
        [note] = Notification.select().where(Notification.employee == world.people["pegawai"].id)
        assert note.read_at is not None

    # The preferences page: choose "Tidak" (no e-mail), saved.
    checks.visit(page, "/notifikasi/pengaturan", step="pengaturan-notifikasi")
    page.get_by_label("Tidak: pemberitahuan hanya tampil di portal").check()
    with flows.lands_on(page, checks, "pengaturan-disimpan"):
        page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.locator(".flashes")).to_contain_text("Pengaturan notifikasi disimpan.")


def test_the_bell_on_a_phone(phone_page, checks, live_world):
    world = live_world
    page = phone_page
    with sv.db():
        notification_service.notify(
            world.people["peer"].id,
            NotificationKind.TENGGAT,
            "Pengingat tenggat: Susun SKP",
            "Tenggatnya besok.",
            "staff.skp_index",
        )
    flows.login_as(page, checks, world, "peer", step="masuk-rekan-ponsel")
    # On a phone the menu is folded: its button tells the unread count before it opens.
    menu = page.get_by_role("button", name="Menu, 1 notifikasi belum dibaca")
    expect(menu).to_be_visible()
    expect(menu).to_have_text("Menu 1")
    menu.click()
    bell = page.get_by_role("link", name="Notifikasi, 1 belum dibaca")
    with flows.lands_on(page, checks, "notifikasi-ponsel"):
        bell.click()
    with flows.lands_on(page, checks, "skp-dari-notifikasi-ponsel"):
        page.get_by_role("button", name="Pengingat tenggat: Susun SKP").click()
    expect(page).to_have_url(checks.url("/skp"))
