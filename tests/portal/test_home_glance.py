"""Home page cards: the person's situation at a glance (SKP, realisation, evaluation, what
waits for them, and for a supervisor the team), with dates in Indonesian."""

from decimal import Decimal

from kinerja.clock import today_wib
from kinerja.formatting import format_date
from kinerja.models.evaluation import Evaluation
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, Realisation, Rhk
from tests.builders_skp import make_skp, make_year
from tests.html import check_page

TWO = (
    ("UTAMA", "Terlaksananya pelayanan KTP-el", (("Jumlah KTP-el", "100", "keping"),)),
    ("UTAMA", "Tertibnya arsip", (("Jumlah arsip", "50", "berkas"),)),
)


def _today_year_and_quarter():
    """The year and the quarter of today (the suite runs on any date)."""
    today = today_wib()
    return today.year, (today.month - 1) // 3 + 1


def _home(app, account):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
    response = client.get("/beranda")
    assert response.status_code == 200
    return check_page(response.get_data(as_text=True))


def _card(tree, card_id):
    (card,) = [e for e in tree.iter() if e.get("id") == card_id]
    return " ".join(" ".join(card.itertext()).split())


def test_cards_without_skp_name_the_skp_deadline_in_indonesian(app, world):
    year, quarter = _today_year_and_quarter()
    make_year(year, open_numbers=(quarter,))
    annual = Period.get((Period.year == year) & (Period.number == 0))
    tree = _home(app, world.accounts["pegawai"])
    skp = _card(tree, "card-skp")
    assert f"SKP {year}" in skp and "Belum disusun" in skp
    if annual.skp_deadline:
        assert f"Batas {format_date(annual.skp_deadline)}" in skp
    assert "Realisasi diisi setelah SKP disetujui." in _card(tree, "card-realisation")
    assert "Belum ada evaluasi untuk Anda." in _card(tree, "card-evaluation")
    tasks = _card(tree, "card-tasks")
    assert "1 tugas" in tasks and f"Susun SKP {year}" in tasks
    assert not [e for e in tree.iter() if e.get("id") == "card-team"]  # not a supervisor


def test_cards_show_realisation_progress_and_the_open_evaluation(app, world):
    year, quarter = _today_year_and_quarter()
    periods = make_year(year, open_numbers=(quarter,))
    q4 = next(p for p in periods if p.number == quarter)
    skp = make_skp(world.people["pegawai"], year=year, status="DISETUJUI", rhks=TWO)
    first = Indicator.select().join(Rhk).where(Rhk.skp == skp.id).order_by(Indicator.id).first()
    Realisation.create(indicator=first, period=q4, value=Decimal(40))
    ev = Evaluation.get_or_none(
        (Evaluation.employee == world.people["pegawai"].id) & (Evaluation.period == q4.id)
    ) or Evaluation.create(
        employee=world.people["pegawai"], period=q4, skp=skp, unit=world.people["pegawai"].unit_id
    )
    tree = _home(app, world.accounts["pegawai"])
    assert "Disetujui" in _card(tree, "card-skp")
    realisation = _card(tree, "card-realisation")
    assert q4.name in realisation and "1 dari 2 indikator terisi" in realisation
    assert f"Batas {format_date(q4.realisation_deadline)}" in realisation
    evaluation = _card(tree, "card-evaluation")
    assert ev.period.name in evaluation and "Terbuka" in evaluation
    assert f"Batas {format_date(q4.self_assessment_deadline)}" in evaluation


def test_final_evaluation_card_names_the_predikat(app, world):
    year, quarter = _today_year_and_quarter()
    periods = make_year(year, open_numbers=(quarter,))
    q4 = next(p for p in periods if p.number == quarter)
    skp = make_skp(world.people["pegawai"], year=year, status="DISETUJUI")
    Evaluation.delete().where(Evaluation.employee == world.people["pegawai"].id).execute()
    Evaluation.create(
        employee=world.people["pegawai"],
        period=q4,
        skp=skp,
        unit=world.people["pegawai"].unit_id,
        status="FINAL",
        predikat="BAIK",
        objection_deadline=q4.end,
    )
    evaluation = _card(_home(app, world.accounts["pegawai"]), "card-evaluation")
    assert "Final" in evaluation and "Predikat: Baik" in evaluation
    assert f"Keberatan paling lambat {format_date(q4.end)}" in evaluation


def test_supervisor_sees_the_team_card(app, world):
    year, quarter = _today_year_and_quarter()
    make_year(year, open_numbers=(quarter,))
    make_skp(world.people["pegawai"], year=year, status="DIAJUKAN")
    team = _card(_home(app, world.accounts["supervisor"]), "card-team")
    assert "1 SKP menunggu persetujuan" in team
