"""Migration 19 on a database of version 18: kiosk answers keep their data, become channel
"kiosk", the kiosk becomes optional, and the survey token table appears."""

from datetime import date

import pytest

from kinerja.db import database, is_sqlite
from kinerja.migrations import m0019_phone_survey
from kinerja.models.kiosk import KioskResponse
from tests.builders_public import add_answers

OLD_COLUMNS = (
    "id",
    "client_id",
    "kiosk_id",
    "unit_id",
    "service_type_id",
    "day",
    "hour",
    "face",
    *[f"u{i}" for i in range(1, 10)],
    "comment",
    "employee_id",
    "received_at",
    "updated_at",
)
OLD_TABLE = (
    'CREATE TABLE "kiosk_response" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"client_id" VARCHAR(36) NOT NULL, "kiosk_id" INTEGER NOT NULL, "unit_id" INTEGER NOT NULL, '
    '"service_type_id" INTEGER, "day" DATE NOT NULL, "hour" SMALLINT NOT NULL, '
    '"face" SMALLINT NOT NULL, '
    + "".join(f'"u{i}" SMALLINT, ' for i in range(1, 10))
    + '"comment" TEXT NOT NULL, "employee_id" INTEGER, "received_at" DATETIME NOT NULL, '
    '"updated_at" DATETIME, FOREIGN KEY ("kiosk_id") REFERENCES "kiosk" ("id"))'
)


def test_upgrade_from_18_keeps_kiosk_answers(app, world):
    if not is_sqlite():
        pytest.skip("the version-18 table is stated for SQLite")
    add_answers(world.units["opd"], date(2026, 11, 2), 3)
    columns = ", ".join(f'"{c}"' for c in OLD_COLUMNS)
    rows = database.execute_sql(f'SELECT {columns} FROM "kiosk_response"').fetchall()
    database.execute_sql("PRAGMA foreign_keys = OFF")
    database.execute_sql('DROP TABLE "kiosk_response"')
    database.execute_sql('DROP TABLE "survey_token"')
    database.execute_sql(OLD_TABLE)
    database.execute_sql(
        'CREATE UNIQUE INDEX "kiosk_response_client_id" ON "kiosk_response" ("client_id")'
    )
    marks = ", ".join("?" * len(OLD_COLUMNS))
    for row in rows:
        database.execute_sql(f'INSERT INTO "kiosk_response" ({columns}) VALUES ({marks})', row)
    database.execute_sql("PRAGMA foreign_keys = ON")

    m0019_phone_survey.up(database)
    m0019_phone_survey.up(database)  # harmless twice

    kiosk_id = next(c for c in database.get_columns("kiosk_response") if c.name == "kiosk_id")
    assert kiosk_id.null
    assert [r.channel for r in KioskResponse.select()] == ["kiosk"] * 3
    assert "survey_token" in database.get_tables()
    indexes = {i.name: i for i in database.get_indexes("kiosk_response")}
    assert indexes["kiosk_response_client_id"].unique
