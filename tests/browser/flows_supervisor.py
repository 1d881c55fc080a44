"""Steps and set-up shared by the supervisor and atasan flows (Pejabat Penilai and the
atasan Pejabat Penilai): the current quarter opened with SKPs and evaluations, the database
read from the test thread, and the rating form filled like a person would.
"""

import re
from contextlib import contextmanager

from playwright.sync_api import expect

from kinerja.clock import today_wib
from kinerja.db import database
from kinerja.enums import Rating
from kinerja.models.evaluation import Evaluation
from kinerja.permissions import Actor
from kinerja.services import periods as period_service
from tests.browser import flows
from tests.builders_evaluation import add_realisation
from tests.builders_skp import make_skp

RHKS = (
    (
        "UTAMA",
        "Terlaksananya pelayanan KTP-el tepat waktu",
        (("Jumlah KTP-el tercetak", "100", "keping"),),
    ),
)


@contextmanager
def db():
    """The module's database from the test thread (the live server runs in-process)."""
    database.connect(reuse_if_open=True)
    try:
        yield
    finally:
        database.close()


def actor(world, key: str) -> Actor:
    """The Actor of a world person, for set-up through the services."""
    return Actor(world.accounts[key])


def current_quarter():
    """The year and the quarter of today (the flows rate the quarter in progress)."""
    today = today_wib()
    return today.year, (today.month - 1) // 3 + 1


def open_quarter(world, approved: dict[str, int], submitted: tuple[str, ...] = ()):
    """This year's periods; SKPs (one indicator, target 100) for the people in ``approved``
    (key → realisation this quarter) and, submitted, for those in ``submitted``; then the
    current quarter opened (which creates the evaluations of the approved SKPs)."""
    year, number = current_quarter()
    periods = period_service.create_year(year)
    quarter = next(p for p in periods if p.kind == "TRIWULAN" and p.number == number)
    skps = {}
    for key in approved:
        skps[key] = make_skp(world.people[key], year=year, status="DISETUJUI", rhks=RHKS)
    for key in submitted:
        skps[key] = make_skp(world.people[key], year=year, status="DIAJUKAN", rhks=RHKS)
    quarter = period_service.open_period(quarter)
    for key, value in approved.items():
        add_realisation(skps[key], quarter, [value])
    world.objects.update(quarter=quarter, skps=skps)
    return quarter


def evaluation_of(world, key: str) -> Evaluation:
    """The evaluation of a world person in the flow's quarter, read fresh."""
    return Evaluation.get(
        (Evaluation.employee == world.people[key].id)
        & (Evaluation.period == world.objects["quarter"].id)
    )


def preview(page):
    """The live predikat preview of the rating page (an htmx target, aria-live)."""
    return page.locator("#predikat-preview")


def choose_ratings(page, checks, hasil: Rating, perilaku: Rating, predikat, step: str) -> None:
    """Choose both ratings; each choice swaps the predikat preview in (htmx), which then
    names ``predikat`` (a Predikat)."""
    for label, rating in (("Rating Hasil Kerja", hasil), ("Rating Perilaku Kerja", perilaku)):
        with page.expect_response(lambda r: "/predikat?" in r.url):
            flows.field(page, label).select_option(label=rating.label)
    expect(preview(page)).to_contain_text(f"Predikat Kinerja Pegawai: {predikat.label}")
    checks.check(page, step)


def save_rating(page, checks, hasil_reason: str, perilaku_reason: str, step: str) -> None:
    """Write both reasons and save; the page comes back with the saved notice."""
    flows.field(page, "Alasan Rating Hasil Kerja").fill(hasil_reason)
    flows.field(page, "Alasan Rating Perilaku Kerja").fill(perilaku_reason)
    with flows.lands_on(page, checks, step):
        page.get_by_role("button", name="Simpan rating").click()
    expect(page.get_by_role("status")).to_contain_text("Rating tersimpan.")


def row_of(page, name: str):
    """The table row whose row header starts with the person's ``name`` (a NIP may follow)."""
    header = re.compile(rf"^{re.escape(name)}(\s|$)")
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=header))
