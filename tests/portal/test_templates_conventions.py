"""Templates test permissions through predicates and statuses through enum properties.

A template that compares a status (or any enum code) to a string literal, keeps its own
table of status codes, or tests a role by its string holds a business rule; the rule belongs to
``kinerja/permissions`` or to ``kinerja/enums.py`` and the models (style.md, issue 20).

``templates/public/`` renders the published data dicts: their status is tested with the Jinja
tests of ``kinerja.queries.public_common.FIGURE_TESTS`` (``fig is shown``), never as a string.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXEMPT: tuple[str, ...] = ()

RULES = {
    "status compared to a string": re.compile(
        r"""status\w*(?:\.value)?\s*(?:==|!=|(?:not\s+)?in\b)\s*[(\[]?\s*['"]"""
    ),
    "string compared to a status": re.compile(r"""['"]\s*(?:==|!=)\s*[\w.]*\bstatus\b"""),
    "status filtered by a string": re.compile(
        r"""(?:select|reject)attr\(\s*['"]\w*status\w*['"]\s*,\s*['"]\w+['"]\s*,\s*['"]"""
    ),
    "status table in the template": re.compile(r"""\}\s*(?:\[|\.get\()\s*[\w.]*\bstatus\b"""),
    "enum code compared as a string": re.compile(
        r"""(?:==|!=)\s*['"][A-Z][A-Z0-9_]+['"]|\bin\s*[(\[]\s*['"][A-Z][A-Z0-9_]+['"]"""
    ),
    "role tested by its string": re.compile(
        r"""['"][A-Z_]+['"]\s+(?:not\s+)?in\s+[\w.]*\broles\b"""
        r"""|\.roles\b|\brole\s*(?:==|!=|(?:not\s+)?in\b)\s*[(\[]?\s*['"]"""
    ),
}


def violations(text: str) -> list[tuple[int, str]]:
    """(line number, rule) for every line that breaks a rule."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for name, pattern in RULES.items():
            if pattern.search(line):
                found.append((number, name))
    return found


def _templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] not in EXEMPT:
            yield path


@pytest.mark.parametrize(
    "line",
    [
        "{% if period.status == 'DIBUKA' %}",
        '{% if skp.status != "DISETUJUI" %}',
        "{% if ev.status in ('FINAL', 'DITERIMA') %}",
        "{% if e.status.value == 'FINAL' %}",
        "{% set ok = points|selectattr('status', 'equalto', 'OK')|list %}",
        "{% if glance.skp_status not in ['DRAFT'] %}",
        "{{ 'x' if 'DIBUKA' == p.status }}",
        "{{ {'DRAFT': 'Draf'}.get(skp.status, '') }}",
        "{{ {'DIBUKA': 'Dibuka'}[p.status] }}",
        "{% if 'ADMIN' in actor.roles %}",
        "{% if 'AUDITOR' not in actor.roles %}",
        "{% if role == 'ATASAN' %}",
        "{% if role in ('ATASAN', 'PENILAI') %}",
        "{% set held = actor.roles %}",
        "{% if skp.approach == 'KUALITATIF' %}",
        "{{ 'Utama' if row.rhk.kind == \"UTAMA\" else 'Tambahan' }}",
        "{% if d.figure in ('ON_TIME_RATE', 'REWORK_RATE') %}",
    ],
)
def test_scanner_catches(line):
    assert violations(line)


@pytest.mark.parametrize(
    "line",
    [
        "{% if period.is_open %}",
        "{% if is_admin(actor) %}",
        "{% if e.status == EvaluationStatus.FINAL %}",
        "{% if role and role.is_atasan %}",
        "{{ p.status_label }}",
        "{% set held = roles.get(a.id, []) %}",
        "{% if skp.approach == SkpApproach.KUALITATIF %}",
        "{{ 'Kualitatif' if skp.is_qualitative else 'Kuantitatif' }}",
        "<td>{{ E.Status(ev.status).label }}</td>",
    ],
)
def test_scanner_lets_through(line):
    assert not violations(line)


def test_templates_hold_no_role_or_status_strings():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {rule}"
        for path in _templates()
        for number, rule in violations(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)
