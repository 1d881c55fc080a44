"""Reusable steps of the browser flows: what a person does, screen by screen.

Each step takes the Playwright ``page`` and the ``checks`` fixture (PageChecks), acts like a
person would (labels and roles, not CSS selectors), and runs the page checks on every screen
it lands on. Audience flows (pegawai, supervisor, atasan, admin, kiosk, citizen) are built
from these in ``tests/browser/test_flow_<audience>.py``; add shared steps here.
"""

import re
from contextlib import contextmanager

from playwright.sync_api import expect

WRONG_LOGIN = "NIP atau kata sandi salah."


def field(page, label: str):
    """The form control labelled exactly ``label`` (a required field's " *" allowed)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


@contextmanager
def lands_on(page, checks, step: str, status: int | None = None):
    """Wrap an action that navigates: wait for the new document, then check it."""
    with page.expect_navigation():
        yield
    checks.check(page, step, status=status)


def login(page, checks, nip: str, password: str, *, step: str = "masuk", status=None):
    """Open the login page, type NIP and password, press the button; check what follows."""
    checks.visit(page, "/masuk", step=f"{step}-formulir")
    field(page, "NIP / NI PPPK").fill(nip)
    field(page, "Kata sandi").fill(password)
    with lands_on(page, checks, step, status):
        page.get_by_role("button", name="Masuk").click()


def login_as(page, checks, world, key: str, *, step: str | None = None):
    """Log in as the world's person ``key`` and land on the home page."""
    login(page, checks, world.nip(key), world.passwords[key], step=step or f"masuk-{key}")
    expect(page).to_have_url(checks.url("/beranda"))


def change_password(page, checks, current: str, new: str, *, step: str = "kata-sandi-baru"):
    """Fill the change-password form and save; check the page it lands on."""
    field(page, "Kata sandi saat ini").fill(current)
    field(page, "Kata sandi baru").fill(new)
    field(page, "Ulangi kata sandi baru").fill(new)
    with lands_on(page, checks, step):
        page.get_by_role("button", name="Simpan kata sandi").click()


def logout(page, checks, *, step: str = "keluar"):
    """Press "Keluar" in the header; lands on the login page with a notice."""
    with lands_on(page, checks, step):
        page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(checks.url("/masuk"))
    expect(page.get_by_role("status")).to_contain_text("Anda telah keluar.")
