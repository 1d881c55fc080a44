"""XLSX exports: times in WIB (as the pages show them), fitted widths, a frozen bold header."""

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from kinerja.formatting import format_datetime
from kinerja.queries import exports


def _sheet(table):
    return load_workbook(io.BytesIO(exports.to_xlsx(table))).active


def test_times_are_written_in_wib_with_a_date_format_and_a_wib_header():
    stored = datetime(2026, 11, 26, 2, 5)  # naive UTC, 09.05 WIB
    table = exports.Table("Uji", ["Nama", "Disetujui", "Tanggal"])
    table.rows.append(["Budi", stored, date(2026, 11, 26)])
    sheet = _sheet(table)
    assert [c.value for c in sheet[1]] == ["Nama", "Disetujui (WIB)", "Tanggal"]
    cell = sheet["B2"]
    assert cell.value == datetime(2026, 11, 26, 9, 5)
    assert format_datetime(stored) == "26 November 2026 09.05 WIB"
    assert cell.number_format == exports.DATETIME_FORMAT
    assert sheet["C2"].number_format == exports.DATE_FORMAT
    csv = exports.to_csv(table).decode("utf-8-sig")
    assert csv.splitlines()[0] == "Nama;Disetujui (WIB);Tanggal"
    assert "2026-11-26 09:05" in csv


def test_header_frozen_bold_and_widths_fit_the_content():
    table = exports.Table("Uji", ["No", "Nama", "Catatan"])
    table.rows.append([1, "Budi Harahap", "x" * 500])
    table.rows.append([2, "Sari", Decimal("87.5")])
    sheet = _sheet(table)
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    widths = {k: d.width for k, d in sheet.column_dimensions.items()}
    assert widths["A"] == len("No") + 2
    assert widths["B"] == len("Budi Harahap") + 2
    assert widths["C"] == exports.MAX_WIDTH


def test_csv_opens_in_excel_set_to_indonesian():
    """Indonesian Excel: ``;`` as list separator and the decimal comma; a UTF-8 BOM so
    names with accents are read as UTF-8."""
    import csv

    table = exports.Table("Uji", ["Nama", "Nilai", "Waktu"])
    table.rows.append(["Pasaribu; Sari", Decimal("87.50"), datetime(2026, 11, 26, 2, 5)])
    body = exports.to_csv(table)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8")[1:]
    assert text.splitlines()[0] == "Nama;Nilai;Waktu (WIB)"
    (row,) = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    assert row == ["Pasaribu; Sari", "87,50", "2026-11-26 09:05"]


def test_docs_name_the_decimal_comma_of_every_csv():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("docs/public.md", "docs/admin.md", "README.md"):
        assert "titik desimal" not in (root / name).read_text(encoding="utf-8"), name
