"""The anonymous pulse-of-trust survey of staff, one round per evaluation period (issue 23).

Kept apart as for 360 feedback (:mod:`kinerja.models.evaluation`): who answered
(:class:`PulseParticipation`) and what was answered (:class:`PulseAnswer`) share nothing
but the period. An answer row has the respondent's unit and no employee, no account, no
time; its key is random and on SQLite the table has no rowid, so no hidden insertion order
pairs it with a participation row.
"""

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from kinerja.db import BaseModel
from kinerja.enums import PulseQuestion
from kinerja.models.evaluation import random_key
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period


class PulseParticipation(BaseModel):
    """That an employee answered a period's pulse (one answer per person and period)."""

    # The (period, employee) index serves lookups by period; no index of its own.
    period = ForeignKeyField(Period, backref="+", on_delete="CASCADE", index=False)
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("period", "employee"), True),)


class PulseAnswer(BaseModel):
    """One anonymous answer to one pulse question: the respondent's unit, no identity."""

    id = CharField(max_length=32, primary_key=True, default=random_key)
    # Read by period (and unit) only: the (period, unit) index serves both.
    period = ForeignKeyField(Period, backref="+", on_delete="CASCADE", index=False)
    unit = ForeignKeyField(Unit, backref="+", on_delete="CASCADE", index=False)
    version = IntegerField()
    question = CharField(max_length=24, choices=PulseQuestion.choices())
    score = IntegerField()
    comment = TextField(default="")

    class Meta:
        indexes = ((("period", "unit"), False),)


class PulseTree(BaseModel):
    """The unit tree of a period as it stood when the period closed: the pulse groups of the
    period are folded over it, so moving a unit later changes none of its figures."""

    period = ForeignKeyField(Period, unique=True, backref="+", on_delete="CASCADE")
    parents = TextField()
    """JSON ``{"unit id": parent id or null}`` of every unit at the close."""
