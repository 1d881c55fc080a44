"""Forms of the SKP pages. Field checks call the pure validators of
``kinerja.skp_validation`` (the same ones the use cases run)."""

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from kinerja import skp_validation as v
from kinerja.enums import Aspek, Direction, Perspektif, RhkKind, SkpApproach
from portal.forms import KinerjaForm


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def uses(check, *, optional: bool = False):
    """A WTForms validator running one pure validator (its message becomes the error)."""

    def validator(form, field):
        if optional and not (field.data or "").strip():
            return
        try:
            check(field.data)
        except v.FieldError as exc:
            raise ValidationError(str(exc)) from exc

    return validator


def text_check(label: str, max_len: int, required: bool = True):
    """A length-limited text check."""
    return uses(lambda value: v.clean_text(value, label=label, max_len=max_len, required=required))


class StartForm(KinerjaForm):
    """Start this year's SKP with an approach."""

    year = HiddenField()
    approach = RadioField(
        "Pendekatan SKP", choices=options(SkpApproach.choices()), default=SkpApproach.KUANTITATIF
    )


class ApproachForm(KinerjaForm):
    """Change the approach of a draft."""

    approach = SelectField("Pendekatan SKP", choices=options(SkpApproach.choices()))


class RhkForm(KinerjaForm):
    """An RHK: text, group, intervensi, perspektif (JPT)."""

    text = TextAreaField(
        "Rencana hasil kerja", validators=[text_check("Rencana hasil kerja", v.RHK_TEXT_MAX)]
    )
    kind = SelectField("Jenis RHK", choices=options(RhkKind.choices()), default=RhkKind.UTAMA)
    parent_rhk = SelectField(
        "RHK pimpinan yang diintervensi", choices=options([("", "—")]), default=""
    )
    perspektif = SelectField(
        "Perspektif", choices=options([("", "—"), *Perspektif.choices()]), default=""
    )


class IndicatorForm(KinerjaForm):
    """An indicator (IKI) with its target or success criterion."""

    text = TextAreaField(
        "Indikator kinerja individu",
        validators=[text_check("Indikator kinerja", v.INDICATOR_TEXT_MAX)],
    )
    aspek = SelectField("Aspek", choices=options(Aspek.choices()), default=Aspek.KUANTITAS)
    target_value = StringField("Target", validators=[uses(v.parse_target, optional=True)])
    target_unit = StringField(
        "Satuan", validators=[text_check("Satuan target", v.UNIT_MAX, required=False)]
    )
    success_criteria = TextAreaField(
        "Kriteria keberhasilan",
        validators=[text_check("Kriteria keberhasilan", v.CRITERIA_MAX, required=False)],
    )
    direction = SelectField(
        "Arah", choices=options(Direction.choices()), default=Direction.HIGHER_BETTER
    )


class RealisationForm(KinerjaForm):
    """Realisation of one indicator in one period, with evidence."""

    value = StringField("Realisasi", validators=[uses(v.parse_realisation, optional=True)])
    narrative = TextAreaField(
        "Uraian realisasi",
        validators=[text_check("Uraian realisasi", v.NARRATIVE_MAX, required=False)],
    )
    evidence_link = StringField("Tautan bukti dukung", validators=[uses(v.clean_link)])
    evidence_note = TextAreaField(
        "Catatan bukti dukung",
        validators=[text_check("Catatan bukti dukung", v.EVIDENCE_NOTE_MAX, required=False)],
    )


class RevisionForm(KinerjaForm):
    """Start a revision of an approved SKP."""

    reason = TextAreaField("Alasan revisi", validators=[text_check("Alasan revisi", v.REASON_MAX)])


class ReplyForm(KinerjaForm):
    """Reply to a feedback note."""

    text = TextAreaField("Balasan", validators=[text_check("Balasan", v.NOTE_MAX)])


def apply_errors(form, errors: dict) -> None:
    """Put a use case's field errors on the form's fields (others stay in ``form.extra``)."""
    extra = []
    for key, message in errors.items():
        field = form._fields.get(key)
        if field is not None:
            if message not in field.errors:
                field.errors = [*field.errors, message]
        else:
            extra.append(message)
    form.extra_errors = extra
