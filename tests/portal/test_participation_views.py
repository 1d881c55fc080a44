"""The participation pages (issue 23 part 3): BKPSDM sees every unit, a head their own
subtree with who is late, staff are refused; the chart is an SVG with a title, a description
and the same figures in a table."""

import pytest

from tests.builders_participation import make_participation_world
from tests.html import check_page, find_all, texts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def filled(world):
    world.objects.update(make_participation_world(world))
    return world


def _tree_units(tree):
    table = find_all(tree, "table", class_="participation-tree")[0]
    return [t for t in texts(table.find("tbody"), "th")]


def test_admin_sees_every_unit_with_subtotals(client, login_as, filled):
    login_as(filled.accounts["admin"])
    response = client.get("/admin/partisipasi")
    assert response.status_code == 200
    tree = check_page(response.get_data(as_text=True))
    units = _tree_units(tree)
    assert "Disdukcapil" in units and "BKPSDM" in units
    assert "Seksi Identitas Penduduk" in units


def test_a_units_chart_and_table_carry_the_same_figures(client, login_as, filled):
    login_as(filled.accounts["admin"])
    seksi = filled.units["seksi"]
    response = client.get(f"/admin/partisipasi?unit={seksi.id}")
    tree = check_page(response.get_data(as_text=True))
    svg = next(
        el
        for el in tree.iter()
        if el.tag == f"{SVG}svg" and "progress-chart" in el.get("class", "").split()
    )
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title").text
    desc = svg.find(f"{SVG}desc").text
    assert "Seksi Identitas Penduduk" in title
    assert "SKP disetujui: 3 pegawai (75,0 %)" in desc
    table = find_all(tree, "table", class_="progress-table")[0]
    rows = [texts(tr, "th") + texts(tr, "td") for tr in table.find("tbody").iter("tr")]
    assert ["SKP disetujui", "3", "75,0 %"] in rows
    assert ["Realisasi periode lengkap", "1", "25,0 %"] in rows
    late = find_all(tree, "table", class_="late-table")[0]
    late_text = " ".join(texts(late, "td"))
    assert "Penilaian diri belum selesai" in late_text
    assert "Rencana pengembangan melewati tenggat" in late_text


def test_a_head_sees_only_their_subtree(client, login_as, filled):
    login_as(filled.accounts["supervisor"])
    response = client.get("/atasan/partisipasi")
    assert response.status_code == 200
    tree = check_page(response.get_data(as_text=True))
    assert _tree_units(tree) == ["Seksi Identitas Penduduk"]
    names = " ".join(texts(find_all(tree, "table", class_="late-table")[0], "th"))
    assert "Rekan Uji" in names and "Kabid Uji" not in names and "Admin Uji" not in names
    outside = filled.units["bkpsdm"].id
    assert client.get(f"/atasan/partisipasi?unit={outside}").status_code == 404


def test_the_kabid_sees_the_bidang_and_its_seksi(client, login_as, filled):
    login_as(filled.accounts["atasan"])
    tree = check_page(client.get("/atasan/partisipasi").get_data(as_text=True))
    assert _tree_units(tree) == [
        "Bidang Pelayanan Pendaftaran Penduduk",
        "Seksi Identitas Penduduk",
    ]


@pytest.mark.parametrize("url", ["/atasan/partisipasi", "/admin/partisipasi"])
def test_staff_are_refused(client, login_as, filled, url):
    login_as(filled.accounts["pegawai"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/atasan/partisipasi", "/atasan/partisipasi.csv"])
def test_someone_who_heads_no_unit_is_told_why(client, login_as, filled, url):
    login_as(filled.accounts["pegawai"])
    response = client.get(url)
    assert response.status_code == 403
    assert "tidak memimpin unit kerja" in response.get_data(as_text=True)


def test_an_unknown_period_is_404(client, login_as, filled):
    login_as(filled.accounts["admin"])
    assert client.get("/admin/partisipasi?periode=999999").status_code == 404


def test_the_annual_period_has_no_realisation_column(client, login_as, filled):
    from kinerja.queries.periods import annual_period

    login_as(filled.accounts["admin"])
    annual = annual_period(filled.objects["period"].year)
    response = client.get(f"/admin/partisipasi?periode={annual.id}")
    assert response.status_code == 200
    tree = check_page(response.get_data(as_text=True))
    heads = texts(find_all(tree, "table", class_="participation-tree")[0], "th")
    assert "Realisasi lengkap" not in heads and "SKP disetujui" in heads


def test_without_any_period_the_page_says_so(client, login_as, world):
    login_as(world.accounts["admin"])
    response = client.get("/admin/partisipasi")
    assert response.status_code == 200
    assert "Belum ada periode kinerja." in texts(check_page(response.get_data(as_text=True)), "p")


def test_csv_has_the_same_subtotals_as_the_page(client, login_as, filled):
    login_as(filled.accounts["supervisor"])
    response = client.get(f"/atasan/partisipasi.csv?periode={filled.objects['period'].id}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 2  # the header and the seksi
    assert "Seksi Identitas Penduduk" in lines[1] and "BKPSDM" not in lines[1]


def test_the_page_is_flat_in_statements(client, login_as, filled, count_queries):
    from tests.builders import make_employee, make_unit

    login_as(filled.accounts["admin"])
    client.get("/admin/partisipasi")
    with count_queries() as small:
        client.get("/admin/partisipasi")
    for i in range(4):
        opd = make_unit(f"Dinas Tambahan {i}", kind="OPD")
        make_employee(f"Staf Tambahan {i}", unit=make_unit(f"Bidang {i}", parent=opd))
    with count_queries() as large:
        client.get("/admin/partisipasi")
    assert large.count == small.count, str(large)
