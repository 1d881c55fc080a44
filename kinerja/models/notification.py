"""Notifications shown in the portal (the bell) and e-mailed as each person chooses."""

import json

from peewee import CharField, ForeignKeyField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateTimeField
from kinerja.enums import EmailMode, NotificationKind
from kinerja.models.org import Employee


class Notification(BaseModel):
    """One thing the portal tells one person, with the page it is about."""

    # No index of its own: the (employee, …) indexes below serve every lookup by person.
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE", index=False)
    kind = CharField(max_length=32, choices=NotificationKind.choices())
    title = CharField(max_length=200)
    body = TextField(default="")
    link_endpoint = CharField(max_length=80, default="")
    link_args = TextField(default="{}")
    dedupe_key = CharField(max_length=64, null=True)
    """Set by the deadline reminder: one reminder per person, item and day."""
    created_at = DateTimeField(default=utcnow)
    read_at = DateTimeField(null=True)
    emailed_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("employee", "read_at"), False),
            (("employee", "dedupe_key"), True),
        )

    @property
    def args(self) -> dict:
        """The link's arguments."""
        return json.loads(self.link_args or "{}")

    @property
    def kind_label(self) -> str:
        """The kind in words."""
        return NotificationKind(self.kind).label

    @property
    def unread(self) -> bool:
        """Not read yet."""
        return self.read_at is None


class NotificationPreference(BaseModel):
    """How one person wants notifications by e-mail (no row: the daily digest)."""

    employee = ForeignKeyField(Employee, unique=True, backref="+", on_delete="CASCADE")
    email_mode = CharField(max_length=8, choices=EmailMode.choices(), default=EmailMode.HARIAN)
    updated_at = DateTimeField(default=utcnow)
