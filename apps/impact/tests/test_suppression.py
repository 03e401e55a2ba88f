"""Property tests for the survey anonymity rules."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.impact.suppression import (
    FLOOR,
    ThresholdError,
    comments_shown,
    suppress_line,
    suppress_table,
    threshold,
)

counts = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=2),
                         st.integers(min_value=0, max_value=40), min_size=1, max_size=8)
min_groups = st.integers(min_value=FLOOR, max_value=12)


def feasible_values(hidden: list[int]) -> list[int]:
    """How many values each hidden cell could take, knowing only the shown cells, the total
    and that every group has at least one respondent: with k hidden cells summing to S, a
    cell lies anywhere in [1, S - (k - 1)]."""
    k, total = len(hidden), sum(hidden)
    return [max(0, total - (k - 1)) for _ in hidden]


@settings(max_examples=300, deadline=None)
@given(counts, min_groups)
def test_no_small_cell_is_shown_or_recoverable(cells, min_group):
    limit = threshold(min_group)
    hidden, total_shown = suppress_line(cells, limit)
    for key, n in cells.items():
        if key not in hidden:
            assert n >= limit
    if total_shown:
        assert sum(cells.values()) >= limit
        hidden_counts = [cells[k] for k in hidden]
        if hidden_counts:
            assert len(hidden_counts) >= 2
            assert all(v >= 2 for v in feasible_values(hidden_counts))
    else:
        assert hidden == set(cells)


@settings(max_examples=300, deadline=None)
@given(counts, min_groups)
def test_nothing_is_hidden_when_every_group_is_big_enough(cells, min_group):
    limit = threshold(min_group)
    hidden, total_shown = suppress_line(cells, limit)
    if all(n >= limit for n in cells.values()):
        assert hidden == set() and total_shown


@given(min_groups, st.integers(min_value=1, max_value=4))
def test_combining_filters_never_lowers_the_threshold(min_group, filters):
    assert threshold(min_group, filters + 1) > threshold(min_group, filters) >= FLOOR


@given(st.integers(max_value=FLOOR - 1))
def test_the_threshold_is_never_below_three(value):
    with pytest.raises(ThresholdError):
        threshold(value)


@given(st.integers(min_value=0, max_value=30), min_groups)
def test_comments_need_a_group_of_ten(n, min_group):
    assert comments_shown(n, min_group) == (n >= max(10, min_group))


tables = st.dictionaries(
    st.tuples(st.sampled_from(["P1", "P2", "P3", "P4"]), st.sampled_from(["lead", "staff",
                                                                           "head"])),
    st.integers(min_value=0, max_value=30), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(tables, min_groups)
def test_two_way_tables_are_safe_in_every_row_and_column(cells, min_group):
    limit = threshold(min_group, filters=2)
    hidden, hidden_totals = suppress_table(cells, limit)
    for key, n in cells.items():
        if key not in hidden:
            assert n >= limit
    for kind, index in (("row", 0), ("col", 1)):
        for line_key in {k[index] for k in cells}:
            line = {k: n for k, n in cells.items() if k[index] == line_key}
            if len(line) < 2 or (kind, line_key) in hidden_totals:
                continue
            hidden_counts = [line[k] for k in line if k in hidden]
            if hidden_counts:
                assert len(hidden_counts) >= 2
                assert sum(hidden_counts) >= max(limit, len(hidden_counts) + 1)


def test_a_single_small_cell_takes_a_second_with_it():
    hidden, shown = suppress_line({"a": 2, "b": 7, "c": 9}, 5)
    assert hidden == {"a", "b"} and shown
    hidden, shown = suppress_line({"a": 2, "b": 1, "c": 9}, 5)
    # 2 + 1 < 5, so c is hidden as well; the total (12) can stay.
    assert hidden == {"a", "b", "c"} and shown
    hidden, shown = suppress_line({"a": 2, "b": 1}, 5)
    assert hidden == {"a", "b"} and not shown
