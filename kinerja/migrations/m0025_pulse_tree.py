"""The pulse of trust folds a closed period's groups over the unit tree frozen at the close
(issue 23): ``pulse_tree`` keeps, per period, every unit's parent as the close found it.

The schema of this version is stated here in SQL. Periods already closed get today's tree
(the tree they were read with until now).
"""

import json

from kinerja.db import is_sqlite

VERSION = 25
DESCRIPTION = "Survei denyut kepercayaan: pohon unit dibekukan saat periode ditutup"

TABLE_SQL = (
    'CREATE TABLE IF NOT EXISTS "pulse_tree" ('
    '"id" {pk}, '
    '"period_id" INTEGER NOT NULL, '
    '"parents" TEXT NOT NULL, '
    'FOREIGN KEY ("period_id") REFERENCES "period" ("id") ON DELETE CASCADE)'
)
INDEX_SQL = 'CREATE UNIQUE INDEX IF NOT EXISTS "pulse_tree_period_id" ON "pulse_tree" ("period_id")'


def up(db):
    """Create ``pulse_tree``; freeze today's tree for the periods already closed."""
    sqlite = is_sqlite()
    db.execute_sql(
        TABLE_SQL.format(
            pk="INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY"
        )
    )
    db.execute_sql(INDEX_SQL)
    tree = {str(u): p for u, p in db.execute_sql('SELECT "id", "parent_id" FROM "unit"').fetchall()}
    closed = db.execute_sql(
        'SELECT "id" FROM "period" WHERE "status" = \'DITUTUP\' AND "id" NOT IN '
        '(SELECT "period_id" FROM "pulse_tree")'
    ).fetchall()
    mark = "?" if sqlite else "%s"
    for (period_id,) in closed:
        db.execute_sql(
            f'INSERT INTO "pulse_tree" ("period_id", "parents") VALUES ({mark}, {mark})',
            (period_id, json.dumps(tree, sort_keys=True)),
        )
