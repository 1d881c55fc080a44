"""Who may read the pulse-of-trust results (issue 23): BKPSDM (admin) and the auditor read
every unit; a unit head reads the units of their subtree; nobody else reads any."""

from kinerja import org
from kinerja.permissions import Actor, reads_all_internal


def headed_unit_ids(actor: Actor) -> set[int]:
    """Units whose head is the actor, or someone the actor stands in for today (Plt/Plh)."""
    mine = {actor.employee_id, *actor.acting_for}
    return {unit_id for unit_id, head in org.unit_heads().items() if head in mine}


def visible_unit_ids(actor: Actor) -> set[int] | None:
    """Units whose pulse results the actor may read (None: every unit)."""
    if reads_all_internal(actor):
        return None
    visible: set[int] = set()
    for unit_id in headed_unit_ids(actor):
        visible |= org.descendant_unit_ids(unit_id)
    return visible


def can_see_results(actor: Actor) -> bool:
    """BKPSDM, the auditor, supervisors and unit heads open the pulse results; what they
    see is limited to :func:`visible_unit_ids` (a supervisor who heads no unit sees none)."""
    return reads_all_internal(actor) or bool(actor.supervised) or bool(headed_unit_ids(actor))
