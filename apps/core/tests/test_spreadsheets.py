from hypothesis import given
from hypothesis import strategies as st

from apps.core.spreadsheets import FORMULA_STARTS, safe_cell


def test_formula_starts_are_neutralised():
    for start in FORMULA_STARTS:
        assert safe_cell(f"{start}HYPERLINK(\"x\")") == f"'{start}HYPERLINK(\"x\")"
    assert safe_cell("Reading buddies") == "Reading buddies"
    assert safe_cell(None) == ""
    assert safe_cell(3) == "3"


@given(st.text())
def test_no_cell_starts_like_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell.removeprefix("'") == text or cell == text


def test_safe_value_keeps_numbers_dates_and_empty_cells():
    from datetime import date
    from decimal import Decimal

    from apps.core.spreadsheets import safe_value

    for value in (-0.5, 3, Decimal("-1.5"), True, date(2026, 1, 2), None):
        assert safe_value(value) == value
    for start in FORMULA_STARTS:
        assert safe_value(f"{start}1+1") == f"'{start}1+1"
    assert safe_value("Alpha") == "Alpha"
