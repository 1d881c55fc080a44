"""Migration 23 on a database without the city IKM: a snapshot published before it keeps
its figures, reads "belum ada data" for the city IKM, and the next publication fills it."""

from datetime import date

from kinerja.db import database
from kinerja.migrations import m0023_city_ikm
from kinerja.models.public import PublicSnapshot, PublicUnitFigure
from kinerja.queries import public_home
from kinerja.services.publish import publish
from tests.builders_public import add_answers, make_period


def test_upgrade_adds_the_city_ikm_to_snapshots_published_before(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 25)
    publish(period)
    for table, columns in m0023_city_ikm.COLUMNS.items():
        for name in columns:  # in place: rebuilding the table would cascade to its figures
            database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{name}"')
        assert not set(columns) & {c.name for c in database.get_columns(table)}

    m0023_city_ikm.up(database)
    m0023_city_ikm.up(database)  # harmless twice

    snapshot = PublicSnapshot.get()
    assert snapshot.city_ikm_status == "NO_DATA" and snapshot.city_ikm_n is None
    assert PublicUnitFigure.get(PublicUnitFigure.code == "DUKCAPIL").ikm_n == 25
    home = public_home.home()
    assert home["utama"]["ikm_kota"]["nilai"] is None
    assert home["arti"]["ikm_kota"] == "Belum ada nilai kepuasan kota untuk periode ini."
    assert home["utama"]["responden"]["jumlah"] == 25  # the top units' n, as before

    assert publish(period).replaced  # nothing changed but the city IKM appears
    snapshot = PublicSnapshot.get()
    assert (snapshot.city_ikm_status, snapshot.city_ikm_n) == ("OK", 25)
    assert (snapshot.city_kiosk_n, snapshot.city_phone_n) == (25, 0)
