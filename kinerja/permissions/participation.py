"""Who sees the participation figures and the names of who is late (issue 23 part 3).

Admins and auditors see every unit; a unit head sees their unit and everything below it, and
the chain above a head sees that head's unit too (as calibration: ``oversees_unit``). Other
staff see nothing: the names of who is late are internal.
"""

from kinerja.models.org import Unit
from kinerja.permissions import Actor, reads_all_internal
from kinerja.permissions.evaluation import overseen_units


def participation_roots(actor: Actor) -> set[int] | None:
    """The units whose subtrees ``actor`` may see: None for every unit (admins, auditors),
    else the units they head or oversee (empty: nothing)."""
    if reads_all_internal(actor):
        return None
    units = list(Unit.select(Unit.id, Unit.parent).where(Unit.active))
    return {u.id for u in overseen_units(actor, units)}


def can_view_participation(actor: Actor) -> bool:
    """Admins, auditors and anyone who heads or oversees a unit."""
    roots = participation_roots(actor)
    return roots is None or bool(roots)
