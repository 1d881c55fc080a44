"""Scale data generator: a whole (fictional) city for benchmarks and load tests.

``flask --app portal gen-data --employees 5000 --months 24 --kiosk-answers 1000000
--requests 200000 --seed 1`` fills an EMPTY database, deterministically by seed, with data
that is valid by the domain's rules:

- org: a Sekda over the OPD heads, each OPD with bidang and seksi (public-service OPDs also
  with UPT); a complete supervisor chain (JPT → Administrator → Pengawas → staff); valid,
  unique NIPs (TMT at least 21 years after birth, never in the future); one account each
  (one shared hash of the demo password), an admin and an auditor;
- periods: every year the months span, annual + quarters; past quarters closed, the
  current one open, settings frozen as when a period opens;
- skp: an approved SKP per employee with a supervisor and year (one Utama RHK, two
  indicators) and a realisation per closed quarter;
- evaluation: a final (or acknowledged) evaluation per employee and closed quarter, the
  predikat taken from the kuadran (``scoring.predikat_for``); open ones for the current one;
- service: service types of the public units and their requests (received on working
  hours, completed within a few days, never in the future);
- kiosk: one kiosk per public unit and the SKM answers (day/hour in WIB, unique ids).

Each area is one function in :data:`AREAS` taking the shared :class:`GenContext`
(``scale_base.py``, with the bulk writer); the areas live in ``scale_org.py`` (org, periods)
and ``scale_activity.py`` (SKP, evaluation, service, kiosk); a new area appends its own.
Rows go in with ``executemany`` in chunks, one transaction per area; on SQLite the load runs
with ``synchronous=OFF`` and a large cache, restored afterwards.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import datetime

from kinerja.clock import today_wib
from kinerja.db import database, is_sqlite, write_tx
from kinerja.demo.scale_activity import gen_evaluation, gen_kiosk, gen_service, gen_skp
from kinerja.demo.scale_base import GEN_FLAG_KEY, GenContext, GenRefused, GenSpec
from kinerja.demo.scale_org import gen_org, gen_periods
from kinerja.models.org import Employee, Unit

AREAS: list[Callable[[GenContext], None]] = [
    gen_org,
    gen_periods,
    gen_skp,
    gen_evaluation,
    gen_service,
    gen_kiosk,
]


# --- running ------------------------------------------------------------------------------------


def _fast_load(on: bool) -> None:
    if not is_sqlite():
        return
    if on:
        database.execute_sql("PRAGMA synchronous = OFF")
        database.execute_sql("PRAGMA cache_size = -262144")
        database.execute_sql("PRAGMA temp_store = MEMORY")
    else:
        database.execute_sql("PRAGMA synchronous = NORMAL")
        database.execute_sql("PRAGMA cache_size = -32000")
        database.execute_sql("PRAGMA temp_store = DEFAULT")


def generate(spec: GenSpec, log: Callable[[str], None] = print) -> dict[str, int]:
    """Fill an empty database with the generated city; return the row counts."""
    if Employee.select().exists() or Unit.select().exists():
        raise GenRefused("Basis data tidak kosong; gen-data hanya mengisi basis data kosong.")
    if spec.employees < 20:
        raise ValueError("--employees minimal 20")
    today = spec.today or today_wib()
    ctx = GenContext(
        spec, random.Random(spec.seed), today, datetime.combine(today, datetime.min.time()), log=log
    )
    from kinerja.demo import demo_password_hash

    demo_password_hash()  # the one Argon2 hash, before any write transaction opens
    _fast_load(True)
    try:
        for area in AREAS:
            started = time.perf_counter()
            with write_tx():
                area(ctx)
            log(f"{area.__name__}: {time.perf_counter() - started:.1f} s")
        with write_tx():
            from kinerja.models.system import Setting
            from kinerja.services import audit

            Setting.create(key=GEN_FLAG_KEY, value=json.dumps({"seed": spec.seed, **ctx.counts}))
            audit.record(
                "data.generated", actor_label="gen-data", object_type="database", after=ctx.counts
            )
    finally:
        _fast_load(False)
    database.execute_sql("ANALYZE")  # fresh planner statistics for the new volumes
    return ctx.counts
