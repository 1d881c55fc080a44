"""Who may do what with evaluations (docs/spec/regulation.md §3, §6, §9; docs/spec/product.md §3).

- only the Pejabat Penilai (the supervisor or their Plt/Plh on the day) rates;
- only the atasan Pejabat Penilai decides a keberatan; when that is an official without an
  account (the Wali Kota above the Sekda), an Admin BKPSDM records the official's written
  decision, never for their own keberatan nor one against their own rating;
- the rated person, their supervisor chain, admins and auditors read;
- a 360 rater sees only their own request form; nobody can list who answered what
  (there is no predicate for it, and no page).
"""

from kinerja import org
from kinerja.enums import LabelledEnum
from kinerja.models.evaluation import (
    DevelopmentPlan,
    Evaluation,
    FeedbackRequest,
    Objection,
    PlanStatus,
)
from kinerja.models.org import Employee, Unit
from kinerja.permissions import Actor, can_view_employee, is_admin, reads_all_internal


class ObjectionRole(LabelledEnum):
    """The side from which someone writes to an objection record."""

    EMPLOYEE = "EMPLOYEE", "Pegawai"
    ATASAN = "ATASAN", "Atasan Pejabat Penilai"
    PENILAI = "PENILAI", "Pejabat Penilai"

    @property
    def is_atasan(self) -> bool:
        """The atasan Pejabat Penilai, who decides and may ask either side."""
        return self is ObjectionRole.ATASAN

    @property
    def writes_notes(self) -> bool:
        """The atasan and the Pejabat Penilai write explanatory notes to the record."""
        return self in (ObjectionRole.ATASAN, ObjectionRole.PENILAI)


def can_read_evaluation(actor: Actor, evaluation: Evaluation) -> bool:
    """The rated person, the supervisor chain (incl. Plt/Plh), admins and auditors."""
    return can_view_employee(actor, evaluation.employee)


def is_owner(actor: Actor, evaluation: Evaluation) -> bool:
    """The rated person themselves."""
    return actor.employee_id == evaluation.employee_id


def can_rate(actor: Actor, evaluation: Evaluation) -> bool:
    """The Pejabat Penilai of the rated person today (never the person, never an admin
    as such)."""
    if is_owner(actor, evaluation):
        return False
    employee = evaluation.employee
    if employee.supervisor_id is not None and actor.employee_id == employee.supervisor_id:
        return True  # the supervisor: no need to read the stand-ins
    return actor.employee_id in org.raters_of(employee, actor.day)


def objection_decider(objection: Objection, day) -> org.ObjectionDecider:
    """Who decides ``objection`` on ``day`` (see :func:`kinerja.org.objection_decider`)."""
    return org.objection_decider(objection.evaluation.employee, day)


def can_decide_objection(actor: Actor, objection: Objection) -> bool:
    """The atasan Pejabat Penilai of the rated person today, with an account."""
    employee = objection.evaluation.employee
    if actor.employee_id == employee.id:
        return False
    return actor.employee_id in objection_decider(objection, actor.day).account_holders


def can_record_official_decision(actor: Actor, objection: Objection) -> bool:
    """An Admin BKPSDM records the decision of an official without an account (the Wali
    Kota, or an atasan without an account), but not on their own keberatan nor on one
    against an evaluation they rate."""
    if not is_admin(actor):
        return False
    evaluation = objection.evaluation
    if is_owner(actor, evaluation) or can_rate(actor, evaluation):
        return False
    return objection_decider(objection, actor.day).recorded_by_admin


def can_list_official_objections(actor: Actor) -> bool:
    """The list of keberatan waiting for an official without an account: admins record,
    auditors read."""
    return reads_all_internal(actor)


def can_view_objection(actor: Actor, objection: Objection) -> bool:
    """Both sides (employee, Pejabat Penilai), the atasan, admins and auditors."""
    evaluation = objection.evaluation
    return (
        is_owner(actor, evaluation)
        or can_rate(actor, evaluation)
        or can_decide_objection(actor, objection)
        or reads_all_internal(actor)
    )


def objection_role(actor: Actor, objection: Objection) -> ObjectionRole | None:
    """The role in which ``actor`` may write to the objection record, if any."""
    evaluation = objection.evaluation
    if is_owner(actor, evaluation):
        return ObjectionRole.EMPLOYEE
    if can_decide_objection(actor, objection):
        return ObjectionRole.ATASAN
    if can_rate(actor, evaluation):
        return ObjectionRole.PENILAI
    return None


def can_answer(actor: Actor, request: FeedbackRequest) -> bool:
    """Only the asked rater sees and answers their own request form."""
    return request.rater_id == actor.employee_id


def oversees_unit(actor: Actor, unit: Unit) -> bool:
    """Admins, auditors, the unit's head, and the chain above the head (calibration)."""
    if reads_all_internal(actor):
        return True
    head = org.unit_head(unit.id)
    if head is None:
        return False
    if head.id == actor.employee_id:
        return True
    return org.oversees(actor.employee_id, head, actor.day)


def overseen_units(actor: Actor, units: list[Unit]) -> list[Unit]:
    """The ``units`` that :func:`oversees_unit` allows, in a bounded number of queries."""
    if reads_all_internal(actor):
        return list(units)
    if actor.employee_id is None:
        return []
    heads = org.unit_heads()
    viewers = {actor.employee_id, *actor.acting_for}
    allowed = org.below_ids(viewers) | {actor.employee_id}
    return [u for u in units if heads.get(u.id) in allowed]


def can_set_org_predikat(actor: Actor) -> bool:
    """The organisation predikat and the pattern are set by the admin (minimal page)."""
    return is_admin(actor)


def can_plan(actor: Actor, employee: Employee) -> bool:
    """Development plans are made by the Pejabat Penilai (or the chain above)."""
    if actor.employee_id == employee.id:
        return False
    return employee.id in actor.supervised or org.oversees(actor.employee_id, employee, actor.day)


PLAN_PROGRESS = (PlanStatus.RENCANA, PlanStatus.BERJALAN)


def can_update_plan(actor: Actor, plan: DevelopmentPlan) -> bool:
    """Who may touch a plan's status at all: the planner's side, the plan's owner, the
    employee."""
    return can_plan(actor, plan.employee) or actor.employee_id in (
        plan.owner_id,
        plan.employee_id,
    )


def plan_statuses_for(actor: Actor, plan: DevelopmentPlan, *, mandatory: bool) -> list:
    """The statuses ``actor`` may set on ``plan``. A mandatory plan (after Butuh Perbaikan
    or worse) is marked done or cancelled only by the Pejabat Penilai or the chain above;
    the employee and the owner record progress (Direncanakan, Sedang berjalan) while it is
    open, and cannot reopen what the supervisor closed."""
    if can_plan(actor, plan.employee):
        return list(PlanStatus)
    if actor.employee_id not in (plan.owner_id, plan.employee_id):
        return []
    if not mandatory:
        return list(PlanStatus)
    if PlanStatus(plan.status) not in PLAN_PROGRESS:
        return []
    return list(PLAN_PROGRESS)


def can_set_plan_status(actor: Actor, plan: DevelopmentPlan, status, *, mandatory: bool) -> bool:
    """May ``actor`` set ``plan`` to ``status`` (see :func:`plan_statuses_for`)?"""
    return PlanStatus(status) in plan_statuses_for(actor, plan, mandatory=mandatory)


def can_record_completion(actor: Actor, plan: DevelopmentPlan, *, mandatory: bool) -> bool:
    """Completion is recorded by the head's side (the Pejabat Penilai or the chain above) or
    by the plan's owner (penanggung jawab). A mandatory plan whose owner is the employee
    themselves is closed only by the head's side (as :func:`plan_statuses_for`); a
    cancelled plan is not completed."""
    if PlanStatus(plan.status) is PlanStatus.BATAL:
        return False
    if can_plan(actor, plan.employee):
        return True
    if actor.employee_id != plan.owner_id:
        return False
    return not mandatory or actor.employee_id != plan.employee_id
