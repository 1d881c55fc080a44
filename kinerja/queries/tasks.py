""" "Tugas Anda": what waits for a person, oldest first, gathered from every area.

Each area's read-model module (``kinerja/queries/<area>.py``) may define
``task_provider(actor) -> list[Task]``; they are found by name. The web layer turns
``endpoint`` and ``args`` into a link.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from kinerja.permissions import Actor


@dataclass(frozen=True)
class Task:
    """One thing waiting for someone."""

    title: str
    endpoint: str
    args: dict = field(default_factory=dict)
    count: int = 1
    deadline: date | None = None
    since: date | None = None
    late: bool = False
    area: str = ""


@dataclass
class Glance:
    """The person's situation at a glance (home page cards), filled as a side effect by the
    task providers that already read it, so the cards cost no extra query.

    ``skp_status`` is a ``SkpStatus`` value (None: no SKP this year); ``realisation`` and
    ``evaluation`` are dicts for the current open period (None: nothing to show)."""

    year: int | None = None
    has_annual: bool = False
    skp_status: str | None = None
    skp_id: int | None = None
    skp_deadline: date | None = None
    realisation: dict | None = None
    evaluation: dict | None = None


Provider = Callable[..., list[Task]]


@cache
def providers() -> tuple[tuple[Provider, bool], ...]:
    """Every ``task_provider(actor)`` defined by a module of ``kinerja.queries`` (found by
    name, so this module imports none of them and they may import ``Task`` from here), with
    whether it takes ``glance``. Found once per process: the list depends only on the code."""
    import importlib
    import inspect
    import pkgutil

    import kinerja.queries as queries

    found = []
    for info in sorted(pkgutil.iter_modules(queries.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"kinerja.queries.{info.name}")
        provider = getattr(module, "task_provider", None)
        if provider is not None:
            takes_glance = "glance" in inspect.signature(provider).parameters
            found.append((provider, takes_glance))
    return tuple(found)


def tasks_for(actor: Actor, glance: Glance | None = None) -> list[Task]:
    """Every task of ``actor``, oldest first (by deadline, then since). With ``glance``,
    the providers that know the person's situation also fill it in."""
    tasks: list[Task] = []
    for provider, takes_glance in providers():
        if glance is not None and takes_glance:
            tasks.extend(provider(actor, glance=glance))
        else:
            tasks.extend(provider(actor))
    far = date.max
    return sorted(tasks, key=lambda t: (t.deadline or far, t.since or far, t.title))
