"""Pure parsing and checking of a CSV of service requests (docs/spec/product.md §4).

No database here: :func:`read` turns the file into rows (headers mapped case-insensitively
with Indonesian and English aliases), :func:`check` validates every row against lookups
the caller provides (the unit's service types, employees by NIP, requests that already
exist by reference) and returns every row error in Indonesian with its row number.
Nothing here raises on bad input; every problem becomes a :class:`RowError`.

Times in the file are WIB wall-clock times ("2026-11-29 08:15" or "29/11/2026 08.15");
they come out as naive UTC, the storage convention.
"""

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kinerja.clock import WIB

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20000
MAX_ERRORS_LISTED = 1000

# canonical column → accepted header spellings (compared lower-case, spaces and dashes as _)
ALIASES: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "ref", "nomor", "no", "nomor_permohonan", "no_permohonan"),
    "service": ("service", "layanan", "jenis_layanan", "service_type"),
    "received": ("received", "diterima", "waktu_terima", "tanggal_terima", "received_at"),
    "completed": ("completed", "selesai", "waktu_selesai", "tanggal_selesai", "completed_at"),
    "handler_nip": ("handler_nip", "nip_petugas", "nip", "petugas_nip", "handler"),
    "rework": ("rework", "perbaikan", "dikembalikan", "dikembalikan_untuk_perbaikan"),
}
REQUIRED = ("reference", "service", "received")
COLUMN_LABELS = {
    "reference": "nomor",
    "service": "layanan",
    "received": "diterima",
    "completed": "selesai",
    "handler_nip": "nip_petugas",
    "rework": "perbaikan",
}
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "benar"}
FALSE_WORDS = {"tidak", "t", "n", "no", "false", "0", "salah", ""}
MAX_REFERENCE = 60

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$")
_ID = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$")


@dataclass(frozen=True)
class RowError:
    """One problem, with the file row it is on (1 = the header row; 0 = the whole file)."""

    row: int
    message: str

    def text(self) -> str:
        """ "Baris 3: …" or the message alone for file-level problems."""
        return f"Baris {self.row}: {self.message}" if self.row else self.message


@dataclass(frozen=True)
class RawRow:
    """A data row: its row number in the file and its cells by canonical column."""

    row: int
    cells: Mapping[str, str]


@dataclass
class Table:
    """The readable part of a file: rows by canonical column, and file-level errors."""

    rows: list[RawRow] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class ExistingRequest:
    """A request already stored under a reference (to compare with a file row)."""

    service_type_id: int
    received_at: datetime
    completed_at: datetime | None
    handler_id: int | None
    rework: bool


def _minute(moment: datetime | None) -> datetime | None:
    # Files carry minutes (seconds at most); the counter stores microseconds.
    return moment.replace(second=0, microsecond=0) if moment is not None else None


@dataclass(frozen=True)
class ParsedRow:
    """A valid row, ready to store (times naive UTC)."""

    row: int
    reference: str
    service_type_id: int
    received_at: datetime
    completed_at: datetime | None
    handler_id: int | None
    rework: bool

    def same_as(self, other: ExistingRequest) -> bool:
        """Whether the stored request holds exactly this row's data."""
        return (
            self.service_type_id == other.service_type_id
            and _minute(self.received_at) == _minute(other.received_at)
            and _minute(self.completed_at) == _minute(other.completed_at)
            and self.handler_id == other.handler_id
            and self.rework == bool(other.rework)
        )


@dataclass
class CheckResult:
    """The dry run: rows to insert, rows already stored identically, every error."""

    new: list[ParsedRow] = field(default_factory=list)
    unchanged: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        """Whether the file may be imported (no error at all)."""
        return not self.errors


def normalise_header(text: str) -> str:
    """Header text as compared with the aliases: lower-case, spaces/dashes as ``_``."""
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").lower())


def normalise_name(text: str) -> str:
    """A service name as compared: lower-case, inner whitespace collapsed."""
    return " ".join(text.split()).casefold()


def normalise_nip(text: str) -> str:
    """A NIP as written in a file: spaces and dots removed."""
    return re.sub(r"[\s.]", "", text)


def _column_of(header: str) -> str | None:
    key = normalise_header(header)
    for column, names in ALIASES.items():
        if key in names:
            return column
    return None


def decode(content: bytes | str) -> tuple[str | None, list[RowError]]:
    """The file as text (UTF-8, with or without BOM), or an error."""
    if isinstance(content, str):
        return content, []
    if len(content) > MAX_BYTES:
        return None, [RowError(0, "Berkas lebih besar dari 2 MB.")]
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [
            RowError(0, "Berkas bukan teks UTF-8. Simpan ulang sebagai CSV UTF-8 lalu unggah lagi.")
        ]


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read(content: bytes | str) -> Table:
    """Read the CSV into rows by canonical column; header problems are file errors."""
    table = Table()
    text, errors = decode(content)
    if text is None:
        table.errors = errors
        return table
    text = text.replace("\x00", "")
    if not text.strip():
        table.errors = [RowError(0, "Berkas kosong: tidak ada baris judul kolom.")]
        return table
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.splitlines() else ""
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
        lines = list(reader)
    except csv.Error as error:
        table.errors = [RowError(0, f"Berkas CSV tidak dapat dibaca: {error}.")]
        return table
    if not lines:
        table.errors = [RowError(0, "Berkas kosong: tidak ada baris judul kolom.")]
        return table
    header = lines[0]
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = _column_of(cell)
        if column is None:
            continue
        if column in positions:
            table.errors.append(
                RowError(1, f"Kolom {COLUMN_LABELS[column]!r} muncul lebih dari sekali.")
            )
            continue
        positions[column] = index
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in positions]
    if missing:
        table.errors.append(
            RowError(
                1,
                "Kolom wajib tidak ada: "
                + ", ".join(missing)
                + ". Judul kolom yang dikenal: nomor/reference, layanan/service, "
                "diterima/received, selesai/completed, nip_petugas/handler_nip, "
                "perbaikan/rework.",
            )
        )
    table.columns = tuple(positions)
    if table.errors:
        return table
    data = lines[1:]
    if len(data) > MAX_ROWS:
        table.errors.append(RowError(0, f"Terlalu banyak baris: paling banyak {MAX_ROWS}."))
        return table
    for offset, cells in enumerate(data, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {
            column: (cells[index].strip() if index < len(cells) else "")
            for column, index in positions.items()
        }
        table.rows.append(RawRow(offset, values))
    return table


def parse_time(text: str) -> datetime | None:
    """A WIB wall-clock time in ISO or Indonesian form → naive UTC; None if unreadable."""
    text = " ".join(text.split())
    match = _ISO.match(text)
    if match:
        year, month, day, hour, minute, second = match.groups()
    else:
        match = _ID.match(text)
        if not match:
            return None
        day, month, year, hour, minute, second = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=WIB,
        )
    except ValueError:
        return None
    if moment.year < 2000:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None)


def parse_bool(text: str) -> bool | None:
    """ "ya"/"tidak" (and English, 1/0) → bool; None if unreadable."""
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def check(
    table: Table,
    *,
    services: Mapping[str, int],
    handlers: Mapping[str, int],
    existing: Mapping[str, ExistingRequest],
    now: datetime,
) -> CheckResult:
    """Validate every row; collect every error with its row number (dry run).

    ``services`` maps :func:`normalise_name` of a service name to its id, ``handlers`` maps
    a NIP to an employee id, ``existing`` maps a reference already stored in the unit to its
    data. ``now`` (naive UTC) rejects times in the future.
    """
    result = CheckResult(errors=list(table.errors), row_count=len(table.rows))
    seen: dict[str, int] = {}
    for raw in table.rows:
        errors: list[str] = []
        cells = raw.cells
        reference = cells.get("reference", "")
        if not reference:
            errors.append("nomor permohonan kosong")
        elif len(reference) > MAX_REFERENCE:
            errors.append(f"nomor permohonan lebih dari {MAX_REFERENCE} karakter")
        elif reference in seen:
            errors.append(f"nomor {reference!r} sama dengan baris {seen[reference]} di berkas ini")
        else:
            seen[reference] = raw.row

        service_name = cells.get("service", "")
        service_id = services.get(normalise_name(service_name))
        if not service_name:
            errors.append("jenis layanan kosong")
        elif service_id is None:
            errors.append(f"jenis layanan {service_name!r} tidak dikenal di unit ini")

        received = None
        received_text = cells.get("received", "")
        if not received_text:
            errors.append("waktu diterima kosong")
        else:
            received = parse_time(received_text)
            if received is None:
                errors.append(
                    f"waktu diterima {received_text!r} tidak terbaca "
                    "(contoh: 2026-11-29 08:15 atau 29/11/2026 08.15)"
                )
            elif received > now:
                errors.append("waktu diterima ada di masa depan")

        completed = None
        completed_text = cells.get("completed", "")
        if completed_text:
            completed = parse_time(completed_text)
            if completed is None:
                errors.append(
                    f"waktu selesai {completed_text!r} tidak terbaca "
                    "(contoh: 2026-11-29 10:30 atau 29/11/2026 10.30)"
                )
            elif received is not None and completed < received:
                errors.append("waktu selesai sebelum waktu diterima")
            elif completed > now:
                errors.append("waktu selesai ada di masa depan")

        handler_id = None
        nip = normalise_nip(cells.get("handler_nip", ""))
        if nip:
            handler_id = handlers.get(nip)
            if handler_id is None:
                errors.append(f"NIP petugas {nip!r} tidak dikenal")

        rework = parse_bool(cells.get("rework", ""))
        if rework is None:
            errors.append(
                f"nilai perbaikan {cells.get('rework', '')!r} tidak dikenal (isi ya atau tidak)"
            )
        elif rework and not completed_text:
            errors.append("permohonan yang belum selesai tidak dapat ditandai perbaikan")

        if errors:
            result.errors.append(RowError(raw.row, "; ".join(errors) + "."))
            continue
        parsed = ParsedRow(
            row=raw.row,
            reference=reference,
            service_type_id=service_id,
            received_at=received,
            completed_at=completed,
            handler_id=handler_id,
            rework=bool(rework),
        )
        stored = existing.get(reference)
        if stored is None:
            result.new.append(parsed)
        elif parsed.same_as(stored):
            result.unchanged.append(parsed)
        else:
            result.errors.append(
                RowError(
                    raw.row,
                    f"nomor {reference!r} sudah tersimpan dengan data berbeda; "
                    "data lama tidak ditimpa oleh impor.",
                )
            )
    return result
