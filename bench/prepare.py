"""Bench helpers that work on one database, run in a subprocess by bench/run.py.

``python -m bench.prepare COMMAND DATABASE_URL [ARG]`` prints one JSON document:

- ``world``: what the load needs: public URLs, staff (with an SKP whose realisation can be
  saved now) and supervisors (with a rating page), the demo password, the kiosk API URL;
- ``kiosks N``: registers and pairs N always-open kiosks, returns their tokens and keys;
- ``kiosk-count IDS``: answers stored for those kiosks (total and distinct client ids);
- ``has-snapshot``: whether a public snapshot exists (else bench/run.py runs ``publish``);
- ``roster-file PATH OFFSET COUNT``: writes an xlsx roster of COUNT new people.

It only reads and prepares; the load itself goes over HTTP (bench/run.py).
"""

import json
import sys
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


def _public_unit_codes(limit: int) -> list[str]:
    """Up to ``limit`` public-service units with figures in the latest snapshot."""
    from kinerja.models.org import Unit

    try:
        from kinerja.models.public import PublicSnapshot, PublicUnitFigure

        snap = PublicSnapshot.select().order_by(PublicSnapshot.built_at.desc()).first()
        if snap is not None:
            rows = (
                PublicUnitFigure.select(PublicUnitFigure.code)
                .where((PublicUnitFigure.snapshot == snap) & PublicUnitFigure.serves_public)
                .order_by(PublicUnitFigure.ikm_n.desc(nulls="LAST"), PublicUnitFigure.code)
                .limit(limit)
            )
            codes = [r.code for r in rows]
            if codes:
                return codes
    except ImportError:
        pass
    return [u.code for u in Unit.select(Unit.code).where(Unit.serves_public).limit(limit)]


def _staff_with_open_realisation(limit: int) -> list[dict]:
    """Staff who can save a realisation now: approved SKP, open period, a plain indicator."""
    from kinerja.models.account import Account
    from kinerja.models.org import Employee
    from kinerja.models.period import Period
    from kinerja.models.skp import Indicator, Rhk, Skp

    out, seen = [], set()
    periods = Period.select().where((Period.status == "DIBUKA") & (Period.kind != "TAHUNAN"))
    for period in periods.order_by(Period.end.desc()):
        rows = (
            Indicator.select(Indicator.id, Skp.id, Employee.nip)
            .join(Rhk)
            .join(Skp)
            .join(Employee)
            .join(Account, on=(Account.employee == Employee.id))
            .where(
                (Skp.year == period.year)
                & (Skp.status == "DISETUJUI")
                & Skp.approved_at.is_null(False)
                & Indicator.linked_service_type_id.is_null()
                & Employee.active
                & Account.active
                & ~Account.must_change_password
            )
            .order_by(Employee.id, Indicator.id)
            .tuples()
        )
        for indicator_id, skp_id, nip in rows:
            if nip in seen:
                continue
            seen.add(nip)
            out.append({"nip": nip, "skp": skp_id, "period": period.id, "indicator": indicator_id})
            if len(out) >= limit:
                return out
    return out


def _supervisors(limit: int) -> list[dict]:
    """Supervisors with an account and direct subordinates, each with a rating page."""
    from peewee import JOIN, fn

    from kinerja.models.account import Account
    from kinerja.models.org import Employee

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
    ranked = sorted(rows, key=lambda r: (abs(r[1] - TEAM_SIZE), r[0]))
    out = []
    for employee_id, _ in ranked:
        boss = Employee.get_by_id(employee_id)
        ev = _evaluation_to_rate(boss)
        if ev is not None:
            out.append({"nip": boss.nip, "evaluation": ev.id})
        if len(out) >= limit:
            break
    return out


def world(url: str, staff: int = 24, supervisors: int = 8) -> dict:
    """What the load needs: public URLs, staff and supervisor logins with their pages."""
    from flask import url_for

    from kinerja.demo import DEMO_PASSWORD

    app = _app(url)
    with app.test_request_context():
        public = [url_for("public.overview"), url_for("public.overview", halaman=2)]
        public_json = [url_for("public.overview", fmt="json")]
        for code in _public_unit_codes(8):
            public.append(url_for("public.unit", code=code))
            public_json.append(url_for("public.unit", code=code, fmt="json"))
        people = []
        for s in _staff_with_open_realisation(int(staff)):
            people.append(
                {
                    "nip": s["nip"],
                    "kind": "staff",
                    "home": url_for("staff.home"),
                    "skp": url_for("staff.skp_detail", skp_id=s["skp"]),
                    "realisation": url_for(
                        "staff.realisation", skp_id=s["skp"], period_id=s["period"]
                    ),
                    "save": url_for(
                        "staff.realisation_save",
                        skp_id=s["skp"],
                        period_id=s["period"],
                        indicator_id=s["indicator"],
                    ),
                    "field": f"x{s['indicator']}-",
                }
            )
        for b in _supervisors(int(supervisors)):
            people.append(
                {
                    "nip": b["nip"],
                    "kind": "supervisor",
                    "home": url_for("staff.home"),
                    "team": url_for("supervisor.team"),
                    "rating": url_for("supervisor.evaluation_rate", evaluation_id=b["evaluation"]),
                }
            )
        kiosk_api = url_for("kiosk.api_answer")
    return {
        "public_html": public,
        "public_json": public_json,
        "people": people,
        "password": DEMO_PASSWORD,
        "kiosk_api": kiosk_api,
    }


# --- kiosks -------------------------------------------------------------------------------------


def kiosks(url: str, count: int) -> dict:
    """Register and pair ``count`` kiosks of one public-service unit, open around the clock."""
    from kinerja.clock import utcnow
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
        # Paired before the oldest answer the load sends (answered_at from 13 days ago):
        # answers older than the pairing are refused (issue 19).
        paired = utcnow() - timedelta(days=14)
        kiosk, token = ks.pair_device(code, client=f"bench-{n}", now=paired)
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


def has_snapshot(url: str) -> dict:
    """Whether a public snapshot exists (the public pages need one)."""
    from kinerja.models.public import PublicSnapshot

    _app(url)
    return {"snapshot": PublicSnapshot.select().exists()}


def roster_rows(count: int, offset: int = 0) -> list[list]:
    """A valid ``count``-row roster (rows ``offset`` on): one new OPD head per 50 rows.

    Different offsets give different people, so each step of the bench imports new rows.
    """
    from kinerja.models.org import Unit
    from kinerja.nip import make_nip

    units = [u.code for u in Unit.select().where(Unit.active).order_by(Unit.code)]
    rows, head = [], ""
    for n in range(offset, offset + count):
        birth = date(1960, 1, 1) + timedelta(days=n % 9000)
        nip = make_nip(birth, 2010 + n // 9000 % 15, 1 + n % 12, "LP"[n % 2], 900 + n % 97)
        code = units[(n // 50) % len(units)]
        if n % 50 == 0:
            head = nip
            rows.append(
                [nip, f"Pimpinan Bench {n}", "", "", "Kepala", "PENGAWAS", "", "III/d", "PNS", code]
                + ["", "ya"]
            )
            continue
        rows.append(
            [nip, f"Pegawai Bench {n}", "", "", "Pelaksana", "PELAKSANA", "", "II/c", "PNS", code]
            + [head, "ya"]
        )
    return rows


def roster_file(url: str, path: str, offset: str = "0", count: str = "3000") -> dict:
    """Write an xlsx roster of ``count`` new people to ``path`` (for ``flask import-roster``)."""
    from openpyxl import Workbook

    from kinerja.imports import roster_parse

    _app(url)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(roster_parse.TEMPLATE_HEADER))
    for row in roster_rows(int(count), int(offset)):
        ws.append(row)
    wb.save(path)
    return {"path": path, "rows": int(count)}


COMMANDS = {
    "world": world,
    "kiosks": lambda url, n: kiosks(url, int(n)),
    "kiosk-count": kiosk_count,
    "has-snapshot": has_snapshot,
    "roster-file": roster_file,
}


def main(argv: list[str]) -> None:
    command, url, *rest = argv
    result = COMMANDS[command](url, *rest)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
