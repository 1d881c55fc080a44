"""Any public page's dict as one long CSV table (columns ``CSV_COLUMNS``).

docs/spec/product.md §6.
"""

from decimal import Decimal
from fractions import Fraction

CSV_COLUMNS = (
    "periode",
    "bagian",
    "kode_unit",
    "nama_unit",
    "rincian",
    "ukuran",
    "nilai",
    "nilai_teks",
    "n",
    "status",
    "keterangan",
)


# --- CSV: one long table per page -----------------------------------------------------------


def _fig_rows(base: dict, part: str, fig: dict, measures: dict[str, str]) -> list[dict]:
    rows = []
    for measure, key in measures.items():
        value = fig.get(key)
        if isinstance(value, dict):
            value = value.get("kode")
        rows.append(
            {
                **base,
                "bagian": part,
                "ukuran": measure,
                "nilai": value,
                "n": fig.get("n"),
                "status": fig["status"],
                "keterangan": fig.get("keterangan"),
            }
        )
    return rows


IKM_MEASURES = {"ikm_konversi": "nilai", "mutu": "mutu"}
SERVICE_MEASURES = {
    "persen_tepat_waktu": "nilai",
    "median": "median",
    "p90": "p90",
    "satuan": "satuan",
    "persen_pengerjaan_ulang": "pengerjaan_ulang",
}


def _unit_rows(period: str, unit: dict, full: dict | None = None) -> list[dict]:
    base = {"periode": period, "kode_unit": unit["kode"], "nama_unit": unit["nama"]}
    rows = _fig_rows({**base, "rincian": ""}, "ikm", unit["ikm"], IKM_MEASURES)
    rows += _fig_rows({**base, "rincian": ""}, "layanan", unit["layanan"], SERVICE_MEASURES)
    rows += _fig_rows(
        {**base, "rincian": ""},
        "sampel",
        {**unit["sampel"], "n": None},
        {
            "pengguna_layanan": "pengguna_layanan",
            "sampel_minimal": "sampel_minimal",
            "tercapai": "tercapai",
        },
    )
    for point in unit["tren"]:
        rows += _fig_rows({**base, "rincian": point["bulan"]}, "tren", point, IKM_MEASURES)
    if full is None:
        return rows
    for item in full["unsur"]:
        rows += _fig_rows(
            {**base, "rincian": f"{item['kode']} {item['nama']}"}, "unsur", item, {"nrr": "nilai"}
        )
    rows += _fig_rows(
        {**base, "rincian": ""}, "indeks_cepat", full["indeks_cepat"], {"indeks": "nilai"}
    )
    for item in full["jenis_layanan"]:
        rows += _fig_rows(
            {**base, "rincian": f"{item['nama']} (standar {item['standar']})"},
            "jenis_layanan",
            item,
            SERVICE_MEASURES,
        )
    pred = full["predikat"]
    rows.append(
        {
            **base,
            "bagian": "predikat",
            "rincian": pred["periode"] or "",
            "ukuran": "total",
            "nilai": pred["total"],
            "n": pred["total"],
            "status": pred["status"],
            "keterangan": pred["keterangan"],
        }
    )
    for cell in pred["sel"]:
        rows.append(
            {
                **base,
                "bagian": "predikat",
                "rincian": cell["nama"],
                "ukuran": "jumlah",
                "nilai": cell["jumlah"],
                "n": pred["total"],
                "status": pred["status"],
                "keterangan": cell["tersembunyi"] or pred["keterangan"],
            }
        )
    return rows


def csv_rows(data: dict) -> list[dict]:
    """The page's data as one long table (columns :data:`CSV_COLUMNS`), plain text cells."""
    period = data["asal"]["periode"] or ""
    rows: list[dict] = []
    page = data["halaman"]
    if page == "ringkasan":
        for unit in data["unit"]:
            rows += _unit_rows(period, unit)
        for item in data["proses"]:
            base = {
                "periode": period,
                "kode_unit": item["opd"]["kode"],
                "nama_unit": item["opd"]["nama"],
                "bagian": "proses",
            }
            for key in ("skp_disetujui_tepat_waktu", "evaluasi_final"):
                fig = item[key]
                rows.append(
                    {
                        **base,
                        "rincian": key,
                        "ukuran": "persen",
                        "nilai": fig["nilai"],
                        "n": fig["n"],
                        "status": fig["status"],
                        "keterangan": fig["keterangan"],
                    }
                )
            obj = item["keberatan"]
            for key in ("diajukan", "diputus"):
                rows.append(
                    {
                        **base,
                        "rincian": f"keberatan_{key}",
                        "ukuran": "jumlah",
                        "nilai": obj[key]["nilai"],
                        "n": None,
                        "status": obj["status"],
                        "keterangan": obj[key]["tersembunyi"] or obj["keterangan"],
                    }
                )
    elif page == "beranda":
        rows = _home_rows(period, data)
    elif page == "unit":
        rows = _unit_rows(
            period,
            {
                **data["unit"],
                "ikm": data["ikm"],
                "sampel": data["sampel"],
                "layanan": data["layanan"],
                "tren": data["tren"],
            },
            data,
        )
    elif page == "metode":
        heading = ""
        for block in data["blok"]:
            text = _plain(block)
            if block["jenis"] == "judul":
                heading = text
            rows.append(
                {
                    "periode": period,
                    "bagian": "metode",
                    "rincian": heading,
                    "ukuran": block["jenis"],
                    "nilai": text,
                }
            )
    elif page == "data":
        for item in data["dataset"]:
            rows.append(
                {
                    "periode": period,
                    "bagian": "dataset",
                    "kode_unit": item.get("kode", ""),
                    "rincian": item["halaman"],
                    "nilai": item["nama"],
                }
            )
        for item in data["kamus"]:
            rows.append(
                {
                    "periode": period,
                    "bagian": "kamus",
                    "rincian": item["kolom"],
                    "ukuran": item["berlaku"],
                    "nilai": item["arti"],
                }
            )
    return [_typed({c: row.get(c) for c in CSV_COLUMNS}) for row in rows]


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal | float | Fraction) and not isinstance(value, bool)


def _typed(row: dict) -> dict:
    """A row with a value that is not a number moved from ``nilai`` to ``nilai_teks``."""
    value = row["nilai"]
    if value is not None and not _is_number(value):
        row["nilai"], row["nilai_teks"] = None, value
    return row


def _spans(spans: list[dict]) -> str:
    return "".join(s["teks"] for s in spans)


def _plain(block: dict) -> str:
    kind = block["jenis"]
    if kind in ("judul", "paragraf"):
        return _spans(block["isi"])
    if kind == "daftar":
        return " | ".join(_spans(b) for b in block["butir"])
    rows = [block["kepala"], *block["baris"]]
    return " / ".join(" | ".join(_spans(c) for c in row) for row in rows)


def _home_rows(period: str, data: dict) -> list[dict]:
    """The home's headline and unit list as rows of the long table."""
    head = data["utama"]
    if head is None:
        return []
    base = {"periode": period, "bagian": "beranda", "kode_unit": "", "nama_unit": "Kota Sibolga"}
    city = head["ikm_kota"]
    kanal = city["kanal"] or {}
    city_base = {
        **base,
        "rincian": "ikm_kota",
        "n": city["n"],
        "status": city["status"],
        "keterangan": city["keterangan"],
    }
    rows = [
        {**city_base, "ukuran": "ikm_konversi", "nilai": city["nilai"]},
        {**city_base, "ukuran": "mutu", "nilai": (city["mutu"] or {}).get("kode")},
        {**city_base, "ukuran": "responden_kios", "nilai": kanal.get("kios")},
        {**city_base, "ukuran": "responden_ponsel", "nilai": kanal.get("ponsel")},
        {**base, "rincian": "ikm", "ukuran": "unit_dinilai", "nilai": head["ikm"]["unit_dinilai"]},
        {**base, "rincian": "ikm", "ukuran": "unit_baik", "nilai": head["ikm"]["unit_baik"]},
    ]
    rows += [
        {**base, "rincian": "ikm", "ukuran": f"mutu_{m['kode']}", "nilai": m["jumlah"]}
        for m in head["ikm"]["per_mutu"]
    ]
    svc = head["tepat_waktu"]
    rows += [
        {
            **base,
            "rincian": "tepat_waktu",
            "ukuran": "persen",
            "nilai": svc["persen"],
            "n": svc["permohonan"] if svc["persen"] is not None else None,
        },
        {**base, "rincian": "responden", "ukuran": "jumlah", "nilai": head["responden"]["jumlah"]},
    ]
    for unit in data["unit"]:
        rows.append(
            {
                "periode": period,
                "bagian": "unit",
                "kode_unit": unit["kode"],
                "nama_unit": unit["nama"],
                "ukuran": "ikm_konversi",
                "nilai": unit["ikm"],
                "status": "OK" if unit["ikm"] is not None else "",
            }
        )
    return rows
