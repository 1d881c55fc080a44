"""Forms of the staff kiosk pages: counter sign-in, duty roster."""

from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Regexp

from portal.forms import KinerjaForm

HHMM = Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message="Jam harus berformat JJ:MM, mis. 07:30.")


class DutyForm(KinerjaForm):
    """Sign in at a counter, or sign out."""

    kiosk_id = HiddenField()
    action = HiddenField(validators=[DataRequired()])


class RosterForm(KinerjaForm):
    """Put an employee on a counter's roster for part of a day (WIB)."""

    employee_id = SelectField("Pegawai", coerce=int, validators=[DataRequired("Pilih pegawai.")])
    day = DateField("Tanggal", validators=[DataRequired("Tanggal wajib diisi.")])
    start = StringField("Mulai (WIB)", validators=[DataRequired("Jam mulai wajib diisi."), HHMM])
    end = StringField("Selesai (WIB)", validators=[DataRequired("Jam selesai wajib diisi."), HHMM])


class EndDutyForm(KinerjaForm):
    """End or remove one roster entry."""

    duty_id = HiddenField(validators=[DataRequired()])
