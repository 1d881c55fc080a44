"""Writing and verifying the hash-chained audit log (product.md §8)."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum

from kinerja.clock import utcnow
from kinerja.db import database, insert_rows, is_postgres, write_tx
from kinerja.models.audit import AuditEvent, AuditHead

GENESIS = "0" * 64


def _default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal | Enum):
        return str(value.value if isinstance(value, Enum) else value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def canonical_json(value) -> str:
    """Stable JSON text: sorted keys, no spaces, UTF-8 kept."""
    if value is None or value == "":
        return ""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def entry_hash(prev_hash: str, fields: dict) -> str:
    """SHA-256 over the previous hash and the canonical content of an entry."""
    content = canonical_json(fields)
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def _fields(event: AuditEvent) -> dict:
    return {
        "at": event.at.isoformat(timespec="microseconds")
        if isinstance(event.at, datetime)
        else str(event.at),
        "actor_account_id": event.actor_account_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
    }


def _locked_head() -> AuditHead:
    """The chain head, locked for the caller's transaction (created on first use)."""
    query = AuditHead.select().where(AuditHead.id == 1)
    if is_postgres():
        query = query.for_update()
    head = query.first()
    if head is None:
        head = AuditHead.create(id=1, last_hash=GENESIS, count=0)
    return head


def record(
    action: str,
    *,
    actor=None,
    actor_label: str | None = None,
    object_type: str = "",
    object_id="",
    before=None,
    after=None,
) -> AuditEvent:
    """Append one event to the chain (inside the caller's transaction if there is one)."""
    label = actor_label
    if label is None:
        label = f"{actor.employee.nip}" if actor is not None else "sistem"
    with write_tx():
        head = _locked_head()
        event = AuditEvent(
            at=utcnow(),
            actor_account_id=actor.id if actor is not None else None,
            actor_label=label[:120],
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id is not None else "",
            before=canonical_json(before),
            after=canonical_json(after),
            prev_hash=head.last_hash,
        )
        event.hash = entry_hash(head.last_hash, _fields(event))
        event.save()
        (
            AuditHead.update(last_hash=event.hash, count=AuditHead.count + 1)
            .where(AuditHead.id == 1)
            .execute()
        )
    return event


def record_many(action: str, entries: list[dict], *, actor=None) -> None:
    """Append many events of one action in order, as :func:`record` would one by one, but
    with one read and one update of the chain head and multi-row inserts (a bulk use case
    of thousands of rows keeps its transaction short). Each entry may hold
    ``object_type``, ``object_id``, ``before`` and ``after``."""
    if not entries:
        return
    label = f"{actor.employee.nip}" if actor is not None else "sistem"
    with write_tx():
        head = _locked_head()
        last = head.last_hash
        rows = []
        for entry in entries:
            object_id = entry.get("object_id", "")
            event = AuditEvent(
                at=utcnow(),
                actor_account_id=actor.id if actor is not None else None,
                actor_label=label[:120],
                action=action,
                object_type=entry.get("object_type", ""),
                object_id=str(object_id) if object_id is not None else "",
                before=canonical_json(entry.get("before")),
                after=canonical_json(entry.get("after")),
                prev_hash=last,
            )
            event.hash = last = entry_hash(last, _fields(event))
            rows.append(event)
        insert_rows(AuditEvent, rows)
        (
            AuditHead.update(last_hash=last, count=AuditHead.count + len(rows))
            .where(AuditHead.id == 1)
            .execute()
        )


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying the chain."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def message(self) -> str:
        """An Indonesian one-line summary."""
        if self.ok:
            return f"OK: {self.checked} entri log audit utuh."
        return f"RUSAK: entri #{self.first_broken_id}: {self.reason}"


def verify_chain() -> ChainReport:
    """Recompute every hash in order; name the first entry that does not match."""
    running = GENESIS
    checked = 0
    with database.connection_context() if database.is_closed() else _noop():
        for event in AuditEvent.select().order_by(AuditEvent.id).iterator():
            if event.prev_hash != running:
                return ChainReport(
                    False,
                    checked,
                    event.id,
                    "hash entri sebelumnya tidak cocok (entri dihapus atau disisipkan)",
                )
            if entry_hash(running, _fields(event)) != event.hash:
                return ChainReport(False, checked, event.id, "isi entri berubah setelah dicatat")
            running = event.hash
            checked += 1
        head = AuditHead.select().where(AuditHead.id == 1).first()
        if head is not None and (head.last_hash != running or head.count != checked):
            return ChainReport(
                False, checked, None, "entri terakhir hilang (jumlah atau hash penutup berbeda)"
            )
    return ChainReport(True, checked)


class _noop:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
