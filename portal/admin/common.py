"""Helpers shared by the admin console's views: the acting account, pagination, unit
pickers, the 404 lookups and the flash of a refused change."""

import math
from dataclasses import dataclass

from flask import abort, flash, request

from kinerja.models.account import Account
from kinerja.models.period import Period
from kinerja.org import unit_choices
from kinerja.queries import admin as admin_queries
from portal.admin.console_forms import choices
from portal.security import current_actor

PER_PAGE = 50


def current_account() -> Account:
    """The account of the person using the console (the actor of every change)."""
    return current_actor().account


@dataclass
class Page:
    """One page of a query's results."""

    items: list
    number: int
    pages: int
    total: int


def paginate(query, per_page: int = PER_PAGE) -> Page:
    """The page of ``query`` asked for by ``?hal=`` (clamped to the pages that exist)."""
    page = request.args.get("hal", 1, type=int) or 1
    total = query.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    return Page(list(query.paginate(page, per_page)), page, pages, total)


def page_args(**extra) -> dict:
    """The current query string without ``hal`` (for pagination links)."""
    args = {k: v for k, v in request.args.items() if k != "hal" and v != ""}
    args.update(extra)
    return args


def unit_select_choices(blank: str | None = None, exclude: set[int] | None = None):
    """Units in tree order as SelectChoice objects for a form field."""
    return choices(unit_pairs(blank, exclude))


def unit_pairs(blank: str | None = None, exclude: set[int] | None = None):
    """Units in tree order as (id, indented label) pairs."""
    inactive = {u.id for u, _depth in admin_queries.unit_tree() if not u.active}
    return [
        (value, f"{label} (nonaktif)" if value in inactive else label)
        for value, label in unit_choices(include_inactive=True, blank=blank)
        if not (exclude and value in exclude)
    ]


def period_or_404(period_id: int) -> Period:
    """The period, or 404."""
    period = Period.get_or_none(Period.id == period_id)
    if period is None:
        abort(404)
    return period


def fail(message: str) -> None:
    """Show a refused change's (Indonesian) message on the next page."""
    flash(message, "error")
