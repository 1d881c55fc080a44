"""Evaluation pages render valid HTML in every state, and refuse bad input with 422."""

from datetime import date, timedelta
from decimal import Decimal

from kinerja.clock import today_wib
from kinerja.enums import Rating
from kinerja.models.evaluation import DevelopmentPlan, Recognition
from kinerja.models.skp import Indicator, Rhk
from kinerja.permissions import Actor
from kinerja.services import calibration as calib
from kinerja.services import evaluation as svc
from kinerja.services import followup
from kinerja.services import objection as obj
from tests.builders import make_employee
from tests.builders_evaluation import (
    add_realisation,
    make_approved_skp,
    make_evaluation,
    make_period,
)
from tests.html import check_page, find_all

A, S, B = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI


def _ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return check_page(response.text)


def test_pages_in_every_state(client, login_as, world):
    boss, atasan = Actor(world.accounts["supervisor"]), Actor(world.accounts["atasan"])
    admin = Actor(world.accounts["admin"])
    period, annual = (
        make_period(),
        make_period(2025, kind="TAHUNAN"),
    )  # ended: finalised after its end
    # a unit head (the kasi) rated by the kabid from the organisation predikat
    calib.set_org_predikat(admin, world.units["seksi"], period, "ISTIMEWA")
    head_ev = make_evaluation(world.people["supervisor"], period)
    head_ev = svc.rate(atasan, head_ev, None, "", A, "Teladan")
    # a functional employee, annual, Butuh Perbaikan, final, with a plan
    jf = make_employee(
        "Pranata",
        unit=world.units["seksi"],
        supervisor=world.people["supervisor"],
        jenis="FUNGSIONAL",
        jenjang="AHLI_MUDA",
    )
    weak = svc.finalise(boss, svc.rate(boss, make_evaluation(jf, annual), B, "kurang", S, "ok"))
    followup.add_plan(boss, weak, "PELATIHAN", "Pelatihan", jf.id, today_wib() + timedelta(9))
    # the pegawai: Sangat Baik, final, objected, decided, nominated
    ev = svc.finalise(
        boss, svc.rate(boss, make_evaluation(world.people["pegawai"], period), A, "a", A, "a")
    )
    objection = obj.file_objection(Actor(world.accounts["pegawai"]), ev, "Alasan")
    obj.add_message(atasan, objection, "Jelaskan", requested_from="EMPLOYEE")
    obj.decide(atasan, objection, "CONFIRM", "Tetap")
    followup.nominate(boss, ev, "Pelayanan prima")

    login_as(world.accounts["atasan"])
    for url in (
        f"/atasan/penilaian/{head_ev.id}",
        f"/atasan/penilaian/{head_ev.id}/predikat?perilaku={A}",
        f"/atasan/keberatan/{objection.id}",
        "/atasan/keberatan",
        f"/atasan/kalibrasi?unit_id={world.units['bidang'].id}&period_id={period.id}",
        "/atasan/penilaian",
    ):
        _ok(client, url)
    login_as(world.accounts["supervisor"])
    for url in (
        f"/atasan/penilaian/{weak.id}",
        f"/atasan/penilaian/{weak.id}/rencana-pengembangan",
        f"/atasan/penilaian/{ev.id}",
        f"/atasan/penilaian/{ev.id}/360",
        f"/penilaian/{head_ev.id}",
        f"/penilaian/{weak.id}/dokumen",
        "/rencana-pengembangan",
    ):
        _ok(client, url)
    assert (
        client.post(f"/atasan/penilaian/{weak.id}/rencana-pengembangan", data={}).status_code == 422
    )
    login_as(world.accounts["pegawai"])
    for url in (
        f"/penilaian/{ev.id}",
        f"/penilaian/{ev.id}/keberatan",
        f"/penilaian/{ev.id}/dokumen",
        "/rencana-pengembangan",
        "/umpan-balik-360",
        "/beranda",
    ):
        _ok(client, url)
    rec = Recognition.get(Recognition.evaluation == ev.id)
    assert (
        client.post(f"/penghargaan/{rec.id}/persetujuan", data={"consent": "ya"}).status_code == 303
    )
    assert Recognition.get_by_id(rec.id).consent is True
    login_as(world.accounts["admin"])
    for url in ("/admin/predikat-organisasi", "/admin/pola-distribusi", f"/penilaian/{weak.id}"):
        _ok(client, url)
    bad = client.post("/admin/pola-distribusi", data={"json": "{"})
    assert bad.status_code == 422
    check_page(bad.text)
    assert DevelopmentPlan.select().count() == 1


def test_late_objection_page_names_the_deadline(client, login_as, world):
    boss = Actor(world.accounts["supervisor"])
    ev = make_evaluation(world.people["pegawai"], make_period())
    ev = svc.finalise(boss, svc.rate(boss, ev, S, "s", S, "s"))
    ev.objection_deadline = date(2026, 1, 14)
    ev.save()
    login_as(world.accounts["pegawai"])
    response = client.post(f"/penilaian/{ev.id}/keberatan", data={"reasons": "terlambat"})
    assert response.status_code == 422
    check_page(response.text)
    assert "14 Januari 2026" in response.text


def test_employee_page_offers_no_closing_of_a_mandatory_plan(client, login_as, world):
    boss = Actor(world.accounts["supervisor"])
    annual = make_period(2025, kind="TAHUNAN")
    weak = svc.finalise(
        boss,
        svc.rate(boss, make_evaluation(world.people["pegawai"], annual), B, "kurang", S, "ok"),
    )
    plan = followup.add_plan(
        boss, weak, "COACHING", "Coaching", world.people["pegawai"].id, today_wib() + timedelta(9)
    )
    login_as(world.accounts["pegawai"])
    page = client.get("/rencana-pengembangan")
    values = [o.get("value") for o in find_all(check_page(page.text), "option")]
    assert values == ["RENCANA", "BERJALAN"]
    refused = client.post("/rencana-pengembangan", data={"plan": plan.id, "status": "SELESAI"})
    assert refused.status_code == 403
    assert "hanya dapat dinyatakan selesai atau dibatalkan oleh Pejabat Penilai" in refused.text
    assert DevelopmentPlan.get_by_id(plan.id).status == "RENCANA"
    moved = client.post("/rencana-pengembangan", data={"plan": plan.id, "status": "BERJALAN"})
    assert moved.status_code == 303
    assert DevelopmentPlan.get_by_id(plan.id).status == "BERJALAN"


def test_rating_page_scores_by_the_arah_and_states_the_formula(client, login_as, world):
    """Issue 18: a Waktu indicator in percent, higher is better, is not inverted, and the
    page says how each capaian is computed."""
    period = make_period()
    skp = make_approved_skp(world.people["pegawai"], period.year, indicators=())
    rhk = Rhk.get(Rhk.skp == skp.id)
    for i, (text, target, unit, direction) in enumerate(
        [
            ("Persentase KTP-el selesai tepat waktu", "95", "%", "HIGHER_BETTER"),
            ("Rata-rata waktu penyelesaian", "3", "hari kerja", "LOWER_BETTER"),
        ],
        start=1,
    ):
        Indicator.create(
            rhk=rhk,
            position=i,
            text=text,
            aspek="WAKTU",
            target_value=Decimal(target),
            target_unit=unit,
            direction=direction,
        )
    add_realisation(skp, period, ["96.86", "2"])
    ev = make_evaluation(world.people["pegawai"], period, skp)
    login_as(world.accounts["supervisor"])
    tree = _ok(client, f"/atasan/penilaian/{ev.id}")
    rows = {
        " ".join("".join(tr.itertext()).split())
        for tr in tree.iter("tr")
        if "Persentase KTP-el" in "".join(tr.itertext())
        or "Rata-rata waktu" in "".join(tr.itertext())
    }
    ktp = next(r for r in rows if "Persentase KTP-el" in r)
    days = next(r for r in rows if "Rata-rata waktu" in r)
    assert "101,96 %" in ktp and "Sesuai Ekspektasi" in ktp
    assert "realisasi ÷ target × 100 % (semakin tinggi semakin baik)" in ktp
    assert "150,00 %" in days and "Di Atas Ekspektasi" in days
    assert "target ÷ realisasi × 100 % (semakin rendah semakin baik)" in days
