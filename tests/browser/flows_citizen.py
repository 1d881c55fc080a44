"""Steps of the citizen's flow through the public pages (/publik), acting like a visitor.

Everything here reads the page as a person does (roles, names, visible text); the checks of
each screen (strict HTML, lang, axe, screenshot) run through ``checks`` as in ``flows``, and
``go`` adds the rules every public screen keeps: no name or NIP of any employee, and on a
phone no sideways scrolling, a reachable menu and tables that scroll inside their own box.
"""

import json
import re
from contextlib import contextmanager
from functools import lru_cache

from playwright.sync_api import expect

from kinerja.formatting import format_count, format_number
from kinerja.queries.public_csv import CSV_COLUMNS
from tests.browser import flows
from tests.public_checks import csv_dicts

OVERVIEW_TITLE = "Kinerja layanan publik Kota Sibolga"
WITHHELD = "data ditahan (n < 10)"
MENU = ("Ringkasan kota", "Metode", "Data terbuka", "Masuk pegawai")

FOCUS_RING = (
    "() => { const el = document.activeElement; const s = getComputedStyle(el);"
    " return {tag: el.tagName, text: (el.getAttribute('aria-label') || el.textContent || '')"
    ".trim().replace(/\\s+/g, ' ').slice(0, 60), href: el.getAttribute('href'),"
    " style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }"
)


def angka(value: float, places: int = 2) -> str:
    """A JSON figure as the pages write it: the product's one formatter (half-up)."""
    return format_number(value, places)


def bilangan(value: int) -> str:
    """A count as the pages write it: thousands with a dot."""
    return format_count(value)


def page_json(page, checks, path: str) -> dict:
    """The JSON twin of a public page: what the page is expected to show."""
    response = page.request.get(checks.url(path))
    assert response.status == 200, f"GET {path}: {response.status}"
    return response.json()


def no_sideways_scroll(page, where: str) -> None:
    """On a phone nothing scrolls sideways: the document is no wider than the screen."""
    wide = page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, screen: window.innerWidth})"
    )
    assert wide["doc"] <= wide["screen"], f"{where}: page {wide['doc']}px > {wide['screen']}px"


def tables_usable(page, where: str) -> None:
    """Every table sits in a named, focusable region that scrolls by itself when too wide."""
    report = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => {
            const wrap = t.closest('[role=region]');
            const box = wrap ? wrap.getBoundingClientRect() : null;
            return {
              wrapped: !!wrap,
              named: !!wrap && !!(wrap.getAttribute('aria-labelledby')
                                  || wrap.getAttribute('aria-label')),
              focusable: !!wrap && wrap.tabIndex === 0,
              overflow: wrap ? getComputedStyle(wrap).overflowX : null,
              fits: !!box && box.left >= 0 && box.right <= window.innerWidth + 0.5,
            };
        })"""
    )
    assert report, f"{where}: no table"
    for i, t in enumerate(report):
        assert t["wrapped"] and t["named"] and t["focusable"], f"{where}: table {i}: {t}"
        assert t["overflow"] in ("auto", "scroll"), f"{where}: table {i} does not scroll: {t}"
        assert t["fits"], f"{where}: table {i}'s scroll box is wider than the screen"


def scrolls_inside(page, region_name: str) -> None:
    """A table wider than the phone scrolls inside its region, and the region can scroll."""
    region = page.get_by_role("region", name=region_name, exact=True)
    sizes = region.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
    assert sizes["scroll"] > sizes["client"], f"{region_name}: fits, nothing to scroll {sizes}"
    region.evaluate("el => el.scrollBy(200, 0)")
    assert region.evaluate("el => el.scrollLeft") > 0, f"{region_name} does not scroll"
    region.evaluate("el => el.scrollTo(0, 0)")


def nav_reachable(page, where: str) -> None:
    """The public menu is on screen: every entry visible, inside the viewport, tappable."""
    nav = page.get_by_role("navigation", name="Menu data publik")
    expect(nav).to_be_visible()
    width = page.evaluate("() => window.innerWidth")
    for name in MENU:
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{where}: {name}"
        assert box["height"] >= 24, f"{where}: menu entry {name!r} too small to tap"


def _digit_runs(text: str) -> list[str]:
    """Runs of digits, spaces and dots (a NIP may be printed grouped) as bare digits."""
    return [re.sub(r"\D", "", run) for run in re.findall(r"\d[\d .]*\d", text)]


@lru_cache(maxsize=4)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    """One pattern for every name, each as a whole phrase (not inside a longer word)."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def no_personal_data(people: dict, where: str, text: str) -> None:
    """No employee's name (as a whole phrase) nor NIP appears in ``text``."""
    found = _names_pattern(tuple(sorted(people))).search(text)
    assert found is None, f"{where}: employee name {found.group(0)!r} shown"
    # A NIP / NI PPPK has 18 digits: only runs that long can hold one.
    runs = [run for run in _digit_runs(text) if len(run) >= 18]
    nips = set(people.values())
    for run in runs:
        shown = [nip for nip in nips if nip in run]
        assert not shown, f"{where}: NIP {shown[0]} shown"


def screen_rules(page, step: str, people: dict, *, phone: bool) -> None:
    """What every public screen keeps beyond the page checks."""
    no_personal_data(people, step, page.locator("body").inner_text())
    if phone:
        no_sideways_scroll(page, step)
        nav_reachable(page, step)
        if page.locator("main table").count():
            tables_usable(page, step)


@contextmanager
def go(page, checks, step: str, people: dict, *, phone: bool):
    """Wrap a click that navigates: check the new screen, then the public-page rules."""
    with flows.lands_on(page, checks, step):
        yield
    screen_rules(page, step, people, phone=phone)


def jump(page, link_name: str, heading: str) -> None:
    """Follow an in-page link ("Isi halaman"); its section's heading comes into view."""
    contents = page.get_by_role("navigation", name="Isi halaman")
    contents.get_by_role("link", name=link_name, exact=True).click()
    expect(page.get_by_role("heading", name=heading, level=2)).to_be_in_viewport()


def download_twins(page, checks, people: dict, kind: str) -> dict:
    """The page's "Unduh data" links: CSV arrives as a file, JSON answers as JSON.

    Returns the JSON, after checking the CSV's columns, both media types and that neither
    names an employee.
    """
    downloads = page.get_by_role("region", name="Unduh data halaman ini")
    csv_link = downloads.get_by_role("link", name=re.compile(r"^CSV"))
    json_link = downloads.get_by_role("link", name="JSON", exact=True)
    with page.expect_download() as info:
        csv_link.click()
    download = info.value
    assert download.suggested_filename.startswith("kinerja-sibolga-")
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    with open(download.path(), encoding="utf-8", newline="") as handle:
        body = handle.read()
    rows = list(csv_dicts(body))
    assert rows and tuple(rows[0].keys()) == CSV_COLUMNS
    no_personal_data(people, f"{kind}.csv", body)
    # The same link fetched as a program would: 200, the CSV media type, the same bytes.
    response = page.request.get(checks.url(csv_link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text() == body
    response = page.request.get(checks.url(json_link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    no_personal_data(people, f"{kind}.json", response.text())
    data = json.loads(response.text())
    assert data["halaman"] == kind
    return data


def visible_ring(ring: dict) -> bool:
    """An outline of 2 px or more, or a box shadow, marks the focused element."""
    return (ring["style"] != "none" and ring["width"] >= 2) or ring["shadow"] != "none"


def tab_until(page, predicate: str, *, limit: int = 80, seen: list | None = None) -> dict:
    """Press Tab until the focused element matches ``predicate`` (JS on ``el``).

    Every element reached on the way must show a visible focus ring; what it reached is
    appended to ``seen``.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["tag"] != "BODY":
            assert visible_ring(ring), f"no visible focus on {ring}"
            if seen is not None:
                seen.append(ring)
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return ring
    raise AssertionError(f"Tab never reached: {predicate}")
