-- Migration 5: the schema as of this version (sqlite). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "kiosk" ("id" INTEGER NOT NULL PRIMARY KEY, "unit_id" INTEGER NOT NULL, "name" VARCHAR(120) NOT NULL, "counter" VARCHAR(80) NOT NULL, "service_type_ids" TEXT NOT NULL, "status" VARCHAR(10) NOT NULL, "pairing_code_hash" VARCHAR(64), "pairing_expires_at" DATETIME, "token_hash" VARCHAR(64), "paired_at" DATETIME, "opening_hours" TEXT NOT NULL, "last_seen_at" DATETIME, "last_respondent_at" DATETIME, "created_at" DATETIME NOT NULL, "revoked_at" DATETIME, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT);

CREATE INDEX IF NOT EXISTS "kiosk_unit_id" ON "kiosk" ("unit_id");

CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_pairing_code_hash" ON "kiosk" ("pairing_code_hash");

CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_token_hash" ON "kiosk" ("token_hash");

CREATE TABLE IF NOT EXISTS "kiosk_rate_counter" ("id" INTEGER NOT NULL PRIMARY KEY, "kiosk_id" INTEGER NOT NULL, "hour_start" DATETIME NOT NULL, "count" INTEGER NOT NULL, FOREIGN KEY ("kiosk_id") REFERENCES "kiosk" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "kiosk_rate_counter_kiosk_id" ON "kiosk_rate_counter" ("kiosk_id");

CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_rate_counter_kiosk_id_hour_start" ON "kiosk_rate_counter" ("kiosk_id", "hour_start");

CREATE TABLE IF NOT EXISTS "counter_duty" ("id" INTEGER NOT NULL PRIMARY KEY, "kiosk_id" INTEGER NOT NULL, "employee_id" INTEGER NOT NULL, "start" DATETIME NOT NULL, "end" DATETIME, "set_by_account_id" INTEGER, "created_at" DATETIME NOT NULL, FOREIGN KEY ("kiosk_id") REFERENCES "kiosk" ("id") ON DELETE CASCADE, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "counter_duty_kiosk_id" ON "counter_duty" ("kiosk_id");

CREATE INDEX IF NOT EXISTS "counter_duty_employee_id" ON "counter_duty" ("employee_id");

CREATE INDEX IF NOT EXISTS "counter_duty_kiosk_id_start" ON "counter_duty" ("kiosk_id", "start");

CREATE INDEX IF NOT EXISTS "counter_duty_employee_id_start" ON "counter_duty" ("employee_id", "start");

CREATE TABLE IF NOT EXISTS "kiosk_response" ("id" INTEGER NOT NULL PRIMARY KEY, "client_id" VARCHAR(36) NOT NULL, "kiosk_id" INTEGER NOT NULL, "unit_id" INTEGER NOT NULL, "service_type_id" INTEGER, "day" DATE NOT NULL, "hour" INTEGER NOT NULL, "face" INTEGER NOT NULL, "u1" INTEGER, "u2" INTEGER, "u3" INTEGER, "u4" INTEGER, "u5" INTEGER, "u6" INTEGER, "u7" INTEGER, "u8" INTEGER, "u9" INTEGER, "comment" TEXT NOT NULL, "employee_id" INTEGER, "received_at" DATETIME NOT NULL, "updated_at" DATETIME, FOREIGN KEY ("kiosk_id") REFERENCES "kiosk" ("id") ON DELETE RESTRICT, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "kiosk_response_client_id" ON "kiosk_response" ("client_id");

CREATE INDEX IF NOT EXISTS "kiosk_response_unit_id_day" ON "kiosk_response" ("unit_id", "day");

CREATE INDEX IF NOT EXISTS "kiosk_response_employee_id_day" ON "kiosk_response" ("employee_id", "day");

CREATE INDEX IF NOT EXISTS "kiosk_response_kiosk_id_day" ON "kiosk_response" ("kiosk_id", "day");
