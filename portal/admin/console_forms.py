"""Forms of the BKPSDM admin console (units, employees, Plt/Plh, settings, periods)."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import DateField as _DateField
from wtforms import IntegerField as _IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kinerja import settings
from kinerja.enums import ActingKind, EmployeeStatus, JenisJabatan, Jenjang, UnitKind
from kinerja.ranks import GOLONGAN_PNS, GOLONGAN_PPPK
from portal.forms import KinerjaForm

REQUIRED = "Wajib diisi."


def choices(pairs, optgroup: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as SelectChoice objects (tuples are deprecated in WTForms)."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


class IntegerField(_IntegerField):
    """An integer field with an Indonesian message for non-numbers."""

    def process_formdata(self, valuelist):
        """Parse the number; Indonesian error when it is not one."""
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError as exc:
            self.data = None
            raise ValueError("Isi dengan bilangan bulat.") from exc


class DateField(_DateField):
    """A date field with an Indonesian message for bad dates."""

    def process_formdata(self, valuelist):
        """Parse YYYY-MM-DD; Indonesian error otherwise."""
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Tanggal tidak valid (format TTTT-BB-HH).") from exc


def _coerce_int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class UnitForm(KinerjaForm):
    """A new unit."""

    code = StringField(
        "Kode unit",
        validators=[DataRequired(REQUIRED), Length(max=40, message="Paling banyak 40 karakter.")],
    )
    name = StringField(
        "Nama unit",
        validators=[DataRequired(REQUIRED), Length(max=200, message="Paling banyak 200 karakter.")],
    )
    short_name = StringField(
        "Nama singkat", validators=[Optional(), Length(max=80, message="Paling banyak 80.")]
    )
    kind = SelectField("Jenis unit", choices=choices(UnitKind.choices()))
    parent_id = SelectField("Unit induk", coerce=_coerce_int_or_none, validate_choice=False)
    serves_public = BooleanField("Unit pelayanan publik")


class UnitEditForm(KinerjaForm):
    """Rename a unit, change its kind, mark public service."""

    name = StringField(
        "Nama unit",
        validators=[DataRequired(REQUIRED), Length(max=200, message="Paling banyak 200 karakter.")],
    )
    short_name = StringField(
        "Nama singkat", validators=[Optional(), Length(max=80, message="Paling banyak 80.")]
    )
    kind = SelectField("Jenis unit", choices=choices(UnitKind.choices()))
    serves_public = BooleanField("Unit pelayanan publik")


class UnitMoveForm(KinerjaForm):
    """Move a unit under another parent."""

    parent_id = SelectField("Pindahkan ke bawah", coerce=_coerce_int_or_none, validate_choice=False)


class EmployeeForm(KinerjaForm):
    """Edit an employee (the NIP is the key and is not edited)."""

    name = StringField(
        "Nama (tanpa gelar)",
        validators=[DataRequired(REQUIRED), Length(max=120, message="Paling banyak 120.")],
    )
    gelar_depan = StringField("Gelar depan", validators=[Optional(), Length(max=40)])
    gelar_belakang = StringField("Gelar belakang", validators=[Optional(), Length(max=60)])
    jabatan = StringField(
        "Jabatan", validators=[DataRequired(REQUIRED), Length(max=200, message="Terlalu panjang.")]
    )
    jenis_jabatan = SelectField("Jenis jabatan", choices=choices(JenisJabatan.choices()))
    jenjang = SelectField(
        "Jenjang (jabatan fungsional)", choices=choices([("", "—"), *Jenjang.choices()])
    )
    status = SelectField("Status ASN", choices=choices(EmployeeStatus.choices()))
    golongan = SelectField(
        "Golongan",
        choices=[
            *choices([(g, g) for g in GOLONGAN_PNS], "PNS"),
            *choices([(g, g) for g in GOLONGAN_PPPK], "PPPK"),
        ],
    )
    unit_id = SelectField("Unit kerja", coerce=_coerce_int_or_none, validate_choice=False)


class SupervisorForm(KinerjaForm):
    """Set the direct supervisor by NIP (empty clears it)."""

    supervisor_nip = StringField(
        "NIP atasan langsung",
        validators=[Optional(), Length(max=40, message="NIP terlalu panjang.")],
    )


class ActingForm(KinerjaForm):
    """Appoint a Plt/Plh for this supervisor."""

    acting_nip = StringField(
        "NIP pegawai yang ditunjuk", validators=[DataRequired(REQUIRED), Length(max=40)]
    )
    kind = SelectField("Jenis", choices=choices(ActingKind.choices()))
    start = DateField("Mulai", validators=[InputRequired("Tanggal mulai wajib diisi.")])
    end = DateField("Sampai", validators=[InputRequired("Tanggal selesai wajib diisi.")])
    note = TextAreaField("Catatan (nomor surat perintah)", validators=[Optional(), Length(max=500)])


class RosterUploadForm(KinerjaForm):
    """A roster file (CSV or XLSX)."""

    file = FileField("Berkas daftar pegawai (CSV atau XLSX)")


class YearForm(KinerjaForm):
    """Create a performance year with its periods and deadlines."""

    year = IntegerField(
        "Tahun",
        validators=[
            InputRequired("Tahun wajib diisi."),
            NumberRange(2000, 2100, "Tahun harus antara 2000 dan 2100."),
        ],
    )
    kind = SelectField(
        "Periode evaluasi", choices=choices([("TRIWULAN", "Triwulanan"), ("BULANAN", "Bulanan")])
    )
    skp_deadline = DateField("Batas penetapan SKP", validators=[Optional()])
    realisation_days = IntegerField(
        "Realisasi: hari setelah periode berakhir",
        default=5,
        validators=[InputRequired(REQUIRED), NumberRange(0, 60, "Antara 0 dan 60 hari.")],
    )
    self_assessment_days = IntegerField(
        "Penilaian diri: hari setelah periode berakhir",
        default=10,
        validators=[InputRequired(REQUIRED), NumberRange(0, 90, "Antara 0 dan 90 hari.")],
    )
    rating_days = IntegerField(
        "Penilaian atasan: hari setelah periode berakhir",
        default=20,
        validators=[InputRequired(REQUIRED), NumberRange(0, 120, "Antara 0 dan 120 hari.")],
    )


def settings_form_class(specs):
    """A form with one bounded integer field per setting."""

    class SettingsForm(KinerjaForm):
        """The configurable values."""

    for key, spec in specs.items():
        validators = [InputRequired("Wajib diisi dengan bilangan bulat.")]
        if spec.minimum is not None or spec.maximum is not None:
            validators.append(
                NumberRange(
                    spec.minimum,
                    spec.maximum,
                    f"Harus antara {spec.minimum} dan {spec.maximum}"
                    + (f"; {settings.PRIVACY_FLOOR_MESSAGE}" if spec.privacy_floor else "."),
                )
            )
        setattr(SettingsForm, key, IntegerField(spec.label, validators=validators))
    return SettingsForm
