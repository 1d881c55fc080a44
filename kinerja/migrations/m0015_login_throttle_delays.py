"""Logins: growing delays per address and account instead of a lock; failures told to the owner."""

from peewee import DateTimeField

from kinerja.migrations import add_column_if_missing

VERSION = 15
DESCRIPTION = "Masuk: jeda bertambah per alamat dan akun; percobaan gagal diberitahukan"


def up(db):
    """Add ``login_throttle.blocked_until`` and ``account.failed_since``."""
    add_column_if_missing(db, "login_throttle", "blocked_until", DateTimeField(null=True))
    add_column_if_missing(db, "account", "failed_since", DateTimeField(null=True))
