"""The method page's Markdown (docs/metode.md) parsed by markdown-it-py into blocks."""

from kinerja.queries.public_method import METHOD_FILE, parse_markdown

SAMPLE = """## Metode

### Indeks (IKM)

Nilai **tebal**, *miring* dan `kode`,
baris lanjutan. <script>alert(1)</script>

- butir satu
- butir **dua**

1. pertama
2. kedua

| Nilai | Mutu |
|---|---|
| 88,31 – 100 | **A** |
"""


def test_blocks_of_each_kind():
    blocks = parse_markdown(SAMPLE)
    assert [b["jenis"] for b in blocks] == [
        "judul",
        "judul",
        "paragraf",
        "daftar",
        "daftar",
        "tabel",
    ]
    assert blocks[1]["tingkat"] == 3
    assert blocks[1]["isi"] == [{"teks": "Indeks (IKM)", "gaya": None}]
    paragraph = blocks[2]["isi"]
    assert {"teks": "tebal", "gaya": "tebal"} in paragraph
    assert {"teks": "miring", "gaya": "miring"} in paragraph
    assert {"teks": "kode", "gaya": "kode"} in paragraph
    text = "".join(s["teks"] for s in paragraph)
    assert "lanjutan." in text and "\n" not in text
    # Raw HTML is text, never markup (the template escapes it).
    assert "<script>alert(1)</script>" in text
    assert blocks[3]["berurut"] is False
    assert blocks[3]["butir"][1] == [
        {"teks": "butir ", "gaya": None},
        {"teks": "dua", "gaya": "tebal"},
    ]
    assert blocks[4]["berurut"] is True and len(blocks[4]["butir"]) == 2
    table = blocks[5]
    assert table["kepala"] == [[{"teks": "Nilai", "gaya": None}], [{"teks": "Mutu", "gaya": None}]]
    assert table["baris"] == [
        [[{"teks": "88,31 – 100", "gaya": None}], [{"teks": "A", "gaya": "tebal"}]]
    ]


def test_the_method_file_parses_into_headings_paragraphs_lists_and_tables():
    blocks = parse_markdown(METHOD_FILE.read_text(encoding="utf-8"))
    kinds = {b["jenis"] for b in blocks}
    assert kinds == {"judul", "paragraf", "daftar", "tabel"}
    for block in blocks:
        if block["jenis"] == "tabel":
            assert all(len(row) == len(block["kepala"]) for row in block["baris"])
