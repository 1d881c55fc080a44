"""The issue's "Done when" flow through the web pages, as a new user would click it."""

from kinerja.enums import Berakhlak, EvaluationStatus, Predikat
from kinerja.models.evaluation import Evaluation, FeedbackRequest
from kinerja.queries.evaluation import rhks_of
from kinerja.services import evaluation as svc
from tests.builders_evaluation import add_realisation, make_approved_skp, make_peers, make_period
from tests.html import check_page, find_all, texts

A, SES = "DIATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"


def _answer_form():
    data = {f"rating-{v.value}": A for v in Berakhlak}
    data[f"comment-{Berakhlak.KOMPETEN.value}"] = "Sangat membantu rekan"
    return data


def test_done_when_flow_through_pages(client, login_as, world):
    period = make_period(number=3)  # ended 28 September: can be finalised
    pegawai = world.people["pegawai"]
    skp = make_approved_skp(pegawai, indicators=((100, 0), (50, 0)))
    add_realisation(skp, period, [130, 60])
    svc.create_evaluations_for_period(period)
    ev = Evaluation.get(Evaluation.employee == pegawai)

    # a pelaksana self-assesses
    login_as(world.accounts["pegawai"])
    page = client.get("/penilaian")
    assert page.status_code == 200
    check_page(page.text)
    assert client.get(f"/penilaian/{ev.id}/penilaian-diri").status_code == 200
    bad = client.post(f"/penilaian/{ev.id}/penilaian-diri", data={})
    assert bad.status_code == 422
    check_page(bad.text)
    rhk = rhks_of(ev)[0]
    form = {f"rhk-{rhk.id}-rating": A, f"rhk-{rhk.id}-narrative": "Melampaui target"}
    form |= {f"val-{v.value}-rating": SES for v in Berakhlak}
    response = client.post(f"/penilaian/{ev.id}/penilaian-diri", data=form)
    assert response.status_code == 303
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.PENILAIAN_DIRI

    # the supervisor asks three peers; they answer; nothing shows while the round is open
    # (issue 19); the supervisor closes it and the summary of all three is released
    peers = make_peers(world, 3)
    login_as(world.accounts["supervisor"])
    response = client.post(f"/atasan/penilaian/{ev.id}/360", data={"rater": [p.id for p in peers]})
    assert response.status_code == 303
    for i, peer in enumerate(peers):
        login_as(peer.accounts.get())
        tasks = client.get("/umpan-balik-360")
        check_page(tasks.text)
        request = FeedbackRequest.get(FeedbackRequest.rater == peer.id)
        assert client.get("/beranda").text.count(f"/umpan-balik-360/{request.id}") == 1
        assert client.post(f"/umpan-balik-360/{request.id}", data={}).status_code == 422
        response = client.post(f"/umpan-balik-360/{request.id}", data=_answer_form())
        assert response.status_code == 303
        login_as(world.accounts["supervisor"])
        page = client.get(f"/atasan/penilaian/{ev.id}")
        tree = check_page(page.text)
        peer_section = find_all(tree, "section", class_="feedback-group")[0]
        shown = bool(find_all(peer_section, "table"))
        assert not shown, f"after {i + 1} answers: scores shown before closing"
    response = client.post(f"/atasan/penilaian/{ev.id}/360/tutup")
    assert response.status_code == 303
    tree = check_page(client.get(f"/atasan/penilaian/{ev.id}").text)
    peer_section = find_all(tree, "section", class_="feedback-group")[0]
    assert find_all(peer_section, "table") and "3 jawaban" in "".join(peer_section.itertext())

    # the supervisor rates and sees the predikat (htmx fragment, then the saved result)
    fragment = client.get(
        f"/atasan/penilaian/{ev.id}/predikat?hasil={A}&perilaku={A}", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Sangat Baik" in fragment.text
    response = client.post(
        f"/atasan/penilaian/{ev.id}",
        data={"hasil": A, "hasil_reason": "Capaian 130 %", "perilaku": A, "perilaku_reason": "Ok"},
    )
    assert response.status_code == 303
    assert Evaluation.get_by_id(ev.id).predikat == Predikat.SANGAT_BAIK

    # the admin sets the unit's organisation predikat; the calibration view shows a breach
    login_as(world.accounts["admin"])
    seksi = world.units["seksi"]
    response = client.post(
        "/admin/predikat-organisasi",
        data={"period_id": period.id, "unit_id": seksi.id, "predikat": "BAIK"},
    )
    assert response.status_code == 303
    login_as(world.accounts["supervisor"])
    page = client.get(f"/atasan/kalibrasi?unit_id={seksi.id}&period_id={period.id}")
    tree = check_page(page.text)
    breaches = find_all(tree, "li", class_="breach")
    assert breaches
    links = [a.get("href") for b in breaches for a in b.iter("a")]
    assert f"/atasan/penilaian/{ev.id}" in links

    # the supervisor finalises
    assert client.post(f"/atasan/penilaian/{ev.id}/finalisasi").status_code == 303
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.FINAL

    # the pelaksana objects
    login_as(world.accounts["pegawai"])
    detail = client.get(f"/penilaian/{ev.id}")
    check_page(detail.text)
    assert "Sangat Baik" in detail.text
    response = client.post(f"/penilaian/{ev.id}/keberatan", data={"reasons": "Mohon ditinjau"})
    assert response.status_code == 303
    assert Evaluation.get_by_id(ev.id).status == EvaluationStatus.KEBERATAN
    objection = ev.objections.get()

    # the supervisor's supervisor changes the rating with a reason
    login_as(world.accounts["atasan"])
    page = client.get(f"/atasan/keberatan/{objection.id}")
    check_page(page.text)
    assert "Mohon ditinjau" in page.text
    response = client.post(
        f"/atasan/keberatan/{objection.id}",
        data={"text": "Mohon penjelasan", "requested_from": "PENILAI"},
    )
    assert response.status_code == 303
    response = client.post(
        f"/atasan/keberatan/{objection.id}/putusan",
        data={
            "decision": "CHANGE",
            "hasil": A,
            "perilaku": SES,
            "reason": "Perilaku sesuai",
            "confirm": "1",
        },
    )
    assert response.status_code == 303
    assert Evaluation.get_by_id(ev.id).predikat == Predikat.BAIK

    # the printable document shows the final result
    login_as(world.accounts["pegawai"])
    doc = client.get(f"/penilaian/{ev.id}/dokumen")
    tree = check_page(doc.text)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in texts(tree, "h1")
    predikat = find_all(tree, "strong", class_="predikat")
    assert ["".join(el.itertext()) for el in predikat] == ["Baik"]
    assert "Perilaku sesuai" in doc.text
