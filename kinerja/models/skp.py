"""SKP: the plan (RHK, indicators, perilaku expectations), revisions, realisation per
period, and the continuous feedback log (docs/spec/regulation.md §1–§2, docs/spec/product.md §2)."""

from peewee import BooleanField, CharField, DecimalField, ForeignKeyField, IntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateField, DateTimeField
from kinerja.enums import (
    Aspek,
    Berakhlak,
    Direction,
    Perspektif,
    RhkKind,
    SkpApproach,
    SkpStatus,
)
from kinerja.models.org import Employee
from kinerja.models.period import Period


class Skp(BaseModel):
    """One employee's SKP for one year."""

    employee = ForeignKeyField(Employee, backref="skps", on_delete="RESTRICT")
    year = IntegerField(index=True)
    approach = CharField(max_length=12, choices=SkpApproach.choices(), default="KUANTITATIF")
    status = CharField(max_length=14, choices=SkpStatus.choices(), default="DRAFT", index=True)
    version = IntegerField(default=1)
    pejabat_penilai = ForeignKeyField(
        Employee, null=True, backref="skps_to_assess", on_delete="SET NULL"
    )
    submitted_at = DateTimeField(null=True)
    approved_at = DateTimeField(null=True)
    approved_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    return_note = TextField(default="")
    returned_at = DateTimeField(null=True)
    in_revision = BooleanField(default=False)
    revision_reason = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "year"), True),)

    @property
    def is_submitted(self) -> bool:
        """Submitted, waiting for the Pejabat Penilai."""
        return self.status == SkpStatus.DIAJUKAN

    @property
    def is_approved(self) -> bool:
        """Approved by the Pejabat Penilai."""
        return self.status == SkpStatus.DISETUJUI

    @property
    def is_returned(self) -> bool:
        """Returned to the employee with a note."""
        return self.status == SkpStatus.DIKEMBALIKAN

    @property
    def is_being_drafted(self) -> bool:
        """A draft or a returned SKP: the employee is (re)writing it."""
        return self.status in (SkpStatus.DRAFT, SkpStatus.DIKEMBALIKAN)

    @property
    def status_label(self) -> str:
        """The status as people read it."""
        return SkpStatus(self.status).label


class Rhk(BaseModel):
    """A Rencana Hasil Kerja, Utama or Tambahan, possibly cascading from the
    supervisor's approved RHK (intervensi)."""

    skp = ForeignKeyField(Skp, backref="rhks", on_delete="CASCADE")
    kind = CharField(max_length=10, choices=RhkKind.choices(), default="UTAMA")
    position = IntegerField(default=0)
    text = TextField()
    parent_rhk = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    perspektif = CharField(max_length=20, choices=Perspektif.choices(), null=True)
    # Copied from the approved SKP of that year (issue 23): shown on the draft until the
    # RHK is edited or the SKP submitted.
    copied_from_year = IntegerField(null=True)

    class Meta:
        indexes = ((("skp", "kind", "position"), False),)


class Indicator(BaseModel):
    """An Indikator Kinerja Individu (IKI) of an RHK with its target.

    Kuantitatif: ``target_value`` + ``target_unit``; kualitatif: ``success_criteria``.
    ``linked_service_type_id``/``linked_figure`` tie it to service data (docs/spec/product.md §4).
    """

    rhk = ForeignKeyField(Rhk, backref="indicators", on_delete="CASCADE")
    position = IntegerField(default=0)
    text = TextField()
    aspek = CharField(max_length=10, choices=Aspek.choices(), default="KUANTITAS")
    target_value = DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    target_unit = CharField(max_length=40, default="")
    success_criteria = TextField(default="")
    direction = CharField(max_length=14, choices=Direction.choices(), default="HIGHER_BETTER")
    linked_service_type_id = IntegerField(null=True, index=True)
    linked_figure = CharField(max_length=20, null=True)
    # As ``Rhk.copied_from_year``: cleared when the indicator is edited or the SKP submitted.
    copied_from_year = IntegerField(null=True)


class PerilakuExpectation(BaseModel):
    """The supervisor's "ekspektasi khusus pimpinan" for one BerAKHLAK value."""

    skp = ForeignKeyField(Skp, backref="perilaku_expectations", on_delete="CASCADE")
    value = CharField(max_length=24, choices=Berakhlak.choices())
    text = TextField()
    author = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("skp", "value"), True),)


class SkpRevision(BaseModel):
    """A frozen copy (JSON) of an approved SKP version, kept when it is revised."""

    skp = ForeignKeyField(Skp, backref="revisions", on_delete="CASCADE")
    version = IntegerField()
    snapshot = TextField()
    reason = TextField(default="")
    created_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("skp", "version"), True),)


class Realisation(BaseModel):
    """Realisation of one indicator in one period, with evidence and the supervisor's
    feedback. ``auto_detail`` holds the figures behind an automatic (service-linked)
    value as JSON."""

    indicator = ForeignKeyField(Indicator, backref="realisations", on_delete="CASCADE")
    period = ForeignKeyField(Period, backref="realisations", on_delete="RESTRICT")
    value = DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    narrative = TextField(default="")
    evidence_link = CharField(max_length=500, default="")
    evidence_note = TextField(default="")
    automatic = BooleanField(default=False)
    auto_detail = TextField(default="")
    supervisor_feedback = TextField(default="")
    feedback_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    feedback_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("indicator", "period"), True),)


class FeedbackNote(BaseModel):
    """A dated note in the continuous feedback log (umpan balik berkelanjutan)."""

    employee = ForeignKeyField(Employee, backref="feedback_notes", on_delete="CASCADE")
    author = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    day = DateField(index=True)
    kind = CharField(max_length=12, default="CATATAN")
    text = TextField()
    is_dialog = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)


class FeedbackReply(BaseModel):
    """The subordinate's (or the author's) reply to a feedback note."""

    note = ForeignKeyField(FeedbackNote, backref="replies", on_delete="CASCADE")
    author = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    text = TextField()
    created_at = DateTimeField(default=utcnow)
