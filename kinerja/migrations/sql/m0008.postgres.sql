-- Migration 8: the schema as of this version (postgres). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "import_job" ("id" SERIAL NOT NULL PRIMARY KEY, "kind" VARCHAR(20) NOT NULL, "filename" VARCHAR(200) NOT NULL, "content" BYTEA NOT NULL, "status" VARCHAR(16) NOT NULL, "total" INTEGER NOT NULL, "done" INTEGER NOT NULL, "errors" TEXT NOT NULL, "summary" TEXT NOT NULL, "created_by_account_id" INTEGER, "created_at" TIMESTAMP NOT NULL, "finished_at" TIMESTAMP);

CREATE INDEX IF NOT EXISTS "import_job_status" ON "import_job" ("status");
