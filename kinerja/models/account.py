"""User accounts (linked to employees), roles held as data, and login throttles."""

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateTimeField
from kinerja.enums import Role
from kinerja.models.org import Employee


class Account(BaseModel):
    """A login for one employee: NIP + password."""

    employee = ForeignKeyField(Employee, unique=True, backref="accounts", on_delete="CASCADE")
    password_hash = CharField(max_length=255)
    must_change_password = BooleanField(default=True)
    failed_attempts = IntegerField(default=0)
    """Failed logins since the last successful one (told to the owner at the next login)."""
    failed_since = DateTimeField(null=True)
    """The first of those failures."""
    locked_until = DateTimeField(null=True)
    """No longer set (logins are throttled, never locked); kept for older databases."""
    last_login_at = DateTimeField(null=True)
    password_changed_at = DateTimeField(null=True)
    session_nonce = CharField(max_length=32)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    email = CharField(max_length=254, null=True)
    """Where notifications are e-mailed (set by the person on the preferences page)."""
    welcomed_at = DateTimeField(null=True)
    """When the owner dismissed the first-login welcome (None: it still shows)."""


class AccountRole(BaseModel):
    """A role (admin, auditor) granted to an account."""

    account = ForeignKeyField(Account, backref="roles", on_delete="CASCADE")
    role = CharField(max_length=16, choices=Role.choices())
    granted_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("account", "role"), True),)


class LoginThrottle(BaseModel):
    """Failures counted under one key (an address, an address and NIP, a NIP) in a time
    window, and until when that key must wait (kept in the database so every app process
    sees the same count)."""

    client_key = CharField(max_length=64, unique=True)
    window_start = DateTimeField()
    failures = IntegerField(default=0)
    blocked_until = DateTimeField(null=True)
