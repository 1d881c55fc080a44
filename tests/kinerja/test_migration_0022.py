"""Migration 22 on a database from before the training catalogue: plans keep their data and
gain the course and completion columns (empty), and the catalogue table appears."""

from datetime import timedelta

import pytest

from kinerja.clock import today_wib
from kinerja.db import database, is_sqlite
from kinerja.migrations import m0022_training_catalogue
from kinerja.models.evaluation import DevelopmentPlan, TrainingCourse
from tests.builders_evaluation import make_evaluation, make_period

OLD_COLUMNS = (
    "id",
    "evaluation_id",
    "employee_id",
    "kind",
    "description",
    "owner_id",
    "due",
    "status",
    "created_by_id",
    "created_at",
    "updated_at",
)
OLD_TABLE = (
    'CREATE TABLE "development_plan" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"evaluation_id" INTEGER NOT NULL, "employee_id" INTEGER NOT NULL, '
    '"kind" VARCHAR(10) NOT NULL, "description" TEXT NOT NULL, "owner_id" INTEGER NOT NULL, '
    '"due" DATE NOT NULL, "status" VARCHAR(10) NOT NULL, "created_by_id" INTEGER, '
    '"created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, '
    'FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("owner_id") REFERENCES "employee" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("created_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL)'
)


def test_upgrade_from_before_the_catalogue_keeps_plans(app, world):
    if not is_sqlite():
        pytest.skip("the earlier table is stated for SQLite")
    ev = make_evaluation(world.people["pegawai"], make_period())
    DevelopmentPlan.create(
        evaluation=ev,
        employee=world.people["pegawai"],
        kind="COACHING",
        description="Coaching lama",
        owner=world.people["supervisor"],
        due=today_wib() + timedelta(days=10),
    )
    columns = ", ".join(f'"{c}"' for c in OLD_COLUMNS)
    rows = database.execute_sql(f'SELECT {columns} FROM "development_plan"').fetchall()
    database.execute_sql("PRAGMA foreign_keys = OFF")
    database.execute_sql('DROP TABLE "development_plan"')
    database.execute_sql('DROP TABLE "training_course"')
    database.execute_sql(OLD_TABLE)
    marks = ", ".join("?" * len(OLD_COLUMNS))
    for row in rows:
        database.execute_sql(f'INSERT INTO "development_plan" ({columns}) VALUES ({marks})', row)
    database.execute_sql("PRAGMA foreign_keys = ON")

    m0022_training_catalogue.up(database)
    m0022_training_catalogue.up(database)  # harmless twice

    names = {c.name for c in database.get_columns("development_plan")}
    assert {"course_id", "completed_at", "completion_note", "recorded_by_id"} <= names
    (plan,) = DevelopmentPlan.select()
    assert (plan.description, plan.course_id, plan.completed_at, plan.completion_note) == (
        "Coaching lama",
        None,
        None,
        "",
    )
    course = TrainingCourse.create(name="Diklat Uji", kind="DIKLAT", provider="LAN", hours=8)
    plan.course = course.id
    plan.save()
    assert DevelopmentPlan.get_by_id(plan.id).course.name == "Diklat Uji"
    foreign = {fk.column: fk.dest_table for fk in database.get_foreign_keys("development_plan")}
    assert foreign["course_id"] == "training_course"
    indexes = {i.name for i in database.get_indexes("development_plan")}
    assert "development_plan_course_id" in indexes
    assert any(i.unique for i in database.get_indexes("training_course"))
