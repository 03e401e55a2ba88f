"""The register importer on the real sample, the bulk layout, re-imports and bad files."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import AuditEvent
from apps.schools.importer import NotARegisterFile, parse_register
from apps.schools.models import School
from apps.schools.services import import_register
from bench.gias_bulk import SAMPLE, sample_rows, write_bulk, write_search_results

pytestmark = pytest.mark.django_db


def snapshot():
    return list(School.objects.order_by("urn").values())


def test_real_sample_imports_every_row():
    summary = import_register(SAMPLE.read_bytes(), filename=SAMPLE.name)
    assert summary["rows"] == 1096
    assert summary["created"] == 1096
    assert summary["rejected"] == 0
    assert summary["layout"] == "search-results"
    assert summary["encoding"] == "utf-8-sig"
    assert School.objects.count() == 1096
    assert School.objects.open().count() == 728


def test_sample_fields_spot_checks():
    import_register(SAMPLE.read_bytes())
    alton = School.objects.get(urn=115850)
    assert alton.name == "Alton Infant School"
    assert (alton.la_code, alton.la_name) == ("850", "Hampshire")
    assert alton.type_name == "Community school"
    assert alton.type_group == "Local authority maintained schools"
    assert alton.status == "Open" and alton.is_open
    assert alton.phase == "Primary"
    assert (alton.statutory_low_age, alton.statutory_high_age) == (4, 7)
    assert alton.postcode == "GU34 1DH"
    assert (alton.easting, alton.northing) == (472080, 139716)
    assert alton.pupils == 138
    assert alton.percentage_fsm == Decimal("21.7")
    assert alton.census_date.isoformat() == "2021-01-21"
    assert alton.region == "South East"
    assert alton.district == "East Hampshire"
    assert alton.ward == "Alton Eastbrooke"
    assert alton.constituency == "East Hampshire"
    assert alton.urban_rural == "(England/Wales) Urban city and town"
    assert alton.ofsted_rating == "Good"
    # Compare a few more schools field by field with the file itself.
    header, body = sample_rows()
    by_urn = {int(r[0]): dict(zip(header, r, strict=True)) for r in body}
    for school in School.objects.order_by("?")[:25]:
        row = by_urn[school.urn]
        assert school.name == row["EstablishmentName"]
        assert school.status == row["EstablishmentStatus (name)"]
        assert school.trust_name == row["Trusts (name)"]
        assert school.federation_name == row["Federations (name)"]
        assert (school.pupils or None) == (int(row["NumberOfPupils"])
                                           if row["NumberOfPupils"] else None)


def test_closed_schools_keep_their_dates():
    import_register(SAMPLE.read_bytes())
    closed = School.objects.exclude(status__in=["Open", "Open, but proposed to close"])
    assert closed.count() == 1096 - 728
    assert closed.filter(close_date__isnull=False).exists()


def test_reimport_changes_nothing():
    data = SAMPLE.read_bytes()
    import_register(data)
    before = snapshot()
    summary = import_register(data)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 1096)
    after = snapshot()
    # imported_at is only touched on change, so the rows are identical.
    assert before == after


def test_changed_rows_are_updated_by_urn():
    header, body = sample_rows()
    import_register(write_search_results(body))
    changed = [list(r) for r in body]
    at = header.index("NumberOfPupils")
    changed[0][at] = "999"
    summary = import_register(write_search_results(changed))
    assert (summary["updated"], summary["unchanged"]) == (1, 1095)
    assert School.objects.get(urn=int(body[0][0])).pupils == 999


def test_bulk_layout_windows_1252():
    data = write_bulk(300, first_urn=500000)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    summary = import_register(data)
    assert summary["layout"] == "bulk-extract"
    assert summary["encoding"] == "windows-1252"
    assert summary["created"] == 300
    accented = School.objects.get(urn=500000)
    assert "’" in accented.name or "É" in accented.name or "–" in accented.name
    assert School.objects.filter(type_name="Community school").exists()
    assert import_register(data)["unchanged"] == 300


def test_personal_data_is_never_stored():
    import_register(write_bulk(50, first_urn=600000))
    dump = json.dumps(snapshot(), default=str)
    for invented in ("Zephyrine", "Quillbottom", "Moonwhistle", "Brackenfold"):
        assert invented not in dump
    assert not any("head" in f.name for f in School._meta.fields)


def test_rows_without_urn_or_name_are_rejected_with_reasons():
    header, body = sample_rows()
    rows = [list(r) for r in body[:5]]
    rows[1][0] = ""
    rows[2][0] = "12AB"
    rows[3][header.index("EstablishmentName")] = " "
    rows[4] = rows[4][:10]
    summary = import_register(write_search_results(rows))
    assert summary["created"] == 1
    assert summary["rejected"] == 4
    reasons = {e["row"]: e["reason"] for e in summary["errors"]}
    assert reasons[3] == "The URN is missing."
    assert "not a valid URN" in reasons[4]
    assert reasons[5] == "The school name is missing."
    assert "fields" in reasons[6]


def test_out_of_range_numbers_are_stored_as_unknown():
    header, body = sample_rows()
    row = list(body[0])
    row[header.index("NumberOfPupils")] = "99999999999"
    row[header.index("StatutoryHighAge")] = "70000"
    row[header.index("Easting")] = "Infinity"
    row[header.index("PercentageFSM")] = "250"
    summary = import_register(write_search_results([row]))
    assert summary["created"] == 1
    school = School.objects.get(urn=int(row[0]))
    assert (school.pupils, school.statutory_high_age, school.easting,
            school.percentage_fsm) == (None, None, None, None)


def _bad_files():
    good = SAMPLE.read_bytes()
    header, body = sample_rows()
    wrong_columns = io.StringIO()
    csv.writer(wrong_columns).writerows([["id", "title", "price"], ["1", "Tea", "2"]])
    duplicate = write_search_results([body[0], body[1], body[0]])
    truncated = good[: len(good) // 2]
    # cut inside a quoted field, as an interrupted download would
    truncated = truncated[: truncated.rfind(b'"') - 3]
    return {
        "wrong columns": wrong_columns.getvalue().encode(),
        "binary": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 20,
        "truncated": truncated,
        "duplicate URNs": duplicate,
        "empty": b"",
        "header only": good.split(b"\n", 1)[0] + b"\n",
    }


@pytest.mark.parametrize("kind", list(_bad_files()))
def test_bad_files_change_nothing(kind):
    import_register(write_bulk(20, first_urn=700000))
    before = snapshot()
    events = AuditEvent.objects.count()
    with pytest.raises(NotARegisterFile) as exc:
        import_register(_bad_files()[kind])
    assert str(exc.value)  # a clear message
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_truncated_message_says_so():
    with pytest.raises(NotARegisterFile, match="truncated|damaged"):
        parse_register(_bad_files()["truncated"])


def test_command_json_output(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(SAMPLE.read_bytes())
    call_command("import_schools", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out == {"rows": 1096, "created": 1096, "updated": 0, "unchanged": 0, "rejected": 0,
                   "errors": []}
    call_command("import_schools", str(path), "--json")
    again = json.loads(capsys.readouterr().out)
    assert again["unchanged"] == 1096 and again["created"] == 0


def test_command_refuses_bad_file(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CommandError, match="binary"):
        call_command("import_schools", str(path), "--json")
    assert School.objects.count() == 0


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_schools", str(tmp_path / "nope.csv"))


def test_a_file_without_some_columns_leaves_them_as_stored():
    bulk = write_bulk(300, first_urn=800000)
    import_register(bulk)
    before = {s.urn: (s.trust_code, s.federation_code) for s in School.objects.all()}
    assert any(trust or federation for trust, federation in before.values())
    # The same schools as a search-results export, which has no code columns.
    text = bulk.decode("cp1252")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    keep = [i for i, h in enumerate(header) if not h.endswith(" (code)") or h == "LA (code)"]
    narrow = io.StringIO()
    csv.writer(narrow).writerows([[r[i] for i in keep] for r in rows])
    summary = import_register(narrow.getvalue().encode("utf-8"))
    assert summary["updated"] == 0 and summary["unchanged"] == 300
    after = {s.urn: (s.trust_code, s.federation_code) for s in School.objects.all()}
    assert after == before


def test_an_over_long_optional_field_is_cut_not_the_school():
    header, body = sample_rows()
    row = list(body[0])
    row[header.index("SchoolWebsite")] = "www." + "x" * 400 + ".sch.uk"
    summary = import_register(write_search_results([row]))
    assert summary["created"] == 1
    assert len(School.objects.get(urn=int(row[0])).website) == 255


def test_a_stray_undefined_byte_spoils_one_field_only():
    data = write_bulk(5, first_urn=810000)
    # 0x81 is undefined in Windows-1252; put one in a school name.
    data = data.replace(b"Alton Infant School", b"Alton Infant School\x81", 1)
    import_register(data)
    names = list(School.objects.order_by("urn").values_list("name", flat=True))
    assert any("\ufffd" in n for n in names)
    assert any(c in names[0] for c in "’–É")  # the rest of the file is still Windows-1252
    assert all("\x92" not in n for n in names)
