"""Issue 18 item 4: every employee of the demo and of a generated city has a decider for a
keberatan, and the permissions let exactly the right people decide.

The expectation is computed here from the roster independently of ``kinerja.org``: the
supervisor's supervisor and their Plt/Plh on the day, those with an active account; the
Wali Kota when the chain ends (the supervisor, or the employee, is the top of the roster);
the atasan himself, recorded by an admin, when he has no account.
"""

import random

import pytest

from kinerja import demo, migrations, org, passwords
from kinerja.clock import today_wib
from kinerja.db import database, open_database
from kinerja.demo.scale import generate
from kinerja.demo.scale_base import GenSpec
from kinerja.enums import Role
from kinerja.models.account import Account, AccountRole
from kinerja.models.evaluation import Evaluation, Objection
from kinerja.models.org import ActingOfficial, Employee
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.queries import objection as objection_queries

WALI_KOTA = "Wali Kota Sibolga"


def _stand_ins(day) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for row in ActingOfficial.select().where(
        (ActingOfficial.start <= day) & (ActingOfficial.end >= day)
    ):
        found.setdefault(row.for_employee_id, set()).add(row.acting_id)
    return found


def _walk(sample: int = 12) -> dict[str, int]:
    """Check every employee; return how many keberatan go to accounts and to officials."""
    day = today_wib()
    people = {e.id: e for e in Employee.select()}
    accounts = {a.employee_id: a for a in Account.select()}
    actors = {eid: Actor(a, day) for eid, a in accounts.items()}
    usable = {eid for eid, a in accounts.items() if a.active and people[eid].active}
    admins = {
        r.account.employee_id
        for r in AccountRole.select(AccountRole, Account)
        .join(Account)
        .where(AccountRole.role == Role.ADMIN)
    }
    auditors = {
        r.account.employee_id
        for r in AccountRole.select(AccountRole, Account)
        .join(Account)
        .where(AccountRole.role == Role.AUDITOR)
    }
    assert admins, "no admin to record an official's decision"
    stand_ins = _stand_ins(day)
    rng = random.Random(18)
    everyone = sorted(actors)
    counts = {"account": 0, "official": 0}
    for employee in people.values():
        decider = org.objection_decider(employee, day)
        # A decider, exactly one kind.
        assert bool(decider.account_holders) != bool(decider.official), employee.name
        supervisor = people.get(employee.supervisor_id)
        if supervisor is None or supervisor.supervisor_id is None:
            expected_holders, expected_official = set(), WALI_KOTA
        else:
            atasan = supervisor.supervisor_id
            candidates = ({atasan} | stand_ins.get(atasan, set())) - {employee.id}
            expected_holders = candidates & usable
            expected_official = None if expected_holders else org.official_title(people[atasan])
        assert set(decider.account_holders) == expected_holders, employee.name
        assert decider.official == expected_official, employee.name
        counts["official" if decider.official else "account"] += 1

        # The permissions: exactly the holders decide; admins record only for an official,
        # never their own keberatan nor one they rate.
        objection = Objection(evaluation=Evaluation(employee=employee))
        chain = [employee.id, *org.chain_above_ids(employee)[:4]]
        raters = {employee.supervisor_id} | stand_ins.get(employee.supervisor_id, set())
        checked = (
            set(chain)
            | expected_holders
            | admins
            | auditors
            | set(rng.sample(everyone, min(sample, len(everyone))))
        ) & set(actors)
        for eid in checked:
            actor = actors[eid]
            assert perm.can_decide_objection(actor, objection) == (eid in expected_holders), (
                employee.name,
                people[eid].name,
            )
            may_record = (
                eid in admins
                and expected_official is not None
                and eid != employee.id
                and eid not in raters
            )
            assert perm.can_record_official_decision(actor, objection) == may_record, (
                employee.name,
                people[eid].name,
            )
    # Every open keberatan in the data can be decided by somebody now.
    for objection in Objection.select().where(Objection.decision.is_null()):
        holders = perm.objection_decider(objection, day).account_holders
        assert any(perm.can_decide_objection(actors[h], objection) for h in holders) or (
            objection in objection_queries.objections_for_officials(day)
        )
    return counts


def _bind(url: str) -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
    open_database(url)


@pytest.fixture
def demo_db(tmp_path):
    passwords.configure(time_cost=1, memory_cost=1024)
    _bind(f"sqlite:///{tmp_path / 'demo.db'}")
    migrations.upgrade()
    demo.seed()
    yield
    database.close()


def test_every_demo_employee_has_a_decider(demo_db):
    counts = _walk()
    assert counts["account"] > 100
    # The Sekda and the kepala dinas/badan he rates: the Wali Kota.
    sekda = Employee.get(Employee.supervisor.is_null() & (Employee.jenis_jabatan == "JPT"))
    heads = list(Employee.select().where(Employee.supervisor == sekda.id))
    assert heads and counts["official"] >= len(heads) + 1
    for head in heads:
        assert org.objection_decider(head, today_wib()).official == WALI_KOTA


def test_every_generated_employee_has_a_decider(app):
    generate(
        GenSpec(employees=80, months=4, kiosk_answers=20, requests=20, seed=18),
        log=lambda _: None,
    )
    counts = _walk(sample=8)
    assert counts["account"] > 40 and counts["official"] >= 2
