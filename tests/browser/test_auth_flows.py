"""Login, forced password change, home, logout and error pages in a real browser."""

from playwright.sync_api import expect

from tests.browser import flows

NEW_PASSWORD = "SibolgaBaru2027"


def test_login_home_logout(page, checks, live_world):
    flows.login_as(page, checks, live_world, "supervisor", step="beranda-kasi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang, Kasi Uji")
    # The supervisor sees the people they rate.
    team = page.get_by_role("table")
    expect(team).to_contain_text("Pegawai Uji")
    expect(team).to_contain_text("Rekan Uji")
    flows.logout(page, checks)
    # After logout the home page sends the browser back to the login page.
    checks.visit(page, "/beranda", step="beranda-setelah-keluar")
    expect(page).to_have_url(checks.url("/masuk?next=/beranda"))


def test_wrong_password_is_shown_and_announced(page, checks, live_world):
    flows.login(page, checks, live_world.nip("peer"), "bukan-sandinya-1", step="salah", status=401)
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(flows.WRONG_LOGIN)
    expect(alert).to_be_visible()
    # The NIP stays filled in; the password does not.
    expect(flows.field(page, "NIP / NI PPPK")).to_have_value(live_world.nip("peer"))
    expect(flows.field(page, "Kata sandi")).to_have_value("")


def test_invalid_input_errors_are_linked_to_their_fields(page, checks):
    checks.visit(page, "/masuk", step="formulir")
    flows.field(page, "NIP / NI PPPK").fill("123abc")
    with flows.lands_on(page, checks, "nip-salah", status=422):
        page.get_by_role("button", name="Masuk").click()
    nip = flows.field(page, "NIP / NI PPPK")
    expect(nip).to_have_attribute("aria-invalid", "true")
    described = nip.get_attribute("aria-describedby").split()
    messages = [page.locator(f"#{i}").inner_text() for i in described]
    assert "NIP hanya boleh berisi angka." in messages
    assert "Kata sandi wajib diisi." in page.locator("#password-error").inner_text()


def test_forced_password_change_at_first_login(page, checks, live_world):
    flows.login(page, checks, live_world.nip("baru"), live_world.passwords["baru"], step="awal")
    expect(page).to_have_url(checks.url("/akun/kata-sandi"))
    expect(page.get_by_text("Anda masih memakai kata sandi awal")).to_be_visible()
    # Other pages stay closed until the password is changed.
    checks.visit(page, "/beranda", step="beranda-ditahan")
    expect(page).to_have_url(checks.url("/akun/kata-sandi"))
    # A weak new password is refused with the reasons, announced.
    flows.field(page, "Kata sandi saat ini").fill(live_world.passwords["baru"])
    flows.field(page, "Kata sandi baru").fill("pendek")
    flows.field(page, "Ulangi kata sandi baru").fill("pendek")
    with flows.lands_on(page, checks, "sandi-lemah", status=422):
        page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_role("alert")).to_be_visible()
    flows.change_password(page, checks, live_world.passwords["baru"], NEW_PASSWORD)
    expect(page).to_have_url(checks.url("/beranda"))
    expect(page.get_by_role("status")).to_contain_text("Kata sandi berhasil diganti.")
    flows.logout(page, checks)
    flows.login(page, checks, live_world.nip("baru"), NEW_PASSWORD, step="masuk-sandi-baru")
    expect(page).to_have_url(checks.url("/beranda"))


def test_login_by_keyboard_only(page, checks, live_world):
    checks.visit(page, "/masuk", step="formulir")
    focused = "() => document.activeElement && (document.activeElement.name || '')"
    # The NIP field has focus on arrival (autofocus); no clicks from here on.
    assert page.evaluate(focused) == "nip"
    page.keyboard.type(live_world.nip("pegawai"))
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "password"
    page.keyboard.type(live_world.passwords["pegawai"])
    with flows.lands_on(page, checks, "beranda"):
        page.keyboard.press("Enter")
    expect(page).to_have_url(checks.url("/beranda"))


FOCUS_RING = (
    "() => { const el = document.activeElement; const s = getComputedStyle(el);"
    " return {tag: el.tagName, name: el.name || el.textContent.trim(), style: s.outlineStyle,"
    " width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }"
)


def _visible_ring(ring) -> bool:
    return (ring["style"] != "none" and ring["width"] >= 2) or ring["shadow"] != "none"


def test_skip_link_and_visible_focus(page, checks):
    # A page without autofocus: the first Tab reaches the skip link, shown with a ring.
    checks.visit(page, "/tidak-ada", step="halaman-404", status=404)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert _visible_ring(page.evaluate(FOCUS_RING))
    checks.screenshot(page, "fokus-tautan-lewati")
    page.keyboard.press("Enter")
    expect(page.locator("main#isi")).to_be_focused()
    # On the login page every control reached by Tab shows a focus ring.
    checks.visit(page, "/masuk", step="formulir")
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["tag"] == "BODY":
            break
        seen.append(ring["name"])
        assert _visible_ring(ring), ring
    assert "password" in seen and "Masuk" in seen, seen
    checks.screenshot(page, "fokus-formulir")


def test_login_page_on_a_phone(phone_page, checks):
    checks.visit(phone_page, "/masuk", step="masuk-ponsel")
    # Nothing scrolls sideways at 390 px.
    wide = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 0, f"the page is {wide}px wider than the phone screen"
    button = phone_page.get_by_role("button", name="Masuk")
    box = button.bounding_box()
    assert box["height"] >= 44, "touch target smaller than 44px"


def test_error_pages(page, checks, live_world):
    checks.visit(page, "/tidak-ada", step="404", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    checks.visit(page, "/keluar", step="405", status=405)
    expect(page.get_by_role("heading", level=1)).to_have_text("Metode tidak diizinkan")
    flows.login_as(page, checks, live_world, "pegawai")
    checks.visit(page, "/tidak-ada", step="404-masuk", status=404)
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
