"""The SKP pages offer less typing (issue 23 part 5): copy last year's SKP from the SKP page,
the approved items marked on the draft; RHK from the supervisor's approved RHK by checkbox."""

import pytest

from kinerja.clock import today_wib
from kinerja.models.skp import Rhk, Skp
from tests.builders_skp import make_skp
from tests.html import check_page, find_all, texts

THIS = today_wib().year
LAST = THIS - 1


@pytest.fixture
def pegawai(world, client, login_as):
    make_skp(
        world.people["supervisor"],
        year=THIS,
        status="DISETUJUI",
        rhks=(("UTAMA", "Meningkatnya layanan KTP-el", ()),),
    )
    make_skp(world.people["pegawai"], year=LAST, status="DISETUJUI")
    login_as(world.accounts["pegawai"])
    return world


def _this_years(world):
    return Skp.get((Skp.employee == world.people["pegawai"].id) & (Skp.year == THIS))


def test_copy_from_the_skp_page_marks_the_approved_items(client, pegawai):
    page = check_page(client.get("/skp").get_data(as_text=True))
    buttons = texts(page, "button")
    assert f"Salin dari SKP {LAST}" in buttons
    response = client.post("/skp/salin", data={"year": THIS})
    assert response.status_code == 303
    skp = _this_years(pegawai)
    detail = check_page(client.get(response.headers["Location"]).get_data(as_text=True))
    marks = texts(detail, "span")
    assert f"Disalin dari SKP {LAST} yang disetujui" in marks
    flashes = " ".join(texts(detail, "p"))
    assert f"SKP {THIS} disalin dari SKP {LAST}" in flashes
    assert Rhk.select().where(Rhk.skp == skp.id).count() == 1


def test_a_second_copy_is_refused_with_a_message(client, pegawai):
    client.post("/skp/salin", data={"year": THIS})
    response = client.post("/skp/salin", data={"year": THIS}, follow_redirects=True)
    assert "sudah berisi RHK" in response.get_data(as_text=True)
    assert Rhk.select().where(Rhk.skp == _this_years(pegawai).id).count() == 1


def test_a_year_far_away_is_400(client, pegawai):
    assert client.post("/skp/salin", data={"year": THIS - 5}).status_code == 400


def test_rhk_from_the_supervisors_rhk_by_checkbox(client, pegawai):
    client.post("/skp/mulai", data={"year": THIS, "approach": "KUANTITATIF"})
    skp = _this_years(pegawai)
    page = check_page(client.get(f"/skp/{skp.id}").get_data(as_text=True))
    boxes = find_all(page, "input", type="checkbox", name="parent")
    assert len(boxes) == 1
    response = client.post(f"/skp/{skp.id}/dari-rhk-atasan", data={"parent": boxes[0].get("value")})
    assert response.status_code == 303
    rhk = Rhk.get(Rhk.skp == skp.id)
    assert rhk.text == "Meningkatnya layanan KTP-el" and rhk.parent_rhk_id is not None


def test_nothing_chosen_is_422_with_the_message(client, pegawai):
    client.post("/skp/mulai", data={"year": THIS, "approach": "KUANTITATIF"})
    skp = _this_years(pegawai)
    response = client.post(f"/skp/{skp.id}/dari-rhk-atasan", data={})
    assert response.status_code == 422
    page = check_page(response.get_data(as_text=True))
    assert "Pilih paling sedikit satu RHK atasan." in texts(page, "p")


def test_someone_elses_draft_is_403(client, login_as, pegawai):
    draft = make_skp(pegawai.people["peer"], year=THIS)
    assert client.post(f"/skp/{draft.id}/dari-rhk-atasan", data={"parent": "1"}).status_code == 403
