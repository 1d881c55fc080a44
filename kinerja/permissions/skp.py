"""Who may read, edit, approve and comment on an SKP (issue 4 rules).

- Only the owner edits a draft (DRAFT or DIKEMBALIKAN) and enters realisation.
- Only the current Pejabat Penilai (direct supervisor, or the Plt/Plh for that day)
  approves, returns, sets the ekspektasi khusus pimpinan and gives feedback.
- Reading: the owner, the supervisor chain above (with stand-ins), admins and auditors.
"""

from kinerja.enums import SkpStatus
from kinerja.models.org import Employee
from kinerja.models.skp import FeedbackNote, Skp
from kinerja.permissions import Actor, can_supervise, can_view_employee

EDITABLE = frozenset({SkpStatus.DRAFT, SkpStatus.DIKEMBALIKAN})


def is_owner(actor: Actor, skp: Skp) -> bool:
    """The SKP is the actor's own."""
    return skp.employee_id == actor.employee_id


def can_read_skp(actor: Actor, skp: Skp) -> bool:
    """Owner, supervisor chain (incl. Plt/Plh), admins and auditors."""
    return can_view_employee(actor, skp.employee)


def can_edit_skp(actor: Actor, skp: Skp) -> bool:
    """Only the owner may change the plan (the state decides whether now)."""
    return is_owner(actor, skp)


def is_editable(skp: Skp) -> bool:
    """The plan may change: a draft, a returned SKP, or a revision in progress."""
    return skp.status in EDITABLE


def can_decide_skp(actor: Actor, skp: Skp) -> bool:
    """The current Pejabat Penilai (or acting official), never the owner."""
    return not is_owner(actor, skp) and can_supervise(actor, skp.employee)


def can_enter_realisation(actor: Actor, skp: Skp) -> bool:
    """Only the owner documents realisation."""
    return is_owner(actor, skp)


def can_give_feedback(actor: Actor, employee: Employee) -> bool:
    """Only the current Pejabat Penilai (or acting official) writes feedback."""
    return employee.id != actor.employee_id and can_supervise(actor, employee)


def can_read_feedback_log(actor: Actor, employee: Employee) -> bool:
    """The subordinate, the supervisor chain, admins and auditors."""
    return can_view_employee(actor, employee)


def can_reply(actor: Actor, note: FeedbackNote) -> bool:
    """The subordinate the note is about, or its author."""
    return actor.employee_id in (note.employee_id, note.author_id)
