"""Writing and verifying the hash-chained audit log (docs/spec/product.md §8).

The chain and its head live in the database, so whoever can write the database file can
drop the triggers, rewrite entries and recompute every hash and the head. The *anchor*
closes that gap: the head (entry number and hash) signed with an HMAC key that is not
stored in the database (``KINERJA_AUDIT_KEY``, else a 0600 key file, by default
``instance/audit.key``). ``flask verify-audit`` prints the anchor of the current head for
the Inspektorat to keep outside the server, and ``flask verify-audit --anchor`` checks that
the chain still holds the kept entry with the kept hash (SECURITY.md, "Audit anchor").
"""

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path

from kinerja.clock import utcnow
from kinerja.db import database, insert_rows, is_postgres, write_tx
from kinerja.models.audit import AuditEvent, AuditHead

GENESIS = "0" * 64
KEY_ENV = "KINERJA_AUDIT_KEY"
KEY_FILE_ENV = "KINERJA_AUDIT_KEY_FILE"
DEFAULT_KEY_FILE = Path(__file__).resolve().parents[2] / "instance" / "audit.key"
KEY_MIN_LENGTH = 32
ANCHOR_PREFIX = "JANGKAR-AUDIT v1"
ANCHOR_RE = re.compile(
    re.escape(ANCHOR_PREFIX) + r" entri=(\d+) hash=([0-9a-f]{64}) hmac=([0-9a-f]{64})"
)


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
    """The result of verifying the chain (or one anchor against it)."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def message(self) -> str:
        """An Indonesian one-line summary."""
        if self.ok:
            return self.reason or f"OK: {self.checked} entri log audit utuh."
        if self.first_broken_id is None:
            return f"RUSAK: {self.reason}"
        return f"RUSAK: entri #{self.first_broken_id}: {self.reason}"


def verify_chain() -> ChainReport:
    """Recompute every hash in order; name the first entry that does not match."""
    running = GENESIS
    checked = 0
    last_id = None
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
            last_id = event.id
            checked += 1
        head = AuditHead.select().where(AuditHead.id == 1).first()
        if head is not None and (head.last_hash != running or head.count != checked):
            return ChainReport(False, checked, None, _head_mismatch(head, checked, last_id))
    return ChainReport(True, checked)


def _head_mismatch(head: AuditHead, checked: int, last_id: int | None) -> str:
    """Why the head does not close the chain, in Indonesian (no "entri #None")."""
    last = f"entri utuh terakhir #{last_id}" if last_id is not None else "log audit kosong"
    if head.count > checked:
        return (
            f"{head.count - checked} entri terakhir hilang: kepala rantai mencatat "
            f"{head.count} entri, log hanya berisi {checked} ({last})."
        )
    if head.count < checked:
        return (
            f"kepala rantai mencatat {head.count} entri, log berisi {checked}: entri "
            f"ditambahkan tanpa melalui aplikasi ({last})."
        )
    return f"hash penutup di kepala rantai tidak cocok dengan entri terakhir ({last})."


class _noop:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# --- The anchor: the head signed with a key kept outside the database -----------------------


class AuditKeyError(RuntimeError):
    """The audit key cannot be used (too short, or a key file others can read)."""


class AnchorError(ValueError):
    """The given text holds no anchor line."""


def _read_key_file(path: Path) -> bytes:
    mode = path.stat().st_mode
    if os.name == "posix" and mode & 0o077:
        raise AuditKeyError(
            f"Berkas kunci audit {path} dapat dibaca pengguna lain; jalankan chmod 600 {path}."
        )
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < KEY_MIN_LENGTH:
        raise AuditKeyError(
            f"Berkas kunci audit {path} kosong atau terlalu pendek "
            f"(minimal {KEY_MIN_LENGTH} karakter)."
        )
    return text.encode()


def _create_key_file(path: Path) -> None:
    """Write a new random key readable by the owner only; atomically, so two processes
    starting at once end up with the same key (the second one's link fails)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)


def audit_key(environ=None) -> bytes:
    """The HMAC key of the anchors: ``KINERJA_AUDIT_KEY``, else the key file
    (``KINERJA_AUDIT_KEY_FILE`` or ``instance/audit.key``), created with mode 0600 when
    absent. Never stored in the database, and not part of its backup."""
    environ = os.environ if environ is None else environ
    text = environ.get(KEY_ENV, "").strip()
    if text:
        if len(text) < KEY_MIN_LENGTH:
            raise AuditKeyError(
                f"{KEY_ENV} terlalu pendek: minimal {KEY_MIN_LENGTH} karakter "
                "(mis. keluaran `openssl rand -hex 32`)."
            )
        return text.encode()
    path = Path(environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE)
    if not path.exists():
        _create_key_file(path)
    return _read_key_file(path)


@dataclass(frozen=True)
class Anchor:
    """The chain head at one moment: entry number, its hash, and the HMAC over both."""

    entry_id: int
    hash: str
    mac: str

    @property
    def line(self) -> str:
        """The one line the Inspektorat keeps."""
        return f"{ANCHOR_PREFIX} entri={self.entry_id} hash={self.hash} hmac={self.mac}"


def _anchor_mac(key: bytes, entry_id: int, entry_hash_: str) -> str:
    message = f"kinerja-audit-anchor:v1:{entry_id}:{entry_hash_}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def current_anchor(key: bytes | None = None) -> Anchor | None:
    """The signed anchor of the newest entry (None while the log is empty). Sign only a
    chain that :func:`verify_chain` found intact."""
    key = audit_key() if key is None else key
    last = AuditEvent.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc())
    event = last.first()
    if event is None:
        return None
    return Anchor(event.id, event.hash, _anchor_mac(key, event.id, event.hash))


def parse_anchors(text: str) -> list[Anchor]:
    """Every anchor line in ``text`` (a pasted line or a file of kept lines)."""
    found = [Anchor(int(m[1]), m[2], m[3]) for m in ANCHOR_RE.finditer(text)]
    if not found:
        raise AnchorError(
            f"Baris jangkar tidak dikenali; bentuknya: {ANCHOR_PREFIX} entri=<nomor> "
            "hash=<64 heksadesimal> hmac=<64 heksadesimal>."
        )
    return found


def check_anchor(anchor: Anchor, key: bytes | None = None) -> ChainReport:
    """Is ``anchor`` signed with our key, and does the chain still hold that entry with
    that hash? Run after :func:`verify_chain`: a rewritten chain is internally consistent,
    but its entries no longer carry the hashes of the kept anchor."""
    key = audit_key() if key is None else key
    name = f"jangkar entri #{anchor.entry_id}"
    expected = _anchor_mac(key, anchor.entry_id, anchor.hash)
    if not hmac.compare_digest(expected, anchor.mac):
        return ChainReport(
            False,
            0,
            None,
            f"{name}: tanda tangan HMAC tidak sah (baris jangkar diubah atau kunci audit berbeda).",
        )
    event = AuditEvent.get_or_none(AuditEvent.id == anchor.entry_id)
    if event is None:
        return ChainReport(
            False,
            0,
            None,
            f"{name}: entri itu tidak ada lagi di log audit (rantai dipotong atau ditulis "
            "ulang sejak jangkar disimpan).",
        )
    if not hmac.compare_digest(event.hash, anchor.hash):
        return ChainReport(
            False,
            0,
            None,
            f"{name}: hash entri itu kini berbeda dari jangkar (rantai ditulis ulang sejak "
            "jangkar disimpan).",
        )
    return ChainReport(True, 0, None, f"OK: {name} cocok dengan rantai audit.")
