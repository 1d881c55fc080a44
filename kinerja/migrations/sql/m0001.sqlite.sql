-- Migration 1: the schema as of this version (sqlite). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "schema_version" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" DATETIME NOT NULL);

CREATE TABLE IF NOT EXISTS "setting" ("id" INTEGER NOT NULL PRIMARY KEY, "key" VARCHAR(80) NOT NULL, "value" TEXT NOT NULL, "updated_at" DATETIME NOT NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "setting_key" ON "setting" ("key");

CREATE TABLE IF NOT EXISTS "unit" ("id" INTEGER NOT NULL PRIMARY KEY, "code" VARCHAR(40) NOT NULL, "name" VARCHAR(200) NOT NULL, "short_name" VARCHAR(80) NOT NULL, "kind" VARCHAR(20) NOT NULL, "parent_id" INTEGER, "serves_public" INTEGER NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("parent_id") REFERENCES "unit" ("id") ON DELETE RESTRICT);

CREATE UNIQUE INDEX IF NOT EXISTS "unit_code" ON "unit" ("code");

CREATE INDEX IF NOT EXISTS "unit_kind" ON "unit" ("kind");

CREATE INDEX IF NOT EXISTS "unit_parent_id" ON "unit" ("parent_id");

CREATE INDEX IF NOT EXISTS "unit_serves_public" ON "unit" ("serves_public");

CREATE TABLE IF NOT EXISTS "employee" ("id" INTEGER NOT NULL PRIMARY KEY, "nip" VARCHAR(18) NOT NULL, "name" VARCHAR(120) NOT NULL, "gelar_depan" VARCHAR(40) NOT NULL, "gelar_belakang" VARCHAR(60) NOT NULL, "jabatan" VARCHAR(200) NOT NULL, "jenis_jabatan" VARCHAR(20) NOT NULL, "jenjang" VARCHAR(20), "golongan" VARCHAR(8) NOT NULL, "status" VARCHAR(8) NOT NULL, "unit_id" INTEGER NOT NULL, "supervisor_id" INTEGER, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT, FOREIGN KEY ("supervisor_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "employee_nip" ON "employee" ("nip");

CREATE INDEX IF NOT EXISTS "employee_jenis_jabatan" ON "employee" ("jenis_jabatan");

CREATE INDEX IF NOT EXISTS "employee_unit_id" ON "employee" ("unit_id");

CREATE INDEX IF NOT EXISTS "employee_supervisor_id" ON "employee" ("supervisor_id");

CREATE INDEX IF NOT EXISTS "employee_active" ON "employee" ("active");

CREATE TABLE IF NOT EXISTS "acting_official" ("id" INTEGER NOT NULL PRIMARY KEY, "acting_id" INTEGER NOT NULL, "for_employee_id" INTEGER NOT NULL, "kind" VARCHAR(4) NOT NULL, "start" DATE NOT NULL, "end" DATE NOT NULL, "note" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("acting_id") REFERENCES "employee" ("id") ON DELETE CASCADE, FOREIGN KEY ("for_employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "acting_official_acting_id" ON "acting_official" ("acting_id");

CREATE INDEX IF NOT EXISTS "acting_official_for_employee_id" ON "acting_official" ("for_employee_id");

CREATE INDEX IF NOT EXISTS "acting_official_for_employee_id_start_end" ON "acting_official" ("for_employee_id", "start", "end");

CREATE INDEX IF NOT EXISTS "acting_official_acting_id_start" ON "acting_official" ("acting_id", "start");

CREATE TABLE IF NOT EXISTS "account" ("id" INTEGER NOT NULL PRIMARY KEY, "employee_id" INTEGER NOT NULL, "password_hash" VARCHAR(255) NOT NULL, "must_change_password" INTEGER NOT NULL, "failed_attempts" INTEGER NOT NULL, "locked_until" DATETIME, "last_login_at" DATETIME, "password_changed_at" DATETIME, "session_nonce" VARCHAR(32) NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE);

CREATE UNIQUE INDEX IF NOT EXISTS "account_employee_id" ON "account" ("employee_id");

CREATE TABLE IF NOT EXISTS "account_role" ("id" INTEGER NOT NULL PRIMARY KEY, "account_id" INTEGER NOT NULL, "role" VARCHAR(16) NOT NULL, "granted_at" DATETIME NOT NULL, FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "account_role_account_id" ON "account_role" ("account_id");

CREATE UNIQUE INDEX IF NOT EXISTS "account_role_account_id_role" ON "account_role" ("account_id", "role");

CREATE TABLE IF NOT EXISTS "login_throttle" ("id" INTEGER NOT NULL PRIMARY KEY, "client_key" VARCHAR(64) NOT NULL, "window_start" DATETIME NOT NULL, "failures" INTEGER NOT NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "login_throttle_client_key" ON "login_throttle" ("client_key");

CREATE TABLE IF NOT EXISTS "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "actor_account_id" INTEGER, "actor_label" VARCHAR(120) NOT NULL, "action" VARCHAR(60) NOT NULL, "object_type" VARCHAR(40) NOT NULL, "object_id" VARCHAR(40) NOT NULL, "before" TEXT NOT NULL, "after" TEXT NOT NULL, "prev_hash" VARCHAR(64) NOT NULL, "hash" VARCHAR(64) NOT NULL);

CREATE INDEX IF NOT EXISTS "audit_event_at" ON "audit_event" ("at");

CREATE INDEX IF NOT EXISTS "audit_event_actor_account_id" ON "audit_event" ("actor_account_id");

CREATE INDEX IF NOT EXISTS "audit_event_action" ON "audit_event" ("action");

CREATE INDEX IF NOT EXISTS "audit_event_object_type" ON "audit_event" ("object_type");

CREATE INDEX IF NOT EXISTS "audit_event_object_type_object_id" ON "audit_event" ("object_type", "object_id");

CREATE TABLE IF NOT EXISTS "audit_head" ("id" INTEGER NOT NULL PRIMARY KEY, "last_hash" VARCHAR(64) NOT NULL, "count" INTEGER NOT NULL);
