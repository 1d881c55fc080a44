"""The scale data generator: valid by the domain's rules, deterministic, refuses data."""

import hashlib
from datetime import date

import pytest

from kinerja import migrations
from kinerja.db import database, is_sqlite, open_database
from kinerja.demo.scale import generate
from kinerja.demo.scale_base import GenRefused, GenSpec
from kinerja.enums import EvaluationStatus
from kinerja.models.account import Account
from kinerja.models.evaluation import Evaluation
from kinerja.models.kiosk import KioskResponse
from kinerja.models.org import Employee, Unit
from kinerja.models.service import ServiceRequest
from kinerja.models.skp import Skp
from kinerja.nip import validate_employee_number
from kinerja.scoring import predikat_for

SPEC = GenSpec(
    employees=150, months=7, kiosk_answers=400, requests=300, seed=3, today=date(2026, 11, 20)
)


def _quiet(_):
    pass


@pytest.fixture
def generated(app):
    counts = generate(SPEC, log=_quiet)
    return counts


def _digest() -> str:
    h = hashlib.sha256()
    for row in Employee.select(Employee.nip, Employee.name, Employee.supervisor).tuples():
        h.update(repr(row).encode())
    for row in Evaluation.select(Evaluation.employee, Evaluation.predikat).tuples():
        h.update(repr(row).encode())
    for row in KioskResponse.select(KioskResponse.client_id, KioskResponse.face).tuples():
        h.update(repr(row).encode())
    return h.hexdigest()


def test_sizes_are_as_asked(generated):
    assert Employee.select().count() == SPEC.employees == generated["employees"]
    assert Account.select().count() == SPEC.employees
    assert KioskResponse.select().count() == SPEC.kiosk_answers
    assert ServiceRequest.select().count() == SPEC.requests


def test_people_are_valid(generated):
    people = list(Employee.select())
    by_id = {e.id: e for e in people}
    for e in people:
        validate_employee_number(e.nip, e.status, today=SPEC.today)
    roots = [e for e in people if e.supervisor_id is None]
    assert len(roots) == 1 and roots[0].jenis_jabatan == "JPT"
    for e in people:  # every chain ends at the root, without cycles
        seen, cur = set(), e
        while cur.supervisor_id is not None:
            assert cur.id not in seen
            seen.add(cur.id)
            cur = by_id[cur.supervisor_id]
        assert cur.id == roots[0].id


def test_skp_and_evaluations_are_consistent(generated):
    for ev in Evaluation.select().where(
        Evaluation.status.in_([EvaluationStatus.FINAL.value, EvaluationStatus.DITERIMA.value])
    ):
        assert ev.predikat == predikat_for(ev.hasil_rating, ev.perilaku_rating).predikat.value
        assert ev.rated_by_id == ev.employee.supervisor_id
        skp = Skp.get_by_id(ev.skp_id)
        assert skp.employee_id == ev.employee_id and skp.year == ev.period.year
        assert skp.status == "DISETUJUI"
    assert Evaluation.select().where(Evaluation.status == "TERBUKA").exists()


def test_answers_and_requests_lie_in_the_span(generated):
    last = KioskResponse.select().order_by(KioskResponse.day.desc()).first()
    assert last.day < SPEC.today
    assert all(8 <= r.hour <= 15 for r in KioskResponse.select(KioskResponse.hour))
    public = {u.id for u in Unit.select().where(Unit.serves_public)}
    assert {r.unit_id for r in KioskResponse.select(KioskResponse.unit)} <= public
    for r in ServiceRequest.select().where(ServiceRequest.completed_at.is_null(False)):
        assert r.completed_at >= r.received_at


def test_pages_work_on_generated_data(generated, client, login_as):
    from kinerja.services.publish import publish

    publish()
    assert client.get("/publik").status_code == 200
    boss = Employee.select().where(Employee.jenis_jabatan == "PENGAWAS").first()
    login_as(boss)
    assert client.get("/beranda").status_code == 200
    assert client.get("/atasan/tim").status_code == 200


def test_refuses_a_database_with_data(generated):
    with pytest.raises(GenRefused):
        generate(SPEC, log=_quiet)


def test_same_seed_same_data(app, tmp_path):
    if not is_sqlite():
        pytest.skip("compares two SQLite files")
    generate(SPEC, log=_quiet)
    first = _digest()
    original = app.config["DATABASE_URL"]
    try:
        open_database(f"sqlite:///{tmp_path / 'again.sqlite3'}")
        migrations.upgrade()
        generate(SPEC, log=_quiet)
        assert _digest() == first
    finally:
        database.close()
        open_database(original)


def test_cli_command(runner):
    result = runner.invoke(
        args=["gen-data", "--employees", "40", "--months", "3", "--kiosk-answers", "50"]
        + ["--requests", "20", "--seed", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "employees=40" in result.output
    again = runner.invoke(args=["gen-data", "--employees", "40"])
    assert again.exit_code == 1
