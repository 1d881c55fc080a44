"""The README: two commands first, short, every CLI command, links into docs/; one home per text."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    block = re.search(r"```\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]


def test_every_cli_command_is_in_the_readme(app):
    names = set(app.cli.list_commands(None)) - {"routes", "run", "shell"}
    missing = [n for n in sorted(names) if f"flask --app portal {n}" not in README]
    assert not missing, missing


def test_the_readme_is_short():
    # The two commands, demo logins, configuration, a map of the code, links into docs/.
    assert len(README.splitlines()) <= 200


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)


def test_every_document_is_linked_from_the_readme():
    linked = set(_links(README))
    for path in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{path.name}" in linked, f"README does not link docs/{path.name}"


def test_every_relative_link_in_the_docs_resolves():
    for path in [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for target in _links(path.read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (path.parent / target).exists(), f"{path.relative_to(ROOT)}: {target}"


def test_no_document_repeats_another():
    # Each text has one home: no paragraph line of one document appears in another.
    seen: dict[str, str] = {}
    repeated = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for line in path.read_text().splitlines():
            if len(line) < 60 or line.startswith(("#", "|", "```")):
                continue
            if line in seen and seen[line] != path.name:
                repeated.append(f"{path.name} repeats {seen[line]}: {line[:60]}")
            seen.setdefault(line, path.name)
    assert not repeated, repeated[:5]


PATH_IN_BACKTICKS = re.compile(
    r"`((?:kinerja|portal|tests|templates|static|bench|docs)/[^`\s:*<>]+?"
    r"\.(?:py|html|js|css|json|md|sql))(?:::[^`]*)?`"
)


def test_every_file_the_documents_name_exists():
    for path in [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]:
        missing = [
            m for m in PATH_IN_BACKTICKS.findall(path.read_text()) if not (ROOT / m).exists()
        ]
        assert not missing, f"{path.name} names files that do not exist: {missing}"
