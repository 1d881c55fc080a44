"""The city IKM and the respondents per channel in public snapshots (issue 22).

The schema of this version is stated here (not taken from today's models):
``public_snapshot`` gains the city IKM of the period (status, n, konversi, mutu, which
answers it covers, the number of units shown, respondents per channel) and
``public_unit_figure`` the respondents of a unit's IKM per channel (kiosk, phone).
A snapshot published before this version has none of them: the pages show them as
"belum ada data" until the period is published again.
"""

from peewee import CharField, DecimalField, IntegerField

from kinerja.migrations import add_column_if_missing

VERSION = 23
DESCRIPTION = (
    "Cuplikan data publik: IKM kota dengan mutu, jumlah responden per kanal (kios, ponsel)"
)


def _columns() -> dict[str, dict]:
    count = {"null": True}
    return {
        "public_snapshot": {
            "city_ikm_status": CharField(max_length=10, default="NO_DATA"),
            "city_ikm_n": IntegerField(**count),
            "city_ikm_konversi": DecimalField(
                max_digits=8, decimal_places=2, null=True, auto_round=True
            ),
            "city_mutu": CharField(max_length=1, default=""),
            "city_scope": CharField(max_length=8, default=""),
            "city_units": IntegerField(**count),
            "city_kiosk_n": IntegerField(**count),
            "city_phone_n": IntegerField(**count),
        },
        "public_unit_figure": {
            "kiosk_n": IntegerField(**count),
            "phone_n": IntegerField(**count),
        },
    }


def up(db):
    """Add the city IKM columns and the per-channel counts (a fresh database has them)."""
    for table, columns in _columns().items():
        for name, field in columns.items():
            add_column_if_missing(db, table, name, field)
