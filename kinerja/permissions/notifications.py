"""Who may read a notification: only the person it was written for (no admin reads
another person's inbox)."""

from kinerja.models.notification import Notification
from kinerja.permissions import Actor


def can_read_notification(actor: Actor, notification: Notification) -> bool:
    """The notification is the actor's own."""
    return notification.employee_id == actor.employee_id
