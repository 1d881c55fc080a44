"""Citizen kiosk: one full respondent, then answers queued while the server is down.

Issue 6: a kiosk answers screen 1, completes the nine unsur, sees the thank-you and the reset;
then, with the server stopped, two more respondents answer; after the restart the queued
answers arrive exactly once. Issue 10: screen 1 can be completed with the keyboard only.
Issue 17: an admin removing the chosen service loses no answer; a hung request does not
stall the queue.

This module runs its own live server (``_live`` below) that can be stopped and started again
on the same port and database, so that the page (and its device cookie) survives the outage.
"""

import threading
from dataclasses import dataclass

import pytest
import waitress
from playwright.sync_api import expect
from waitress import wasyncore

from kinerja import settings
from kinerja.db import database, write_tx
from kinerja.enums import SKM_FACE_LABELS as FACE_LABELS
from kinerja.enums import UNSUR_ANSWER_LABELS, Unsur
from kinerja.enums import UNSUR_QUESTIONS as QUESTIONS
from kinerja.models.kiosk import KioskResponse
from kinerja.services import kiosk as kiosk_service
from tests.browser import flows
from tests.browser.conftest import build_world, live_app
from tests.builders_kiosk import ALWAYS_OPEN, admin_actor
from tests.builders_service import make_service_type

INTERVAL_SECONDS = 1
GAP_MS = 1_600  # between two respondents: more than the minimum interval
FLUSH_TIMEOUT_MS = 90_000  # the page backs off up to 60 s between retries


def build_kiosk_world():
    """The small world plus two always-open kiosks of the seksi, not yet paired."""
    world = build_world()
    admin = admin_actor(world)
    service = make_service_type(world.units["seksi"], "Surat Keterangan")
    world.objects["layanan"] = service
    kiosks = (
        ("kios", "Kios Uji", []),
        ("kios_kb", "Kios Papan Ketik", []),
        ("kios_layanan", "Kios Layanan", [service.id]),
        ("kios_lambat", "Kios Jaringan Lambat", []),
    )
    for key, name, services in kiosks:
        kiosk, code = kiosk_service.register_kiosk(
            admin, world.units["seksi"].id, name, "Loket 1", services
        )
        kiosk_service.set_opening_hours(admin, kiosk.id, ALWAYS_OPEN)
        world.objects[key] = kiosk
        world.objects[f"{key}_code"] = code
    with write_tx():
        settings.store("kiosk_min_interval_seconds", INTERVAL_SECONDS)
    return world


class RestartableServer:
    """A waitress server in a thread that can be stopped and started on the same port."""

    def __init__(self, application):
        self.application = application
        self.port = 0
        self.server = None
        self.thread = None

    def start(self) -> None:
        assert self.server is None, "server already running"
        self.server = waitress.create_server(
            self.application, host="127.0.0.1", port=self.port, threads=4
        )
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self.server.run, name="kiosk-live", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Close the listening socket and every open connection, then the worker threads."""
        server, self.server = self.server, None
        if server is None:
            return
        # Closed inside the server's own loop thread (a thunk of its trigger), so the loop
        # never sees its map change under it; an empty map ends the loop.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "live server did not stop"
        server.task_dispatcher.shutdown()
        self.thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class _KioskLive:
    url: str
    world: object
    server: RestartableServer


@pytest.fixture(scope="module")
def _live(tmp_path_factory):
    """This module's live server (overrides conftest's): stoppable, same port and database."""
    application, world = live_app(tmp_path_factory, build_kiosk_world, "live-kiosk")
    server = RestartableServer(application)
    server.start()
    try:
        yield _KioskLive(server.url, world, server)
    finally:
        server.stop()
        if not database.is_closed():
            database.close()


def _responses(kiosk) -> list[KioskResponse]:
    database.connect(reuse_if_open=True)
    try:
        return list(
            KioskResponse.select().where(KioskResponse.kiosk == kiosk.id).order_by(KioskResponse.id)
        )
    finally:
        database.close()


def _pair(page, checks, code: str, step: str) -> None:
    checks.visit(page, "/kios/pasang", step=f"{step}-pasang")
    flows.field(page, "Kode pemasangan").fill(code)
    with flows.lands_on(page, checks, f"{step}-layar-1"):
        page.get_by_role("button", name="Pasang").click()
    expect(page).to_have_url(checks.url("/kios/"))
    expect(page.locator("#kiosk")).to_have_attribute("data-screen", "start")


def _screen(page):
    return page.locator("#kiosk")


def _answer_screen_1(page, face: int = 4) -> None:
    expect(_screen(page)).to_have_attribute("data-screen", "start")
    page.get_by_role("button", name=FACE_LABELS[face - 1], exact=True).click()


def _queue(page, n: int, timeout: int = 10_000) -> None:
    expect(_screen(page)).to_have_attribute("data-queue", str(n), timeout=timeout)


def test_kiosk_full_respondent_then_queued_answers_arrive_once(page, checks, _live):
    kiosk = _live.world.objects["kios"]
    _pair(page, checks, _live.world.objects["kios_code"], "kios")

    # Respondent 1: screen 1, the nine unsur (one face each), a comment, thank-you, reset.
    _answer_screen_1(page, face=4)
    if _screen(page).get_attribute("data-screen") == "service":
        page.get_by_role("button", name="Lewati pertanyaan ini").click()
    for index, unsur in enumerate(Unsur):
        expect(_screen(page)).to_have_attribute("data-screen", unsur.value)
        expect(page.get_by_role("heading", name=QUESTIONS[unsur])).to_be_visible()
        if index == 0:
            checks.check(page, "kios-unsur-1")
        answer = 3 if index % 2 else 4
        page.get_by_role("button", name=UNSUR_ANSWER_LABELS[unsur][answer - 1], exact=True).click()
    expect(_screen(page)).to_have_attribute("data-screen", "comment")
    page.get_by_role("textbox", name="Saran atau komentar (tidak wajib)").fill(
        "Antrean cepat, petugas ramah."
    )
    checks.check(page, "kios-komentar")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(_screen(page)).to_have_attribute("data-screen", "thanks")
    expect(page.get_by_role("heading", name="Terima kasih")).to_be_visible()
    checks.check(page, "kios-terima-kasih")
    expect(_screen(page)).to_have_attribute("data-screen", "start", timeout=8_000)
    expect(page.get_by_role("heading", name="Bagaimana pelayanan")).to_be_visible()
    _queue(page, 0)

    (first,) = _responses(kiosk)
    assert first.face == 4
    assert [getattr(first, f"u{i}") for i in range(1, 10)] == [4, 3, 4, 3, 4, 3, 4, 3, 4]
    assert first.comment == "Antrean cepat, petugas ramah."

    # The server goes down: two more respondents answer screen 1 and wait in the queue.
    _live.server.stop()
    page.wait_for_timeout(GAP_MS)
    _answer_screen_1(page, face=2)
    expect(_screen(page)).to_have_attribute("data-screen", "U1")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(_screen(page)).to_have_attribute("data-screen", "thanks")
    expect(_screen(page)).to_have_attribute("data-screen", "start", timeout=8_000)
    page.wait_for_timeout(GAP_MS)
    _answer_screen_1(page, face=3)
    expect(_screen(page)).to_have_attribute("data-online", "false")
    _queue(page, 2)
    expect(page.locator("#kiosk-queue-count")).to_have_text("2")
    expect(page.get_by_role("status")).to_contain_text("2 jawaban menunggu terkirim")
    checks.check(page, "kios-antrean-luring")
    assert len(_responses(kiosk)) == 1

    # The server comes back: the queue empties, each answer is stored exactly once.
    _live.server.start()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _queue(page, 0, timeout=FLUSH_TIMEOUT_MS)
    expect(page.locator("#kiosk-queue-count")).to_have_text("0")
    rows = _responses(kiosk)
    assert len(rows) == 3
    assert len({row.client_id for row in rows}) == 3
    assert rows[0].client_id == first.client_id
    assert sorted(row.face for row in rows[1:]) == [2, 3]
    # Nothing more arrives on a later nudge (the queue held each answer once).
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)
    assert [row.client_id for row in _responses(kiosk)] == [row.client_id for row in rows]


def _tab_to(page, predicate: str, limit: int = 40) -> None:
    """Press Tab until ``predicate`` (JS on ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"focus never reached: {predicate}")


def test_kiosk_screen_1_by_keyboard_only(page, checks, _live):
    kiosk = _live.world.objects["kios_kb"]
    _pair(page, checks, _live.world.objects["kios_kb_code"], "kios-papan-ketik")

    _tab_to(page, "!!el && el.getAttribute('data-face') === '3'")
    checks.check(page, "kios-fokus-wajah")
    page.keyboard.press("Enter")
    expect(_screen(page)).to_have_attribute("data-screen", "U1")
    _tab_to(page, "!!el && el.getAttribute('data-action') === 'finish' && !!el.offsetParent")
    page.keyboard.press("Enter")
    expect(_screen(page)).to_have_attribute("data-screen", "thanks")
    expect(_screen(page)).to_have_attribute("data-screen", "start", timeout=8_000)
    _queue(page, 0)
    (row,) = _responses(kiosk)
    assert row.face == 3


def test_kiosk_keeps_the_answers_when_the_admin_removes_the_service(page, checks, _live):
    """The service the citizen picks was removed meanwhile: the answers still count."""
    kiosk = _live.world.objects["kios_layanan"]
    _pair(page, checks, _live.world.objects["kios_layanan_code"], "kios-layanan")
    _answer_screen_1(page, face=4)
    expect(_screen(page)).to_have_attribute("data-screen", "service")
    _queue(page, 0)  # the face alone is stored at once
    database.connect(reuse_if_open=True)
    try:
        kiosk_service.update_kiosk(admin_actor(_live.world), kiosk.id, kiosk.name, "Loket 1", [])
    finally:
        database.close()
    page.get_by_role("button", name="Surat Keterangan").click()
    expect(_screen(page)).to_have_attribute("data-screen", "U1")
    page.get_by_role("button", name=UNSUR_ANSWER_LABELS[Unsur.U1][2], exact=True).click()
    expect(_screen(page)).to_have_attribute("data-screen", "U2")
    page.locator("#screen-U2 [data-action=finish]").click()
    expect(_screen(page)).to_have_attribute("data-screen", "thanks")
    _queue(page, 0, timeout=FLUSH_TIMEOUT_MS)
    (row,) = _responses(kiosk)
    assert (row.face, row.u1, row.service_type_id) == (4, 3, None)


def test_a_hung_request_does_not_stall_the_queue(page, checks, _live):
    """The first request never gets an answer: it is aborted and the answer sent again."""
    kiosk = _live.world.objects["kios_lambat"]
    _pair(page, checks, _live.world.objects["kios_lambat_code"], "kios-lambat")
    hung = []

    def hang_first(route):
        if not hung:
            hung.append(route)  # never answered: the page must give up on it by itself
            return
        route.continue_()

    page.route("**/kios/api/jawaban", hang_first)
    _answer_screen_1(page, face=2)
    expect(_screen(page)).to_have_attribute("data-screen", "U1")
    page.get_by_role("button", name="Kirim penilaian").click()
    _queue(page, 0, timeout=40_000)
    assert len(hung) == 1
    (row,) = _responses(kiosk)
    assert row.face == 2
