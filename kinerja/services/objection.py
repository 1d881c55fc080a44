"""Keberatan (docs/spec/regulation.md §6, PP 30/2019 Pasal 59): filing within the window, the
recorded exchange of explanations, and the atasan Pejabat Penilai's final decision.

The decision is the only way a final evaluation's ratings change.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from peewee import IntegrityError

from kinerja.clock import to_wib, today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import EvaluationStatus as S
from kinerja.formatting import format_date
from kinerja.models.evaluation import (
    Evaluation,
    MessageRole,
    Objection,
    ObjectionDecision,
    ObjectionMessage,
    ObjectionOfficialDecision,
)
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.queries.evaluation import annual_angka_kredit
from kinerja.scoring import predikat_for
from kinerja.services import audit, notifications
from kinerja.services.evaluation import (
    EvaluationError,
    Forbidden,
    _rating,
    _snapshot,
    _text,
)


def file_objection(actor: Actor, ev: Evaluation, reasons: str) -> Objection:
    """File a keberatan with reasons, at most ``objection_days`` after finalisation;
    a late one is refused naming the deadline."""
    if not perm.is_owner(actor, ev):
        raise Forbidden("Hanya pegawai yang dinilai yang dapat mengajukan keberatan.")
    reasons = _text(reasons, "Alasan keberatan")
    with write_tx():
        ev = Evaluation.get_by_id(ev.id)
        if S(ev.status) is not S.FINAL:
            if S(ev.status) in (S.KEBERATAN, S.DIPUTUS):
                raise EvaluationError("Keberatan atas evaluasi ini sudah diajukan.")
            raise EvaluationError("Keberatan hanya dapat diajukan atas hasil evaluasi yang final.")
        if ev.objection_deadline is None or today_wib() > ev.objection_deadline:
            deadline = format_date(ev.objection_deadline) if ev.objection_deadline else "-"
            raise EvaluationError(
                f"Batas waktu pengajuan keberatan telah lewat pada {deadline}; "
                "keberatan tidak dapat diterima."
            )
        before = _snapshot(ev)
        try:
            objection = Objection.create(
                evaluation=ev.id,
                reasons=reasons,
                old_hasil_rating=ev.hasil_rating,
                old_perilaku_rating=ev.perilaku_rating,
                old_predikat=ev.predikat,
            )
        except IntegrityError:
            raise EvaluationError("Keberatan atas evaluasi ini sudah diajukan.") from None
        ev.status = S.KEBERATAN
        ev.updated_at = utcnow()
        ev.save()
        audit.record(
            "keberatan.diajukan",
            actor=actor.account,
            object_type="evaluation",
            object_id=ev.id,
            before=before,
            after={**_snapshot(ev), "objection": objection.id, "reasons": reasons},
        )
    return objection


def add_message(
    actor: Actor, objection: Objection, text: str, requested_from: str | None = None
) -> ObjectionMessage:
    """Record a statement in the objection: the atasan's request for an explanation from
    the employee or the Pejabat Penilai, or either side's explanation."""
    role = perm.objection_role(actor, objection)
    if role is None:
        raise Forbidden("Anda bukan pihak dalam keberatan ini.")
    text = _text(text, "Isi pesan")
    target = None
    if requested_from:
        if role != MessageRole.ATASAN:
            raise Forbidden("Hanya atasan Pejabat Penilai yang meminta penjelasan.")
        if requested_from not in (MessageRole.EMPLOYEE, MessageRole.PENILAI):
            raise EvaluationError("Pilih pihak yang dimintai penjelasan.")
        target = MessageRole(requested_from)
    with write_tx():
        objection = Objection.get_by_id(objection.id)
        if objection.decision:
            raise EvaluationError("Keberatan sudah diputus; catatan ditutup.")
        message = ObjectionMessage.create(
            objection=objection.id,
            author=actor.employee_id,
            role=role,
            text=text,
            requested_from=target,
        )
        audit.record(
            "keberatan.permintaan_penjelasan" if target else "keberatan.penjelasan",
            actor=actor.account,
            object_type="objection",
            object_id=objection.id,
            after={"role": role, "requested_from": target, "text": text},
        )
    return message


def _choice(decision: str) -> ObjectionDecision:
    try:
        return ObjectionDecision(decision)
    except ValueError:
        raise EvaluationError("Pilih putusan: menguatkan atau mengubah.") from None


def _changed_ratings(ev: Evaluation, hasil: str | None, perilaku: str | None):
    """The new pair of ratings of a "mengubah" decision and its predikat (checked)."""
    new_hasil = _rating(hasil, "Rating Hasil Kerja baru")
    new_perilaku = _rating(perilaku, "Rating Perilaku Kerja baru")
    if new_hasil == ev.hasil_rating and new_perilaku == ev.perilaku_rating:
        raise EvaluationError(
            "Rating baru sama dengan rating semula; pilih 'menguatkan' bila tidak berubah."
        )
    return new_hasil, new_perilaku, predikat_for(new_hasil, new_perilaku)


@dataclass(frozen=True)
class DecisionOutcome:
    """What a decision would do, shown before it is made (nothing is written)."""

    decision: ObjectionDecision
    reason: str
    old_hasil: str
    old_perilaku: str
    old_predikat: str
    new_hasil: str
    new_perilaku: str
    new_predikat: str
    explanation: str


def decision_outcome(
    objection: Objection,
    decision: str,
    reason: str,
    hasil: str | None = None,
    perilaku: str | None = None,
) -> DecisionOutcome:
    """The resulting ratings and predikat of a decision, with the same checks as
    :func:`decide` (raises ``EvaluationError``); writes nothing."""
    choice = _choice(decision)
    reason = _text(reason, "Alasan putusan")
    ev = Evaluation.get_by_id(objection.evaluation_id)
    if objection.decision or S(ev.status) is not S.KEBERATAN:
        raise EvaluationError("Keberatan ini sudah diputus; putusan bersifat final.")
    new_hasil, new_perilaku = ev.hasil_rating, ev.perilaku_rating
    new_predikat, explanation = ev.predikat, "Rating dan predikat tetap."
    if choice is ObjectionDecision.CHANGE:
        new_hasil, new_perilaku, result = _changed_ratings(ev, hasil, perilaku)
        new_predikat, explanation = result.predikat.value, result.explanation
    return DecisionOutcome(
        choice,
        reason,
        ev.hasil_rating,
        ev.perilaku_rating,
        ev.predikat,
        str(new_hasil.value if hasattr(new_hasil, "value") else new_hasil),
        str(new_perilaku.value if hasattr(new_perilaku, "value") else new_perilaku),
        str(new_predikat),
        explanation,
    )


def _apply_decision(
    objection_id: int,
    choice: ObjectionDecision,
    reason: str,
    hasil: str | None,
    perilaku: str | None,
    decided_by: int | None,
) -> tuple[Objection, Evaluation, dict]:
    """Write the decision on the objection and the evaluation (inside the caller's
    transaction); return them and the evaluation's snapshot before."""
    objection = Objection.get_by_id(objection_id)
    ev = Evaluation.get_by_id(objection.evaluation_id)
    if objection.decision or S(ev.status) is not S.KEBERATAN:
        raise EvaluationError("Keberatan ini sudah diputus; putusan bersifat final.")
    before = _snapshot(ev)
    if choice is ObjectionDecision.CHANGE:
        new_hasil, new_perilaku, result = _changed_ratings(ev, hasil, perilaku)
        ev.hasil_rating = new_hasil
        ev.perilaku_rating = new_perilaku
        ev.predikat = result.predikat
        ev.predikat_explanation = f"{result.explanation} (putusan keberatan)"
        ev.angka_kredit = annual_angka_kredit(ev)
    now = utcnow()
    ev.status = S.DIPUTUS
    ev.updated_at = now
    ev.save()
    objection.decision = choice
    objection.decided_by = decided_by
    objection.decided_at = now
    objection.decision_reason = reason
    objection.new_hasil_rating = ev.hasil_rating
    objection.new_perilaku_rating = ev.perilaku_rating
    objection.new_predikat = ev.predikat
    objection.save()
    return objection, ev, before


def decide(
    actor: Actor,
    objection: Objection,
    decision: str,
    reason: str,
    hasil: str | None = None,
    perilaku: str | None = None,
) -> Objection:
    """The atasan Pejabat Penilai confirms or changes the ratings with a reason; final."""
    if not perm.can_decide_objection(actor, objection):
        raise Forbidden("Hanya atasan Pejabat Penilai yang memutus keberatan.")
    choice = _choice(decision)
    reason = _text(reason, "Alasan putusan")
    with write_tx():
        objection, ev, before = _apply_decision(
            objection.id, choice, reason, hasil, perilaku, actor.employee_id
        )
        audit.record(
            "keberatan.diputus",
            actor=actor.account,
            object_type="evaluation",
            object_id=ev.id,
            before=before,
            after={**_snapshot(ev), "decision": choice, "reason": reason},
        )
        notifications.objection_decided(objection, ev, choice.label)
    return objection


# The decision letter of an official without an account: a PDF, as large as the other
# uploads of the portal allow (the service-request CSV: 2 MB).
LETTER_MAX_BYTES = 2 * 1024 * 1024
LETTER_NUMBER_MAX = 100
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class DecisionLetter:
    """The official's decision letter as submitted: number, date and the PDF."""

    number: str
    day: str | date | None
    filename: str
    content: bytes


def _letter_date(value: str | date | None, objection: Objection, today: date) -> date:
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat((value or "").strip())
        except ValueError:
            raise EvaluationError("Isi tanggal surat putusan (hh-bb-tttt).") from None
    filed = to_wib(objection.filed_at).date()
    if day > today:
        raise EvaluationError("Tanggal surat putusan tidak boleh setelah hari ini.")
    if day < filed:
        raise EvaluationError(
            f"Tanggal surat putusan tidak boleh sebelum keberatan diajukan ({format_date(filed)})."
        )
    return day


def check_letter_file(filename: str, content: bytes) -> str:
    """The cleaned file name of a decision letter, or an error: a PDF of at most 2 MB."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or not content:
        raise EvaluationError("Unggah berkas surat putusan (PDF).")
    if not name.lower().endswith(".pdf") or not content.startswith(PDF_MAGIC):
        raise EvaluationError("Surat putusan harus berupa berkas PDF.")
    if len(content) > LETTER_MAX_BYTES:
        raise EvaluationError("Berkas surat putusan lebih besar dari 2 MB.")
    return name[:200]


def record_official_decision(
    actor: Actor,
    objection: Objection,
    decision: str,
    reason: str,
    letter: DecisionLetter,
    hasil: str | None = None,
    perilaku: str | None = None,
) -> Objection:
    """An Admin BKPSDM records the written decision of the official without an account who
    decides this keberatan (the Wali Kota): the decision with its reason and the letter
    (number, date, PDF). One transaction, audited; final like any decision."""
    if not perm.can_record_official_decision(actor, objection):
        raise Forbidden(
            "Hanya Admin BKPSDM yang mencatat putusan pejabat tanpa akun, "
            "dan tidak atas keberatan yang menyangkut dirinya."
        )
    choice = _choice(decision)
    reason = _text(reason, "Alasan putusan")
    number = (letter.number or "").strip()
    if not number:
        raise EvaluationError("Nomor surat putusan wajib diisi.")
    if len(number) > LETTER_NUMBER_MAX:
        raise EvaluationError(f"Nomor surat putusan paling banyak {LETTER_NUMBER_MAX} karakter.")
    day = _letter_date(letter.day, objection, actor.day)
    filename = check_letter_file(letter.filename, letter.content)
    decider = perm.objection_decider(objection, actor.day)
    with write_tx():
        objection, ev, before = _apply_decision(objection.id, choice, reason, hasil, perilaku, None)
        record = ObjectionOfficialDecision.create(
            objection=objection.id,
            official=decider.official,
            official_employee=decider.official_employee_id,
            letter_number=number,
            letter_date=day,
            filename=filename,
            content_type="application/pdf",
            content=letter.content,
            recorded_by=actor.employee_id,
            recorded_at=objection.decided_at,
        )
        audit.record(
            "keberatan.putusan_pejabat_dicatat",
            actor=actor.account,
            object_type="evaluation",
            object_id=ev.id,
            before=before,
            after={
                **_snapshot(ev),
                "objection": objection.id,
                "decision": choice,
                "reason": reason,
                "official": record.official,
                "letter_number": number,
                "letter_date": day.isoformat(),
                "letter_file": filename,
                "letter_bytes": len(letter.content),
                "letter_sha256": hashlib.sha256(letter.content).hexdigest(),
            },
        )
        notifications.objection_decided(objection, ev, choice.label)
    return objection
