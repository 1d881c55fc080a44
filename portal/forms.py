"""The base form of the portal: every WTForms message in formal Indonesian.

WTForms ships no Indonesian translation, so its built-in messages ("Not a valid choice.",
"Not a valid date value.", "This field is required." …) would reach the page in English
whenever a form does not give its own. :class:`KinerjaForm` hands WTForms a translations
object that answers every WTForms message id in Indonesian, and anything it does not know
with a neutral Indonesian message, so no English text can reach the person.
"""

from flask_wtf import FlaskForm

FALLBACK = "Isian tidak valid."

MESSAGES = {
    "Invalid field name '%s'.": "Nama isian '%s' tidak dikenal.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be at least %(min)d character long.": "Isian minimal %(min)d karakter.",
    "Field must be at least %(min)d characters long.": "Isian minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Isian maksimal %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Isian maksimal %(max)d karakter.",
    "Field must be exactly %(max)d character long.": "Isian harus tepat %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Isian harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.": (
        "Isian harus %(min)d sampai %(max)d karakter."
    ),
    "Number must be at least %(min)s.": "Angka minimal %(min)s.",
    "Number must be at most %(max)s.": "Angka maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "Date must be at least %(min)s.": "Tanggal paling awal %(min)s.",
    "Date must be at most %(max)s.": "Tanggal paling akhir %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Tanggal harus antara %(min)s dan %(max)s.",
    "This field is required.": "Isian ini wajib diisi.",
    "Invalid input.": "Isian tidak valid.",
    "Invalid email address.": "Alamat surel tidak valid.",
    "Invalid IP address.": "Alamat IP tidak valid.",
    "Invalid Mac address.": "Alamat MAC tidak valid.",
    "Invalid URL.": "Alamat URL tidak valid.",
    "Invalid UUID.": "UUID tidak valid.",
    "Invalid value, must be one of: %(values)s.": "Nilai harus salah satu dari: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Nilai tidak boleh salah satu dari: %(values)s.",
    "This field cannot be edited.": "Isian ini tidak dapat diubah.",
    "This field is disabled and cannot have a value.": "Isian ini nonaktif dan tidak boleh diisi.",
    "Invalid CSRF Token.": "Token formulir tidak valid. Muat ulang halaman lalu coba lagi.",
    "CSRF token missing.": "Token formulir tidak ada. Muat ulang halaman lalu coba lagi.",
    "CSRF failed.": "Pemeriksaan token formulir gagal. Muat ulang halaman lalu coba lagi.",
    "CSRF token expired.": "Token formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "Invalid Choice: could not coerce.": "Pilihan tidak valid.",
    "Choices cannot be None.": "Pilihan tidak tersedia.",
    "Not a valid choice.": "Pilihan tidak valid.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Pilihan tidak valid.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' bukan pilihan yang valid.",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' bukan pilihan yang valid.",
    "Not a valid datetime value.": "Tanggal dan jam tidak valid.",
    "Not a valid date value.": "Tanggal tidak valid.",
    "Not a valid time value.": "Jam tidak valid.",
    "Not a valid week value.": "Minggu tidak valid.",
    "Not a valid integer value.": "Isian harus berupa bilangan bulat.",
    "Not a valid decimal value.": "Isian harus berupa angka.",
    "Not a valid float value.": "Isian harus berupa angka.",
}


class IndonesianTranslations:
    """The ``gettext``/``ngettext`` WTForms asks its field messages from."""

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string, FALLBACK)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return MESSAGES.get(singular if n == 1 else plural, FALLBACK)


TRANSLATIONS = IndonesianTranslations()


class KinerjaForm(FlaskForm):
    """Every form of the portal: Flask-WTF (CSRF) with Indonesian WTForms messages."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


def int_or_none(value):
    """Coerce a select's value to an int; the empty placeholder option ("— Pilih … —") is None."""
    if value in ("", None):
        return None
    return int(value)
