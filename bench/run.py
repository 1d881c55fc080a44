"""``make bench``: the portal against the stack's own ceiling, on a small and a large database.

One run, on one machine:

1. installs Debian's ``wrk`` when it is missing;
2. builds the small demo database (``flask seed-demo``) and the large generated one
   (``flask gen-data``; cached under instance/bench/ by its sizes and the generator's source);
3. serves a bare Flask "hello" app under waitress with the portal's thread count, and
   drives it with wrk (16 connections) as the ceiling;
4. serves the portal under waitress on each database and drives every scenario the same
   way: public city overview, public unit page and its JSON twin, kiosk submissions
   (checked afterwards: every answer stored exactly once), and, logged in as a supervisor,
   the home page with tasks, the team overview and the rating page;
5. times publishing the public snapshot of the large database and importing a 5 000-row
   roster;
6. prints per scenario req/s, the ratio to "hello", p50/p99 latency and PASS/FAIL against
   the targets of issue 11, and writes bench/results/<timestamp>.json and .txt.

Scenarios whose pages do not exist yet print "SKIP (belum ada)".
"""

import argparse
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = ROOT / "instance" / "bench"  # ignored by git
RESULTS = BENCH / "results"
SECRET = "bench-rahasia-bukan-produksi"

TARGET_PUBLIC = 0.6
TARGET_KIOSK = 0.3
TARGET_LOGGED_IN = 0.25
TARGET_SCALE = 1.3
TARGET_PUBLISH_S = 30.0
TARGET_ROSTER_S = 10.0

PUBLIC = ("public_overview", "public_unit", "public_unit_json")
LOGGED_IN = ("home", "team", "rating")
LABELS = {
    "hello": 'Flask "hello" (batas atas)',
    "public_overview": "Publik: ringkasan kota",
    "public_unit": "Publik: halaman unit",
    "public_unit_json": "Publik: JSON unit",
    "kiosk": "Kios: kirim jawaban",
    "home": "Beranda atasan + tugas",
    "team": "Ringkasan tim atasan",
    "rating": "Halaman rating",
}
KIOSK_DEVICES = 16
KIOSK_SPACING_MS = 31_000  # > 5 s interval, < 120 answers per kiosk-hour: every answer counts


@dataclass
class Result:
    """One line of the report."""

    name: str
    db: str = ""
    url: str = ""
    rps: float | None = None
    ratio: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    seconds: float | None = None
    target: str = ""
    status: str = "SKIP"
    note: str = ""
    statuses: dict = field(default_factory=dict)


# --- processes ----------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk tidak ada; memasang dari Debian (apt-get install wrk)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


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


class Server:
    """A waitress process on a loopback port."""

    def __init__(self, target: str, threads: int, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # The server's log goes to a file: an unread pipe fills up (waitress logs a warning
        # when its queue grows) and then blocks the server's main thread for good.
        self.log_path = WORK / f"server-{self.port}.log"
        self.log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "waitress",
                f"--listen=127.0.0.1:{self.port}",
                f"--threads={threads}",
                target,
            ],
            cwd=ROOT,
            env=env or dict(os.environ),
            stdout=subprocess.DEVNULL,
            stderr=self.log_file,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log_file.close()
                raise RuntimeError(self.log_path.read_text(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"{target} did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()
        if "Traceback" not in self.log_path.read_text(errors="replace"):
            self.log_path.unlink(missing_ok=True)  # keep only logs with errors

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
        tail = "\n".join(out.stderr.strip().splitlines()[-6:])
        return {"error": f"bench.prepare {command} gagal: {tail}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def flask(url: str, *args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal", *args],
        cwd=ROOT,
        env=portal_env(url),
        capture_output=quiet,
        text=True,
        check=False,
    )


# --- databases ----------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_small() -> tuple[str, str]:
    """A fresh demo database; returns (url, note)."""
    path = WORK / "small.sqlite3"
    remove_db(path)
    url = sqlite_url(path)
    started = time.perf_counter()
    done = flask(url, "seed-demo")
    if done.returncode != 0:
        raise SystemExit(f"seed-demo gagal:\n{done.stdout}\n{done.stderr}")
    return url, f"demo Sibolga, {time.perf_counter() - started:.1f} s"


def gen_key(args) -> str:
    source = ROOT / "kinerja" / "gen_data.py"
    digest = hashlib.sha256()
    for path in [source, *sorted((ROOT / "kinerja" / "migrations").glob("m*.py"))]:
        if path.exists():
            digest.update(path.read_bytes())
    sizes = f"e{args.employees}-m{args.months}-k{args.kiosk_answers}-r{args.requests}-s{args.seed}"
    return f"{sizes}-{digest.hexdigest()[:10]}"


def build_large(args) -> tuple[str | None, str]:
    """The generated database (cached by sizes and generator source), copied for this run."""
    if not (ROOT / "kinerja" / "gen_data.py").exists():
        return None, "SKIP (belum ada): flask gen-data"
    cached = WORK / f"large-{gen_key(args)}.sqlite3"
    note = "dari cache"
    if not cached.exists():
        for old in WORK.glob("large-*.sqlite3"):
            remove_db(old)
        tmp = WORK / "large-building.sqlite3"
        remove_db(tmp)
        log(
            f"membangun basis data besar: {args.employees} pegawai, {args.months} bulan, "
            f"{args.kiosk_answers} jawaban kios, {args.requests} permohonan (sekali; di-cache)"
        )
        started = time.perf_counter()
        done = flask(
            sqlite_url(tmp),
            "gen-data",
            f"--employees={args.employees}",
            f"--months={args.months}",
            f"--kiosk-answers={args.kiosk_answers}",
            f"--requests={args.requests}",
            f"--seed={args.seed}",
            quiet=False,
        )
        if done.returncode != 0:
            return None, "FAIL: flask gen-data gagal"
        shutil.move(str(tmp), str(cached))
        note = f"dibangun dalam {time.perf_counter() - started:.0f} s"
    run_copy = WORK / "large-run.sqlite3"
    remove_db(run_copy)
    shutil.copyfile(cached, run_copy)
    return sqlite_url(run_copy), note


# --- HTTP ---------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(opener, url, data=None, headers=None) -> tuple[int, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(req, timeout=60) as resp:
            return resp.status, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.read().decode(errors="replace")


def login(base: str, nip: str, password: str, attempts: int = 3) -> str | None:
    """Log in through the login form; return the Cookie header value (or None)."""
    for _ in range(attempts):
        try:
            return _login_once(base, nip, password)
        except OSError as exc:  # a server still draining the previous scenario's queue
            log(f"masuk gagal ({exc}); mencoba lagi")
            time.sleep(5)
    return None


def _login_once(base: str, nip: str, password: str) -> str | None:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    headers = {"User-Agent": "kinerja-bench"}
    status, html = http(opener, f"{base}/masuk", headers=headers)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    if status != 200 or not match:
        return None
    body = urllib.parse.urlencode({"nip": nip, "password": password, "csrf_token": match[1]})
    status, _ = http(opener, f"{base}/masuk", body.encode(), headers)
    if status not in (302, 303):
        return None
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def warm(base: str, path: str, cookie: str | None, times: int = 5) -> int:
    """A few requests before measuring (templates compiled, caches filled); last status."""
    opener = urllib.request.build_opener(NoRedirect())
    headers = {"User-Agent": "kinerja-bench", **({"Cookie": cookie} if cookie else {})}
    status = 0
    for _ in range(times):
        try:
            status, _ = http(opener, base + path, headers=headers)
        except OSError:
            status = 0
    return status


# --- wrk ----------------------------------------------------------------------------------------


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match[1]) * UNITS[match[2]] if match else float("nan")


def run_wrk(wrk: str, args, url: str, script: str, env_extra: dict) -> dict:
    """Drive ``url`` with wrk; return req/s, p50/p99 (ms), counts by status and errors."""
    cmd = [
        wrk,
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout=10s",
        "--latency",
        "-s",
        str(BENCH / script),
        url,
    ]
    out = subprocess.run(
        cmd, env={**os.environ, **env_extra}, capture_output=True, text=True, check=False
    )
    text = out.stdout
    result = {"raw": text, "statuses": {}, "errors": ""}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        result["rps"] = float(m[1])
    if m := re.search(r"^\s+50%\s+(\S+)", text, re.M):
        result["p50_ms"] = _ms(m[1])
    if m := re.search(r"^\s+99%\s+(\S+)", text, re.M):
        result["p99_ms"] = _ms(m[1])
    if m := re.search(r"(\d+) requests in", text):
        result["requests"] = int(m[1])
    if m := re.search(r"Socket errors:.*", text):
        result["errors"] = m[0].strip()
    for status, n in re.findall(r"^STATUS (\d+) (\d+)$", text, re.M):
        result["statuses"][status] = int(n)
    return result


def measure(wrk, args, name, db, base, path, *, cookie=None, expect=200) -> Result:
    res = Result(name, db, path)
    status = warm(base, path, cookie)
    if status != expect:
        res.status, res.note = "FAIL", f"HTTP {status} sebelum diukur (diharapkan {expect})"
        return res
    out = run_wrk(wrk, args, base + path, "get.lua", {"BENCH_COOKIE": cookie or ""})
    fill(res, out)
    bad = {s: n for s, n in out["statuses"].items() if int(s) != expect}
    if bad or out["errors"] or "rps" not in out:
        res.status = "FAIL"
        res.note = f"respons lain: {bad} {out['errors']}".strip()
    return res


def fill(res: Result, out: dict) -> None:
    res.rps = out.get("rps")
    res.p50_ms = out.get("p50_ms")
    res.p99_ms = out.get("p99_ms")
    res.statuses = out.get("statuses", {})


def kiosk_scenario(wrk, args, db_label, url, base, path) -> Result:
    """POST answers from 16 always-open kiosks; then check each answer was stored once."""
    res = Result("kiosk", db_label, path)
    made = prepare("kiosks", url, KIOSK_DEVICES)
    if "kiosks" not in made:
        res.note = made.get("skip") or made.get("error", "")
        res.status = "FAIL" if "error" in made else "SKIP"
        return res
    devices = made["kiosks"]
    nonce = secrets.token_hex(4)
    base_ms = int((datetime.now(UTC) - timedelta(days=13)).timestamp() * 1000)
    env = {
        "BENCH_KIOSKS": ",".join(f"{d['token']}:{d['key']}" for d in devices),
        "BENCH_NONCE": nonce,
        "BENCH_BASE_MS": str(base_ms),
        "BENCH_SPACING_MS": str(KIOSK_SPACING_MS),
        "BENCH_THREADS": str(args.wrk_threads),
    }
    out = run_wrk(wrk, args, base + path, "kiosk.lua", env)
    fill(res, out)
    stored = out["statuses"].get("201", 0)
    ids = ",".join(str(d["id"]) for d in devices)
    count = settle(url, ids)  # requests cut off by wrk's stop still finish on the server
    rows, distinct = count.get("rows", -1), count.get("distinct", -1)
    # Replaying answers already stored must change nothing (idempotent on the client id).
    replay_ok = replay(base + path, devices, count.get("sample"))
    again = prepare("kiosk-count", url, ids)
    lost = max(0, stored - rows)
    doubled = rows - distinct
    in_flight = rows - stored
    other = {s: n for s, n in out["statuses"].items() if s != "201"}
    res.note = (
        f"201={stored}, tersimpan={rows}, hilang={lost}, ganda={doubled}"
        + (f", terpotong saat berhenti={in_flight}" if in_flight > 0 else "")
        + (f", respons lain={other}" if other else "")
        + ("" if replay_ok else ", kirim ulang tidak dikenali sebagai duplikat")
        + ("" if again.get("rows") == rows else f", baris berubah setelah kirim ulang: {again}")
    )
    ok = (
        lost == 0
        and doubled == 0
        and 0 <= in_flight <= args.connections
        and not other
        and not out["errors"]
        and replay_ok
        and again.get("rows") == rows
    )
    res.status = "PASS" if ok else "FAIL"
    return res


def settle(url: str, ids: str, limit: float = 20.0) -> dict:
    """The stored answers once the count stops changing (in-flight requests done)."""
    deadline = time.monotonic() + limit
    count = prepare("kiosk-count", url, ids)
    while time.monotonic() < deadline:
        time.sleep(1)
        again = prepare("kiosk-count", url, ids)
        if again == count:
            break
        count = again
    return count


def replay(url: str, devices: list[dict], sample: dict | None) -> bool:
    """Send a stored answer again (same id and content): must be a duplicate."""
    if not sample:
        return False
    device = next(d for d in devices if d["id"] == sample["kiosk"])
    body = {"id": sample["id"], "face": sample["face"], "unsur": sample["unsur"]}
    opener = urllib.request.build_opener(NoRedirect())
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"kios_perangkat={device['token']}",
        "X-Kiosk-Key": device["key"],
    }
    try:
        status, text = http(opener, url, json.dumps(body).encode(), headers)
    except OSError as exc:
        status, text = 0, str(exc)
    if status == 200 and '"duplicate"' in text:
        return True
    log(f"kirim ulang: HTTP {status} {text.strip()[:120]}")
    return False


# --- the run ------------------------------------------------------------------------------------


def chosen(args, name: str) -> bool:
    """Whether ``--only`` (if given) selects the scenario."""
    return args.only is None or name in args.only


def run_database(wrk, args, label, url, results, hello_rps) -> dict:
    """Every scenario on one database; returns {scenario: Result}."""
    out: dict[str, Result] = {}
    snap = prepare("ensure-snapshot", url)
    if "error" in snap:
        log(snap["error"])
    targets = prepare("targets", url)
    if "error" in targets:
        raise SystemExit(targets["error"])
    with Server("wsgi:app", args.threads, portal_env(url)) as server:
        for name in filter(lambda n: chosen(args, n), PUBLIC):
            t = targets[name]
            res = (
                measure(wrk, args, name, label, server.base, t["url"])
                if "url" in t
                else Result(name, label, note=t["skip"])
            )
            out[name] = report(res, hello_rps, TARGET_PUBLIC, results)
        for name in filter(lambda n: chosen(args, n), LOGGED_IN):
            t = targets[name]
            if "url" not in t:
                out[name] = report(Result(name, label, note=t["skip"]), hello_rps, 0, results)
                continue
            cookie = login(server.base, t["login"], targets.get("password", ""))
            if cookie is None:
                res = Result(name, label, t["url"], status="FAIL", note="gagal masuk")
            else:
                res = measure(wrk, args, name, label, server.base, t["url"], cookie=cookie)
                res.note = (res.note + f" (sebagai {targets['supervisor']['name']})").strip()
            out[name] = report(res, hello_rps, TARGET_LOGGED_IN, results)
        if not chosen(args, "kiosk"):
            return out
        t = targets["kiosk_api"]
        res = (
            kiosk_scenario(wrk, args, label, url, server.base, t["url"])
            if "url" in t
            else Result("kiosk", label, note=t["skip"])
        )
        out["kiosk"] = report(res, hello_rps, TARGET_KIOSK, results)
    return out


def report(res: Result, hello_rps: float | None, target: float, results: list) -> Result:
    if res.rps is not None and hello_rps:
        res.ratio = res.rps / hello_rps
    if target:
        res.target = f"≥ {target:.2f} × hello"
        if res.status == "SKIP" and res.rps is not None:
            res.status = "PASS" if res.ratio is not None and res.ratio >= target else "FAIL"
        elif res.status == "PASS" and (res.ratio is None or res.ratio < target):
            res.status = "FAIL"
    results.append(res)
    print(line(res), flush=True)
    return res


def line(res: Result) -> str:
    def num(v, fmt):
        return format(v, fmt) if v is not None else "-"

    label = LABELS.get(res.name, res.name)
    if res.seconds is not None:
        figures = f"{res.seconds:8.2f} s"
    else:
        figures = (
            f"{num(res.rps, '9.1f')} req/s  x{num(res.ratio, '.2f'):>5}  "
            f"p50 {num(res.p50_ms, '7.2f')} ms  p99 {num(res.p99_ms, '7.2f')} ms"
        )
    db = f"[{res.db}]" if res.db else ""
    target = f"(target {res.target})" if res.target else ""
    note = f"  {res.note}" if res.note else ""
    return f"{res.status:4}  {label:28} {db:8} {figures}  {target}{note}"


def machine() -> dict:
    cpu = ""
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "load_average": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--threads", type=int, default=int(os.environ.get("THREADS", "12")))
    p.add_argument("--employees", type=int, default=5000)
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--kiosk-answers", type=int, default=1_000_000)
    p.add_argument("--requests", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-large", action="store_true", help="only the small demo database")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    p.add_argument(
        "--only",
        type=lambda v: set(v.split(",")),
        default=None,
        help="measure only these scenarios (comma list of: "
        + ",".join((*PUBLIC, *LOGGED_IN, "kiosk", "publish", "roster"))
        + "); for quick comparisons while tuning",
    )
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    wrk = ensure_wrk()
    info = machine()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    log(f"{info['cpu']} ({info['cores']} inti), Python {info['python']}, commit {info['commit']}")
    log(f"beban mesin (load average 1/5/15 menit): {info['load_average']}")
    log(f"wrk {args.wrk_threads} thread, {args.connections} koneksi, {args.duration} s/skenario;")
    log(f"waitress {args.threads} thread")
    results: list[Result] = []

    small_url, small_note = build_small()
    log(f"basis data kecil: {small_note}")
    if args.skip_large:
        large_url, large_note = None, "SKIP: --skip-large"
    else:
        large_url, large_note = build_large(args)
    log(f"basis data besar: {large_note}")

    with Server("bench.hello:app", args.threads) as hello_server:
        hello = measure(wrk, args, "hello", "", hello_server.base, "/")
    hello.status = "OK" if hello.rps else "FAIL"
    results.append(hello)
    print(line(hello), flush=True)
    hello_rps = hello.rps

    publish_res = Result("publish", "besar", target=f"< {TARGET_PUBLISH_S:.0f} s")
    if large_url and not chosen(args, "publish"):
        publish_res.note, publish_res.status = "SKIP: --only", "SKIP"
    elif large_url:
        timed = prepare("publish", large_url)
        if "seconds" in timed:
            publish_res.seconds = timed["seconds"]
            publish_res.status = "PASS" if timed["seconds"] < TARGET_PUBLISH_S else "FAIL"
            publish_res.note = f"periode {timed.get('period', '')}"
        else:
            publish_res.note = timed.get("skip") or timed.get("error", "")
            publish_res.status = "FAIL" if "error" in timed else "SKIP"
    else:
        publish_res.note = large_note
    LABELS["publish"] = "Publikasi snapshot"
    results.append(publish_res)
    print(line(publish_res), flush=True)

    small = run_database(wrk, args, "kecil", small_url, results, hello_rps)
    large = run_database(wrk, args, "besar", large_url, results, hello_rps) if large_url else {}

    for name in (*PUBLIC, *LOGGED_IN, "kiosk"):
        res = Result(f"scale:{name}", "besar/kecil", target=f"p50 ≤ {TARGET_SCALE} × kecil")
        LABELS[res.name] = f"Skala: {LABELS[name]}"
        a, b = small.get(name), large.get(name)
        if a and b and a.p50_ms and b.p50_ms and a.status != "SKIP" and b.status != "SKIP":
            res.ratio = b.p50_ms / a.p50_ms
            p99 = b.p99_ms / a.p99_ms if a.p99_ms and b.p99_ms else float("nan")
            res.status = "PASS" if res.ratio <= TARGET_SCALE else "FAIL"
            res.note = f"rasio p50 {res.ratio:.2f}, rasio p99 {p99:.2f}"
        else:
            res.note = "SKIP: " + (large_note if not large else "skenario tidak diukur")
        results.append(res)
        print(f"{res.status:4}  {LABELS[res.name]:38} {res.note}  (target {res.target})")

    roster_res = Result("roster", "kecil", target=f"< {TARGET_ROSTER_S:.0f} s")
    LABELS["roster"] = "Impor 5 000 pegawai"
    timed = prepare("roster", small_url) if chosen(args, "roster") else {"skip": "SKIP: --only"}
    if "seconds" in timed:
        roster_res.seconds = timed["seconds"]
        roster_res.status = "PASS" if timed["seconds"] < TARGET_ROSTER_S else "FAIL"
        roster_res.note = f"{timed['rows']} baris, {timed['new']} baru (xlsx, cek + impor)"
    else:
        roster_res.note = timed.get("skip") or timed.get("error", "")
        roster_res.status = "FAIL" if "error" in timed else "SKIP"
    results.append(roster_res)
    print(line(roster_res), flush=True)

    elapsed = time.perf_counter() - started
    failed = [r for r in results if r.status == "FAIL"]
    summary = (
        f"{len([r for r in results if r.status == 'PASS'])} PASS, {len(failed)} FAIL, "
        f"{len([r for r in results if r.status == 'SKIP'])} SKIP dalam {elapsed:.0f} s"
    )
    print(summary)
    write_results(stamp, info, args, results, summary, small_note, large_note)
    return 1 if failed and args.strict else 0


def write_results(stamp, info, args, results, summary, small_note, large_note) -> None:
    doc = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": info,
        "settings": {k: sorted(v) if isinstance(v, set) else v for k, v in vars(args).items()},
        "databases": {"kecil": small_note, "besar": large_note},
        "results": [asdict(r) for r in results],
        "summary": summary,
    }
    (RESULTS / f"{stamp}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"Kinerja Sibolga bench {doc['date']} — {info['cpu']} ({info['cores']} inti), "
        f"Python {info['python']}, commit {info['commit']}, load {info['load_average']}",
        f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s; waitress "
        f"{args.threads} thread; kecil: {small_note}; besar: {large_note}",
        "",
    ]
    for res in results:
        if res.name.startswith("scale:"):
            lines.append(f"{res.status:4}  {LABELS[res.name]:38} {res.note}  (target {res.target})")
        else:
            lines.append(line(res))
    lines += ["", summary]
    (RESULTS / f"{stamp}.txt").write_text("\n".join(lines) + "\n")
    log(f"hasil: bench/results/{stamp}.json dan .txt")


if __name__ == "__main__":
    raise SystemExit(main())
