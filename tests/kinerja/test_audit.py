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
        database.execute_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
        database.execute_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
    else:
        database.execute_sql("DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event")


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


# --- The anchor: the head signed with a key outside the database (issue 19, item 7) ---------

TEST_KEY = "kunci-audit-uji-" + "0123456789abcdef" * 2


@pytest.fixture(autouse=True)
def _audit_key(monkeypatch):
    """Every test signs with a key from the environment (no key file under instance/)."""
    monkeypatch.setenv(audit.KEY_ENV, TEST_KEY)


def _anchor_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(audit.ANCHOR_PREFIX)]
    assert len(lines) == 1, output
    return lines[0]


def _rewrite_whole_chain(changes: dict) -> None:
    """The attacker with write access to the database file: drop the triggers, change an
    entry, recompute every hash and the head (all kept in the same database)."""
    _drop_guard()
    running = audit.GENESIS
    for event in AuditEvent.select().order_by(AuditEvent.id):
        for field_name, value in changes.get(event.id, {}).items():
            setattr(event, field_name, value)
        event.prev_hash = running
        event.hash = running = audit.entry_hash(running, audit._fields(event))
        event.save()
    from kinerja.models.audit import AuditHead

    AuditHead.update(last_hash=running).where(AuditHead.id == 1).execute()


def test_verify_audit_prints_a_signed_anchor_of_the_head(runner, events):
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    line = _anchor_line(result.output)
    assert f"entri={events[-1].id}" in line and f"hash={events[-1].hash}" in line
    anchor = audit.parse_anchors(line)[0]
    assert anchor.entry_id == events[-1].id and anchor.hash == events[-1].hash
    assert audit.check_anchor(anchor).ok
    # the HMAC is keyed: another key, or an edited line, does not verify
    assert not audit.check_anchor(anchor, key=b"x" * 32).ok
    forged = line.replace(f"entri={events[-1].id}", f"entri={events[0].id}")
    assert not audit.check_anchor(audit.parse_anchors(forged)[0]).ok
    assert audit.KEY_ENV not in line and TEST_KEY not in result.output


def test_rewritten_chain_passes_the_hashes_but_is_caught_by_the_kept_anchor(
    runner, events, tmp_path
):
    kept = _anchor_line(runner.invoke(args=["verify-audit"]).output)
    anchor_file = tmp_path / "jangkar.txt"
    anchor_file.write_text(f"# disimpan Inspektorat\n{kept}\n")
    assert runner.invoke(args=["verify-audit", "--anchor", kept]).exit_code == 0
    _rewrite_whole_chain({events[1].id: {"actor_label": "penyusup", "after": '{"n":999}'}})
    assert audit.verify_chain().ok  # the hash chain alone cannot see a full rewrite
    for given in (kept, str(anchor_file)):
        result = runner.invoke(args=["verify-audit", "--anchor", given])
        assert result.exit_code == 1, result.output
        assert f"RUSAK: jangkar entri #{events[-1].id}" in result.output
        assert "ditulis ulang" in result.output
        assert audit.ANCHOR_PREFIX not in result.output  # no fresh anchor over a forgery


def test_anchor_of_a_cut_tail_or_a_forged_signature_is_refused(runner, events):
    kept = _anchor_line(runner.invoke(args=["verify-audit"]).output)
    bad_mac = kept[:-4] + ("0000" if not kept.endswith("0000") else "1111")
    result = runner.invoke(args=["verify-audit", "--anchor", bad_mac])
    assert result.exit_code == 1
    assert "HMAC" in result.output and "tidak sah" in result.output
    result = runner.invoke(args=["verify-audit", "--anchor", "bukan jangkar"])
    assert result.exit_code == 1
    assert "tidak dikenali" in result.output
    # the tail with the anchored entry removed, and the head recomputed to match
    _drop_guard()
    AuditEvent.delete().where(AuditEvent.id == events[-1].id).execute()
    _rewrite_whole_chain({})
    from kinerja.models.audit import AuditHead

    AuditHead.update(count=AuditHead.count - 1).where(AuditHead.id == 1).execute()
    assert audit.verify_chain().ok
    result = runner.invoke(args=["verify-audit", "--anchor", kept])
    assert result.exit_code == 1
    assert f"entri #{events[-1].id}" in result.output and "tidak ada lagi" in result.output


def test_older_anchor_still_verifies_after_new_entries(runner, events):
    kept = _anchor_line(runner.invoke(args=["verify-audit"]).output)
    audit.record("uji.aksi", actor_label="sistem", object_type="uji", object_id=9)
    result = runner.invoke(args=["verify-audit", "--anchor", kept])
    assert result.exit_code == 0, result.output
    assert f"OK: jangkar entri #{events[-1].id}" in result.output
    assert _anchor_line(result.output) != kept  # the new head gets a new anchor


def test_key_file_is_created_private_when_no_key_is_set(monkeypatch, tmp_path):
    import os
    import stat

    monkeypatch.delenv(audit.KEY_ENV)
    path = tmp_path / "instance" / "audit.key"
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(path))
    first = audit.audit_key()
    assert path.exists() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert audit.audit_key() == first and len(first) >= 32
    os.chmod(path, 0o644)
    with pytest.raises(audit.AuditKeyError, match="chmod 600"):
        audit.audit_key()
    monkeypatch.setenv(audit.KEY_ENV, "pendek")
    with pytest.raises(audit.AuditKeyError, match="minimal 32"):
        audit.audit_key()


def test_lost_tail_is_named_in_indonesian_without_none(events):
    _drop_guard()
    AuditEvent.delete().where(AuditEvent.id.in_([events[-1].id, events[-2].id])).execute()
    report = audit.verify_chain()
    assert not report.ok
    assert "None" not in report.message
    assert report.message == (
        f"RUSAK: 2 entri terakhir hilang: kepala rantai mencatat 5 entri, log hanya berisi 3 "
        f"(entri utuh terakhir #{events[2].id})."
    )
