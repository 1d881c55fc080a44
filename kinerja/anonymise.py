"""Pure disclosure control for everything shown beyond the person it is about.

docs/spec/product.md §3 (360 feedback thresholds) and §6 (public pages): thresholds, withheld
aggregates, primary and complementary suppression of predikat distributions and of the
parts of a shown total (months, jenis layanan), rates that would give back a few cases,
the roll-up of units too small to publish, and the check that two publications cannot be
differenced. Plain values in and out; no database, no web layer.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kinerja.enums import LabelledEnum, Predikat, RaterGroup, Rating
from kinerja.formatting import round_half_up
from kinerja.scoring.exact import percent_of


@dataclass(frozen=True)
class Thresholds:
    """Disclosure thresholds (docs/spec/product.md §3, §6); admin-configurable, spec defaults
    here."""

    feedback_scores_min: int = 3
    feedback_comments_min: int = 5
    public_min_n: int = 10
    small_count_max: int = 4

    def __post_init__(self) -> None:
        for name in ("feedback_scores_min", "feedback_comments_min", "public_min_n"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"ambang {name} harus bilangan bulat ≥ 1")
        value = self.small_count_max
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("ambang small_count_max harus bilangan bulat ≥ 0")


class PublishStatus(LabelledEnum):
    """Whether an aggregate may be shown; WITHHELD and NO_DATA read differently."""

    OK = "OK", "Ditampilkan"
    WITHHELD = "WITHHELD", "Data ditahan"
    NO_DATA = "NO_DATA", "Belum ada data"


NO_DATA_REASON = "belum ada data"


def withheld_reason(thresholds: Thresholds) -> str:
    """The public text of a withheld aggregate, e.g. "data ditahan (n < 10)" (docs/spec/product.md
    §6)."""
    return f"data ditahan (n < {thresholds.public_min_n})"


# --- 360 feedback (docs/spec/product.md §3) -------------------------------------------------------


@dataclass(frozen=True)
class GroupSummary:
    """What the rated person and their supervisor may see of one rater group.

    ``n`` and ``counts`` are None below the score threshold, ``comments`` below the comment
    threshold; the matching ``*_reason`` then says when they will appear.
    """

    group: RaterGroup
    n: int | None
    counts: dict[Rating, int] | None
    comments: tuple[str, ...] | None
    scores_reason: str | None
    comments_reason: str | None


def feedback_group_summary(
    group: RaterGroup,
    ratings: Sequence[Rating],
    comments: Sequence[str],
    thresholds: Thresholds = Thresholds(),
) -> GroupSummary:
    """A rater group's scores at ≥ 3 answers and comments at ≥ 5 answers (docs/spec/product.md §3).

    Thresholds count answers (one rating each) in the group, so a comment is always hidden
    among at least that many answerers. Blank comments are dropped; the rest are sorted
    alphabetically (case-insensitive) so their order says nothing about who wrote them.
    """
    group = RaterGroup(group)
    n = len(ratings)
    counts = scores_reason = shown_comments = comments_reason = None
    if n >= thresholds.feedback_scores_min:
        tally = dict.fromkeys(Rating, 0)
        for rating in ratings:
            tally[Rating(rating)] += 1
        counts = tally
    else:
        scores_reason = f"Ditampilkan setelah minimal {thresholds.feedback_scores_min} jawaban"
    if n >= thresholds.feedback_comments_min:
        texts = (c.strip() for c in comments)
        shown_comments = tuple(sorted((t for t in texts if t), key=lambda t: (t.casefold(), t)))
    else:
        comments_reason = (
            f"Komentar ditampilkan setelah minimal {thresholds.feedback_comments_min} jawaban"
        )
    return GroupSummary(
        group=group,
        n=n if counts is not None else None,
        counts=counts,
        comments=shown_comments,
        scores_reason=scores_reason,
        comments_reason=comments_reason,
    )


# --- Public aggregates (docs/spec/product.md §6) --------------------------------------------------


@dataclass(frozen=True)
class Published:
    """A public figure: the value and n only when status is OK, else the reason."""

    status: PublishStatus
    value: Any
    n: int | None
    reason: str | None


def publish_aggregate(n: int, value: Any, thresholds: Thresholds = Thresholds()) -> Published:
    """Show an aggregate only over ≥ public_min_n responses or people (docs/spec/product.md §6).

    n = 0, or a value of None, reads "belum ada data"; 0 < n < 10 reads
    "data ditahan (n < 10)". Neither shows the value nor the exact n.
    """
    if n < 0:
        raise ValueError("n tidak boleh negatif")
    if n == 0:
        return Published(PublishStatus.NO_DATA, None, None, NO_DATA_REASON)
    if n < thresholds.public_min_n:
        return Published(PublishStatus.WITHHELD, None, None, withheld_reason(thresholds))
    if value is None:
        return Published(PublishStatus.NO_DATA, None, None, NO_DATA_REASON)
    return Published(PublishStatus.OK, value, n, None)


@dataclass(frozen=True)
class SuppressedDistribution:
    """A predikat distribution fit to publish: each cell a count or None (hidden).

    When the whole distribution is withheld, ``total`` is None and every cell is None.
    """

    status: PublishStatus
    reason: str | None
    total: int | None
    cells: dict[Predikat, int | None]

    @property
    def hidden(self) -> frozenset[Predikat]:
        """The cells shown as hidden."""
        return frozenset(p for p, value in self.cells.items() if value is None)


def _needs_more(hidden: dict[Predikat, int], small_max: int) -> bool:
    """Whether some hidden count could still be worked out from the published figures.

    Hidden cells are ≥ 1 (zeros are shown), and the worst-case reader knows which hidden
    cells are primary (1..small_max). One hidden cell equals the difference; hidden cells
    that are all 1 are pinned by the lower bound; primary-only cells all at small_max are
    pinned by the upper bound. Anything else leaves every hidden cell at least two values.
    """
    if not hidden:
        return False
    total, count = sum(hidden.values()), len(hidden)
    all_primary = all(value <= small_max for value in hidden.values())
    return count == 1 or total == count or (all_primary and total == small_max * count)


def suppress_distribution(
    counts: Mapping[Predikat, int], thresholds: Thresholds = Thresholds()
) -> SuppressedDistribution:
    """Primary and complementary suppression of a predikat distribution (docs/spec/product.md §6).

    - total 0 → "belum ada data"; total < public_min_n → the whole distribution is withheld;
    - primary: every count from 1 to small_max is hidden; zeros are shown;
    - complementary: while a hidden count could be recomputed (see ``_needs_more``), the
      smallest shown non-zero cell is hidden too (ties: the order of ``Predikat``).
    Guarantee: from the total and the shown cells, even a reader who knows that hidden
    cells are ≥ 1 and which of them are 1..small_max cannot pin any hidden count to one
    value. If no cell is left to hide (only with unusual thresholds), everything is withheld.
    """
    cells = {p: 0 for p in Predikat}
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"jumlah untuk {key} harus bilangan bulat tidak negatif")
        cells[Predikat(key)] += value
    total = sum(cells.values())
    withheld = dict.fromkeys(Predikat)
    if total == 0:
        return SuppressedDistribution(PublishStatus.NO_DATA, NO_DATA_REASON, None, withheld)
    if total < thresholds.public_min_n:
        reason = withheld_reason(thresholds)
        return SuppressedDistribution(PublishStatus.WITHHELD, reason, None, withheld)

    small_max = thresholds.small_count_max
    hidden = {p: v for p, v in cells.items() if 1 <= v <= small_max}
    while _needs_more(hidden, small_max):
        candidates = [p for p in Predikat if cells[p] > 0 and p not in hidden]
        if not candidates:
            reason = withheld_reason(thresholds)
            return SuppressedDistribution(PublishStatus.WITHHELD, reason, None, withheld)
        extra = min(candidates, key=lambda p: cells[p])  # min keeps the first of equals
        hidden[extra] = cells[extra]
    shown = {p: (None if p in hidden else v) for p, v in cells.items()}
    return SuppressedDistribution(PublishStatus.OK, None, total, shown)


# --- Roll-up of small units (docs/spec/product.md §6) ---------------------------------------------


@dataclass(frozen=True)
class UnitCount:
    """A unit's own count (its direct members or responses, not its sub-units')."""

    id: Hashable
    parent_id: Hashable | None
    n: int


@dataclass(frozen=True)
class Rollup:
    """Published units with the unit ids each figure covers and its n.

    Every unit id appears in exactly one ``covers`` set or in ``withheld``, so no published
    figure can be subtracted from another to reveal a small unit.
    """

    covers: dict[Hashable, frozenset[Hashable]]
    n: dict[Hashable, int]
    withheld: frozenset[Hashable]


def rollup_units(units: Sequence[UnitCount], min_n: int) -> Rollup:
    """Roll units below min_n into their parent, recursively (docs/spec/product.md §6).

    Bottom-up, a unit's figure covers itself plus the not-yet-published sub-units beneath
    it; it is published when that combined n reaches min_n, else it passes everything up.
    A root that is still too small stays withheld, together with what rolled into it.
    """
    by_id = {unit.id: unit for unit in units}
    if len(by_id) != len(units):
        raise ValueError("id unit ganda")
    children: dict[Hashable, list[Hashable]] = {unit.id: [] for unit in units}
    roots = []
    for unit in units:
        if unit.n < 0:
            raise ValueError(f"n unit {unit.id!r} tidak boleh negatif")
        if unit.parent_id is None:
            roots.append(unit.id)
        elif unit.parent_id in by_id:
            children[unit.parent_id].append(unit.id)
        else:
            raise ValueError(f"induk {unit.parent_id!r} dari unit {unit.id!r} tidak ada")

    # Iterative post-order from the roots; units never reached sit on a cycle.
    order: list[Hashable] = []
    stack = [(root, False) for root in roots]
    while stack:
        unit_id, expanded = stack.pop()
        if expanded:
            order.append(unit_id)
        else:
            stack.append((unit_id, True))
            stack.extend((child, False) for child in children[unit_id])
    if len(order) != len(by_id):
        raise ValueError("struktur unit mengandung siklus")

    pending: dict[Hashable, tuple[int, frozenset[Hashable]]] = {}
    covers: dict[Hashable, frozenset[Hashable]] = {}
    sizes: dict[Hashable, int] = {}
    withheld: set[Hashable] = set()
    for unit_id in order:
        n, members = by_id[unit_id].n, {unit_id}
        for child in children[unit_id]:
            if child in pending:
                child_n, child_members = pending.pop(child)
                n += child_n
                members |= child_members
        if n >= min_n:
            covers[unit_id], sizes[unit_id] = frozenset(members), n
        elif by_id[unit_id].parent_id is None:
            withheld |= members
        else:
            pending[unit_id] = (n, frozenset(members))
    return Rollup(covers=covers, n=sizes, withheld=frozenset(withheld))


# --- Complementary suppression of published parts (docs/spec/product.md §6, issues 18, 19) -------


def reveals_few(values: Iterable[int], min_n: int) -> bool:
    """Whether a count a difference of published figures could reveal lies in 1..min_n-1."""
    return any(0 < v < min_n for v in values)


def complementary_parts(parts: Mapping, hidden: set, min_n: int) -> set:
    """Hide more parts until the hidden ones together cover 0 or ≥ min_n in every measure.

    ``parts`` maps a key (a month, a jenis layanan) to a tuple of counts (the first one
    orders the candidates); a part is a candidate when it is not hidden and not empty.
    Returns the keys hidden in addition, so the hidden parts of a shown total cannot be
    recomputed as the total minus the shown parts.
    """
    extra: set = set()

    def leaks() -> bool:
        keys = hidden | extra
        width = len(next(iter(parts.values()))) if parts else 0
        return any(0 < sum(parts[k][i] for k in keys) < min_n for i in range(width))

    while parts and leaks():
        candidates = [k for k in parts if k not in hidden | extra and parts[k][0] > 0]
        if not candidates:
            break
        extra.add(min(candidates, key=lambda k: (parts[k][0], str(k))))
    return extra


def _add(a: tuple[int, ...] | None, b: tuple[int, ...]) -> tuple[int, ...]:
    return b if a is None else tuple(x + y for x, y in zip(a, b, strict=True))


def published_below(kids: Sequence, shown: Mapping, below: Mapping) -> dict:
    """Per part key: the counts of the parts published directly below a unit.

    For each child: its own published part, else what is published below that child.
    ``shown`` and ``below`` map a unit to {part key: counts}.
    """
    out: dict = {}
    for kid in kids:
        published, deeper = shown.get(kid, {}), below.get(kid, {})
        for key in set(published) | set(deeper):
            out[key] = _add(out.get(key), published.get(key, deeper.get(key)))
    return out


def blocked_parts(parts: Mapping, below: Mapping, min_n: int) -> set:
    """Parts whose difference with the same parts published below covers 1..min_n-1."""
    out = set()
    for key, counts in parts.items():
        inside = below.get(key)
        if inside is not None and reveals_few(
            (a - b for a, b in zip(counts, inside, strict=True)), min_n
        ):
            out.add(key)
    return out


def small_count(value: int, thresholds: Thresholds) -> int | None:
    """A count shown as is when 0 or above small_count_max, else hidden (None)."""
    return value if value == 0 or value > thresholds.small_count_max else None


PULSE_MIN_ANSWERS = 5
"""Fewest respondents of a unit (with what folds into it) for its pulse-of-trust figures to
show (issue 23; the 360 comment threshold's order of size)."""


def safe_rate(part: int, n: int, small_max: int, places: int = 2) -> Decimal | None:
    """A percentage part/n fit to publish next to its n (issue 19), else None.

    With n published, a percentage gives its numerator back exactly (92,86 % of 14 is 13,
    so exactly one late). The rate is therefore withheld (None) when the numerator or its
    complement n − part lies in 1..small_max: those few cases could be named. 0 % and
    100 % stay shown (nobody in particular). None when n is 0.
    """
    if not n:
        return None
    if 0 < part <= small_max or 0 < n - part <= small_max:
        return None
    return round_half_up(percent_of(part, n), places)


def isolates(old: dict, new: dict, min_n: int) -> bool:
    """Whether two publications of one figure could be differenced down to < min_n cases.

    ``old`` and ``new`` hold the shown values ("v") and the counts behind them ("c").
    Unchanged values reveal nothing. A changed figure is safe only when every count behind
    it changed by 0 or by at least ``min_n`` and at least one changed (values that change
    while no count does cannot be explained by a large enough group of new answers).
    """
    if old["v"] == new["v"]:
        return False
    deltas = [b - a for a, b in zip(old["c"], new["c"], strict=False)]
    if len(old["c"]) != len(new["c"]) or not any(deltas):
        return True
    return any(0 < abs(d) < min_n for d in deltas)
