"""Disclosure checks on the OUTPUT of the public pages (JSON and CSV), shared by tests."""

import csv
import io
import json
from decimal import Decimal

from kinerja.formatting import IndonesianExcel


def _shown_n_ok(fig: dict, min_n: int, where: str) -> list[str]:
    if fig.get("status") == "OK" and fig.get("n") is not None and fig["n"] < min_n:
        return [f"{where}: n = {fig['n']} < {min_n}"]
    return []


def _remainder_ok(total: int, parts: list[int], min_n: int, where: str) -> list[str]:
    rest = total - sum(parts)
    if rest < 0 or 0 < rest < min_n:
        return [f"{where}: total {total} − shown {sum(parts)} = {rest} reveals a small group"]
    return []


def check_unit_json(data: dict) -> list[str]:
    """Every violation of the disclosure rules visible in one unit page's JSON."""
    min_n = data["asal"]["ambang_n"]
    small = data["asal"]["jumlah_kecil_maks"]
    code = data["unit"]["kode"]
    problems = []
    for key in ("ikm", "layanan", "indeks_cepat"):
        problems += _shown_n_ok(data[key], min_n, f"{code} {key}")
    for point in data["tren"]:
        problems += _shown_n_ok(point, min_n, f"{code} tren {point['bulan']}")
    for item in data["jenis_layanan"]:
        problems += _shown_n_ok(item, min_n, f"{code} jenis {item['nama']}")
    if data["ikm"]["status"] == "OK":
        shown = [p["n"] for p in data["tren"] if p["dalam_periode"] and p["status"] == "OK"]
        problems += _remainder_ok(data["ikm"]["n"], shown, min_n, f"{code} tren dalam periode")
    if data["layanan"]["status"] == "OK" and data["jenis_layanan"]:
        shown = [s["n"] for s in data["jenis_layanan"] if s["status"] == "OK"]
        problems += _remainder_ok(data["layanan"]["n"], shown, min_n, f"{code} jenis layanan")
    sample = data["sampel"]
    if sample["status"] == "OK" and sample["pengguna_layanan"] < min_n:
        problems.append(f"{code} pengguna layanan {sample['pengguna_layanan']} < {min_n}")
    pred = data["predikat"]
    if pred["status"] == "OK":
        total = pred["total"]
        if total < min_n:
            problems.append(f"{code} predikat total {total} < {min_n}")
        shown = [c["jumlah"] for c in pred["sel"] if c["jumlah"] is not None]
        hidden = [c for c in pred["sel"] if c["jumlah"] is None]
        rest = total - sum(shown)
        if any(1 <= v <= small for v in shown):
            problems.append(f"{code} predikat shows a count from 1 to {small}: {shown}")
        if hidden and (len(hidden) < 2 or rest <= len(hidden)):
            problems.append(f"{code} predikat hidden cells pinned: {len(hidden)} cells, {rest}")
        if not hidden and rest != 0:
            problems.append(f"{code} predikat cells do not add up")
    else:
        if pred["total"] is not None or any(c["jumlah"] is not None for c in pred["sel"]):
            problems.append(f"{code} predikat withheld but shows counts")
    return problems


def check_overview_json(data: dict) -> list[str]:
    """Violations visible in the overview's JSON (units and process figures)."""
    min_n = data["asal"]["ambang_n"]
    small = data["asal"]["jumlah_kecil_maks"]
    problems = []
    for unit in data["unit"]:
        for key in ("ikm", "layanan"):
            problems += _shown_n_ok(unit[key], min_n, f"{unit['kode']} {key}")
        for point in unit["tren"]:
            problems += _shown_n_ok(point, min_n, f"{unit['kode']} tren")
    for item in data["proses"]:
        for key in ("skp_disetujui_tepat_waktu", "evaluasi_final"):
            problems += _shown_n_ok(item[key], min_n, f"{item['opd']['kode']} {key}")
        for key in ("diajukan", "diputus"):
            value = item["keberatan"][key]["nilai"]
            if value is not None and 1 <= value <= small:
                problems.append(f"{item['opd']['kode']} keberatan {key} = {value}")
    return problems


def csv_dicts(text: str) -> list[dict]:
    """The rows of a CSV download (the Indonesian Excel dialect: BOM, ``;``)."""
    assert text.startswith("\ufeff"), "CSV tanpa BOM UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:]), dialect=IndonesianExcel))


def csv_number(cell: str) -> Decimal | None:
    """A CSV number cell (decimal comma, no grouping) as a Decimal."""
    return Decimal(cell.replace(",", ".")) if cell else None


def check_csv(text: str, min_n: int, small: int) -> list[str]:
    """Violations visible in a CSV twin: shown n below the threshold, small predikat counts."""
    problems = []
    for row in csv_dicts(text):
        if row["status"] == "OK" and row["n"] and int(row["n"]) < min_n:
            problems.append(
                f"CSV {row['kode_unit']} {row['bagian']} {row['rincian']}: n {row['n']}"
            )
        is_count = row["bagian"] == "predikat" and row["ukuran"] == "jumlah" and row["nilai"]
        if is_count and 1 <= int(row["nilai"]) <= small:
            problems.append(f"CSV {row['kode_unit']} predikat {row['rincian']} {row['nilai']}")
    return problems


def loads(response) -> dict:
    """The JSON body of a response."""
    return json.loads(response.get_data(as_text=True))
