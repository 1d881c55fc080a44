"""Statements whose SQL text is built once per process: the hot reads of every page.

Peewee builds a query's SQL text from its expression tree every time the query runs. For
the short reads of a personal page that costs more than the database takes to answer them
(about 0,3 ms of Python per statement against 0,05 ms in SQLite); under the city's load it
was more than a third of the portal's CPU (``make bench``, docs/performance.md). The usual
answer of an ORM is to keep the compiled text (SQLAlchemy's "SQL compilation caching");
this is that, made explicit:

    @statement
    def unread_count(account):
        return Notification.select(fn.COUNT(Notification.id)).where(
            (Notification.account == account) & Notification.read_at.is_null()
        )

    unread_count.scalar(account_id)

The function builds an ordinary Peewee query; on its first run it is called once with a
:class:`Param` placeholder for every argument and Peewee writes the text; every run then
binds that call's values to the same text (converted by the compared field's ``db_value``,
as Peewee does) and returns rows of the same kind (models, dicts, tuples) through Peewee's
own cursor wrappers. Only the text is kept, never a value or a row: a statement cannot
answer anything but what the database holds at that moment.

Rules, checked where they can be:

- the query's *shape* may not depend on an argument's value (a placeholder refuses ``bool()``,
  so ``if account:`` in the builder fails loudly on the first run);
- a placeholder stands for one value: not for a list (``IN``), a column or a table (write a
  subquery or a join instead);
- a statement that Peewee would end with ``LIMIT 1`` (``first``, ``get``) says ``.limit(1)``;
- a write (``insert``, ``update``) runs with :meth:`Statement.execute`, which returns the
  DB-API cursor (``rowcount``). A placeholder compared to a field is converted by that
  field as in a read; a value in ``SET`` or ``VALUES`` has no compared field and is bound
  as given, so pass what the column stores (an id, not a model instance).
"""

import inspect
import threading

from peewee import ColumnBase

from kinerja.db import database


class Param(ColumnBase):
    """Stands for one argument's value while a statement's text is built."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def __bool__(self):
        raise TypeError(
            f"'{self.name}': the shape of a statement cannot depend on a value; "
            "build a second statement or pass the choice as a value"
        )

    def __sql__(self, ctx):
        # The converter in force is the compared field's db_value (set by Peewee's Expression).
        ctx._values.append(_Slot(self.name, ctx.state.converter))
        return ctx.literal(ctx.state.param or "?")


class _Slot:
    """Where a value goes in the parameters, and how to convert it."""

    __slots__ = ("name", "converter")

    def __init__(self, name, converter):
        self.name, self.converter = name, converter

    def bind(self, values: dict):
        value = values[self.name]
        return self.converter(value) if self.converter else value


class Statement:
    """A query built by ``build(*params)``; its text is compiled once per database kind."""

    def __init__(self, build):
        self.build = build
        self.names = list(inspect.signature(build).parameters)
        self._compiled: dict[type, tuple] = {}
        self._lock = threading.Lock()
        self.__doc__, self.__name__ = build.__doc__, build.__name__

    def compiled(self) -> tuple:
        """(query, text, parameter template) for the bound database (built on first use)."""
        db = database.obj
        found = self._compiled.get(type(db))
        if found is None:
            with self._lock:
                found = self._compiled.get(type(db))
                if found is None:
                    query = self.build(*(Param(n) for n in self.names))
                    text, params = db.get_sql_context().sql(query).query()
                    found = self._compiled[type(db)] = (query, text, params)
        return found

    def _run(self, args, kwargs):
        """(query, DB-API cursor) of one run with these values."""
        values = dict(zip(self.names, args, strict=False), **kwargs)
        if len(values) != len(self.names) or len(args) > len(self.names):
            raise TypeError(f"{self.__name__}() takes {self.names}")
        query, text, params = self.compiled()
        bound = [p.bind(values) if isinstance(p, _Slot) else p for p in params]
        return query, database.execute_sql(text, bound)

    def execute(self, *args, **kwargs):
        """Run a write with these values; the DB-API cursor (``rowcount``: rows changed)."""
        return self._run(args, kwargs)[1]

    def cursor(self, *args, tuples: bool = False, **kwargs):
        """Run with these values; Peewee's cursor wrapper over the rows (as tuples if asked)."""
        query, cursor = self._run(args, kwargs)
        if tuples:
            query = query.tuples()
        return query._get_cursor_wrapper(cursor)

    def rows(self, *args, **kwargs) -> list:
        """Every row, as the query gives them (models, dicts or tuples)."""
        return list(self.cursor(*args, **kwargs))

    def first(self, *args, **kwargs):
        """The first row, or None."""
        for row in self.cursor(*args, **kwargs):
            return row
        return None

    def scalar(self, *args, **kwargs):
        """The first column of the first row (converted by its field), or None."""
        for row in self.cursor(*args, tuples=True, **kwargs):
            return row[0]
        return None

    def __call__(self, *args, **kwargs) -> list:
        return self.rows(*args, **kwargs)


def statement(build) -> Statement:
    """Decorator: ``build`` makes a Peewee query from placeholders; see the module notes."""
    return Statement(build)
