"""The citizens' home and plain-words unit page as HTML (issue 22)."""

import re

from kinerja.queries import public_method, public_unit
from tests.html import check_page, find_all, texts
from tests.kinerja.test_public_home import two_quarters  # noqa: F401 - the fixture


def test_anonymous_root_lands_on_the_public_home(client, two_quarters):  # noqa: F811
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/publik/beranda")
    page = client.get("/publik/beranda")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    tree = check_page(page.get_data(as_text=True))
    links = {a.get("href"): "".join(a.itertext()).strip() for a in tree.iter("a")}
    assert links.get("/masuk") == "Masuk pegawai"
    assert "/publik/unit/DUKCAPIL" in links
    assert texts(tree, "h4").count("Apa artinya?") == 3  # city IKM, on time, respondents
    body = "".join(tree.find(".//main").itertext())
    assert "1 dari 1" in body and "75,0" in body
    city = " ".join("".join(tree.find(".//*[@id='ikm-kota']").itertext()).split())
    assert city == "83,33 B"
    assert "Naik 8,33 poin dibanding" in " ".join(body.split())
    channels = " ".join("".join(tree.find(".//*[@id='kanal-kota']").itertext()).split())
    assert "Di kios unit layanan: 25" in channels and "ponsel (kode QR tanda terima): 0" in channels
    assert f"Naik 5 responden dibanding {two_quarters[0].name}" in " ".join(body.split())
    assert find_all(tree, "abbr", class_="term")
    for fmt in ("json", "csv"):
        assert client.get(f"/publik/beranda.{fmt}").status_code == 200


def test_logged_in_staff_still_go_to_their_home(login_as, world):
    response = login_as(world.accounts["pegawai"]).get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/beranda")
    assert not response.headers["Location"].endswith("/publik/beranda")


def test_unit_page_leads_with_the_citizen_sentence_and_explains_terms(client, two_quarters):  # noqa: F811
    tree = check_page(client.get("/publik/unit/DUKCAPIL").get_data(as_text=True))
    main = tree.find(".//main")
    first = [el for el in main if el.tag == "p"][0]
    assert "citizen-lead" in first.get("class")
    assert "Warga menilai layanan" in "".join(first.itertext())
    terms = {"".join(a.itertext()): a.get("title") for a in find_all(tree, "abbr", class_="term")}
    for key in ("ikm", "nrr", "p90", "krejcie-morgan"):
        label, text = public_method.GLOSSARY[key]
        assert terms.get(label) == text
    visible = "".join(main.itertext())
    assert not re.search(r"\b20\d\d-\d\d\b", visible), "months must read 'Juli 2026'"
    assert "Mei 2026" in visible


def test_method_page_has_a_glossary_of_every_term(client, world):
    tree = check_page(client.get("/publik/metode").get_data(as_text=True))
    assert "Daftar istilah" in texts(tree, "h2") + texts(tree, "h3")
    text = " ".join("".join(tree.find(".//main").itertext()).split())
    for label, _ in public_method.GLOSSARY.values():
        assert label.lower() in text.lower()
    assert "Angka di beranda warga" in texts(tree, "h2") + texts(tree, "h3")


def test_method_page_explains_every_home_figure_in_plain_words(client, world):
    tree = check_page(client.get("/publik/metode").get_data(as_text=True))
    text = " ".join("".join(tree.find(".//main").itertext()).split())
    section = text[text.index("Angka di beranda warga") :]
    for figure in ("IKM kota dengan mutu", "Per unit", "Tepat waktu", "Responden", "Perubahan"):
        assert figure in section, figure
    # The city IKM: the same formula, both channels, and when the shown units only count.
    assert "rumus IKM yang sama seperti IKM setiap unit" in section
    assert "di kios unit layanan dan jawaban dari ponsel warga" in section
    assert "dihitung dari N unit yang ditampilkan" in section
    assert "tidak ada IKM per kanal" in section


def test_unit_page_shows_respondents_per_channel_only_beside_a_shown_n(client, world):
    from datetime import date

    from kinerja.services.publish import publish
    from tests.builders import make_unit
    from tests.builders_public import add_answers, make_period

    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 14)
    add_answers(world.units["opd"], date(2026, 2, 4), 11, phone=True)
    small = make_unit("Kecamatan Uji", code="KEC-UJI", kind="KECAMATAN", serves_public=True)
    add_answers(small, date(2026, 2, 4), 3, phone=True)
    publish(period)
    tree = check_page(client.get("/publik/unit/DUKCAPIL").get_data(as_text=True))
    (row,) = [d for d in tree.iter("div") if d.get("id") == "kanal-unit"]
    assert [" ".join("".join(el.itertext()).split()) for el in row] == [
        "Responden per kanal",
        "di kios 14, dari ponsel 11",
    ]
    data = public_unit.unit_page("DUKCAPIL")
    assert data["ikm"]["kanal"] == {"kios": 14, "ponsel": 11}
    withheld = public_unit.unit_page("KEC-UJI")
    assert withheld["ikm"]["n"] is None and withheld["ikm"]["kanal"] is None
    page = client.get("/publik/unit/KEC-UJI").get_data(as_text=True)
    assert "data ditahan" in page
    assert 'id="kanal-unit"' not in page
