"""Forms of the supervisor's SKP pages (checks reuse ``kinerja.skp_validation``)."""

from datetime import date

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from kinerja import skp_validation as v
from kinerja.enums import Berakhlak
from portal.forms import KinerjaForm
from portal.staff.skp_forms import options, text_check


def iso_date(form, field):
    """A date as the browser's date input sends it (YYYY-MM-DD)."""
    try:
        date.fromisoformat((field.data or "").strip())
    except ValueError as exc:
        raise ValidationError("Tanggal wajib diisi dengan format tahun-bulan-tanggal.") from exc


class ReturnForm(KinerjaForm):
    """Return a submitted SKP with a note."""

    seen = HiddenField()
    note = TextAreaField(
        "Catatan untuk pegawai", validators=[text_check("Catatan pengembalian", v.NOTE_MAX)]
    )


class ApproveForm(KinerjaForm):
    """Approve a submitted SKP (``seen`` guards against a stale page)."""

    seen = HiddenField()


class FeedbackForm(KinerjaForm):
    """Umpan balik on one indicator's realisation."""

    feedback = TextAreaField("Umpan balik", validators=[text_check("Umpan balik", v.NOTE_MAX)])


class NoteForm(KinerjaForm):
    """A dated note in the continuous feedback log."""

    day = StringField("Tanggal", validators=[iso_date])
    kind = SelectField(
        "Jenis catatan", choices=options(v.FEEDBACK_KINDS.items()), default="CATATAN"
    )
    text = TextAreaField("Catatan", validators=[text_check("Catatan", v.NOTE_MAX)])
    is_dialog = BooleanField("Catatan ini adalah dialog kinerja formal")


def expectation_form_class():
    """A form with one optional text per BerAKHLAK value."""

    fields = {
        str(value): TextAreaField(
            value.label,
            validators=[text_check(f"Ekspektasi {value.label}", v.EXPECTATION_MAX, False)],
        )
        for value in Berakhlak
    }
    return type("ExpectationForm", (KinerjaForm,), fields)
