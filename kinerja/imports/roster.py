"""Roster import from CSV or XLSX: header mapping, a dry run listing every row error in
Indonesian, and an all-or-nothing upsert by NIP (docs/spec/product.md §7).

The flow is ``roster_parse.parse()`` (file → rows, file-level problems raise
:class:`~kinerja.imports.roster_parse.RosterFileError`), ``validate()`` (rows against the
database → :class:`RosterReport`) and ``apply()`` (one transaction; validates again inside
it). Employees missing from the file are left alone:
a roster may cover one OPD only; deactivation is explicit (column ``aktif``).

Import jobs (:mod:`kinerja.imports.roster_jobs`) keep the file and write their progress
to the database so any process can show it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from peewee import JOIN

from kinerja.clock import utcnow
from kinerja.db import database, is_sqlite, write_tx
from kinerja.enums import EmployeeStatus, JenisJabatan, Jenjang
from kinerja.imports.roster_parse import RosterRow, column_count_problem, header_key
from kinerja.models.org import Employee, Unit
from kinerja.nip import format_nip, normalise, validate_all
from kinerja.ranks import is_valid_golongan
from kinerja.services import audit

CHUNK = 500
PROGRESS_EVERY = 250

_YES = {"ya", "y", "1", "true", "aktif", "benar", "iya"}
_NO = {"tidak", "t", "0", "false", "nonaktif", "non-aktif", "salah", "n", "no"}


class RosterInvalid(ValueError):
    """The rows do not validate; nothing was written."""

    def __init__(self, report: "RosterReport"):
        super().__init__(f"{len(report.errors)} kesalahan")
        self.report = report


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


# --- Validating ---------------------------------------------------------------------------


def _enum_value(enum, text: str) -> str | None:
    key = header_key(text).upper()
    for member in enum:
        if key in (member.value, header_key(member.label).upper()):
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
            errors.append(f"Baris {row.line}: {column_count_problem(row)}.")
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
