"""Anonymity rules for survey results. Pure functions, property-tested.

* No figure for a group under the wave's minimum (5 by default; configurable upward, never
  below ``FLOOR`` = 3). Edurio uses 3 and Qualtrics 5 (shared/reference/EVALUATION.md).
* Free-text comments only for groups of at least ``COMMENTS_MIN`` = 10.
* Combined filters are stricter: each filter beyond the first adds ``PER_EXTRA_FILTER``.
* Complementary suppression: where a line's total is shown, the hidden cells of the line are
  at least two and add up to at least the threshold (and to more than their number), so no
  hidden cell can be worked out by subtracting the shown cells from the total. If that
  cannot be reached, the total is hidden too.
"""

from __future__ import annotations

FLOOR = 3
DEFAULT_MIN_GROUP = 5
COMMENTS_MIN = 10
PER_EXTRA_FILTER = 2


class ThresholdError(ValueError):
    pass


def check_min_group(value: int) -> int:
    if value < FLOOR:
        raise ThresholdError(f"The smallest group shown must be {FLOOR} or more")
    return value


def threshold(min_group: int, filters: int = 1) -> int:
    """The smallest group shown when ``filters`` filters are combined."""
    return check_min_group(min_group) + PER_EXTRA_FILTER * max(0, filters - 1)


def comments_shown(n: int, min_group: int) -> bool:
    return n >= max(COMMENTS_MIN, min_group)


def _safe(hidden_counts: list[int], limit: int) -> bool:
    return not hidden_counts or (len(hidden_counts) >= 2 and
                                 sum(hidden_counts) >= max(limit, len(hidden_counts) + 1))


def suppress_line(counts: dict, limit: int, total_shown: bool = True) -> tuple[set, bool]:
    """Hidden keys of one line of cells and whether the line's total stays shown."""
    return _suppress_with(counts, set(), limit, total_shown)


def suppress_table(cells: dict, limit: int) -> tuple[set, set]:
    """Two-way table {(row, col): n} with row and column totals shown: the hidden cells and
    the hidden totals (("row", r) / ("col", c)). Lines are made safe in turn until nothing
    changes (each pass only hides more, so it ends)."""
    rows = sorted({r for r, _ in cells}, key=str)
    cols = sorted({c for _, c in cells}, key=str)
    hidden = {k for k, n in cells.items() if n < limit}
    hidden_totals: set = set()
    changed = True
    while changed:
        changed = False
        for kind, keys in (("row", rows), ("col", cols)):
            for key in keys:
                line = {k: n for k, n in cells.items() if (k[0] if kind == "row" else k[1])
                        == key}
                if len(line) < 2:
                    # One cell: it is the same group as the total, shown in the one-way table
                    # at its own threshold.
                    continue
                # Cells already hidden stay hidden whatever their size.
                line_hidden, shown = _suppress_with(line, hidden, limit,
                                                    (kind, key) not in hidden_totals)
                if not shown and (kind, key) not in hidden_totals:
                    hidden_totals.add((kind, key))
                    changed = True
                new = line_hidden - hidden
                if new:
                    hidden |= new
                    changed = True
    return hidden, hidden_totals


def _suppress_with(line: dict, already: set, limit: int, total_shown: bool):
    if not total_shown:
        return {k for k in line if k in already or line[k] < limit}, False
    if sum(line.values()) < limit:
        return set(line), False
    hidden = {k for k in line if k in already or line[k] < limit}
    others = sorted((n, str(k), k) for k, n in line.items() if k not in hidden)
    while not _safe([line[k] for k in hidden], limit):
        if not others:
            return set(line), False
        hidden.add(others.pop(0)[2])
    return hidden, True
