"""The public figures of a period, computed from the raw data (docs/spec/product.md §6).

Read only: :func:`compute_figures` returns the rows that
:func:`kinerja.services.publish.publish` writes as the period's snapshot. Formulas come from
:mod:`kinerja.scoring` (one home each), disclosure control from :mod:`kinerja.anonymise`;
this module decides which data each figure covers and which units share a figure (the
process figures per OPD: :mod:`kinerja.services.publish_process`).

Which data a figure covers:
- IKM, NRR per unsur, quick index and the monthly trend: kiosk answers (KioskResponse) by
  their WIB day; n = respondents who answered at least one unsur (quick index: every
  answer with a face). The trend covers the 12 calendar months up to the period end.
- Service users N for the Krejcie–Morgan sample size: the number of service requests
  (ServiceRequest) *received* in the period, because every request is one use of the
  service; the sample is sufficient when the IKM n reaches S(N).
- Where data meets (issue 18): kiosk answers belong to the kiosk's unit; a request to the
  unit of its serving officer (handler, else the officer who registered it) when that unit
  lies under the unit that recorded it, else to the recording unit (``serving_unit``). A
  published unit's IKM, n, N, S, verdict, quick index, timeliness, trend and jenis layanan
  cover the unit and its whole subtree (``nested_groups``); the predikat keeps disjoint groups.
- Service standards: requests received in the period; rates over the completed ones
  (kinerja.scoring.service_figures with the city's working-day calendar).
- Predikat distribution: final evaluations (FINAL, DITERIMA, KEBERATAN, DIPUTUS) of the
  last *closed* period that ends no later than this period; counted by the evaluation's unit.
- Process figures per OPD: active employees with an SKP of the year approved by the year's
  SKP deadline; evaluations of this period finalised; objections filed and decided.

Disclosure control, in this order, before any row is written:
1. roll-up: per figure kind, a unit is published when its subtree reaches ``public_min_n``
   and its parent is published; a parent's figure minus its published children's covers 0
   or ≥ ``public_min_n`` in every count, else the smallest child joins the parent
   (``nested_groups``); the same check hides a parent's month or jenis layanan
   (``anonymise.blocked_parts``).
   Predikat: disjoint groups (``rollup_units``), every unit in exactly one figure;
2. each aggregate (a group, a month, a jenis layanan, an OPD) is shown only at
   n ≥ ``public_min_n`` (``publish_aggregate``), otherwise "data ditahan (n < 10)", and
   "belum ada data" when there is nothing at all;
3. complementary suppression of parts of a shown total (months inside the period, jenis
   layanan of a unit; ``anonymise.complementary_parts``): while the hidden parts together
   cover 1..9 responses (and so could be recomputed as total minus shown parts), the
   smallest shown part is hidden too;
4. predikat distributions through ``suppress_distribution`` (counts 1–4 hidden, plus
   complementary cells); objection counts 1–4 hidden.
Aggregation runs in SQL (GROUP BY unit and day) so a million kiosk answers take seconds.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from peewee import fn

from kinerja.anonymise import (
    PublishStatus,
    Thresholds,
    blocked_parts,
    complementary_parts,
    publish_aggregate,
    published_below,
    reveals_few,
    safe_rate,
    suppress_distribution,
)
from kinerja.clock import utcnow
from kinerja.enums import Predikat, Unsur
from kinerja.formatting import round_half_up
from kinerja.models.evaluation import Evaluation
from kinerja.models.period import Period
from kinerja.models.public import NRR_PLACES, CityScope, FigureStatus
from kinerja.models.service import ServiceType
from kinerja.queries.service_figures import calendar as work_calendar
from kinerja.scoring import krejcie_morgan, quick_index_from_sum, service_figures, shown_ikm
from kinerja.services.publish_process import process_rows
from kinerja.services.publish_sources import (
    FINAL_STATUSES,
    PREDIKAT_COLUMNS,
    AnswerSums,
    FigureGroups,
    UnitTree,
    disjoint_groups,
    kiosk_by_unit_month,
    last_closed_period,
    load_tree,
    month_start,
    nested_groups,
    requests_by_unit,
    standard_label,
    trend_months,
)

# --- publishing ----------------------------------------------------------------------------


# --- the computation, one function per figure group -----------------------------------------


@dataclass
class _Kiosk:
    """SKM answers of the period per unit, of the trend months per (unit, month), grouped."""

    months: list[date]
    period_answers: dict[int, AnswerSums]
    month_answers: dict[tuple[int, date], AnswerSums]
    groups: FigureGroups

    @property
    def n(self) -> dict[int, int]:
        return {uid: a.n for uid, a in self.period_answers.items()}


@dataclass
class _Service:
    """Requests received in the period per serving unit, grouped by completed ones."""

    requests: dict[int, list]
    types: dict[int, ServiceType]
    received_n: dict[int, int]
    completed_n: dict[int, int]
    groups: FigureGroups


@dataclass
class _Predikat:
    """Final predikat counts of the last closed period per unit, in disjoint groups."""

    closed: Period | None
    counts: dict[int, dict[Predikat, int]]
    n: dict[int, int]
    groups: FigureGroups


@dataclass
class Figures:
    """A period's computed public figures, ready to be written as one snapshot."""

    period: Period
    thresholds: Thresholds
    built_at: datetime
    closed: Period | None
    rows: dict[int, dict]
    trend_rows: list[dict]
    service_rows: list[dict]
    process_rows: list[dict]
    city: dict


def compute_figures(period: Period, thresholds: Thresholds) -> Figures:
    """Every public figure of the period, through disclosure control (no write)."""
    min_n = thresholds.public_min_n
    built_at = utcnow()
    tree = load_tree()
    kiosk = _kiosk(period, tree, min_n)
    service = _service(period, tree, min_n)
    predikat = _predikat(period, tree, min_n)
    shown = _units_shown(tree, kiosk, service, predikat)
    rows = _unit_rows(tree, shown, kiosk, service, predikat, thresholds)
    trend_rows, service_rows = _part_rows(period, tree, rows, kiosk, service, thresholds)
    process = process_rows(period, tree, thresholds)
    city = _city(rows, tree, kiosk.groups, kiosk.period_answers, min_n)
    return Figures(
        period=period,
        thresholds=thresholds,
        built_at=built_at,
        closed=predikat.closed,
        rows=rows,
        trend_rows=trend_rows,
        service_rows=service_rows,
        process_rows=process,
        city=city,
    )


def _kiosk(period: Period, tree: UnitTree, min_n: int) -> _Kiosk:
    """IKM, quick index and trend data: answers summed per unit for the period and months."""
    months = trend_months(period.end)
    sums = kiosk_by_unit_month(min(months[0], period.start), period.start, period.end)
    period_answers: dict[int, AnswerSums] = defaultdict(AnswerSums)
    month_answers: dict[tuple[int, date], AnswerSums] = defaultdict(AnswerSums)
    for (unit_id, month, in_period), answers in sums.items():
        if in_period:
            period_answers[unit_id].add(answers)
        if month >= months[0]:
            month_answers[(unit_id, month)].add(answers)
    own = {uid: (*a.measures(), a.face_n) for uid, a in period_answers.items()}
    return _Kiosk(months, period_answers, month_answers, nested_groups(tree, own, min_n))


def _service(period: Period, tree: UnitTree, min_n: int) -> _Service:
    """Service-standard data: requests per serving unit, nested groups by completed ones."""
    requests, types = requests_by_unit(period, tree)
    received_n = {uid: len(recs) for uid, recs in requests.items()}
    completed_n = {
        uid: sum(1 for _, r in recs if r.completed is not None) for uid, recs in requests.items()
    }
    groups = nested_groups(tree, {uid: (n,) for uid, n in completed_n.items()}, min_n)
    return _Service(requests, types, received_n, completed_n, groups)


def _predikat(period: Period, tree: UnitTree, min_n: int) -> _Predikat:
    """Predikat distribution of the last closed period, counted by the evaluation's unit."""
    closed = last_closed_period(period)
    counts: dict[int, dict[Predikat, int]] = defaultdict(dict)
    if closed is not None:
        ev = Evaluation
        query = (
            ev.select(ev.unit, ev.predikat, fn.COUNT(ev.id))
            .where(
                (ev.period == closed)
                & ev.predikat.is_null(False)
                & ev.status.in_([str(s) for s in FINAL_STATUSES])
            )
            .group_by(ev.unit, ev.predikat)
            .tuples()
        )
        for unit_id, predikat, count in query:
            counts[unit_id][Predikat(predikat)] = int(count)
    n = {uid: sum(c.values()) for uid, c in counts.items()}
    return _Predikat(closed, counts, n, disjoint_groups(tree, n, min_n))


def _units_shown(tree: UnitTree, kiosk: _Kiosk, service: _Service, predikat: _Predikat) -> set[int]:
    """Which units get a row: public-service units, and heads of groups covering them."""
    shown = {uid for uid, u in tree.units.items() if u.serves_public}
    for groups in (kiosk.groups, service.groups, predikat.groups):
        for head, members in groups.covers.items():
            if head in shown or members & shown:
                shown.add(head)
    # A top unit that stays withheld still shows the quick index and N of what rolled
    # into it (each at n ≥ public_min_n), so it gets a row when a shown unit is inside.
    for head in kiosk.groups.withheld - shown:
        if tree.units[head].parent_id in tree.units:
            continue
        members = kiosk.groups.members(head, tree)
        has_data = any(
            (u in kiosk.period_answers and kiosk.period_answers[u].face_n)
            or service.received_n.get(u, 0)
            for u in members
        )
        if members & shown and has_data:
            shown.add(head)
    return shown


def _unit_rows(tree, shown, kiosk, service, predikat, thresholds) -> dict[int, dict]:
    """One row per shown unit, in tree order: who it is, then its three figure groups."""
    min_n = thresholds.public_min_n
    rows: dict[int, dict] = {}
    for position, unit_id in enumerate(uid for uid in tree.order if uid in shown):
        unit = tree.units[unit_id]
        opd = tree.units[tree.opd[unit_id]]
        parent = tree.units.get(unit.parent_id)
        row = {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent_code": parent.code if parent else "",
            "opd_code": opd.code,
            "opd_name": opd.name,
            "serves_public": bool(unit.serves_public),
            "position": position,
        }
        row.update(
            _ikm_fields(
                unit_id,
                tree,
                kiosk.groups,
                kiosk.n,
                kiosk.period_answers,
                service.received_n,
                min_n,
            )
        )
        row.update(
            _service_fields(
                unit_id,
                tree,
                service.groups,
                service.completed_n,
                service.requests,
                min_n,
                thresholds.small_count_max,
            )
        )
        row.update(
            _predikat_fields(
                unit_id, tree, predikat.groups, predikat.n, predikat.counts, thresholds
            )
        )
        rows[unit_id] = row
    return rows


def _part_rows(period, tree, rows, kiosk, service, thresholds) -> tuple[list[dict], list[dict]]:
    """Trend months and jenis layanan rows, in tree order.

    Computed children first: a unit's part (a month, a jenis layanan) is hidden when it
    minus the same parts published directly below it covers 1..min_n-1 (nested figures,
    see nested_groups).
    """
    min_n = thresholds.public_min_n
    trend_below: dict[int, dict] = {}
    type_below: dict[int, dict] = {}
    trend_shown: dict[int, dict] = {}
    type_shown: dict[int, dict] = {}
    trend_out: dict[int, list[dict]] = {}
    type_out: dict[int, list[dict]] = {}
    for unit_id in reversed(tree.order):
        kids = tree.children.get(unit_id, [])
        trend_below[unit_id] = published_below(kids, trend_shown, trend_below)
        type_below[unit_id] = published_below(kids, type_shown, type_below)
        if unit_id not in rows:
            continue
        code = tree.units[unit_id].code
        if rows[unit_id]["ikm_status"] == FigureStatus.OK:
            trend_out[unit_id], trend_shown[unit_id] = _trend(
                code,
                kiosk.groups.covers[unit_id],
                kiosk.months,
                period,
                kiosk.month_answers,
                min_n,
                trend_below[unit_id],
            )
        if unit_id in service.groups.covers:
            type_out[unit_id], type_shown[unit_id] = _service_types(
                code,
                service.groups.covers[unit_id],
                service.requests,
                service.types,
                min_n,
                type_below[unit_id],
                thresholds.small_count_max,
            )
    trend_rows = [row for uid in tree.order for row in trend_out.get(uid, [])]
    service_rows = [row for uid in tree.order for row in type_out.get(uid, [])]
    return trend_rows, service_rows


def _names(tree: UnitTree, ids: Iterable[int]) -> str:
    return json.dumps(sorted(tree.units[u].name for u in ids), ensure_ascii=False)


def _group_code(tree: UnitTree, groups: FigureGroups, unit_id: int, status: FigureStatus) -> str:
    if status in (FigureStatus.OK, FigureStatus.ROLLED):
        return tree.units[groups.head_of[unit_id]].code
    return ""


def _ikm_fields(unit_id, tree, groups, own_n, answers_by_unit, received_n, min_n) -> dict:
    """IKM, NRR, N (service users) and quick index of a unit's row.

    Quick index and N follow the IKM grouping but have their own n: on the row of a
    group's head, and of a top unit whose IKM stays withheld, each is shown at n ≥ min_n,
    else withheld or "belum ada data"; on a unit whose data sits in another unit's figure
    they read ROLLED when the unit has such data (never "belum ada data" when it has).
    """
    status = groups.status(unit_id, own_n, tree)
    out = {
        "ikm_status": status,
        "ikm_group": _group_code(tree, groups, unit_id, status),
        "ikm_covers": "[]",
        "population_status": FigureStatus.NO_DATA,
        "quick_status": FigureStatus.NO_DATA,
    }
    head = groups.head(unit_id, tree)
    if head != unit_id:
        part = groups.part(unit_id, tree)
        faces = any(answers_by_unit[u].face_n for u in part if u in answers_by_unit)
        used = any(received_n.get(u, 0) for u in part)
        if faces:
            out["quick_status"] = FigureStatus.ROLLED
        if used:
            out["population_status"] = FigureStatus.ROLLED
        if faces or used:
            out["ikm_group"] = tree.units[head].code
        return out
    members = groups.members(unit_id, tree)
    answers = AnswerSums.total(answers_by_unit[u] for u in members if u in answers_by_unit)
    out["ikm_covers"] = _names(tree, members)
    out["_basis_ikm"] = list(answers.measures())
    out["_basis_quick"] = [answers.face_n]
    if status == FigureStatus.OK:
        shown = answers.ikm_shown(min_n)
        out["ikm_status"] = FigureStatus(shown.value)
        if shown is PublishStatus.OK:
            out.update(ikm_n=answers.n, **answers.published_ikm())
        elif answers.n >= min_n:
            out["ikm_n"] = answers.n  # n reached min_n: some unsur has fewer answers
        if "ikm_n" in out:  # respondents per channel, only beside a shown n
            out.update(kiosk_n=answers.kiosk_n, phone_n=answers.phone_n)
        for unsur, value, count in zip(Unsur, answers.nrr(), answers.counts, strict=True):
            if count >= min_n:
                out[f"nrr_{unsur.value.lower()}"] = round_half_up(value, NRR_PLACES)
    population = sum(received_n.get(u, 0) for u in members)
    pop = publish_aggregate(population, population, _thresholds(min_n))
    out["population_status"] = FigureStatus(pop.status.value)
    if pop.status is PublishStatus.OK:
        out["population"] = population
        sample = krejcie_morgan(population)
        out["sample_size"] = sample
        if out.get("ikm_n") is not None:
            out["sample_reached"] = answers.n >= sample
    quick = publish_aggregate(answers.face_n, answers.face_sum, _thresholds(min_n))
    out["quick_status"] = FigureStatus(quick.status.value)
    if quick.status is PublishStatus.OK:
        out["quick_n"] = answers.face_n
        out["quick_index"] = quick_index_from_sum(answers.face_sum, answers.face_n)
    return out


def _city(
    rows: dict[int, dict], tree: UnitTree, groups: FigureGroups, answers_by_unit, min_n
) -> dict:
    """The city IKM of the period (issue 22) with its scope, as snapshot columns.

    Over every answer of the period (kiosk and phone), with the unit figures' IKM rule
    (``AnswerSums.published_ikm``). Disclosure control as for a parent and its children: the
    city minus the units whose IKM is shown leaves the answers of the units not shown; when
    that remainder covers 1..min_n-1 in any count (respondents or one unsur's answers) the
    city is computed over the shown units only (``CityScope.SHOWN``), so no subtraction
    isolates a few answers. Its key ``_basis`` feeds the re-publication check.
    """
    shown = [uid for uid, row in rows.items() if row["ikm_status"] == FigureStatus.OK]
    covered = set().union(*(groups.covers[uid] for uid in shown)) if shown else set()
    tops = [uid for uid in shown if tree.units[uid].parent_id not in covered]
    everything = AnswerSums.total(answers_by_unit.values())
    inside = AnswerSums.total(a for uid, a in answers_by_unit.items() if uid in covered)
    rest = [a - b for a, b in zip(everything.measures(), inside.measures(), strict=True)]
    scope = CityScope.SHOWN if reveals_few(rest, min_n) else CityScope.ALL
    answers = inside if scope is CityScope.SHOWN else everything
    status = answers.ikm_shown(min_n)
    if status is PublishStatus.NO_DATA and everything.n:
        status = PublishStatus.WITHHELD  # answers exist, but none of a shown unit
    out = {
        "city_ikm_status": FigureStatus(status.value),
        "city_scope": scope,
        "city_units": len(tops),
        "_basis": list(answers.measures()),
    }
    if status is PublishStatus.OK:
        published = answers.published_ikm()
        out.update(
            city_ikm_n=answers.n,
            city_ikm_konversi=published["ikm_konversi"],
            city_mutu=published["mutu"],
            city_kiosk_n=answers.kiosk_n,
            city_phone_n=answers.phone_n,
        )
    return out


def _thresholds(min_n: int) -> Thresholds:
    return Thresholds(public_min_n=min_n)


def _trend(code, members, months, period, month_answers, min_n, below) -> tuple[list, dict]:
    """A unit's trend points and the counts of the months it shows (for its parent)."""
    points = {}
    for month in months:
        points[month] = AnswerSums.total(
            month_answers[(u, month)] for u in members if (u, month) in month_answers
        )
    status = {m: a.ikm_shown(min_n) for m, a in points.items()}
    in_period = {
        m for m in months if period.start <= m <= period.end or month_start(period.start) == m
    }
    shows_n = {m: a.measures() for m, a in points.items() if a.n >= min_n}
    blocked = blocked_parts(shows_n, below, min_n)
    hidden = {m for m in in_period if status[m] is PublishStatus.WITHHELD} | (blocked & in_period)
    parts = {m: points[m].measures() for m in in_period}
    extra = complementary_parts(parts, hidden, min_n) | blocked
    rows, shown_parts = [], {}
    for month in months:
        answers, shown = points[month], status[month]
        row = {
            "unit_code": code,
            "month": month,
            "in_period": month in in_period,
            "status": FigureStatus(shown.value),
        }
        if month in extra:
            row["status"] = FigureStatus.SUPPRESSED
        elif shown is PublishStatus.WITHHELD and answers.n >= min_n:
            row["n"] = answers.n  # n reached min_n: some unsur has fewer answers
            shown_parts[month] = answers.measures()
        elif shown is PublishStatus.OK:
            ikm_value = shown_ikm(answers.konversi())
            row.update(n=answers.n, ikm_konversi=ikm_value.konversi, mutu=str(ikm_value.mutu))
            row["_basis"] = list(answers.measures())
            shown_parts[month] = answers.measures()
        rows.append(row)
    return rows, shown_parts


def _figures_fields(figures, prefix: str = "", small_max: int = 4) -> dict:
    n = figures.n_completed
    return {
        f"{prefix}on_time_rate": safe_rate(figures.n_on_time, n, small_max),
        f"{prefix}median": figures.median,
        f"{prefix}p90": figures.p90,
        f"{prefix}duration_unit": str(figures.unit) if figures.unit else "",
        f"{prefix}rework_rate": safe_rate(figures.n_rework, n, small_max),
    }


def _service_fields(unit_id, tree, groups, own_n, requests, min_n, small_max) -> dict:
    status = groups.status(unit_id, own_n, tree)
    out = {
        "svc_status": status,
        "svc_group": _group_code(tree, groups, unit_id, status),
        "svc_covers": "[]",
    }
    if status != FigureStatus.OK:
        return out
    members = groups.covers[unit_id]
    records = [rec for u in members for _, rec in requests.get(u, [])]
    figures = service_figures(records, work_calendar())
    shown = publish_aggregate(figures.n_completed, figures.on_time_rate, _thresholds(min_n))
    out["svc_status"] = FigureStatus(shown.status.value)
    out["svc_covers"] = _names(tree, members)
    out["_basis_svc"] = [figures.n_completed, figures.n_on_time, figures.n_rework]
    if shown.status is PublishStatus.OK:
        out["svc_n"] = figures.n_completed
        out.update(_figures_fields(figures, small_max=small_max))
    return out


def _service_types(code, members, requests, types, min_n, below, small_max=4) -> tuple[list, dict]:
    """A unit's jenis layanan rows and the counts of those it shows (for its parent)."""
    by_kind: dict[tuple, list] = defaultdict(list)
    for u in members:
        for type_id, record in requests.get(u, []):
            t = types[type_id]
            by_kind[(t.name, t.standard_value, t.standard_unit)].append(record)
    for t in types.values():  # the unit's catalogue, also without requests
        if t.unit_id in members and t.active:
            by_kind.setdefault((t.name, t.standard_value, t.standard_unit), [])
    cal = work_calendar()
    figures = {key: service_figures(recs, cal) for key, recs in by_kind.items()}
    parts = {key: (f.n_completed,) for key, f in figures.items()}
    hidden = {key for key, f in figures.items() if 0 < f.n_completed < min_n}
    blocked = blocked_parts({k: v for k, v in parts.items() if k not in hidden}, below, min_n)
    extra = complementary_parts(parts, hidden | blocked, min_n) | blocked
    rows, shown_parts = [], {}
    for position, key in enumerate(sorted(figures, key=lambda k: (k[0].lower(), k[1], k[2]))):
        f = figures[key]
        row = {
            "unit_code": code,
            "position": position,
            "name": key[0],
            "standard_label": standard_label(key[1], key[2]),
        }
        if f.n_completed == 0:
            row["status"] = FigureStatus.NO_DATA
        elif key in hidden:
            row["status"] = FigureStatus.WITHHELD
        elif key in extra:
            row["status"] = FigureStatus.SUPPRESSED
        else:
            row.update(status=FigureStatus.OK, n=f.n_completed, **_figures_fields(f, "", small_max))
            row["_basis"] = [f.n_completed, f.n_on_time, f.n_rework]
            shown_parts[key] = parts[key]
        rows.append(row)
    return rows, shown_parts


def _predikat_fields(unit_id, tree, groups, own_n, counts_by_unit, thresholds) -> dict:
    status = groups.status(unit_id, own_n, tree)
    out = {
        "predikat_status": status,
        "predikat_group": _group_code(tree, groups, unit_id, status),
        "predikat_covers": "[]",
    }
    if status != FigureStatus.OK:
        return out
    members = groups.covers[unit_id]
    total: dict[Predikat, int] = defaultdict(int)
    for u in members:
        for predikat, count in counts_by_unit.get(u, {}).items():
            total[predikat] += count
    distribution = suppress_distribution(total, thresholds)
    out["_basis_predikat"] = [sum(total.values())]
    out["predikat_status"] = FigureStatus(distribution.status.value)
    out["predikat_covers"] = _names(tree, members)
    if distribution.status is PublishStatus.OK:
        out["predikat_total"] = distribution.total
        hidden = {}
        for predikat, column in PREDIKAT_COLUMNS.items():
            out[column] = distribution.cells[predikat]
            if predikat in distribution.hidden:
                small = total[predikat] <= thresholds.small_count_max
                hidden[predikat.value] = "SMALL" if small else "EXTRA"
        out["predikat_hidden"] = json.dumps(hidden, sort_keys=True)
    return out
