"""Exports for BKPSDM (docs/spec/product.md §7): SKP, evaluations, IKM and service figures, per unit
or city-wide, as rows with Indonesian headers, rendered to XLSX (openpyxl) or CSV.

CSV follows the one dialect of :mod:`kinerja.formatting` (what Excel in the Indonesian
locale opens directly). Every text cell that starts like a formula (= + - @, tab, carriage
return) gets a leading apostrophe, so an export never runs a formula someone typed into a
name or a comment (formula injection).
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from peewee import JOIN

from kinerja import org
from kinerja.clock import to_wib
from kinerja.enums import EmployeeStatus, EvaluationStatus, Predikat, Rating, SkpStatus, Unsur
from kinerja.formatting import csv_text, round_half_up, safe_cell
from kinerja.models.evaluation import Evaluation
from kinerja.models.kiosk import KioskResponse
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.models.public import NRR_PLACES
from kinerja.models.skp import Rhk, Skp
from kinerja.queries.service_figures import figures_by_unit
from kinerja.scoring import ikm


@dataclass
class Table:
    """An export: a title, Indonesian column headers and rows of plain values."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    filename: str = "ekspor"


DATETIME_FORMAT = "d mmmm yyyy hh:mm"  # Excel shows the month in its own language
DATE_FORMAT = "d mmmm yyyy"
MAX_WIDTH = 60


def headers(table: Table) -> list[str]:
    """The column headers, " (WIB)" added to every column that holds a time (stored in
    UTC, written in WIB)."""
    timed = {i for row in table.rows for i, v in enumerate(row) if isinstance(v, datetime)}
    return [
        f"{h} (WIB)" if i in timed and "(WIB)" not in h else h for i, h in enumerate(table.headers)
    ]


def to_csv(table: Table) -> bytes:
    """CSV bytes in the Indonesian Excel dialect (kinerja.formatting), Indonesian headers."""
    return csv_text(headers(table), table.rows).encode("utf-8")


def _xlsx_value(value):
    """A cell value for openpyxl: times in WIB without a zone, Decimal as float."""
    value = safe_cell(value)
    if isinstance(value, datetime):
        return to_wib(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 20
    if isinstance(value, date):
        return 17
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max(len(line) for line in str(value).split("\n"))


def to_xlsx(table: Table) -> bytes:
    """XLSX bytes with one sheet: a bold frozen header row, typed cells, times in WIB with
    a date format, and every column as wide as its content (at most MAX_WIDTH)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31] or "Data")
    sheet.freeze_panes = "A2"
    titles = headers(table)
    widths = [len(text) + 2 for text in titles]
    rows = [[_xlsx_value(value) for value in row] for row in table.rows]
    for row in rows:
        for index, value in enumerate(row):
            if index < len(widths):
                widths[index] = max(widths[index], _width(value) + 2)
            else:
                widths.append(_width(value) + 2)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
    bold = Font(bold=True)
    header = []
    for text in titles:
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, even "=..." after the apostrophe
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Helpers ------------------------------------------------------------------------------


def _unit_names() -> tuple[dict[int, Unit], dict[int, str]]:
    """Every unit by id and the name of its OPD (top unit), from one query."""
    units = {u.id: u for u in Unit.select()}
    opd_name = {}
    for unit in units.values():
        top, seen = unit, set()
        while top.parent_id in units and top.id not in seen:
            seen.add(top.id)
            top = units[top.parent_id]
        opd_name[unit.id] = top.display_name
    return units, opd_name


def _unit_filter(unit_id: int | None) -> list[int] | None:
    return sorted(org.descendant_unit_ids(unit_id)) if unit_id else None


def _scope_name(unit_id: int | None) -> str:
    if not unit_id:
        return "kota"
    unit = Unit.get_or_none(Unit.id == unit_id)
    return (unit.code if unit else str(unit_id)).lower().replace(".", "-")


def _label(enum, value) -> str:
    if value in (None, ""):
        return ""
    try:
        return enum(value).label
    except ValueError:
        return str(value)


# --- SKP ----------------------------------------------------------------------------------


def skp_table(year: int, unit_id: int | None = None) -> Table:
    """Every active employee (of the unit and below, or city-wide) with their SKP of
    ``year``: status, RHK counts, pejabat penilai."""
    units, opd_name = _unit_names()
    Penilai = Employee.alias()
    query = (
        Employee.select(Employee, Skp, Penilai)
        .join(Skp, JOIN.LEFT_OUTER, on=((Skp.employee == Employee.id) & (Skp.year == year)))
        .join(Penilai, JOIN.LEFT_OUTER, on=(Skp.pejabat_penilai == Penilai.id))
        .switch(Employee)
        .where(Employee.active)
        .order_by(Employee.unit, Employee.name)
    )
    scope = _unit_filter(unit_id)
    if scope is not None:
        query = query.where(Employee.unit.in_(scope))
    counts: dict[tuple[int, str], int] = {}
    rhk_query = Rhk.select(Rhk.skp, Rhk.kind).join(Skp).where(Skp.year == year).tuples()
    for skp_id, kind in rhk_query:
        counts[(skp_id, kind)] = counts.get((skp_id, kind), 0) + 1
    table = Table(
        f"SKP {year}",
        [
            "Tahun",
            "NIP/NI PPPK",
            "Nama",
            "Jabatan",
            "Unit Kerja",
            "Perangkat Daerah",
            "Status SKP",
            "Pendekatan",
            "Jumlah RHK Utama",
            "Jumlah RHK Tambahan",
            "NIP Pejabat Penilai",
            "Pejabat Penilai",
            "Disetujui Pada",
        ],
        filename=f"skp-{year}-{_scope_name(unit_id)}",
    )
    for e in query:
        skp = getattr(e, "skp", None)
        has_skp = skp is not None and skp.id is not None
        penilai = getattr(skp, "pejabat_penilai", None) if has_skp else None
        unit = units.get(e.unit_id)
        table.rows.append(
            [
                year,
                e.nip,
                e.full_name,
                e.jabatan,
                unit.name if unit else "",
                opd_name.get(e.unit_id, ""),
                _label(SkpStatus, skp.status) if has_skp else "Belum dibuat",
                skp.approach.title() if has_skp else "",
                counts.get((skp.id, "UTAMA"), 0) if has_skp else 0,
                counts.get((skp.id, "TAMBAHAN"), 0) if has_skp else 0,
                penilai.nip if penilai is not None and penilai.id else "",
                penilai.full_name if penilai is not None and penilai.id else "",
                skp.approved_at if has_skp else None,
            ]
        )
    return table


# --- Evaluations --------------------------------------------------------------------------


def evaluation_table(period_id: int, unit_id: int | None = None) -> Table:
    """Evaluations of a period: ratings, predikat and angka kredit."""
    period = Period.get_by_id(period_id)
    units, opd_name = _unit_names()
    Rater = Employee.alias()
    query = (
        Evaluation.select(Evaluation, Employee, Rater)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Rater, JOIN.LEFT_OUTER, on=(Evaluation.rated_by == Rater.id))
        .where(Evaluation.period == period.id)
        .order_by(Evaluation.unit, Employee.name)
    )
    scope = _unit_filter(unit_id)
    if scope is not None:
        query = query.where(Evaluation.unit.in_(scope))
    table = Table(
        f"Evaluasi {period.name}",
        [
            "Periode",
            "NIP/NI PPPK",
            "Nama",
            "Jabatan",
            "Status ASN",
            "Unit Kerja",
            "Perangkat Daerah",
            "Status Evaluasi",
            "Rating Hasil Kerja",
            "Rating Perilaku Kerja",
            "Predikat Kinerja",
            "Angka Kredit",
            "NIP Pejabat Penilai",
            "Pejabat Penilai",
            "Dinilai Pada",
            "Final Pada",
        ],
        filename=f"evaluasi-{period.year}-{period.number}-{_scope_name(unit_id)}",
    )
    for ev in query:
        e = ev.employee
        rater = getattr(ev, "rated_by", None)
        unit = units.get(ev.unit_id)
        table.rows.append(
            [
                period.name,
                e.nip,
                e.full_name,
                e.jabatan,
                _label(EmployeeStatus, e.status),
                unit.name if unit else "",
                opd_name.get(ev.unit_id, ""),
                _label(EvaluationStatus, ev.status),
                _label(Rating, ev.hasil_rating),
                _label(Rating, ev.perilaku_rating),
                _label(Predikat, ev.predikat),
                getattr(ev, "angka_kredit", None),
                rater.nip if rater is not None and rater.id else "",
                rater.full_name if rater is not None and rater.id else "",
                ev.rated_at,
                ev.finalised_at,
            ]
        )
    return table


# --- IKM and service figures --------------------------------------------------------------


def ikm_table(start: date, end: date, unit_id: int | None = None) -> Table:
    """IKM per unit (kiosk answers received in the range): n, NRR per unsur, IKM, mutu."""
    units, opd_name = _unit_names()
    query = KioskResponse.select().where((KioskResponse.day >= start) & (KioskResponse.day <= end))
    scope = _unit_filter(unit_id)
    if scope is not None:
        query = query.where(KioskResponse.unit.in_(scope))
    answers: dict[int, list[dict]] = {}
    for row in query.iterator():
        answers.setdefault(row.unit_id, []).append(
            {u: getattr(row, u.value.lower()) for u in Unsur}
        )
    table = Table(
        "IKM",
        [
            "Unit Layanan",
            "Perangkat Daerah",
            "Dari",
            "Sampai",
            "Jumlah Responden",
            *[f"NRR {u.value} {u.label}" for u in Unsur],
            "IKM (Konversi)",
            "Mutu Pelayanan",
            "Kinerja Unit Pelayanan",
        ],
        filename=f"ikm-{start.isoformat()}-{end.isoformat()}-{_scope_name(unit_id)}",
    )
    for uid in sorted(answers, key=lambda i: units[i].code if i in units else ""):
        result = ikm(answers[uid])
        nrr = [
            round_half_up(v, NRR_PLACES) if v is not None else None
            for v in (result.nrr[u] for u in Unsur)
        ]
        table.rows.append(
            [
                units[uid].name if uid in units else uid,
                opd_name.get(uid, ""),
                start,
                end,
                result.n,
                *nrr,
                result.konversi,
                result.mutu.value if result.mutu else "",
                result.label or "",
            ]
        )
    return table


def service_table(start: date, end: date, unit_id: int | None = None) -> Table:
    """Service-standard figures per unit and service type over requests received."""
    units, opd_name = _unit_names()
    scope = set(_unit_filter(unit_id) or [])
    table = Table(
        "Standar Layanan",
        [
            "Unit Layanan",
            "Perangkat Daerah",
            "Jenis Layanan",
            "Diterima",
            "Selesai",
            "Belum Selesai",
            "Tepat Waktu",
            "Tepat Waktu (%)",
            "Median",
            "Persentil 90",
            "Satuan",
            "Pengerjaan Ulang (%)",
        ],
        filename=f"layanan-{start.isoformat()}-{end.isoformat()}-{_scope_name(unit_id)}",
    )
    for uid, figures in sorted(
        figures_by_unit(start, end).items(), key=lambda kv: units[kv[0]].code
    ):
        if scope and uid not in scope:
            continue
        for row in figures.rows:
            f = row.figures
            table.rows.append(
                [
                    units[uid].name,
                    opd_name.get(uid, ""),
                    row.service_type.name,
                    f.n_received,
                    f.n_completed,
                    f.n_open,
                    f.n_on_time,
                    f.on_time_rate,
                    f.median,
                    f.p90,
                    getattr(f.unit, "label", "") if f.unit else "",
                    f.rework_rate,
                ]
            )
    return table


def export_years() -> list[int]:
    """Years that have periods or SKP, newest first."""
    years = {p.year for p in Period.select(Period.year)} | {
        s.year for s in Skp.select(Skp.year).distinct()
    }
    return sorted(years, reverse=True)


def exportable_periods() -> list[Period]:
    """Every period, newest first."""
    return list(Period.select().order_by(Period.year.desc(), Period.number.desc()))
