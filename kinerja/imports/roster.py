"""Roster import from CSV or XLSX: header mapping, a dry run listing every row error in
Indonesian, and an all-or-nothing upsert by NIP (docs/spec/product.md §7).

The flow is ``parse()`` (file → rows, file-level problems raise :class:`RosterFileError`),
``validate()`` (rows against the database → :class:`RosterReport`) and ``apply()`` (one
transaction; validates again inside it). Employees missing from the file are left alone:
a roster may cover one OPD only; deactivation is explicit (column ``aktif``).

Import jobs (:class:`kinerja.models.admin.ImportJob`) keep the file and write their
progress to the database so any process can show it.
"""

import csv
import io
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from peewee import JOIN, fn

from kinerja.clock import utcnow
from kinerja.db import database, is_sqlite, write_tx
from kinerja.enums import EmployeeStatus, JenisJabatan, Jenjang
from kinerja.formatting import csv_text
from kinerja.models.admin import ImportJob
from kinerja.models.org import Employee, Unit
from kinerja.nip import format_nip, normalise, validate_all
from kinerja.ranks import is_valid_golongan
from kinerja.services import audit

MAX_ROWS = 50_000
CHUNK = 500
PROGRESS_EVERY = 250

# Canonical column → accepted header spellings (compared after _header_key()).
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

_YES = {"ya", "y", "1", "true", "aktif", "benar", "iya"}
_NO = {"tidak", "t", "0", "false", "nonaktif", "non-aktif", "salah", "n", "no"}


class RosterFileError(ValueError):
    """The file as a whole cannot be read (format, headers, size)."""


class RosterInvalid(ValueError):
    """The rows do not validate; nothing was written."""

    def __init__(self, report: "RosterReport"):
        super().__init__(f"{len(report.errors)} kesalahan")
        self.report = report


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


@dataclass
class CleanRow:
    """A validated row in stored form (unit by id, supervisor by NIP)."""

    line: int
    nip: str
    name: str
    gelar_depan: str
    gelar_belakang: str
    jabatan: str
    jenis_jabatan: str
    jenjang: str | None
    golongan: str
    status: str
    unit_id: int
    supervisor_nip: str | None
    active: bool

    def values(self) -> tuple:
        """The comparable stored values (supervisor by NIP)."""
        return (
            self.name,
            self.gelar_depan,
            self.gelar_belakang,
            self.jabatan,
            self.jenis_jabatan,
            self.jenjang,
            self.golongan,
            self.status,
            self.unit_id,
            self.supervisor_nip,
            self.active,
        )


@dataclass
class RosterReport:
    """The result of a dry run (or of an import when ``applied``)."""

    total: int = 0
    errors: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    applied: bool = False
    clean: list[CleanRow] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        """Whether every row is valid."""
        return not self.errors

    def summary(self) -> dict:
        """Counts for display and storage."""
        return {
            "total": self.total,
            "baru": len(self.new),
            "berubah": len(self.changed),
            "tetap": self.unchanged,
            "kesalahan": len(self.errors),
            "diterapkan": self.applied,
        }

    def text(self) -> str:
        """An Indonesian one-line summary."""
        verb = "diimpor" if self.applied else "diperiksa"
        return (
            f"{self.total} baris {verb}: {len(self.new)} baru, {len(self.changed)} berubah, "
            f"{self.unchanged} tetap, {len(self.errors)} kesalahan."
        )


# --- Reading ------------------------------------------------------------------------------


def _header_key(text) -> str:
    key = str(text or "").strip().lower()
    for ch in " -.\u00a0":
        key = key.replace(ch, "_")
    while "__" in key:
        key = key.replace("__", "_")
    return key.strip("_")


_LOOKUP = {_header_key(alias): canon for canon, names in ALIASES.items() for alias in names}


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


def _column_count_problem(row: RosterRow) -> str:
    names = ", ".join(str(n) for n in row.header_names)
    return (
        f"berisi {row.column_count} kolom; baris judul (templat) memiliki "
        f"{len(row.header_names)} kolom: {names}. Periksa nilai yang hilang atau berlebih "
        "(setiap kolom harus ada, biarkan kosong bila tidak diisi)"
    )


def _map_header(values: list) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, text in enumerate(values):
        canon = _LOOKUP.get(_header_key(text))
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


# --- Validating ---------------------------------------------------------------------------


def _enum_value(enum, text: str) -> str | None:
    key = _header_key(text).upper()
    for member in enum:
        if key in (member.value, _header_key(member.label).upper()):
            return member.value
    if enum is JenisJabatan and key in ("JPT", "PIMPINAN_TINGGI"):
        return "JPT"
    return None


def _golongan(text: str) -> str:
    raw = text.strip().replace(" ", "")
    if "/" in raw:
        roman, letter = raw.split("/", 1)
        return f"{roman.upper()}/{letter.lower()}"
    return raw.upper()


def _active(text: str) -> bool | None:
    key = text.strip().lower()
    if key == "":
        return True
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


def _existing() -> dict[str, tuple]:
    """Every employee's comparable values by NIP, in one query."""
    Boss = Employee.alias()
    query = (
        Employee.select(
            Employee.nip,
            Employee.name,
            Employee.gelar_depan,
            Employee.gelar_belakang,
            Employee.jabatan,
            Employee.jenis_jabatan,
            Employee.jenjang,
            Employee.golongan,
            Employee.status,
            Employee.unit,
            Boss.nip.alias("boss_nip"),
            Employee.active,
        )
        .join(Boss, JOIN.LEFT_OUTER, on=(Employee.supervisor == Boss.id))
        .tuples()
    )
    result = {}
    for nip, *rest in query:
        name, gd, gb, jab, jenis, jenjang, gol, status, unit_id, boss, active = rest
        result[nip] = (
            name,
            gd,
            gb,
            jab,
            jenis,
            jenjang or None,
            gol,
            status,
            unit_id,
            boss,
            bool(active),
        )
    return result


@dataclass(frozen=True)
class _State:
    """What validation reads from the database: units and every employee's values."""

    units: dict[str, tuple[int, bool]]
    existing: dict[str, tuple]


def _state() -> _State:
    units = {
        u.code.upper(): (u.id, bool(u.active)) for u in Unit.select(Unit.id, Unit.code, Unit.active)
    }
    return _State(units, _existing())


def validate(
    rows: list[RosterRow],
    progress: Callable[[int, int], None] | None = None,
    *,
    state: _State | None = None,
) -> RosterReport:
    """Check every row against the rules and the database; nothing is written."""
    report = RosterReport(total=len(rows))
    state = state or _state()
    units = state.units
    existing = state.existing
    first_line: dict[str, int] = {}
    errors: list[str] = []
    clean: list[CleanRow] = []
    for index, row in enumerate(rows, start=1):
        if row.column_count:
            # Values shifted under the wrong headings: their field errors would mislead.
            errors.append(f"Baris {row.line}: {_column_count_problem(row)}.")
            continue
        problems: list[str] = []
        status = (row.status or "PNS").strip().upper()
        if status not in EmployeeStatus.__members__:
            problems.append(f"status '{row.status}' tidak dikenal (isi PNS atau PPPK)")
            status = "PNS"
        nip = normalise(row.nip)
        label = "NI PPPK" if status == "PPPK" else "NIP"
        if row.nip_is_float:
            problems.append(
                f"{label} tersimpan sebagai angka di Excel sehingga digit terakhir hilang; "
                "format kolom NIP sebagai Teks lalu isi ulang"
            )
        elif not nip:
            problems.append(f"{label} wajib diisi")
        else:
            problems += [f"{label} {row.nip}: {e.message}" for e in validate_all(nip, status)]
            if nip in first_line:
                problems.append(f"{label} {nip} sudah muncul di baris {first_line[nip]}")
            else:
                first_line[nip] = row.line
        if not row.nama.strip():
            problems.append("nama wajib diisi")
        if not row.jabatan.strip():
            problems.append("jabatan wajib diisi")
        jenis = _enum_value(JenisJabatan, row.jenis_jabatan)
        if jenis is None:
            problems.append(
                f"jenis jabatan '{row.jenis_jabatan}' tidak dikenal (JPT, Administrator, "
                "Pengawas, Fungsional, Pelaksana)"
            )
        jenjang = None
        if row.jenjang.strip():
            jenjang = _enum_value(Jenjang, row.jenjang)
            if jenjang is None:
                problems.append(f"jenjang '{row.jenjang}' tidak dikenal")
        golongan = _golongan(row.golongan)
        if not golongan:
            problems.append("golongan wajib diisi")
        elif not is_valid_golongan(golongan, status):
            allowed = "I–XVII" if status == "PPPK" else "I/a–IV/e"
            problems.append(f"golongan '{row.golongan}' tidak berlaku untuk {status} ({allowed})")
        unit = units.get(row.kode_unit.strip().upper())
        if not row.kode_unit.strip():
            problems.append("kode unit wajib diisi")
        elif unit is None:
            problems.append(f"kode unit '{row.kode_unit}' tidak dikenal")
        elif not unit[1]:
            problems.append(f"unit '{row.kode_unit}' sudah nonaktif")
        boss = normalise(row.nip_atasan) or None
        active = _active(row.aktif)
        if active is None:
            problems.append(f"kolom aktif '{row.aktif}' tidak dikenal (isi ya atau tidak)")
        if boss is not None and boss == nip:
            problems.append("NIP atasan sama dengan NIP pegawai itu sendiri")
        if problems:
            errors += [f"Baris {row.line}: {p.rstrip('.')}." for p in problems]
        else:
            clean.append(
                CleanRow(
                    line=row.line,
                    nip=nip,
                    name=row.nama.strip(),
                    gelar_depan=row.gelar_depan.strip(),
                    gelar_belakang=row.gelar_belakang.strip(),
                    jabatan=row.jabatan.strip(),
                    jenis_jabatan=jenis,
                    jenjang=jenjang,
                    golongan=golongan,
                    status=status,
                    unit_id=unit[0],
                    supervisor_nip=boss,
                    active=bool(active),
                )
            )
        if progress and (index % PROGRESS_EVERY == 0 or index == len(rows)):
            progress(index, len(rows))
    whole = [row for row in rows if not row.column_count]
    errors += _check_supervisors(whole, clean, existing, first_line)
    report.errors = sorted(errors, key=_line_of)
    report.clean = clean
    if report.ok:
        for row in clean:
            before = existing.get(row.nip)
            if before is None:
                report.new.append(row.nip)
            elif before != row.values():
                report.changed.append(row.nip)
            else:
                report.unchanged += 1
    return report


def _line_of(message: str) -> int:
    try:
        return int(message.split(":", 1)[0].split()[-1])
    except (ValueError, IndexError):
        return 0


def _check_supervisors(rows, clean, existing, first_line) -> list[str]:
    """Unknown supervisor NIPs and cycles in the chain the file would produce."""
    errors = []
    chain = {nip: values[9] for nip, values in existing.items()}
    for row in clean:
        chain[row.nip] = row.supervisor_nip
    for row in rows:
        boss = normalise(row.nip_atasan)
        if boss and boss not in chain and boss not in first_line:
            errors.append(
                f"Baris {row.line}: NIP atasan {row.nip_atasan} tidak ada di berkas "
                "maupun di data pegawai."
            )
    for row in clean:
        seen = [row.nip]
        current = chain.get(row.nip)
        while current is not None and len(seen) <= len(chain):
            if current == row.nip:
                path = " → ".join(format_nip(n) for n in [*seen, row.nip])
                errors.append(f"Baris {row.line}: rantai atasan membentuk lingkaran ({path}).")
                break
            if current in seen:
                break
            seen.append(current)
            current = chain.get(current)
    return errors


# --- Applying -----------------------------------------------------------------------------


def apply(
    rows: list[RosterRow],
    *,
    actor=None,
    filename: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> RosterReport:
    """Validate and upsert by NIP in one transaction; raise :class:`RosterInvalid`
    (nothing written) when any row is wrong.

    The rows are validated before the transaction opens (the slow part for a whole city);
    inside it the database state they were checked against is read again, and only if it
    changed meanwhile are they validated again, so the write lock is held for the writes.
    """
    seen = _state()
    report = validate(rows, progress, state=seen)
    with write_tx():
        now_state = _state()
        if now_state != seen:
            report = validate(rows, state=now_state)
        if not report.ok:
            raise RosterInvalid(report)
        if not report.new and not report.changed:
            report.applied = True
            return report
        now = utcnow()
        if is_sqlite():
            now = str(now)  # the text form peewee stores (no reliance on sqlite3 adapters)
        by_nip = {r.nip: r for r in report.clean}
        new_rows = [by_nip[n] for n in report.new]
        changed_rows = [by_nip[n] for n in report.changed]
        _bulk(
            "INSERT INTO employee (nip, name, gelar_depan, gelar_belakang, jabatan, "
            "jenis_jabatan, jenjang, golongan, status, unit_id, active, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.nip, *r.values()[:-2], r.active, now, now) for r in new_rows],
        )
        _bulk(
            "UPDATE employee SET name = ?, gelar_depan = ?, gelar_belakang = ?, jabatan = ?, "
            "jenis_jabatan = ?, jenjang = ?, golongan = ?, status = ?, unit_id = ?, "
            "active = ?, updated_at = ? WHERE nip = ?",
            [(*r.values()[:-2], r.active, now, r.nip) for r in changed_rows],
        )
        # Supervisors last: a row may name a supervisor that appears later in the file.
        _bulk(
            "UPDATE employee SET supervisor_id = "
            "(SELECT b.id FROM employee b WHERE b.nip = ?) WHERE nip = ?",
            [(r.supervisor_nip, r.nip) for r in [*new_rows, *changed_rows]],
        )
        report.applied = True
        audit.record(
            "roster.imported",
            actor=actor,
            object_type="roster",
            object_id=filename[:40],
            after={**report.summary(), "baru_nip": report.new, "berubah_nip": report.changed},
        )
    return report


def _bulk(sql: str, params: list[tuple]) -> None:
    """executemany through the DB-API cursor (the ORM builds one statement per row,
    far too slow for thousands of rows); placeholders follow the driver."""
    if not params:
        return
    sql = sql.replace("?", database.param)
    cursor = database.cursor()
    for start in range(0, len(params), CHUNK * 4):
        cursor.executemany(sql, params[start : start + CHUNK * 4])


# --- Jobs (progress in the database) ------------------------------------------------------

JOB_RUNNING = ("ANTRE", "MEMERIKSA", "MENGIMPOR")
JOB_STOPPED = "TERHENTI"
# A running job writes its heartbeat at each step and every PROGRESS_EVERY rows; one silent
# for this long belongs to a process that was stopped or crashed (a whole city's roster
# takes seconds, so the margin is wide).
JOB_STALE_AFTER = timedelta(minutes=10)
MSG_STOPPED = (
    "Pekerjaan ini terhenti sebelum selesai (server dihentikan atau mengalami gangguan). "
    "Tidak ada data yang diubah: impor menyimpan semua baris atau tidak sama sekali. "
    "Klik Ulangi untuk menjalankannya lagi dengan berkas yang sama."
)

MSG_NO_RETRY = "Hanya pekerjaan yang terhenti dan berkasnya masih tersimpan yang dapat diulangi."

log = logging.getLogger(__name__)


def create_job(content: bytes, filename: str, actor=None) -> ImportJob:
    """Store an uploaded file as a job waiting for its dry run."""
    with write_tx():
        return ImportJob.create(
            content=content,
            filename=(filename or "berkas")[:200],
            status="ANTRE",
            created_by_account_id=actor.id if actor is not None else None,
            heartbeat_at=utcnow(),
        )


def _step(job_id: int, **values) -> None:
    """Record a step of a running job (short write of its own, with the heartbeat)."""
    with write_tx():
        ImportJob.update(heartbeat_at=utcnow(), **values).where(ImportJob.id == job_id).execute()


def _progress_writer(job_id: int):
    def write(done: int, total: int) -> None:
        if database.transaction_depth() == 0:
            _step(job_id, done=done, total=total)

    return write


def _finish(job_id: int, status: str, report: RosterReport | None, errors: list[str]):
    with write_tx():
        ImportJob.update(
            status=status,
            errors=json.dumps(errors, ensure_ascii=False),
            summary=json.dumps(report.summary() if report else {}),
            done=report.total if report else 0,
            total=report.total if report else 0,
            finished_at=utcnow(),
            heartbeat_at=utcnow(),
        ).where(ImportJob.id == job_id).execute()


@contextmanager
def _stopped_on_crash(job_id: int):
    """An unexpected error ends the job as stopped (retry offered) instead of leaving it
    running forever; the error still propagates to the log."""
    try:
        yield
    except Exception:
        log.exception("pekerjaan impor %s gagal tak terduga", job_id)
        _finish(job_id, JOB_STOPPED, None, [MSG_STOPPED])
        raise


def run_dry_run(job_id: int) -> RosterReport | None:
    """Validate a job's file, writing progress and the result to the job row."""
    with _stopped_on_crash(job_id):
        job = ImportJob.get_by_id(job_id)
        _step(job_id, status="MEMERIKSA", done=0)
        try:
            rows = parse(bytes(job.content), job.filename)
        except RosterFileError as exc:
            _finish(job_id, "GAGAL", None, [str(exc)])
            return None
        _step(job_id, total=len(rows))
        report = validate(rows, _progress_writer(job_id))
        _finish(job_id, "SIAP" if report.ok else "GAGAL", report, report.errors)
        return report


def run_import(job_id: int, actor=None) -> RosterReport | None:
    """Import a validated job's file (all or nothing), recording the outcome on the job."""
    with _stopped_on_crash(job_id):
        job = ImportJob.get_by_id(job_id)
        _step(job_id, status="MENGIMPOR", done=0)
        try:
            rows = parse(bytes(job.content), job.filename)
            report = apply(
                rows, actor=actor, filename=job.filename, progress=_progress_writer(job_id)
            )
        except RosterFileError as exc:
            _finish(job_id, "GAGAL", None, [str(exc)])
            return None
        except RosterInvalid as exc:
            _finish(job_id, "GAGAL", exc.report, exc.report.errors)
            return exc.report
        _finish(job_id, "SELESAI", report, [])
        with write_tx():
            ImportJob.update(content=b"").where(ImportJob.id == job_id).execute()
        return report


def _stale_condition(now: datetime):
    limit = now - JOB_STALE_AFTER
    beat = fn.COALESCE(ImportJob.heartbeat_at, ImportJob.created_at)
    return ImportJob.status.in_(JOB_RUNNING) & (beat < limit)


def stop_stale_jobs(now: datetime | None = None) -> int:
    """Mark as stopped every running job whose heartbeat is older than JOB_STALE_AFTER
    (its process died mid-job); return how many. Nothing is written when none is stale."""
    now = now or utcnow()
    stale = [j.id for j in ImportJob.select(ImportJob.id).where(_stale_condition(now))]
    if not stale:
        return 0
    with write_tx():
        stopped = [
            j.id
            for j in ImportJob.select(ImportJob.id, ImportJob.status).where(
                ImportJob.id.in_(stale) & _stale_condition(now)
            )
        ]
        if not stopped:
            return 0
        ImportJob.update(
            status=JOB_STOPPED,
            errors=json.dumps([MSG_STOPPED], ensure_ascii=False),
            finished_at=now,
        ).where(ImportJob.id.in_(stopped)).execute()
        for job_id in stopped:
            audit.record(
                "roster.job_stopped",
                object_type="import_job",
                object_id=job_id,
                after={"status": JOB_STOPPED},
            )
    return len(stopped)


def can_retry(job: ImportJob) -> bool:
    """Whether a job stopped mid-way and its file is still stored."""
    return job.status == JOB_STOPPED and bool(job.content)


def retry_job(job_id: int, actor=None) -> ImportJob:
    """A new job for the stored file of a stopped one (its dry run comes first again);
    the stopped job keeps its history."""
    job = ImportJob.get_by_id(job_id)
    if not can_retry(job):
        raise ValueError(MSG_NO_RETRY)
    with write_tx():
        again = create_job(bytes(job.content), job.filename, actor=actor)
        ImportJob.update(content=b"").where(ImportJob.id == job.id).execute()
        audit.record(
            "roster.job_retried",
            actor=actor,
            object_type="import_job",
            object_id=job.id,
            after={"job_baru": again.id},
        )
    return again


def job_errors(job: ImportJob) -> list[str]:
    """The stored error list of a job."""
    return json.loads(job.errors) if job.errors else []


def job_summary(job: ImportJob) -> dict:
    """The stored counts of a job."""
    return json.loads(job.summary) if job.summary else {}
