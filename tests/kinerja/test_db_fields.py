"""kinerja.db's date fields read SQLite's text as Peewee does, only faster."""

from datetime import date, datetime

import peewee
import pytest

from kinerja.db import DateField, DateTimeField

TEXTS = [
    "2026-12-06 05:07:09",
    "2026-12-06 05:07:09.250000",
    "2026-12-06 05:07:09.000000",  # not what str() writes: Peewee's own path
    "2026-12-06 05:07:09.25",
    "2026-12-06",
    "2026-12-06T05:07:09",
    "2026-12-06 05:07:09+00:00",  # Peewee keeps the text: so do we
    "2026-W49-1 05:07:09",
    "0999-01-02 03:04:05",
    "bukan tanggal",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_datetime_text_reads_as_peewee_reads_it(text):
    ours, theirs = DateTimeField().python_value(text), peewee.DateTimeField().python_value(text)
    assert ours == theirs and type(ours) is type(theirs)


@pytest.mark.parametrize(
    "text", ["2026-12-06", "2026-W49-1", "20261206", "2026-12-06 05:07:09", "x"]
)
def test_date_text_reads_as_peewee_reads_it(text):
    ours, theirs = DateField().python_value(text), peewee.DateField().python_value(text)
    assert ours == theirs and type(ours) is type(theirs)


def test_values_pass_through():
    moment = datetime(2026, 12, 6, 5, 7, 9, 250000)
    assert DateTimeField().python_value(moment) is moment
    assert DateTimeField().python_value(None) is None
    assert DateField().python_value(moment) == moment.date()
    assert DateField().db_value(date(2026, 12, 6)) == date(2026, 12, 6)


def test_models_use_them(world):
    from kinerja.models.notification import Notification

    assert isinstance(Notification.created_at, DateTimeField)
    note = Notification.create(
        employee=world.people["pegawai"],
        kind="SKP_DISETUJUI",
        title="t",
        created_at=datetime(2026, 12, 6, 5, 7, 9),
    )
    assert Notification.get_by_id(note.id).created_at == datetime(2026, 12, 6, 5, 7, 9)
