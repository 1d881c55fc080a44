"""Kiosk terminals, the counter duty roster and citizens' SKM answers (docs/spec/product.md §5).

An answer row keeps nothing that identifies the citizen: no address, no device detail, no
exact time (only the WIB day and hour). The precise time of the last respondent lives on
the kiosk row, because the minimum interval between respondents must hold across every
app process.
"""

import json

from peewee import CharField, ForeignKeyField, IntegerField, SmallIntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateField, DateTimeField
from kinerja.enums import LabelledEnum
from kinerja.models.org import Employee, Unit


class KioskStatus(LabelledEnum):
    """Lifecycle of a kiosk terminal."""

    ACTIVE = "ACTIVE", "Aktif"
    REVOKED = "REVOKED", "Dicabut"


WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

DEFAULT_OPENING_HOURS = {
    "0": ["07:30", "16:00"],
    "1": ["07:30", "16:00"],
    "2": ["07:30", "16:00"],
    "3": ["07:30", "16:00"],
    "4": ["07:30", "16:30"],
}
"""Opening hours by ISO weekday index (0 = Senin) → [start, end) in WIB; absent = closed."""


class Kiosk(BaseModel):
    """A paired (or pairable) kiosk device at one unit and, optionally, one counter."""

    unit = ForeignKeyField(Unit, backref="kiosks", on_delete="RESTRICT", index=True)
    name = CharField(max_length=120)
    counter = CharField(max_length=80, default="")
    service_type_ids = TextField(default="[]")  # JSON list of ServiceType ids (plain ints)
    status = CharField(max_length=10, choices=KioskStatus.choices(), default="ACTIVE")
    pairing_code_hash = CharField(max_length=64, null=True, unique=True)
    pairing_expires_at = DateTimeField(null=True)
    token_hash = CharField(max_length=64, null=True, unique=True)
    paired_at = DateTimeField(null=True)
    opening_hours = TextField(default=lambda: json.dumps(DEFAULT_OPENING_HOURS))
    last_seen_at = DateTimeField(null=True)
    last_respondent_at = DateTimeField(null=True)
    # The hourly limit: the latest hour (UTC start) answered at this kiosk and its count of
    # new respondents, kept on the kiosk row so one conditional UPDATE checks both rules.
    rate_hour = DateTimeField(null=True)
    rate_count = IntegerField(default=0)
    # Back-dated answers (flushed from the device's offline queue) per arrival minute: the
    # latest arrival minute (UTC) and its count, so a backlog is flushed at a bounded rate.
    backlog_minute = DateTimeField(null=True)
    backlog_count = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)

    @property
    def services(self) -> list[int]:
        """The service type ids offered at this kiosk."""
        try:
            value = json.loads(self.service_type_ids or "[]")
        except ValueError:
            return []
        return [int(v) for v in value if isinstance(v, int) and not isinstance(v, bool)]

    @property
    def hours(self) -> dict[int, tuple[str, str]]:
        """Opening hours by weekday index (0 = Senin): (start, end) as "HH:MM" in WIB."""
        try:
            raw = json.loads(self.opening_hours or "{}")
        except ValueError:
            return {}
        return {int(k): (v[0], v[1]) for k, v in raw.items()}

    @property
    def is_active(self) -> bool:
        """Whether the kiosk has not been revoked."""
        return self.status == KioskStatus.ACTIVE

    @property
    def label(self) -> str:
        """Name with the counter, for lists."""
        return f"{self.name} ({self.counter})" if self.counter else self.name


class CounterDuty(BaseModel):
    """Who sits at a kiosk's counter from ``start`` to ``end`` (naive UTC; open end =
    still on duty). Set by the unit's supervisor or by the employee at sign-in."""

    kiosk = ForeignKeyField(Kiosk, backref="duties", on_delete="CASCADE")
    employee = ForeignKeyField(Employee, backref="counter_duties", on_delete="CASCADE")
    start = DateTimeField()
    end = DateTimeField(null=True)
    set_by_account_id = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)
    # Ended because a colleague signed in at the same counter (issue 19): who (an employee
    # id) and when the person taken over from read the portal's notice of it.
    taken_over_by_id = IntegerField(null=True)
    takeover_read_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("kiosk", "start"), False), (("employee", "start"), False))


class KioskResponse(BaseModel):
    """One citizen's answer set, idempotent on the client-generated id.

    Only the WIB day and hour are kept; no address or other identifying detail.
    """

    client_id = CharField(max_length=36, unique=True)
    # No single-column indexes on the foreign keys: the (column, day) indexes below start
    # with them and serve the same lookups; each index is one more page per answer written.
    # An answer from the citizen's own phone (channel "ponsel", issue 22) has no kiosk.
    kiosk = ForeignKeyField(
        Kiosk, null=True, backref="responses", on_delete="RESTRICT", index=False
    )
    channel = CharField(max_length=8, default="kiosk")
    unit = ForeignKeyField(Unit, backref="kiosk_responses", on_delete="RESTRICT", index=False)
    service_type_id = IntegerField(null=True)
    day = DateField()
    hour = SmallIntegerField()
    face = SmallIntegerField()
    u1 = SmallIntegerField(null=True)
    u2 = SmallIntegerField(null=True)
    u3 = SmallIntegerField(null=True)
    u4 = SmallIntegerField(null=True)
    u5 = SmallIntegerField(null=True)
    u6 = SmallIntegerField(null=True)
    u7 = SmallIntegerField(null=True)
    u8 = SmallIntegerField(null=True)
    u9 = SmallIntegerField(null=True)
    comment = TextField(default="")
    employee = ForeignKeyField(
        Employee, null=True, backref="kiosk_responses", on_delete="SET NULL", index=False
    )
    received_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("unit", "day"), False),
            (("employee", "day"), False),
            (("kiosk", "day"), False),
        )


class Channel(LabelledEnum):
    """Where a citizen gave an SKM answer."""

    KIOSK = "kiosk", "Kios"
    PONSEL = "ponsel", "Ponsel"


class SurveyToken(BaseModel):
    """A single-use link to the SKM on the citizen's own phone, printed on the receipt of a
    completed service request (issue 22).

    Only the SHA-256 of the token is kept. The row binds the link to the request (its unit,
    jenis layanan and handler, copied so the answer carries them); it never points at the
    answer it produced, and ``used_at`` (set to ``created_at`` when used) never says when.
    """

    token_hash = CharField(max_length=64, unique=True)
    service_request_id = IntegerField(unique=True)
    unit = ForeignKeyField(Unit, backref="+", on_delete="CASCADE", index=False)
    service_type_id = IntegerField(null=True)
    employee = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
