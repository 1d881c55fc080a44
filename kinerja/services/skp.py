"""SKP use cases: drafting, submission and approval, revisions, perilaku expectations,
realisation per period and the continuous feedback log (docs/spec/regulation.md §1–§2,
docs/spec/product.md §2).

Every use case runs in one transaction (``write_tx``), re-reads the SKP inside it and
checks its state there, so two people acting at once cannot corrupt an SKP. Every change
is written to the audit log. Refusals raise :class:`NotAllowed` (403), :class:`StateConflict`
(409) or :class:`SkpError` with Indonesian field errors (422).
"""

import json
from dataclasses import dataclass, field
from datetime import date

from peewee import IntegrityError, fn

from kinerja import scoring
from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.enums import (
    Berakhlak,
    JenisJabatan,
    PeriodKind,
    PeriodStatus,
    RhkKind,
    SkpApproach,
    SkpStatus,
)
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.skp import (
    FeedbackNote,
    FeedbackReply,
    Indicator,
    PerilakuExpectation,
    Realisation,
    Rhk,
    Skp,
    SkpRevision,
)
from kinerja.permissions import Actor
from kinerja.permissions import skp as perm
from kinerja.queries.service_figures import FIGURE_DIRECTION, LinkedFigure
from kinerja.queries.tasks import Glance, Task
from kinerja.services import audit, notifications
from kinerja.services import periods as period_service
from kinerja.skp_validation import (
    NOTE_MAX,
    REASON_MAX,
    FieldError,
    ParentInfo,
    check_cascade,
    choice,
    clean_text,
    validate_expectations,
    validate_indicator,
    validate_note,
    validate_realisation,
    validate_rhk,
)

MAX_RHK = 30
MAX_INDICATORS = 10


class SkpError(ValueError):
    """A use case refused: a message and, where it applies, errors per field."""

    status = 422

    def __init__(self, message: str = "Periksa kembali isian Anda.", errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class StateConflict(SkpError):
    """The SKP is not in a state that allows this (changed meanwhile, or not yet)."""

    status = 409


class NotAllowed(PermissionError):
    """The actor may not do this to this object."""


# --- helpers -----


def _record(action: str, actor: Actor | None, skp_id, before=None, after=None, kind="skp"):
    audit.record(
        action,
        actor=actor.account if actor is not None else None,
        object_type=kind,
        object_id=skp_id,
        before=before,
        after=after,
    )


def _fresh(skp_id: int) -> Skp:
    skp = Skp.get_or_none(Skp.id == skp_id)
    if skp is None:
        raise StateConflict("SKP ini sudah tidak ada.")
    return skp


def _editable(actor: Actor, skp_id: int) -> Skp:
    """Re-read the SKP inside the transaction; only its owner, only while editable."""
    skp = _fresh(skp_id)
    if not perm.can_edit_skp(actor, skp):
        raise NotAllowed()
    if not perm.is_editable(skp):
        raise StateConflict(
            f"SKP berstatus {SkpStatus(skp.status).label} dan tidak dapat diubah sekarang."
            + (" Ajukan revisi untuk mengubah SKP yang sudah disetujui." if skp.approved_at else "")
        )
    return skp


def _touch(skp: Skp) -> None:
    Skp.update(updated_at=utcnow()).where(Skp.id == skp.id).execute()


def _raise_if(errors: dict) -> None:
    if errors:
        raise SkpError("Periksa kembali isian Anda.", errors)


def _is_jpt(employee: Employee) -> bool:
    return employee.jenis_jabatan == JenisJabatan.JPT


def _rhk_dict(rhk: Rhk) -> dict:
    return {
        "id": rhk.id,
        "kind": rhk.kind,
        "text": rhk.text,
        "perspektif": rhk.perspektif,
        "parent_rhk": rhk.parent_rhk_id,
    }


def _indicator_dict(ind: Indicator) -> dict:
    return {
        "id": ind.id,
        "text": ind.text,
        "aspek": ind.aspek,
        "target_value": ind.target_value,
        "target_unit": ind.target_unit,
        "success_criteria": ind.success_criteria,
        "direction": ind.direction,
    }


def _parent_for(skp: Skp, raw) -> Rhk | None:
    """Resolve and check the RHK pimpinan chosen for an RHK of ``skp``."""
    if raw in (None, "", 0, "0"):
        return None
    try:
        parent_id = int(raw)
    except (TypeError, ValueError) as exc:
        raise SkpError(errors={"parent_rhk": "Pilihan RHK pimpinan tidak dikenal."}) from exc
    parent = Rhk.select(Rhk, Skp).join(Skp).where(Rhk.id == parent_id).first()
    if parent is None:
        raise SkpError(errors={"parent_rhk": "Pilihan RHK pimpinan tidak dikenal."})
    supervisor_id = (
        Employee.select(Employee.supervisor).where(Employee.id == skp.employee_id).scalar()
    )
    info = ParentInfo(parent.skp.employee_id, parent.skp.year, parent.skp.status)
    error = check_cascade(info, supervisor_id=supervisor_id, year=skp.year)
    if error:
        raise SkpError(errors={"parent_rhk": error})
    return parent


def _has_realisation(indicator_ids) -> bool:
    ids = list(indicator_ids)
    if not ids:
        return False
    return (
        Realisation.select()
        .where(
            Realisation.indicator.in_(ids)
            & (Realisation.value.is_null(False) | (Realisation.narrative != ""))
        )
        .exists()
    )


# --- drafting -----


def start(actor: Actor, year: int, approach: str = "KUANTITATIF") -> Skp:
    """Start the actor's SKP for ``year`` (or return the one that exists)."""
    try:
        approach = choice(approach, SkpApproach, label="pendekatan")
    except FieldError as exc:
        raise SkpError(errors={"approach": str(exc)}) from exc
    if not 2000 <= int(year) <= 2100:
        raise SkpError(errors={"year": "Tahun SKP tidak valid."})
    with write_tx():
        existing = Skp.get_or_none((Skp.employee == actor.employee_id) & (Skp.year == year))
        if existing is not None:
            return existing
        employee = Employee.get_by_id(actor.employee_id)
        try:
            skp = Skp.create(
                employee=employee,
                year=year,
                approach=approach,
                pejabat_penilai=employee.supervisor_id,
            )
        except IntegrityError:
            return Skp.get((Skp.employee == actor.employee_id) & (Skp.year == year))
        _record("skp.created", actor, skp.id, after={"year": year, "approach": approach})
    return skp


def set_approach(actor: Actor, skp: Skp, approach: str) -> Skp:
    """Choose kuantitatif or kualitatif for a draft."""
    try:
        approach = choice(approach, SkpApproach, label="pendekatan")
    except FieldError as exc:
        raise SkpError(errors={"approach": str(exc)}) from exc
    with write_tx():
        skp = _editable(actor, skp.id)
        before = skp.approach
        skp.approach = approach
        skp.updated_at = utcnow()
        skp.save()
        _record("skp.approach_changed", actor, skp.id, {"approach": before}, {"approach": approach})
    return skp


def add_rhk(actor: Actor, skp: Skp, data: dict) -> Rhk:
    """Add an RHK (Utama or Tambahan) at the end of its group."""
    with write_tx():
        skp = _editable(actor, skp.id)
        clean, errors = validate_rhk(data, is_jpt=_is_jpt(skp.employee))
        try:
            parent = _parent_for(skp, data.get("parent_rhk"))
        except SkpError as exc:
            errors.update(exc.errors)
            parent = None
        _raise_if(errors)
        if Rhk.select().where(Rhk.skp == skp.id).count() >= MAX_RHK:
            raise SkpError(errors={"text": f"Paling banyak {MAX_RHK} RHK dalam satu SKP."})
        last = (
            Rhk.select(fn.MAX(Rhk.position))
            .where((Rhk.skp == skp.id) & (Rhk.kind == clean["kind"]))
            .scalar()
        )
        rhk = Rhk.create(skp=skp, position=(last or 0) + 1, parent_rhk=parent, **clean)
        _touch(skp)
        _record("skp.rhk_added", actor, skp.id, after=_rhk_dict(rhk))
    return rhk


def _rhk_of_editable(actor: Actor, rhk_id: int) -> tuple[Rhk, Skp]:
    rhk = Rhk.get_or_none(Rhk.id == rhk_id)
    if rhk is None:
        raise StateConflict("RHK ini sudah tidak ada.")
    return rhk, _editable(actor, rhk.skp_id)


def update_rhk(actor: Actor, rhk: Rhk, data: dict) -> Rhk:
    """Change an RHK's text, group, perspektif or intervensi."""
    with write_tx():
        rhk, skp = _rhk_of_editable(actor, rhk.id)
        clean, errors = validate_rhk(data, is_jpt=_is_jpt(skp.employee))
        try:
            parent = _parent_for(skp, data.get("parent_rhk"))
        except SkpError as exc:
            errors.update(exc.errors)
            parent = None
        _raise_if(errors)
        before = _rhk_dict(rhk)
        if clean["kind"] != rhk.kind:
            last = (
                Rhk.select(fn.MAX(Rhk.position))
                .where((Rhk.skp == skp.id) & (Rhk.kind == clean["kind"]))
                .scalar()
            )
            rhk.position = (last or 0) + 1
        for key, value in clean.items():
            setattr(rhk, key, value)
        rhk.parent_rhk = parent
        rhk.copied_from_year = None  # edited: no longer the copy of last year's approved RHK
        rhk.save()
        _touch(skp)
        _record("skp.rhk_changed", actor, skp.id, before, _rhk_dict(rhk))
    return rhk


def delete_rhk(actor: Actor, rhk: Rhk) -> None:
    """Delete an RHK and its indicators (not once realisation has been documented)."""
    with write_tx():
        rhk, skp = _rhk_of_editable(actor, rhk.id)
        indicator_ids = [i.id for i in Indicator.select(Indicator.id).where(Indicator.rhk == rhk)]
        if _has_realisation(indicator_ids):
            raise StateConflict(
                "RHK ini sudah memiliki realisasi sehingga tidak dapat dihapus; ubah teksnya."
            )
        before = _rhk_dict(rhk)
        Realisation.delete().where(Realisation.indicator.in_(indicator_ids or [0])).execute()
        Indicator.delete().where(Indicator.rhk == rhk.id).execute()
        rhk.delete_instance()
        _touch(skp)
        _record("skp.rhk_deleted", actor, skp.id, before=before)


def move_rhk(actor: Actor, rhk: Rhk, direction: str) -> None:
    """Move an RHK one place up or down within its group (Utama or Tambahan)."""
    if direction not in ("up", "down"):
        raise SkpError(errors={"direction": "Arah pemindahan tidak dikenal."})
    with write_tx():
        rhk, skp = _rhk_of_editable(actor, rhk.id)
        siblings = list(
            Rhk.select()
            .where((Rhk.skp == skp.id) & (Rhk.kind == rhk.kind))
            .order_by(Rhk.position, Rhk.id)
        )
        index = next(i for i, r in enumerate(siblings) if r.id == rhk.id)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, row in enumerate(siblings, start=1):
            if row.position != position:
                Rhk.update(position=position).where(Rhk.id == row.id).execute()
        _touch(skp)
        _record("skp.rhk_moved", actor, skp.id, after={"rhk": rhk.id, "direction": direction})


def add_indicator(actor: Actor, rhk: Rhk, data: dict) -> Indicator:
    """Add an indicator (IKI) to an RHK."""
    with write_tx():
        rhk, skp = _rhk_of_editable(actor, rhk.id)
        clean, errors = validate_indicator(data, approach=skp.approach)
        _raise_if(errors)
        if Indicator.select().where(Indicator.rhk == rhk.id).count() >= MAX_INDICATORS:
            raise SkpError(
                errors={"text": f"Paling banyak {MAX_INDICATORS} indikator dalam satu RHK."}
            )
        last = Indicator.select(fn.MAX(Indicator.position)).where(Indicator.rhk == rhk.id).scalar()
        indicator = Indicator.create(rhk=rhk, position=(last or 0) + 1, **clean)
        _touch(skp)
        _record("skp.indicator_added", actor, skp.id, after=_indicator_dict(indicator))
    return indicator


def _indicator_of_editable(actor: Actor, indicator_id: int) -> tuple[Indicator, Skp]:
    indicator = Indicator.get_or_none(Indicator.id == indicator_id)
    if indicator is None:
        raise StateConflict("Indikator ini sudah tidak ada.")
    rhk = Rhk.get_by_id(indicator.rhk_id)
    return indicator, _editable(actor, rhk.skp_id)


def update_indicator(actor: Actor, indicator: Indicator, data: dict) -> Indicator:
    """Change an indicator's text, aspek, target or direction."""
    with write_tx():
        indicator, skp = _indicator_of_editable(actor, indicator.id)
        clean, errors = validate_indicator(data, approach=skp.approach)
        if indicator.linked_figure and "direction" not in errors:
            wanted = FIGURE_DIRECTION[LinkedFigure(indicator.linked_figure)]
            if clean["direction"] != wanted:
                errors["direction"] = (
                    f"Indikator ini tertaut ke angka layanan "
                    f"“{LinkedFigure(indicator.linked_figure).label}”, yang berarah "
                    f"“{wanted.label}”. Lepaskan tautannya lebih dahulu untuk mengubah arah."
                )
        _raise_if(errors)
        before = _indicator_dict(indicator)
        for key, value in clean.items():
            setattr(indicator, key, value)
        indicator.copied_from_year = None  # edited: no longer last year's approved indicator
        indicator.save()
        _touch(skp)
        _record("skp.indicator_changed", actor, skp.id, before, _indicator_dict(indicator))
    return indicator


def delete_indicator(actor: Actor, indicator: Indicator) -> None:
    """Delete an indicator (not once realisation has been documented)."""
    with write_tx():
        indicator, skp = _indicator_of_editable(actor, indicator.id)
        if _has_realisation([indicator.id]):
            raise StateConflict(
                "Indikator ini sudah memiliki realisasi sehingga tidak dapat dihapus."
            )
        before = _indicator_dict(indicator)
        Realisation.delete().where(Realisation.indicator == indicator.id).execute()
        indicator.delete_instance()
        _touch(skp)
        _record("skp.indicator_deleted", actor, skp.id, before=before)


# --- submission, approval, revision -----


def completeness_errors(skp: Skp) -> list[str]:
    """What keeps a draft from being submitted (empty when it is complete)."""
    problems = []
    rhks = list(Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.kind, Rhk.position))
    if not any(r.kind == RhkKind.UTAMA for r in rhks):
        problems.append("SKP harus memiliki paling sedikit satu RHK Utama.")
    indicators: dict[int, list[Indicator]] = {}
    for ind in Indicator.select().where(Indicator.rhk.in_([r.id for r in rhks] or [0])):
        indicators.setdefault(ind.rhk_id, []).append(ind)
    for rhk in rhks:
        label = f"RHK {RhkKind(rhk.kind).label} “{rhk.text[:60]}”"
        own = indicators.get(rhk.id, [])
        if not own:
            problems.append(f"{label} belum memiliki indikator kinerja.")
        for ind in own:
            _, errors = validate_indicator(_indicator_dict(ind), approach=skp.approach)
            if errors:
                problems.append(f"Indikator “{ind.text[:60]}”: {' '.join(errors.values())}")
    return problems


def _clear_copy_marks(skp: Skp) -> None:
    """Submitted: the plan is the employee's own now, copied from last year or not."""
    rhk_ids = Rhk.select(Rhk.id).where(Rhk.skp == skp.id)
    Rhk.update(copied_from_year=None).where(
        (Rhk.skp == skp.id) & Rhk.copied_from_year.is_null(False)
    ).execute()
    Indicator.update(copied_from_year=None).where(
        Indicator.rhk.in_(rhk_ids) & Indicator.copied_from_year.is_null(False)
    ).execute()


def submit(actor: Actor, skp: Skp) -> Skp:
    """Submit a complete draft to the Pejabat Penilai (DRAFT/DIKEMBALIKAN → DIAJUKAN)."""
    with write_tx():
        skp = _editable(actor, skp.id)
        employee = Employee.get_by_id(skp.employee_id)
        if employee.supervisor_id is None:
            raise StateConflict("Anda belum memiliki Pejabat Penilai di portal; hubungi BKPSDM.")
        problems = completeness_errors(skp)
        if problems:
            raise SkpError("SKP belum lengkap.", {"skp": " ".join(problems)})
        before = skp.status
        _clear_copy_marks(skp)
        skp.status = SkpStatus.DIAJUKAN
        skp.submitted_at = utcnow()
        skp.updated_at = skp.submitted_at
        skp.pejabat_penilai = employee.supervisor_id
        skp.save()
        _record(
            "skp.submitted",
            actor,
            skp.id,
            {"status": before},
            {"status": "DIAJUKAN", "version": skp.version, "in_revision": skp.in_revision},
        )
    return skp


def _decidable(actor: Actor, skp_id: int, seen: str | None) -> Skp:
    skp = _fresh(skp_id)
    if not perm.can_decide_skp(actor, skp):
        raise NotAllowed()
    if skp.status != SkpStatus.DIAJUKAN:
        raise StateConflict(
            f"SKP ini berstatus {SkpStatus(skp.status).label}, bukan menunggu persetujuan."
        )
    if seen and seen != token(skp):
        raise StateConflict("SKP ini telah diajukan ulang sejak Anda membukanya; muat ulang.")
    return skp


def token(skp: Skp) -> str:
    """A marker of the submission the supervisor is looking at (stale-page check)."""
    return skp.submitted_at.isoformat() if skp.submitted_at else ""


def approve(
    actor: Actor, skp: Skp, seen: str | None = None, expectations: dict | None = None
) -> Skp:
    """Approve a submitted SKP (DIAJUKAN → DISETUJUI); a revision becomes version + 1.

    ``expectations`` (the ekspektasi khusus pimpinan typed on the review page) are saved in
    the same transaction, so nothing the Pejabat Penilai typed is lost by approving."""
    clean = None
    if expectations is not None:
        clean, errors = validate_expectations(expectations)
        _raise_if(errors)
        clean = {k: v for k, v in clean.items() if k in expectations}  # only what was sent
    with write_tx():
        skp = _decidable(actor, skp.id, seen)
        if clean is not None:
            _store_expectations(actor, skp, clean)
        before = {"status": skp.status, "version": skp.version}
        if skp.in_revision:
            skp.version += 1
            skp.in_revision = False
        skp.status = SkpStatus.DISETUJUI
        skp.approved_at = utcnow()
        skp.approved_by = actor.employee_id
        skp.pejabat_penilai = actor.employee_id
        skp.return_note = ""
        skp.updated_at = skp.approved_at
        skp.save()
        _record(
            "skp.approved", actor, skp.id, before, {"status": "DISETUJUI", "version": skp.version}
        )
        notifications.skp_approved(skp)
    return skp


def return_skp(actor: Actor, skp: Skp, note: str, seen: str | None = None) -> Skp:
    """Return a submitted SKP with a note (DIAJUKAN → DIKEMBALIKAN, editable again)."""
    try:
        note = clean_text(note, label="Catatan pengembalian", max_len=NOTE_MAX)
    except FieldError as exc:
        raise SkpError(errors={"note": str(exc)}) from exc
    with write_tx():
        skp = _decidable(actor, skp.id, seen)
        skp.status = SkpStatus.DIKEMBALIKAN
        skp.return_note = note
        skp.returned_at = utcnow()
        skp.updated_at = skp.returned_at
        skp.save()
        _record(
            "skp.returned",
            actor,
            skp.id,
            {"status": "DIAJUKAN"},
            {"status": "DIKEMBALIKAN", "note": note},
        )
        notifications.skp_returned(skp, note)
    return skp


def snapshot(skp: Skp) -> dict:
    """The SKP as plain data (kept as JSON when a revision starts)."""
    employee = Employee.get_by_id(skp.employee_id)
    penilai = Employee.get_or_none(Employee.id == skp.pejabat_penilai_id)
    rhks = []
    for rhk in Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.kind.desc(), Rhk.position):
        parent = Rhk.get_or_none(Rhk.id == rhk.parent_rhk_id) if rhk.parent_rhk_id else None
        rhks.append(
            {
                "kind": rhk.kind,
                "text": rhk.text,
                "perspektif": rhk.perspektif,
                "parent_text": parent.text if parent else "",
                "indicators": [
                    {
                        **{k: v for k, v in _indicator_dict(ind).items() if k != "id"},
                        "target_value": str(ind.target_value)
                        if ind.target_value is not None
                        else None,
                    }
                    for ind in Indicator.select()
                    .where(Indicator.rhk == rhk.id)
                    .order_by(Indicator.position)
                ],
            }
        )
    return {
        "version": skp.version,
        "year": skp.year,
        "approach": skp.approach,
        "approved_at": skp.approved_at.isoformat() if skp.approved_at else None,
        "employee": {"name": employee.full_name, "nip": employee.nip, "jabatan": employee.jabatan},
        "pejabat_penilai": (
            {"name": penilai.full_name, "nip": penilai.nip, "jabatan": penilai.jabatan}
            if penilai
            else None
        ),
        "rhks": rhks,
        "expectations": {
            e.value: e.text
            for e in PerilakuExpectation.select().where(PerilakuExpectation.skp == skp.id)
        },
    }


def start_revision(actor: Actor, skp: Skp, reason: str) -> Skp:
    """Start a revision of an approved SKP: the approved version is frozen into a
    :class:`SkpRevision` and the SKP becomes an editable draft (``in_revision``)."""
    try:
        reason = clean_text(reason, label="Alasan revisi", max_len=REASON_MAX)
    except FieldError as exc:
        raise SkpError(errors={"reason": str(exc)}) from exc
    with write_tx():
        skp = _fresh(skp.id)
        if not perm.is_owner(actor, skp):
            raise NotAllowed()
        if skp.status != SkpStatus.DISETUJUI:
            raise StateConflict("Hanya SKP yang sudah disetujui yang dapat direvisi.")
        try:
            SkpRevision.create(
                skp=skp,
                version=skp.version,
                snapshot=json.dumps(snapshot(skp), ensure_ascii=False, default=str),
                reason=reason,
                created_by=actor.employee_id,
            )
        except IntegrityError as exc:
            raise StateConflict("Versi ini sudah dibekukan; muat ulang halaman.") from exc
        skp.status = SkpStatus.DRAFT
        skp.in_revision = True
        skp.revision_reason = reason
        skp.updated_at = utcnow()
        skp.save()
        _record(
            "skp.revision_started",
            actor,
            skp.id,
            {"status": "DISETUJUI", "version": skp.version},
            {"status": "DRAFT", "in_revision": True, "reason": reason},
        )
    return skp


def revisions(skp: Skp) -> list[SkpRevision]:
    """The frozen earlier versions, newest first."""
    return list(
        SkpRevision.select().where(SkpRevision.skp == skp.id).order_by(SkpRevision.version.desc())
    )


def revision(skp: Skp, version: int) -> tuple[SkpRevision, dict] | None:
    """One frozen version and its snapshot."""
    row = SkpRevision.get_or_none((SkpRevision.skp == skp.id) & (SkpRevision.version == version))
    if row is None:
        return None
    return row, json.loads(row.snapshot)


# --- perilaku expectations -----


def set_expectations(actor: Actor, skp: Skp, data: dict) -> dict:
    """Set the ekspektasi khusus pimpinan per BerAKHLAK value (empty text removes one)."""
    clean, errors = validate_expectations(data)
    _raise_if(errors)
    with write_tx():
        skp = _fresh(skp.id)
        if not perm.can_decide_skp(actor, skp):
            raise NotAllowed()
        return _store_expectations(actor, skp, clean)


def _store_expectations(actor: Actor, skp: Skp, clean: dict) -> dict:
    """Write validated expectations inside the caller's transaction; audited if changed."""
    current = {
        e.value: e for e in PerilakuExpectation.select().where(PerilakuExpectation.skp == skp.id)
    }
    before = {k: e.text for k, e in current.items()}
    for value, text in clean.items():
        row = current.get(value)
        if not text:
            if row is not None:
                row.delete_instance()
        elif row is None:
            PerilakuExpectation.create(skp=skp, value=value, text=text, author=actor.employee_id)
        elif row.text != text:
            row.text = text
            row.author = actor.employee_id
            row.updated_at = utcnow()
            row.save()
    after = {k: v for k, v in clean.items() if v}
    if after != before:
        _record("skp.expectations_set", actor, skp.id, before, after)
    return after


def expectations(skp: Skp) -> dict[str, PerilakuExpectation]:
    """The ekspektasi khusus pimpinan by BerAKHLAK value."""
    return {
        e.value: e for e in PerilakuExpectation.select().where(PerilakuExpectation.skp == skp.id)
    }


# --- realisation -----


def _realisation_target(indicator_id: int, period_id: int) -> tuple[Indicator, Skp, Period]:
    indicator = Indicator.get_or_none(Indicator.id == indicator_id)
    period = Period.get_or_none(Period.id == period_id)
    if indicator is None or period is None:
        raise StateConflict("Indikator atau periode ini sudah tidak ada.")
    skp = Skp.get_by_id(Rhk.get_by_id(indicator.rhk_id).skp_id)
    return indicator, skp, period


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
        row = Realisation.get_or_none(
            (Realisation.indicator == indicator.id) & (Realisation.period == period.id)
        )
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
            row.save()
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


# --- the continuous feedback log -----


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


def feedback_log(employee: Employee) -> list[FeedbackNote]:
    """An employee's feedback log, newest first, with authors and replies loaded."""
    Author = Employee.alias()
    notes = list(
        FeedbackNote.select(FeedbackNote, Author)
        .join(Author, on=(FeedbackNote.author == Author.id))
        .where(FeedbackNote.employee == employee.id)
        .order_by(FeedbackNote.day.desc(), FeedbackNote.id.desc())
    )
    replies: dict[int, list] = {}
    if notes:
        ReplyAuthor = Employee.alias()
        for r in (
            FeedbackReply.select(FeedbackReply, ReplyAuthor)
            .join(ReplyAuthor, on=(FeedbackReply.author == ReplyAuthor.id))
            .where(FeedbackReply.note.in_([n.id for n in notes]))
            .order_by(FeedbackReply.id)
        ):
            replies.setdefault(r.note_id, []).append(r)
    for n in notes:
        n.reply_list = replies.get(n.id, [])
    return notes


# --- reading an SKP -----


@dataclass
class IndicatorRow:
    """An indicator with (for one period) its realisation and capaian."""

    indicator: Indicator
    realisation: Realisation | None = None
    capaian: object = None


@dataclass
class RhkRow:
    """An RHK with its intervensi and indicators."""

    rhk: Rhk
    parent: Rhk | None
    indicators: list[IndicatorRow] = field(default_factory=list)


@dataclass
class Plan:
    """An SKP laid out for reading: RHK Utama and Tambahan with their indicators."""

    skp: Skp
    employee: Employee
    penilai: Employee | None
    utama: list[RhkRow]
    tambahan: list[RhkRow]
    expectations: dict

    @property
    def rows(self) -> list[RhkRow]:
        """Every RHK, Utama first."""
        return self.utama + self.tambahan

    @property
    def expectation_items(self) -> list[tuple[Berakhlak, str]]:
        """The ekspektasi khusus pimpinan in BerAKHLAK order."""
        return [(v, self.expectations[v].text) for v in Berakhlak if v in self.expectations]

    @property
    def indicator_count(self) -> int:
        """Number of indicators."""
        return sum(len(r.indicators) for r in self.rows)


def load(skp_id: int) -> Skp | None:
    """An SKP with its employee and unit."""
    return (
        Skp.select(Skp, Employee, Unit)
        .join(Employee, on=(Skp.employee == Employee.id))
        .join(Unit)
        .where(Skp.id == skp_id)
        .first()
    )


def skp_of(employee_id: int, year: int) -> Skp | None:
    """The SKP of an employee for a year."""
    return Skp.get_or_none((Skp.employee == employee_id) & (Skp.year == year))


def history(employee_id: int) -> list[Skp]:
    """Every SKP of an employee, newest year first."""
    return list(Skp.select().where(Skp.employee == employee_id).order_by(Skp.year.desc()))


def capaian_of(skp: Skp, indicator: Indicator, realisation: Realisation | None):
    """Capaian (percent) of a kuantitatif indicator's realisation, or None."""
    if skp.approach != SkpApproach.KUANTITATIF or realisation is None:
        return None
    if indicator.target_value is None or realisation.value is None:
        return None
    return scoring.capaian(
        indicator.target_value, realisation.value, indicator.direction, indicator.aspek
    )


def plan(skp: Skp, period: Period | None = None) -> Plan:
    """The SKP's RHK and indicators (and, for ``period``, realisation and capaian)."""
    employee = (
        Employee.select(Employee, Unit).join(Unit).where(Employee.id == skp.employee_id).get()
    )
    penilai_id = skp.pejabat_penilai_id or employee.supervisor_id
    penilai = (
        Employee.select(Employee, Unit).join(Unit).where(Employee.id == penilai_id).first()
        if penilai_id
        else None
    )
    rhks = list(Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.position, Rhk.id))
    parent_ids = {r.parent_rhk_id for r in rhks if r.parent_rhk_id}
    parents = (
        {p.id: p for p in Rhk.select().where(Rhk.id.in_(list(parent_ids)))} if parent_ids else {}
    )
    indicators: dict[int, list[Indicator]] = {}
    ids = [r.id for r in rhks]
    for ind in (
        Indicator.select()
        .where(Indicator.rhk.in_(ids or [0]))
        .order_by(Indicator.position, Indicator.id)
    ):
        indicators.setdefault(ind.rhk_id, []).append(ind)
    realisations = {}
    if period is not None:
        all_ids = [i.id for group in indicators.values() for i in group]
        realisations = {
            r.indicator_id: r
            for r in Realisation.select().where(
                Realisation.indicator.in_(all_ids or [0]) & (Realisation.period == period.id)
            )
        }
    rows = []
    for rhk in rhks:
        row = RhkRow(rhk, parents.get(rhk.parent_rhk_id))
        for ind in indicators.get(rhk.id, []):
            real = realisations.get(ind.id)
            row.indicators.append(IndicatorRow(ind, real, capaian_of(skp, ind, real)))
        rows.append(row)
    return Plan(
        skp=skp,
        employee=employee,
        penilai=penilai,
        utama=[r for r in rows if r.rhk.kind == RhkKind.UTAMA],
        tambahan=[r for r in rows if r.rhk.kind == RhkKind.TAMBAHAN],
        expectations=expectations(skp),
    )


def supervisor_rhks(skp: Skp) -> list[Rhk]:
    """The approved RHK of the owner's Pejabat Penilai for the same year (the intervensi
    choices)."""
    supervisor_id = (
        Employee.select(Employee.supervisor).where(Employee.id == skp.employee_id).scalar()
    )
    if supervisor_id is None:
        return []
    return list(
        Rhk.select(Rhk)
        .join(Skp)
        .where(
            (Skp.employee == supervisor_id)
            & (Skp.year == skp.year)
            & (Skp.status == SkpStatus.DISETUJUI)
        )
        .order_by(Rhk.kind.desc(), Rhk.position)  # Utama first
    )


def supervisor_plan(skp: Skp) -> Plan | None:
    """The owner's supervisor's approved SKP of the same year (for the side-by-side view)."""
    supervisor_id = (
        Employee.select(Employee.supervisor).where(Employee.id == skp.employee_id).scalar()
    )
    if supervisor_id is None:
        return None
    boss = skp_of(supervisor_id, skp.year)
    if boss is None:
        return None
    return plan(boss)


def realisation_periods(skp: Skp) -> list[Period]:
    """The periodic periods of the SKP's year."""
    return period_service.periodic(skp.year)


def approval_queue(actor: Actor) -> list[Skp]:
    """SKP waiting for the actor's decision, oldest submission first."""
    if not actor.supervised:
        return []
    return list(
        Skp.select(Skp, Employee, Unit)
        .join(Employee, on=(Skp.employee == Employee.id))
        .join(Unit)
        .where(Skp.employee.in_(list(actor.supervised)) & (Skp.status == SkpStatus.DIAJUKAN))
        .order_by(Skp.submitted_at, Skp.id)
    )


def team_overview(actor: Actor, year: int | None = None) -> list[dict]:
    """One row dict per subordinate: SKP status, latest realisation, what is late.

    Other areas add keys to these dicts (the table renders from them).
    """
    year = year or actor.day.year
    ids = list(actor.supervised)
    if not ids:
        return []
    employees = list(
        Employee.select(Employee, Unit)
        .join(Unit)
        .where(Employee.id.in_(ids))
        .order_by(Employee.name)
    )
    skps = {
        s.employee_id: s for s in Skp.select().where(Skp.employee.in_(ids) & (Skp.year == year))
    }
    annual = period_service.annual_period(year)
    periods = period_service.periodic(year)
    open_now = [p for p in periods if p.status == PeriodStatus.DIBUKA]
    indicator_counts: dict[int, int] = {}
    latest: dict[int, tuple] = {}
    filled_now: dict[int, int] = {}
    skp_ids = [s.id for s in skps.values()]
    if skp_ids:
        for row in (
            Indicator.select(Rhk.skp, fn.COUNT(Indicator.id).alias("n"))
            .join(Rhk)
            .where(Rhk.skp.in_(skp_ids))
            .group_by(Rhk.skp)
            .tuples()
        ):
            indicator_counts[row[0]] = row[1]
        by_period = {p.id: p for p in periods}
        for skp_id, period_id, n, last in (
            Realisation.select(
                Rhk.skp,
                Realisation.period,
                fn.COUNT(Realisation.id),
                fn.MAX(Realisation.updated_at),
            )
            .join(Indicator)
            .join(Rhk)
            .where(
                Rhk.skp.in_(skp_ids)
                & (Realisation.value.is_null(False) | (Realisation.narrative != ""))
            )
            .group_by(Rhk.skp, Realisation.period)
            .tuples()
        ):
            period = by_period.get(period_id)
            if period is None:
                continue
            if skp_id not in latest or latest[skp_id][0].number < period.number:
                latest[skp_id] = (period, n, last)
            if any(p.id == period_id for p in open_now):
                filled_now[skp_id] = filled_now.get(skp_id, 0) + n
    today = actor.day
    rows = []
    for e in employees:
        skp = skps.get(e.id)
        status = SkpStatus(skp.status) if skp else None
        deadline = annual.skp_deadline if annual else None
        skp_late = bool(deadline and today > deadline and (skp is None or skp.approved_at is None))
        total = indicator_counts.get(skp.id, 0) if skp else 0
        due = [p for p in open_now if p.realisation_deadline and today > p.realisation_deadline]
        realisation_late = bool(
            skp and skp.approved_at and due and filled_now.get(skp.id, 0) < total
        )
        last = latest.get(skp.id) if skp else None
        rows.append(
            {
                "employee": e,
                "employee_id": e.id,
                "name": e.full_name,
                "nip": e.nip,
                "jabatan": e.jabatan,
                "unit": e.unit.display_name,
                "skp": skp,
                "skp_id": skp.id if skp else None,
                "skp_status": str(status) if status else None,
                "skp_status_label": (
                    (status.label + (" (revisi)" if skp.in_revision else ""))
                    if status
                    else "Belum ada"
                ),
                "skp_version": skp.version if skp else None,
                "waiting": status == SkpStatus.DIAJUKAN,
                "skp_deadline": deadline,
                "skp_late": skp_late,
                "latest_period": last[0].name if last else None,
                "latest_filled": last[1] if last else 0,
                "latest_at": last[2] if last else None,
                "indicator_total": total,
                "open_filled": filled_now.get(skp.id, 0) if skp else 0,
                "realisation_late": realisation_late,
                "late": skp_late or realisation_late,
            }
        )
    return rows


# --- Tugas Anda -----


def task_provider(actor: Actor, glance: Glance | None = None) -> list[Task]:
    """SKP to draft or fix, SKP waiting for approval, realisation due; with ``glance``, also
    the year's SKP status and the open period's realisation (no extra query)."""
    tasks: list[Task] = []
    today = actor.day
    year = today.year
    # The year's periods in one narrow query: the annual one (as annual_period) and the
    # open quarters or months (as open_periods).
    periods = list(
        Period.select(
            Period.id,
            Period.kind,
            Period.number,
            Period.name,
            Period.status,
            Period.start,
            Period.skp_deadline,
            Period.realisation_deadline,
        )
        .where(Period.year == year)
        .order_by(Period.number, Period.id)
    )
    annual = next((p for p in periods if p.kind == PeriodKind.TAHUNAN and p.number == 0), None)
    if annual is not None:
        indicators = Indicator.select(fn.COUNT(Indicator.id)).join(Rhk).where(Rhk.skp == Skp.id)
        own = (
            Skp.select(
                Skp.id,
                Skp.status,
                Skp.in_revision,
                Skp.created_at,
                Skp.approved_at,
                indicators.alias("indicators"),
            )
            .where((Skp.employee == actor.employee_id) & (Skp.year == year))
            .first()
        )
        deadline = annual.skp_deadline
        late = bool(deadline and today > deadline)
        if glance is not None:
            glance.year = year
            glance.has_annual = True
            glance.skp_deadline = deadline
            if own is not None:
                glance.skp_status = str(own.status)
                glance.skp_id = own.id
        if own is None:
            tasks.append(
                Task(
                    f"Susun SKP {year}", "staff.skp_index", deadline=deadline, late=late, area="skp"
                )
            )
        elif own.status in (SkpStatus.DRAFT, SkpStatus.DIKEMBALIKAN):
            if own.status == SkpStatus.DIKEMBALIKAN:
                title = f"Perbaiki SKP {year} yang dikembalikan"
            elif own.in_revision:
                title = f"Selesaikan revisi SKP {year}"
            else:
                title = f"Lengkapi dan ajukan SKP {year}"
            tasks.append(
                Task(
                    title,
                    "staff.skp_detail",
                    {"skp_id": own.id},
                    deadline=None if own.in_revision else deadline,
                    since=own.created_at.date(),
                    late=late and not own.in_revision,
                    area="skp",
                )
            )
        elif own.approved_at is not None:
            open_periods = [
                p
                for p in periods
                if p.status == PeriodStatus.DIBUKA and p.kind != PeriodKind.TAHUNAN
            ]
            if open_periods:
                total = own.indicators
                filled = dict(
                    Realisation.select(Realisation.period, fn.COUNT(Realisation.id))
                    .join(Indicator)
                    .join(Rhk)
                    .where(
                        (Rhk.skp == own.id)
                        & Realisation.period.in_([p.id for p in open_periods])
                        & (Realisation.value.is_null(False) | (Realisation.narrative != ""))
                    )
                    .group_by(Realisation.period)
                    .tuples()
                )
            if glance is not None and open_periods:
                first_open = open_periods[0]
                glance.realisation = {
                    "period": first_open.name,
                    "filled": filled.get(first_open.id, 0),
                    "total": total,
                    "deadline": first_open.realisation_deadline,
                    "late": bool(
                        first_open.realisation_deadline and today > first_open.realisation_deadline
                    ),
                    "args": {"skp_id": own.id, "period_id": first_open.id},
                }
            for period in open_periods:
                missing = total - filled.get(period.id, 0)
                if missing > 0:
                    d = period.realisation_deadline
                    tasks.append(
                        Task(
                            f"Isi realisasi {period.name}",
                            "staff.realisation",
                            {"skp_id": own.id, "period_id": period.id},
                            count=missing,
                            deadline=d,
                            since=period.start,
                            late=bool(d and today > d),
                            area="skp",
                        )
                    )
    if actor.supervised:
        # As approval_queue, only the submission times.
        submitted = [
            at
            for (at,) in Skp.select(Skp.submitted_at)
            .where(Skp.employee.in_(list(actor.supervised)) & (Skp.status == SkpStatus.DIAJUKAN))
            .order_by(Skp.submitted_at, Skp.id)
            .tuples()
        ]
        if submitted:
            oldest = submitted[0]
            tasks.append(
                Task(
                    "SKP menunggu persetujuan Anda",
                    "supervisor.skp_queue",
                    count=len(submitted),
                    since=oldest.date() if oldest else None,
                    area="skp",
                )
            )
    return tasks


def employee_summary(employee_id: int) -> Employee | None:
    """An employee with unit (for page headers)."""
    return Employee.select(Employee, Unit).join(Unit).where(Employee.id == employee_id).first()
