"""Internal kiosk figures: quick index and IKM with n, per unit or per employee. The pages
show whole ended months or periods only (:func:`officer_figures`, :func:`unit_disclosed`);
the range helpers (WIB days, inclusive) serve computations. Computed by
:mod:`kinerja.scoring`; never public here (public pages go through the published snapshot
and disclosure control).

An officer's own figures (issue 19), and a unit's (a unit with one counter is its officer),
are disclosed per group of one employee or unit and one ended calendar month: a month is
shown only with at least ``public_min_n`` respondents, and every figure shown is the union
of shown months, so no difference of two views isolates a hidden month. Comments come only
from shown months with at least ``feedback_comments_min`` comments, in alphabetical order,
without their day. A month or period still in progress shows nothing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kinerja import org, scoring, settings
from kinerja.enums import Unsur
from kinerja.models.kiosk import Kiosk, KioskResponse
from kinerja.scoring import IkmResult

FIELDS = [getattr(KioskResponse, u.value.lower()) for u in Unsur]


@dataclass(frozen=True)
class KioskFigures:
    """Figures of one set of kiosk answers."""

    n: int  # respondents (every one gave the quick rating)
    quick_index: Decimal | None
    faces: dict[int, int]  # face 1–4 → count
    ikm: IkmResult  # over those who answered at least one unsur (ikm.n)
    comments: int

    @property
    def empty(self) -> bool:
        """No answer in the range."""
        return self.n == 0


@dataclass(frozen=True)
class MonthRow:
    """One calendar month of a range (``hidden``: fewer respondents than the minimum n; its
    figures are then not shown)."""

    year: int
    month: int
    figures: KioskFigures
    hidden: bool = False


@dataclass(frozen=True)
class Comment:
    """A comment as shown to the person rated and the chain above: text only, no day."""

    comment: str
    day: None = None


@dataclass(frozen=True)
class OfficerFigures:
    """An employee's figures over whole ended months (see the module docstring)."""

    start: date  # first day of the first month
    end: date  # last day of the last ended month
    figures: KioskFigures  # over the shown months only
    months: list[MonthRow]  # every month of the range with answers, hidden ones included
    comments: list[Comment]  # alphabetical
    min_n: int
    comments_min: int

    @property
    def hidden_months(self) -> list[MonthRow]:
        """Months with answers but fewer respondents than the minimum n."""
        return [m for m in self.months if m.hidden]


def _rows(where, start: date, end: date):
    return (
        KioskResponse.select(KioskResponse.day, KioskResponse.face, KioskResponse.comment, *FIELDS)
        .where(where & (KioskResponse.day >= start) & (KioskResponse.day <= end))
        .tuples()
        .iterator()
    )


def _figures(rows) -> KioskFigures:
    faces = dict.fromkeys(range(1, 5), 0)
    answers = []
    comments = 0
    for row in rows:
        _, face, comment, *values = row
        faces[face] += 1
        comments += bool(comment)
        given = {u: v for u, v in zip(Unsur, values, strict=True) if v is not None}
        if given:
            answers.append(given)
    all_faces = [f for f, c in faces.items() for _ in range(c)]
    return KioskFigures(
        n=len(all_faces),
        quick_index=scoring.quick_index(all_faces),
        faces=faces,
        ikm=scoring.ikm(answers),
        comments=comments,
    )


def _monthly(rows) -> list[MonthRow]:
    by_month = defaultdict(list)
    for row in rows:
        by_month[(row[0].year, row[0].month)].append(row)
    return [MonthRow(y, m, _figures(by_month[(y, m)])) for y, m in sorted(by_month)]


def _unit_where(unit_id: int, include_children: bool):
    ids = org.descendant_unit_ids(unit_id) if include_children else {unit_id}
    return KioskResponse.unit.in_(sorted(ids))


def unit_figures(unit_id: int, start: date, end: date, include_children=True) -> KioskFigures:
    """Figures of a unit's kiosks (and those of the units below it)."""
    return _figures(_rows(_unit_where(unit_id, include_children), start, end))


def unit_monthly(unit_id: int, start: date, end: date, include_children=True) -> list[MonthRow]:
    """Month by month figures of a unit's kiosks."""
    return _monthly(list(_rows(_unit_where(unit_id, include_children), start, end)))


def employee_figures(employee_id: int, start: date, end: date) -> KioskFigures:
    """Figures of the answers attributed to an employee (on duty at the counter)."""
    return _figures(_rows(KioskResponse.employee == employee_id, start, end))


def kiosk_figures(kiosk_id: int, start: date, end: date) -> KioskFigures:
    """Figures of one kiosk."""
    return _figures(_rows(KioskResponse.kiosk == kiosk_id, start, end))


def units_with_answers(unit_ids: set[int] | None) -> list[int]:
    """Ids of units (among ``unit_ids``; None = all) that have a kiosk."""
    query = Kiosk.select(Kiosk.unit).distinct()
    if unit_ids is not None:
        query = query.where(Kiosk.unit.in_(sorted(unit_ids)))
    return [k.unit_id for k in query]


def _thresholds(period=None) -> tuple[int, int]:
    values = settings.for_period(period) if period is not None else settings.current()
    return int(values["public_min_n"]), int(values["feedback_comments_min"])


def min_n() -> int:
    """The minimum number of respondents a month needs to be shown (in force now)."""
    return _thresholds()[0]


def ended_months_window(today: date, year: int | None = None) -> tuple[date, date] | None:
    """(first day, last day) of the ended months shown: the twelve months before the current
    one, or the months of ``year`` that have ended (None: none has)."""
    this_month = date(today.year, today.month, 1)
    last_ended = this_month - timedelta(days=1)
    if year is None:
        first = date(this_month.year - 1, this_month.month, 1)
        return first, last_ended
    end = min(date(year, 12, 31), last_ended)
    start = date(year, 1, 1)
    return (start, end) if start <= end else None


def officer_figures(employee_id: int, start: date, end: date, period=None) -> OfficerFigures:
    """An employee's figures over the whole months from ``start`` to ``end`` (the caller
    passes ended months only), disclosed month by month (module docstring)."""
    return _disclosed(KioskResponse.employee == employee_id, start, end, period)


def unit_disclosed(unit_id: int, start: date, end: date, include_children=True) -> OfficerFigures:
    """A unit's figures under the same month rule (a unit with one counter is its officer)."""
    return _disclosed(_unit_where(unit_id, include_children), start, end)


def _disclosed(where, start: date, end: date, period=None) -> OfficerFigures:
    min_n, comments_min = _thresholds(period)
    rows = list(_rows(where, start, end))
    by_month = defaultdict(list)
    for row in rows:
        by_month[(row[0].year, row[0].month)].append(row)
    months, shown_rows, comments = [], [], []
    for key in sorted(by_month):
        group = by_month[key]
        figures = _figures(group)
        hidden = figures.n < min_n
        months.append(MonthRow(*key, figures, hidden))
        if hidden:
            continue
        shown_rows += group
        texts = [row[2] for row in group if row[2]]
        if len(texts) >= comments_min:
            comments += texts
    return OfficerFigures(
        start=start,
        end=end,
        figures=_figures(shown_rows),
        months=months,
        comments=[Comment(text) for text in sorted(comments, key=lambda t: (t.casefold(), t))],
        min_n=min_n,
        comments_min=comments_min,
    )


def period_officer_figures(employee_id: int, period, today: date) -> OfficerFigures | None:
    """An employee's figures for an evaluation period, once it has ended (None before):
    the union of its shown months, with the period's frozen thresholds."""
    if period.end >= today:
        return None
    return officer_figures(employee_id, period.start, period.end, period)
