"""Two app processes behind one PostgreSQL: lockout and the kiosk interval hold across them.

Runs only when TEST_DATABASE_URL points at PostgreSQL (CI's second pass). Each process is a
real waitress server (``python -m waitress wsgi:app``) on a loopback port; the test talks
HTTP to both, alternating, so any state kept in one process's memory would show.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from kinerja.models.account import Account
from kinerja.models.kiosk import Kiosk, KioskResponse
from kinerja.services import auth as auth_service
from kinerja.services import kiosk as kiosk_service
from portal.kiosk.views import COOKIE, HEADER
from tests.builders import TEST_PASSWORD
from tests.builders_kiosk import make_kiosk

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="needs TEST_DATABASE_URL pointing at PostgreSQL",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One waitress process serving wsgi:app on a loopback port."""

    def __init__(self, database_url: str, log_path: Path):
        self.port = _free_port()
        self.log_path = log_path
        # A file, not a pipe: an unread pipe fills up and blocks the server.
        self.log_file = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "rahasia-bersama-dua-proses",
            "KINERJA_ENV": "development",
            "KINERJA_DEMO_BANNER": "0",
        }
        env.pop("TEST_DATABASE_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "waitress", "--listen", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log_file,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log_file.close()
                raise RuntimeError(self.log_path.read_text(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"server on {self.port} did not start")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()


@pytest.fixture
def two_servers(app, tmp_path):
    url = app.config["DATABASE_URL"]
    servers = [Server(url, tmp_path / "a.log"), Server(url, tmp_path / "b.log")]
    try:
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, url, data=None, headers=None):
        body = None
        if isinstance(data, dict):
            body = urllib.parse.urlencode(data).encode()
        elif data is not None:
            body = data
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.read().decode()


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "login form has no CSRF token"
    return match.group(1)


def _login(browser: Browser, server: Server, nip: str, password: str) -> int:
    status, html = browser.request(f"{server.base}/masuk")
    assert status == 200
    status, _ = browser.request(
        f"{server.base}/masuk",
        {"nip": nip, "password": password, "csrf_token": _csrf(html)},
    )
    return status


def _account(world, key) -> Account:
    return Account.get_by_id(world.accounts[key].id)


def test_login_delay_holds_across_two_processes(world, two_servers):
    a, b = two_servers
    nip = world.people["pegawai"].nip
    browser = Browser()
    for _ in range(auth_service.PAIR_FREE - 1):
        assert _login(browser, a, nip, "salah-sekali") == 401
    assert _login(browser, b, nip, "salah-lagi") == 429
    # This address now waits on both processes, even with the right password.
    assert _login(Browser(), a, nip, TEST_PASSWORD) == 429
    assert _login(Browser(), b, nip, TEST_PASSWORD) == 429
    # Another account is untouched on both.
    peer = world.people["peer"].nip
    assert _login(Browser(), b, peer, TEST_PASSWORD) == 302
    assert _login(Browser(), a, peer, TEST_PASSWORD) == 302


def _answer(server: Server, token: str, client_id: str | None = None, **fields) -> tuple[int, dict]:
    body = json.dumps({"id": client_id or str(uuid.uuid4()), "face": 4, **fields}).encode()
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"{COOKIE}={token}",
        HEADER: kiosk_service.api_key_for(token),
    }
    status, text = Browser().request(f"{server.base}/kios/api/jawaban", body, headers)
    return status, json.loads(text)


def test_kiosk_interval_holds_across_two_processes(world, two_servers):
    a, b = two_servers
    kiosk, token = make_kiosk(world)
    hours = {str(d): ["00:00", "24:00"] for d in range(7)}
    Kiosk.update(opening_hours=json.dumps(hours)).where(Kiosk.id == kiosk.id).execute()
    first = str(uuid.uuid4())
    status, body = _answer(a, token, first)
    assert status == 201, body
    # Within the minimum interval, neither process counts a new respondent ...
    for server in (b, a, b):
        status, body = _answer(server, token)
        assert status == 202 and body["code"] == "ignored_interval", body
    # ... while a retry of the first answer is recognised on the other process.
    status, body = _answer(b, token, first)
    assert status == 200, body
    assert KioskResponse.select().where(KioskResponse.kiosk == kiosk.id).count() == 1
    # Concurrent distinct answers to both processes: exactly one wins the interval.
    Kiosk.update(last_respondent_at=None).where(Kiosk.id == kiosk.id).execute()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: _answer((a, b)[i % 2], token), range(8)))
    assert sorted(s for s, _ in results).count(201) == 1, results
    assert KioskResponse.select().where(KioskResponse.kiosk == kiosk.id).count() == 2


def test_kiosk_answers_race_across_two_processes_nothing_lost_nothing_doubled(world, two_servers):
    """Four kiosks send three answers each to both processes at once (the same id twice):
    every answer is stored exactly once and the other copy is told it is a duplicate."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import timedelta

    from kinerja.clock import utcnow
    from tests.builders_kiosk import utc_ms

    hours = {str(d): ["00:00", "24:00"] for d in range(7)}
    tokens = []
    for i in range(4):
        kiosk, token = make_kiosk(world, name=f"Kios {i}", counter=f"Loket {i}")
        Kiosk.update(opening_hours=json.dumps(hours)).where(Kiosk.id == kiosk.id).execute()
        tokens.append(token)
    start = utcnow() - timedelta(minutes=30)
    jobs = [
        (token, str(uuid.uuid4()), utc_ms(start + timedelta(seconds=30 * n)))
        for token in tokens
        for n in range(3)
    ]
    calls = [(server, *job) for job in jobs for server in two_servers]

    def send(call):
        server, token, client_id, at = call
        return _answer(server, token, client_id, answered_at=at)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, calls))
    codes = sorted(body["code"] for _, body in results)
    assert codes == ["duplicate"] * 12 + ["stored"] * 12, results
    stored = {r.client_id for r in KioskResponse.select()}
    assert stored == {client_id for _, client_id, _ in jobs}
    assert KioskResponse.select().count() == 12
