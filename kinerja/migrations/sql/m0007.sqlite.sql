-- Migration 7: the schema as of this version (sqlite). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "public_snapshot" ("id" INTEGER NOT NULL PRIMARY KEY, "period_id" INTEGER NOT NULL, "period_name" VARCHAR(60) NOT NULL, "period_start" DATE NOT NULL, "period_end" DATE NOT NULL, "built_at" DATETIME NOT NULL, "method_version" VARCHAR(20) NOT NULL, "thresholds" TEXT NOT NULL, "built_by" VARCHAR(120) NOT NULL, "status" VARCHAR(12) NOT NULL, "predikat_period_name" VARCHAR(60) NOT NULL, FOREIGN KEY ("period_id") REFERENCES "period" ("id") ON DELETE CASCADE);

CREATE UNIQUE INDEX IF NOT EXISTS "public_snapshot_period_id" ON "public_snapshot" ("period_id");

CREATE INDEX IF NOT EXISTS "public_snapshot_built_at" ON "public_snapshot" ("built_at");

CREATE TABLE IF NOT EXISTS "public_unit_figure" ("id" INTEGER NOT NULL PRIMARY KEY, "snapshot_id" INTEGER NOT NULL, "code" VARCHAR(40) NOT NULL, "name" VARCHAR(200) NOT NULL, "short_name" VARCHAR(80) NOT NULL, "kind" VARCHAR(20) NOT NULL, "parent_code" VARCHAR(40) NOT NULL, "opd_code" VARCHAR(40) NOT NULL, "opd_name" VARCHAR(200) NOT NULL, "serves_public" INTEGER NOT NULL, "position" INTEGER NOT NULL, "ikm_status" VARCHAR(10) NOT NULL, "ikm_group" VARCHAR(40) NOT NULL, "ikm_covers" TEXT NOT NULL, "ikm_n" INTEGER, "ikm_konversi" DECIMAL(8, 2), "ikm_interval" DECIMAL(8, 4), "mutu" VARCHAR(1) NOT NULL, "nrr_u1" DECIMAL(8, 2), "nrr_u2" DECIMAL(8, 2), "nrr_u3" DECIMAL(8, 2), "nrr_u4" DECIMAL(8, 2), "nrr_u5" DECIMAL(8, 2), "nrr_u6" DECIMAL(8, 2), "nrr_u7" DECIMAL(8, 2), "nrr_u8" DECIMAL(8, 2), "nrr_u9" DECIMAL(8, 2), "population_status" VARCHAR(10) NOT NULL, "population" INTEGER, "sample_size" INTEGER, "sample_reached" INTEGER, "quick_status" VARCHAR(10) NOT NULL, "quick_n" INTEGER, "quick_index" DECIMAL(8, 2), "svc_status" VARCHAR(10) NOT NULL, "svc_group" VARCHAR(40) NOT NULL, "svc_covers" TEXT NOT NULL, "svc_n" INTEGER, "on_time_rate" DECIMAL(8, 2), "median" INTEGER, "p90" INTEGER, "duration_unit" VARCHAR(12) NOT NULL, "rework_rate" DECIMAL(8, 2), "predikat_status" VARCHAR(10) NOT NULL, "predikat_group" VARCHAR(40) NOT NULL, "predikat_covers" TEXT NOT NULL, "predikat_total" INTEGER, "sangat_baik" INTEGER, "baik" INTEGER, "butuh_perbaikan" INTEGER, "kurang" INTEGER, "sangat_kurang" INTEGER, "predikat_hidden" TEXT NOT NULL, FOREIGN KEY ("snapshot_id") REFERENCES "public_snapshot" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "public_unit_figure_snapshot_id" ON "public_unit_figure" ("snapshot_id");

CREATE UNIQUE INDEX IF NOT EXISTS "public_unit_figure_snapshot_id_code" ON "public_unit_figure" ("snapshot_id", "code");

CREATE TABLE IF NOT EXISTS "public_service_type_figure" ("id" INTEGER NOT NULL PRIMARY KEY, "snapshot_id" INTEGER NOT NULL, "unit_code" VARCHAR(40) NOT NULL, "position" INTEGER NOT NULL, "name" VARCHAR(160) NOT NULL, "standard_label" VARCHAR(40) NOT NULL, "status" VARCHAR(10) NOT NULL, "n" INTEGER, "on_time_rate" DECIMAL(8, 2), "median" INTEGER, "p90" INTEGER, "duration_unit" VARCHAR(12) NOT NULL, "rework_rate" DECIMAL(8, 2), FOREIGN KEY ("snapshot_id") REFERENCES "public_snapshot" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "public_service_type_figure_snapshot_id" ON "public_service_type_figure" ("snapshot_id");

CREATE INDEX IF NOT EXISTS "public_service_type_figure_snapshot_id_unit_code_position" ON "public_service_type_figure" ("snapshot_id", "unit_code", "position");

CREATE TABLE IF NOT EXISTS "public_trend_point" ("id" INTEGER NOT NULL PRIMARY KEY, "snapshot_id" INTEGER NOT NULL, "unit_code" VARCHAR(40) NOT NULL, "month" DATE NOT NULL, "in_period" INTEGER NOT NULL, "status" VARCHAR(10) NOT NULL, "n" INTEGER, "ikm_konversi" DECIMAL(8, 2), "mutu" VARCHAR(1) NOT NULL, FOREIGN KEY ("snapshot_id") REFERENCES "public_snapshot" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "public_trend_point_snapshot_id" ON "public_trend_point" ("snapshot_id");

CREATE UNIQUE INDEX IF NOT EXISTS "public_trend_point_snapshot_id_unit_code_month" ON "public_trend_point" ("snapshot_id", "unit_code", "month");

CREATE TABLE IF NOT EXISTS "public_process_figure" ("id" INTEGER NOT NULL PRIMARY KEY, "snapshot_id" INTEGER NOT NULL, "opd_code" VARCHAR(40) NOT NULL, "opd_name" VARCHAR(200) NOT NULL, "position" INTEGER NOT NULL, "skp_status" VARCHAR(10) NOT NULL, "skp_n" INTEGER, "skp_on_time_rate" DECIMAL(8, 2), "eval_status" VARCHAR(10) NOT NULL, "eval_n" INTEGER, "eval_final_rate" DECIMAL(8, 2), "objections_status" VARCHAR(10) NOT NULL, "objections_filed" INTEGER, "objections_decided" INTEGER, FOREIGN KEY ("snapshot_id") REFERENCES "public_snapshot" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "public_process_figure_snapshot_id" ON "public_process_figure" ("snapshot_id");

CREATE UNIQUE INDEX IF NOT EXISTS "public_process_figure_snapshot_id_opd_code" ON "public_process_figure" ("snapshot_id", "opd_code");
