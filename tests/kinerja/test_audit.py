"""The hash-chained audit log detects changes, deletions and insertions."""

import pytest

from kinerja.db import database, is_sqlite
from kinerja.models.audit import AuditEvent
from kinerja.services import audit


@pytest.fixture
def events(app):
    for i in range(5):
        audit.record(
            "uji.aksi",
            actor_label="sistem",
            object_type="uji",
            object_id=i,
            before={"n": i},
            after={"n": i + 1, "teks": "ä ö ✓"},
        )
    return list(AuditEvent.select().order_by(AuditEvent.id))


def test_intact_chain_verifies(events):
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == 5
    assert report.message.startswith("OK")
    assert events[1].prev_hash == events[0].hash


def test_append_only_in_the_database(events):
    with pytest.raises(Exception, match="append-only"), database.atomic():
        AuditEvent.update(action="x").where(AuditEvent.id == events[0].id).execute()
    with pytest.raises(Exception, match="append-only"), database.atomic():
        AuditEvent.delete().where(AuditEvent.id == events[0].id).execute()


def _drop_guard():
    if is_sqlite():
        database.execute_sql("DROP TRIGGER audit_event_no_update")
        database.execute_sql("DROP TRIGGER audit_event_no_delete")
    else:
        database.execute_sql("DROP TRIGGER audit_event_no_change ON audit_event")


def test_changed_entry_is_named(events):
    _drop_guard()
    target = events[2]
    AuditEvent.update(after='{"n":999}').where(AuditEvent.id == target.id).execute()
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_broken_id == target.id
    assert f"#{target.id}" in report.message


def test_deleted_entry_is_detected(events):
    _drop_guard()
    AuditEvent.delete().where(AuditEvent.id == events[1].id).execute()
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_broken_id == events[2].id


def test_deleted_last_entry_is_detected(events):
    _drop_guard()
    AuditEvent.delete().where(AuditEvent.id == events[-1].id).execute()
    assert not audit.verify_chain().ok


def test_verify_audit_command(runner, events):
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0
    assert "OK: 5 entri" in result.output
    _drop_guard()
    AuditEvent.update(actor_label="penyusup").where(AuditEvent.id == events[3].id).execute()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"RUSAK: entri #{events[3].id}" in result.output
