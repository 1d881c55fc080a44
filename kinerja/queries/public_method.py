"""The method page (docs/metode.md as blocks), its glossary, and the open-data catalogue.

docs/spec/product.md §6.
"""

from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from kinerja.models.public import PublicUnitFigure
from kinerja.queries.public_common import LICENCE, periods, provenance, snapshot_for
from kinerja.scoring import METHOD_VERSION

METHOD_FILE = Path(__file__).resolve().parents[2] / "docs" / "metode.md"


# --- the method page ------------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def inline(token) -> list[dict]:
    """An inline token's text as spans ``{"teks": ..., "gaya": ...}``; ``gaya`` is "tebal",
    "miring", "kode" or None."""
    spans: list[dict] = []
    styles: list[str] = []
    for child in token.children or []:
        if child.type in ("strong_open", "em_open"):
            styles.append("tebal" if child.type == "strong_open" else "miring")
            continue
        if child.type in ("strong_close", "em_close"):
            styles.pop()
            continue
        text = " " if child.type in ("softbreak", "hardbreak") else child.content
        style = "kode" if child.type == "code_inline" else (styles[-1] if styles else None)
        if spans and spans[-1]["gaya"] == style:
            spans[-1]["teks"] += text
        elif text:
            spans.append({"teks": text, "gaya": style})
    return spans


def _list_block(tokens, i: int) -> tuple[dict, int]:
    """The list opening at ``tokens[i]``: its items' text, and the index after it."""
    close = tokens[i].type.replace("_open", "_close")
    depth, items = tokens[i].level, []
    i += 1
    while not (tokens[i].type == close and tokens[i].level == depth):
        if tokens[i].type == "list_item_open":
            items.append([])
        elif tokens[i].type == "inline":
            if items[-1]:
                items[-1].append({"teks": " ", "gaya": None})
            items[-1].extend(inline(tokens[i]))
        i += 1
    ordered = close == "ordered_list_close"
    return {"jenis": "daftar", "berurut": ordered, "butir": items}, i + 1


def _table_block(tokens, i: int) -> tuple[dict, int]:
    """The table opening at ``tokens[i]``: head cells and body rows, and the index after it."""
    head: list = []
    rows: list = []
    in_body = False
    while tokens[i].type != "table_close":
        kind = tokens[i].type
        if kind == "tbody_open":
            in_body = True
        elif kind == "tr_open" and in_body:
            rows.append([])
        elif kind == "inline":
            (rows[-1] if in_body else head).append(inline(tokens[i]))
        i += 1
    return {"jenis": "tabel", "kepala": head, "baris": rows}, i + 1


def parse_markdown(text: str) -> list[dict]:
    """docs/metode.md as blocks, parsed by markdown-it-py (CommonMark and tables; raw HTML
    is not allowed, so nothing needs escaping beyond what the template does).

    Blocks: ``judul`` (tingkat, isi), ``paragraf`` (isi), ``daftar`` (berurut, butir),
    ``tabel`` (kepala, baris); ``isi``, items and cells are span lists from :func:`inline`.
    """
    tokens = _MARKDOWN.parse(text)
    blocks: list[dict] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            blocks.append(
                {"jenis": "judul", "tingkat": int(token.tag[1]), "isi": inline(tokens[i + 1])}
            )
            i += 3
        elif token.type == "paragraph_open":
            blocks.append({"jenis": "paragraf", "isi": inline(tokens[i + 1])})
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            block, i = _list_block(tokens, i)
            blocks.append(block)
        elif token.type == "table_open":
            block, i = _table_block(tokens, i)
            blocks.append(block)
        else:
            i += 1
    return blocks


@lru_cache(maxsize=4)
def _method_blocks(text: str) -> tuple:
    return tuple(parse_markdown(text))


def method() -> dict:
    """The method page: docs/metode.md as blocks, with the version and thresholds in force."""
    snapshot, snapshots = snapshot_for(None)
    text = METHOD_FILE.read_text(encoding="utf-8")
    blocks = [dict(b) for b in _method_blocks(text)]
    if blocks and blocks[0]["jenis"] == "judul" and blocks[0]["tingkat"] <= 2:
        blocks = blocks[1:]  # the page has its own title
    return {
        "halaman": "metode",
        "judul": "Metode perhitungan",
        "asal": provenance(snapshot),
        "periode_tersedia": periods(snapshots, snapshot),
        "versi_metode": METHOD_VERSION,
        "blok": blocks,
    }


# --- the open data catalogue ----------------------------------------------------------------

DICTIONARY = [
    (
        "ringkasan, unit",
        "status",
        "OK = ditampilkan; WITHHELD = data ditahan (n kurang dari "
        "ambang); NO_DATA = belum ada data; ROLLED = digabung ke unit induk; SUPPRESSED = ditahan "
        "agar angka lain yang ditahan tidak dapat dihitung",
    ),
    ("ringkasan, unit", "keterangan", "Alasan bila angka tidak ditampilkan"),
    ("ringkasan, unit", "n", "Jumlah responden, permohonan selesai, atau pegawai yang dicakup"),
    ("ringkasan, unit", "ikm.nilai", "IKM unit pelayanan (nilai konversi 25–100), dua desimal"),
    ("unit", "ikm.nilai_interval", "IKM nilai interval (1–4), empat desimal"),
    ("ringkasan, unit", "ikm.mutu", "Mutu pelayanan A–D dari nilai konversi"),
    ("ringkasan, unit", "ikm.cakupan", "Unit yang tercakup dalam angka (unit dan sub-unitnya)"),
    (
        "unit",
        "ikm.kanal",
        "Jumlah responden IKM per kanal: kios dan ponsel (kode QR tanda terima); hanya jumlah, "
        "kosong bila n tidak ditampilkan",
    ),
    (
        "beranda",
        "utama.ikm_kota",
        "IKM kota (nilai konversi 25–100) dengan mutu, n dan responden per kanal, dari semua "
        "jawaban periode kios dan ponsel; cakupan unit_ditampilkan bila jawaban unit yang "
        "ditahan tidak ikut dihitung (kurang dari 10)",
    ),
    ("unit", "unsur[].nilai", "Nilai rata-rata (NRR) unsur U1–U9, skala 1–4, empat desimal"),
    (
        "ringkasan, unit",
        "sampel.pengguna_layanan",
        "N: jumlah permohonan layanan yang dilayani unit dan sub-unitnya dalam periode",
    ),
    ("ringkasan, unit", "sampel.sampel_minimal", "S: jumlah sampel minimal Krejcie–Morgan untuk N"),
    ("ringkasan, unit", "sampel.tercapai", "Apakah n responden IKM mencapai S"),
    ("unit", "indeks_cepat.nilai", "Indeks cepat empat wajah (0–100); bukan IKM"),
    ("ringkasan, unit", "tren[].bulan", "Bulan (TTTT-BB) dari 12 bulan sampai akhir periode"),
    ("ringkasan, unit", "tren[].nilai", "IKM bulan itu (nilai konversi)"),
    ("ringkasan, unit", "layanan.nilai", "Persentase permohonan selesai tepat waktu"),
    ("unit", "layanan.median, layanan.p90", "Median dan persentil ke-90 lama penyelesaian"),
    ("unit", "layanan.satuan", "Satuan lama penyelesaian: hari kerja atau menit"),
    ("unit", "layanan.pengerjaan_ulang", "Persentase permohonan yang dikembalikan untuk perbaikan"),
    ("unit", "jenis_layanan[]", "Angka yang sama per jenis layanan, dengan standar waktunya"),
    (
        "unit",
        "predikat.sel[].jumlah",
        "Jumlah pegawai per predikat kinerja periode terakhir "
        "yang ditutup; kosong bila disembunyikan",
    ),
    (
        "unit",
        "predikat.sel[].tersembunyi",
        "≤4 = jumlah kecil disembunyikan; ditahan = "
        "disembunyikan agar jumlah kecil tidak dapat dihitung dari total",
    ),
    (
        "ringkasan",
        "proses[].skp_disetujui_tepat_waktu",
        "Persentase pegawai aktif OPD yang SKP tahunnya disetujui paling lambat batas waktu SKP",
    ),
    ("ringkasan", "proses[].evaluasi_final", "Persentase evaluasi periode yang sudah final"),
    (
        "ringkasan",
        "proses[].keberatan",
        "Jumlah keberatan diajukan dan diputus (1–4 disembunyikan)",
    ),
    (
        "CSV",
        "periode, bagian, kode_unit, nama_unit, rincian, ukuran, nilai, nilai_teks, n, status, "
        "keterangan",
        "Format panjang: satu baris per angka; nilai berisi angka saja (koma desimal, tanpa "
        "pemisah ribuan), nilai_teks berisi kode mutu, satuan, Ya/Tidak atau teks; pemisah "
        "titik koma, UTF-8 dengan BOM",
    ),
]


def catalogue(period_id: int | None = None) -> dict:
    """The open data page: every download, the licence and the data dictionary.

    With ``period_id`` the downloads of that period's snapshot (its stable ``katalog.csv``).
    """
    snapshot, snapshots = snapshot_for(period_id)
    units = []
    if snapshot is not None:
        units = [
            {"kode": r.code, "nama": r.short_name or r.name}
            for r in PublicUnitFigure.select(
                PublicUnitFigure.code, PublicUnitFigure.name, PublicUnitFigure.short_name
            )
            .where(PublicUnitFigure.snapshot == snapshot)
            .order_by(PublicUnitFigure.position)
        ]
    return {
        "halaman": "data",
        "judul": "Data terbuka",
        "asal": provenance(snapshot),
        "periode_tersedia": periods(snapshots, snapshot),
        "lisensi": LICENCE,
        "dataset": [
            {"halaman": "ringkasan", "nama": "Ringkasan kota: semua unit layanan dan proses OPD"},
            {"halaman": "metode", "nama": "Metode perhitungan"},
            {"halaman": "data", "nama": "Katalog data dan kamus data"},
        ]
        + [{"halaman": "unit", "kode": u["kode"], "nama": f"Unit: {u['nama']}"} for u in units],
        "kamus": [{"berlaku": a, "kolom": b, "arti": c} for a, b, c in DICTIONARY],
    }


# --- plain words for the technical terms (tooltips; the method page's "Daftar istilah") ----

GLOSSARY = {
    "ikm": (
        "IKM",
        "Indeks Kepuasan Masyarakat: nilai 25–100 dari survei kepuasan warga yang baru "
        "dilayani; makin tinggi makin puas.",
    ),
    "mutu": (
        "mutu",
        "Huruf A–D dari nilai IKM: A sangat baik, B baik, C kurang baik, D tidak baik.",
    ),
    "nrr": (
        "NRR",
        "Nilai rata-rata satu unsur pelayanan (misalnya biaya atau sikap petugas), skala 1–4.",
    ),
    "p90": (
        "P90",
        "9 dari 10 permohonan selesai dalam waktu ini atau lebih cepat.",
    ),
    "krejcie-morgan": (
        "Krejcie–Morgan",
        "Tabel jumlah responden minimal (S) agar survei mewakili semua pengguna layanan (N).",
    ),
    "indeks-cepat": (
        "indeks cepat",
        "Penilaian sekali tekan dengan empat wajah di kios (0–100); petunjuk cepat, bukan IKM.",
    ),
}
