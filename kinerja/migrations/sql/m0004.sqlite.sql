-- Migration 4: the schema as of this version (sqlite). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "evaluation" ("id" INTEGER NOT NULL PRIMARY KEY, "employee_id" INTEGER NOT NULL, "period_id" INTEGER NOT NULL, "skp_id" INTEGER, "unit_id" INTEGER NOT NULL, "status" VARCHAR(16) NOT NULL, "self_assessed_at" DATETIME, "hasil_rating" VARCHAR(20), "hasil_reason" TEXT NOT NULL, "perilaku_rating" VARCHAR(20), "perilaku_reason" TEXT NOT NULL, "predikat" VARCHAR(16), "predikat_explanation" TEXT NOT NULL, "is_unit_head_rating" INTEGER NOT NULL, "rated_by_id" INTEGER, "rated_at" DATETIME, "finalised_by_id" INTEGER, "finalised_at" DATETIME, "objection_deadline" DATE, "acknowledged_at" DATETIME, "angka_kredit" DECIMAL(8, 3), "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE RESTRICT, FOREIGN KEY ("period_id") REFERENCES "period" ("id") ON DELETE RESTRICT, FOREIGN KEY ("skp_id") REFERENCES "skp" ("id") ON DELETE SET NULL, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT, FOREIGN KEY ("rated_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL, FOREIGN KEY ("finalised_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "evaluation_employee_id" ON "evaluation" ("employee_id");

CREATE INDEX IF NOT EXISTS "evaluation_period_id" ON "evaluation" ("period_id");

CREATE INDEX IF NOT EXISTS "evaluation_skp_id" ON "evaluation" ("skp_id");

CREATE INDEX IF NOT EXISTS "evaluation_unit_id" ON "evaluation" ("unit_id");

CREATE INDEX IF NOT EXISTS "evaluation_status" ON "evaluation" ("status");

CREATE INDEX IF NOT EXISTS "evaluation_predikat" ON "evaluation" ("predikat");

CREATE INDEX IF NOT EXISTS "evaluation_rated_by_id" ON "evaluation" ("rated_by_id");

CREATE INDEX IF NOT EXISTS "evaluation_finalised_by_id" ON "evaluation" ("finalised_by_id");

CREATE UNIQUE INDEX IF NOT EXISTS "evaluation_employee_id_period_id" ON "evaluation" ("employee_id", "period_id");

CREATE TABLE IF NOT EXISTS "self_assessment_rhk" ("id" INTEGER NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "rhk_id" INTEGER NOT NULL, "rating" VARCHAR(20) NOT NULL, "narrative" TEXT NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE, FOREIGN KEY ("rhk_id") REFERENCES "rhk" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "self_assessment_rhk_evaluation_id" ON "self_assessment_rhk" ("evaluation_id");

CREATE INDEX IF NOT EXISTS "self_assessment_rhk_rhk_id" ON "self_assessment_rhk" ("rhk_id");

CREATE UNIQUE INDEX IF NOT EXISTS "self_assessment_rhk_evaluation_id_rhk_id" ON "self_assessment_rhk" ("evaluation_id", "rhk_id");

CREATE TABLE IF NOT EXISTS "self_assessment_value" ("id" INTEGER NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "value" VARCHAR(24) NOT NULL, "rating" VARCHAR(20) NOT NULL, "narrative" TEXT NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "self_assessment_value_evaluation_id" ON "self_assessment_value" ("evaluation_id");

CREATE UNIQUE INDEX IF NOT EXISTS "self_assessment_value_evaluation_id_value" ON "self_assessment_value" ("evaluation_id", "value");

CREATE TABLE IF NOT EXISTS "feedback_request" ("id" INTEGER NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "rater_id" INTEGER NOT NULL, "group" VARCHAR(12) NOT NULL, "requested_by_id" INTEGER, "requested_on" DATE NOT NULL, "answered" INTEGER NOT NULL, "answered_on" DATE, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE, FOREIGN KEY ("rater_id") REFERENCES "employee" ("id") ON DELETE CASCADE, FOREIGN KEY ("requested_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "feedback_request_evaluation_id" ON "feedback_request" ("evaluation_id");

CREATE INDEX IF NOT EXISTS "feedback_request_rater_id" ON "feedback_request" ("rater_id");

CREATE INDEX IF NOT EXISTS "feedback_request_requested_by_id" ON "feedback_request" ("requested_by_id");

CREATE UNIQUE INDEX IF NOT EXISTS "feedback_request_evaluation_id_rater_id" ON "feedback_request" ("evaluation_id", "rater_id");

CREATE TABLE IF NOT EXISTS "feedback_answer" ("id" VARCHAR(32) NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "group" VARCHAR(12) NOT NULL, "value" VARCHAR(24) NOT NULL, "rating" VARCHAR(20) NOT NULL, "comment" TEXT NOT NULL, "day" DATE NOT NULL, "batch" VARCHAR(32) NOT NULL, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS "feedback_answer_evaluation_id" ON "feedback_answer" ("evaluation_id");

CREATE INDEX IF NOT EXISTS "feedback_answer_evaluation_id_group_value" ON "feedback_answer" ("evaluation_id", "group", "value");

CREATE TABLE IF NOT EXISTS "indicator_rating" ("id" INTEGER NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "indicator_id" INTEGER NOT NULL, "rating" VARCHAR(20) NOT NULL, "note" TEXT NOT NULL, "rated_by_id" INTEGER, "rated_at" DATETIME NOT NULL, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE, FOREIGN KEY ("indicator_id") REFERENCES "indicator" ("id") ON DELETE CASCADE, FOREIGN KEY ("rated_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "indicator_rating_evaluation_id" ON "indicator_rating" ("evaluation_id");

CREATE INDEX IF NOT EXISTS "indicator_rating_indicator_id" ON "indicator_rating" ("indicator_id");

CREATE INDEX IF NOT EXISTS "indicator_rating_rated_by_id" ON "indicator_rating" ("rated_by_id");

CREATE UNIQUE INDEX IF NOT EXISTS "indicator_rating_evaluation_id_indicator_id" ON "indicator_rating" ("evaluation_id", "indicator_id");

CREATE TABLE IF NOT EXISTS "org_predikat_assignment" ("id" INTEGER NOT NULL PRIMARY KEY, "unit_id" INTEGER NOT NULL, "period_id" INTEGER NOT NULL, "predikat" VARCHAR(16) NOT NULL, "set_by_id" INTEGER, "set_at" DATETIME NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE CASCADE, FOREIGN KEY ("period_id") REFERENCES "period" ("id") ON DELETE CASCADE, FOREIGN KEY ("set_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "org_predikat_assignment_unit_id" ON "org_predikat_assignment" ("unit_id");

CREATE INDEX IF NOT EXISTS "org_predikat_assignment_period_id" ON "org_predikat_assignment" ("period_id");

CREATE INDEX IF NOT EXISTS "org_predikat_assignment_set_by_id" ON "org_predikat_assignment" ("set_by_id");

CREATE UNIQUE INDEX IF NOT EXISTS "org_predikat_assignment_unit_id_period_id" ON "org_predikat_assignment" ("unit_id", "period_id");

CREATE TABLE IF NOT EXISTS "distribution_pattern_version" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "json" TEXT NOT NULL, "note" TEXT NOT NULL, "created_by_id" INTEGER, "created_at" DATETIME NOT NULL, "active" INTEGER NOT NULL, FOREIGN KEY ("created_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "distribution_pattern_version_version" ON "distribution_pattern_version" ("version");

CREATE INDEX IF NOT EXISTS "distribution_pattern_version_created_by_id" ON "distribution_pattern_version" ("created_by_id");

CREATE INDEX IF NOT EXISTS "distribution_pattern_version_active" ON "distribution_pattern_version" ("active");

CREATE TABLE IF NOT EXISTS "objection" ("id" INTEGER NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "reasons" TEXT NOT NULL, "filed_at" DATETIME NOT NULL, "decided_by_id" INTEGER, "decided_at" DATETIME, "decision" VARCHAR(8), "old_hasil_rating" VARCHAR(20), "old_perilaku_rating" VARCHAR(20), "old_predikat" VARCHAR(16), "new_hasil_rating" VARCHAR(20), "new_perilaku_rating" VARCHAR(20), "new_predikat" VARCHAR(16), "decision_reason" TEXT NOT NULL, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE, FOREIGN KEY ("decided_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "objection_evaluation_id" ON "objection" ("evaluation_id");

CREATE INDEX IF NOT EXISTS "objection_decided_by_id" ON "objection" ("decided_by_id");

CREATE TABLE IF NOT EXISTS "objection_message" ("id" INTEGER NOT NULL PRIMARY KEY, "objection_id" INTEGER NOT NULL, "author_id" INTEGER NOT NULL, "role" VARCHAR(10) NOT NULL, "text" TEXT NOT NULL, "requested_from" VARCHAR(10), "created_at" DATETIME NOT NULL, FOREIGN KEY ("objection_id") REFERENCES "objection" ("id") ON DELETE CASCADE, FOREIGN KEY ("author_id") REFERENCES "employee" ("id") ON DELETE RESTRICT);

CREATE INDEX IF NOT EXISTS "objection_message_objection_id" ON "objection_message" ("objection_id");

CREATE INDEX IF NOT EXISTS "objection_message_author_id" ON "objection_message" ("author_id");

CREATE TABLE IF NOT EXISTS "development_plan" ("id" INTEGER NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "employee_id" INTEGER NOT NULL, "kind" VARCHAR(10) NOT NULL, "description" TEXT NOT NULL, "owner_id" INTEGER NOT NULL, "due" DATE NOT NULL, "status" VARCHAR(10) NOT NULL, "created_by_id" INTEGER, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE, FOREIGN KEY ("owner_id") REFERENCES "employee" ("id") ON DELETE RESTRICT, FOREIGN KEY ("created_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "development_plan_evaluation_id" ON "development_plan" ("evaluation_id");

CREATE INDEX IF NOT EXISTS "development_plan_employee_id" ON "development_plan" ("employee_id");

CREATE INDEX IF NOT EXISTS "development_plan_owner_id" ON "development_plan" ("owner_id");

CREATE INDEX IF NOT EXISTS "development_plan_created_by_id" ON "development_plan" ("created_by_id");

CREATE TABLE IF NOT EXISTS "recognition" ("id" INTEGER NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "nominated_by_id" INTEGER, "nominated_at" DATETIME NOT NULL, "reason" TEXT NOT NULL, "consent" INTEGER, "consent_recorded_at" DATETIME, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE, FOREIGN KEY ("nominated_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "recognition_evaluation_id" ON "recognition" ("evaluation_id");

CREATE INDEX IF NOT EXISTS "recognition_nominated_by_id" ON "recognition" ("nominated_by_id");
