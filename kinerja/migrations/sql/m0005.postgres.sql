-- Migration 5: the schema as of this version (postgres). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "kiosk" ("id" SERIAL NOT NULL PRIMARY KEY, "unit_id" INTEGER NOT NULL, "name" VARCHAR(120) NOT NULL, "counter" VARCHAR(80) NOT NULL, "service_type_ids" TEXT NOT NULL, "status" VARCHAR(10) NOT NULL, "pairing_code_hash" VARCHAR(64), "pairing_expires_at" TIMESTAMP, "token_hash" VARCHAR(64), "paired_at" TIMESTAMP, "opening_hours" TEXT NOT NULL, "last_seen_at" TIMESTAMP, "last_respondent_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL, "revoked_at" TIMESTAMP, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT);

CREATE INDEX IF NOT EXISTS "kiosk_unit_id" ON "kiosk" ("unit_id");

CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_pairing_code_hash" ON "kiosk" ("pairing_code_hash");

CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_token_hash" ON "kiosk" ("token_hash");

CREATE TABLE IF NOT EXISTS "kiosk_rate_counter" ("id" SERIAL NOT NULL PRIMARY KEY, "kiosk_id" INTEGER NOT NULL, "hour_start" TIMESTAMP NOT NULL, "count" INTEGER NOT NULL, FOREIGN KEY ("kiosk_id") REFERENCES "kiosk" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "kiosk_rate_counter_kiosk_id" ON "kiosk_rate_counter" ("kiosk_id");

CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_rate_counter_kiosk_id_hour_start" ON "kiosk_rate_counter" ("kiosk_id", "hour_start");

CREATE TABLE IF NOT EXISTS "counter_duty" ("id" SERIAL NOT NULL PRIMARY KEY, "kiosk_id" INTEGER NOT NULL, "employee_id" INTEGER NOT NULL, "start" TIMESTAMP NOT NULL, "end" TIMESTAMP, "set_by_account_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("kiosk_id") REFERENCES "kiosk" ("id") ON DELETE CASCADE, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "counter_duty_kiosk_id" ON "counter_duty" ("kiosk_id");

CREATE INDEX IF NOT EXISTS "counter_duty_employee_id" ON "counter_duty" ("employee_id");

CREATE INDEX IF NOT EXISTS "counter_duty_kiosk_id_start" ON "counter_duty" ("kiosk_id", "start");

CREATE INDEX IF NOT EXISTS "counter_duty_employee_id_start" ON "counter_duty" ("employee_id", "start");

CREATE TABLE IF NOT EXISTS "kiosk_response" ("id" SERIAL NOT NULL PRIMARY KEY, "client_id" VARCHAR(36) NOT NULL, "kiosk_id" INTEGER NOT NULL, "unit_id" INTEGER NOT NULL, "service_type_id" INTEGER, "day" DATE NOT NULL, "hour" SMALLINT NOT NULL, "face" SMALLINT NOT NULL, "u1" SMALLINT, "u2" SMALLINT, "u3" SMALLINT, "u4" SMALLINT, "u5" SMALLINT, "u6" SMALLINT, "u7" SMALLINT, "u8" SMALLINT, "u9" SMALLINT, "comment" TEXT NOT NULL, "employee_id" INTEGER, "received_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP, FOREIGN KEY ("kiosk_id") REFERENCES "kiosk" ("id") ON DELETE RESTRICT, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_response_client_id" ON "kiosk_response" ("client_id");

CREATE INDEX IF NOT EXISTS "kiosk_response_unit_id_day" ON "kiosk_response" ("unit_id", "day");

CREATE INDEX IF NOT EXISTS "kiosk_response_employee_id_day" ON "kiosk_response" ("employee_id", "day");

CREATE INDEX IF NOT EXISTS "kiosk_response_kiosk_id_day" ON "kiosk_response" ("kiosk_id", "day");
