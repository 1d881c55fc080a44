"""Issue 21: the keberatan decision is final, so the page previews the resulting predikat
live (htmx) from the chosen ratings, and deciding asks for confirmation first, showing the
ratings and the predikat before and after."""

import pytest

from kinerja.models.evaluation import Evaluation, Objection
from tests.access.evaluation import setup
from tests.html import check_page, find_all

A, SES = "DIATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"
HX = {"HX-Request": "true"}


@pytest.fixture
def objection(world):
    setup(world)
    return world.objects["objection"]


def _text(response):
    return " ".join(check_page(response.get_data(as_text=True)).itertext())


def test_decision_form_previews_the_predikat_live(client, login_as, world, objection):
    login_as(world.accounts["atasan"])
    tree = check_page(client.get(f"/atasan/keberatan/{objection.id}").get_data(as_text=True))
    (live,) = [d for d in find_all(tree, "div") if d.get("hx-target") == "#decision-preview"]
    assert live.get("hx-get") == f"/atasan/keberatan/{objection.id}/pratinjau"
    assert live.get("hx-trigger") == "change"
    assert find_all(tree, "div", id="decision-preview")

    url = f"/atasan/keberatan/{objection.id}/pratinjau"
    only_hasil = client.get(f"{url}?decision=CHANGE&hasil={A}", headers=HX)
    assert "<html" not in only_hasil.text and "kedua rating baru" in only_hasil.text
    changed = client.get(f"{url}?decision=CHANGE&hasil={A}&perilaku={SES}", headers=HX)
    assert "Predikat setelah putusan:" in changed.text and "Baik" in changed.text
    assert "tidak berubah" in changed.text  # Di Atas + Sesuai stays Baik: said, not quiet
    both = client.get(f"{url}?decision=CHANGE&hasil={A}&perilaku={A}", headers=HX)
    assert "Sangat Baik" in both.text and "semula Baik" in both.text
    confirm = client.get(f"{url}?decision=CONFIRM", headers=HX)
    assert "tidak berubah" in confirm.text
    login_as(world.accounts["supervisor"])
    assert client.get(url).status_code == 403


def test_deciding_asks_for_confirmation_first(client, login_as, world, objection):
    login_as(world.accounts["atasan"])
    url = f"/atasan/keberatan/{objection.id}/putusan"
    data = {"decision": "CHANGE", "hasil": A, "perilaku": A, "reason": "Capaian melampaui"}
    page = client.post(url, data=data)
    assert page.status_code == 200
    text = _text(page)
    for shown in ("Ya, putuskan (final)", "Sangat Baik", "Di Atas Ekspektasi", "final"):
        assert shown in text, shown
    assert Objection.get_by_id(objection.id).decision is None  # looking is not deciding
    assert Evaluation.get_by_id(objection.evaluation_id).status == "KEBERATAN"

    back = client.post(url, data={**data, "back": "1"})
    tree = check_page(back.get_data(as_text=True))
    (reason,) = find_all(tree, "textarea", id="reason")
    assert reason.text == "Capaian melampaui"  # nothing typed is lost
    assert Objection.get_by_id(objection.id).decision is None

    refused = client.post(url, data={**data, "perilaku": ""})
    assert refused.status_code == 422 and "Pilih Rating Perilaku Kerja baru." in refused.text

    done = client.post(url, data={**data, "confirm": "1"})
    assert done.status_code == 303
    assert Evaluation.get_by_id(objection.evaluation_id).predikat == "SANGAT_BAIK"
