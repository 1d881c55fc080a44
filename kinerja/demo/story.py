"""The demo's calendar, always relative to "today" (``kinerja.clock``).

The story is the same on every date: the quarter before the current one has been
evaluated (results final, one keberatan open), the current quarter is open, and kiosk and
service data cover the two complete quarters before the current one and the current one up
to today. Periods exist for every year those months touch; SKPs exist for the year of the
evaluated quarter and the current year (on 1 January that is last year's TW IV and this
year's TW I). No seeded event lies in the future: :meth:`kinerja.demo.DemoContext.at`
clamps every moment to "now".
"""

from __future__ import annotations

from datetime import date


def quarter_of(day: date) -> tuple[int, int]:
    """(year, quarter number 1-4) of a day."""
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(day: date) -> tuple[int, int]:
    """(year, number) of the quarter before the one holding ``day``: the evaluated one."""
    year, number = quarter_of(day)
    return (year, number - 1) if number > 1 else (year - 1, 4)


def data_start(today: date) -> date:
    """First day of the demo's kiosk and service data: the start of the quarter two before
    the current one, so two complete quarters (6 to 9 months in all) are always there."""
    year, number = previous_quarter(today)
    number -= 1
    if number < 1:
        year, number = year - 1, 4
    return date(year, 3 * number - 2, 1)


def period_years(today: date) -> list[int]:
    """Every year the demo's data touches: periods are created for each."""
    return list(range(data_start(today).year, today.year + 1))


def skp_years(today: date) -> list[int]:
    """The evaluated quarter's year and the current year (one year most of the time)."""
    return sorted({previous_quarter(today)[0], today.year})
