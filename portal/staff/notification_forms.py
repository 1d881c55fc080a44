"""The notification preferences form (the checks are the use case's own)."""

from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice

from kinerja.enums import EmailMode
from portal.forms import KinerjaForm

MODE_HINTS = {
    EmailMode.HARIAN: "satu e-mail sehari berisi pemberitahuan yang belum Anda baca",
    EmailMode.SEGERA: "satu e-mail untuk setiap pemberitahuan, segera setelah ada",
    EmailMode.TIDAK: "pemberitahuan hanya tampil di portal",
}


class PreferencesForm(KinerjaForm):
    """How to receive notifications by e-mail, and the address."""

    email_mode = RadioField(
        "Kirim pemberitahuan lewat e-mail",
        choices=[SelectChoice(m.value, f"{m.label}: {MODE_HINTS[m]}") for m in EmailMode],
        validate_choice=False,
    )
    email = StringField("Alamat e-mail")
