"""Database access: one proxy for the whole domain, opened from a URL.

SQLite (WAL, foreign keys, busy timeout) is the embedded default; PostgreSQL is used
when the URL says so. Nothing here runs at import time.
"""

from contextlib import contextmanager
from urllib.parse import urlparse

from peewee import DatabaseProxy, Model, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import connect

database = DatabaseProxy()

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", 10000),
    ("synchronous", "normal"),
    ("cache_size", -32000),
)


class BaseModel(Model):
    """Base of every domain model: bound to the shared database proxy."""

    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str):
    """Open (lazily) the database named by ``url`` and bind the proxy to it."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ":memory:"
        db = SqliteDatabase(path or ":memory:", pragmas=SQLITE_PRAGMAS, autoconnect=True)
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
def write_tx():
    """One transaction for one use case.

    On SQLite the transaction takes the write lock up front (BEGIN IMMEDIATE) so that a
    read-then-write use case never fails with a lock upgrade under concurrency.
    """
    if is_sqlite() and database.transaction_depth() == 0:
        with database.atomic("IMMEDIATE") as tx:
            yield tx
    else:
        with database.atomic() as tx:
            yield tx
