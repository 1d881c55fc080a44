"""SKP use cases: drafting, submission and approval, revisions, perilaku expectations
(docs/spec/regulation.md §1–§2, docs/spec/product.md §2). Realisation and the feedback log
are in :mod:`kinerja.services.skp_realisation`, the read models in :mod:`kinerja.queries.skp`.
About 650 lines because the SKP's whole state machine (draft, submit, approve or return,
revise) is kept together: every step checks the state the others leave.

Every use case runs in one transaction (``write_tx``), re-reads the SKP inside it and
checks its state there, so two people acting at once cannot corrupt an SKP. Every change
is written to the audit log. Refusals raise :class:`NotAllowed` (403), :class:`StateConflict`
(409) or :class:`SkpError` with Indonesian field errors (422).
"""

import json

from peewee import IntegrityError, fn

from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.enums import (
    JenisJabatan,
    RhkKind,
    SkpApproach,
    SkpStatus,
)
from kinerja.models.org import Employee
from kinerja.models.skp import (
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
from kinerja.services import audit, notifications
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


# --- realisation -----


# --- the continuous feedback log -----


# --- reading an SKP -----


# --- Tugas Anda -----
