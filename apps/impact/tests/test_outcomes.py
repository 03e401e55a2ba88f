import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import AuditEvent
from apps.impact.models import Outcome
from apps.impact.outcomes import NotAnOutcomesFile, parse_cell, parse_outcomes
from apps.impact.services import import_outcomes
from tests.factories import SchoolFactory

DATA = Path(__file__).parent.parent / "data"
HANTS = DATA / "2018-2019_850_ks2final_subset.csv"
SURREY = DATA / "2018-2019_936_ks2final_subset.csv"
LINKS = DATA / "gias_links_subset.csv"


@pytest.mark.parametrize("raw,expected", [
    ("104", (104.0, "")), ("63%", (63.0, "")), ("-1.9", (-1.9, "")), (" 0 ", (0.0, "")),
    ("SUPP", (None, "SUPP")), ("NA", (None, "NA")), ("NE", (None, "NE")),
    ("LOWCOV", (None, "LOWCOV")), ("NP", (None, "NP")), ("", (None, "BLANK")),
    (" ", (None, "BLANK")), ("%", (None, "?%")), ("abc", (None, "?abc")), ("nan", (None, "?nan")),
])
def test_cells_keep_markers_and_never_become_zero(raw, expected):
    assert parse_cell(raw) == expected


def test_a_file_gives_three_years_per_measure():
    parsed = parse_outcomes(HANTS.read_bytes(), HANTS.name)
    assert parsed.year == 2019
    # 115851 in the published file: READ_AVERAGE 104 (2019), 104 (2018), 104 (2017);
    # PTRWM_EXP 63% (2019), 68% (2017); PTFSM6CLA1A 30%, 33%, 27%.
    assert parsed.records[(115851, 2019, "PTRWM_EXP")] == (63.0, "")
    assert parsed.records[(115851, 2017, "PTRWM_EXP")] == (68.0, "")
    assert parsed.records[(115851, 2018, "PTFSM6CLA1A")] == (33.0, "")
    assert parsed.records[(115851, 2017, "PTFSM6CLA1A")] == (27.0, "")
    assert (115851, 2018, "TKS1AVERAGE") not in parsed.records
    # Local-authority and England rows are not schools.
    assert parsed.skipped == 3
    # A row the DfE ends early (no KS2 results) is blank, not zero, not rejected.
    assert parsed.records[(140690, 2019, "READ_AVERAGE")] == (None, "BLANK")
    assert parsed.errors == []


def test_crlf_file_reads_the_same():
    parsed = parse_outcomes(SURREY.read_bytes(), SURREY.name)
    assert parsed.year == 2019 and parsed.schools > 200


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"),
    (b"SCHNAME,TOWN\nA,B\n", "no URN or RECTYPE column"),
    (b"RECTYPE,URN,SCHNAME\n1,100001,A\n", "year cannot be worked out"),
    (b"RECTYPE,URN,TELIG_18\n1,100001,5\n", "none of the attainment columns"),
    (b"RECTYPE,URN,READ_AVERAGE_18\n4,,5\n", "no school rows"),
    (b"\xff\xfe\x00R\x00", "not a text"),
])
def test_bad_files_are_refused_with_the_reason(content, reason):
    with pytest.raises(NotAnOutcomesFile, match=reason):
        parse_outcomes(content, "england_ks2final.csv")


def test_bad_rows_are_rejected_with_reasons():
    data = (b"RECTYPE,URN,READ_AVERAGE,READ_AVERAGE_18\n1,12AB,104,103\n1,100001,SUPP,103\n"
            b"1,100001,104,104\n1,100002,1,2,3\n")
    parsed = parse_outcomes(data, "x.csv")
    reasons = [e["reason"] for e in parsed.errors]
    assert "“12AB” is not a six-digit number" in reasons[0]
    assert "already on row 3" in reasons[1]
    assert "has 5 cells; the header has 4" in reasons[2]
    assert parsed.records[(100001, 2019, "READ_AVERAGE")] == (None, "SUPP")


@pytest.mark.django_db
def test_import_is_idempotent_and_joins_schools_by_urn_and_predecessor_links():
    SchoolFactory(urn=115851)
    successor = SchoolFactory(urn=148213)  # Awbridge Primary's new URN (GIAS link)
    files = [(p.name, p.read_bytes()) for p in (LINKS, HANTS, SURREY)]
    first = import_outcomes(files)
    assert first["links"] == 2 and first["created"] == first["values"] > 10000
    assert first["errors"] == []
    again = import_outcomes(files)
    assert again["created"] == again["updated"] == 0 and again["unchanged"] == first["values"]
    assert Outcome.objects.count() == first["values"]
    row = Outcome.objects.get(urn=115851, year=2017, measure="READ_AVERAGE")
    assert row.value == 104 and row.school.urn == 115851 and row.la_code == "850"
    assert Outcome.objects.get(urn=115856, year=2019, measure="MAT_AVERAGE").school == successor
    suppressed = Outcome.objects.filter(marker="SUPP")
    assert suppressed.exists() and not suppressed.filter(value__isnull=False).exists()
    assert AuditEvent.objects.filter(action="impact.outcomes.imported").count() == 2


@pytest.mark.django_db
def test_a_bad_file_among_good_ones_changes_nothing():
    with pytest.raises(NotAnOutcomesFile, match="notes.csv: The file has no URN"):
        import_outcomes([(HANTS.name, HANTS.read_bytes()), ("notes.csv", b"a,b\n1,2\n")])
    assert not Outcome.objects.exists()


@pytest.mark.django_db
def test_command_imports_and_reports_bad_files(tmp_path):
    out = StringIO()
    call_command("import_outcomes", str(HANTS), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["files"][0]["year"] == 2019 and summary["created"] > 5000
    bad = tmp_path / "bad.csv"
    bad.write_text("URN\n1\n")
    with pytest.raises(CommandError, match="Nothing was imported. bad.csv: The file has no "
                                           "RECTYPE column"):
        call_command("import_outcomes", str(bad))
