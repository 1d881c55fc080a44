"""Pure validators of SKP input (docs/spec/regulation.md §2), shared by the forms and the services.

Every validator takes plain values (strings from a form, or values from a service call)
and either returns the cleaned value or raises :class:`FieldError` with an Indonesian
message. :func:`validate_rhk` and :func:`validate_indicator` check a whole record and
return ``(clean, errors)`` so a form and a use case report the same errors the same way.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kinerja.enums import (
    Aspek,
    Berakhlak,
    Direction,
    Perspektif,
    RhkKind,
    SkpApproach,
    SkpStatus,
)

RHK_TEXT_MAX = 1000
INDICATOR_TEXT_MAX = 500
UNIT_MAX = 40
CRITERIA_MAX = 1000
NOTE_MAX = 2000
REASON_MAX = 1000
EXPECTATION_MAX = 1000
NARRATIVE_MAX = 2000
EVIDENCE_LINK_MAX = 500
EVIDENCE_NOTE_MAX = 1000
TARGET_MAX = Decimal("999999999999.99")
TARGET_PLACES = 2

FEEDBACK_KINDS = {
    "PUJIAN": "Pujian",
    "KOREKSI": "Koreksi",
    "KESEPAKATAN": "Kesepakatan",
    "CATATAN": "Catatan",
}
"""Kinds of note in the continuous feedback log (docs/spec/product.md §2)."""

_ID_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FieldError(ValueError):
    """An invalid value, with the Indonesian message to show next to its field."""


@dataclass(frozen=True)
class ParentInfo:
    """What the cascading check needs to know about a chosen RHK pimpinan."""

    owner_id: int
    year: int
    status: str


def clean_text(value, *, label: str, max_len: int, required: bool = True) -> str:
    """Trimmed text without control characters, within ``max_len`` characters."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text).strip()
    if required and not text:
        raise FieldError(f"{label} wajib diisi.")
    if len(text) > max_len:
        raise FieldError(f"{label} paling banyak {max_len} karakter (sekarang {len(text)}).")
    return text


def parse_number(value, *, label: str = "Nilai", positive: bool = True) -> Decimal:
    """A number typed by a person: "95", "95,5", "1.200" (Indonesian thousands) or "12.5".

    Two decimals at most; positive (or, with ``positive=False``, not negative).
    """
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        text = ("" if value is None else str(value)).strip().replace(" ", "")
        if not text:
            raise FieldError(f"{label} wajib diisi.")
        if _ID_THOUSANDS.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif _PLAIN.match(text):
            text = text.replace(",", ".")
        else:
            raise FieldError(f"{label} harus berupa angka, misalnya 95 atau 12,5.")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the patterns exclude this
            raise FieldError(f"{label} harus berupa angka.") from exc
    if not number.is_finite():
        raise FieldError(f"{label} harus berupa angka.")
    if positive and number <= 0:
        raise FieldError(f"{label} harus lebih besar dari nol.")
    if number < 0:
        raise FieldError(f"{label} tidak boleh negatif.")
    if number > TARGET_MAX:
        raise FieldError(f"{label} terlalu besar.")
    if number != number.quantize(Decimal(1).scaleb(-TARGET_PLACES)):
        raise FieldError(f"{label} paling banyak {TARGET_PLACES} angka di belakang koma.")
    return number.quantize(Decimal(1).scaleb(-TARGET_PLACES))


def parse_target(value) -> Decimal:
    """A target value: a positive number (docs/spec/regulation.md §2)."""
    return parse_number(value, label="Target", positive=True)


def parse_realisation(value) -> Decimal:
    """A realisation value: zero or more."""
    return parse_number(value, label="Realisasi", positive=False)


def clean_unit(value) -> str:
    """The unit of a target ("dokumen", "%", "hari")."""
    return clean_text(value, label="Satuan target", max_len=UNIT_MAX)


DURATION_UNITS = frozenset(
    {"detik", "menit", "jam", "hari", "minggu", "pekan", "bulan", "tahun", "hk", "hari kerja"}
)
"""Units that measure a length of time: the first word of a target unit ("hari kerja",
"jam per berkas") is looked up here."""


def is_duration_unit(unit: str | None) -> bool:
    """Whether a target unit measures a length of time ("3 hari kerja", "2 jam")."""
    words = re.split(r"[\s/]+", (unit or "").strip().lower())
    return bool(words and words[0].rstrip(".") in DURATION_UNITS)


def check_arah(aspek: str, direction: str, unit: str | None) -> str | None:
    """The message for an arah that makes no sense with the aspek and unit, else None.

    The arah alone decides the capaian formula (scoring.capaian), for every aspek. A Waktu
    indicator measured in a length of time (hari, jam, bulan…) is better when shorter, so it
    must be "Semakin rendah semakin baik"; "higher is better" would reward slowness. A Waktu
    indicator in percent ("persentase selesai tepat waktu") may take either arah.
    """
    if aspek == Aspek.WAKTU and direction == Direction.HIGHER_BETTER and is_duration_unit(unit):
        return (
            f"Indikator aspek Waktu dengan satuan “{unit}” mengukur lama waktu: makin singkat "
            "makin baik. Pilih arah “Semakin rendah semakin baik”, atau ukur dalam persen "
            "(mis. persentase selesai tepat waktu) bila yang makin tinggi makin baik."
        )
    return None


def clean_link(value) -> str:
    """An optional evidence link: http(s) only."""
    text = clean_text(value, label="Tautan bukti dukung", max_len=EVIDENCE_LINK_MAX, required=False)
    if text and not _URL.match(text):
        raise FieldError("Tautan bukti dukung harus diawali http:// atau https://.")
    return text


def choice(value, enum, *, label: str) -> str:
    """One member of ``enum`` by its code."""
    try:
        return str(enum(value))
    except ValueError as exc:
        raise FieldError(f"Pilihan {label} tidak dikenal.") from exc


def check_cascade(parent: ParentInfo | None, *, supervisor_id: int | None, year: int) -> str | None:
    """The error of a cascading link, or None when it is fine.

    A link must point to the supervisor's approved RHK of the same year (docs/spec/regulation.md
    §2).
    """
    if parent is None:
        return None
    if supervisor_id is None or parent.owner_id != supervisor_id:
        return "RHK pimpinan yang diintervensi harus milik Pejabat Penilai Anda."
    if parent.year != year:
        return "RHK pimpinan yang diintervensi harus dari SKP tahun yang sama."
    if parent.status != SkpStatus.DISETUJUI:
        return "RHK pimpinan yang diintervensi harus dari SKP pimpinan yang sudah disetujui."
    return None


def _run(errors: dict, clean: dict, key: str, fn, *args, **kwargs) -> None:
    try:
        clean[key] = fn(*args, **kwargs)
    except FieldError as exc:
        errors[key] = str(exc)


def validate_rhk(data: dict, *, is_jpt: bool = False) -> tuple[dict, dict]:
    """Check an RHK's fields: text, kind, perspektif (JPT only). ``parent_rhk`` is
    checked by :func:`check_cascade` because it needs the database."""
    clean: dict = {}
    errors: dict = {}
    _run(
        errors,
        clean,
        "text",
        clean_text,
        data.get("text"),
        label="Rencana hasil kerja",
        max_len=RHK_TEXT_MAX,
    )
    _run(errors, clean, "kind", choice, data.get("kind") or "UTAMA", RhkKind, label="jenis RHK")
    perspektif = data.get("perspektif") or None
    if is_jpt and perspektif:
        _run(errors, clean, "perspektif", choice, perspektif, Perspektif, label="perspektif")
    else:
        clean["perspektif"] = None
    return clean, errors


def validate_indicator(data: dict, *, approach: str) -> tuple[dict, dict]:
    """Check an indicator: kuantitatif needs a positive target with a unit and an arah that
    fits its aspek and unit (:func:`check_arah`), kualitatif a narrative success criterion."""
    clean: dict = {}
    errors: dict = {}
    _run(
        errors,
        clean,
        "text",
        clean_text,
        data.get("text"),
        label="Indikator kinerja",
        max_len=INDICATOR_TEXT_MAX,
    )
    _run(errors, clean, "aspek", choice, data.get("aspek") or "KUANTITAS", Aspek, label="aspek")
    _run(
        errors,
        clean,
        "direction",
        choice,
        data.get("direction") or "HIGHER_BETTER",
        Direction,
        label="arah",
    )
    if approach == SkpApproach.KUALITATIF:
        _run(
            errors,
            clean,
            "success_criteria",
            clean_text,
            data.get("success_criteria"),
            label="Kriteria keberhasilan",
            max_len=CRITERIA_MAX,
        )
        clean["target_value"] = None
        clean["target_unit"] = ""
    else:
        _run(errors, clean, "target_value", parse_target, data.get("target_value"))
        _run(errors, clean, "target_unit", clean_unit, data.get("target_unit"))
        if not {"aspek", "direction", "target_unit"} & set(errors):
            problem = check_arah(clean["aspek"], clean["direction"], clean["target_unit"])
            if problem:
                errors["direction"] = problem
        _run(
            errors,
            clean,
            "success_criteria",
            clean_text,
            data.get("success_criteria"),
            label="Kriteria keberhasilan",
            max_len=CRITERIA_MAX,
            required=False,
        )
    return clean, errors


def validate_realisation(
    data: dict, *, approach: str, automatic: bool = False
) -> tuple[dict, dict]:
    """Check a realisation: a value (kuantitatif) or narrative, evidence link or note.

    For a service-linked (automatic) indicator the value comes from the service data, so
    any value sent is ignored and only the note and evidence are checked.
    """
    clean: dict = {}
    errors: dict = {}
    raw_value = None if automatic else data.get("value")
    if raw_value not in (None, ""):
        _run(errors, clean, "value", parse_realisation, raw_value)
    else:
        clean["value"] = None
    _run(
        errors,
        clean,
        "narrative",
        clean_text,
        data.get("narrative"),
        label="Uraian realisasi",
        max_len=NARRATIVE_MAX,
        required=False,
    )
    _run(errors, clean, "evidence_link", clean_link, data.get("evidence_link"))
    _run(
        errors,
        clean,
        "evidence_note",
        clean_text,
        data.get("evidence_note"),
        label="Catatan bukti dukung",
        max_len=EVIDENCE_NOTE_MAX,
        required=False,
    )
    if automatic:
        clean.pop("value")
    elif not errors:
        if approach == SkpApproach.KUALITATIF:
            if not clean["narrative"]:
                errors["narrative"] = "Uraian realisasi wajib diisi untuk SKP kualitatif."
        elif clean["value"] is None:
            errors["value"] = "Realisasi wajib diisi (angka)."
    return clean, errors


def validate_note(data: dict) -> tuple[dict, dict]:
    """Check a continuous-feedback note."""
    clean: dict = {}
    errors: dict = {}
    kind = data.get("kind") or "CATATAN"
    if kind not in FEEDBACK_KINDS:
        errors["kind"] = "Pilihan jenis catatan tidak dikenal."
    else:
        clean["kind"] = kind
    _run(errors, clean, "text", clean_text, data.get("text"), label="Catatan", max_len=NOTE_MAX)
    clean["is_dialog"] = bool(data.get("is_dialog"))
    return clean, errors


def validate_expectations(data: dict) -> tuple[dict, dict]:
    """Check the ekspektasi khusus pimpinan, one optional text per BerAKHLAK value."""
    clean: dict = {}
    errors: dict = {}
    for value in Berakhlak:
        _run(
            errors,
            clean,
            str(value),
            clean_text,
            data.get(str(value)),
            label=f"Ekspektasi {value.label}",
            max_len=EXPECTATION_MAX,
            required=False,
        )
    return clean, errors


FIELD_CHECKS = {
    "text": lambda v: clean_text(v, label="Teks", max_len=RHK_TEXT_MAX),
    "indicator_text": lambda v: clean_text(
        v, label="Indikator kinerja", max_len=INDICATOR_TEXT_MAX
    ),
    "target_value": parse_target,
    "target_unit": clean_unit,
    "success_criteria": lambda v: clean_text(
        v, label="Kriteria keberhasilan", max_len=CRITERIA_MAX
    ),
    "value": parse_realisation,
    "evidence_link": clean_link,
}
"""Single-field checks for inline validation (the same functions the submit runs)."""


def check_field(name: str, value) -> str | None:
    """The error for one field, or None (unknown fields have no error)."""
    check = FIELD_CHECKS.get(name)
    if check is None:
        return None
    try:
        check(value)
    except FieldError as exc:
        return str(exc)
    return None
