-- Migration 2: the schema as of this version (postgres). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "period" ("id" SERIAL NOT NULL PRIMARY KEY, "year" INTEGER NOT NULL, "kind" VARCHAR(10) NOT NULL, "number" INTEGER NOT NULL, "name" VARCHAR(60) NOT NULL, "start" DATE NOT NULL, "end" DATE NOT NULL, "status" VARCHAR(14) NOT NULL, "skp_deadline" DATE, "realisation_deadline" DATE, "self_assessment_deadline" DATE, "rating_deadline" DATE, "frozen_settings" TEXT NOT NULL, "opened_at" TIMESTAMP, "closed_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL);

CREATE INDEX IF NOT EXISTS "period_year" ON "period" ("year");

CREATE UNIQUE INDEX IF NOT EXISTS "period_year_kind_number" ON "period" ("year", "kind", "number");
