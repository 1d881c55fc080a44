-- Migration 6: the schema as of this version (postgres). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "service_type" ("id" SERIAL NOT NULL PRIMARY KEY, "unit_id" INTEGER NOT NULL, "name" VARCHAR(160) NOT NULL, "standard_value" INTEGER NOT NULL, "standard_unit" VARCHAR(12) NOT NULL, "requirements" TEXT NOT NULL, "fee" NUMERIC(14, 2) NOT NULL, "active" BOOLEAN NOT NULL, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT);

CREATE INDEX IF NOT EXISTS "service_type_unit_id" ON "service_type" ("unit_id");

CREATE UNIQUE INDEX IF NOT EXISTS "service_type_unit_id_name" ON "service_type" ("unit_id", "name");

CREATE TABLE IF NOT EXISTS "service_request" ("id" SERIAL NOT NULL PRIMARY KEY, "unit_id" INTEGER NOT NULL, "service_type_id" INTEGER NOT NULL, "reference" VARCHAR(60) NOT NULL, "received_at" TIMESTAMP NOT NULL, "completed_at" TIMESTAMP, "handler_id" INTEGER, "registered_by_id" INTEGER, "rework" BOOLEAN NOT NULL, "source" VARCHAR(8) NOT NULL, "import_batch_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT, FOREIGN KEY ("service_type_id") REFERENCES "service_type" ("id") ON DELETE RESTRICT, FOREIGN KEY ("handler_id") REFERENCES "employee" ("id") ON DELETE RESTRICT, FOREIGN KEY ("registered_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);

CREATE INDEX IF NOT EXISTS "service_request_unit_id" ON "service_request" ("unit_id");

CREATE INDEX IF NOT EXISTS "service_request_service_type_id" ON "service_request" ("service_type_id");

CREATE INDEX IF NOT EXISTS "service_request_handler_id" ON "service_request" ("handler_id");

CREATE INDEX IF NOT EXISTS "service_request_registered_by_id" ON "service_request" ("registered_by_id");

CREATE UNIQUE INDEX IF NOT EXISTS "service_request_unit_id_reference" ON "service_request" ("unit_id", "reference");

CREATE INDEX IF NOT EXISTS "service_request_unit_id_received_at" ON "service_request" ("unit_id", "received_at");

CREATE INDEX IF NOT EXISTS "service_request_handler_id_completed_at" ON "service_request" ("handler_id", "completed_at");

CREATE INDEX IF NOT EXISTS "service_request_service_type_id_received_at" ON "service_request" ("service_type_id", "received_at");

CREATE INDEX IF NOT EXISTS "service_request_unit_id_completed_at" ON "service_request" ("unit_id", "completed_at");

CREATE TABLE IF NOT EXISTS "city_day_off" ("id" SERIAL NOT NULL PRIMARY KEY, "date" DATE NOT NULL, "name" VARCHAR(120) NOT NULL, "created_at" TIMESTAMP NOT NULL);

CREATE UNIQUE INDEX IF NOT EXISTS "city_day_off_date" ON "city_day_off" ("date");

CREATE TABLE IF NOT EXISTS "import_batch" ("id" SERIAL NOT NULL PRIMARY KEY, "unit_id" INTEGER NOT NULL, "filename" VARCHAR(200) NOT NULL, "content" TEXT NOT NULL, "status" VARCHAR(10) NOT NULL, "row_count" INTEGER NOT NULL, "error_count" INTEGER NOT NULL, "imported_count" INTEGER NOT NULL, "skipped_count" INTEGER NOT NULL, "created_by_account_id" INTEGER, "created_at" TIMESTAMP NOT NULL, "imported_at" TIMESTAMP, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE CASCADE);

CREATE INDEX IF NOT EXISTS "import_batch_unit_id" ON "import_batch" ("unit_id");

CREATE INDEX IF NOT EXISTS "import_batch_status" ON "import_batch" ("status");
