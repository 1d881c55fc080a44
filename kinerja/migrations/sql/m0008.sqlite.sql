-- Migration 8: the schema as of this version (sqlite). Frozen:
-- never edit; a later change is a new migration.
CREATE TABLE IF NOT EXISTS "import_job" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(20) NOT NULL, "filename" VARCHAR(200) NOT NULL, "content" BLOB NOT NULL, "status" VARCHAR(16) NOT NULL, "total" INTEGER NOT NULL, "done" INTEGER NOT NULL, "errors" TEXT NOT NULL, "summary" TEXT NOT NULL, "created_by_account_id" INTEGER, "created_at" DATETIME NOT NULL, "finished_at" DATETIME);

CREATE INDEX IF NOT EXISTS "import_job_status" ON "import_job" ("status");
