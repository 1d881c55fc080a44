"""Forms of the admin kiosk pages."""

from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kinerja.models.kiosk import WEEKDAYS
from portal.forms import KinerjaForm, int_or_none


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class KioskForm(KinerjaForm):
    """Register or edit a kiosk."""

    unit_id = SelectField(
        "Unit layanan", coerce=int_or_none, validators=[DataRequired("Pilih unit.")]
    )
    name = StringField(
        "Nama kios",
        validators=[
            DataRequired("Nama kios wajib diisi."),
            Length(max=120, message="Nama kios paling banyak 120 karakter."),
        ],
    )
    counter = StringField(
        "Loket (tidak wajib)",
        validators=[Optional(), Length(max=80, message="Nama loket paling banyak 80 karakter.")],
    )
    service_type_ids = MultiCheckboxField("Jenis layanan di loket ini", coerce=int, choices=[])


class HoursForm(KinerjaForm):
    """Opening hours per weekday (WIB); a day left empty is closed."""


for _i, _day in enumerate(WEEKDAYS):
    setattr(HoursForm, f"start_{_i}", StringField(f"{_day}: buka", validators=[Optional()]))
    setattr(HoursForm, f"end_{_i}", StringField(f"{_day}: tutup", validators=[Optional()]))


class ConfirmForm(KinerjaForm):
    """A CSRF-protected confirmation (revoke, new pairing code)."""
