"""Login, lockout, throttling and password changes (product.md §8)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kinerja import passwords
from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.models.account import Account, LoginThrottle
from kinerja.models.org import Employee
from kinerja.nip import normalise
from kinerja.services import audit

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
CLIENT_MAX_FAILURES = 30
CLIENT_WINDOW = timedelta(minutes=15)

MSG_WRONG = "NIP atau kata sandi salah."
MSG_LOCKED = (
    "Terlalu banyak percobaan gagal untuk NIP ini. Demi keamanan, akun dikunci sementara; "
    "silakan coba lagi setelah 15 menit atau hubungi Admin BKPSDM."
)
MSG_THROTTLED = "Terlalu banyak percobaan masuk dari perangkat ini. Silakan tunggu beberapa menit."


class LoginOutcome(StrEnum):
    """How a login attempt ended."""

    OK = "OK"
    WRONG = "WRONG"
    LOCKED = "LOCKED"
    THROTTLED = "THROTTLED"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt and, when it succeeded, the account."""

    outcome: LoginOutcome
    account: Account | None = None

    @property
    def message(self) -> str:
        """The Indonesian message to show (never reveals whether the NIP exists)."""
        return {
            LoginOutcome.OK: "",
            LoginOutcome.WRONG: MSG_WRONG,
            LoginOutcome.LOCKED: MSG_LOCKED,
            LoginOutcome.THROTTLED: MSG_THROTTLED,
        }[self.outcome]


def _key(prefix: str, value: str) -> str:
    return prefix + hashlib.sha256(value.encode()).hexdigest()[:56]


def _throttle_row(key: str, now: datetime, window: timedelta) -> LoginThrottle:
    row = LoginThrottle.get_or_none(LoginThrottle.client_key == key)
    if row is None:
        row = LoginThrottle.create(client_key=key, window_start=now, failures=0)
    elif row.window_start + window <= now:
        row.window_start = now
        row.failures = 0
        row.save()
    return row


def new_nonce() -> str:
    """A fresh session nonce; changing it ends every session of the account."""
    return secrets.token_hex(16)


def _over_limit(row: LoginThrottle | None, now: datetime, window: timedelta, limit: int) -> bool:
    """Whether a throttle row (read without writing) is at its limit in its window."""
    return row is not None and row.window_start + window > now and row.failures >= limit


def authenticate(nip_raw: str, password: str, client: str, now: datetime | None = None):
    """Check NIP and password with per-account lockout and a per-client throttle.

    The reads and the slow password check (Argon2, tens of ms) run before any write: the
    write lock is held only by the short bookkeeping transaction after the check (counters,
    lockout, audit), so a login rush never queues the city's other writes behind Argon2.
    """
    now = now or utcnow()
    nip = normalise(nip_raw or "")[:40]
    client_key = _key("ip:", client or "-")
    client_row = LoginThrottle.get_or_none(LoginThrottle.client_key == client_key)
    if _over_limit(client_row, now, CLIENT_WINDOW, CLIENT_MAX_FAILURES):
        with write_tx():
            audit.record("auth.throttled", actor_label=f"klien {client_key[:11]}")
        return LoginResult(LoginOutcome.THROTTLED)
    account = Account.select(Account, Employee).join(Employee).where(Employee.nip == nip).first()
    if account is None:
        # Unknown NIPs get the same counting and the same answers as real ones.
        passwords.dummy_verify(password or "")
        with write_tx():
            ghost = _throttle_row(_key("nip:", nip), now, LOCKOUT)
            if ghost.failures >= MAX_FAILURES:
                return LoginResult(LoginOutcome.LOCKED)
            ghost.failures += 1
            ghost.save()
            _count_client_failure(client_key, now)
            audit.record(
                "auth.login_failed", actor_label=nip or "(kosong)", after={"reason": "unknown"}
            )
        return LoginResult(LoginOutcome.WRONG)
    if account.locked_until and account.locked_until > now:
        passwords.dummy_verify(password or "")
        return LoginResult(LoginOutcome.LOCKED)
    ok = (
        account.active
        and account.employee.active
        and passwords.verify_password(account.password_hash, password or "")
    )
    with write_tx():
        # Read again under the lock: another attempt may have counted or locked meanwhile.
        account = (
            Account.select(Account, Employee).join(Employee).where(Account.id == account.id).first()
        )
        if account is None:
            return LoginResult(LoginOutcome.WRONG)
        if account.locked_until and account.locked_until > now:
            return LoginResult(LoginOutcome.LOCKED)
        if not ok:
            return _count_failure(account, client_key, now)
        account.failed_attempts = 0
        account.locked_until = None
        account.last_login_at = now
        account.save()
        audit.record("auth.login", actor=account, object_type="account", object_id=account.id)
    return LoginResult(LoginOutcome.OK, account)


def _count_client_failure(client_key: str, now: datetime) -> None:
    row = _throttle_row(client_key, now, CLIENT_WINDOW)
    row.failures += 1
    row.save()


def _count_failure(account: Account, client_key: str, now: datetime) -> LoginResult:
    """Count a wrong password (inside the caller's transaction); lock at the limit."""
    account.failed_attempts += 1
    _count_client_failure(client_key, now)
    audit.record(
        "auth.login_failed",
        actor=account,
        object_type="account",
        object_id=account.id,
        after={"failed_attempts": account.failed_attempts},
    )
    if account.failed_attempts >= MAX_FAILURES:
        account.locked_until = now + LOCKOUT
        account.failed_attempts = 0
        audit.record(
            "auth.locked",
            actor=account,
            object_type="account",
            object_id=account.id,
            after={"locked_until": account.locked_until},
        )
        account.save()
        return LoginResult(LoginOutcome.LOCKED)
    account.save()
    return LoginResult(LoginOutcome.WRONG)


def record_logout(account: Account) -> None:
    """Audit a logout."""
    with write_tx():
        audit.record("auth.logout", actor=account, object_type="account", object_id=account.id)


def change_password(account: Account, current: str, new: str, confirm: str) -> list[str]:
    """Change the password after checking the current one; empty list when done."""
    problems = []
    if not passwords.verify_password(account.password_hash, current or ""):
        problems.append("Kata sandi saat ini salah.")
    if new != confirm:
        problems.append("Konfirmasi kata sandi tidak sama dengan kata sandi baru.")
    problems += passwords.password_problems(new or "", nip=account.employee.nip, current=current)
    if problems:
        return problems
    password_hash = passwords.hash_password(new)  # slow: before the write transaction
    with write_tx():
        account.password_hash = password_hash
        account.must_change_password = False
        account.password_changed_at = utcnow()
        account.session_nonce = new_nonce()
        account.save()
        audit.record(
            "account.password_changed", actor=account, object_type="account", object_id=account.id
        )
    return []


def create_account(
    employee: Employee,
    password: str,
    *,
    must_change: bool = True,
    actor=None,
    roles=(),
    password_hash: str | None = None,
) -> Account:
    """Create the login of an employee (inside one transaction, audited).

    The password is hashed before the transaction opens; a caller already inside a
    transaction passes ``password_hash`` computed before it opened its own.
    """
    from kinerja.models.account import AccountRole

    password_hash = password_hash or passwords.hash_password(password)
    with write_tx():
        account = Account.create(
            employee=employee,
            password_hash=password_hash,
            must_change_password=must_change,
            session_nonce=new_nonce(),
        )
        for role in roles:
            AccountRole.create(account=account, role=str(role))
        audit.record(
            "account.created",
            actor=actor,
            object_type="account",
            object_id=account.id,
            after={"nip": employee.nip, "roles": [str(r) for r in roles]},
        )
    return account
