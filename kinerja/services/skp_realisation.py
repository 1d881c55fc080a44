"""SKP realisation per period and the continuous feedback log (docs/spec/regulation.md §2,
docs/spec/product.md §2).

Every use case runs in one transaction (``write_tx``) and is audited, like the drafting use
cases of ``kinerja.services.skp`` whose errors it raises.
"""

from datetime import date

from peewee import IntegrityError

from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.enums import (
    PeriodKind,
    PeriodStatus,
)
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.models.skp import (
    FeedbackNote,
    FeedbackReply,
    Indicator,
    Realisation,
    Rhk,
    Skp,
)
from kinerja.permissions import Actor
from kinerja.permissions import skp as perm
from kinerja.services.skp import NotAllowed, SkpError, StateConflict, _raise_if, _record
from kinerja.skp_validation import (
    NOTE_MAX,
    FieldError,
    clean_text,
    validate_note,
    validate_realisation,
)
from kinerja.statements import statement


def _realisation_target(indicator_id: int, period_id: int) -> tuple[Indicator, Skp, Period]:
    """The indicator, its SKP and the period, read again inside the write transaction
    (the SKP and the period with what the checks use: owner, year, approach, approval;
    kind, status, name)."""
    indicator = _indicator_with_skp.first(indicator_id)
    period = _period_state.first(period_id)
    if indicator is None or period is None:
        raise StateConflict("Indikator atau periode ini sudah tidak ada.")
    return indicator, indicator.rhk.skp, period


@statement
def _indicator_with_skp(indicator_id):
    """An indicator with its RHK and SKP (as ``indicator.rhk.skp``)."""
    return (
        Indicator.select(
            Indicator,
            Rhk.id,
            Rhk.skp,
            Skp.id,
            Skp.employee,
            Skp.year,
            Skp.status,
            Skp.approach,
            Skp.approved_at,
        )
        .join(Rhk)
        .join(Skp)
        .where(Indicator.id == indicator_id)
        .limit(1)
    )


@statement
def _period_state(period_id):
    return (
        Period.select(Period.id, Period.year, Period.kind, Period.status, Period.name)
        .where(Period.id == period_id)
        .limit(1)
    )


@statement
def _realisation(indicator_id, period_id):
    return (
        Realisation.select()
        .where((Realisation.indicator == indicator_id) & (Realisation.period == period_id))
        .limit(1)
    )


def _period_open_for(skp: Skp, period: Period) -> None:
    if period.year != skp.year or period.kind == PeriodKind.TAHUNAN:
        raise StateConflict("Periode ini bukan periode penilaian SKP tersebut.")
    if period.status != PeriodStatus.DIBUKA:
        raise StateConflict(f"{period.name} tidak sedang dibuka; realisasi tidak dapat diubah.")
    if skp.approved_at is None:
        raise StateConflict("Realisasi diisi setelah SKP disetujui.")


def save_realisation(actor: Actor, indicator: Indicator, period: Period, data: dict) -> Realisation:
    """Document (or change) the realisation of one indicator in one open period."""
    with write_tx():
        indicator, skp, period = _realisation_target(indicator.id, period.id)
        if not perm.can_enter_realisation(actor, skp):
            raise NotAllowed()
        _period_open_for(skp, period)
        row = _realisation.first(indicator.id, period.id)
        # A service-linked indicator's value is filled from the requests the employee
        # handled (docs/spec/product.md §4): the employee adds a note and evidence, never the
        # figure.
        automatic = indicator.linked_service_type_id is not None or bool(row and row.automatic)
        clean, errors = validate_realisation(data, approach=skp.approach, automatic=automatic)
        _raise_if(errors)
        before = None
        if row is None:
            row = Realisation(indicator=indicator, period=period)
        else:
            before = {k: getattr(row, k) for k in clean}
        for key, value in clean.items():
            setattr(row, key, value)
        row.updated_at = utcnow()
        try:
            # A new row is inserted whole; an existing one updates the columns set here.
            row.save(only=row.dirty_fields if before is not None else None)
        except IntegrityError as exc:
            raise StateConflict(
                "Realisasi ini baru saja diisi di tempat lain; muat ulang."
            ) from exc
        _record(
            "skp.realisation_saved",
            actor,
            skp.id,
            before,
            {"indicator": indicator.id, "period": period.id, **clean},
        )
    return row


def save_feedback(actor: Actor, indicator: Indicator, period: Period, text: str) -> Realisation:
    """The supervisor's umpan balik on one indicator's realisation in one period."""
    try:
        text = clean_text(text, label="Umpan balik", max_len=NOTE_MAX)
    except FieldError as exc:
        raise SkpError(errors={"feedback": str(exc)}) from exc
    with write_tx():
        indicator, skp, period = _realisation_target(indicator.id, period.id)
        if not perm.can_decide_skp(actor, skp):
            raise NotAllowed()
        if period.year != skp.year or period.kind == PeriodKind.TAHUNAN:
            raise StateConflict("Periode ini bukan periode penilaian SKP tersebut.")
        if period.status == PeriodStatus.DITUTUP:
            raise StateConflict(f"{period.name} sudah ditutup.")
        row = Realisation.get_or_none(
            (Realisation.indicator == indicator.id) & (Realisation.period == period.id)
        )
        if row is None:
            row = Realisation(indicator=indicator, period=period)
        before = row.supervisor_feedback or None
        row.supervisor_feedback = text
        row.feedback_by = actor.employee_id
        row.feedback_at = utcnow()
        row.save()
        _record(
            "skp.realisation_feedback",
            actor,
            skp.id,
            {"feedback": before} if before else None,
            {"indicator": indicator.id, "period": period.id, "feedback": text},
        )
    return row


def add_note(actor: Actor, employee: Employee, data: dict, day: date | None = None) -> FeedbackNote:
    """A dated note in a subordinate's feedback log (praise, correction, agreement…)."""
    clean, errors = validate_note(data)
    _raise_if(errors)
    with write_tx():
        employee = Employee.get_by_id(employee.id)
        if not perm.can_give_feedback(actor, employee):
            raise NotAllowed()
        note = FeedbackNote.create(
            employee=employee, author=actor.employee_id, day=day or actor.day, **clean
        )
        _record(
            "feedback.note_added",
            actor,
            note.id,
            after={"employee": employee.id, **clean},
            kind="feedback_note",
        )
    return note


def reply(actor: Actor, note: FeedbackNote, text: str) -> FeedbackReply:
    """A reply to a feedback note by the subordinate (or the note's author)."""
    try:
        text = clean_text(text, label="Balasan", max_len=NOTE_MAX)
    except FieldError as exc:
        raise SkpError(errors={"text": str(exc)}) from exc
    with write_tx():
        note = FeedbackNote.get_or_none(FeedbackNote.id == note.id)
        if note is None:
            raise StateConflict("Catatan ini sudah tidak ada.")
        if not perm.can_reply(actor, note):
            raise NotAllowed()
        row = FeedbackReply.create(note=note, author=actor.employee_id, text=text)
        _record(
            "feedback.reply_added",
            actor,
            note.id,
            after={"reply": row.id, "text": text},
            kind="feedback_note",
        )
    return row
