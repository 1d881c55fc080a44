"""Steps of the pegawai's pages (SKP, realisation, evaluation), screen by screen.

Each step acts like a person (labels, roles, the visible text of a box) and checks every
screen it lands on, as ``tests.browser.flows`` does. Used by ``test_flow_pegawai.py``.
"""

from playwright.sync_api import expect

from kinerja.db import database
from tests.browser import flows


def db_read(fn):
    """Run ``fn()`` against the module's database from the test thread (own connection)."""
    database.connect(reuse_if_open=True)
    try:
        return fn()
    finally:
        database.close()


def follow_task(page, checks, title: str, step: str) -> None:
    """On the home page, open the task ``title`` of "Tugas Anda"."""
    tasks = page.get_by_role("region", name="Tugas Anda")
    with flows.lands_on(page, checks, step):
        tasks.get_by_role("link", name=title).click()


def add_box(scope, summary: str):
    """The collapsible "add" box in ``scope`` whose summary reads ``summary``, opened."""
    page = getattr(scope, "page", scope)
    label = page.locator("summary").get_by_text(summary, exact=True)
    box = scope.locator("details").filter(has=label)
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    expect(box).to_have_attribute("open", "")
    return box


def swapped(page, checks, step: str, done: str) -> None:
    """After an htmx swap of the plan: the status ``done`` shows; check the DOM."""
    expect(page.get_by_role("status").filter(has_text=done)).to_be_visible()
    checks.check(page, step)


def add_rhk(page, checks, text: str, *, parent: str | None = None, step: str) -> None:
    """Add an RHK Utama (optionally intervening the supervisor's RHK ``parent``)."""
    box = add_box(page, "Tambah RHK Utama")
    flows.field(box, "Rencana hasil kerja").fill(text)
    if parent is not None:
        select = flows.field(box, "RHK pimpinan yang diintervensi")
        select.select_option(label=parent)
    box.get_by_role("button", name="Tambah", exact=True).click()
    swapped(page, checks, step, "RHK ditambahkan.")
    expect(page.get_by_role("list", name="RHK Utama")).to_contain_text(text)


def add_indicator(page, checks, rhk_text: str, text: str, target: str, unit: str, *, step: str):
    """Add a kuantitatif indicator with its target to the RHK ``rhk_text``."""
    rhk = page.get_by_role("listitem").filter(has=page.get_by_text(rhk_text, exact=True))
    box = add_box(rhk, "Tambah indikator")
    flows.field(box, "Indikator kinerja individu").fill(text)
    flows.field(box, "Aspek").select_option(label="Kuantitas")
    flows.field(box, "Target").fill(target)
    flows.field(box, "Satuan").fill(unit)
    box.get_by_role("button", name="Tambah indikator").click()
    swapped(page, checks, step, "Indikator ditambahkan.")
    table = rhk.get_by_role("table")
    expect(table).to_contain_text(text)
    expect(table).to_contain_text(f"{target} {unit}")


# --- keyboard ---------------------------------------------------------------------------------

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {tag: 'BODY', ring: false};
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const label = el.labels && el.labels.length ? el.labels[0].textContent.trim() : '';
    return {
        tag: el.tagName, id: el.id, type: el.type || '', label: label,
        text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
        ring: outline || s.boxShadow !== 'none',
    };
}"""


def focused(page) -> dict:
    """What has the keyboard focus: tag, id, type, label, text, and whether a ring shows."""
    return page.evaluate(FOCUSED)


def press(page, key: str) -> dict:
    """Press ``key``; the newly focused element must show a focus ring."""
    page.keyboard.press(key)
    now = focused(page)
    assert now["tag"] == "BODY" or now["ring"], f"focus without a visible ring: {now}"
    return now


def tab_to(page, wanted, *, back: bool = False, limit: int = 60) -> dict:
    """Tab (Shift+Tab with ``back``) until ``wanted(focused)`` holds; every stop on the way
    shows a focus ring and none is the page body (focus never gets lost)."""
    key = "Shift+Tab" if back else "Tab"
    seen = []
    for _ in range(limit):
        now = press(page, key)
        assert now["tag"] != "BODY", f"focus fell back to the page body after {seen}"
        seen.append(now.get("id") or now.get("text") or now["tag"])
        if wanted(now):
            return now
    raise AssertionError(f"focus never reached the target; went through {seen}")
