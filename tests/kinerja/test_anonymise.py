"""Disclosure control: 360 thresholds, withheld aggregates, suppression, roll-up
(docs/spec/product.md)."""

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja import anonymise
from kinerja.anonymise import (
    PublishStatus,
    Thresholds,
    UnitCount,
    feedback_group_summary,
    publish_aggregate,
    rollup_units,
    suppress_distribution,
)
from kinerja.enums import Predikat, RaterGroup, Rating

ATAS, SESUAI, BAWAH = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


def test_thresholds_have_the_spec_defaults():
    assert Thresholds() == Thresholds(
        feedback_scores_min=3, feedback_comments_min=5, public_min_n=10, small_count_max=4
    )
    with pytest.raises(ValueError):
        Thresholds(public_min_n=0)


# --- 360 feedback -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "scores_shown", "comments_shown"),
    [(0, False, False), (2, False, False), (3, True, False), (4, True, False), (5, True, True)],
)
def test_feedback_thresholds(answers, scores_shown, comments_shown):
    ratings = [SESUAI] * answers
    comments = [f"komentar {i}" for i in range(answers)]
    summary = feedback_group_summary(RaterGroup.PEER, ratings, comments, Thresholds())
    assert (summary.counts is not None) is scores_shown
    assert (summary.comments is not None) is comments_shown
    if not scores_shown:
        assert summary.n is None
        assert summary.scores_reason == "Ditampilkan setelah minimal 3 jawaban"
    if not comments_shown:
        assert summary.comments_reason == "Komentar ditampilkan setelah minimal 5 jawaban"


def test_feedback_scores_are_counts_per_rating():
    summary = feedback_group_summary(RaterGroup.SUBORDINATE, [ATAS, SESUAI, ATAS], [])
    assert summary.n == 3
    assert summary.counts == {ATAS: 2, SESUAI: 1, BAWAH: 0}
    assert summary.scores_reason is None


def test_feedback_comments_are_sorted_and_blank_ones_dropped():
    comments = ["sangat membantu", "  ", "Cepat tanggap", "bisa lebih rapi", "Ada kemajuan"]
    summary = feedback_group_summary(RaterGroup.OTHER, [SESUAI] * 5, comments)
    assert summary.comments == (
        "Ada kemajuan",
        "bisa lebih rapi",
        "Cepat tanggap",
        "sangat membantu",
    )


def test_feedback_thresholds_are_configurable():
    strict = Thresholds(feedback_scores_min=5, feedback_comments_min=8)
    summary = feedback_group_summary(RaterGroup.PEER, [SESUAI] * 4, ["a"] * 4, strict)
    assert summary.counts is None
    assert summary.scores_reason == "Ditampilkan setelah minimal 5 jawaban"


# --- public aggregates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "value", "status", "reason"),
    [
        (0, None, PublishStatus.NO_DATA, "belum ada data"),
        (1, 88, PublishStatus.WITHHELD, "data ditahan (n < 10)"),
        (9, 88, PublishStatus.WITHHELD, "data ditahan (n < 10)"),
        (10, 88, PublishStatus.OK, None),
        (250, 88, PublishStatus.OK, None),
        (12, None, PublishStatus.NO_DATA, "belum ada data"),
    ],
)
def test_publish_aggregate(n, value, status, reason):
    published = publish_aggregate(n, value, Thresholds())
    assert (published.status, published.reason) == (status, reason)
    if status is PublishStatus.OK:
        assert (published.value, published.n) == (value, n)
    else:
        assert (published.value, published.n) == (None, None)


def test_withheld_and_no_data_read_differently():
    assert publish_aggregate(3, 1).reason != publish_aggregate(0, None).reason
    assert PublishStatus.WITHHELD != PublishStatus.NO_DATA


# --- suppression --------------------------------------------------------------------------


def test_small_total_withholds_the_whole_distribution():
    result = suppress_distribution({B: 6, BP: 3})
    assert result.status is PublishStatus.WITHHELD
    assert result.reason == "data ditahan (n < 10)"
    assert result.total is None
    assert set(result.cells.values()) == {None}


def test_empty_distribution_has_no_data():
    result = suppress_distribution({})
    assert (result.status, result.reason, result.total) == (
        PublishStatus.NO_DATA,
        "belum ada data",
        None,
    )


def test_nothing_small_nothing_hidden():
    result = suppress_distribution({SB: 5, B: 20, BP: 6})
    assert result.status is PublishStatus.OK
    assert result.cells == {SB: 5, B: 20, BP: 6, K: 0, SK: 0}
    assert result.hidden == frozenset()
    assert result.total == 31


def test_one_small_count_gets_a_complementary_cell():
    result = suppress_distribution({SB: 2, B: 20, BP: 6})
    assert result.cells == {SB: None, B: 20, BP: None, K: 0, SK: 0}  # 6 is the smallest other
    assert result.total == 28


def test_complement_ties_follow_predikat_order():
    result = suppress_distribution({SB: 7, B: 7, BP: 3})
    assert result.hidden == {SB, BP}


def test_two_small_counts_can_stand_alone():
    result = suppress_distribution({SB: 2, B: 20, BP: 3})
    assert result.hidden == {SB, BP}


def test_hidden_cells_that_are_all_one_get_company():
    # two hidden 1s: the lower bound of 1 would give both away
    result = suppress_distribution({SB: 1, B: 20, BP: 1, K: 9})
    assert result.hidden == {SB, BP, K}


def test_hidden_cells_that_are_all_at_the_maximum_get_company():
    # two hidden 4s: a reader who knows both are at most 4 would know both are 4
    result = suppress_distribution({K: 4, SK: 4, BP: 5})
    assert result.hidden == {BP, K, SK}


def test_zeros_are_shown():
    result = suppress_distribution({SB: 3, B: 20, BP: 30})
    assert result.cells[K] == 0
    assert result.cells[SK] == 0


def test_unusual_thresholds_fall_back_to_withholding():
    # with 10 ≤ small_count_max nothing is left to hide beside a single large cell
    result = suppress_distribution({B: 12}, Thresholds(small_count_max=20))
    assert result.status is PublishStatus.WITHHELD


def _feasible_values(cell, hidden, original, small_max, hidden_sum):
    """Values the cell could take given the published figures, for the worst-case reader.

    The reader knows: the total and shown cells (so the hidden sum), that every hidden cell
    is ≥ 1 (zeros are shown), and which hidden cells are 1..small_max.
    """

    def bounds(p):
        upper = small_max if original[p] <= small_max else hidden_sum
        return 1, upper

    others = [p for p in hidden if p != cell]
    low_others = sum(bounds(p)[0] for p in others)
    high_others = sum(bounds(p)[1] for p in others)
    low, high = bounds(cell)
    return [v for v in range(low, high + 1) if low_others <= hidden_sum - v <= high_others]


counts_strategy = st.fixed_dictionaries({p: st.integers(0, 30) for p in Predikat})


@given(counts_strategy)
def test_suppression_never_lets_a_hidden_count_be_recomputed(counts):
    thresholds = Thresholds()
    result = suppress_distribution(counts, thresholds)
    total = sum(counts.values())
    if total == 0:
        assert result.status is PublishStatus.NO_DATA
        return
    if total < thresholds.public_min_n:
        assert result.status is PublishStatus.WITHHELD
        assert result.total is None and set(result.cells.values()) == {None}
        return
    if result.status is PublishStatus.WITHHELD:
        # Withholding a distribution of n >= 10 is allowed only when no safe pattern of
        # hidden cells exists: every non-zero cell is small and they are all 1 or all 4
        # (e.g. 4/4/4), so even hiding all of them would reveal each one.
        nonzero = [v for v in counts.values() if v]
        assert all(1 <= v <= thresholds.small_count_max for v in nonzero)
        assert set(nonzero) in ({1}, {thresholds.small_count_max}), counts
        assert result.total is None and set(result.cells.values()) == {None}
        return
    assert result.status is PublishStatus.OK
    assert result.total == total
    shown = {p: v for p, v in result.cells.items() if v is not None}
    for p, value in shown.items():
        assert value == counts[p]
        assert not 1 <= value <= thresholds.small_count_max
    hidden = [p for p, v in result.cells.items() if v is None]
    assert len(hidden) != 1  # a single hidden cell is the total minus the rest
    hidden_sum = total - sum(shown.values())
    for p in hidden:
        feasible = _feasible_values(p, hidden, counts, thresholds.small_count_max, hidden_sum)
        assert counts[p] in feasible
        assert len(feasible) >= 2, (p, counts, result.cells)


# --- roll-up ------------------------------------------------------------------------------


def test_small_units_roll_into_their_parent():
    units = [
        UnitCount("opd", None, 2),
        UnitCount("bidang-a", "opd", 3),
        UnitCount("seksi-a1", "bidang-a", 6),
        UnitCount("bidang-b", "opd", 12),
        UnitCount("seksi-b1", "bidang-b", 4),
        UnitCount("seksi-b2", "bidang-b", 15),
    ]
    rollup = rollup_units(units, 10)
    assert rollup.covers == {
        "seksi-b2": {"seksi-b2"},
        "bidang-b": {"bidang-b", "seksi-b1"},
        "opd": {"opd", "bidang-a", "seksi-a1"},
    }
    assert rollup.n == {"seksi-b2": 15, "bidang-b": 16, "opd": 11}
    assert rollup.withheld == frozenset()


def test_a_root_too_small_stays_withheld():
    units = [UnitCount(1, None, 3), UnitCount(2, 1, 4), UnitCount(3, None, 10)]
    rollup = rollup_units(units, 10)
    assert rollup.covers == {3: {3}}
    assert rollup.withheld == {1, 2}


def test_a_parent_publishes_when_its_children_bring_it_over():
    units = [UnitCount("p", None, 0), UnitCount("c1", "p", 5), UnitCount("c2", "p", 5)]
    assert rollup_units(units, 10).covers == {"p": {"p", "c1", "c2"}}


@pytest.mark.parametrize(
    "units",
    [
        [UnitCount("a", "b", 1), UnitCount("b", "a", 1)],  # a cycle
        [UnitCount("a", "missing", 1)],
        [UnitCount("a", None, 1), UnitCount("a", None, 2)],
        [UnitCount("a", None, -1)],
    ],
)
def test_bad_unit_trees_are_refused(units):
    with pytest.raises(ValueError):
        rollup_units(units, 10)


@given(
    st.lists(st.integers(0, 15), min_size=1, max_size=12).flatmap(
        lambda ns: st.tuples(
            st.just(ns),
            st.tuples(*[st.integers(-1, i - 1) for i in range(len(ns))]),
        )
    )
)
def test_rollup_partitions_the_units(tree):
    sizes, parents = tree
    units = [
        UnitCount(i, None if parent < 0 else parent, n)
        for i, (n, parent) in enumerate(zip(sizes, parents, strict=True))
    ]
    rollup = rollup_units(units, 10)
    seen = [unit for covered in rollup.covers.values() for unit in covered]
    seen += list(rollup.withheld)
    assert sorted(seen) == list(range(len(units)))  # each unit in exactly one place
    for unit_id, covered in rollup.covers.items():
        assert rollup.n[unit_id] == sum(sizes[i] for i in covered) >= 10


def test_anonymise_imports_no_database_or_web_layer():
    tree = ast.parse(Path(anonymise.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"flask", "werkzeug", "peewee", "portal"}
