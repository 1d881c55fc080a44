"""Object-level predicates of the admin console."""

from kinerja.models.account import Account
from kinerja.permissions import Actor, is_admin


def can_change_roles_of(actor: Actor, account: Account) -> bool:
    """Admins change roles of every account but cannot drop their own admin role
    (another admin must do it, so the system is never left without one by accident)."""
    return is_admin(actor)


def can_remove_admin_of(actor: Actor, account: Account) -> bool:
    """Whether ``actor`` may remove the admin role of ``account``."""
    return is_admin(actor) and actor.account.id != account.id
