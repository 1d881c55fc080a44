"""Reading a roster file (CSV or XLSX) into rows: the accepted column headings, the
downloadable template, and file-level problems as :class:`RosterFileError`
(docs/spec/product.md §7). Validation and the upsert are in :mod:`kinerja.imports.roster`.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from kinerja.formatting import csv_text

MAX_ROWS = 50_000

# Canonical column → accepted header spellings (compared after header_key()).
ALIASES: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nip_baru", "ni_pppk", "nip_ni_pppk", "nomor_induk", "nip/ni_pppk"),
    "nama": ("nama", "nama_lengkap", "nama_pegawai", "name"),
    "gelar_depan": ("gelar_depan", "gelar_dpn"),
    "gelar_belakang": ("gelar_belakang", "gelar_blk"),
    "jabatan": ("jabatan", "nama_jabatan"),
    "jenis_jabatan": ("jenis_jabatan", "jenis", "jenis_jab"),
    "jenjang": ("jenjang", "jenjang_jabatan"),
    "golongan": ("golongan", "gol", "golongan_ruang", "gol_ruang", "pangkat_golongan"),
    "status": ("status", "status_pegawai", "status_asn", "jenis_asn"),
    "kode_unit": ("kode_unit", "unit", "kode_unit_kerja", "unit_kerja", "kode_satker"),
    "nip_atasan": ("nip_atasan", "atasan", "nip_atasan_langsung", "nip_pejabat_penilai"),
    "aktif": ("aktif", "active", "status_aktif"),
}
REQUIRED = ("nip", "nama", "jabatan", "jenis_jabatan", "golongan", "kode_unit")
# The header row of a roster as BKPSDM's template writes it (one accepted spelling each).
TEMPLATE_HEADER = (
    "NIP",
    "Nama",
    "Gelar Depan",
    "Gelar Belakang",
    "Jabatan",
    "Jenis Jabatan",
    "Jenjang",
    "Golongan",
    "Status",
    "Kode Unit",
    "NIP Atasan",
    "Aktif",
)
# The sample rows of the downloadable template, one value under each heading of
# TEMPLATE_HEADER: a head without a supervisor and one employee under that head. The unit
# code is filled in by :func:`template_csv` (a unit that exists), so the template as
# downloaded passes the dry run.
TEMPLATE_SAMPLE = (
    ("197001011995031002", "Rahmat Situmorang", "", "S.Sos", "Kepala Badan", "JPT", "",
     "IV/c", "PNS", "{unit}", "", "ya"),
    ("198609262015051001", "Budi Harahap", "Drs.", "M.Si", "Analis Kepegawaian",
     "Fungsional", "Ahli Pertama", "III/c", "PNS", "{unit}", "197001011995031002", "ya"),
)  # fmt: skip
COLUMN_LABELS = {
    "nip": "NIP",
    "nama": "nama",
    "jabatan": "jabatan",
    "jenis_jabatan": "jenis jabatan",
    "golongan": "golongan",
    "kode_unit": "kode unit",
}


class RosterFileError(ValueError):
    """The file as a whole cannot be read (format, headers, size)."""


class _FloatNip(str):
    """A NIP cell Excel stored as a number (the last digits are already lost)."""


@dataclass
class RosterRow:
    """One data row as read from the file (``line`` is the spreadsheet row number)."""

    line: int
    nip: str
    nama: str = ""
    gelar_depan: str = ""
    gelar_belakang: str = ""
    jabatan: str = ""
    jenis_jabatan: str = ""
    jenjang: str = ""
    golongan: str = ""
    status: str = ""
    kode_unit: str = ""
    nip_atasan: str = ""
    aktif: str = ""
    nip_is_float: bool = False
    # Cells in this row and headings in the header row, when they differ (else 0).
    column_count: int = 0
    header_names: tuple = ()


# --- Reading ------------------------------------------------------------------------------


def header_key(text) -> str:
    """A heading or enum text in comparable form (lower case, separators as ``_``)."""
    key = str(text or "").strip().lower()
    for ch in " -.\u00a0":
        key = key.replace(ch, "_")
    while "__" in key:
        key = key.replace("__", "_")
    return key.strip("_")


_LOOKUP = {header_key(alias): canon for canon, names in ALIASES.items() for alias in names}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return _FloatNip(f"{value:.0f}")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _rows_xlsx(content: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file
        raise RosterFileError("Berkas XLSX tidak dapat dibaca (rusak atau bukan XLSX).") from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        workbook.close()


def _rows_csv(content: bytes) -> Iterator[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            yield [v.strip() for v in values]
    except csv.Error as exc:
        raise RosterFileError(
            f"Berkas CSV tidak dapat dibaca pada baris {reader.line_num}: format kutip atau "
            "pemisah baris tidak valid."
        ) from exc


def is_xlsx(content: bytes) -> bool:
    """Whether the bytes look like an XLSX (ZIP) file."""
    return content[:4] == b"PK\x03\x04"


def parse(content: bytes, filename: str = "") -> list[RosterRow]:
    """Read the rows of a CSV or XLSX roster, mapping columns by their header."""
    if not content:
        raise RosterFileError("Berkas kosong.")
    source = _rows_xlsx(content) if is_xlsx(content) else _rows_csv(content)
    columns: dict[int, str] | None = None
    header: tuple = ()
    rows: list[RosterRow] = []
    for line, values in enumerate(source, start=1):
        if not any(values):
            continue
        if columns is None:
            columns = _map_header(values)
            header = tuple(_trimmed(values))
            continue
        data = {columns[i]: v for i, v in enumerate(values) if i in columns}
        raw_nip = data.get("nip", "")
        row = RosterRow(line=line, **{k: str(v) for k, v in data.items()})
        row.nip_is_float = isinstance(raw_nip, _FloatNip)
        filled = len(_trimmed(values))
        if filled > len(header) or len(values) < len(header):
            # More cells than headings, or a row cut short: the values stand under the
            # wrong headings (named in validate instead of misleading field errors).
            row.column_count = filled if filled > len(header) else len(values)
            row.header_names = header
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise RosterFileError(f"Berkas memuat lebih dari {MAX_ROWS} baris data.")
    if columns is None:
        raise RosterFileError("Berkas tidak memuat baris judul kolom.")
    return rows


def template_csv(unit_code: str) -> bytes:
    """The downloadable template: the header and the sample rows (unit ``unit_code``) as
    CSV in the Indonesian Excel dialect, every row as many cells as headings."""
    rows = [[v.replace("{unit}", unit_code) for v in sample] for sample in TEMPLATE_SAMPLE]
    return csv_text(TEMPLATE_HEADER, rows).encode("utf-8")


def _trimmed(values: list) -> list:
    """The cells of a row without the empty ones at its end."""
    values = list(values)
    while values and not str(values[-1]).strip():
        values.pop()
    return values


def column_count_problem(row: RosterRow) -> str:
    """Why a row whose cell count differs from the header cannot be read."""
    names = ", ".join(str(n) for n in row.header_names)
    return (
        f"berisi {row.column_count} kolom; baris judul (templat) memiliki "
        f"{len(row.header_names)} kolom: {names}. Periksa nilai yang hilang atau berlebih "
        "(setiap kolom harus ada, biarkan kosong bila tidak diisi)"
    )


def _map_header(values: list) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, text in enumerate(values):
        canon = _LOOKUP.get(header_key(text))
        if canon is None:
            continue
        if canon in columns.values():
            raise RosterFileError(f"Kolom '{canon}' muncul lebih dari sekali pada baris judul.")
        columns[index] = canon
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in columns.values()]
    if missing:
        raise RosterFileError(
            "Kolom wajib tidak ditemukan pada baris judul: "
            + ", ".join(missing)
            + ". Judul kolom yang dikenali: "
            + ", ".join(ALIASES)
            + "."
        )
    return columns
