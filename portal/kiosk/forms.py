"""Forms of the kiosk device pages."""

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.forms import KinerjaForm


class PairForm(KinerjaForm):
    """The one-time pairing code an admin gave for this device."""

    code = StringField(
        "Kode pemasangan",
        validators=[
            DataRequired("Kode pemasangan wajib diisi."),
            Length(max=20, message="Kode pemasangan terdiri dari 8 huruf/angka."),
        ],
    )
