"""Bench helpers that work on one database, run in a subprocess by bench/run.py.

``python -m bench.prepare COMMAND DATABASE_URL [ARG]`` prints one JSON document:

- ``targets``: for each scenario the URL to load and who to log in as (or why it is skipped);
- ``kiosks N``: registers and pairs N always-open kiosks, returns their tokens and keys;
- ``kiosk-count IDS``: answers stored for those kiosks (total and distinct client ids);
- ``publish``: times publishing the public snapshot of the latest period;
- ``ensure-snapshot``: publishes only when no snapshot exists yet;
- ``roster``: times a dry run and the import of a 5 000-row roster (xlsx) into the database.

A scenario whose page or data does not exist yet is reported as skipped with a reason
("belum ada"), so the bench runs end to end while features are still landing.
"""

import io
import json
import sys
import time
from datetime import date, timedelta

BENCH_SECRET = "bench-rahasia-bukan-produksi"
TEAM_SIZE = 8  # supervisors are compared at about this many direct subordinates


def _app(url: str):
    from portal import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": BENCH_SECRET, "DEMO_BANNER": "0"})
    from kinerja.db import database

    database.connect(reuse_if_open=True)
    return app


def _skip(reason: str) -> dict:
    return {"skip": reason}


# --- people -----------------------------------------------------------------------------------


def _supervisor():
    """A supervisor with an active account and about TEAM_SIZE direct subordinates.

    On the demo database the named Kepala Seksi; elsewhere the supervisor whose team size is
    closest to TEAM_SIZE (ties: lowest id), so small and large databases show comparable
    pages.
    """
    from peewee import JOIN, fn

    from kinerja.models.account import Account
    from kinerja.models.org import Employee

    try:
        from kinerja.demo import demo_person, is_demo_database

        if is_demo_database():
            return demo_person("kasi_identitas")
    except (ImportError, LookupError):
        pass
    sub = Employee.alias()
    rows = (
        Employee.select(Employee.id, fn.COUNT(sub.id).alias("n"))
        .join(sub, JOIN.INNER, on=(sub.supervisor == Employee.id))
        .switch(Employee)
        .join(Account, on=(Account.employee == Employee.id))
        .where(Employee.active & sub.active & Account.active & ~Account.must_change_password)
        .group_by(Employee.id)
        .tuples()
    )
    best = min(rows, key=lambda r: (abs(r[1] - TEAM_SIZE), r[0]), default=None)
    return Employee.get_by_id(best[0]) if best else None


def _evaluation_to_rate(supervisor):
    """An evaluation of one of ``supervisor``'s direct subordinates, latest period first."""
    try:
        from kinerja.models.evaluation import Evaluation
        from kinerja.models.org import Employee
        from kinerja.models.period import Period
    except ImportError:
        return None
    return (
        Evaluation.select(Evaluation.id)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .switch(Evaluation)
        .join(Period)
        .where(Employee.supervisor == supervisor.id)
        .order_by(Period.end.desc(), Evaluation.id)
        .first()
    )


# --- public pages -----------------------------------------------------------------------------


def _public_unit_code():
    """A public-service unit with figures in the latest snapshot (most SKM answers)."""
    from kinerja.models.org import Unit

    try:
        from kinerja.models.public import PublicSnapshot, PublicUnitFigure

        snap = PublicSnapshot.select().order_by(PublicSnapshot.built_at.desc()).first()
        if snap is not None:
            figure = (
                PublicUnitFigure.select(PublicUnitFigure.code)
                .where((PublicUnitFigure.snapshot == snap) & PublicUnitFigure.serves_public)
                .order_by(PublicUnitFigure.ikm_n.desc(nulls="LAST"), PublicUnitFigure.code)
                .first()
            )
            if figure is not None:
                return figure.code
    except ImportError:
        pass
    unit = Unit.select(Unit.code).where(Unit.serves_public).order_by(Unit.code).first()
    return unit.code if unit else None


def targets(url: str) -> dict:
    """Every scenario's URL and login (NIP), or a skip reason."""
    from flask import url_for

    app = _app(url)
    out: dict = {}
    with app.test_request_context():
        views = app.view_functions
        out["public_overview"] = (
            {"url": url_for("public.overview")}
            if "public.overview" in views
            else _skip("SKIP (belum ada): halaman publik kota")
        )
        code = _public_unit_code() if "public.unit" in views else None
        if "public.unit" not in views:
            out["public_unit"] = out["public_unit_json"] = _skip("SKIP (belum ada): unit publik")
        elif code is None:
            out["public_unit"] = out["public_unit_json"] = _skip("SKIP: tidak ada unit publik")
        else:
            out["public_unit"] = {"url": url_for("public.unit", code=code)}
            out["public_unit_json"] = {"url": url_for("public.unit", code=code, fmt="json")}
        boss = _supervisor()
        login = boss.nip if boss else None
        if boss is None:
            for key in ("home", "team", "rating"):
                out[key] = _skip("SKIP: tidak ada atasan dengan akun")
            return out
        out["supervisor"] = {"nip": boss.nip, "name": boss.name}
        out["home"] = {"url": url_for("staff.home"), "login": login}
        out["team"] = (
            {"url": url_for("supervisor.team"), "login": login}
            if "supervisor.team" in app.view_functions
            else _skip("SKIP (belum ada): ringkasan tim atasan")
        )
        if "supervisor.evaluation_rate" not in app.view_functions:
            out["rating"] = _skip("SKIP (belum ada): halaman rating")
        else:
            ev = _evaluation_to_rate(boss)
            out["rating"] = (
                {"url": url_for("supervisor.evaluation_rate", evaluation_id=ev.id), "login": login}
                if ev
                else _skip("SKIP: belum ada evaluasi bawahan untuk dinilai")
            )
        out["kiosk_api"] = (
            {"url": url_for("kiosk.api_answer")}
            if "kiosk.api_answer" in app.view_functions
            else _skip("SKIP (belum ada): API jawaban kios")
        )
    try:
        from kinerja.demo import DEMO_PASSWORD

        out["password"] = DEMO_PASSWORD
    except ImportError:  # pragma: no cover
        out["password"] = ""
    return out


# --- kiosks -------------------------------------------------------------------------------------


def kiosks(url: str, count: int) -> dict:
    """Register and pair ``count`` kiosks of one public-service unit, open around the clock."""
    from kinerja.enums import Role
    from kinerja.models.account import Account, AccountRole
    from kinerja.models.kiosk import Kiosk
    from kinerja.models.org import Unit
    from kinerja.permissions import Actor
    from kinerja.services import kiosk as ks

    _app(url)
    admin = (
        Account.select()
        .join(AccountRole)
        .where((AccountRole.role == Role.ADMIN.value) & Account.active)
        .first()
    )
    if admin is None:
        return _skip("SKIP: tidak ada akun admin untuk memasang kios")
    actor = Actor(admin)
    unit = Unit.select().where(Unit.serves_public & Unit.active).order_by(Unit.code).first()
    if unit is None:
        return _skip("SKIP: tidak ada unit layanan publik")
    hours = json.dumps({str(d): ["00:00", "24:00"] for d in range(7)})
    devices = []
    for n in range(count):
        kiosk, code = ks.register_kiosk(actor, unit.id, f"Kios Bench {n + 1}", f"Loket B{n + 1}")
        Kiosk.update(opening_hours=hours).where(Kiosk.id == kiosk.id).execute()
        kiosk, token = ks.pair_device(code, client=f"bench-{n}")
        devices.append({"id": kiosk.id, "token": token, "key": ks.api_key_for(token)})
    return {"kiosks": devices}


def kiosk_count(url: str, ids: str) -> dict:
    """Stored answers of the given kiosks: total rows and distinct client ids."""
    from peewee import fn

    from kinerja.models.kiosk import KioskResponse

    _app(url)
    wanted = [int(i) for i in ids.split(",") if i]
    query = KioskResponse.select().where(KioskResponse.kiosk.in_(wanted))
    rows = query.count()
    distinct = (
        KioskResponse.select(fn.COUNT(KioskResponse.client_id.distinct()))
        .where(KioskResponse.kiosk.in_(wanted))
        .scalar()
    )
    sample = query.order_by(KioskResponse.id).first()
    return {
        "rows": rows,
        "distinct": distinct,
        "sample": sample
        and {
            "id": sample.client_id,
            "kiosk": sample.kiosk_id,
            "face": sample.face,
            "unsur": {f"U{i}": getattr(sample, f"u{i}") for i in range(1, 10)},
        },
    }


# --- timed jobs ---------------------------------------------------------------------------------


def publish(url: str) -> dict:
    """Time publishing the snapshot of the latest period."""
    try:
        from kinerja.services import publish as pub
    except ImportError:
        return _skip("SKIP (belum ada): publikasi snapshot")
    _app(url)
    period = pub.latest_period()
    if period is None:
        return _skip("SKIP: belum ada periode untuk dipublikasikan")
    started = time.perf_counter()
    pub.publish(period, actor_label="bench")
    return {"seconds": time.perf_counter() - started, "period": period.name}


def ensure_snapshot(url: str) -> dict:
    """Publish when no snapshot exists yet (the public pages need one)."""
    try:
        from kinerja.models.public import PublicSnapshot
    except ImportError:
        return _skip("SKIP (belum ada): snapshot publik")
    _app(url)
    if PublicSnapshot.select().exists():
        return {"published": False}
    result = publish(url)
    return {"published": "seconds" in result, **result}


def roster_rows(count: int = 5000) -> list[list]:
    """A valid ``count``-row roster: one new OPD head per 50 rows, the rest under them."""
    from kinerja.models.org import Unit
    from kinerja.nip import make_nip

    units = [u.code for u in Unit.select().where(Unit.active).order_by(Unit.code)]
    rows, head = [], ""
    for n in range(count):
        birth = date(1970, 1, 1) + timedelta(days=n * 3 % 9000)
        nip = make_nip(birth, birth.year + 20 + n % 5, 1 + n % 12, "LP"[n % 2], 1 + n // 7 % 999)
        code = units[(n // 50) % len(units)]
        if n % 50 == 0:
            head = nip
            rows.append(
                [nip, f"Pimpinan Bench {n}", "", "", "Kepala", "PENGAWAS", "III/d", "PNS", code]
                + ["", "ya"]
            )
            continue
        rows.append(
            [nip, f"Pegawai Bench {n}", "", "", "Pelaksana", "PELAKSANA", "II/c", "PNS", code]
            + [head, "ya"]
        )
    return rows


def roster(url: str, count: int = 5000) -> dict:
    """Time parsing, checking and importing a ``count``-row xlsx roster."""
    try:
        from kinerja import roster_import
    except ImportError:
        return _skip("SKIP (belum ada): impor daftar pegawai")
    from openpyxl import Workbook

    _app(url)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(roster_import.TEMPLATE_HEADER))
    for row in roster_rows(count):
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()
    started = time.perf_counter()
    rows = roster_import.parse(content, "bench.xlsx")
    try:
        report = roster_import.apply(rows, filename="bench.xlsx")
    except roster_import.RosterInvalid as exc:
        return {"error": f"daftar bench ditolak: {'; '.join(exc.report.errors[:3])}"}
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": len(rows), "new": len(report.new)}


COMMANDS = {
    "targets": targets,
    "kiosks": lambda url, n: kiosks(url, int(n)),
    "kiosk-count": kiosk_count,
    "publish": publish,
    "ensure-snapshot": ensure_snapshot,
    "roster": roster,
}


def main(argv: list[str]) -> None:
    command, url, *rest = argv
    result = COMMANDS[command](url, *rest)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
