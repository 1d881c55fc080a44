"""Performance years and their evaluation periods with deadlines (docs/spec/regulation.md §1)."""

from peewee import CharField, IntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateField, DateTimeField
from kinerja.enums import PeriodKind, PeriodStatus


class Period(BaseModel):
    """A periodic (Triwulan I–IV or a month) or annual evaluation period of one year.

    The annual period (kind TAHUNAN, number 0) also carries the SKP deadline of the year.
    Settings in force are copied into ``frozen_settings`` when the period opens.
    """

    year = IntegerField(index=True)
    kind = CharField(max_length=10, choices=PeriodKind.choices())
    number = IntegerField(default=0)
    name = CharField(max_length=60)
    start = DateField()
    end = DateField()
    status = CharField(max_length=14, choices=PeriodStatus.choices(), default="DIRENCANAKAN")
    skp_deadline = DateField(null=True)
    realisation_deadline = DateField(null=True)
    self_assessment_deadline = DateField(null=True)
    rating_deadline = DateField(null=True)
    frozen_settings = TextField(default="")
    opened_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("year", "kind", "number"), True),)

    @property
    def is_annual(self) -> bool:
        """Whether this is the year's annual period."""
        return self.kind == PeriodKind.TAHUNAN

    @property
    def is_planned(self) -> bool:
        """Planned, not yet opened."""
        return self.status == PeriodStatus.DIRENCANAKAN

    @property
    def is_open(self) -> bool:
        """Open for evaluation and realisation."""
        return self.status == PeriodStatus.DIBUKA

    @property
    def is_closed(self) -> bool:
        """Closed: nothing changes any more."""
        return self.status == PeriodStatus.DITUTUP

    @property
    def status_label(self) -> str:
        """The status as people read it."""
        return PeriodStatus(self.status).label
