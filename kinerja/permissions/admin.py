"""Object-level predicates of the admin console."""

from kinerja.models.account import Account
from kinerja.permissions import Actor, is_admin


def can_remove_admin_of(actor: Actor, account: Account) -> bool:
    """Admins may remove the admin role of any account but their own (another admin must
    do it, so nobody locks themselves out of the console by accident)."""
    return is_admin(actor) and actor.account.id != account.id
