"""kinerja.statements: the text is built once, the values and the rows are always fresh."""

from datetime import UTC, datetime, timedelta

import pytest
from peewee import fn

from kinerja.models.notification import Notification
from kinerja.models.org import Employee, Unit
from kinerja.statements import Param, statement

built = []


@statement
def unread_of(employee):
    built.append(1)
    return Notification.select(fn.COUNT(Notification.id)).where(
        (Notification.employee == employee) & Notification.read_at.is_null()
    )


@statement
def since(employee, moment):
    return (
        Notification.select(Notification.title, Notification.created_at)
        .where((Notification.employee == employee) & (Notification.created_at >= moment))
        .order_by(Notification.created_at)
        .tuples()
    )


@statement
def with_unit(employee_id):
    return (
        Employee.select(Employee, Unit)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(Employee.id == employee_id)
        .limit(1)
    )


@statement
def names_in(unit_id):
    return Employee.select(Employee.name).where(Employee.unit == unit_id).order_by(Employee.name)


def _note(employee, title, at, read=False):
    return Notification.create(
        employee=employee,
        kind="SKP_DISETUJUI",
        title=title,
        created_at=at,
        read_at=at if read else None,
    )


def test_text_built_once_values_bound_every_run(world, count_queries):
    pegawai, peer = world.people["pegawai"], world.people["peer"]
    built.clear()
    at = datetime(2026, 12, 1, 1, 0, tzinfo=UTC).replace(tzinfo=None)
    assert unread_of.scalar(pegawai) == 0
    _note(pegawai, "satu", at)
    _note(peer, "dua", at)
    _note(pegawai, "tiga", at, read=True)
    with count_queries() as q:
        # a model instance and a bare id are both converted by the foreign key's db_value
        assert unread_of.scalar(pegawai) == 1
        assert unread_of.scalar(peer.id) == 1
    assert q.count == 2
    assert "?" in q.statements[0] or "%s" in q.statements[0]  # a placeholder, not the value
    _note(pegawai, "empat", at)
    assert unread_of.scalar(employee=pegawai) == 2  # fresh: nothing but the text is kept
    assert len(built) <= 1  # built on the first run of this database kind only


def test_datetimes_are_converted_and_rows_keep_their_kind(world):
    pegawai = world.people["pegawai"]
    base = datetime(2026, 12, 1, 1, 0)
    for i in range(3):
        _note(pegawai, f"n{i}", base + timedelta(hours=i))
    rows = since.rows(pegawai, base + timedelta(minutes=30))
    assert [r[0] for r in rows] == ["n1", "n2"]
    assert rows[0][1] == base + timedelta(hours=1)  # python_value: a datetime, not text
    assert since.rows(pegawai, base + timedelta(days=1)) == []


def test_joined_models_and_first(world):
    pegawai = world.people["pegawai"]
    row = with_unit.first(pegawai.id)
    assert isinstance(row, Employee) and row.name == pegawai.name
    assert row.unit.code == world.units["seksi"].code  # the joined unit, no further query
    assert with_unit.first(-1) is None
    names = [e.name for e in names_in(world.units["seksi"].id)]
    assert names == sorted(names) and pegawai.name in names


def test_a_shape_that_depends_on_a_value_is_refused():
    @statement
    def bad(flag):
        if flag:  # a placeholder refuses bool(): the text would hold one branch only
            return Employee.select()
        return Unit.select()

    with pytest.raises(TypeError, match="cannot depend on a value"):
        bad.compiled()
    with pytest.raises(TypeError, match="cannot depend on a value"):
        bool(Param("x"))


def test_arguments_are_checked(world):
    with pytest.raises(TypeError):
        since.rows(world.people["pegawai"])
    with pytest.raises(TypeError):
        since.rows(1, 2, 3)


@statement
def mark_read(employee, moment):
    return Notification.update(read_at=moment).where(
        (Notification.employee == employee) & Notification.read_at.is_null()
    )


@statement
def add_note(employee_id, title, at):
    return Notification.insert(
        employee=employee_id, kind="SKP_DISETUJUI", title=title, created_at=at
    )


def test_writes_bind_their_values_and_report_rows(world):
    pegawai, peer = world.people["pegawai"], world.people["peer"]
    at = datetime(2026, 12, 1, 1, 0, 0, 250000)
    assert add_note.execute(pegawai.id, "satu", at).rowcount == 1
    assert add_note.execute(peer.id, "dua", at).rowcount == 1
    stored = Notification.get(Notification.title == "satu")
    assert stored.employee_id == pegawai.id and stored.created_at == at  # as Peewee stores it
    read = at + timedelta(hours=1)
    assert mark_read.execute(pegawai, read).rowcount == 1
    assert mark_read.execute(pegawai, read).rowcount == 0  # nothing left unread
    assert Notification.get_by_id(stored.id).read_at == read
    assert unread_of.scalar(peer) == 1
