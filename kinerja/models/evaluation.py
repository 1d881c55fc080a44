"""Evaluation: per employee and period, self-assessment, anonymous 360 feedback, ratings,
organisation predikat and pattern, objection (keberatan) and follow-up
(docs/spec/regulation.md §3–§6, docs/spec/product.md §2 "Evaluation", §3).

360 storage follows docs/spec/product.md §3: :class:`FeedbackRequest` says who was asked and whether
they answered (no time of answering); :class:`FeedbackAnswer` holds the answers with the
rated evaluation and the rater group only: no rater, no time, no submission id, under a
random primary key. ``Evaluation.feedback_closed_on`` closes the 360 round; the summary is
released only then (see SECURITY.md "360 anonymity").
"""

import secrets

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DecimalField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateField, DateTimeField
from kinerja.enums import (
    Berakhlak,
    EvaluationStatus,
    LabelledEnum,
    OrgPredikat,
    Predikat,
    RaterGroup,
    Rating,
)
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, Rhk, Skp


class ObjectionDecision(LabelledEnum):
    """The atasan pejabat penilai's decision on a keberatan (docs/spec/regulation.md §6)."""

    CONFIRM = "CONFIRM", "Menguatkan hasil evaluasi"
    CHANGE = "CHANGE", "Mengubah hasil evaluasi"


class MessageRole(LabelledEnum):
    """Who speaks in an objection's record."""

    EMPLOYEE = "EMPLOYEE", "Pegawai"
    PENILAI = "PENILAI", "Pejabat Penilai"
    ATASAN = "ATASAN", "Atasan Pejabat Penilai"


class PlanKind(LabelledEnum):
    """Kinds of development plan (docs/spec/product.md §2 follow-up)."""

    COACHING = "COACHING", "Coaching"
    MENTORING = "MENTORING", "Mentoring"
    PELATIHAN = "PELATIHAN", "Pelatihan"


class PlanStatus(LabelledEnum):
    """Progress of a development plan."""

    RENCANA = "RENCANA", "Direncanakan"
    BERJALAN = "BERJALAN", "Sedang berjalan"
    SELESAI = "SELESAI", "Selesai"
    BATAL = "BATAL", "Dibatalkan"

    @property
    def is_open(self) -> bool:
        """Planned or running: the plan still has work to do (and can be late)."""
        return self in (PlanStatus.RENCANA, PlanStatus.BERJALAN)


class TrainingKind(LabelledEnum):
    """Kinds of course in the BKPSDM training catalogue (pengembangan kompetensi ASN)."""

    DIKLAT = "DIKLAT", "Diklat/pelatihan klasikal"
    COACHING = "COACHING", "Coaching"
    MENTORING = "MENTORING", "Mentoring"
    E_LEARNING = "E_LEARNING", "E-learning"
    MAGANG = "MAGANG", "Magang/lainnya"

    @property
    def plan_kind(self) -> "PlanKind":
        """The development-plan kind a course of this kind makes."""
        return {
            TrainingKind.COACHING: PlanKind.COACHING,
            TrainingKind.MENTORING: PlanKind.MENTORING,
        }.get(self, PlanKind.PELATIHAN)


def random_key() -> str:
    """A random 32-hex key: answer rows carry no insertion order in their id."""
    return secrets.token_hex(16)


class Evaluation(BaseModel):
    """One employee's evaluation for one period (periodic or annual)."""

    employee = ForeignKeyField(Employee, backref="evaluations", on_delete="RESTRICT")
    period = ForeignKeyField(Period, backref="evaluations", on_delete="RESTRICT")
    skp = ForeignKeyField(Skp, null=True, backref="evaluations", on_delete="SET NULL")
    unit = ForeignKeyField(Unit, backref="evaluations", on_delete="RESTRICT", index=True)
    status = CharField(
        max_length=16, choices=EvaluationStatus.choices(), default="TERBUKA", index=True
    )
    self_assessed_at = DateTimeField(null=True)
    hasil_rating = CharField(max_length=20, choices=Rating.choices(), null=True)
    hasil_reason = TextField(default="")
    perilaku_rating = CharField(max_length=20, choices=Rating.choices(), null=True)
    perilaku_reason = TextField(default="")
    predikat = CharField(max_length=16, choices=Predikat.choices(), null=True, index=True)
    predikat_explanation = TextField(default="")
    is_unit_head_rating = BooleanField(default=False)
    rated_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    rated_at = DateTimeField(null=True)
    finalised_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    finalised_at = DateTimeField(null=True)
    objection_deadline = DateField(null=True)
    acknowledged_at = DateTimeField(null=True)
    angka_kredit = DecimalField(max_digits=8, decimal_places=3, null=True, auto_round=True)
    # The 360 round: open (None) until the Pejabat Penilai closes it or finalises; the
    # summary is released once, at closing, and no rater or answer is added after it.
    feedback_closed_on = DateField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "period"), True),)

    @property
    def is_self_assessable(self) -> bool:
        """Open for the employee's self-assessment (not yet rated)."""
        return self.status in (EvaluationStatus.TERBUKA, EvaluationStatus.PENILAIAN_DIRI)

    @property
    def is_editable(self) -> bool:
        """Not final yet: the Pejabat Penilai may still rate it."""
        return EvaluationStatus(self.status).is_editable

    @property
    def is_rated(self) -> bool:
        """Rated, waiting to be finalised."""
        return self.status == EvaluationStatus.DINILAI

    @property
    def is_final(self) -> bool:
        """Final, within the objection window (neither accepted nor objected yet)."""
        return self.status == EvaluationStatus.FINAL

    @property
    def is_locked(self) -> bool:
        """Final or later: the result is visible and changes only by an objection decision."""
        return not self.is_editable


class SelfAssessmentRhk(BaseModel):
    """The employee's own suggested rating and narrative for one RHK."""

    evaluation = ForeignKeyField(Evaluation, backref="self_rhk", on_delete="CASCADE")
    rhk = ForeignKeyField(Rhk, backref="+", on_delete="CASCADE")
    rating = CharField(max_length=20, choices=Rating.choices())
    narrative = TextField(default="")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("evaluation", "rhk"), True),)


class SelfAssessmentValue(BaseModel):
    """The employee's own suggested rating and narrative for one BerAKHLAK value."""

    evaluation = ForeignKeyField(Evaluation, backref="self_values", on_delete="CASCADE")
    value = CharField(max_length=24, choices=Berakhlak.choices())
    rating = CharField(max_length=20, choices=Rating.choices())
    narrative = TextField(default="")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("evaluation", "value"), True),)


class FeedbackRequest(BaseModel):
    """Who was asked for 360 feedback on an evaluation, and whether they answered.

    Deliberately no link to the answers and no time of answering (issue 19): a time next to
    the rater would date their answer rows.
    """

    evaluation = ForeignKeyField(Evaluation, backref="feedback_requests", on_delete="CASCADE")
    rater = ForeignKeyField(Employee, backref="feedback_requests", on_delete="CASCADE")
    group = CharField(max_length=12, choices=RaterGroup.choices())
    requested_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    requested_on = DateField()
    answered = BooleanField(default=False)

    class Meta:
        indexes = ((("evaluation", "rater"), True),)


class FeedbackAnswer(BaseModel):
    """One anonymous 360 rating of one BerAKHLAK value: no rater, no time, no batch.

    The primary key is random (no insertion order); on SQLite the table is created
    WITHOUT ROWID so that no hidden row order exists either. Nothing groups the seven rows
    of one submission, and nothing dates them (issue 19: a shared batch or a day equal to
    the request's answer day named the rater in one join).
    """

    id = CharField(max_length=32, primary_key=True, default=random_key)
    evaluation = ForeignKeyField(Evaluation, backref="feedback_answers", on_delete="CASCADE")
    group = CharField(max_length=12, choices=RaterGroup.choices())
    value = CharField(max_length=24, choices=Berakhlak.choices())
    rating = CharField(max_length=20, choices=Rating.choices())
    comment = TextField(default="")

    class Meta:
        indexes = ((("evaluation", "group", "value"), False),)


class IndicatorRating(BaseModel):
    """The Pejabat Penilai's rating of one kualitatif indicator in an evaluation."""

    evaluation = ForeignKeyField(Evaluation, backref="indicator_ratings", on_delete="CASCADE")
    indicator = ForeignKeyField(Indicator, backref="+", on_delete="CASCADE")
    rating = CharField(max_length=20, choices=Rating.choices())
    note = TextField(default="")
    rated_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    rated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("evaluation", "indicator"), True),)


class OrgPredikatAssignment(BaseModel):
    """The Predikat Kinerja Organisasi of a unit for a period (docs/spec/regulation.md §4)."""

    unit = ForeignKeyField(Unit, backref="org_predikat", on_delete="CASCADE")
    period = ForeignKeyField(Period, backref="org_predikat", on_delete="CASCADE")
    predikat = CharField(max_length=16, choices=OrgPredikat.choices())
    set_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    set_at = DateTimeField(default=utcnow)
    note = TextField(default="")

    class Meta:
        indexes = ((("unit", "period"), True),)


class DistributionPatternVersion(BaseModel):
    """A version of the distribution pattern (JSON of kinerja.scoring.pattern_to_json)."""

    version = IntegerField(unique=True)
    json = TextField()
    note = TextField(default="")
    created_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    active = BooleanField(default=False, index=True)


class Objection(BaseModel):
    """A keberatan against a final evaluation (docs/spec/regulation.md §6, PP 30/2019 Pasal 59)."""

    evaluation = ForeignKeyField(Evaluation, unique=True, backref="objections", on_delete="CASCADE")
    reasons = TextField()
    filed_at = DateTimeField(default=utcnow)
    decided_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    decision = CharField(max_length=8, choices=ObjectionDecision.choices(), null=True)
    old_hasil_rating = CharField(max_length=20, choices=Rating.choices(), null=True)
    old_perilaku_rating = CharField(max_length=20, choices=Rating.choices(), null=True)
    old_predikat = CharField(max_length=16, choices=Predikat.choices(), null=True)
    new_hasil_rating = CharField(max_length=20, choices=Rating.choices(), null=True)
    new_perilaku_rating = CharField(max_length=20, choices=Rating.choices(), null=True)
    new_predikat = CharField(max_length=16, choices=Predikat.choices(), null=True)
    decision_reason = TextField(default="")


class ObjectionOfficialDecision(BaseModel):
    """The written decision of an official without an account (the Wali Kota above the
    Sekda, or an atasan without an account), recorded by an Admin BKPSDM: the decision
    letter and who recorded it. The decision itself is on :class:`Objection`."""

    objection = ForeignKeyField(
        Objection, unique=True, backref="official_decisions", on_delete="CASCADE"
    )
    official = CharField(max_length=300)
    official_employee = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    letter_number = CharField(max_length=100)
    letter_date = DateField()
    filename = CharField(max_length=200)
    content_type = CharField(max_length=60)
    content = BlobField()
    recorded_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    recorded_at = DateTimeField(default=utcnow)


class ObjectionMessage(BaseModel):
    """A recorded statement in an objection: an explanation, or a request for one."""

    objection = ForeignKeyField(Objection, backref="messages", on_delete="CASCADE")
    author = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    role = CharField(max_length=10, choices=MessageRole.choices())
    text = TextField()
    requested_from = CharField(max_length=10, choices=MessageRole.choices(), null=True)
    created_at = DateTimeField(default=utcnow)


class DevelopmentPlan(BaseModel):
    """A development plan after Butuh Perbaikan or worse (docs/spec/product.md §2 follow-up)."""

    evaluation = ForeignKeyField(Evaluation, backref="plans", on_delete="CASCADE")
    employee = ForeignKeyField(Employee, backref="development_plans", on_delete="CASCADE")
    kind = CharField(max_length=10, choices=PlanKind.choices())
    description = TextField()
    owner = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    due = DateField()
    status = CharField(max_length=10, choices=PlanStatus.choices(), default="RENCANA")
    created_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    # Migration 22: a course of the catalogue (none: a free plan, e.g. coaching by the head)
    # and the recorded completion. Deferred: the table of version 4 is created before the
    # catalogue exists; migration 22 adds the constraint where the database allows it.
    course = DeferredForeignKey("TrainingCourse", null=True, backref="plans", on_delete="RESTRICT")
    completed_at = DateField(null=True)
    completion_note = TextField(default="")
    recorded_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")

    def late_on(self, day) -> bool:
        """Open (planned or running) with its due date before ``day``."""
        return PlanStatus(self.status).is_open and self.due < day


class Recognition(BaseModel):
    """A Pegawai Teladan nomination; the name is published only with recorded consent."""

    evaluation = ForeignKeyField(
        Evaluation, unique=True, backref="recognitions", on_delete="CASCADE"
    )
    nominated_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    nominated_at = DateTimeField(default=utcnow)
    reason = TextField()
    consent = BooleanField(null=True)
    consent_recorded_at = DateTimeField(null=True)


class TrainingCourse(BaseModel):
    """A course of the training catalogue kept by BKPSDM (migration 22). Deactivated, never
    deleted once a development plan uses it."""

    name = CharField(max_length=200, unique=True)
    kind = CharField(max_length=12, choices=TrainingKind.choices())
    provider = CharField(max_length=160)
    hours = IntegerField()
    description = TextField(default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    @property
    def kind_label(self) -> str:
        """The Indonesian label of the kind."""
        return TrainingKind(self.kind).label

    @property
    def option_label(self) -> str:
        """How a course reads in a select: name, kind, provider and hours (JP)."""
        return f"{self.name} ({self.kind_label}, {self.provider}, {self.hours} JP)"
