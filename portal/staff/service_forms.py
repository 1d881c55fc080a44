"""Forms of the counter log, the service figures and linked indicators."""

from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from kinerja.queries.service_figures import LinkedFigure
from portal.forms import KinerjaForm

MSG_PICK_SERVICE = "Pilih jenis layanan."


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class RegisterForm(KinerjaForm):
    """Register a request: jenis layanan and an optional reference number."""

    service_type = SelectField(
        "Jenis layanan", coerce=int, validators=[InputRequired(MSG_PICK_SERVICE)]
    )
    reference = StringField(
        "Nomor permohonan (opsional)",
        validators=[Optional(), Length(max=60, message="Paling banyak 60 karakter.")],
    )


class CompleteForm(KinerjaForm):
    """Complete a request, marking whether it was returned for rework."""

    rework = BooleanField("Dikembalikan untuk perbaikan")


class RangeForm(KinerjaForm):
    """A date range (GET; no CSRF needed for reading)."""

    class Meta:
        csrf = False

    dari = DateField(
        "Dari tanggal", validators=[Optional()], format="%Y-%m-%d", render_kw={"type": "date"}
    )
    sampai = DateField(
        "Sampai tanggal", validators=[Optional()], format="%Y-%m-%d", render_kw={"type": "date"}
    )

    def validate_sampai(self, field):
        """The end is not before the start, and the range is at most five years."""
        if self.dari.data and field.data:
            if field.data < self.dari.data:
                raise ValidationError("Tanggal akhir tidak boleh sebelum tanggal awal.")
            if (field.data - self.dari.data).days > 366 * 5:
                raise ValidationError("Rentang paling panjang lima tahun.")


class LinkForm(KinerjaForm):
    """Link an indicator to a jenis layanan and the figure its realisation takes."""

    service_type = SelectField("Jenis layanan", coerce=str)
    figure = SelectField(
        "Angka yang menjadi realisasi",
        choices=options(LinkedFigure.choices()),
        default=LinkedFigure.ON_TIME_RATE.value,
    )


class NoteForm(KinerjaForm):
    """The owner's note beside an automatic realisation."""

    narrative = TextAreaField(
        "Catatan realisasi",
        validators=[Length(max=4000, message="Paling banyak 4.000 karakter.")],
    )
    evidence_link = StringField(
        "Tautan bukti (opsional)",
        validators=[
            Optional(),
            Length(max=500, message="Paling banyak 500 karakter."),
            URL(require_tld=False, message="Tautan harus alamat web lengkap (https://…)."),
        ],
    )
    evidence_note = TextAreaField(
        "Keterangan bukti (opsional)",
        validators=[Length(max=4000, message="Paling banyak 4.000 karakter.")],
    )
