"""Open-data descriptors of a published snapshot (issue 22 part 3).

Each published snapshot is also a Frictionless *Tabular Data Package* (``datapackage.json``,
a Table Schema for every CSV) and a DCAT catalogue entry (JSON-LD) for Satu Data Indonesia.
Both describe the CSV twins of the public pages at stable per-snapshot paths
(``/publik/data/<id>/...``): the file names here are relative to that folder, so the package
stays valid wherever it is copied. Nothing here reads raw answers: only the snapshot rows.
"""

import re

from kinerja.formatting import IndonesianExcel
from kinerja.models.public import FigureStatus, PublicSnapshot, PublicUnitFigure
from kinerja.queries.public_common import LICENCE, SOURCE
from kinerja.queries.public_csv import CSV_COLUMNS

PUBLISHER = "Pemerintah Kota Sibolga"
AUTHOR = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia (BKPSDM) Kota Sibolga"
REGION_CODE = "12.73"  # Kemendagri code of Kota Sibolga (Provinsi Sumatera Utara = 12)
REGION_NAME = "Kota Sibolga"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
KEYWORDS = ["indeks kepuasan masyarakat", "IKM", "SKM", "pelayanan publik", "Kota Sibolga"]
PACKAGE_FILE = "datapackage.json"
DCAT_FILE = "dcat.jsonld"
_KEY = re.compile(r"^(\d{1,12})-(\d{20})$")

# How numbers are written in the CSV (kinerja.formatting.csv_cell): a decimal comma and no
# thousands separator, as Excel set to Indonesian reads them.
DECIMAL_CHAR = ","
GROUP_CHAR = ""

# The CSV dialect of every public download (kinerja.formatting.IndonesianExcel).
DIALECT = {
    "delimiter": IndonesianExcel.delimiter,
    "lineTerminator": IndonesianExcel.lineterminator,
    "quoteChar": IndonesianExcel.quotechar,
    "doubleQuote": True,
    "header": True,
}
ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark, so Excel reads it as UTF-8
MISSING_VALUES = [""]  # a figure that is not shown is an empty cell (see status, keterangan)

PARTS = {
    "ringkasan": ["ikm", "layanan", "sampel", "tren", "proses"],
    "unit": ["ikm", "layanan", "sampel", "tren", "unsur", "indeks_cepat", "jenis_layanan"]
    + ["predikat"],
    "katalog": ["dataset", "kamus"],
}
FIELD_DOCS = {
    "periode": "Nama periode cuplikan",
    "bagian": "Bagian angka",
    "kode_unit": "Kode unit layanan atau OPD",
    "nama_unit": "Nama unit layanan atau OPD",
    "rincian": "Rincian (bulan TTTT-BB, unsur, jenis layanan, predikat); kosong bila tidak ada",
    "ukuran": "Nama ukuran (mis. ikm_konversi, mutu, persen_tepat_waktu)",
    "nilai": "Nilai ukuran bila berupa angka: koma desimal, tanpa pemisah ribuan (mis. 3,13 "
    "atau 1234,5); kosong bila tidak ditampilkan atau bila nilainya teks (lihat nilai_teks)",
    "nilai_teks": "Nilai ukuran bila bukan angka: kode mutu A–D, satuan, Ya/Tidak atau teks; "
    "kosong bila nilainya angka atau tidak ditampilkan",
    "n": "Jumlah responden, permohonan selesai atau pegawai yang dicakup (bilangan bulat)",
    "status": "OK, WITHHELD, NO_DATA, ROLLED atau SUPPRESSED (lihat kamus data)",
    "keterangan": "Alasan bila angka tidak ditampilkan",
}


def snapshot_key(snapshot: PublicSnapshot) -> str:
    """The stable id of a snapshot in its URLs: row id and build time (UTC, to the µs).

    A rebuild of the same period is a new snapshot with a new build time, so a key once
    published never names other figures, even if the database reuses the row id.
    """
    return f"{snapshot.id}-{snapshot.built_at:%Y%m%d%H%M%S%f}"


def snapshot_by_key(key: str) -> PublicSnapshot | None:
    """The published snapshot of ``key``, or None for an unknown or malformed key."""
    match = _KEY.match(key or "")
    if match is None:
        return None
    snapshot = PublicSnapshot.get_or_none(PublicSnapshot.id == int(match.group(1)))
    if snapshot is None or snapshot_key(snapshot) != key:
        return None
    return snapshot


def unit_codes(snapshot: PublicSnapshot) -> list[str]:
    """The unit codes of the snapshot, in page order (each has a unit CSV)."""
    return [
        r.code
        for r in PublicUnitFigure.select(PublicUnitFigure.code)
        .where(PublicUnitFigure.snapshot == snapshot)
        .order_by(PublicUnitFigure.position)
    ]


def files(snapshot: PublicSnapshot) -> list[dict]:
    """Every CSV of the snapshot: resource name, kind, title and path in its folder."""
    out = [
        {"name": "ringkasan", "jenis": "ringkasan", "kode": None, "path": "ringkasan.csv"},
        {"name": "katalog", "jenis": "katalog", "kode": None, "path": "katalog.csv"},
    ]
    taken = {"ringkasan", "katalog"}
    for code in unit_codes(snapshot):
        base = "unit-" + (re.sub(r"[^a-z0-9._-]+", "-", code.lower()).strip("-") or "x")
        name, i = base, 2
        while name in taken:  # two codes that differ only in case or punctuation
            name, i = f"{base}-{i}", i + 1
        taken.add(name)
        out.append({"name": name, "jenis": "unit", "kode": code, "path": f"unit/{code}.csv"})
    return out


def _title(item: dict) -> str:
    if item["jenis"] == "ringkasan":
        return "Ringkasan kota: semua unit layanan dan proses OPD"
    if item["jenis"] == "katalog":
        return "Katalog data dan kamus data"
    return f"Unit {item['kode']}: IKM, unsur, tren, standar pelayanan, sebaran predikat"


def table_schema(kind: str) -> dict:
    """The Table Schema of a public CSV (the long format, one row per figure)."""
    fields = []
    for column in CSV_COLUMNS:
        field = {"name": column, "type": "string", "description": FIELD_DOCS[column]}
        if column == "n":
            field["type"] = "integer"
            field["constraints"] = {"minimum": 0}
        elif column == "nilai":
            field.update(type="number", decimalChar=DECIMAL_CHAR, groupChar=GROUP_CHAR)
        elif column == "bagian":
            field["constraints"] = {"required": True, "enum": PARTS[kind]}
        elif column == "periode":
            field["constraints"] = {"required": True}
        elif column == "status":
            field["constraints"] = {"enum": [str(s) for s in FigureStatus]}
        fields.append(field)
    return {
        "fields": fields,
        "missingValues": MISSING_VALUES,
        "primaryKey": ["bagian", "kode_unit", "rincian", "ukuran"],  # one row per figure
    }


def _temporal(snapshot: PublicSnapshot) -> dict:
    return {"start": snapshot.period_start.isoformat(), "end": snapshot.period_end.isoformat()}


def _issued(snapshot: PublicSnapshot) -> str:
    return snapshot.built_at.replace(microsecond=0).isoformat() + "Z"  # stored as naive UTC


def datapackage(snapshot: PublicSnapshot, homepage: str = "") -> dict:
    """The snapshot as a Frictionless Tabular Data Package (paths relative to its folder)."""
    key = snapshot_key(snapshot)
    resources = []
    for item in files(snapshot):
        resources.append(
            {
                "name": item["name"],
                "title": _title(item),
                "path": item["path"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": ENCODING,
                "dialect": DIALECT,
                "schema": table_schema(item["jenis"]),
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": f"kinerja-sibolga-{key}",
        "id": f"kinerja-sibolga-{key}",
        "title": f"Kinerja layanan publik Kota Sibolga, {snapshot.period_name}",
        "description": (
            "Angka halaman publik Kinerja Sibolga untuk satu periode: Indeks Kepuasan "
            "Masyarakat (IKM) per unit layanan, ketepatan waktu layanan, kecukupan sampel, "
            "sebaran predikat pegawai dan jalannya penilaian per OPD, sesudah pengendalian "
            "pengungkapan. CSV: pemisah titik koma, koma desimal, UTF-8 dengan BOM."
        ),
        "version": key,
        "created": _issued(snapshot),
        "keywords": KEYWORDS,
        "licenses": [{"name": LICENCE["kode"], "title": LICENCE["nama"], "path": LICENCE_URL}],
        "sources": [{"title": SOURCE}],
        "contributors": [
            {"title": PUBLISHER, "role": "publisher"},
            {"title": AUTHOR, "role": "author"},
        ],
        "temporalCoverage": _temporal(snapshot),
        "spatialCoverage": {"kode_wilayah_kemendagri": REGION_CODE, "nama": REGION_NAME},
        "resources": resources,
    }
    if homepage:
        package["homepage"] = homepage
        package["sources"][0]["path"] = homepage
    return package


def dcat(snapshot: PublicSnapshot, folder: str, landing: str = "") -> dict:
    """The snapshot as a DCAT ``dcat:Dataset`` in JSON-LD (for Satu Data Indonesia).

    ``folder`` is the URL of the snapshot's folder, ending in ``/`` (absolute when the
    portal knows its public address, else a path that resolves against this document).
    """
    key = snapshot_key(snapshot)
    package = datapackage(snapshot)
    licence = {"@id": LICENCE_URL}
    distributions = [
        {
            "@type": "dcat:Distribution",
            "dct:title": r["title"],
            "dct:format": "CSV",
            "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/text/csv"},
            "dcat:downloadURL": {"@id": folder + r["path"]},
            "dcat:accessURL": {"@id": folder + r["path"]},
            "dct:license": licence,
            "dct:conformsTo": {"@id": folder + PACKAGE_FILE},
        }
        for r in package["resources"]
    ]
    distributions.append(
        {
            "@type": "dcat:Distribution",
            "dct:title": "Frictionless Data Package (datapackage.json) dengan Table Schema",
            "dct:format": "JSON",
            "dcat:mediaType": {
                "@id": "https://www.iana.org/assignments/media-types/application/json"
            },
            "dcat:downloadURL": {"@id": folder + PACKAGE_FILE},
            "dcat:accessURL": {"@id": folder + PACKAGE_FILE},
            "dct:license": licence,
            "dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/tabular-data-package/"},
        }
    )
    temporal = _temporal(snapshot)
    entry = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "owl": "http://www.w3.org/2002/07/owl#",
        },
        "@id": folder + DCAT_FILE + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": package["id"],
        "dct:title": {"@value": package["title"], "@language": "id"},
        "dct:description": {"@value": package["description"], "@language": "id"},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": PUBLISHER},
        "dct:creator": {"@type": "foaf:Organization", "foaf:name": AUTHOR},
        "dct:license": licence,
        "dct:rights": LICENCE["nama"],
        "dct:issued": {"@value": _issued(snapshot), "@type": "xsd:dateTime"},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": temporal["start"], "@type": "xsd:date"},
            "dcat:endDate": {"@value": temporal["end"], "@type": "xsd:date"},
        },
        "dct:spatial": {
            "@type": "dct:Location",
            "dct:identifier": REGION_CODE,
            "skos:prefLabel": {"@value": REGION_NAME, "@language": "id"},
            "skos:notation": REGION_CODE,
        },
        "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/id"},
        "dcat:keyword": KEYWORDS,
        "dct:source": SOURCE,
        "owl:versionInfo": key,
        "dcat:distribution": distributions,
    }
    if landing:
        entry["dcat:landingPage"] = {"@id": landing}
    return entry
