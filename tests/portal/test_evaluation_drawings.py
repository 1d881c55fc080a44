"""The kuadran drawn as a coloured 3×3 SVG with the employee's cell marked, and the 360
summary drawn as bars; each with a text alternative and the table beside it."""

from kinerja.enums import Berakhlak, Predikat, Rating
from kinerja.models.evaluation import Evaluation, FeedbackRequest
from kinerja.permissions import Actor
from kinerja.services import evaluation as svc
from kinerja.services import evaluation_feedback as feedback
from tests.builders_evaluation import actor_of, make_evaluation, make_peers, make_period
from tests.html import check_page, find_all

A, S = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI
SVG = "{http://www.w3.org/2000/svg}"


def _tag(el) -> str:
    return el.tag.replace(SVG, "") if isinstance(el.tag, str) else ""


def _svgs(tree, cls):
    return [el for el in tree.iter() if _tag(el) == "svg" and cls in (el.get("class") or "")]


def _child(svg, tag):
    return next(el for el in svg.iter() if _tag(el) == tag)


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_kuadran_svg_marks_the_cell_of_the_predikat(client, login_as, world):
    boss = actor_of(world, "supervisor")
    ev = make_evaluation(world.people["pegawai"], make_period())
    svc.finalise(boss, svc.rate(boss, ev, A, "Capaian melampaui", S, "Sesuai"))
    login_as(world.accounts["pegawai"])
    response = client.get(f"/penilaian/{ev.id}")
    assert response.status_code == 200
    tree = check_page(response.text)
    (svg,) = _svgs(tree, "kuadran-chart")
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    title, desc = _child(svg, "title"), _child(svg, "desc")
    assert [title.get("id"), desc.get("id")] == labelled
    assert "Kuadran kinerja" in _text(title)
    predikat = Predikat(Evaluation.get_by_id(ev.id).predikat)
    assert predikat is Predikat.BAIK  # Di Atas × Sesuai (docs/spec/regulation.md §3)
    assert _text(desc) == (
        f"Posisi pegawai: Hasil Kerja {A.label}, Perilaku Kerja {S.label}, "
        f"predikat {predikat.label}."
    )
    cells = [el for el in svg.iter() if _tag(el) == "g" and "kq-cell" in el.get("class", "")]
    assert len(cells) == 9
    (marked,) = [c for c in cells if "kq-current" in c.get("class").split()]
    assert (marked.get("data-hasil"), marked.get("data-perilaku")) == (A.value, S.value)
    assert marked.get("data-predikat") == predikat.value
    assert f"kq-{predikat.value.lower()}" in marked.get("class").split()
    assert "hasil ini" in _text(marked)
    # the table stays beside the drawing, marking the same cell
    (wrap,) = find_all(tree, "div", class_="kuadran-wrap")
    (current,) = [td for td in wrap.iter("td") if td.get("aria-current") == "true"]
    assert _text(current).startswith(predikat.label)
    assert "style" not in response.text.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_kuadran_svg_without_ratings_says_so(client, login_as, world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    login_as(world.accounts["supervisor"])
    response = client.get(f"/atasan/penilaian/{ev.id}")
    assert response.status_code == 200
    tree = check_page(response.text)
    (svg,) = _svgs(tree, "kuadran-chart")
    desc = _text(_child(svg, "desc"))
    assert desc == "Posisi pegawai belum dapat ditandai: rating belum lengkap."
    assert not [el for el in svg.iter() if "kq-current" in (el.get("class") or "")]


def test_360_summary_is_drawn_as_bars_beside_the_table(client, login_as, world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    boss = actor_of(world, "supervisor")
    peers = make_peers(world, 3)
    feedback.request_raters(boss, ev, [p.id for p in peers])
    for i, peer in enumerate(peers):
        request = FeedbackRequest.get(FeedbackRequest.rater == peer.id)
        rating = S.value if i == 0 else A.value
        feedback.answer(
            Actor(peer.accounts.get()), request, {v.value: rating for v in Berakhlak}, {}
        )
    feedback.close_round(boss, ev)
    login_as(world.accounts["supervisor"])
    response = client.get(f"/atasan/penilaian/{ev.id}")
    assert response.status_code == 200
    tree = check_page(response.text)
    section = find_all(tree, "section", class_="feedback-group")[0]
    (svg,) = _svgs(section, "feedback-bars")
    assert svg.get("role") == "img"
    assert "Sebaran jawaban 360" in _text(_child(svg, "title"))
    desc = _text(_child(svg, "desc"))
    for value in Berakhlak:
        assert f"{value.label}: {A.label} 2, {S.label} 1" in desc
    bars = [el for el in svg.iter() if _tag(el) == "rect" and el.get("data-rating")]
    assert {(b.get("data-rating"), b.get("data-count")) for b in bars} == {
        (A.value, "2"),
        (S.value, "1"),
    }
    assert len(bars) == 2 * len(Berakhlak)
    assert find_all(section, "table")  # the table stays beside it
