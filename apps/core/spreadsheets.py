"""Cells for CSV files people open in a spreadsheet."""

from __future__ import annotations

# A cell starting with one of these may be read as a formula (tab and carriage return are
# skipped by some spreadsheets before they look for one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """``value`` as text that cannot run a formula when the file is opened: a leading
    formula character is neutralised with an apostrophe, which spreadsheets do not show."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
