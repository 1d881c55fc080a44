"""After a keberatan decision changed the ratings, the result rests on the atasan Pejabat
Penilai's decision and its reason; the Pejabat Penilai's ratings and reasons are shown
apart, labelled as the original ("Rating awal Pejabat Penilai")."""

from kinerja.enums import Predikat, Rating
from kinerja.services import evaluation as svc
from kinerja.services import objection as obj
from tests.builders_evaluation import actor_of, make_evaluation, make_period
from tests.html import check_page

A, S = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI
HASIL_REASON = "Alasan Pejabat Penilai untuk hasil kerja"
PERILAKU_REASON = "Alasan Pejabat Penilai untuk perilaku kerja"
DECISION_REASON = "Bukti tambahan menunjukkan capaian di atas target"


def _decided(world, decision, hasil=None, perilaku=None):
    """The pegawai's evaluation, rated Baik, objected and decided."""
    boss = actor_of(world, "supervisor")
    ev = make_evaluation(world.people["pegawai"], make_period())
    ev = svc.finalise(boss, svc.rate(boss, ev, S, HASIL_REASON, S, PERILAKU_REASON))
    objection = obj.file_objection(actor_of(world, "pegawai"), ev, "Saya keberatan")
    obj.decide(actor_of(world, "atasan"), objection, decision, DECISION_REASON, hasil, perilaku)
    return ev, objection


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _terms(dl) -> dict[str, str]:
    """A <dl>'s terms and their descriptions, as text."""
    out, term = {}, None
    for child in dl:
        if child.tag == "dt":
            term = _text(child)
        elif child.tag == "dd" and term is not None:
            out[term] = _text(child)
    return out


def _result_lists(tree):
    """The result's <dl class="result"> lists and the h3 headings, in document order."""
    return [
        el
        for el in tree.iter()
        if el.tag == "h3" or el.tag == "dl" and "result" in (el.get("class") or "").split()
    ]


def _check_changed(text):
    tree = check_page(text)
    items = _result_lists(tree)
    final = next(el for el in items if el.tag == "dl")
    terms = _terms(final)
    assert terms["Rating Hasil Kerja (putusan keberatan)"].startswith(A.label)
    assert f"diubah dari {S.label}" in terms["Rating Hasil Kerja (putusan keberatan)"]
    assert terms["Rating Perilaku Kerja (putusan keberatan)"].startswith(A.label)
    assert terms["Predikat Kinerja Pegawai"].startswith(Predikat.SANGAT_BAIK.label)
    assert DECISION_REASON in terms["Dasar rating akhir"]
    assert "atasan Pejabat Penilai" in terms["Dasar rating akhir"]
    # The Pejabat Penilai's reasons are not presented as the basis of the final rating.
    assert HASIL_REASON not in _text(final) and PERILAKU_REASON not in _text(final)
    headings = [_text(el) for el in items if el.tag == "h3"]
    assert "Rating awal Pejabat Penilai" in headings
    index = next(
        i
        for i, el in enumerate(items)
        if el.tag == "h3" and _text(el) == "Rating awal Pejabat Penilai"
    )
    original = next(el for el in items[index:] if el.tag == "dl")
    assert "result-original" in original.get("class").split()
    before = _terms(original)
    assert before["Rating Hasil Kerja awal"].startswith(S.label)
    assert HASIL_REASON in before["Rating Hasil Kerja awal"]
    assert before["Rating Perilaku Kerja awal"].startswith(S.label)
    assert PERILAKU_REASON in before["Rating Perilaku Kerja awal"]
    assert before["Predikat awal"] == Predikat.BAIK.label
    # The kuadran marks the final pair.
    (current,) = [td for td in tree.iter("td") if td.get("aria-current") == "true"]
    assert _text(current).startswith(Predikat.SANGAT_BAIK.label)


def test_changed_ratings_rest_on_the_decision(client, login_as, world):
    ev, objection = _decided(world, "CHANGE", A, A)
    login_as(world.accounts["pegawai"])
    for url in (f"/penilaian/{ev.id}", f"/penilaian/{ev.id}/dokumen"):
        response = client.get(url)
        assert response.status_code == 200, url
        _check_changed(response.text)
    login_as(world.accounts["atasan"])
    response = client.get(f"/atasan/keberatan/{objection.id}")
    assert response.status_code == 200
    _check_changed(response.text)
    login_as(world.accounts["supervisor"])
    response = client.get(f"/atasan/penilaian/{ev.id}")
    assert response.status_code == 200
    _check_changed(response.text)


def test_one_changed_rating_names_the_other_as_unchanged(client, login_as, world):
    ev, _ = _decided(world, "CHANGE", A, S)
    login_as(world.accounts["pegawai"])
    tree = check_page(client.get(f"/penilaian/{ev.id}").text)
    final = next(dl for dl in tree.iter("dl") if "result" in (dl.get("class") or "").split())
    terms = _terms(final)
    assert f"diubah dari {S.label}" in terms["Rating Hasil Kerja (putusan keberatan)"]
    assert "tidak diubah" in terms["Rating Perilaku Kerja (putusan keberatan)"]
    assert DECISION_REASON in terms["Dasar rating akhir"]


def test_confirmed_ratings_keep_the_penilai_reasons(client, login_as, world):
    ev, _ = _decided(world, "CONFIRM")
    login_as(world.accounts["pegawai"])
    tree = check_page(client.get(f"/penilaian/{ev.id}").text)
    final = next(dl for dl in tree.iter("dl") if "result" in (dl.get("class") or "").split())
    terms = _terms(final)
    assert HASIL_REASON in terms["Rating Hasil Kerja"]
    assert PERILAKU_REASON in terms["Rating Perilaku Kerja"]
    assert "Rating awal Pejabat Penilai" not in [_text(h) for h in tree.iter("h3")]
