"""The README documents what exists: the two commands first, every CLI command, every area."""

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


def _body_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_carries_every_area_section():
    # docs/<area>.md are the sources; README.md is assembled from them (headings adjusted).
    for path in sorted((ROOT / "docs").glob("*.md")):
        missing = [line for line in _body_lines(path.read_text()) if line not in README]
        assert not missing, f"{path.name}: {missing[:3]}"
