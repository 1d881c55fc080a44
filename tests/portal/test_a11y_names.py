"""Accessible names and descriptions: landmarks on the public pages each have their own
name (a section and its table's scroll box are not announced twice), and the BerAKHLAK
guideline on the self-assessment page describes its narrative field."""

from collections import Counter
from datetime import date

from kinerja.enums import BERAKHLAK_GUIDELINES, Berakhlak
from kinerja.services.publish import publish
from tests.builders_evaluation import make_evaluation
from tests.builders_evaluation import make_period as make_eval_period
from tests.builders_public import (
    add_answers,
    add_evaluations,
    add_requests,
    make_period,
    make_service_type,
    noon,
)
from tests.html import check_page, find_all

LANDMARK_ROLES = {
    "banner",
    "complementary",
    "contentinfo",
    "form",
    "main",
    "navigation",
    "region",
    "search",
}
IMPLICIT = {"nav": "navigation", "main": "main", "aside": "complementary", "section": "region"}


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _name(el, by_id) -> str:
    """The accessible name from aria-labelledby (referenced texts) or aria-label."""
    labelledby = (el.get("aria-labelledby") or "").split()
    if labelledby:
        return " ".join(_text(by_id[i]) for i in labelledby).strip()
    return (el.get("aria-label") or "").strip()


def landmarks(tree) -> list[tuple[str, str]]:
    """(role, name) of every named landmark or region on the page."""
    by_id = {el.get("id"): el for el in tree.iter() if el.get("id")}
    out = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        role = el.get("role") or IMPLICIT.get(el.tag)
        if el.tag in ("header", "footer") and not el.get("role"):
            role = "banner" if el.tag == "header" else "contentinfo"
        if role not in LANDMARK_ROLES:
            continue
        name = _name(el, by_id)
        if name:
            out.append((role, name))
    return out


def _published(world):
    opd, bidang = world.units["opd"], world.units["bidang"]
    q1, q2 = make_period(2026, 1, status="DITUTUP"), make_period(2026, 2)
    add_answers(opd, date(2026, 4, 6), 30)
    add_requests(make_service_type(opd), noon(date(2026, 4, 6)), 30)
    add_evaluations(bidang, q1, {"BAIK": 14, "SANGAT_BAIK": 2, "BUTUH_PERBAIKAN": 1})
    publish(q1)
    publish(q2)


def test_public_landmarks_have_distinct_names(client, world):
    _published(world)
    units = [world.units[key].code for key in ("opd", "bidang")]  # the bidang: predikat
    for url in ("/publik", *(f"/publik/unit/{c}" for c in units), "/publik/data", "/publik/metode"):
        response = client.get(url)
        assert response.status_code == 200, url
        tree = check_page(response.get_data(as_text=True))
        found = landmarks(tree)
        names = Counter(name for _, name in found)
        assert not [n for n, c in names.items() if c > 1], (url, found)
        scroll_boxes = find_all(tree, "div", class_="table-wrap")
        assert scroll_boxes, url
        by_id = {el.get("id"): el for el in tree.iter() if el.get("id")}
        for box in scroll_boxes:
            # focusable for keyboard scrolling, so a region with its own name
            assert box.get("tabindex") == "0" and box.get("role") == "region", url
            assert _name(box, by_id).startswith("Tabel "), (url, _name(box, by_id))


def test_self_assessment_guideline_describes_its_narrative(client, login_as, world):
    ev = make_evaluation(world.people["pegawai"], make_eval_period())
    login_as(world.accounts["pegawai"])
    response = client.get(f"/penilaian/{ev.id}/penilaian-diri")
    assert response.status_code == 200
    tree = check_page(response.text)
    by_id = {el.get("id"): el for el in tree.iter() if el.get("id")}
    for value in Berakhlak:
        (area,) = find_all(tree, "textarea", name=f"val-{value.value}-narrative")
        described = (area.get("aria-describedby") or "").split()
        texts = [_text(by_id[i]) for i in described if i in by_id]
        assert len(texts) == len(described), (value, described)
        assert "; ".join(BERAKHLAK_GUIDELINES[value]) in texts, (value, texts)
