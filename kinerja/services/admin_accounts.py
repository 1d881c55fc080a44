"""Admin use cases on accounts: bulk creation with initial passwords, reset, unlock, roles.

Initial passwords are returned once to the caller (for slips or a CSV) and only their
hash is stored; the holder must change the password at first login.
"""

import secrets
from dataclasses import dataclass

from kinerja import passwords
from kinerja.clock import utcnow
from kinerja.db import insert_rows, write_tx
from kinerja.enums import Role
from kinerja.models.account import Account, AccountRole
from kinerja.queries.admin import employees_without_account
from kinerja.services import audit
from kinerja.services.admin_org import AdminError
from kinerja.services.auth import clear_account_throttle, new_nonce

# No look-alikes (0/O, 1/l/I) so that a printed slip is typed correctly.
_LETTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"


def generate_password() -> str:
    """A random initial password: three groups of four, letters and digits mixed."""
    while True:
        groups = ["".join(secrets.choice(_LETTERS + _DIGITS) for _ in range(4)) for _ in range(3)]
        candidate = "-".join(groups)
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


@dataclass(frozen=True)
class IssuedPassword:
    """An initial password handed out once."""

    nip: str
    name: str
    unit: str
    password: str


def create_accounts(unit_ids: set[int] | None = None, *, actor=None) -> list[IssuedPassword]:
    """Create accounts for every active employee without one (one transaction).

    The Argon2 hashes (tens of ms each: minutes for a whole city) are computed before the
    transaction opens, so the write lock is held only for the inserts. An employee who got
    an account meanwhile (another admin, another tab) is skipped.
    """
    prepared = []
    for employee in employees_without_account(unit_ids):
        password = generate_password()
        account = Account(
            employee=employee.id,
            password_hash=passwords.hash_password(password),
            must_change_password=True,
            session_nonce=new_nonce(),
        )
        prepared.append((employee, password, account))
    if not prepared:
        return []
    with write_tx():
        # whole-table reads of one column: cheaper than a parameter per employee
        taken = {employee_id for (employee_id,) in Account.select(Account.employee).tuples()}
        fresh = [p for p in prepared if p[0].id not in taken]
        insert_rows(Account, [account for _, _, account in fresh])
        account_of = dict(Account.select(Account.employee, Account.id).tuples())
        audit.record_many(
            "account.created",
            [
                {
                    "object_type": "account",
                    "object_id": account_of[employee.id],
                    "after": {"nip": employee.nip, "roles": []},
                }
                for employee, _, _ in fresh
            ],
            actor=actor,
        )
    return [
        IssuedPassword(employee.nip, employee.full_name, employee.unit.display_name, password)
        for employee, password, _ in fresh
    ]


def reset_password(account_id: int, *, actor=None) -> IssuedPassword:
    """Give an account a new initial password (ends its sessions, clears the lock)."""
    password = generate_password()
    password_hash = passwords.hash_password(password)  # slow: before the write transaction
    with write_tx():
        account = Account.get_by_id(account_id)
        account.password_hash = password_hash
        account.must_change_password = True
        account.failed_attempts = 0
        account.locked_until = None
        account.session_nonce = new_nonce()
        account.password_changed_at = utcnow()
        account.save()
        audit.record(
            "account.password_reset", actor=actor, object_type="account", object_id=account.id
        )
        employee = account.employee
    return IssuedPassword(employee.nip, employee.full_name, employee.unit.display_name, password)


def unlock(account_id: int, *, actor=None) -> Account:
    """Clear a lockout and the failed-attempt count."""
    with write_tx():
        account = Account.get_by_id(account_id)
        before = {"failed_attempts": account.failed_attempts, "locked_until": account.locked_until}
        account.failed_attempts = 0
        account.locked_until = None
        account.save()
        clear_account_throttle(account.employee.nip)
        audit.record(
            "account.unlocked",
            actor=actor,
            object_type="account",
            object_id=account.id,
            before=before,
        )
    return account


def set_role(account_id: int, role: str, granted: bool, *, actor=None) -> None:
    """Grant or remove the admin or auditor role."""
    if role not in Role.__members__:
        raise AdminError("Peran tidak dikenal.")
    if not granted and role == Role.ADMIN and actor is not None and actor.id == account_id:
        raise AdminError(
            "Anda tidak dapat mencabut peran Admin dari akun Anda sendiri; minta admin lain."
        )
    with write_tx():
        account = Account.get_by_id(account_id)
        existing = AccountRole.get_or_none(
            (AccountRole.account == account.id) & (AccountRole.role == role)
        )
        if granted and existing is None:
            AccountRole.create(account=account.id, role=role)
            action = "account.role_granted"
        elif not granted and existing is not None:
            if role == Role.ADMIN:
                admins = AccountRole.select().where(AccountRole.role == Role.ADMIN).count()
                if admins <= 1:
                    raise AdminError("Setidaknya satu akun harus tetap memegang peran Admin.")
            existing.delete_instance()
            action = "account.role_removed"
        else:
            return
        account.session_nonce = new_nonce()  # roles change: sessions start over
        account.save()
        audit.record(
            action,
            actor=actor,
            object_type="account",
            object_id=account.id,
            after={"role": role},
        )
