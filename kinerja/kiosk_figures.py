"""Internal kiosk figures: quick index and IKM with n, per unit or per employee, for any
date range (WIB days, inclusive). Computed by :mod:`kinerja.scoring`; never public here
(public pages go through the published snapshot and disclosure control)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kinerja import org, scoring
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
    """One calendar month of a range."""

    year: int
    month: int
    figures: KioskFigures


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


def employee_monthly(employee_id: int, start: date, end: date) -> list[MonthRow]:
    """Month by month figures attributed to an employee."""
    return _monthly(list(_rows(KioskResponse.employee == employee_id, start, end)))


def kiosk_figures(kiosk_id: int, start: date, end: date) -> KioskFigures:
    """Figures of one kiosk."""
    return _figures(_rows(KioskResponse.kiosk == kiosk_id, start, end))


def units_with_answers(unit_ids: set[int] | None) -> list[int]:
    """Ids of units (among ``unit_ids``; None = all) that have a kiosk."""
    query = Kiosk.select(Kiosk.unit).distinct()
    if unit_ids is not None:
        query = query.where(Kiosk.unit.in_(sorted(unit_ids)))
    return [k.unit_id for k in query]


def recent_comments(where_unit_id: int | None, employee_id: int | None, start, end, limit=20):
    """The latest comments (plain text, no time beyond the day) of a unit or employee."""
    if employee_id is not None:
        where = KioskResponse.employee == employee_id
    else:
        where = _unit_where(where_unit_id, True)
    return list(
        KioskResponse.select(KioskResponse.day, KioskResponse.face, KioskResponse.comment)
        .where(
            where
            & (KioskResponse.comment != "")
            & (KioskResponse.day >= start)
            & (KioskResponse.day <= end)
        )
        .order_by(KioskResponse.day.desc(), KioskResponse.id.desc())
        .limit(limit)
    )
