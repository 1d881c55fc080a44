"""Keberatan read models: the objection of an evaluation, its statements, who decides and
the objection tasks of "Tugas Anda" (docs/spec/regulation.md §6). No writes.
"""

from datetime import date

from kinerja.clock import to_wib
from kinerja.formatting import format_date
from kinerja.models.evaluation import (
    Evaluation,
    MessageRole,
    Objection,
    ObjectionMessage,
    ObjectionOfficialDecision,
)
from kinerja.models.org import Employee
from kinerja.models.period import Period
from kinerja.permissions import Actor, is_admin
from kinerja.permissions import evaluation as perm
from kinerja.queries.tasks import Task
from kinerja.statements import statement


@statement
def _objection(evaluation_id):
    return Objection.select().where(Objection.evaluation == evaluation_id).limit(1)


def objection_of(ev: Evaluation) -> Objection | None:
    """The keberatan filed against an evaluation, if any."""
    return _objection.first(ev.id)


def messages_of(objection: Objection) -> list[ObjectionMessage]:
    """The recorded statements, oldest first."""
    return list(
        ObjectionMessage.select(ObjectionMessage, Employee)
        .join(Employee, on=(ObjectionMessage.author == Employee.id))
        .where(ObjectionMessage.objection == objection.id)
        .order_by(ObjectionMessage.created_at, ObjectionMessage.id)
    )


def open_requests_for(objection: Objection, role: str) -> bool:
    """Whether an explanation was requested from ``role`` and not yet given after it."""
    return waiting_on(((m.role, m.requested_from) for m in messages_of(objection)), role)


def waiting_on(messages, role: str) -> bool:
    """Whether, in ``(role, requested_from)`` pairs oldest first, an explanation was
    requested from ``role`` and not yet given after it."""
    waiting = False
    for author_role, requested_from in messages:
        if requested_from == role:
            waiting = True
        elif author_role == role:
            waiting = False
    return waiting


def official_decision_of(objection: Objection) -> ObjectionOfficialDecision | None:
    """The recorded decision letter of an official without an account, if any."""
    return (
        ObjectionOfficialDecision.select(
            ObjectionOfficialDecision.id,
            ObjectionOfficialDecision.objection,
            ObjectionOfficialDecision.official,
            ObjectionOfficialDecision.letter_number,
            ObjectionOfficialDecision.letter_date,
            ObjectionOfficialDecision.filename,
            ObjectionOfficialDecision.recorded_by,
            ObjectionOfficialDecision.recorded_at,
        )
        .where(ObjectionOfficialDecision.objection == objection.id)
        .first()
    )


def decided_by_label(objection: Objection) -> str:
    """Who decided, as the employee reads it: the atasan's name, or the official and the
    letter ("Wali Kota Sibolga, surat nomor …, tanggal …")."""
    if not objection.decision:
        return ""
    record = official_decision_of(objection)
    if record is not None:
        return (
            f"{record.official}, surat nomor {record.letter_number} "
            f"tanggal {format_date(record.letter_date)} (dicatat oleh Admin BKPSDM)"
        )
    if objection.decided_by_id:
        return Employee.get_by_id(objection.decided_by_id).full_name
    return "—"


def decider_label(objection: Objection, day: date) -> str:
    """Who decides an open keberatan, as the employee reads it."""
    decider = perm.objection_decider(objection, day)
    if decider.recorded_by_admin:
        return f"{decider.official} (putusan tertulis, dicatat oleh Admin BKPSDM)"
    names = [
        e.full_name for e in Employee.select().where(Employee.id.in_(list(decider.account_holders)))
    ]
    return ", ".join(sorted(names))


def objections_for_officials(day: date, include_decided: bool = False) -> list[Objection]:
    """Keberatan decided by an official without an account: those waiting (open, whose
    decider today is such an official) and, if asked, those already recorded."""
    query = (
        Objection.select(Objection, Evaluation, Employee, Period)
        .join(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period)
        .where(Objection.decision.is_null())
        .order_by(Objection.filed_at)
    )
    waiting = [o for o in query if perm.objection_decider(o, day).recorded_by_admin]
    if not include_decided:
        return waiting
    recorded = list(
        Objection.select(Objection, Evaluation, Employee, Period)
        .join(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period)
        .switch(Objection)
        .join(
            ObjectionOfficialDecision,
            on=(ObjectionOfficialDecision.objection == Objection.id),
        )
        .order_by(Objection.decided_at.desc())
    )
    return waiting + recorded


def objections_to_decide(actor: Actor, include_decided: bool = False) -> list[Objection]:
    """Keberatan where the actor is the atasan Pejabat Penilai today."""
    # Only people whose supervisor reports to the actor (directly or through a Plt/Plh
    # the actor holds) can be theirs to decide: narrow in SQL, confirm with the predicate.
    bosses = [actor.employee_id, *actor.acting_for]
    their_penilai = Employee.select(Employee.id).where(Employee.supervisor.in_(bosses))
    query = (
        Objection.select(Objection, Evaluation, Employee, Period)
        .join(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period)
        .where(Employee.supervisor.in_(their_penilai))
        .order_by(Objection.filed_at)
    )
    if not include_decided:
        query = query.where(Objection.decision.is_null())
    return [o for o in query if perm.can_decide_objection(actor, o)]


def objections_as_penilai(actor: Actor) -> list[Objection]:
    """Open keberatan against evaluations the actor rates."""
    if not actor.supervised:
        return []
    return list(
        Objection.select(Objection, Evaluation, Period)
        .join(Evaluation)
        .join(Period)
        .where(Objection.decision.is_null() & Evaluation.employee.in_(list(actor.supervised)))
    )


def task_provider(actor: Actor) -> list[Task]:
    """Objections to decide, explanations requested from the actor; for an admin, the
    keberatan waiting for an official without an account to have the decision recorded."""
    tasks = []
    if is_admin(actor):
        waiting = [
            o
            for o in objections_for_officials(actor.day)
            if perm.can_record_official_decision(actor, o)
        ]
        if waiting:
            tasks.append(
                Task(
                    "Catat putusan keberatan oleh pejabat tanpa akun",
                    "admin.objections",
                    count=len(waiting),
                    since=to_wib(waiting[0].filed_at).date(),
                    area="keberatan",
                )
            )
    for objection in objections_to_decide(actor):
        tasks.append(
            Task(
                f"Putus keberatan {objection.evaluation.employee.name}",
                "supervisor.objection_detail",
                {"objection_id": objection.id},
                since=objection.filed_at.date(),
                area="keberatan",
            )
        )
    # Open objections against the actor's own evaluations or those the actor rates, then
    # their messages in one query (not one per objection).
    mine = Evaluation.employee == actor.employee_id
    if actor.supervised:
        mine |= Evaluation.employee.in_(list(actor.supervised))
    open_ones = list(
        Objection.select(Objection.id, Objection.evaluation, Evaluation.employee)
        .join(Evaluation)
        .where(Objection.decision.is_null() & mine)
        .order_by(Objection.id)
        .tuples()
    )
    messages: dict[int, list[tuple]] = {}
    if open_ones:
        rows = (
            ObjectionMessage.select(
                ObjectionMessage.objection, ObjectionMessage.role, ObjectionMessage.requested_from
            )
            .where(ObjectionMessage.objection.in_([o[0] for o in open_ones]))
            .order_by(ObjectionMessage.created_at, ObjectionMessage.id)
            .tuples()
        )
        for objection_id, role, requested_from in rows:
            messages.setdefault(objection_id, []).append((role, requested_from))
    for objection_id, evaluation_id, employee_id in open_ones:
        said = messages.get(objection_id, [])
        if employee_id == actor.employee_id:
            if waiting_on(said, MessageRole.EMPLOYEE):
                tasks.append(
                    Task(
                        "Beri penjelasan atas keberatan Anda",
                        "staff.evaluation_objection",
                        {"evaluation_id": evaluation_id},
                        area="keberatan",
                    )
                )
        elif waiting_on(said, MessageRole.PENILAI):
            tasks.append(
                Task(
                    "Beri penjelasan atas keberatan",
                    "supervisor.objection_detail",
                    {"objection_id": objection_id},
                    area="keberatan",
                )
            )
    return tasks


def objection_by_id(objection_id: int) -> Objection | None:
    """A keberatan, if it exists."""
    return Objection.get_or_none(Objection.id == objection_id)
