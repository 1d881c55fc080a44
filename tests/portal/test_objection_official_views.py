"""Issue 18 item 4 in the admin console: the keberatan waiting for the Wali Kota are listed;
an admin records the written decision with its letter; the employee reads who decided."""

import io
import re
from datetime import timedelta

import pytest

from kinerja.clock import today_wib
from kinerja.enums import EvaluationStatus, Rating
from kinerja.formatting import format_date
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import Evaluation, Objection, ObjectionOfficialDecision
from kinerja.services import evaluation as svc
from kinerja.services import objection as obj
from tests.builders_evaluation import actor_of, make_evaluation, make_period
from tests.html import check_page

S = Rating.SESUAI_EKSPEKTASI
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture
def kabid_objection(world):
    """The kabid ("atasan"), rated by the kepala dinas who tops the roster, objects: the
    Wali Kota decides."""
    ev = make_evaluation(
        world.people["atasan"],
        make_period(),
        status="FINAL",
        hasil_rating=S,
        perilaku_rating=S,
        predikat="BAIK",
        rated_by=world.people["kadis"],
        objection_deadline=today_wib() + timedelta(days=10),
    )
    return obj.file_objection(actor_of(world, "atasan"), ev, "Mohon ditinjau kembali")


def _form(**kw):
    data = {
        "decision": "CONFIRM",
        "reason": "Penilaian telah sesuai bukti",
        "letter_number": "800/45/SETDA/2026",
        "letter_date": today_wib().isoformat(),
        "letter": (io.BytesIO(PDF), "putusan-wali-kota.pdf"),
    }
    data.update(kw)
    return data


def test_the_admin_lists_and_records_the_wali_kotas_decision(
    client, login_as, world, kabid_objection
):
    login_as(world.accounts["admin"])
    page = client.get("/admin/keberatan")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    check_page(text)
    assert "Kabid Uji" in text and "Wali Kota Sibolga" in text
    url = f"/admin/keberatan/{kabid_objection.id}"
    detail = client.get(url).get_data(as_text=True)
    check_page(detail)
    assert 'enctype="multipart/form-data"' in detail and 'name="letter"' in detail
    response = client.post(url, data=_form(), content_type="multipart/form-data")
    assert response.status_code == 303
    ev = Evaluation.get_by_id(kabid_objection.evaluation_id)
    assert ev.status == EvaluationStatus.DIPUTUS
    record = ObjectionOfficialDecision.get(
        ObjectionOfficialDecision.objection == kabid_objection.id
    )
    assert record.letter_number == "800/45/SETDA/2026"
    assert (
        AuditEvent.select().where(AuditEvent.action == "keberatan.putusan_pejabat_dicatat").count()
        == 1
    )
    letter = client.get(f"{url}/surat.pdf")
    assert letter.status_code == 200 and letter.data == PDF
    assert letter.headers["Content-Type"] == "application/pdf"
    assert "attachment" in letter.headers["Content-Disposition"]
    # The employee reads the decision and who made it.
    login_as(world.accounts["atasan"])
    for page_url in (f"/penilaian/{ev.id}", f"/penilaian/{ev.id}/keberatan"):
        text = client.get(page_url).get_data(as_text=True)
        flat = " ".join(re.sub(r"<[^>]+>", " ", text).split())
        signed = f"tanggal {format_date(today_wib())}"
        assert f"Wali Kota Sibolga, surat nomor 800/45/SETDA/2026 {signed}" in flat
    # The employee cannot download from the admin console.
    assert client.get(f"{url}/surat.pdf").status_code == 403


def test_the_employee_sees_who_will_decide(client, login_as, world, kabid_objection):
    login_as(world.accounts["atasan"])
    ev_id = kabid_objection.evaluation_id
    text = client.get(f"/penilaian/{ev_id}/keberatan").get_data(as_text=True)
    assert "Wali Kota Sibolga (putusan tertulis, dicatat oleh Admin BKPSDM)" in text


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"letter": (io.BytesIO(b"bukan pdf"), "surat.pdf")}, 422, "harus berupa berkas PDF"),
        ({"letter": (io.BytesIO(PDF), "surat.exe")}, 422, "harus berupa berkas PDF"),
        (
            {"letter": (io.BytesIO(PDF + b"0" * 5000), "surat.pdf")},
            413,
            "lebih besar dari 2 MB",
        ),
        ({"letter_number": ""}, 422, "Nomor surat putusan wajib diisi"),
        (
            {"letter_date": (today_wib() + timedelta(days=2)).isoformat()},
            422,
            "setelah hari ini",
        ),
    ],
)
def test_a_bad_letter_is_refused_in_indonesian(
    client, login_as, world, kabid_objection, changes, status, message, monkeypatch
):
    # A small limit keeps the test client's request in memory (as the service import test).
    monkeypatch.setattr("kinerja.services.objection.LETTER_MAX_BYTES", 4096)
    login_as(world.accounts["admin"])
    data = _form()
    data.pop("letter")
    data.update(changes)
    if "letter" not in changes:
        data["letter"] = (io.BytesIO(PDF), "surat.pdf")
    response = client.post(
        f"/admin/keberatan/{kabid_objection.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert Objection.get_by_id(kabid_objection.id).decision is None


@pytest.mark.parametrize("who", ["auditor", "kadis", "atasan", "pegawai"])
def test_only_an_admin_records(client, login_as, world, kabid_objection, who):
    login_as(world.accounts[who])
    response = client.post(
        f"/admin/keberatan/{kabid_objection.id}", data=_form(), content_type="multipart/form-data"
    )
    assert response.status_code == 403
    assert Objection.get_by_id(kabid_objection.id).decision is None


def test_an_account_decided_keberatan_is_not_the_admins(client, login_as, world):
    boss = actor_of(world, "supervisor")
    ev = make_evaluation(world.people["pegawai"], make_period())
    ev = svc.finalise(boss, svc.rate(boss, ev, S, "sesuai", S, "sesuai"))
    objection = obj.file_objection(actor_of(world, "pegawai"), ev, "Keberatan")
    login_as(world.accounts["admin"])
    assert "Pegawai Uji" not in client.get("/admin/keberatan").get_data(as_text=True)
    response = client.post(
        f"/admin/keberatan/{objection.id}", data=_form(), content_type="multipart/form-data"
    )
    assert response.status_code == 403


def test_the_admin_home_lists_the_task(client, login_as, world, kabid_objection):
    login_as(world.accounts["admin"])
    text = client.get("/beranda").get_data(as_text=True)
    assert "Catat putusan keberatan oleh pejabat tanpa akun" in text
    assert "/admin/keberatan" in text
