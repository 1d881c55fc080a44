"""The city IKM and the respondents per channel in public snapshots (issue 22).

The schema of this version is stated here in SQL (not taken from today's models):
``public_snapshot`` gains the city IKM of the period (status, n, konversi, mutu, which
answers it covers, the number of units shown, respondents per channel) and
``public_unit_figure`` the respondents of a unit's IKM per channel (kiosk, phone).
A snapshot published before this version has none of them: the pages show the city IKM
as "belum ada data" until the period is published again.

Each column is added with one ``ALTER TABLE ... ADD COLUMN`` (a NOT NULL column with its
default), the same on SQLite and PostgreSQL: no table is rebuilt, so on SQLite no
``DROP TABLE`` can cascade to the snapshot's figure rows.
"""

VERSION = 23
DESCRIPTION = (
    "Cuplikan data publik: IKM kota dengan mutu, jumlah responden per kanal (kios, ponsel)"
)

COLUMNS = {
    "public_snapshot": {
        "city_ikm_status": "VARCHAR(10) NOT NULL DEFAULT 'NO_DATA'",
        "city_ikm_n": "INTEGER",
        "city_ikm_konversi": "DECIMAL(8, 2)",
        "city_mutu": "VARCHAR(1) NOT NULL DEFAULT ''",
        "city_scope": "VARCHAR(8) NOT NULL DEFAULT ''",
        "city_units": "INTEGER",
        "city_kiosk_n": "INTEGER",
        "city_phone_n": "INTEGER",
    },
    "public_unit_figure": {
        "kiosk_n": "INTEGER",
        "phone_n": "INTEGER",
    },
}


def up(db):
    """Add the city IKM columns and the per-channel counts (a fresh database has them)."""
    for table, columns in COLUMNS.items():
        existing = {c.name for c in db.get_columns(table)}
        for name, definition in columns.items():
            if name not in existing:
                db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {definition}')
