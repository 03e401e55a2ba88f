"""Re-imports skip rows whose register row hash is unchanged, and stay correct when the
stored data moved on."""

import pytest

from apps.schools import services
from apps.schools.importer import NotARegisterFile, parse_register
from apps.schools.models import School
from apps.schools.services import import_register
from bench.gias_bulk import sample_rows, write_search_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    header, body = sample_rows()
    return header, [list(r) for r in body[:60]]


def _hashes():
    return dict(School.objects.values_list("urn", "register_row_hash"))


def test_unchanged_rows_are_not_converted(rows):
    header, body = rows
    data = write_search_results(body)
    import_register(data)
    stored = _hashes()
    assert all(len(h) == 32 for h in stored.values())
    again = parse_register(data, known_hashes=stored)
    assert len(again.skipped) == 60 and again.records == {}
    summary = import_register(data)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 60)


def test_a_changed_row_is_compared_and_updated(rows):
    header, body = rows
    import_register(write_search_results(body))
    body[3][header.index("NumberOfPupils")] = "777"
    summary = import_register(write_search_results(body))
    assert (summary["updated"], summary["unchanged"]) == (1, 59)
    school = School.objects.get(urn=int(body[3][0]))
    assert school.pupils == 777
    assert parse_register(write_search_results(body), known_hashes=_hashes()).records == {}


def test_a_school_changed_outside_the_importer_is_put_back(rows):
    header, body = rows
    data = write_search_results(body)
    import_register(data)
    school = School.objects.get(urn=int(body[0][0]))
    school.name = "Renamed by hand"
    school.save()
    summary = import_register(data)
    assert summary["updated"] == 1
    assert School.objects.get(pk=school.pk).name == body[0][header.index("EstablishmentName")]


def test_repeated_urn_is_refused_even_when_unchanged(rows):
    header, body = rows
    import_register(write_search_results(body))
    with pytest.raises(NotARegisterFile, match="appears twice"):
        import_register(write_search_results([*body, body[0]]))


def test_a_change_between_reading_hashes_and_the_lock_is_not_lost(rows, monkeypatch):
    header, body = rows
    data = write_search_results(body)
    import_register(data)
    urn = int(body[0][0])
    real = services.parse_register

    def parse_then_another_import_writes(*args, **kwargs):
        parsed = real(*args, **kwargs)
        if kwargs.get("known_hashes"):  # the first, hash-skipping read
            School.objects.filter(urn=urn).update(name="From another file",
                                                  register_row_hash="0" * 32)
        return parsed

    monkeypatch.setattr(services, "parse_register", parse_then_another_import_writes)
    summary = import_register(data)
    assert summary["updated"] == 1
    assert School.objects.get(urn=urn).name == body[0][header.index("EstablishmentName")]


def _rows(data: bytes, fast: bool) -> list[list[str]] | None:
    """The rows the importer's fast or csv reader reads from ``data`` (``None``: the file's
    shape rules the fast reader out)."""
    import io

    from apps.schools.importer import _fast_reader, _reader, scan

    stream = io.BytesIO(data)
    shape = scan(stream)
    if fast and not shape.one_line_records:
        return None
    text = io.TextIOWrapper(stream, encoding=shape.encoding, errors="replace", newline="")
    return list((_fast_reader if fast else _reader)(text))


@pytest.mark.parametrize("text", [
    'URN,Name\r\n1,"Oak, Ash School"\r\n2,"The ""Quoted"" School"\r\n\r\n3,Plain\r\n',
    'URN,Name\n1,"Oak, Ash"\n2,Plain',
    "URN,Name\n",
])
def test_fast_reader_reads_what_csv_reads(text):
    assert _rows(text.encode(), fast=True) == _rows(text.encode(), fast=False)


def test_fast_reader_gives_the_same_rows_on_register_files():
    from bench.gias_bulk import SAMPLE, write_bulk

    for data in (SAMPLE.read_bytes(), write_bulk(300, first_urn=400000)):
        assert _rows(data, fast=True) == _rows(data, fast=False)


@pytest.mark.parametrize("text", ['URN,Name\n1,"Two\nlines"\n', "URN,Name\r\n1,A\n2,B\r\n",
                                  "URN,Name\r1,A\r"])
def test_fast_reader_declines_records_over_several_lines(text):
    assert _rows(text.encode(), fast=True) is None
