-- Migration 3: the schema as of this version (postgres). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "skp" ("id" SERIAL NOT NULL PRIMARY KEY, "employee_id" INTEGER NOT NULL, "year" INTEGER NOT NULL, "approach" VARCHAR(12) NOT NULL, "status" VARCHAR(14) NOT NULL, "version" INTEGER NOT NULL, "pejabat_penilai_id" INTEGER, "submitted_at" TIMESTAMP, "approved_at" TIMESTAMP, "approved_by_id" INTEGER, "return_note" TEXT NOT NULL, "returned_at" TIMESTAMP, "in_revision" BOOLEAN NOT NULL, "revision_reason" TEXT NOT NULL, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE RESTRICT, FOREIGN KEY ("pejabat_penilai_id") REFERENCES "employee" ("id") ON DELETE SET NULL, FOREIGN KEY ("approved_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "skp_employee_id" ON "skp" ("employee_id");

CREATE INDEX IF NOT EXISTS "skp_year" ON "skp" ("year");

CREATE INDEX IF NOT EXISTS "skp_status" ON "skp" ("status");

CREATE INDEX IF NOT EXISTS "skp_pejabat_penilai_id" ON "skp" ("pejabat_penilai_id");

CREATE INDEX IF NOT EXISTS "skp_approved_by_id" ON "skp" ("approved_by_id");

CREATE UNIQUE INDEX IF NOT EXISTS "skp_employee_id_year" ON "skp" ("employee_id", "year");

CREATE TABLE IF NOT EXISTS "rhk" ("id" SERIAL NOT NULL PRIMARY KEY, "skp_id" INTEGER NOT NULL, "kind" VARCHAR(10) NOT NULL, "position" INTEGER NOT NULL, "text" TEXT NOT NULL, "parent_rhk_id" INTEGER, "perspektif" VARCHAR(20), FOREIGN KEY ("skp_id") REFERENCES "skp" ("id") ON DELETE CASCADE, FOREIGN KEY ("parent_rhk_id") REFERENCES "rhk" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "rhk_skp_id" ON "rhk" ("skp_id");

CREATE INDEX IF NOT EXISTS "rhk_parent_rhk_id" ON "rhk" ("parent_rhk_id");

CREATE INDEX IF NOT EXISTS "rhk_skp_id_kind_position" ON "rhk" ("skp_id", "kind", "position");

CREATE TABLE IF NOT EXISTS "indicator" ("id" SERIAL NOT NULL PRIMARY KEY, "rhk_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "text" TEXT NOT NULL, "aspek" VARCHAR(10) NOT NULL, "target_value" NUMERIC(14, 2), "target_unit" VARCHAR(40) NOT NULL, "success_criteria" TEXT NOT NULL, "direction" VARCHAR(14) NOT NULL, "linked_service_type_id" INTEGER, "linked_figure" VARCHAR(20), FOREIGN KEY ("rhk_id") REFERENCES "rhk" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "indicator_rhk_id" ON "indicator" ("rhk_id");

CREATE INDEX IF NOT EXISTS "indicator_linked_service_type_id" ON "indicator" ("linked_service_type_id");

CREATE TABLE IF NOT EXISTS "perilaku_expectation" ("id" SERIAL NOT NULL PRIMARY KEY, "skp_id" INTEGER NOT NULL, "value" VARCHAR(24) NOT NULL, "text" TEXT NOT NULL, "author_id" INTEGER, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("skp_id") REFERENCES "skp" ("id") ON DELETE CASCADE, FOREIGN KEY ("author_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "perilaku_expectation_skp_id" ON "perilaku_expectation" ("skp_id");

CREATE INDEX IF NOT EXISTS "perilaku_expectation_author_id" ON "perilaku_expectation" ("author_id");

CREATE UNIQUE INDEX IF NOT EXISTS "perilaku_expectation_skp_id_value" ON "perilaku_expectation" ("skp_id", "value");

CREATE TABLE IF NOT EXISTS "skp_revision" ("id" SERIAL NOT NULL PRIMARY KEY, "skp_id" INTEGER NOT NULL, "version" INTEGER NOT NULL, "snapshot" TEXT NOT NULL, "reason" TEXT NOT NULL, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("skp_id") REFERENCES "skp" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "skp_revision_skp_id" ON "skp_revision" ("skp_id");

CREATE INDEX IF NOT EXISTS "skp_revision_created_by_id" ON "skp_revision" ("created_by_id");

CREATE UNIQUE INDEX IF NOT EXISTS "skp_revision_skp_id_version" ON "skp_revision" ("skp_id", "version");

CREATE TABLE IF NOT EXISTS "realisation" ("id" SERIAL NOT NULL PRIMARY KEY, "indicator_id" INTEGER NOT NULL, "period_id" INTEGER NOT NULL, "value" NUMERIC(14, 2), "narrative" TEXT NOT NULL, "evidence_link" VARCHAR(500) NOT NULL, "evidence_note" TEXT NOT NULL, "automatic" BOOLEAN NOT NULL, "auto_detail" TEXT NOT NULL, "supervisor_feedback" TEXT NOT NULL, "feedback_by_id" INTEGER, "feedback_at" TIMESTAMP, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("indicator_id") REFERENCES "indicator" ("id") ON DELETE CASCADE, FOREIGN KEY ("period_id") REFERENCES "period" ("id") ON DELETE RESTRICT, FOREIGN KEY ("feedback_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "realisation_indicator_id" ON "realisation" ("indicator_id");

CREATE INDEX IF NOT EXISTS "realisation_period_id" ON "realisation" ("period_id");

CREATE INDEX IF NOT EXISTS "realisation_feedback_by_id" ON "realisation" ("feedback_by_id");

CREATE UNIQUE INDEX IF NOT EXISTS "realisation_indicator_id_period_id" ON "realisation" ("indicator_id", "period_id");

CREATE TABLE IF NOT EXISTS "feedback_note" ("id" SERIAL NOT NULL PRIMARY KEY, "employee_id" INTEGER NOT NULL, "author_id" INTEGER NOT NULL, "day" DATE NOT NULL, "kind" VARCHAR(12) NOT NULL, "text" TEXT NOT NULL, "is_dialog" BOOLEAN NOT NULL, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE, FOREIGN KEY ("author_id") REFERENCES "employee" ("id") ON DELETE RESTRICT);

CREATE INDEX IF NOT EXISTS "feedback_note_employee_id" ON "feedback_note" ("employee_id");

CREATE INDEX IF NOT EXISTS "feedback_note_author_id" ON "feedback_note" ("author_id");

CREATE INDEX IF NOT EXISTS "feedback_note_day" ON "feedback_note" ("day");

CREATE TABLE IF NOT EXISTS "feedback_reply" ("id" SERIAL NOT NULL PRIMARY KEY, "note_id" INTEGER NOT NULL, "author_id" INTEGER NOT NULL, "text" TEXT NOT NULL, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("note_id") REFERENCES "feedback_note" ("id") ON DELETE CASCADE, FOREIGN KEY ("author_id") REFERENCES "employee" ("id") ON DELETE RESTRICT);

CREATE INDEX IF NOT EXISTS "feedback_reply_note_id" ON "feedback_reply" ("note_id");

CREATE INDEX IF NOT EXISTS "feedback_reply_author_id" ON "feedback_reply" ("author_id");
