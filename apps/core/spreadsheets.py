"""Cells for CSV and XLSX files people open in a spreadsheet."""

from __future__ import annotations

import datetime
from decimal import Decimal

# A cell starting with one of these may be read as a formula (tab and carriage return are
# skipped by some spreadsheets before they look for one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Values a spreadsheet keeps as what they are: none of them can hold a formula.
_PLAIN = (int, float, Decimal, datetime.date, datetime.time)


def safe_cell(value: object) -> str:
    """``value`` as text that cannot run a formula when the file is opened: a leading
    formula character is neutralised with an apostrophe, which spreadsheets do not show."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_value(value: object) -> object:
    """For exports that keep numbers as numbers (XLSX, and CSV beside it): numbers, dates and
    empty cells as they are (a negative number stays a number), anything else as
    ``safe_cell`` text."""
    if value is None or isinstance(value, _PLAIN):
        return value
    return safe_cell(value)
