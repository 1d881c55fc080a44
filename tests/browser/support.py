"""What every browser test does on every page: HTML validity, axe-core, a screenshot.

axe-core comes from the npm registry, pinned, into a git-ignored cache (``.cache/axe-core``);
it is never committed and never served by the app. It is evaluated through Playwright
(DevTools evaluation is not subject to the page's CSP), so the strict ``script-src 'self'``
stays on during the tests.
"""

import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kinerja import clock
from tests.html import check_page

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("KINERJA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_VERSION = "4.14.1"
AXE_PREFIX = ROOT / ".cache" / "axe-core"
AXE_FILE = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Viewports this narrow get the phone checks (no sideways scrolling, every control reachable).
PHONE_MAX_WIDTH = 480
# What axe checks: WCAG 2.0/2.1/2.2 A and AA plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")

_axe_lock = threading.Lock()


def _installed_version() -> str | None:
    package = AXE_FILE.parent / "package.json"
    if not package.exists():
        return None
    match = re.search(r'"version"\s*:\s*"([^"]+)"', package.read_text())
    return match.group(1) if match else None


def axe_source() -> str:
    """The pinned axe-core script, installed from the npm registry when absent."""
    with _axe_lock:
        if _installed_version() != AXE_VERSION:
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError("npm tidak ada: pasang nodejs dan npm (.ci/run melakukannya)")
            AXE_PREFIX.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(AXE_PREFIX),
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    f"axe-core@{AXE_VERSION}",
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
        return AXE_FILE.read_text()


def axe_violations(page, source: str) -> list[dict]:
    """Run axe-core in ``page``; the violations of impact serious or critical."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }""",
        AXE_TAGS,
    )
    return [v for v in result if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """Violations as lines: rule id, impact, help, target selectors."""
    return "\n".join(
        f"  {v['id']} [{v['impact']}] {v['help']}: {', '.join(v['targets'])}" for v in violations
    )


def new_context(browser, viewport=DESKTOP, **options):
    """A fresh browser context in Indonesian, in WIB, its clock at the suite's pinned "now".

    The kiosk page stamps answers with the browser's ``Date.now()``, so the browser must
    read the same (pinned) clock as the server.
    """
    context = browser.new_context(
        viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta", **options
    )
    context.set_default_timeout(10_000)
    context.clock.install(time=clock.now_wib())
    return context


def slug(text: str) -> str:
    """A file-name-safe form of a path or step name."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return cleaned or "root"


@dataclass
class PageChecks:
    """The checks of one test: knows the live server, the axe script and where shots go.

    Every page gets a response recorder (``watch``) so that ``check`` can parse the
    HTML source of the last document the browser loaded, not the live DOM.
    """

    base_url: str
    axe: str
    shots: Path
    step: int = 0
    documents: dict = field(default_factory=dict)

    def watch(self, page) -> None:
        """Record the main-frame documents ``page`` loads."""

        def on_response(response):
            request = response.request
            if request.resource_type == "document" and response.frame == page.main_frame:
                self.documents[id(page)] = response

        page.on("response", on_response)

    def url(self, path: str) -> str:
        """The absolute URL of a portal path."""
        return self.base_url + path

    def visit(self, page, path: str, step: str | None = None, status: int | tuple = 200):
        """Open ``path`` in ``page``, expect ``status`` (or one of them), run every check."""
        response = page.goto(self.url(path))
        assert response is not None, f"no response for {path}"
        expected = status if isinstance(status, tuple) else (status,)
        assert response.status in expected, f"GET {path}: {response.status}, expected {status}"
        self.check(page, step or path)
        return response

    def check(self, page, step: str, status: int | None = None) -> None:
        """Check the page now shown: valid HTML source, lang="id", axe, then a screenshot."""
        page.wait_for_load_state("load")
        response = self.documents.get(id(page))
        assert response is not None, "no document loaded yet"
        where = f"{step} ({page.url})"
        if status is not None:
            assert response.status == status, f"{where}: {response.status}, expected {status}"
        if "text/html" in (response.headers.get("content-type") or ""):
            try:
                tree = check_page(response.text())
            except AssertionError as exc:
                raise AssertionError(f"{where}: {exc}") from exc
            assert tree.get("lang") == "id", f'{where}: <html> without lang="id"'
        self.screenshot(page, step)
        if (page.viewport_size or {}).get("width", 9999) <= PHONE_MAX_WIDTH:
            fits_the_phone(page, where)
        violations = axe_violations(page, self.axe)
        assert not violations, f"{where}: axe-core violations\n{describe(violations)}"

    def screenshot(self, page, step: str) -> Path:
        """Save a full-page screenshot as ``<NN>-<step>.png`` in this test's folder."""
        self.step += 1
        self.shots.mkdir(parents=True, exist_ok=True)
        target = self.shots / f"{self.step:02d}-{slug(step)}.png"
        page.screenshot(path=str(target), full_page=True)
        return target


# Every visible control; the skip link is off-screen by design until it has the focus.
_PHONE_REPORT = """() => {
  const W = window.innerWidth;
  const scroller = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return p;
    }
    return null;
  };
  const label = el => (el.tagName.toLowerCase() + ' "'
    + (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40) + '"');
  const outside = r => r.left < -0.5 || r.right > W + 0.5;
  const bad = [];
  const boxes = new Set();
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(controls)) {
    if (el.closest('.skip-link')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    const box = scroller(el);
    if (box) {
      if (boxes.has(box)) continue;
      boxes.add(box);
      const b = box.getBoundingClientRect();
      if (outside(b)) bad.push('scroll box of ' + label(el) + ' at ' + Math.round(b.left)
                               + '..' + Math.round(b.right));
      const named = box.getAttribute('aria-label') || box.getAttribute('aria-labelledby');
      if (box.scrollWidth > box.clientWidth + 1 && !(named && box.tabIndex === 0))
        bad.push('scroll box of ' + label(el) + ' scrolls but is not a named, focusable region');
    } else if (outside(r)) {
      bad.push(label(el) + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return {doc: document.documentElement.scrollWidth, screen: W, bad: bad.slice(0, 8)};
}"""


def fits_the_phone(page, where: str) -> None:
    """On a phone: the document is no wider than the screen, and every visible control lies
    within the screen's width (or in a scroll box that does, which is a named, focusable
    region when it scrolls)."""
    report = page.evaluate(_PHONE_REPORT)
    assert report["doc"] <= report["screen"], (
        f"{where}: page {report['doc']}px wider than the {report['screen']}px screen"
    )
    assert not report["bad"], f"{where}: controls out of reach\n  " + "\n  ".join(report["bad"])
