"""Database access: one proxy for the whole domain, opened from a URL.

SQLite (WAL, foreign keys, busy timeout) is the embedded default; PostgreSQL is used
when the URL says so. Nothing here runs at import time.
"""

import fcntl
import itertools
import os
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

import peewee
from peewee import DatabaseProxy, Model, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import connect
from playhouse.pool import PooledSqliteDatabase

database = DatabaseProxy()

# SQLite has one writer at a time, and a writer that finds it taken polls in SQLite's busy
# handler, which sleeps in growing steps of up to 100 ms: under load a waiting request can
# be overtaken again and again by the other process's writers (measured: 1,9 s after a
# 0,3 s roster import). So writers queue before SQLite does: the threads of one process on
# this lock, in order, then the one at its head on an advisory lock of the database's
# ``-writelock`` file (flock, shared by every process of the machine: app processes, CLI
# jobs), which it polls every millisecond or two. Both locks hold no state; SQLite's own
# locking still decides when a wait passes WRITER_QUEUE_SECONDS.
_sqlite_writer = threading.Lock()
_commits = itertools.count(1)
WRITER_QUEUE_SECONDS = 10

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", 10000),
    ("synchronous", "normal"),
    ("cache_size", -32000),
    # Checkpoints are run by write_tx after the writer lock is released (see there); SQLite's
    # own automatic one, which runs inside a commit, stays as a backstop for other writers.
    ("wal_autocheckpoint", 10000),
)
CHECKPOINT_EVERY = 500  # commits of one process between two WAL checkpoints


class DateTimeField(peewee.DateTimeField):
    """Peewee's DateTimeField, reading SQLite's text in C.

    SQLite returns a datetime as the text Python wrote (``YYYY-MM-DD HH:MM:SS[.ffffff]``);
    Peewee parses it with ``strptime``, trying its formats in turn (about 15 µs a value, a
    few percent of a page's CPU). That canonical text is read by ``fromisoformat`` (checked
    by writing it back); any other text goes to Peewee as before, so every value reads as
    it did. PostgreSQL returns datetimes: nothing to parse.
    """

    def adapt(self, value):
        if type(value) is str:
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None and str(parsed) == value:
                return parsed
        return super().adapt(value)


class DateField(peewee.DateField):
    """Peewee's DateField, reading SQLite's ``YYYY-MM-DD`` text in C (as :class:`DateTimeField`)."""

    def adapt(self, value):
        if type(value) is str and len(value) == 10:
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.isoformat() == value:
                return parsed
        return super().adapt(value)


class BaseModel(Model):
    """Base of every domain model: bound to the shared database proxy."""

    class Meta:
        database = database
        legacy_table_names = False


# Connections are pooled: a request's close() hands its connection back instead of closing
# it. That saves PostgreSQL's connection set-up per request and, on SQLite, the checkpoint
# and WAL re-creation that closing the last connection of a WAL database costs (tens of ms).
POOL_MAX = 32
POOL_WAIT_SECONDS = 10
POOL_STALE_SECONDS = 300


def open_database(url: str):
    """Open (lazily) the database named by ``url`` and bind the proxy to it."""
    previous = database.obj
    if previous is not None and hasattr(previous, "close_idle"):
        previous.close_idle()  # the pool being replaced (tests, CLI): free its connections
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = (url.split(":///", 1)[1] if ":///" in url else "") or ":memory:"
        if path == ":memory:":  # one connection = one database: nothing to pool
            db = SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, autoconnect=True)
        else:
            # A fresh checkout has no instance/ folder yet: SQLite creates the file only.
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            db = PooledSqliteDatabase(
                path,
                pragmas=SQLITE_PRAGMAS,
                autoconnect=True,
                max_connections=POOL_MAX,
                timeout=POOL_WAIT_SECONDS,
                # A pooled connection moves between threads (one at a time: it is checked
                # out by one request and handed back at its end).
                check_same_thread=False,
            )
    elif parsed.scheme in ("postgres", "postgresql"):
        db = connect(
            url.replace(parsed.scheme, "postgresql+pool", 1),
            max_connections=POOL_MAX,
            timeout=POOL_WAIT_SECONDS,
            stale_timeout=POOL_STALE_SECONDS,
        )
    else:
        db = connect(url)
    database.initialize(db)
    return db


def is_sqlite() -> bool:
    """Whether the bound database is SQLite."""
    return isinstance(database.obj, SqliteDatabase)


def is_postgres() -> bool:
    """Whether the bound database is PostgreSQL."""
    return isinstance(database.obj, PostgresqlDatabase)


@contextmanager
def write_tx(*, checkpoint: bool = True):
    """One transaction for one use case.

    On SQLite the transaction takes the write lock up front (BEGIN IMMEDIATE) so that a
    read-then-write use case never fails with a lock upgrade under concurrency.

    On PostgreSQL it is an ordinary transaction: writers lock only the rows they change.
    ``checkpoint=False`` leaves the SQLite checkpoint to the caller (:func:`maybe_checkpoint`),
    for a caller that still holds a lock of its own.
    """
    if is_sqlite() and database.transaction_depth() == 0:
        # Bounded wait (as SQLite's busy timeout): past it SQLite's own locking decides.
        deadline = time.monotonic() + WRITER_QUEUE_SECONDS
        queued = _sqlite_writer.acquire(timeout=WRITER_QUEUE_SECONDS)
        locked = _lock_file(database.obj.database, deadline) if queued else None
        try:
            with database.atomic("IMMEDIATE") as tx:
                yield tx
        finally:
            if locked is not None:
                os.close(locked)  # releases the flock
            if queued:
                _sqlite_writer.release()
        if checkpoint:
            maybe_checkpoint()
    else:
        with database.atomic() as tx:
            yield tx


def _lock_file(path: str, deadline: float) -> int | None:
    """Take the machine-wide writer lock of the SQLite file ``path`` (the caller holds
    ``_sqlite_writer``): the open lock file's descriptor (closing it releases the lock), or
    None for an in-memory database or when ``deadline`` passed first."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    try:
        # Read-only is enough for flock, so a cron job running as another user than the
        # portal shares the file as it shares the database (created 0644, as SQLite's own).
        fd = os.open(f"{path}-writelock", os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError:
        return None  # no lock file to be had: SQLite's own locking decides, as before
    pause = 0.0005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                return None
            time.sleep(pause)
            pause = min(pause * 2, 0.002)


def insert_rows(model, instances: list, chunk: int = 2000) -> None:
    """Insert many unsaved model instances with one statement run for every row
    (``executemany``), inside the caller's transaction.

    Peewee builds a multi-row INSERT value by value, which for thousands of rows costs far
    more than the database's own work and would stretch the write transaction; here the
    statement is built once from the model's fields and each row is converted by its
    fields' ``db_value``. Defaults come from the instances (Peewee fills them on creation).
    """
    if not instances:
        return
    data = instances[0].__data__
    fields = [f for f in model._meta.sorted_fields if f.name in data]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([database.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    params = [tuple(f.db_value(i.__data__.get(f.name)) for f in fields) for i in instances]
    cursor = database.cursor()
    for start in range(0, len(params), chunk):
        cursor.executemany(sql, params[start : start + chunk])


def maybe_checkpoint() -> None:
    """Every CHECKPOINT_EVERY commits, copy the SQLite WAL back into the database.

    Run outside the writer lock: a PASSIVE checkpoint waits for nobody and nobody waits for
    it, so its fsync no longer stalls every queued writer (as SQLite's automatic one, run
    inside a commit, does). The counter is per process and harmless to duplicate.
    """
    if is_sqlite() and next(_commits) % CHECKPOINT_EVERY == 0:
        database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
