"""Forms of the login pages."""

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from kinerja.nip import normalise
from portal.forms import KinerjaForm


def printable_only(value):
    """Drop control characters (NUL etc.) so they are never echoed back into the page."""
    if not isinstance(value, str):
        return value
    return "".join(c for c in value if c.isprintable())


def nip_characters(form, field):
    """A NIP holds digits (spaces allowed between groups)."""
    value = normalise(field.data or "")
    if value and not value.isdigit():
        raise ValidationError("NIP hanya boleh berisi angka.")
    if value and len(value) != 18:
        raise ValidationError(f"NIP terdiri dari 18 angka; yang Anda masukkan {len(value)}.")


class LoginForm(KinerjaForm):
    """NIP and password."""

    nip = StringField(
        "NIP / NI PPPK",
        filters=[printable_only],
        validators=[
            DataRequired("NIP wajib diisi."),
            Length(max=40, message="NIP terlalu panjang."),
            nip_characters,
        ],
    )
    password = PasswordField(
        "Kata sandi",
        validators=[
            DataRequired("Kata sandi wajib diisi."),
            Length(max=128, message="Kata sandi terlalu panjang."),
        ],
    )


class ChangePasswordForm(KinerjaForm):
    """Current password, new password twice."""

    current = PasswordField(
        "Kata sandi saat ini",
        validators=[DataRequired("Kata sandi saat ini wajib diisi."), Length(max=128)],
    )
    new = PasswordField(
        "Kata sandi baru",
        validators=[
            DataRequired("Kata sandi baru wajib diisi."),
            Length(max=128, message="Kata sandi maksimal 128 karakter."),
        ],
    )
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[DataRequired("Ulangi kata sandi baru."), Length(max=128)],
    )
