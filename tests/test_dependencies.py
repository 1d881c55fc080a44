"""The short requirement lists and the hashed lock files agree (``make lock`` rebuilds them)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;#]+)", re.M)


def _pins(text: str) -> dict[str, str]:
    return {name.lower().replace("_", "-"): version for name, version in PIN.findall(text)}


@pytest.mark.parametrize(
    ("listed", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_listed_pin_is_locked_at_the_same_version(listed, lock):
    wanted = _pins((ROOT / listed).read_text())
    if listed == "requirements-dev.txt":
        wanted |= _pins((ROOT / "requirements.txt").read_text())
    locked = _pins((ROOT / lock).read_text())
    wrong = {name: (v, locked.get(name)) for name, v in wanted.items() if locked.get(name) != v}
    assert not wrong, f"{lock} is stale (listed, locked): {wrong}; run make lock"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_carries_a_hash(lock):
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text().split("\n\n", 1)[-1])
    packages = [e for e in entries if PIN.match(e)]
    assert packages
    unhashed = [e.split()[0] for e in packages if "--hash=sha256:" not in e]
    assert not unhashed, unhashed


def test_the_libraries_the_code_imports_are_listed():
    listed = _pins((ROOT / "requirements.txt").read_text())
    for name in ("flask", "werkzeug", "wtforms", "jinja2", "markupsafe", "click", "peewee"):
        assert name in listed, f"{name} is imported by the code but not pinned"
