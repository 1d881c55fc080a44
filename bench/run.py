"""``make bench``: the city's real load, open loop, step by step until it no longer holds.

One run, on one machine:

1. builds the demo world (``flask seed-demo``) and the generated city (``flask gen-data``:
   5 000 staff, 1 M kiosk answers; cached under instance/bench/ by its sizes and the source
   of the generator and migrations, so a re-run copies it in a second);
2. serves the portal with ``waitress-serve``: two processes on SQLite and on PostgreSQL (one
   per core of the reference machine, as the deployment notes recommend), each client
   connection staying with one of them (as nginx's upstream keepalive);
3. logs in staff and supervisors through the login form, pairs 60 kiosks for each 1x of
   the largest step;
4. sends a mixed load **open loop**: every request has a fixed arrival time, whatever the
   answers before it took, and its latency is measured from that time (a slow server is not
   hidden by a client that waits for it: no coordinated omission). At 1x, the city at a
   deadline:

   - logged-in pages 30 req/s: staff home, SKP page, realisation save (POST with the
     session's CSRF token), supervisor home, team page, rating page;
   - kiosks 12 answers/s: 60 kiosks each answering every 5 s, each answer with its own
     client id (2 % are sent twice, as a kiosk retrying after a lost reply); at m x, 60 x m
     kiosks, each still answering every 5 s;
   - public pages 20 req/s: city overview (HTML, page 2, JSON), unit pages (HTML, JSON);
   - during every step one publish (``flask publish``) and one 3 000-row roster import
     (``flask import-roster``), as separate processes, as an operator would run them;
     a publish refused because it could be differenced (exit 3, issue 19) counts as done;

5. counts afterwards in the database the kiosk answers stored and doubled;
6. repeats at 2x, 3x, 5x, 8x, ... and reports the largest multiple *held*: pages p95 <=
   200 ms, kiosk answers p99 <= 500 ms, no error, nothing lost or doubled;
7. prints a table and writes it as Markdown to bench/last-run.md (docs/performance.md quotes
   it) and as JSON to bench/results/<timestamp>.json.

``BENCH_DATABASE_URL=postgresql://...`` adds the same run on PostgreSQL (that database is
emptied). The Flask "hello" ratio (closed loop, information only) is printed at the end.
"""

import argparse
import hashlib
import http.client
import itertools
import json
import math
import os
import platform
import queue
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "instance" / "bench"  # ignored by git: databases, rosters, server logs
RESULTS = ROOT / "bench" / "results"
SECRET = "bench-rahasia-bukan-produksi"
THREADS = int(
    os.environ.get("BENCH_THREADS", 12)
)  # waitress threads per process (docs/performance.md)

# Requests per second of each kind at 1x (the city at a deadline, issue 17).
LOGGED_IN = {
    "staff home": 8,
    "skp page": 6,
    "realisation save": 4,
    "supervisor home": 4,
    "team page": 4,
    "rating page": 4,
}
PUBLIC = {"public html": 14, "public json": 6}
KIOSKS = 60
KIOSK_EVERY_S = 5.0
RETRY_EVERY = 50  # one answer in 50 is sent twice (same client id)
KIOSK_SPACING_MS = 31_000  # answered_at per kiosk: > 5 s interval, < 120 answers per hour
CLASSES = ("logged-in", "public", "kiosk")
PAGE_P95_MS = 200.0
KIOSK_P99_MS = 500.0
ROSTER_ROWS = 3000
WARM_UP_S = 5.0  # seconds of the 1x load before the first step, not measured
TIMEOUT_S = 10.0
MAX_CONNECTIONS = 80  # load-generator connections per waitress process (its limit is 100)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- pure helpers (tests/test_bench.py) ---------------------------------------------------------


def arrivals(rate: float, duration: float, phase: float = 0.0) -> list[float]:
    """Evenly spaced arrival times (seconds from the start) of ``rate`` requests a second."""
    if rate <= 0:
        return []
    gap = 1.0 / rate
    return [t for i in range(int(duration * rate) + 1) if (t := (i + phase) * gap) < duration]


def schedule(rates: dict[str, float], duration: float) -> list[tuple[float, str]]:
    """All arrivals of every kind, in time order; kinds are phase-shifted so they interleave."""
    out = []
    for n, (kind, rate) in enumerate(sorted(rates.items())):
        out += [(t, kind) for t in arrivals(rate, duration, phase=(n + 1) / (len(rates) + 1))]
    return sorted(out)


def percentile(values: list[float], p: float) -> float | None:
    """The ``p``-th percentile (nearest rank) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100), at least 1
    return ordered[int(rank) - 1]


def held(step: dict) -> bool:
    """Whether a step met every target: page p95, kiosk p99, no error, nothing lost/doubled."""
    for name in ("logged-in", "public"):
        p95 = step["classes"][name]["p95"]
        if p95 is None or p95 > PAGE_P95_MS:
            return False
    p99 = step["classes"]["kiosk"]["p99"]
    if p99 is None or p99 > KIOSK_P99_MS:
        return False
    kiosk = step["kiosk"]
    return (
        sum(c["errors"] for c in step["classes"].values()) == 0
        and not step["job_errors"]
        and kiosk["lost"] == 0
        and kiosk["doubled"] == 0
    )


def largest_held(steps: list[dict]) -> float:
    """The largest multiple held, counting only the steps up to the first that failed."""
    best = 0.0
    for step in steps:
        if not step["held"]:
            break
        best = step["multiple"]
    return best


# --- processes ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def portal_env(url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "KINERJA_ENV": "production",
        "KINERJA_DEMO_BANNER": "0",
        "FLASK_APP": "portal",
    }
    env.pop("TEST_DATABASE_URL", None)
    return env


def waitress_serve() -> list[str]:
    """The ``waitress-serve`` of this virtualenv (or ``python -m waitress``)."""
    script = Path(sys.executable).with_name("waitress-serve")
    return [str(script)] if script.exists() else [sys.executable, "-m", "waitress"]


class Servers:
    """``count`` waitress processes of ``target`` on loopback ports."""

    def __init__(self, target: str, count: int, env: dict):
        self.procs, self.ports, self.logs = [], [], []
        for _ in range(count):
            port = free_port()
            path = WORK / f"server-{port}.log"
            log_file = open(path, "wb")  # noqa: SIM115 - closed in stop()
            self.logs.append((path, log_file))
            self.procs.append(
                subprocess.Popen(
                    [
                        *waitress_serve(),
                        f"--listen=127.0.0.1:{port}",
                        f"--threads={THREADS}",
                        target,
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=log_file,
                )
            )
            self.ports.append(port)
        for proc, port, (path, _) in zip(self.procs, self.ports, self.logs, strict=True):
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(path.read_text(errors="replace"))
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        self.stop()
                        raise TimeoutError(f"{target} did not start") from None
                    time.sleep(0.1)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for path, log_file in self.logs:
            log_file.close()
            if "Traceback" not in path.read_text(errors="replace"):
                path.unlink(missing_ok=True)  # keep only logs with errors
            else:
                log(f"server log with an error kept: {path}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server processes (user + system, from /proc)."""
        total = 0.0
        for proc in self.procs:
            try:
                fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # not Linux, or gone: the figure is left out
                return float("nan")
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def prepare(command: str, url: str, *args) -> dict:
    """Run ``python -m bench.prepare`` against ``url`` and return its JSON."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.prepare", command, url, *map(str, args)],
        cwd=ROOT,
        env=portal_env(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"bench.prepare {command} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


REFUSED_EXIT = 3  # kinerja.services.publish.REFUSED_EXIT: a refused re-publication


def flask_cmd(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "portal", *args]


def flask(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        flask_cmd(url, *args),
        cwd=ROOT,
        env=portal_env(url),
        capture_output=True,
        text=True,
        check=False,
    )


# --- worlds -------------------------------------------------------------------------------------


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def gen_args(args) -> list[str]:
    return [
        f"--employees={args.employees}",
        f"--months={args.months}",
        f"--kiosk-answers={args.kiosk_answers}",
        f"--requests={args.requests}",
        f"--seed={args.seed}",
    ]


def source_key(*globs: str) -> str:
    digest = hashlib.sha256()
    for pattern in globs:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def build(world: str, args) -> tuple[Path, str]:
    """The world's SQLite file, built once and cached; returns (cached file, how it was made)."""
    if world == "demo":
        key = source_key(
            "kinerja/demo*.py",
            "kinerja/demo/**/*.py",
            "kinerja/demo/*.json",
            "kinerja/imports/roster*.py",
            "kinerja/migrations/m*.py",
        )
        command = ["seed-demo"]
    else:
        key = (
            "-".join(a.split("=")[1] for a in gen_args(args))
            + "-"
            + source_key("kinerja/demo/scale*.py", "kinerja/migrations/m*.py")
        )
        command = ["gen-data", *gen_args(args)]
    cached = WORK / f"{world}-{key}.sqlite3"
    if cached.exists():
        return cached, "from cache"
    for old in WORK.glob(f"{world}-*.sqlite3"):
        remove_db(old)
    tmp = WORK / f"{world}-building.sqlite3"
    remove_db(tmp)
    log(f"building the {world} world: flask {' '.join(command)} (once; cached)")
    started = time.perf_counter()
    done = flask(f"sqlite:///{tmp}", *command)
    if done.returncode != 0:
        raise SystemExit(f"flask {command[0]} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    shutil.move(str(tmp), str(cached))
    return cached, f"built in {time.perf_counter() - started:.0f} s"


def sqlite_copy(cached: Path) -> str:
    """A fresh copy of the cached world for this run (the run writes into it)."""
    run_copy = WORK / "run.sqlite3"
    remove_db(run_copy)
    shutil.copyfile(cached, run_copy)
    return f"sqlite:///{run_copy}"


def postgres_world(world: str, url: str, args) -> str:
    """Empty the PostgreSQL database and fill it with the world (no cache: rebuilt each run)."""
    import psycopg2  # the driver peewee uses

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    conn.close()
    command = ["seed-demo"] if world == "demo" else ["gen-data", *gen_args(args)]
    log(f"building the {world} world on PostgreSQL: flask {' '.join(command)}")
    started = time.perf_counter()
    done = flask(url, *command)
    if done.returncode != 0:
        raise SystemExit(f"flask {command[0]} failed:\n{done.stderr[-2000:]}")
    return f"built in {time.perf_counter() - started:.0f} s"


# --- HTTP ---------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection per server, used by one thread at a time."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.conns: dict[int, http.client.HTTPConnection] = {}

    def request(self, port, method, path, body=None, headers=None):
        """(status, headers, body); reconnects once if the kept-alive connection was closed."""
        for attempt in (1, 2):
            conn = self.conns.get(port)
            if conn is None:
                conn = self.conns[port] = http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=TIMEOUT_S
                )
            try:
                conn.request(method, path, body=body, headers=headers or {})
                resp = conn.getresponse()
                return resp.status, resp.headers, resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                conn.close()
                del self.conns[port]
                if attempt == 2:
                    raise
            except Exception:
                conn.close()
                del self.conns[port]
                raise
        raise AssertionError("unreachable")


def login(port: int, nip: str, password: str) -> dict:
    """Log in through the form; returns the Cookie header and the session's CSRF token."""
    client = Client([port])
    status, headers, body = client.request(port, "GET", "/masuk")
    cookies = _cookies({}, headers)
    token = _csrf(body.decode())
    form = urllib.parse.urlencode({"nip": nip, "password": password, "csrf_token": token})
    status, headers, _ = client.request(
        port,
        "POST",
        "/masuk",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": _jar(cookies)},
    )
    if status not in (302, 303):
        raise SystemExit(f"login as {nip} failed: HTTP {status}")
    cookies = _cookies(cookies, headers)
    return {"cookie": _jar(cookies)}


def _cookies(jar: dict, headers) -> dict:
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _jar(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    if not match:
        raise SystemExit("no csrf_token in the page")
    return match[1]


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Request:
    kind: str
    cls: str
    method: str
    path: str
    body: str | None = None
    headers: dict = field(default_factory=dict)
    expect: tuple = (200,)
    kiosk: str | None = None  # client id of a kiosk answer (first send)


class Load:
    """Makes the next request of each kind: people, URLs and kiosks taken round-robin."""

    def __init__(self, world: dict, people: list[dict], kiosks: list[dict]):
        self.lock = threading.Lock()
        self.staff = itertools.cycle([p for p in people if p["kind"] == "staff"])
        self.bosses = itertools.cycle([p for p in people if p["kind"] == "supervisor"])
        self.public_html = itertools.cycle(world["public_html"])
        self.public_json = itertools.cycle(world["public_json"])
        self.kiosk_api = world["kiosk_api"]
        self.all_kiosks = kiosks
        self.kiosks = itertools.cycle(kiosks[:KIOSKS])
        self.kiosk_n = itertools.count(1)
        self.values = itertools.count(1)
        self.base_ms = int((datetime.now(UTC) - timedelta(days=13)).timestamp() * 1000)

    def scale_kiosks(self, multiple: float) -> None:
        """Answer from KIOSKS x ``multiple`` kiosks (each still every KIOSK_EVERY_S)."""
        with self.lock:
            count = max(1, math.ceil(KIOSKS * multiple))
            self.kiosks = itertools.cycle(self.all_kiosks[:count])

    def make(self, kind: str) -> list[Request]:
        with self.lock:  # the cycles are shared by the dispatcher only, but keep it obvious
            return self._make(kind)

    def _make(self, kind: str) -> list[Request]:
        if kind in ("staff home", "skp page", "realisation save"):
            p = next(self.staff)
            cookie = {"Cookie": p["cookie"]}
            if kind == "staff home":
                return [Request(kind, "logged-in", "GET", p["home"], headers=cookie)]
            if kind == "skp page":
                return [Request(kind, "logged-in", "GET", p["skp"], headers=cookie)]
            form = {
                f"{p['field']}value": str(100 + next(self.values) % 400),
                f"{p['field']}evidence_link": "https://arsip.example.go.id/bench",
                f"{p['field']}evidence_note": "Bench",
                "csrf_token": p["csrf"],
            }
            headers = {**cookie, "Content-Type": "application/x-www-form-urlencoded"}
            body = urllib.parse.urlencode(form)
            return [Request(kind, "logged-in", "POST", p["save"], body, headers, (303,))]
        if kind in ("supervisor home", "team page", "rating page"):
            p = next(self.bosses)
            path = {"supervisor home": p["home"], "team page": p["team"]}.get(kind, p["rating"])
            return [Request(kind, "logged-in", "GET", path, headers={"Cookie": p["cookie"]})]
        if kind == "public html":
            return [Request(kind, "public", "GET", next(self.public_html))]
        if kind == "public json":
            return [Request(kind, "public", "GET", next(self.public_json))]
        assert kind == "kiosk answer", kind
        k = next(self.kiosks)
        k["seq"] += 1
        n = next(self.kiosk_n)
        client_id = str(uuid.uuid4())
        answer = {
            "id": client_id,
            "face": 1 + n % 4,
            "answered_at": self.base_ms + k["seq"] * KIOSK_SPACING_MS,
            "unsur": {f"U{i}": 3 + (n + i) % 2 for i in range(1, 10)},
        }
        headers = {
            "Content-Type": "application/json",
            "Cookie": f"kios_perangkat={k['token']}",
            "X-Kiosk-Key": k["key"],
        }
        first = Request(
            kind, "kiosk", "POST", self.kiosk_api, json.dumps(answer), headers, (201,), client_id
        )
        if n % RETRY_EVERY:
            return [first]
        # A kiosk that lost the reply sends the same answer again: recognised, not stored twice.
        return [
            first,
            Request(kind, "kiosk", "POST", self.kiosk_api, first.body, headers, (200, 201)),
        ]


def rates(multiple: float) -> dict[str, float]:
    """Requests per second of each kind at ``multiple`` times the city's load."""
    out = {k: v * multiple for k, v in {**LOGGED_IN, **PUBLIC}.items()}
    out["kiosk answer"] = KIOSKS / KIOSK_EVERY_S * multiple
    return out


def run_load(load: Load, ports: list[int], multiple: float, duration: float, workers: int):
    """Send the schedule open loop; returns one record per request."""
    jobs: queue.Queue = queue.Queue()
    records, lock = [], threading.Lock()

    def worker(port: int):
        # Each worker keeps one connection to one process, as nginx's upstream keepalive does.
        # (A connection to every process from every worker would pass waitress's
        # connection_limit of 100 at 5x: connections past it wait unaccepted.)
        client = Client([port])
        while (job := jobs.get()) is not None:
            due, requests = job
            for req in requests:  # a retry follows its first send on the same connection
                status, error = 0, ""
                try:
                    status, _, _ = client.request(port, req.method, req.path, req.body, req.headers)
                    if status not in req.expect:
                        error = f"HTTP {status}"
                except Exception as exc:  # noqa: BLE001 - every failure is counted
                    error = type(exc).__name__
                done = time.monotonic()
                with lock:
                    records.append(
                        (req.cls, req.kind, (done - due) * 1000, error, req.kiosk, status, due)
                    )
                due = done  # the retry's latency is its own

    threads = [
        threading.Thread(target=worker, args=(ports[i % len(ports)],), daemon=True)
        for i in range(workers)
    ]
    for t in threads:
        t.start()
    plan = schedule(rates(multiple), duration)
    start = time.monotonic() + 0.2
    lag = 0.0
    for at, kind in plan:
        requests = load.make(kind)
        due = start + at
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        else:
            lag = max(lag, now - due)
        jobs.put((due, requests))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join(timeout=TIMEOUT_S * 3)
    return records, lag * 1000


def summarise(records: list, duration: float, busy: list[tuple[float, float]]) -> dict:
    """Per class: rate, percentiles, errors; "quiet" percentiles leave out the ``busy`` times
    (while the publish or the import ran), to show what those jobs cost."""
    out = {}
    for cls in CLASSES:
        mine = [r for r in records if r[0] == cls]
        ms = [r[2] for r in mine]
        quiet = [r[2] for r in mine if not any(a <= r[6] <= b for a, b in busy)]
        errors = [r for r in mine if r[3]]
        kinds = {}
        for r in errors:
            kinds[f"{r[1]}: {r[3]}"] = kinds.get(f"{r[1]}: {r[3]}", 0) + 1
        out[cls] = {
            "requests": len(mine),
            "rps": len(mine) / duration,
            "p50": percentile(ms, 50),
            "p95": percentile(ms, 95),
            "p99": percentile(ms, 99),
            "max": max(ms, default=None),
            "quiet_p95": percentile(quiet, 95),
            "quiet_p99": percentile(quiet, 99),
            "errors": len(errors),
            "error_kinds": kinds,
        }
    return out


class Job:
    """A CLI command started during the load; a thread waits for it, so its time is its own."""

    def __init__(self, name: str, url: str, *args: str):
        self.name = name
        self.result: dict = {}
        self.thread = threading.Thread(target=self._run, args=(url, args), daemon=True)
        self.thread.start()

    def _run(self, url: str, args: tuple) -> None:
        started = time.monotonic()
        done = subprocess.run(
            flask_cmd(url, *args),
            cwd=ROOT,
            env=portal_env(url),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        # A re-publication refused because it could be differenced (issue 19) exits 3 with
        # its reason: documented behaviour, the old snapshot stays, the cost is still paid.
        refused = args[:1] == ("publish",) and done.returncode == REFUSED_EXIT
        ok = done.returncode == 0 or refused
        self.result = {
            "refused": refused,
            "name": self.name,
            "seconds": time.monotonic() - started,
            "busy": (started, time.monotonic()),
            "ok": ok,
            "tail": "" if ok else done.stdout[-500:],
        }

    def finish(self) -> dict:
        self.thread.join()
        return self.result


def step(ctx: dict, multiple: float, n: int) -> dict:
    """One step: the load at ``multiple`` x, a publish and a roster import meanwhile."""
    url, duration = ctx["url"], ctx["duration"]
    roster = WORK / "roster.xlsx"
    prepare("roster-file", url, roster, n * ROSTER_ROWS, ROSTER_ROWS)
    jobs: list[Job] = []

    def start_jobs():
        time.sleep(duration * 0.2)
        jobs.append(Job("publish", url, "publish"))
        time.sleep(duration * 0.2)
        jobs.append(Job("roster import", url, "import-roster", str(roster)))

    speed = cpu_check()
    cpu_before = (ctx["servers"].cpu_seconds(), time.process_time(), _children_cpu())
    started = time.monotonic()
    starter = threading.Thread(target=start_jobs, daemon=True)
    starter.start()
    # Latency counts from each request's due time, so a worker busy elsewhere is counted as
    # waiting; at most MAX_CONNECTIONS per process stay under waitress's connection_limit.
    workers = min(max(32, int(24 * multiple)), MAX_CONNECTIONS * len(ctx["ports"]))
    ctx["load"].scale_kiosks(multiple)
    records, lag = run_load(ctx["load"], ctx["ports"], multiple, duration, workers)
    starter.join()
    finished = [j.finish() for j in jobs]
    wall = time.monotonic() - started
    cpu_after = (ctx["servers"].cpu_seconds(), time.process_time(), _children_cpu())
    used = [(b - a) / wall for a, b in zip(cpu_before, cpu_after, strict=True)]
    result = {
        "multiple": multiple,
        "classes": summarise(records, duration, [j["busy"] for j in finished]),
        "lag_ms": lag,
        "jobs": finished,
        "job_errors": [j for j in finished if not j["ok"]],
        # Cores busy on average: the portal's processes, the load generator, the jobs.
        "cpu": {"server": used[0], "client": used[1], "jobs": used[2]},
        "server_cpu_ms_per_request": used[0] * wall * 1000 / max(1, len(records)),
        "cpu_check_ms": speed,
    }
    # Kiosk answers: first sends accepted (201) must each be stored exactly once.
    sent = [r for r in records if r[4]]
    accepted = {r[4] for r in sent if r[5] == 201}
    count = settle(url, ctx["kiosk_ids"])
    stored, distinct = count["rows"] - ctx["kiosk_rows"], count["distinct"] - ctx["kiosk_distinct"]
    ctx["kiosk_rows"], ctx["kiosk_distinct"] = count["rows"], count["distinct"]
    result["kiosk"] = {
        "sent": len(sent),
        "resent": len([r for r in records if r[0] == "kiosk" and not r[4]]),
        "accepted": len(accepted),
        "stored": stored,
        "doubled": stored - distinct,
        "lost": max(0, len(accepted) - distinct),
    }
    result["held"] = held(result)
    return result


def cpu_check() -> float:
    """Milliseconds a fixed pure-Python loop takes on the idle machine just before a step.

    A virtual machine's core is not always as fast: on the reference machine this figure
    moved between about 27 and 50 ms within minutes. Steps compared across runs should
    be read with it.
    """
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def _children_cpu() -> float:
    """CPU time of the finished child processes (the publish and the import)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def settle(url: str, ids: str, limit: float = 20.0) -> dict:
    """The stored answers once the count stops changing (requests still in flight done)."""
    deadline = time.monotonic() + limit
    count = prepare("kiosk-count", url, ids)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        again = prepare("kiosk-count", url, ids)
        if again["rows"] == count["rows"]:
            break
        count = again
    return count


def run_world(db: str, world: str, url: str, processes: int, args, note: str) -> dict:
    """Every step on one world, until a step does not hold."""
    if not prepare("has-snapshot", url)["snapshot"]:
        done = flask(url, "publish")  # the public pages need a snapshot
        if done.returncode != 0:
            raise SystemExit(f"flask publish failed:\n{done.stdout[-1000:]}{done.stderr[-1000:]}")
    info = prepare("world", url)
    # At m times the city's load the city has m times as many kiosks, each answering every
    # 5 s: one kiosk answering m times as fast would meet its own anti-abuse limits (at
    # most 30 back-dated answers stored per arrival minute), which no real kiosk reaches.
    kiosks = prepare("kiosks", url, math.ceil(KIOSKS * max(args.steps)))["kiosks"]
    for k in kiosks:
        k["seq"] = 0
    ids = ",".join(str(k["id"]) for k in kiosks)
    count = prepare("kiosk-count", url, ids)
    out = {"db": db, "world": world, "note": note, "processes": processes, "steps": []}
    with Servers("wsgi:app", processes, portal_env(url)) as servers:
        client = Client(servers.ports)
        for key in ("public_html", "public_json"):  # warm up; a page 2 only a large city has
            for path in list(info[key]):
                status, _, _ = client.request(servers.ports[0], "GET", path)
                if status != 200:
                    log(f"{path}: HTTP {status}, left out of the load")
                    info[key].remove(path)
        people = info["people"]
        for p in people:
            p.update(login(servers.ports[0], p["nip"], info["password"]))
            if p["kind"] == "staff":  # the session's CSRF token, from the page with the form
                status, _, body = client.request(
                    servers.ports[0], "GET", p["realisation"], headers={"Cookie": p["cookie"]}
                )
                p["csrf"] = _csrf(body.decode())
        log(
            f"{db} {world}: {len([p for p in people if p['kind'] == 'staff'])} staff and "
            f"{len([p for p in people if p['kind'] != 'staff'])} supervisors logged in, "
            f"{len(kiosks)} kiosks paired, {processes} waitress process(es) x {THREADS} threads"
        )
        ctx = {
            "url": url,
            "duration": args.duration,
            "ports": servers.ports,
            "servers": servers,
            "kiosk_ids": ids,
            "load": Load(info, people, kiosks),
            "kiosk_rows": count["rows"],
            "kiosk_distinct": count["distinct"],
        }
        # Warm-up, not measured: each process compiles its templates and fills its
        # connection pool on its first requests, as a server does once after a restart.
        run_load(ctx["load"], servers.ports, 1.0, WARM_UP_S, 32)
        count = settle(url, ids)
        ctx["kiosk_rows"], ctx["kiosk_distinct"] = count["rows"], count["distinct"]
        for n, multiple in enumerate(args.steps):
            result = step(ctx, multiple, n)
            out["steps"].append(result)
            for row in step_rows(db, world, result):
                print(fmt_text(row), flush=True)
            if not result["held"]:
                break
            time.sleep(1)  # let the server drain before the next step
    out["largest"] = largest_held(out["steps"])
    log(f"{db} {world}: largest multiple held {out['largest']:g}x")
    return out


# --- hello (information only) -------------------------------------------------------------------


def closed_loop(ports: list[int], path: str, seconds: float, headers=None, threads=16) -> float:
    """Requests per second with ``threads`` clients each sending as fast as answered."""
    stop = time.monotonic() + seconds
    counts = []

    def run():
        client, n = Client(ports), 0
        while time.monotonic() < stop:
            status, _, _ = client.request(ports[n % len(ports)], "GET", path, headers=headers)
            n += status == 200
        counts.append(n)

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts) / seconds


def hello_ratios(url: str, seconds: float) -> dict:
    """Closed-loop req/s of a bare Flask app and of two portal pages, on the demo world."""
    out = {}
    with Servers("bench.hello:app", 1, dict(os.environ)) as hello:
        out["hello"] = closed_loop(hello.ports, "/", seconds)
    info = prepare("world", url)
    with Servers("wsgi:app", 1, portal_env(url)) as portal:
        out["public overview"] = closed_loop(portal.ports, "/publik", seconds)
        boss = next(p for p in info["people"] if p["kind"] == "supervisor")
        cookie = login(portal.ports[0], boss["nip"], info["password"])["cookie"]
        out["supervisor home"] = closed_loop(
            portal.ports, boss["home"], seconds, headers={"Cookie": cookie}
        )
    return out


# --- report -------------------------------------------------------------------------------------


def ms(value) -> str:
    return "-" if value is None else f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def step_rows(db: str, world: str, result: dict) -> list[list[str]]:
    """Table rows of one step: one per class, then the kiosk count and the jobs."""
    rows = []
    load = f"{result['multiple']:g}x"
    for cls in CLASSES:
        c = result["classes"][cls]
        target = f"p95 ≤ {PAGE_P95_MS:.0f}" if cls != "kiosk" else f"p99 ≤ {KIOSK_P99_MS:.0f}"
        errors = ", ".join(f"{k} ×{v}" for k, v in c["error_kinds"].items())
        p = "p99" if cls == "kiosk" else "p95"
        note = f"{p} {ms(c[f'quiet_{p}'])} outside publish/import" + (
            f"; {errors}" if errors else ""
        )
        if cls == "kiosk":
            k = result["kiosk"]
            note = (
                f"sent {k['sent']} (+{k['resent']} resent), stored {k['stored']}, "
                f"doubled {k['doubled']}, lost {k['lost']}; {note}"
            )
        rows.append(
            [
                db,
                world,
                load,
                cls,
                f"{c['rps']:.1f}",
                ms(c["p50"]),
                ms(c["p95"]),
                ms(c["p99"]),
                str(c["errors"]),
                target,
                note,
            ]
        )
    jobs = ", ".join(
        f"{j['name']} {j['seconds']:.1f} s" + ("" if j["ok"] else " FAILED") for j in result["jobs"]
    )
    verdict = "held" if result["held"] else "NOT held"
    lag = f"; client lag {result['lag_ms']:.0f} ms" if result["lag_ms"] > 50 else ""
    if "cpu" in result:  # cores busy on average during the step
        cpu = result["cpu"]
        lag += (
            f"; cores busy: portal {cpu['server']:.2f} "
            f"({result['server_cpu_ms_per_request']:.1f} ms a request), "
            f"load generator {cpu['client']:.2f}, jobs {cpu['jobs']:.2f}"
        )
    if "cpu_check_ms" in result:
        lag += f"; CPU check {result['cpu_check_ms']:.0f} ms"
    rows.append(
        [
            db,
            world,
            load,
            "during",
            "",
            "",
            "",
            "",
            str(len(result["job_errors"])),
            "",
            f"{jobs}; {verdict}{lag}",
        ]
    )
    return rows


HEADER = [
    "DB",
    "World",
    "Load",
    "Class",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "Errors",
    "Target ms",
    "Notes",
]
WIDTHS = [10, 5, 4, 9, 6, 6, 6, 6, 6, 9, 0]


def fmt_text(row: list[str]) -> str:
    return "  ".join(c.ljust(w) if w else c for c, w in zip(row, WIDTHS, strict=True))


def markdown(meta: dict, worlds: list[dict], hello: dict | None) -> str:
    lines = [
        f"Run {meta['date']} on {meta['cpu']} ({meta['cores']} cores, load average before the "
        f"run {meta['load_average']}), Python {meta['python']}, commit {meta['commit']}; "
        f"{meta['duration']:g} s per step; waitress {THREADS} threads per process.",
        "",
        "| Database | World | Processes | Largest multiple held |",
        "|---|---|---|---|",
    ]
    for w in worlds:
        lines.append(
            f"| {w['db']} | {w['world']} ({w['note']}) | {w['processes']} | {w['largest']:g}× |"
        )
    lines += ["", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for w in worlds:
        for s in w["steps"]:
            for row in step_rows(w["db"], w["world"], s):
                lines.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
    if hello:
        h = hello["hello"]
        ratios = ", ".join(
            f"{k} {v:.0f} req/s = {v / h:.2f} × hello" for k, v in hello.items() if k != "hello"
        )
        lines += [
            "",
            f"Information only (closed loop, 16 clients, demo world, SQLite): Flask "
            f'"hello" {h:.0f} req/s; {ratios}.',
        ]
    return "\n".join(lines) + "\n"


def machine() -> dict:
    cpu = ""
    for text in Path("/proc/cpuinfo").read_text().splitlines():
        if text.startswith("model name"):
            cpu = text.split(":", 1)[1].strip()
            break
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "commit": commit,
        "load_average": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="smoke run (~1 min): demo world only, 1x and 2x, 8 s per step",
    )
    p.add_argument(
        "--duration",
        type=float,
        default=os.environ.get("BENCH_DURATION"),
        help="seconds per step (BENCH_DURATION, default 30)",
    )
    p.add_argument(
        "--steps",
        default=os.environ.get("BENCH_STEPS"),
        help="multiples of the city's load, tried in order until one fails "
        "(BENCH_STEPS, default 1,2,3,5,8,12,16)",
    )
    p.add_argument(
        "--worlds",
        default=os.environ.get("BENCH_WORLDS"),
        help="demo,city (BENCH_WORLDS, default both)",
    )
    p.add_argument("--sqlite-processes", type=int, default=2)
    p.add_argument("--postgres-processes", type=int, default=2)
    p.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="PostgreSQL URL (BENCH_DATABASE_URL); that database is emptied",
    )
    p.add_argument("--no-hello", action="store_true")
    p.add_argument("--employees", type=int, default=5000)
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--kiosk-answers", type=int, default=1_000_000)
    p.add_argument("--requests", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    quick = args.quick
    args.no_hello = args.no_hello or quick
    args.duration = float(args.duration or (8 if quick else 30))
    args.steps = [
        float(s) for s in (args.steps or ("1,2" if quick else "1,2,3,5,8,12,16")).split(",")
    ]
    args.worlds = (args.worlds or ("demo" if quick else "demo,city")).split(",")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    meta = {**machine(), "duration": args.duration}
    log(
        f"{meta['cpu']} ({meta['cores']} cores), Python {meta['python']}, commit "
        f"{meta['commit']}, load average {meta['load_average']}"
    )
    print(fmt_text(HEADER), flush=True)
    worlds, cached = [], {}
    for world in args.worlds:
        cached[world], note = build(world, args)
        url = sqlite_copy(cached[world])
        worlds.append(run_world("SQLite", world, url, args.sqlite_processes, args, note))
    if args.postgres:
        for world in args.worlds:
            note = postgres_world(world, args.postgres, args)
            worlds.append(
                run_world("PostgreSQL", world, args.postgres, args.postgres_processes, args, note)
            )
    hello = None
    if not args.no_hello and "demo" in cached:
        hello = hello_ratios(sqlite_copy(cached["demo"]), 5.0)
    text = markdown(meta, worlds, hello)
    # A smoke run's table stays out of git (instance/ is ignored); a full run's is quoted.
    out_dir = WORK if args.quick else ROOT / "bench"
    (out_dir / "last-run.md").write_text(text)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    details = (WORK if args.quick else RESULTS) / f"{stamp}.json"
    details.write_text(json.dumps({"meta": meta, "worlds": worlds, "hello": hello}, indent=1))
    print()
    print(text)
    table = (out_dir / "last-run.md").relative_to(ROOT)
    log(f"{time.perf_counter() - started:.0f} s; {table}, {details.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
