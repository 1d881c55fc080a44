"""Officers' own kiosk figures (issue 19, item 3): the same minimum n as the public pages,
whole ended months or periods only (no day ranges for the person rated), comments only from
groups of at least the comment threshold and never in order of time."""

import re
import uuid
from datetime import date, timedelta

from kinerja.clock import today_wib
from kinerja.formatting import format_month
from kinerja.models.evaluation import Evaluation
from kinerja.models.kiosk import KioskResponse
from tests.builders_evaluation import make_approved_skp, make_period
from tests.builders_public import make_kiosk


def _answers(world, day, count, comments=(), face=4):
    """``count`` answers attributed to the pegawai on ``day``; the first ones carry
    ``comments``."""
    kiosk = make_kiosk(world.units["seksi"])
    rows = []
    for i in range(count):
        rows.append(
            {
                "client_id": str(uuid.uuid4()),
                "kiosk": kiosk.id,
                "unit": world.units["seksi"].id,
                "day": day,
                "hour": 9,
                "face": face,
                "comment": comments[i] if i < len(comments) else "",
                "employee": world.people["pegawai"].id,
            }
        )
    KioskResponse.insert_many(rows).execute()


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_todays_answers_never_show_to_the_officer(client, login_as, world):
    # The reproduced attack: the officer reloads after each citizen with today's range.
    today = today_wib()
    _answers(world, today, 12, comments=[f"Warga ke-{i} di loket" for i in range(6)], face=1)
    login_as(world.accounts["pegawai"])
    for url in ("/kios-saya", f"/kios-saya?dari={today}&sampai={today}"):
        page = _text(client, url)
        assert "Warga ke-" not in page and "12 responden" not in page
        assert "Sangat tidak puas 12" not in page
        assert "setelah bulan berakhir" in page


def _month_ago(months: int, day: int = 7):
    """A day in the month ``months`` before the current one (an ended month, on any date)."""
    first = today_wib().replace(day=1)
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
    return first.replace(day=day)


def test_an_ended_month_below_the_minimum_n_shows_nothing(client, login_as, world):
    _answers(world, _month_ago(1), 9, comments=[f"Catatan {i}" for i in range(9)], face=1)
    login_as(world.accounts["pegawai"])
    page = _text(client, "/kios-saya")
    assert "Catatan" not in page and "Sangat tidak puas 9" not in page
    assert f"{format_month(_month_ago(1))} kurang dari 10" in page


def test_an_ended_month_with_enough_answers_shows_and_comments_are_alphabetical(
    client, login_as, world
):
    comments = ["Zaitun ramah", "Antrean cepat", "Meja bersih", "Baik sekali", "Petugas sopan"]
    _answers(world, _month_ago(1), 10, comments=comments)
    _answers(world, _month_ago(2, day=3), 10, comments=["Hanya satu komentar"])
    login_as(world.accounts["pegawai"])
    page = _text(client, "/kios-saya")
    assert "n = 20 responden" in page
    shown = [c for c in page.split() if c in {"Zaitun", "Antrean", "Meja", "Baik", "Petugas"}]
    assert shown == ["Antrean", "Baik", "Meja", "Petugas", "Zaitun"]
    # September has one comment only: below the threshold of 5, it is not shown.
    assert "Hanya satu komentar" not in page
    # The supervisor's view of the officer follows the same rule.
    login_as(world.accounts["supervisor"])
    other = _text(client, f"/pegawai/{world.people['pegawai'].id}/kios")
    assert "n = 20 responden" in other and "Hanya satu komentar" not in other


def test_four_comments_in_a_month_are_not_shown(client, login_as, world):
    _answers(world, _month_ago(1), 10, comments=["Satu", "Dua", "Tiga", "Empat"])
    login_as(world.accounts["pegawai"])
    page = _text(client, "/kios-saya")
    assert "n = 10 responden" in page and "Empat" not in page


def _evaluation(world, year, quarter, **dates):
    period = make_period(year, quarter, **dates)
    skp = make_approved_skp(world.people["pegawai"], period.year)
    return Evaluation.create(
        employee=world.people["pegawai"], period=period, skp=skp, unit=world.units["seksi"]
    )


def test_rating_page_shows_nothing_of_a_period_in_progress(client, login_as, world):
    today = today_wib()  # a quarter in progress, whatever today is
    ev = _evaluation(world, today.year, 4, start=today - timedelta(60), end=today + timedelta(20))
    _answers(world, today - timedelta(45), 30, comments=[f"Saran warga ke-{i}" for i in range(8)])
    login_as(world.accounts["supervisor"])
    page = _text(client, f"/atasan/penilaian/{ev.id}")
    assert "30 responden" not in page and "Saran warga ke-" not in page
    assert "ditampilkan setelah periode berakhir" in page


def test_rating_page_of_an_ended_period_needs_the_minimum_n(client, login_as, world):
    ev = _evaluation(world, 2026, 3)  # July–September 2026: ended
    _answers(world, date(2026, 8, 4), 9, comments=[f"Saran warga ke-{i}" for i in range(9)])
    login_as(world.accounts["supervisor"])
    page = _text(client, f"/atasan/penilaian/{ev.id}")
    assert "9 responden" not in page and "Saran warga ke-" not in page
    assert "kurang dari 10 responden" in page


def test_unit_pages_follow_the_same_months_and_minimum_n(client, login_as, world):
    # A unit with one counter is its officer: the supervisor's unit pages use the same rule.
    today = today_wib()
    _answers(world, today, 3, comments=["Warga hari ini di loket"], face=1)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=7)  # ended
    _answers(world, last_month, 9, face=1)
    login_as(world.accounts["supervisor"])
    seksi = world.units["seksi"].id
    for url in (f"/kios-unit/{seksi}?dari={today}&sampai={today}", f"/kios-unit/{seksi}"):
        page = _text(client, url)
        assert "Warga hari ini" not in page and "Sangat tidak puas" not in page
        assert f"{format_month(last_month)} kurang dari 10" in page
    listing = _text(client, f"/kios-unit?dari={today}&sampai={today}")
    assert "belum ada bulan dengan sedikitnya 10 responden" in listing
