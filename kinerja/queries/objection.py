"""Keberatan read models: the objection of an evaluation, its statements, who decides and
the objection tasks of "Tugas Anda" (docs/spec/regulation.md §6). No writes.
"""

from datetime import date

from peewee import JOIN

from kinerja import org
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


def _to_decide_query(employee_id, day):
    # Only people whose supervisor reports to the actor (directly or through a Plt/Plh
    # the actor holds) can be theirs to decide: narrow in SQL, confirm with the predicate.
    their_penilai = Employee.select(Employee.id).where(
        (Employee.supervisor == employee_id)
        | Employee.supervisor.in_(org.acting_for_query(employee_id, day))
    )
    return (
        Objection.select(Objection, Evaluation, Employee, Period)
        .join(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period)
        .where(Employee.supervisor.in_(their_penilai))
        .order_by(Objection.filed_at)
    )


_to_decide_every = statement(_to_decide_query)


@statement
def _to_decide_open(employee_id, day):
    return _to_decide_query(employee_id, day).where(Objection.decision.is_null())


def objections_to_decide(actor: Actor, include_decided: bool = False) -> list[Objection]:
    """Keberatan where the actor is the atasan Pejabat Penilai today."""
    query = _to_decide_every if include_decided else _to_decide_open
    return [
        o for o in query.cursor(actor.employee_id, actor.day) if perm.can_decide_objection(actor, o)
    ]


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


@statement
def _open_with_messages(employee_id, day):
    """Open objections against the person's own evaluations or those of the people they rate
    on ``day``, one row per message, oldest first (an objection without messages: one row
    of NULL message columns)."""
    return (
        Objection.select(
            Objection.id,
            Objection.evaluation,
            Evaluation.employee,
            ObjectionMessage.role,
            ObjectionMessage.requested_from,
        )
        .join(Evaluation)
        .switch(Objection)
        .join(ObjectionMessage, JOIN.LEFT_OUTER, on=(ObjectionMessage.objection == Objection.id))
        .where(
            Objection.decision.is_null()
            & (
                (Evaluation.employee == employee_id)
                | Evaluation.employee.in_(org.supervised_query(employee_id, day))
            )
        )
        .order_by(Objection.id, ObjectionMessage.created_at, ObjectionMessage.id)
        .tuples()
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
    # Open objections against the actor's own evaluations or those the actor rates, with
    # their messages (one statement, not one per objection).
    open_ones: dict[int, tuple[int, int]] = {}
    messages: dict[int, list[tuple]] = {}
    for objection_id, evaluation_id, employee_id, role, requested_from in _open_with_messages(
        actor.employee_id, actor.day
    ):
        open_ones[objection_id] = (evaluation_id, employee_id)
        said = messages.setdefault(objection_id, [])
        if role is not None:  # None: an objection without messages
            said.append((role, requested_from))
    for objection_id, (evaluation_id, employee_id) in open_ones.items():
        said = messages[objection_id]
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
