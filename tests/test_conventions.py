"""Conventions of the code base."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = re.compile(r"^(flask|flask_\w+|werkzeug|wtforms|portal)(\.|$)")


def test_kinerja_imports_no_web_layer():
    offenders = []
    for path in (ROOT / "kinerja").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if WEB.match(n)]
    assert not offenders, offenders


def test_no_inline_scripts_or_handlers_in_templates():
    bad = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            bad.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            bad.append(f"{path.name}: inline event handler")
        if re.search(r"\bhx-on", text):
            bad.append(f"{path.name}: hx-on needs eval")
        if re.search(r"style\s*=", text):
            bad.append(f"{path.name}: inline style (CSP style-src 'self')")
    assert not bad, bad


def test_no_safe_filter_in_templates():
    # |safe on user data would bypass autoescaping; server-made markup uses Markup in code.
    bad = [
        p.name
        for p in (ROOT / "templates").rglob("*.html")
        if "|safe" in p.read_text() or "| safe" in p.read_text()
    ]
    assert not bad, bad


def test_every_view_has_a_docstring(app):
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not (view.__doc__ or "").strip()
    ]
    assert not missing, missing


def test_vendored_files_carry_versions():
    for path in (ROOT / "static" / "vendor").iterdir():
        assert re.search(r"\d+\.\d+\.\d+", path.name), path.name


WALL_CLOCK = re.compile(r"\b(date\.today|datetime\.(now|utcnow|today))\(")


def test_today_comes_only_from_the_clock():
    # "Today" and "now" come from kinerja/clock.py, which tests pin (and KINERJA_TODAY sets),
    # so no result depends on the date the suite runs.
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("kinerja", "portal", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "kinerja" / "clock.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if WALL_CLOCK.search(line)
    ]
    assert not offenders, offenders


def test_every_cited_document_exists():
    """Docstrings and comments cite files of this repository (docs/spec/ holds the design)."""
    cited = re.compile(
        r"(?<![\w/.\"'-])((?:docs/|bench/)?[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.md)\b"
    )
    missing = set()
    for folder in ("kinerja", "portal", "bench", "templates", "static/js"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".html", ".js") or not path.is_file():
                continue
            for name in cited.findall(path.read_text(encoding="utf-8")):
                if not (ROOT / name).exists():
                    missing.add(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, sorted(missing)


def test_views_compare_no_status_to_a_string():
    """Views ask the model (``skp.is_submitted``, ``period.is_open``) instead of spelling a
    status code; the codes live in kinerja/enums.py."""
    pattern = re.compile(r"""\bstatus\s*(?:==|!=)\s*["'][A-Z_]+["']|\bstatus\s+in\s*[(\[]\s*["']""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "portal").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, found
    assert pattern.search('if skp.status != "DIAJUKAN":')
