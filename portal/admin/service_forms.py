"""Forms of the service catalogue, CSV import and city days off."""

import re
from decimal import Decimal, InvalidOperation

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from kinerja.scoring import StandardUnit
from portal.forms import KinerjaForm, int_or_none


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def parse_fee(text: str) -> Decimal:
    """ "15.000" or "15000,50" → Decimal; raises ValueError for anything else."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return Decimal(0)
    if not re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d{1,2})?|\d+(,\d{1,2})?", text):
        raise ValueError(text)
    try:
        return Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None


class ServiceTypeForm(KinerjaForm):
    """A jenis layanan of a unit."""

    unit = SelectField(
        "Unit layanan", coerce=int_or_none, validators=[InputRequired("Pilih unit.")]
    )
    name = StringField(
        "Jenis layanan",
        validators=[
            InputRequired("Nama jenis layanan wajib diisi."),
            Length(max=160, message="Paling banyak 160 karakter."),
        ],
    )
    standard_value = IntegerField(
        "Standar waktu penyelesaian",
        validators=[
            InputRequired("Standar waktu wajib diisi dengan bilangan bulat."),
            NumberRange(min=1, max=100000, message="Isi bilangan bulat 1 sampai 100.000."),
        ],
    )
    standard_unit = SelectField(
        "Satuan standar",
        choices=options(StandardUnit.choices()),
        default=StandardUnit.HARI_KERJA.value,
    )
    requirements = TextAreaField(
        "Persyaratan", validators=[Length(max=4000, message="Paling banyak 4.000 karakter.")]
    )
    fee = StringField("Biaya (Rp)", default="0")
    active = BooleanField("Aktif (tampil di loket)", default=True)

    def validate_fee(self, field):
        """An amount in rupiah with Indonesian separators, 0 = gratis."""
        try:
            parse_fee(field.data)
        except ValueError:
            raise ValidationError("Biaya harus angka rupiah, misalnya 0 atau 15.000.") from None


class ImportForm(KinerjaForm):
    """Upload a CSV of requests for one unit (dry run first)."""

    unit = SelectField(
        "Unit layanan", coerce=int_or_none, validators=[InputRequired("Pilih unit.")]
    )
    berkas = FileField("Berkas CSV (paling besar 2 MB)")


class DayOffForm(KinerjaForm):
    """A city-specific day off."""

    date = DateField(
        "Tanggal",
        format="%Y-%m-%d",
        validators=[InputRequired("Isi tanggal (contoh: 2026-04-02).")],
        render_kw={"type": "date"},
    )
    name = StringField(
        "Keterangan",
        validators=[
            InputRequired("Keterangan wajib diisi."),
            Length(max=120, message="Paling banyak 120 karakter."),
        ],
    )
