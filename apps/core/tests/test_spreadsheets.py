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
