"""Form of the training catalogue (issue 23 part 6)."""

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from kinerja.models.evaluation import TrainingKind
from kinerja.services.training import MAX_HOURS
from portal.admin.service_forms import options
from portal.forms import KinerjaForm


class CourseForm(KinerjaForm):
    """A course of the training catalogue kept by BKPSDM."""

    name = StringField(
        "Nama pelatihan",
        validators=[
            InputRequired("Nama pelatihan wajib diisi."),
            Length(max=200, message="Paling banyak 200 karakter."),
        ],
    )
    kind = SelectField(
        "Jenis",
        choices=options([("", "Pilih jenis"), *TrainingKind.choices()]),
        validators=[InputRequired("Pilih jenis pelatihan.")],
    )
    provider = StringField(
        "Penyelenggara",
        validators=[
            InputRequired("Penyelenggara wajib diisi."),
            Length(max=160, message="Paling banyak 160 karakter."),
        ],
    )
    hours = IntegerField(
        "Jam pelajaran (JP)",
        validators=[
            InputRequired("Jumlah JP wajib diisi dengan bilangan bulat."),
            NumberRange(min=1, max=MAX_HOURS, message=f"Isi bilangan bulat 1 sampai {MAX_HOURS}."),
        ],
    )
    description = TextAreaField(
        "Uraian", validators=[Length(max=4000, message="Paling banyak 4.000 karakter.")]
    )
    active = BooleanField("Aktif (dapat dipilih dalam rencana pengembangan)", default=True)
