"""Public figures say why they are not shown: withheld, rolled, or an unsur short of answers."""

from datetime import date

from kinerja.models.public import FigureStatus, PublicSnapshot, PublicUnitFigure
from kinerja.scoring import krejcie_morgan
from kinerja.services.publish import publish
from tests.builders import make_unit
from tests.builders_public import add_answers, add_requests, make_period, make_service_type, noon
from tests.html import check_page, find_all
from tests.public_checks import check_csv, check_unit_json, csv_dicts, loads

WITHHELD = "data ditahan (n < 10)"
UNSUR_SHORT = "data ditahan (ada unsur dengan n < 10)"
FACE_ONLY = (None,) * 9
NO_U9 = (4, 4, 4, 4, 4, 4, 4, 4, None)


def _publish(period=None):
    period = period or make_period(2026, 1)
    return PublicSnapshot.get_by_id(publish(period).snapshot_id)


def _row(snapshot, code):
    return PublicUnitFigure.get(
        (PublicUnitFigure.snapshot == snapshot.id) & (PublicUnitFigure.code == code)
    )


def _csv(client, url):
    return list(csv_dicts(client.get(url).get_data(as_text=True)))


def _ikm_card(client, code) -> str:
    """The text of the IKM card's facts (n, N, S, quick index) on the unit page."""
    tree = check_page(client.get(f"/publik/unit/{code}").get_data(as_text=True))
    (facts,) = find_all(tree, "dl", class_="facts")
    return " ".join(" ".join(facts.itertext()).split())


# --- 1. a top unit whose IKM stays withheld -----------------------------------------------------


def test_withheld_top_unit_withholds_quick_index_and_n_instead_of_no_data(client, world):
    opd = world.units["opd"]  # serves the public, no parent to roll into
    add_answers(opd, date(2026, 2, 3), 4)
    add_requests(make_service_type(opd), noon(date(2026, 2, 3)), 4)
    snapshot = _publish()

    row = _row(snapshot, "DUKCAPIL")
    assert row.ikm_status == FigureStatus.WITHHELD
    assert row.quick_status == FigureStatus.WITHHELD and row.quick_index is None
    assert row.quick_n is None
    assert row.population_status == FigureStatus.WITHHELD and row.population is None
    assert row.sample_size is None and row.sample_reached is None

    data = loads(client.get("/publik/unit/DUKCAPIL.json"))
    assert data["ikm"]["keterangan"] == WITHHELD and data["ikm"]["n"] is None
    assert data["indeks_cepat"]["keterangan"] == WITHHELD
    assert data["indeks_cepat"]["nilai"] is None and data["indeks_cepat"]["n"] is None
    assert data["sampel"]["keterangan"] == WITHHELD
    assert data["sampel"]["pengguna_layanan"] is None
    rows = _csv(client, "/publik/unit/DUKCAPIL.csv")
    for part in ("indeks_cepat", "sampel"):
        assert {r["keterangan"] for r in rows if r["bagian"] == part} == {WITHHELD}, part
    card = _ikm_card(client, "DUKCAPIL")
    assert "belum ada data" not in card
    assert f"Pengguna layanan (N) {WITHHELD}" in card
    assert f"Indeks cepat (empat wajah) {WITHHELD}" in card
    # its sub-units have no answers and no requests of their own: that is "belum ada data"
    seksi = _row(snapshot, "DUKCAPIL.PDP.ID")
    assert seksi.quick_status == FigureStatus.NO_DATA
    assert seksi.population_status == FigureStatus.NO_DATA


def test_withheld_top_unit_shows_quick_index_and_n_that_reach_ten(client, world):
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 4)
    add_answers(opd, date(2026, 2, 4), 12, FACE_ONLY, face=3)  # faces only, no unsur
    add_requests(make_service_type(opd), noon(date(2026, 2, 3)), 15)
    snapshot = _publish()

    row = _row(snapshot, "DUKCAPIL")
    assert row.ikm_status == FigureStatus.WITHHELD and row.ikm_n is None
    assert row.quick_status == FigureStatus.OK and row.quick_n == 16
    assert row.population_status == FigureStatus.OK and row.population == 15
    assert row.sample_size == krejcie_morgan(15)
    assert row.sample_reached is None  # n of the IKM is not shown
    data = loads(client.get("/publik/unit/DUKCAPIL.json"))
    assert data["indeks_cepat"]["status"] == "OK" and data["indeks_cepat"]["n"] == 16
    assert data["sampel"]["pengguna_layanan"] == 15
    assert check_unit_json(data) == []


def test_top_unit_with_faces_only_shows_its_quick_index(client, world):
    add_answers(world.units["opd"], date(2026, 2, 3), 12, FACE_ONLY)
    row = _row(_publish(), "DUKCAPIL")
    assert row.ikm_status == FigureStatus.NO_DATA  # nobody answered an unsur
    assert row.quick_status == FigureStatus.OK and row.quick_n == 12


def test_sub_unit_with_faces_only_reads_rolled_for_the_quick_index(client, world):
    add_answers(world.units["opd"], date(2026, 2, 3), 20)
    add_answers(world.units["seksi"], date(2026, 2, 3), 3, FACE_ONLY)
    snapshot = _publish()

    seksi = _row(snapshot, "DUKCAPIL.PDP.ID")
    assert seksi.ikm_status == FigureStatus.NO_DATA
    assert seksi.quick_status == FigureStatus.ROLLED
    assert seksi.population_status == FigureStatus.NO_DATA  # no requests at all
    assert _row(snapshot, "DUKCAPIL").quick_n == 23  # the seksi's faces are in there
    bidang = _row(snapshot, "DUKCAPIL.PDP")  # nothing of its own, nothing below but faces
    assert bidang.quick_status == FigureStatus.ROLLED
    data = loads(client.get("/publik/unit/DUKCAPIL.PDP.ID.json"))
    assert data["indeks_cepat"]["digabung_ke"] == {"kode": "DUKCAPIL", "nama": "Disdukcapil"}
    assert data["sampel"]["keterangan"] == "belum ada data"


def test_sub_unit_of_a_withheld_top_unit_points_to_it(client, world):
    dinas = make_unit("Dinas Kesehatan", code="DINKES", short_name="Dinkes")
    puskesmas = make_unit(
        "Puskesmas Aek Habil", code="DINKES.PKM", kind="UPT", parent=dinas, serves_public=True
    )
    add_answers(puskesmas, date(2026, 2, 3), 5)
    add_requests(make_service_type(puskesmas, "Pemeriksaan umum"), noon(date(2026, 2, 3)), 6)
    snapshot = _publish()

    pkm = _row(snapshot, "DINKES.PKM")
    assert pkm.ikm_status == FigureStatus.WITHHELD
    assert pkm.quick_status == FigureStatus.ROLLED
    assert pkm.population_status == FigureStatus.ROLLED
    top = _row(snapshot, "DINKES")  # a row although the Dinas itself serves no one directly
    assert top.ikm_status == FigureStatus.WITHHELD
    assert top.quick_status == FigureStatus.WITHHELD
    assert top.population_status == FigureStatus.WITHHELD
    data = loads(client.get("/publik/unit/DINKES.PKM.json"))
    assert data["indeks_cepat"]["digabung_ke"] == {"kode": "DINKES", "nama": "Dinkes"}
    assert data["indeks_cepat"]["keterangan"] == "digabung ke Dinkes (n < 10)"
    assert data["sampel"]["digabung_ke"] == {"kode": "DINKES", "nama": "Dinkes"}
    card = _ikm_card(client, "DINKES.PKM")
    assert "belum ada data" not in card and "digabung ke Dinkes" in card
    assert loads(client.get("/publik/unit/DINKES.json"))["indeks_cepat"]["keterangan"] == (WITHHELD)
    overview = loads(client.get("/publik.json"))
    assert "DINKES" not in {u["kode"] for u in overview["unit"]}


def test_top_unit_without_data_gets_no_row(world):
    dinas = make_unit("Dinas Kesehatan", code="DINKES")
    make_unit("Puskesmas", code="DINKES.PKM", parent=dinas, serves_public=True)
    snapshot = _publish()
    assert (
        not PublicUnitFigure.select()
        .where((PublicUnitFigure.snapshot == snapshot.id) & (PublicUnitFigure.code == "DINKES"))
        .exists()
    )
    assert _row(snapshot, "DINKES.PKM").quick_status == FigureStatus.NO_DATA


# --- 2. an IKM withheld because an unsur is short, while n reaches ten --------------------------


def test_ikm_withheld_for_a_short_unsur_says_so_in_html_json_and_csv(client, world):
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 5)
    add_answers(opd, date(2026, 2, 4), 6, NO_U9)  # n = 11, U9 answered 5 times
    snapshot = _publish()
    row = _row(snapshot, "DUKCAPIL")
    assert row.ikm_status == FigureStatus.WITHHELD and row.ikm_n == 11

    data = loads(client.get("/publik/unit/DUKCAPIL.json"))
    assert data["ikm"]["keterangan"] == UNSUR_SHORT and data["ikm"]["n"] == 11
    assert data["ikm"]["nilai"] is None
    unsur = {u["kode"]: u for u in data["unsur"]}
    assert unsur["U1"]["status"] == "OK"
    assert unsur["U9"]["keterangan"] == WITHHELD  # the unsur itself has n = 5
    overview = loads(client.get("/publik.json"))
    (unit,) = [u for u in overview["unit"] if u["kode"] == "DUKCAPIL"]
    assert unit["ikm"]["keterangan"] == UNSUR_SHORT and unit["ikm"]["n"] == 11

    for url in ("/publik/unit/DUKCAPIL.csv", "/publik.csv"):
        ikm_rows = [
            r for r in _csv(client, url) if r["kode_unit"] == "DUKCAPIL" and r["bagian"] == "ikm"
        ]
        assert ikm_rows and {(r["keterangan"], r["n"]) for r in ikm_rows} == {(UNSUR_SHORT, "11")}

    html = client.get("/publik/unit/DUKCAPIL").get_data(as_text=True)
    assert "data ditahan (ada unsur dengan n &lt; 10)" in html
    assert "Responden (n) 11" in _ikm_card(client, "DUKCAPIL")
    overview_html = client.get("/publik").get_data(as_text=True)
    assert "data ditahan (ada unsur dengan n &lt; 10)" in overview_html


def test_ikm_withheld_below_ten_respondents_keeps_the_plain_reason(client, world):
    add_answers(world.units["opd"], date(2026, 2, 3), 9)
    _publish()
    data = loads(client.get("/publik/unit/DUKCAPIL.json"))
    assert data["ikm"]["keterangan"] == WITHHELD and data["ikm"]["n"] is None


def test_trend_month_withheld_for_a_short_unsur_says_so(client, world):
    opd = world.units["opd"]
    add_answers(opd, date(2026, 1, 10), 30)
    add_answers(opd, date(2026, 2, 10), 12, NO_U9)  # February: n = 12, U9 never answered
    add_answers(opd, date(2025, 12, 10), 4)  # before the period: only in the trend
    _publish()
    data = loads(client.get("/publik/unit/DUKCAPIL.json"))
    assert data["ikm"]["status"] == "OK" and data["ikm"]["n"] == 42
    months = {p["bulan"]: p for p in data["tren"]}
    assert months["2026-01"]["status"] == "OK"
    assert months["2026-02"]["keterangan"] == UNSUR_SHORT and months["2026-02"]["n"] == 12
    assert months["2025-12"]["keterangan"] == WITHHELD and months["2025-12"]["n"] is None
    assert check_unit_json(data) == []
    rows = _csv(client, "/publik/unit/DUKCAPIL.csv")
    feb = [r for r in rows if r["bagian"] == "tren" and r["rincian"] == "2026-02"]
    assert feb and {r["keterangan"] for r in feb} == {UNSUR_SHORT}
    assert check_csv(client.get("/publik/unit/DUKCAPIL.csv").get_data(as_text=True), 10, 4) == []
