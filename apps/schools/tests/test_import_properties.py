"""Whatever bytes arrive, the reader either refuses the whole file with a message or returns
rows and reasons — never another exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.schools.importer import (
    NotARegisterFile,
    _date,
    _decimal,
    _int,
    _small_int,
    parse_register,
)

HEADER = b'"URN","EstablishmentName","EstablishmentStatus (name)","LA (name)"\r\n'


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_are_refused_or_read(data):
    try:
        parsed = parse_register(data)
    except NotARegisterFile as exc:
        assert str(exc)
    else:
        assert parsed.rows >= 1


@settings(max_examples=200)
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=6), max_size=8))
def test_rows_after_a_good_header_never_crash(rows):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    try:
        parsed = parse_register(HEADER + buf.getvalue().encode("utf-8"))
    except NotARegisterFile:
        return
    assert len(parsed.records) + len(parsed.errors) == parsed.rows


@given(st.one_of(st.text(max_size=20),
                 st.sampled_from(["Infinity", "-inf", "NaN", "sNaN", "1e400", "99999999999",
                                  "12,5", "31-02-2021", "2021-13-01", "00-00-0000"])))
def test_value_converters_never_raise(text):
    _date(text)
    number = _int(text)
    assert number is None or 0 <= number <= 2_147_483_647
    small = _small_int(text)
    assert small is None or 0 <= small <= 32767
    value = _decimal(text)
    assert value is None or 0 <= value <= 100
