"""Less typing (issue 23 part 5): start this year's SKP from last year's, or RHK drafts
cascading from the supervisor's approved RHK.

- :func:`copy_previous` copies the employee's own SKP of the year before (RHK with
  perspektif, indicators with their targets, the approach) into this year's draft, in one
  transaction. A link to last year's RHK pimpinan is re-pointed to the supervisor's approved
  RHK of this year with the same text, else cleared (and the result names it). Items that
  were in last year's approved version carry ``copied_from_year`` until edited or submitted.
- :func:`cascade_from_supervisor` adds one RHK Utama per chosen RHK of the supervisor,
  linked to it and pre-filled with its text, for the employee to rewrite.
"""

import json
from dataclasses import dataclass, field

from peewee import IntegrityError, fn

from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.enums import RhkKind, SkpStatus
from kinerja.models.org import Employee
from kinerja.models.skp import Indicator, Rhk, Skp, SkpRevision
from kinerja.permissions import Actor
from kinerja.permissions import skp as perm
from kinerja.queries.skp import skp_of, supervisor_rhks
from kinerja.services.skp import (
    MAX_RHK,
    SkpError,
    StateConflict,
    _editable,
    _parent_for,
    _record,
    _touch,
)

INDICATOR_FIELDS = (
    "position",
    "text",
    "aspek",
    "target_value",
    "target_unit",
    "success_criteria",
    "direction",
    "linked_service_type_id",
    "linked_figure",
)


@dataclass
class CopyResult:
    """What :func:`copy_previous` did."""

    skp: Skp
    from_year: int
    rhks: int = 0
    indicators: int = 0
    marked: int = 0
    relinked: int = 0
    cleared: list[str] = field(default_factory=list)


def _same(text: str) -> str:
    return " ".join((text or "").split()).casefold()


ALL = "ALL"


def _approved_version(previous: Skp):
    """The RHK (kind, text) and indicator (RHK text, text, target, unit) of the previous
    SKP's approved version: ``ALL`` when it is approved as it stands, the frozen snapshot of
    the approved version during a revision, None when it was never approved."""
    if previous.approved_at is None:
        return None
    if previous.status == SkpStatus.DISETUJUI and not previous.in_revision:
        return ALL
    frozen = (
        SkpRevision.select()
        .where(SkpRevision.skp == previous.id)
        .order_by(SkpRevision.version.desc())
        .first()
    )
    if frozen is None:
        return None
    data = json.loads(frozen.snapshot)
    rhks, indicators = set(), set()
    for rhk in data.get("rhks", []):
        rhks.add((rhk["kind"], _same(rhk["text"])))
        for ind in rhk.get("indicators", []):
            target = ind.get("target_value")
            indicators.add(
                (
                    _same(rhk["text"]),
                    _same(ind["text"]),
                    str(target) if target is not None else None,
                    ind.get("target_unit") or "",
                )
            )
    return rhks, indicators


def _this_years_draft(actor: Actor, year: int) -> Skp:
    """This year's SKP of the actor, created (audited) when missing; refused unless it is
    an editable draft without any RHK."""
    skp = Skp.get_or_none((Skp.employee == actor.employee_id) & (Skp.year == year))
    if skp is None:
        employee = Employee.get_by_id(actor.employee_id)
        try:
            skp = Skp.create(employee=employee, year=year, pejabat_penilai=employee.supervisor_id)
        except IntegrityError as exc:  # pragma: no cover - a second click at the same time
            raise StateConflict("SKP tahun ini baru saja dibuat; muat ulang halaman.") from exc
        _record("skp.created", actor, skp.id, after={"year": year, "approach": skp.approach})
        return skp
    skp = _editable(actor, skp.id)
    if Rhk.select().where(Rhk.skp == skp.id).exists():
        raise StateConflict(
            f"SKP {year} Anda sudah berisi RHK. Penyalinan hanya untuk SKP yang masih kosong."
        )
    return skp


def copy_previous(actor: Actor, year: int) -> CopyResult:
    """Copy the actor's own SKP of ``year - 1`` into their (empty) draft of ``year``."""
    if not 2001 <= int(year) <= 2100:
        raise SkpError(errors={"year": "Tahun SKP tidak valid."})
    with write_tx():
        previous = skp_of(actor.employee_id, year - 1)
        if previous is None or not perm.is_owner(actor, previous):
            raise StateConflict(f"Anda tidak memiliki SKP tahun {year - 1} untuk disalin.")
        old_rhks = list(
            Rhk.select().where(Rhk.skp == previous.id).order_by(Rhk.kind, Rhk.position, Rhk.id)
        )
        if not old_rhks:
            raise StateConflict(f"SKP {year - 1} Anda belum berisi RHK; tidak ada yang disalin.")
        skp = _this_years_draft(actor, year)
        approach_before = skp.approach
        skp.approach = previous.approach
        skp.updated_at = utcnow()
        skp.save()
        approved = _approved_version(previous)
        mark_all = approved == ALL
        old_parents = {
            p.id: p
            for p in Rhk.select().where(
                Rhk.id.in_([r.parent_rhk_id for r in old_rhks if r.parent_rhk_id] or [0])
            )
        }
        current_parents: dict[str, Rhk] = {}
        for parent in supervisor_rhks(skp):
            current_parents.setdefault(_same(parent.text), parent)
        indicators: dict[int, list[Indicator]] = {}
        for ind in (
            Indicator.select()
            .where(Indicator.rhk.in_([r.id for r in old_rhks]))
            .order_by(Indicator.position, Indicator.id)
        ):
            indicators.setdefault(ind.rhk_id, []).append(ind)
        result = CopyResult(skp=skp, from_year=year - 1)
        for old in old_rhks:
            parent = None
            if old.parent_rhk_id:
                was = old_parents.get(old.parent_rhk_id)
                parent = current_parents.get(_same(was.text)) if was else None
                if parent is None:
                    result.cleared.append(old.text)
                else:
                    result.relinked += 1
            rhk_marked = mark_all or (
                approved not in (None, ALL) and (old.kind, _same(old.text)) in approved[0]
            )
            rhk = Rhk.create(
                skp=skp,
                kind=old.kind,
                position=old.position,
                text=old.text,
                perspektif=old.perspektif,
                parent_rhk=parent,
                copied_from_year=previous.year if rhk_marked else None,
            )
            result.rhks += 1
            result.marked += rhk_marked
            for ind in indicators.get(old.id, []):
                key = (
                    _same(old.text),
                    _same(ind.text),
                    str(ind.target_value) if ind.target_value is not None else None,
                    ind.target_unit or "",
                )
                ind_marked = mark_all or (approved not in (None, ALL) and key in approved[1])
                Indicator.create(
                    rhk=rhk,
                    copied_from_year=previous.year if ind_marked else None,
                    **{name: getattr(ind, name) for name in INDICATOR_FIELDS},
                )
                result.indicators += 1
                result.marked += ind_marked
        _record(
            "skp.copied_from_previous",
            actor,
            skp.id,
            after={
                "from_skp": previous.id,
                "from_year": previous.year,
                "approach": {"before": approach_before, "after": skp.approach},
                "rhks": result.rhks,
                "indicators": result.indicators,
                "marked_approved": result.marked,
                "links_repointed": result.relinked,
                "links_cleared": result.cleared,
            },
        )
    return result


def cascade_from_supervisor(actor: Actor, skp: Skp, parent_ids) -> list[Rhk]:
    """One RHK Utama per chosen approved RHK of the supervisor (this year), linked to it and
    pre-filled with its text; refused for an RHK that is not among the choices."""
    try:
        wanted = list(dict.fromkeys(int(i) for i in parent_ids))
    except (TypeError, ValueError) as exc:
        raise SkpError(errors={"parent_rhk": "Pilihan RHK pimpinan tidak dikenal."}) from exc
    if not wanted:
        raise SkpError(errors={"parent_rhk": "Pilih paling sedikit satu RHK atasan."})
    with write_tx():
        skp = _editable(actor, skp.id)
        allowed = {r.id for r in supervisor_rhks(skp)}
        if any(i not in allowed for i in wanted):
            raise SkpError(errors={"parent_rhk": "Pilihan RHK pimpinan tidak dikenal."})
        existing = Rhk.select().where(Rhk.skp == skp.id).count()
        if existing + len(wanted) > MAX_RHK:
            raise SkpError(errors={"parent_rhk": f"Paling banyak {MAX_RHK} RHK dalam satu SKP."})
        last = (
            Rhk.select(fn.MAX(Rhk.position))
            .where((Rhk.skp == skp.id) & (Rhk.kind == RhkKind.UTAMA))
            .scalar()
        ) or 0
        created = []
        for parent_id in wanted:
            parent = _parent_for(skp, parent_id)  # the same checks as choosing it by hand
            last += 1
            created.append(
                Rhk.create(
                    skp=skp,
                    kind=RhkKind.UTAMA,
                    position=last,
                    text=parent.text,
                    parent_rhk=parent,
                )
            )
        _touch(skp)
        _record(
            "skp.rhk_cascaded",
            actor,
            skp.id,
            after={"parents": wanted, "rhks": [r.id for r in created]},
        )
    return created


@dataclass
class QuickStart:
    """What the draft page offers to save typing: last year's SKP to copy (only while the
    draft is empty) and the supervisor's approved RHK to cascade from."""

    previous: Skp | None
    supervisor_rhks: list[Rhk]
    cascaded: set[int]


def quick_start(skp: Skp) -> QuickStart | None:
    """The offers for an editable draft ``skp`` (None when there is nothing to offer)."""
    own = list(Rhk.select(Rhk.id, Rhk.parent_rhk).where(Rhk.skp == skp.id))
    previous = None
    if not own:
        previous = skp_of(skp.employee_id, skp.year - 1)
        if previous is not None and not Rhk.select().where(Rhk.skp == previous.id).exists():
            previous = None
    parents = supervisor_rhks(skp)
    if previous is None and not parents:
        return None
    return QuickStart(
        previous=previous,
        supervisor_rhks=parents,
        cascaded={r.parent_rhk_id for r in own if r.parent_rhk_id},
    )
