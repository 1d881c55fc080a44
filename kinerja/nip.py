"""NIP (PNS) and NI PPPK: validation, parsing, formatting and builders (docs/spec/regulation.md §8).

Both numbers are 18 digits with no check digit, stored without separators:

- NIP (PNS, Perka BKN 22/2007): ``YYYYMMDD`` birth date, ``YYYYMM`` TMT CPNS, sex digit,
  3-digit sequence, displayed ``19860926 201505 1 001``.
- NI PPPK: ``YYYYMMDD`` birth date, ``YYYY`` appointment year, 2-digit code, sex digit,
  3-digit sequence, displayed ``19900101 2021 01 2 001`` (birth, year, code, sex,
  sequence) when the status is known.

Decisions where the regulation is vague:

- "At least ~17 years after birth" is compared by year and month, the day being ignored
  (that is the "~"): a PNS born 26 September 1986 may have TMT CPNS September 2003 or later.
  For PPPK only the year is known, so the appointment year must be >= birth year + 17.
- "Not in the future" is relative to ``today`` (default: today in WIB). The current month
  (PNS) or year (PPPK) is allowed; the birth date must not be after ``today`` either.
- The NI PPPK year must not be before :data:`PPPK_FIRST_YEAR` (the first PPPK were
  recruited in 2019 under PP 49/2018) and the code may be any of 01–99 (00 is rejected).
- Input is normalised by dropping separators only (whitespace, dots, commas, slashes,
  underscores, every kind of dash, zero-width characters); anything else that is not an
  ASCII digit, letters and non-ASCII digits included, is a ``DIGITS`` error.
- When a part cannot be read, the checks that depend on it are skipped: a wrong length
  or a non-digit stops everything; an invalid birth date skips the 17-year check.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kinerja.clock import today_wib
from kinerja.enums import EmployeeStatus, LabelledEnum
from kinerja.formatting import format_date, format_month

NIP_LENGTH = 18
MIN_AGE_AT_APPOINTMENT = 17
PPPK_FIRST_YEAR = 2019

# Characters people type or paste between digit groups; everything else is kept so that a
# stray letter is reported instead of silently dropped.
_SEPARATORS = frozenset(".,/_·\u200b\u200c\u200d\u2060\ufeff")
_DIGITS = frozenset("0123456789")


class NipPart(StrEnum):
    """Which part of the number failed; the value is the stable code in ``NipError.part``."""

    LENGTH = "LENGTH"
    DIGITS = "DIGITS"
    BIRTH_DATE = "BIRTH_DATE"
    TMT = "TMT"
    TMT_FUTURE = "TMT_FUTURE"
    TMT_TOO_EARLY = "TMT_TOO_EARLY"
    SEX = "SEX"
    SEQUENCE = "SEQUENCE"
    YEAR = "YEAR"
    CODE = "CODE"


class Sex(LabelledEnum):
    """Sex as encoded in digit 15 (1 = laki-laki, 2 = perempuan)."""

    L = "L", "Laki-laki"
    P = "P", "Perempuan"


_SEX_DIGIT = {Sex.L: "1", Sex.P: "2"}
_SEX_BY_DIGIT = {digit: sex for sex, digit in _SEX_DIGIT.items()}


class NipError(ValueError):
    """A NIP / NI PPPK failed one check; ``part`` says which, ``message`` says why."""

    def __init__(self, part: NipPart | str, message: str) -> None:
        super().__init__(message)
        self.part = NipPart(part)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"NipError(part={self.part.value!r}, message={self.message!r})"

    def __reduce__(self):
        return (type(self), (self.part, self.message))


@dataclass(frozen=True, slots=True)
class ParsedNip:
    """A validated NIP / NI PPPK split into its parts.

    ``tmt`` (first of the month) is set for PNS only, ``code`` for PPPK only;
    ``appointment_year`` is set for both (for PNS it is the TMT CPNS year).
    """

    nip: str
    kind: EmployeeStatus
    birth_date: date
    appointment_year: int
    sex: Sex
    sequence: int
    tmt: date | None = None
    code: str | None = None

    @property
    def formatted(self) -> str:
        """The number grouped for display."""
        return format_nip(self.nip, self.kind)


def normalise(raw: str) -> str:
    """The input without separators (spaces, dots, dashes…); letters are kept."""
    return "".join(c for c in (raw or "") if not _is_separator(c))


def validate_nip(raw: str, today: date | None = None) -> ParsedNip:
    """Parse a PNS NIP, raising the first :class:`NipError` found."""
    return _parse_or_raise(raw, EmployeeStatus.PNS, today)


def validate_ni_pppk(raw: str, today: date | None = None) -> ParsedNip:
    """Parse an NI PPPK, raising the first :class:`NipError` found."""
    return _parse_or_raise(raw, EmployeeStatus.PPPK, today)


def validate_employee_number(
    raw: str, status: EmployeeStatus | str, today: date | None = None
) -> ParsedNip:
    """Parse a NIP or an NI PPPK according to the employee's status."""
    return _parse_or_raise(raw, EmployeeStatus(status), today)


def validate_all(
    raw: str, status: EmployeeStatus | str, today: date | None = None
) -> list[NipError]:
    """Every failed check, in digit order (empty when the number is valid)."""
    return _inspect(raw, EmployeeStatus(status), today)[1]


def format_nip(nip: str, status: EmployeeStatus | str | None = None) -> str:
    """Group an 18-digit number for display; anything else is returned unchanged.

    PNS (and unknown status): ``19860926 201505 1 001``;
    PPPK: ``19900101 2021 01 2 001``. Only the shape is checked, not the dates.
    """
    d = normalise(nip)
    if len(d) != NIP_LENGTH or not _DIGITS.issuperset(d):
        return nip
    if status is not None and EmployeeStatus(status) is EmployeeStatus.PPPK:
        return f"{d[:8]} {d[8:12]} {d[12:14]} {d[14]} {d[15:]}"
    return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"


def make_nip(birth: date, tmt_year: int, tmt_month: int, sex: str, seq: int) -> str:
    """Build a PNS NIP from its parts (each part must fit; cross-part rules are not checked)."""
    _require(1 <= tmt_year <= 9999, f"tmt_year out of range: {tmt_year}")
    _require(1 <= tmt_month <= 12, f"tmt_month out of range: {tmt_month}")
    return f"{_ymd(birth)}{tmt_year:04d}{tmt_month:02d}{_sex_digit(sex)}{_sequence(seq)}"


def make_ni_pppk(birth: date, year: int, code: int | str, sex: str, seq: int) -> str:
    """Build an NI PPPK from its parts (each part must fit; cross-part rules are not checked)."""
    _require(1 <= year <= 9999, f"year out of range: {year}")
    code_number = int(code)
    _require(1 <= code_number <= 99, f"code out of range: {code}")
    return f"{_ymd(birth)}{year:04d}{code_number:02d}{_sex_digit(sex)}{_sequence(seq)}"


# --- internals -----------------------------------------------------------------------


def _is_separator(c: str) -> bool:
    return c.isspace() or c in _SEPARATORS or unicodedata.category(c) == "Pd"


def _parse_or_raise(raw: str, status: EmployeeStatus, today: date | None) -> ParsedNip:
    parsed, errors = _inspect(raw, status, today)
    if errors:
        raise errors[0]
    assert parsed is not None
    return parsed


def _inspect(
    raw: str, status: EmployeeStatus, today: date | None
) -> tuple[ParsedNip | None, list[NipError]]:
    """Run every check that can run; return the parsed number only when all pass."""
    label = "NIP" if status is EmployeeStatus.PNS else "NI PPPK"
    if today is None:
        today = today_wib()
    elif isinstance(today, datetime):
        today = today.date()  # a datetime would not compare with the birth date

    text = normalise(raw)
    errors = _check_shape(text, label)
    if errors:
        return None, errors

    birth = _check_birth(text, label, today, errors)
    if status is EmployeeStatus.PNS:
        tmt = _check_tmt(text, birth, today, errors)
        year = tmt.year if tmt else None
        code = None
    else:
        tmt = None
        year = _check_year(text, birth, today, errors)
        code = _check_code(text, errors)
    sex = _check_sex(text, errors)
    sequence = _check_sequence(text, errors)

    if errors:
        return None, errors
    assert birth is not None and year is not None and sex is not None
    parsed = ParsedNip(
        nip=text,
        kind=status,
        birth_date=birth,
        appointment_year=year,
        sex=sex,
        sequence=sequence,
        tmt=tmt,
        code=code,
    )
    return parsed, []


def _check_shape(text: str, label: str) -> list[NipError]:
    errors = []
    bad = list(dict.fromkeys(c for c in text if c not in _DIGITS))
    if bad:
        shown = ", ".join(_show_char(c) for c in bad[:5])
        more = " dan lainnya" if len(bad) > 5 else ""
        errors.append(
            NipError(
                NipPart.DIGITS,
                f"{label} hanya boleh berisi angka; ditemukan karakter tidak sah: {shown}{more}.",
            )
        )
    if not text:
        errors.append(NipError(NipPart.LENGTH, f"{label} wajib diisi ({NIP_LENGTH} angka)."))
    elif len(text) != NIP_LENGTH:
        unit = "karakter" if bad else "angka"
        errors.append(
            NipError(
                NipPart.LENGTH,
                f"{label} harus terdiri dari {NIP_LENGTH} angka; "
                f"yang dimasukkan {len(text)} {unit}.",
            )
        )
    return errors


def _check_birth(text: str, label: str, today: date, errors: list[NipError]) -> date | None:
    try:
        birth = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        errors.append(
            NipError(
                NipPart.BIRTH_DATE,
                f"Tanggal lahir pada {label} (digit 1–8) bukan tanggal yang valid: {text[:8]}.",
            )
        )
        return None
    if birth > today:
        errors.append(
            NipError(
                NipPart.BIRTH_DATE,
                f"Tanggal lahir pada {label} ({_tanggal(birth)}) tidak boleh di masa depan.",
            )
        )
    return birth


def _check_tmt(text: str, birth: date | None, today: date, errors: list[NipError]) -> date | None:
    year, month = int(text[8:12]), int(text[12:14])
    if year < 1 or not 1 <= month <= 12:
        errors.append(
            NipError(
                NipPart.TMT,
                f"TMT CPNS pada NIP (digit 9–14) harus bulan yang valid (YYYYMM): {text[8:14]}.",
            )
        )
        return None
    if (year, month) > (today.year, today.month):
        errors.append(
            NipError(
                NipPart.TMT_FUTURE,
                f"TMT CPNS ({_bulan(year, month)}) tidak boleh di masa depan.",
            )
        )
    if birth is not None:
        earliest = (birth.year + MIN_AGE_AT_APPOINTMENT, birth.month)
        if (year, month) < earliest:
            errors.append(
                NipError(
                    NipPart.TMT_TOO_EARLY,
                    f"TMT CPNS harus sekurang-kurangnya {MIN_AGE_AT_APPOINTMENT} tahun setelah "
                    f"tanggal lahir ({_tanggal(birth)}): paling awal {_bulan(*earliest)}, "
                    f"bukan {_bulan(year, month)}.",
                )
            )
    return date(year, month, 1)


def _check_year(text: str, birth: date | None, today: date, errors: list[NipError]) -> int | None:
    year = int(text[8:12])
    ok = True
    if year > today.year:
        ok = False
        errors.append(
            NipError(
                NipPart.YEAR,
                f"Tahun pengangkatan pada NI PPPK (digit 9–12) tidak boleh di masa depan: "
                f"{text[8:12]}.",
            )
        )
    elif year < PPPK_FIRST_YEAR:
        ok = False
        errors.append(
            NipError(
                NipPart.YEAR,
                f"Tahun pengangkatan pada NI PPPK (digit 9–12) tidak boleh sebelum "
                f"{PPPK_FIRST_YEAR} (awal pengangkatan PPPK): {text[8:12]}.",
            )
        )
    if birth is not None and year < birth.year + MIN_AGE_AT_APPOINTMENT:
        ok = False
        errors.append(
            NipError(
                NipPart.YEAR,
                f"Tahun pengangkatan PPPK ({text[8:12]}) harus sekurang-kurangnya "
                f"{MIN_AGE_AT_APPOINTMENT} tahun setelah tahun lahir ({birth.year}): "
                f"paling awal {birth.year + MIN_AGE_AT_APPOINTMENT}.",
            )
        )
    return year if ok else None


def _check_code(text: str, errors: list[NipError]) -> str | None:
    code = text[12:14]
    if code == "00":
        errors.append(
            NipError(NipPart.CODE, f"Kode pada NI PPPK (digit 13–14) harus 01–99, bukan {code}.")
        )
        return None
    return code


def _check_sex(text: str, errors: list[NipError]) -> Sex | None:
    digit = text[14]
    if digit not in _SEX_BY_DIGIT:
        errors.append(
            NipError(
                NipPart.SEX,
                "Digit jenis kelamin (digit 15) harus 1 (laki-laki) atau 2 (perempuan), "
                f"bukan {digit}.",
            )
        )
        return None
    return _SEX_BY_DIGIT[digit]


def _check_sequence(text: str, errors: list[NipError]) -> int:
    sequence = int(text[15:18])
    if sequence == 0:
        errors.append(
            NipError(
                NipPart.SEQUENCE, f"Nomor urut (digit 16–18) harus 001–999, bukan {text[15:]}."
            )
        )
    return sequence


def _show_char(c: str) -> str:
    return f"'{c}'" if c.isprintable() else f"U+{ord(c):04X}"


def _tanggal(d: date) -> str:
    return format_date(d)


def _bulan(year: int, month: int) -> str:
    return format_month(date(year, month, 1))


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _ymd(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _sex_digit(sex: str) -> str:
    return _SEX_DIGIT[Sex(sex)]


def _sequence(seq: int) -> str:
    _require(1 <= seq <= 999, f"seq out of range: {seq}")
    return f"{seq:03d}"
