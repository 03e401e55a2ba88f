"""No cell of an impact export can run as a formula when the file is opened (CSV and XLSX),
and numbers stay numbers."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.impact.exports import _write
from tests.factories import PartnershipFactory

PLANTED = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def _sheets():
    return {"=Sheet": [["Name", "Value"], *[[cell, -0.5] for cell in PLANTED],
                       ["Plain", 3], ["Empty", None]]}


def test_csv_cells_are_neutralised_and_numbers_kept():
    response = _write(_sheets(), "csv", "planted")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["'=Sheet"]
    assert rows[1] == ["Name", "Value"]
    assert [r[0] for r in rows[2:8]] == ["'" + cell for cell in PLANTED]
    assert {r[1] for r in rows[2:8]} == {"-0.5"}  # a negative number is not a formula
    assert rows[8:] == [["Plain", "3"], ["Empty", ""]]


def test_xlsx_has_no_formula_cells_and_numbers_kept():
    response = _write(_sheets(), "xlsx", "planted")
    sheet = load_workbook(io.BytesIO(response.content))["=Sheet"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [sheet.cell(row=n, column=1).value for n in range(2, 2 + len(PLANTED))]
    # (XML keeps a carriage return as a line feed.)
    assert names == ["'" + cell.replace("\r", "\n") for cell in PLANTED]
    values = [sheet.cell(row=n, column=2).value for n in range(2, 2 + len(PLANTED))]
    assert values == [-0.5] * len(PLANTED)
    assert sheet.cell(row=2 + len(PLANTED), column=2).value == 3


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_partnership_named_like_a_formula_is_exported_as_text(world, client_for, fmt):
    PartnershipFactory(name='=HYPERLINK("https://evil.example","Click")')
    response = client_for("core").get(reverse("impact:fidelity_export", kwargs={"fmt": fmt}))
    assert response.status_code == 200
    if fmt == "csv":
        names = {r[0] for r in csv.reader(io.StringIO(response.content.decode())) if r}
    else:
        sheet = load_workbook(io.BytesIO(response.content))["Fidelity"]
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert "'=HYPERLINK(\"https://evil.example\",\"Click\")" in names
    assert not [n for n in names if isinstance(n, str) and n.startswith(("=", "+", "@"))]
