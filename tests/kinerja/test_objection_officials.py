"""Issue 18 item 4: every keberatan has a decider, to the top of the chain.

A kepala dinas is rated by the Sekda, so his atasan Pejabat Penilai is the Wali Kota (the
Pejabat Pembina Kepegawaian), who has no account: an Admin BKPSDM records the Wali Kota's
written decision (letter number, date, PDF), audited, in one transaction.
"""

from datetime import timedelta

import pytest

from kinerja import org
from kinerja.clock import today_wib
from kinerja.enums import EvaluationStatus, Predikat, Rating, Role
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import Evaluation, Objection, ObjectionOfficialDecision
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.queries import objection as objection_queries
from kinerja.services import evaluation as svc
from kinerja.services import objection as obj
from kinerja.services.evaluation import EvaluationError, Forbidden
from tests.builders import make_account, make_employee
from tests.builders_evaluation import make_evaluation, make_period

A, S = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def city(world):
    """The world with a Sekda (with an account) above the kepala dinas."""
    sekda = make_employee(
        "Sekda Uji",
        unit=world.units["opd"],
        jenis="JPT",
        golongan="IV/d",
        jabatan="Sekretaris Daerah Kota Sibolga",
    )
    world.people["kadis"].supervisor = sekda
    world.people["kadis"].save()
    world.people["sekda"] = sekda
    world.accounts["sekda"] = make_account(sekda)
    return world


def _actor(world, key):
    return Actor(world.accounts[key])


def _objection_of(world, key, rater_key):
    """A final evaluation of ``key`` rated by ``rater_key``, objected to."""
    ev = make_evaluation(world.people[key], make_period())
    ev = svc.rate(_actor(world, rater_key), ev, S, "sesuai", S, "sesuai")
    ev = svc.finalise(_actor(world, rater_key), ev)
    return obj.file_objection(_actor(world, key), ev, "Mohon ditinjau kembali")


def _letter(**kw):
    values = {"number": "800/123/BKPSDM/2026", "day": today_wib(), "filename": "putusan.pdf"}
    values.update(kw)
    return obj.DecisionLetter(
        values["number"], values["day"], values["filename"], kw.get("content", PDF)
    )


def test_a_kepala_dinas_keberatan_is_decided_by_the_wali_kota(city):
    objection = _objection_of(city, "kadis", "sekda")
    decider = perm.objection_decider(objection, today_wib())
    assert decider.official == org.PPK_TITLE == "Wali Kota Sibolga"
    assert not decider.account_holders
    # Nobody with an account decides it; an admin records the Wali Kota's letter.
    for key in ("sekda", "kadis", "atasan", "auditor", "admin"):
        assert not perm.can_decide_objection(_actor(city, key), objection)
    assert perm.can_record_official_decision(_actor(city, "admin"), objection)
    obj.record_official_decision(
        _actor(city, "admin"), objection, "CHANGE", "Kendala di luar kendali", _letter(), A, A
    )
    objection = Objection.get_by_id(objection.id)
    ev = Evaluation.get_by_id(objection.evaluation_id)
    assert ev.status == EvaluationStatus.DIPUTUS and ev.predikat == Predikat.SANGAT_BAIK
    assert objection.decided_by_id is None and objection.decision == "CHANGE"
    record = ObjectionOfficialDecision.get(ObjectionOfficialDecision.objection == objection.id)
    assert record.official == "Wali Kota Sibolga"
    assert record.recorded_by_id == city.people["admin"].id
    assert bytes(record.content) == PDF
    label = objection_queries.decided_by_label(objection)
    assert label.startswith("Wali Kota Sibolga, surat nomor 800/123/BKPSDM/2026 tanggal ")
    event = AuditEvent.select().where(AuditEvent.action == "keberatan.putusan_pejabat_dicatat")
    (event,) = list(event)
    assert "800/123/BKPSDM/2026" in event.after and "Wali Kota Sibolga" in event.after
    with pytest.raises(EvaluationError, match="sudah diputus"):
        obj.record_official_decision(_actor(city, "admin"), objection, "CONFIRM", "lagi", _letter())


def test_the_chain_to_its_top(city):
    day = today_wib()
    people = city.people
    # Pelaksana → kasi → kabid decides; kasi → kabid → kadis; kabid → kadis → Sekda.
    assert org.objection_decider(people["pegawai"], day).account_holders == {people["atasan"].id}
    assert org.objection_decider(people["supervisor"], day).account_holders == {people["kadis"].id}
    assert org.objection_decider(people["atasan"], day).account_holders == {people["sekda"].id}
    # Kepala dinas (rated by the Sekda) and the Sekda (rated by the Wali Kota): Wali Kota.
    assert org.objection_decider(people["kadis"], day).official == "Wali Kota Sibolga"
    assert org.objection_decider(people["sekda"], day).official == "Wali Kota Sibolga"


def test_an_atasan_without_an_account_is_recorded_by_the_admin(city):
    kadis = city.people["kadis"]
    city.accounts["kadis"].active = False
    city.accounts["kadis"].save()
    decider = org.objection_decider(city.people["supervisor"], today_wib())
    assert decider.official == f"{kadis.jabatan} ({kadis.full_name})"
    assert decider.official_employee_id == kadis.id


@pytest.mark.parametrize("who", ["pegawai", "supervisor", "atasan", "kadis", "sekda", "auditor"])
def test_only_an_admin_records_an_officials_decision(city, who):
    objection = _objection_of(city, "kadis", "sekda")
    with pytest.raises(Forbidden):
        obj.record_official_decision(_actor(city, who), objection, "CONFIRM", "tetap", _letter())
    assert Objection.get_by_id(objection.id).decision is None


def test_the_admin_cannot_record_where_an_account_decides(city):
    objection = _objection_of(city, "pegawai", "supervisor")
    assert not perm.can_record_official_decision(_actor(city, "admin"), objection)
    with pytest.raises(Forbidden):
        obj.record_official_decision(
            _actor(city, "admin"), objection, "CONFIRM", "tetap", _letter()
        )


def test_an_admin_never_records_their_own_keberatan(city):
    # The admin of the world has no supervisor: the Wali Kota decides for him, and another
    # admin records it.
    admin = city.people["admin"]
    ev = make_evaluation(
        admin,
        make_period(),
        status="KEBERATAN",
        hasil_rating=S,
        perilaku_rating=S,
        predikat="BAIK",
        objection_deadline=today_wib() + timedelta(days=3),
    )
    objection = Objection.create(evaluation=ev, reasons="Saya keberatan")
    assert not perm.can_record_official_decision(_actor(city, "admin"), objection)
    other = make_employee("Admin Lain", unit=city.units["bkpsdm"])
    other_actor = Actor(make_account(other, roles=[Role.ADMIN]))
    assert perm.can_record_official_decision(other_actor, objection)


@pytest.mark.parametrize(
    ("letter", "message"),
    [
        ({"number": "  "}, "Nomor surat putusan wajib diisi"),
        ({"number": "x" * 101}, "paling banyak 100"),
        ({"day": "kemarin"}, "tanggal surat putusan"),
        ({"day": today_wib() + timedelta(days=1)}, "setelah hari ini"),
        ({"day": today_wib() - timedelta(days=400)}, "sebelum keberatan diajukan"),
        ({"filename": "putusan.docx"}, "harus berupa berkas PDF"),
        ({"content": b"MZ bukan pdf"}, "harus berupa berkas PDF"),
        ({"content": PDF + b"0" * (2 * 1024 * 1024)}, "lebih besar dari 2 MB"),
        ({"content": b""}, "Unggah berkas surat putusan"),
    ],
)
def test_a_bad_letter_is_refused_and_nothing_changes(city, letter, message):
    objection = _objection_of(city, "kadis", "sekda")
    with pytest.raises(EvaluationError, match=message):
        obj.record_official_decision(
            _actor(city, "admin"), objection, "CONFIRM", "tetap", _letter(**letter)
        )
    assert Objection.get_by_id(objection.id).decision is None
    assert ObjectionOfficialDecision.select().count() == 0


def test_a_failed_change_rolls_everything_back(city):
    objection = _objection_of(city, "kadis", "sekda")
    with pytest.raises(EvaluationError, match="sama dengan rating semula"):
        obj.record_official_decision(
            _actor(city, "admin"), objection, "CHANGE", "ubah", _letter(), S, S
        )
    assert Objection.get_by_id(objection.id).decision is None
    assert Evaluation.get_by_id(objection.evaluation_id).status == EvaluationStatus.KEBERATAN
    assert ObjectionOfficialDecision.select().count() == 0
    assert objection_queries.objections_for_officials(today_wib()) == [objection]
