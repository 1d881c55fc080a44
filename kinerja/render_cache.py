"""Rendered pages shared by every app process, invalidated exactly by database triggers.

A page that is the same for everyone (the public pages) or for one account (its home page,
its team overview) is rendered once and kept in the ``cached_page`` table under

- the **generation** of its scope at the time it was rendered. Every table of the database
  carries triggers that raise its scope's counter in ``data_generation`` in the same
  transaction as the change (``public``: the published snapshot tables; ``core``: every
  other table except the :data:`UNWATCHED` ones). A committed change therefore makes every
  page of its scope stale at once, whatever code path wrote it;
- a **stamp** chosen by the caller: the code version and, for pages that depend on the date,
  the day.

The cache lives in the database, so several app processes share it and never disagree.
A reader takes the generation *before* it reads the data it renders, so a page stored
under generation G shows data at least as new as G. A page that shows data of an
unwatched table must not be cached.
"""

import json
from dataclasses import dataclass

from kinerja.db import database, is_postgres, write_tx
from kinerja.models.system import CachedPage, DataGeneration

SCOPES = ("core", "public")
PUBLIC_TABLES = frozenset(
    {
        "public_snapshot",
        "public_unit_figure",
        "public_service_type_figure",
        "public_trend_point",
        "public_process_figure",
    }
)
# Tables whose changes no cached page shows: the cache itself, bookkeeping that changes on
# every request or login, and the kiosk's high-rate tables (kiosk pages are never cached).
UNWATCHED = frozenset(
    {
        "cached_page",
        "data_generation",
        "schema_version",
        "audit_event",
        "audit_head",
        "login_throttle",
        "kiosk",
        "kiosk_response",
        "kiosk_rate_counter",
    }
)
MAX_BODY_BYTES = 4 * 1024 * 1024
TRIGGER_PREFIX = "kinerja_gen_"


def scope_of(table: str) -> str | None:
    """The scope whose generation a change of ``table`` raises (None: not watched)."""
    if table in UNWATCHED:
        return None
    return "public" if table in PUBLIC_TABLES else "core"


def install(db=None) -> int:
    """Create the counters and (re)create the triggers on every watched table.

    Idempotent; run after every migration so that tables added later are watched too.
    Returns the number of watched tables.
    """
    db = db or database
    for scope in SCOPES:
        DataGeneration.insert(scope=scope, value=0).on_conflict_ignore().execute()
    watched = 0
    postgres = is_postgres()
    if postgres:
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION kinerja_bump_generation() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "UPDATE data_generation SET value = value + 1 WHERE scope = TG_ARGV[0]; "
            "RETURN NULL; END $$"
        )
    for table in sorted(db.get_tables()):
        scope = scope_of(table)
        if scope is None:
            continue
        watched += 1
        if postgres:
            name = f"{TRIGGER_PREFIX}{table}"
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            db.execute_sql(
                f'CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                f'ON "{table}" FOR EACH STATEMENT '
                f"EXECUTE FUNCTION kinerja_bump_generation('{scope}')"
            )
            continue
        for op in ("INSERT", "UPDATE", "DELETE"):
            db.execute_sql(
                f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER_PREFIX}{table}_{op.lower()}" '
                f'AFTER {op} ON "{table}" BEGIN '
                f"UPDATE data_generation SET value = value + 1 WHERE scope = '{scope}'; END"
            )
    return watched


def installed() -> bool:
    """Whether the bound database has the counters (migration 9 or later)."""
    return database.table_exists(DataGeneration._meta.table_name)


@dataclass(frozen=True)
class Lookup:
    """The scope's generation now, and the stored page if it is still valid."""

    generation: int | None
    content_type: str | None = None
    headers: dict | None = None
    body: bytes | None = None

    @property
    def hit(self) -> bool:
        return self.body is not None


_LOOKUP_SQL = (
    "SELECT g.value, c.content_type, c.headers, c.body FROM data_generation g "
    "LEFT JOIN cached_page c ON c.key = {p} AND c.generation = g.value AND c.stamp = {p} "
    "WHERE g.scope = {p}"
)


def lookup(scope: str, key: str, stamp: str) -> Lookup:
    """One query: the current generation of ``scope`` and the page stored under ``key``."""
    sql = _LOOKUP_SQL.format(p=database.param)
    row = database.execute_sql(sql, (key, stamp, scope)).fetchone()
    if row is None:  # the counters are missing (an old schema): never cache
        return Lookup(None)
    generation, content_type, headers, body = row
    if body is None:
        return Lookup(generation)
    return Lookup(generation, content_type, json.loads(headers), bytes(body))


def store(
    scope: str,
    key: str,
    stamp: str,
    generation: int,
    content_type: str,
    body: bytes,
    headers: dict | None = None,
) -> bool:
    """Keep a rendered page (replacing an older one under the same key); False if too big."""
    if len(body) > MAX_BODY_BYTES:
        return False
    row = {
        "key": key,
        "scope": scope,
        "generation": generation,
        "stamp": stamp,
        "content_type": content_type,
        "headers": json.dumps(headers or {}, sort_keys=True),
        "body": body,
    }
    with write_tx(lock_generation=False):
        (
            CachedPage.insert(**row)
            .on_conflict(
                conflict_target=[CachedPage.key],
                update={
                    CachedPage.generation: generation,
                    CachedPage.stamp: stamp,
                    CachedPage.scope: scope,
                    CachedPage.content_type: content_type,
                    CachedPage.headers: row["headers"],
                    CachedPage.body: body,
                },
                # A slower reader must not overwrite a newer page with an older one.
                where=(CachedPage.generation <= generation),
            )
            .execute()
        )
    return True


def generation(scope: str) -> int | None:
    """The current generation of ``scope`` (None when the counters are missing)."""
    row = DataGeneration.get_or_none(DataGeneration.scope == scope)
    return row.value if row else None
