""" "Tugas Anda": what waits for a person, oldest first, gathered from every area.

Each area contributes a provider ``(actor) -> list[Task]``; the web layer turns
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
    """The task providers of every area, imported here so the list lives in one place."""
    return []


def tasks_for(actor: Actor) -> list[Task]:
    """Every task of ``actor``, oldest first (by deadline, then since)."""
    tasks: list[Task] = []
    for provider in providers():
        tasks.extend(provider(actor))
    far = date.max
    return sorted(tasks, key=lambda t: (t.deadline or far, t.since or far, t.title))
