""" "Tugas Anda": what waits for a person, oldest first, gathered from every area.

Each area's service module (``kinerja/services/<area>.py``) may define
``task_provider(actor) -> list[Task]``; they are found by name. The web layer turns
``endpoint`` and ``args`` into a link.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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


Provider = Callable[[Actor], list[Task]]


def providers() -> list[Provider]:
    """Every ``task_provider(actor)`` defined by a module of ``kinerja.services``."""
    import importlib
    import pkgutil

    import kinerja.services as services

    found = []
    for info in sorted(pkgutil.iter_modules(services.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"kinerja.services.{info.name}")
        provider = getattr(module, "task_provider", None)
        if provider is not None:
            found.append(provider)
    return found


def tasks_for(actor: Actor) -> list[Task]:
    """Every task of ``actor``, oldest first (by deadline, then since)."""
    tasks: list[Task] = []
    for provider in providers():
        tasks.extend(provider(actor))
    far = date.max
    return sorted(tasks, key=lambda t: (t.deadline or far, t.since or far, t.title))
