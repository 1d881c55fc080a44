"""Every audit action code has an Indonesian label; before/after reads as rows."""

import ast
from pathlib import Path

from kinerja import audit_labels

ROOT = Path(__file__).resolve().parents[2]


def _action_codes() -> dict[str, str]:
    """Every string that can reach ``audit.record``/``record_many`` as the action: the first
    argument of those calls (and of skp's ``_record``), the action of ``end_sessions``,
    and every value assigned to a variable named ``action``."""
    codes = {}
    for path in [*(ROOT / "kinerja").rglob("*.py"), *(ROOT / "portal").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            exprs = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("record", "record_many", "_record") and node.args:
                    exprs.append(node.args[0])
                if name == "end_sessions" and len(node.args) > 1:
                    exprs.append(node.args[1])
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                exprs.append(node.value)
            for expr in exprs:
                for const in ast.walk(expr):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        codes.setdefault(const.value, str(path.relative_to(ROOT)))
    return codes


def test_every_action_code_has_an_indonesian_label():
    codes = _action_codes()
    assert len(codes) > 80  # the collector still finds the calls
    missing = {
        code: where for code, where in codes.items() if code not in audit_labels.ACTION_LABELS
    }
    assert missing == {}


def test_no_label_is_left_over_and_none_is_the_code():
    codes = _action_codes()
    assert set(audit_labels.ACTION_LABELS) <= set(codes)
    for code, label in audit_labels.ACTION_LABELS.items():
        assert label != code and "_" not in label and "." not in label


def test_before_and_after_read_as_rows():
    rows = audit_labels.changes(
        '{"status":"DRAFT","target_value":"10"}',
        '{"status":"SUBMITTED","target_value":"10","active":true}',
    )
    assert [(c.label, c.before, c.after, c.changed) for c in rows] == [
        ("Status", "DRAFT", "SUBMITTED", True),
        ("Target", "10", "10", False),
        ("Aktif", "—", "Ya", True),
    ]
    assert audit_labels.changes("", "") == []
    assert audit_labels.changes_text(rows[:1]) == "Status: DRAFT → SUBMITTED"


def test_actor_labels_are_one_form():
    assert audit_labels.actor_text("sistem") == "Sistem"
    assert audit_labels.actor_text("sistem (data demo)") == "Sistem"
    assert audit_labels.actor_text("gen-data") == "Sistem"
    assert audit_labels.actor_text("perangkat kios", kiosk_name="Loket 1") == "Kios Loket 1"
    assert audit_labels.actor_text("198609262015051001") == "NIP 19860926 201505 1 001"
