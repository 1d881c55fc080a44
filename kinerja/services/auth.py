"""Login, throttling, password changes and the end of sessions (docs/spec/product.md §8).

Failed logins are throttled on three independent counters (rows of ``LoginThrottle``),
each with a growing delay instead of a hard lock that a stranger could trigger:

- **per address and account** (``pair:``): after ``PAIR_FREE`` failures of one address on one
  NIP, that address waits ``PAIR_DELAY``, doubling with every further failure up to
  ``PAIR_CAP``. Only the failing address waits: the owner at another address is not
  affected, and the owner's own success clears it.
- **per address** (``ip:``): after ``CLIENT_FREE`` failures of one address across all NIPs, the
  address waits ``CLIENT_DELAY``, doubling up to ``CLIENT_CAP``.
- **per account, from everywhere** (``acct:``): after ``ACCOUNT_FREE`` failures on one NIP,
  each further attempt must come ``ACCOUNT_DELAY`` (seconds) after the last counted
  failure. It does not grow, and a refused attempt is not counted, so strangers at many
  addresses can make the owner wait at most ``ACCOUNT_DELAY`` at a time.

Unknown NIPs are counted the same way (same answers, same delays). A successful login tells
the owner how many failed attempts were made since their previous login.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from peewee import fn

from kinerja import passwords
from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.formatting import format_datetime
from kinerja.models.account import Account, LoginThrottle
from kinerja.models.org import Employee, Unit
from kinerja.nip import normalise
from kinerja.services import audit
from kinerja.statements import statement


@statement
def session_account(account_id):
    """The account of a session with its person and unit (read on every request)."""
    return (
        Account.select(Account, Employee, Unit)
        .join(Employee)
        .join(Unit)
        .where(Account.id == account_id)
        .limit(1)
    )


PAIR_FREE = 5
PAIR_DELAY = timedelta(minutes=1)
PAIR_CAP = timedelta(minutes=60)
CLIENT_FREE = 30
CLIENT_DELAY = timedelta(minutes=1)
CLIENT_CAP = timedelta(minutes=60)
ACCOUNT_FREE = 10
ACCOUNT_DELAY = timedelta(seconds=10)
WINDOW = timedelta(hours=24)
"""A counter starts again when its first failure is older than this."""
MAX_FAILURES = PAIR_FREE
"""Failures of one address on one NIP before it has to wait (kept for older callers)."""

PASSWORD_CHECK_FREE = 5
"""Wrong current passwords at ``/akun/kata-sandi`` before every session of the account ends."""

MSG_WRONG = "NIP atau kata sandi salah."
MSG_LOCKED = (
    "Terlalu banyak percobaan gagal untuk NIP ini dari perangkat ini. Demi keamanan, silakan "
    "tunggu {wait} sebelum mencoba lagi, atau hubungi Admin BKPSDM."
)
MSG_THROTTLED = "Terlalu banyak percobaan masuk dari perangkat ini. Silakan tunggu {wait}."
MSG_SLOWED = (
    "Akun ini sedang menerima banyak percobaan masuk. Demi keamanan, silakan coba lagi "
    "dalam {wait}."
)


class LoginOutcome(StrEnum):
    """How a login attempt ended."""

    OK = "OK"
    WRONG = "WRONG"
    LOCKED = "LOCKED"
    THROTTLED = "THROTTLED"
    SLOWED = "SLOWED"


def _wait_text(wait: timedelta | None) -> str:
    seconds = max(1, int((wait or timedelta(0)).total_seconds() + 0.999))
    if seconds < 60:
        return f"{seconds} detik"
    return f"{(seconds + 59) // 60} menit"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt and, when it succeeded, the account."""

    outcome: LoginOutcome
    account: Account | None = None
    wait: timedelta | None = None
    notice: str = ""
    """For the owner after a success: failed attempts since the previous login."""

    @property
    def message(self) -> str:
        """The Indonesian message to show (never reveals whether the NIP exists)."""
        template = {
            LoginOutcome.OK: "",
            LoginOutcome.WRONG: MSG_WRONG,
            LoginOutcome.LOCKED: MSG_LOCKED,
            LoginOutcome.THROTTLED: MSG_THROTTLED,
            LoginOutcome.SLOWED: MSG_SLOWED,
        }[self.outcome]
        return template.format(wait=_wait_text(self.wait))


def _key(prefix: str, value: str) -> str:
    return prefix + hashlib.sha256(value.encode()).hexdigest()[:56]


def _keys(nip: str, client: str) -> tuple[str, str, str]:
    """The address, address+NIP and NIP counters of an attempt."""
    return (
        _key("ip:", client or "-"),
        _key("pair:", f"{nip}|{client or '-'}"),
        _key("acct:", nip),
    )


@dataclass(frozen=True)
class Rule:
    """When a counter starts to delay, by how much, and up to what."""

    free: int
    delay: timedelta
    cap: timedelta


def _rules() -> dict[str, Rule]:
    # Read at call time so tests may change the module constants.
    return {
        "ip:": Rule(CLIENT_FREE, CLIENT_DELAY, CLIENT_CAP),
        "pair:": Rule(PAIR_FREE, PAIR_DELAY, PAIR_CAP),
        "acct:": Rule(ACCOUNT_FREE, ACCOUNT_DELAY, ACCOUNT_DELAY),
    }


def _rule(key: str) -> Rule:
    return _rules()[key.split(":", 1)[0] + ":"]


def _throttle_row(key: str, now: datetime, window: timedelta) -> LoginThrottle:
    row = LoginThrottle.get_or_none(LoginThrottle.client_key == key)
    if row is None:
        row = LoginThrottle.create(client_key=key, window_start=now, failures=0)
    elif row.window_start + window <= now:
        row.window_start = now
        row.failures = 0
        row.blocked_until = None
        row.save()
    return row


def _blocked(key: str, now: datetime) -> timedelta | None:
    """How long a counter still makes its attempts wait (None: not at all); no writes."""
    row = LoginThrottle.get_or_none(LoginThrottle.client_key == key)
    if row is None or row.blocked_until is None or row.window_start + WINDOW <= now:
        return None
    if row.blocked_until > now:
        return row.blocked_until - now
    return None


def _count(key: str, now: datetime) -> timedelta | None:
    """Count one failure on a counter (inside a transaction); the delay it now imposes."""
    rule = _rule(key)
    row = _throttle_row(key, now, WINDOW)
    row.failures += 1
    delay = None
    if row.failures >= rule.free:
        steps = min(row.failures - rule.free, 20)
        delay = min(rule.delay * (2**steps), rule.cap)
        row.blocked_until = now + delay
    row.save()
    return delay


def new_nonce() -> str:
    """A fresh session nonce; changing it ends every session of the account."""
    return secrets.token_hex(16)


def _refusal(nip: str, client: str, now: datetime) -> LoginResult | None:
    """The first counter that makes this attempt wait, as a result; None when none does."""
    ip_key, pair_key, acct_key = _keys(nip, client)
    for key, outcome in (
        (ip_key, LoginOutcome.THROTTLED),
        (pair_key, LoginOutcome.LOCKED),
        (acct_key, LoginOutcome.SLOWED),
    ):
        wait = _blocked(key, now)
        if wait is not None:
            return LoginResult(outcome, wait=wait)
    return None


def authenticate(nip_raw: str, password: str, client: str, now: datetime | None = None):
    """Check NIP and password under the three throttles (module docstring).

    The reads and the slow password check (Argon2, tens of ms) run before any write: the
    write lock is held only by the short bookkeeping transaction after the check (counters,
    audit), so a login rush never queues the city's other writes behind Argon2.
    """
    now = now or utcnow()
    nip = normalise(nip_raw or "")[:40]
    ip_key, pair_key, acct_key = _keys(nip, client)
    refused = _refusal(nip, client, now)
    if refused is not None:
        passwords.dummy_verify(password or "")
        with write_tx():
            _note_refused_attempt(nip, now)
            audit.record(
                "auth.throttled",
                actor_label=f"klien {ip_key[:11]}",
                after={"reason": str(refused.outcome)},
            )
        return refused
    account = Account.select(Account, Employee).join(Employee).where(Employee.nip == nip).first()
    if account is None:
        # Unknown NIPs get the same counting and the same answers as real ones.
        passwords.dummy_verify(password or "")
        with write_tx():
            refused = _refusal(nip, client, now)
            if refused is not None:
                return refused
            result = _count_failures(nip, client, now)
            audit.record(
                "auth.login_failed", actor_label=nip or "(kosong)", after={"reason": "unknown"}
            )
        return result
    ok = (
        account.active
        and account.employee.active
        and passwords.verify_password(account.password_hash, password or "")
    )
    with write_tx():
        # Read again under the lock: another attempt may have counted meanwhile.
        refused = _refusal(nip, client, now)
        if refused is not None:
            return refused
        account = (
            Account.select(Account, Employee).join(Employee).where(Account.id == account.id).first()
        )
        if account is None:
            return LoginResult(LoginOutcome.WRONG)
        if not ok:
            return _count_failure(account, nip, client, now)
        notice = failed_attempts_notice(account)
        account.failed_attempts = 0
        account.failed_since = None
        account.locked_until = None
        account.last_login_at = now
        account.save()
        # The owner's success clears the counter of this address on this NIP.
        LoginThrottle.delete().where(LoginThrottle.client_key == pair_key).execute()
        audit.record("auth.login", actor=account, object_type="account", object_id=account.id)
    return LoginResult(LoginOutcome.OK, account, notice=notice)


def _note_refused_attempt(nip: str, now: datetime) -> None:
    """A refused attempt is not counted by the throttles but is told to the owner."""
    account = Account.select(Account.id).join(Employee).where(Employee.nip == nip).first()
    if account is None:
        return
    Account.update(
        failed_attempts=Account.failed_attempts + 1,
        failed_since=fn.COALESCE(Account.failed_since, now),
    ).where(Account.id == account.id).execute()


def clear_account_throttle(nip: str) -> None:
    """Clear the account-wide counter of a NIP (admin unlock; inside the caller's transaction)."""
    LoginThrottle.delete().where(LoginThrottle.client_key == _key("acct:", nip)).execute()


def failed_attempts_notice(account: Account) -> str:
    """'Ada N percobaan masuk gagal ke akun Anda sejak …' (empty when there were none)."""
    if not account.failed_attempts:
        return ""
    since = account.failed_since or account.last_login_at
    when = f" sejak {format_datetime(since)}" if since else ""
    return (
        f"Ada {account.failed_attempts} percobaan masuk gagal ke akun Anda{when}. "
        "Jika itu bukan Anda, segera ganti kata sandi Anda."
    )


def _count_failures(nip: str, client: str, now: datetime) -> LoginResult:
    """Count a failed attempt on the three counters; the answer it gets."""
    ip_key, pair_key, acct_key = _keys(nip, client)
    _count(ip_key, now)
    _count(acct_key, now)
    delay = _count(pair_key, now)
    if delay is not None:
        audit.record(
            "auth.locked",
            actor_label=f"klien {ip_key[:11]}",
            after={"until": now + delay},
        )
        return LoginResult(LoginOutcome.LOCKED, wait=delay)
    return LoginResult(LoginOutcome.WRONG)


def _count_failure(account: Account, nip: str, client: str, now: datetime) -> LoginResult:
    """Count a wrong password of a real account (inside the caller's transaction)."""
    account.failed_attempts += 1
    if account.failed_since is None:
        account.failed_since = now
    account.save()
    audit.record(
        "auth.login_failed",
        actor=account,
        object_type="account",
        object_id=account.id,
        after={"failed_attempts": account.failed_attempts},
    )
    return _count_failures(nip, client, now)


def end_sessions(account: Account, action: str) -> None:
    """End every session of the account (new nonce) and audit why."""
    with write_tx():
        Account.update(session_nonce=new_nonce()).where(Account.id == account.id).execute()
        audit.record(action, actor=account, object_type="account", object_id=account.id)


def record_logout(account: Account) -> None:
    """Log out: every session of the account ends (a copied cookie too), audited."""
    end_sessions(account, "auth.logout")


class TooManyPasswordGuesses(Exception):
    """Too many wrong current passwords: every session of the account has been ended."""


def change_password(account: Account, current: str, new: str, confirm: str) -> list[str]:
    """Change the password after checking the current one; empty list when done.

    Wrong current passwords are counted per account; at ``PASSWORD_CHECK_FREE`` of them in
    ``WINDOW`` every session of the account ends (:class:`TooManyPasswordGuesses`), so a
    borrowed session cannot be used to guess the password.
    """
    problems = []
    if not passwords.verify_password(account.password_hash, current or ""):
        now = utcnow()
        key = _key("pw:", str(account.id))
        with write_tx():
            row = _throttle_row(key, now, WINDOW)
            row.failures += 1
            row.save()
            audit.record(
                "account.password_check_failed",
                actor=account,
                object_type="account",
                object_id=account.id,
                after={"failures": row.failures},
            )
            ended = row.failures >= PASSWORD_CHECK_FREE
            if ended:
                row.delete_instance()
                Account.update(session_nonce=new_nonce()).where(Account.id == account.id).execute()
                audit.record(
                    "auth.sessions_ended",
                    actor=account,
                    object_type="account",
                    object_id=account.id,
                    after={"reason": "password_guesses"},
                )
        if ended:
            raise TooManyPasswordGuesses
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
        LoginThrottle.delete().where(
            LoginThrottle.client_key == _key("pw:", str(account.id))
        ).execute()
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


def dismiss_welcome(account: Account) -> bool:
    """Mark the first-login welcome as seen (once per account); False if it already was."""
    with write_tx():
        changed = (
            Account.update(welcomed_at=utcnow())
            .where((Account.id == account.id) & Account.welcomed_at.is_null())
            .execute()
        )
        if changed:
            audit.record(
                "account.welcome_seen", actor=account, object_type="account", object_id=account.id
            )
    account.welcomed_at = account.welcomed_at or utcnow()
    return bool(changed)
