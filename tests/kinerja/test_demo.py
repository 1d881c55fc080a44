"""The Sibolga demo organisation: deterministic, valid, complete, idempotent, refusing."""

import json
from types import SimpleNamespace

import pytest

from kinerja import demo, migrations, passwords
from kinerja.clock import today_wib
from kinerja.db import database, open_database
from kinerja.enums import EmployeeStatus, JenisJabatan, Role
from kinerja.models.account import Account, AccountRole
from kinerja.models.audit import AuditEvent
from kinerja.models.org import ActingOfficial, Employee, Unit
from kinerja.models.system import Setting
from kinerja.nip import format_nip, validate_employee_number
from kinerja.org import acting_for_ids, descendant_unit_ids, unit_head
from kinerja.ranks import TYPICAL_GOLONGAN, is_valid_golongan
from kinerja.services.auth import LoginOutcome, authenticate

NAMED = {login.key for login in demo.DEMO_LOGINS}


def _bind(url: str) -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
    open_database(url)


def _fresh(path) -> str:
    url = f"sqlite:///{path}"
    _bind(url)
    migrations.upgrade()
    return url


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory):
    passwords.configure(time_cost=1, memory_cost=1024)
    url = _fresh(tmp_path_factory.mktemp("demo") / "demo.db")
    summary = demo.seed()
    assert not summary.already_loaded
    yield url
    if not database.is_closed():
        database.close()


@pytest.fixture
def db(seeded_url):
    """The seeded demo database, bound for this test."""
    _bind(seeded_url)
    yield
    database.close()


@pytest.fixture
def people(db):
    return {key: demo.demo_person(key) for key in NAMED}


def _roster():
    return [(e.nip, e.name, e.gelar_depan, e.gelar_belakang, e.jabatan) for e in Employee.select()]


def test_same_seed_gives_same_roster(db, tmp_path, monkeypatch):
    first = sorted(_roster())
    first_units = sorted(u.code for u in Unit.select())
    # The roster comes from the org step alone; the later steps need not run again.
    monkeypatch.setattr(demo, "STEPS", [demo.org.seed_org])
    _fresh(tmp_path / "again.db")
    demo.seed(2026)
    assert sorted(_roster()) == first
    assert sorted(u.code for u in Unit.select()) == first_units
    _fresh(tmp_path / "other.db")
    demo.seed(7)
    assert {r[0] for r in _roster()} != {r[0] for r in first}
    database.close()


def test_size_of_the_demo(db):
    assert Unit.select().where(Unit.kind == "OPD").count() >= 8
    assert 250 <= Employee.select().count() <= 350
    assert Account.select().count() == Employee.select().count()
    codes = {u.code for u in Unit.select()}
    for code in ("SETDA", "DISDUKCAPIL", "DISDUKCAPIL.PDP", "DPMPTSP", "BKPSDM", "INSPEKTORAT"):
        assert code in codes
    assert Unit.select().where(Unit.code.startswith("DINKES.PKM-")).count() >= 2
    assert Unit.select().where(Unit.code.contains(".KEL-")).count() >= 4
    assert Unit.select().where(Unit.serves_public).count() >= 5


def test_every_number_and_golongan_is_valid(db):
    today = today_wib()
    pppk = 0
    for e in Employee.select():
        parsed = validate_employee_number(e.nip, e.status, today)
        assert is_valid_golongan(e.golongan, e.status), (e.nip, e.golongan)
        assert not passwords.password_problems(demo.DEMO_PASSWORD, nip=e.nip)
        assert 1965 <= parsed.birth_date.year <= 2000
        if e.status == EmployeeStatus.PPPK:
            pppk += 1
            assert e.jenis_jabatan in (JenisJabatan.PELAKSANA, JenisJabatan.FUNGSIONAL)
            assert 2021 <= parsed.appointment_year <= 2024
        else:
            assert parsed.appointment_year >= parsed.birth_date.year + 18
            if e.jenis_jabatan != JenisJabatan.FUNGSIONAL:
                assert e.golongan in TYPICAL_GOLONGAN[JenisJabatan(e.jenis_jabatan)], e.nip
        if e.jenis_jabatan == JenisJabatan.FUNGSIONAL:
            assert e.jenjang, e.nip
    total = Employee.select().count()
    assert 0.07 * total <= pppk <= 0.13 * total


def test_supervisor_chains_end_at_the_sekda(db, people):
    sekda = people["sekda"]
    assert sekda.supervisor_id is None
    assert sekda.jenis_jabatan == JenisJabatan.JPT
    assert sekda.unit.code == "SETDA"
    boss = {e.id: e.supervisor_id for e in Employee.select().where(Employee.active)}
    for employee_id in boss:
        seen = {employee_id}
        current = employee_id
        while boss[current] is not None:
            current = boss[current]
            assert current not in seen, f"cycle at {employee_id}"
            seen.add(current)
        assert current == sekda.id


def test_every_unit_has_a_head(db):
    for unit in Unit.select():
        head = unit_head(unit.id)
        assert head is not None, unit.code
        if unit.kind == "OPD" and unit.code != "SETDA":
            assert head.supervisor.unit.code == "SETDA"


def test_named_people_and_their_relations(db, people):
    assert set(json.loads(Setting.get(Setting.key == "demo_people").value)) == NAMED
    p = people
    assert p["kadis_dukcapil"].jenis_jabatan == JenisJabatan.JPT
    assert p["kadis_dukcapil"].unit.code == "DISDUKCAPIL"
    assert p["kadis_dukcapil"].supervisor_id == p["sekda"].id
    assert p["kabid_pdp"].jenis_jabatan == JenisJabatan.ADMINISTRATOR
    assert p["kabid_pdp"].unit.code == "DISDUKCAPIL.PDP"
    assert p["kabid_pdp"].supervisor_id == p["kadis_dukcapil"].id
    assert p["kasi_identitas"].jenis_jabatan == JenisJabatan.PENGAWAS
    assert p["kasi_identitas"].supervisor_id == p["kabid_pdp"].id
    for key in ("pelaksana", "rekan1", "rekan2", "rekan3", "pegawai_baru"):
        assert p[key].supervisor_id == p["kasi_identitas"].id, key
        assert p[key].jenis_jabatan == JenisJabatan.PELAKSANA, key
        assert p[key].unit.code.startswith("DISDUKCAPIL"), key
    assert p["pppk"].status == EmployeeStatus.PPPK
    assert p["kapus"].unit.code.startswith("DINKES.PKM-")
    assert unit_head(p["kapus"].unit_id).id == p["kapus"].id
    assert p["admin"].unit.code.startswith("BKPSDM")
    assert p["auditor"].unit.code.startswith("INSPEKTORAT")

    def roles(key):
        query = AccountRole.select().join(Account).where(Account.employee == p[key])
        return {r.role for r in query}

    assert roles("admin") == {Role.ADMIN}
    assert roles("auditor") == {Role.AUDITOR}
    assert AccountRole.select().count() == 2


def test_the_plt_example(db, people):
    plt = people["plt"]
    acting = ActingOfficial.get(ActingOfficial.acting == plt)
    assert acting.kind == "PLT"
    assert acting.for_employee.jenis_jabatan == JenisJabatan.ADMINISTRATOR
    assert acting.for_employee.unit.code == "DISDUKCAPIL.CAPIL"
    assert acting_for_ids(plt.id, today_wib()) == [acting.for_employee_id]


def test_accounts_log_in_and_only_the_new_employee_must_change(db, people):
    must_change = Account.select().where(Account.must_change_password)
    assert [a.employee_id for a in must_change] == [people["pegawai_baru"].id]
    assert len({a.session_nonce for a in Account.select()}) == Account.select().count()
    for key in ("admin", "kasi_identitas", "pelaksana", "pppk"):
        nip = format_nip(people[key].nip, people[key].status)
        result = authenticate(nip, demo.DEMO_PASSWORD, "uji-demo")
        assert result.outcome == LoginOutcome.OK, key
    assert authenticate(people["rekan1"].nip, "salah-sandi-1", "uji-demo").outcome == (
        LoginOutcome.WRONG
    )


def test_seeding_twice_changes_nothing(db):
    assert demo.is_demo_database()
    before = (Employee.select().count(), Unit.select().count(), AuditEvent.select().count())
    summary = demo.seed()
    assert summary.already_loaded
    assert "sudah dimuat" in summary.text()
    after = (Employee.select().count(), Unit.select().count(), AuditEvent.select().count())
    assert after == before
    assert AuditEvent.select().where(AuditEvent.action == "demo.seeded").count() == 1


def test_refuses_a_database_with_real_data(tmp_path):
    _fresh(tmp_path / "real.db")
    assert not demo.is_demo_database()
    unit = Unit.create(code="DINAS", name="Dinas Nyata", kind="OPD")
    Employee.create(
        nip="198609262015051001",
        name="Pegawai Nyata",
        jabatan="Pengadministrasi Perkantoran",
        jenis_jabatan="PELAKSANA",
        golongan="II/a",
        unit=unit,
    )
    with pytest.raises(demo.DemoRefused, match="non-demo"):
        demo.seed()
    assert Employee.select().count() == 1
    assert not demo.is_demo_database()
    database.close()


def test_login_table_lists_every_named_login(db, people):
    table = demo.login_table()
    for login in demo.DEMO_LOGINS:
        person = people[login.key]
        assert login.role_label in table
        assert format_nip(person.nip, person.status) in table
        assert person.full_name in table
    assert demo.DEMO_PASSWORD in table
    assert [login.key for login in demo.DEMO_LOGINS][:3] == ["admin", "auditor", "sekda"]


def _line_of(table: str, person) -> str:
    (line,) = [row for row in table.splitlines() if person.full_name in row]
    return line


def test_login_table_tells_when_a_password_was_changed(db, people):
    """Issue 21: after a demo user changed the password, the table no longer prints the
    demo password for that account (the stored hash is checked against it)."""
    account = Account.get(Account.employee == people["pelaksana"].id)
    original = account.password_hash
    try:
        Account.update(password_hash=passwords.hash_password("SandiBaruSaya2026")).where(
            Account.id == account.id
        ).execute()
        table = demo.login_table()
        changed = _line_of(table, people["pelaksana"])
        assert changed.endswith("(kata sandi sudah diganti)")
        assert demo.DEMO_PASSWORD not in changed
        assert _line_of(table, people["rekan1"]).endswith(demo.DEMO_PASSWORD)
        assert _line_of(table, people["pegawai_baru"]).endswith(
            f"{demo.DEMO_PASSWORD} (wajib diganti)"
        )
    finally:
        Account.update(password_hash=original).where(Account.id == account.id).execute()
    assert _line_of(demo.login_table(), people["pelaksana"]).endswith(demo.DEMO_PASSWORD)


def test_login_table_without_demo(tmp_path):
    _fresh(tmp_path / "empty.db")
    assert "belum dimuat" in demo.login_table()
    with pytest.raises(LookupError):
        demo.demo_person("pelaksana")
    database.close()


def test_demo_indicators_are_scored_by_their_arah(db, people):
    """Issue 18: every demo indicator passes the SKP rules (no duration that is "higher is
    better"), and the pelaksana's "Persentase KTP-el selesai tepat waktu" (Waktu, %, higher
    is better) is scored realisasi ÷ target, so a realisation above 95 % is not Di Bawah."""
    from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
    from kinerja.scoring import capaian
    from kinerja.skp_validation import validate_indicator

    rows = Indicator.select(Indicator, Rhk, Skp).join(Rhk).join(Skp)
    assert rows.count() > 0
    for ind in rows:
        data = {
            "text": ind.text,
            "aspek": ind.aspek,
            "direction": ind.direction,
            "target_value": ind.target_value,
            "target_unit": ind.target_unit,
            "success_criteria": ind.success_criteria,
        }
        _, errors = validate_indicator(data, approach=ind.rhk.skp.approach)
        assert not errors, (ind.text, ind.target_unit, errors)
    ktps = list(  # one per seeded year (on 1 January the new year has no realisation yet)
        Indicator.select()
        .join(Rhk)
        .join(Skp)
        .where(
            (Skp.employee == people["pelaksana"].id)
            & Indicator.text.startswith("Persentase KTP-el selesai tepat waktu")
        )
    )
    assert ktps
    for ktp in ktps:
        assert (ktp.aspek, ktp.direction, ktp.target_unit) == ("WAKTU", "HIGHER_BETTER", "%")
    reals = [
        (ktp, r)
        for ktp in ktps
        for r in Realisation.select().where(Realisation.indicator == ktp.id)
        if r.value is not None
    ]
    # On the first day of a year nothing of the new SKP is realised yet: score its target
    # with one realisation above and one below it instead.
    reals = reals or [
        (ktp, SimpleNamespace(value=ktp.target_value + delta)) for ktp in ktps for delta in (1, -1)
    ]
    for ktp, real in reals:
        value = capaian(ktp.target_value, real.value, ktp.direction, ktp.aspek)
        assert (value >= 100) == (real.value >= ktp.target_value), (real.value, value)


def test_demo_training_catalogue_and_pegawai_teladan(db):
    from kinerja.models.evaluation import DevelopmentPlan, Recognition, TrainingCourse
    from kinerja.services.followup import published_recognitions

    courses = list(TrainingCourse.select())
    assert len(courses) >= 5
    assert {c.kind for c in courses if c.active} >= {"DIKLAT", "E_LEARNING", "COACHING"}
    assert [c.name for c in courses if not c.active] == ["Diklat Prajabatan (pola lama)"]
    # the first demo plan always picks a course; some coaching plans stay free
    plans = list(DevelopmentPlan.select().order_by(DevelopmentPlan.id))
    linked = [p for p in plans if p.course_id is not None]
    assert bool(linked) == bool(plans)
    assert all(p.course.active for p in linked)
    done = [p for p in plans if p.completed_at is not None]
    assert len(done) == (1 if plans else 0)
    assert all(p.completed_at <= today_wib() and p.status == "SELESAI" for p in done)
    # every nominee but the last has consented; only those are published
    recs = list(Recognition.select().order_by(Recognition.id))
    assert [r.consent for r in recs] == [True] * (len(recs) - 1) + [None] * bool(recs)
    assert len(published_recognitions()) == max(len(recs) - 1, 0)


def test_demo_pulse_shows_results_to_heads_and_leaves_the_open_quarter_to_try(db, people):
    from kinerja.models.period import Period
    from kinerja.models.pulse import PulseParticipation
    from kinerja.permissions import Actor
    from kinerja.services import pulse

    admin = pulse.results(Actor(people["admin"].accounts.get()))
    assert admin.periods and admin.latest.groups
    assert all(g.n >= pulse.PULSE_MIN_ANSWERS for g in admin.latest.groups)
    kabid = pulse.results(Actor(people["kabid_pdp"].accounts.get()))
    subtree = descendant_unit_ids(people["kabid_pdp"].unit_id)
    assert {g.unit.id for g in kabid.latest.groups} <= subtree
    assert {g.unit.id for g in admin.latest.groups} - subtree  # other units stay hidden
    period = pulse.open_pulse_period()
    if period is not None:  # a quarter is open on every day but the year's first days
        assert not PulseParticipation.select().where(PulseParticipation.period == period.id)
    assert Period.select().count()
