"""The phone SKM form: the overall face, the nine unsur (1–4) and an optional comment."""

from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from kinerja.enums import SKM_FACE_LABELS, UNSUR_ANSWER_LABELS, UNSUR_QUESTIONS, Unsur
from kinerja.services.kiosk_answers import COMMENT_MAX
from kinerja.services.survey import clean_answer_comment
from portal.forms import KinerjaForm


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice(i, label) for i, label in enumerate(labels, start=1)]


def _radio(label: str, labels, message: str) -> RadioField:
    return RadioField(
        label, coerce=int, choices=_choices(labels), validators=[InputRequired(message)]
    )


class SurveyForm(KinerjaForm):
    """Every question required except the comment (cleaned and capped as at the kiosk)."""

    face = _radio(
        "Bagaimana pelayanan yang Anda terima secara keseluruhan?",
        SKM_FACE_LABELS,
        "Pilih salah satu jawaban.",
    )
    comment = TextAreaField("Saran atau komentar (tidak wajib)")

    def unsur_fields(self):
        """(unsur, field) in order U1–U9."""
        return [(u, self[u.value.lower()]) for u in Unsur]

    def validate_comment(self, field):
        field.data = clean_answer_comment(field.data)
        if len(field.data) > COMMENT_MAX:
            raise ValidationError(f"Komentar paling banyak {COMMENT_MAX} karakter.")


for _u in Unsur:
    setattr(
        SurveyForm,
        _u.value.lower(),
        _radio(
            f"{_u.value}. {_u.label}: {UNSUR_QUESTIONS[_u]}",
            UNSUR_ANSWER_LABELS[_u],
            "Pilih salah satu jawaban.",
        ),
    )
