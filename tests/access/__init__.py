"""The role × route table, one module per blueprint (``tests/access/<blueprint>.py``).

Each module defines ``ROUTES: dict[endpoint, Route]`` and may define ``setup(world)`` to
create the objects its URLs need (stored in ``world.objects``). A registered route without
an entry fails ``tests/test_access_matrix.py``.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

ALL = frozenset({"anonymous", "pegawai", "supervisor", "atasan", "admin", "auditor"})
LOGGED_IN = ALL - {"anonymous"}
INTERNAL = frozenset({"admin", "auditor"})


@dataclass(frozen=True)
class Route:
    """Who may use an endpoint, and how to reach it in the test world.

    ``allowed`` maps an HTTP method to the roles allowed; every other role must be refused
    (anonymous: redirect to login or 401; logged in: 403 or 404).
    """

    allowed: dict[str, frozenset[str]]
    url: Callable | str | None = None
    data: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    note: str = ""


def get(roles, url=None, **kw) -> Route:
    """A GET-only route."""
    return Route({"GET": frozenset(roles)}, url, **kw)


def post(roles, url=None, **kw) -> Route:
    """A POST-only route."""
    return Route({"POST": frozenset(roles)}, url, **kw)


def both(get_roles, post_roles, url=None, **kw) -> Route:
    """A GET+POST route."""
    return Route({"GET": frozenset(get_roles), "POST": frozenset(post_roles)}, url, **kw)


def table() -> tuple[dict[str, Route], list[Callable]]:
    """Every module's routes merged, and their setup functions."""
    routes: dict[str, Route] = {}
    setups = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        overlap = set(routes) & set(module.ROUTES)
        assert not overlap, f"endpoints listed twice: {overlap}"
        routes.update(module.ROUTES)
        if hasattr(module, "setup"):
            setups.append(module.setup)
    return routes, setups
