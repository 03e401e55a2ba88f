"""Reading DfE KS2 school performance files (``YYYY-YYYY_LLL_ks2final.csv`` and the national
``england_ks2final.csv``).

One file holds three years: a measure's plain column is the file's own year and the ``_18`` /
``_17`` columns the two years before. Only the measures in ``MEASURES`` are read. A cell is a
number (a ``%`` suffix is dropped) or "no value" with the reason: the DfE's markers (SUPP, NA,
NE, LOWCOV, NP…) or a blank cell. Never 0.

``parse_outcomes`` either raises ``NotAnOutcomesFile`` (the whole file is refused, with the
reason) or returns one record per school, year and measure, and the rows it rejected with
their reasons. Nothing here touches the database, so the command-line estimator reads files
directly.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field

csv.field_size_limit(1024 * 1024)

# Measures read from a file, with plain labels. Measures without a ``_17``/``_18`` column
# (TKS1AVERAGE, READPROG…) exist for the file's own year only.
MEASURES = {
    "READ_AVERAGE": "Average reading scaled score",
    "MAT_AVERAGE": "Average maths scaled score",
    "GPS_AVERAGE": "Average grammar, punctuation and spelling scaled score",
    "PTRWM_EXP": "% reaching the expected standard in reading, writing and maths",
    "PTRWM_HIGH": "% reaching the higher standard in reading, writing and maths",
    "READPROG": "Reading progress score",
    "WRITPROG": "Writing progress score",
    "MATPROG": "Maths progress score",
    "TKS1AVERAGE": "Average prior attainment (key stage 1)",
    "PTFSM6CLA1A": "% disadvantaged pupils",
    "TELIG": "Pupils eligible for key stage 2 assessment (cohort size)",
    "TOTPUPS": "Pupils on roll",
}
OUTCOME_MEASURES = ["READ_AVERAGE", "MAT_AVERAGE", "PTRWM_EXP", "PTRWM_HIGH", "GPS_AVERAGE",
                    "READPROG", "WRITPROG", "MATPROG"]

# Why a cell holds no value. Unlisted text is kept as "unrecognised" with the text itself.
MARKERS = {
    "SUPP": "suppressed by the DfE (small cohort)",
    "NA": "not applicable",
    "NE": "no pupils entered",
    "LOWCOV": "too few pupils with prior attainment (low coverage)",
    "NP": "not published",
    "NEW": "new school",
    "x": "not available",
    "BLANK": "blank in the file",
}
MAINSTREAM_AND_SPECIAL = {"1", "2"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SUFFIX = re.compile(r"^(?P<measure>[A-Z0-9_]+?)_(?P<yy>\d\d)$")


class NotAnOutcomesFile(Exception):
    """The file as a whole cannot be imported; the message says why, in plain words."""


@dataclass
class Parsed:
    year: int
    rows: int = 0
    schools: int = 0
    skipped: int = 0  # local-authority and England summary rows (RECTYPE 3, 4, 5)
    # (urn, year, measure) -> (value or None, marker); value None always has a marker
    records: dict = field(default_factory=dict)
    la_codes: dict = field(default_factory=dict)  # urn -> LA code (LEA column)
    errors: list = field(default_factory=list)


def parse_cell(raw: str) -> tuple[float | None, str]:
    """``(value, "")`` for a number, ``(None, marker)`` otherwise."""
    text = (raw or "").strip()
    number = text[:-1].strip() if text.endswith("%") else text
    if NUMBER.match(number):
        value = float(number)
        if math.isfinite(value):
            return value, ""
    if not text:
        return None, "BLANK"
    if text.upper() in MARKERS:
        return None, text.upper()
    return None, f"?{text[:20]}"


def marker_reason(marker: str) -> str:
    if marker.startswith("?"):
        return f"unrecognised value “{marker[1:]}”"
    return MARKERS.get(marker, marker)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise NotAnOutcomesFile("The file is not a text (CSV) file.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotAnOutcomesFile("The file is not a text (CSV) file.")


def _file_year(header: list[str], filename: str) -> int:
    """The file's own year: one more than the latest ``_YY`` column (``_18`` → 2019), or
    the second year in a ``2018-2019_…`` file name."""
    years = [int(m["yy"]) for h in header if (m := SUFFIX.match(h)) and m["measure"] in MEASURES]
    if years:
        return 2000 + max(years) + 1
    match = re.search(r"(\d{4})-(\d{4})", filename or "")
    if match:
        return int(match.group(2))
    raise NotAnOutcomesFile(
        "The file's year cannot be worked out: it has no _17/_18 columns and its name does "
        "not start with the years (for example 2018-2019_850_ks2final.csv).")


def parse_outcomes(data: bytes, filename: str = "") -> Parsed:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise NotAnOutcomesFile("The file is empty.") from None
    missing = [c for c in ("URN", "RECTYPE") if c not in header]
    if missing:
        raise NotAnOutcomesFile(
            f"The file has no {' or '.join(missing)} column, so it is not a key stage 2 "
            "performance tables file.")
    year = _file_year(header, filename)
    layout = _layout(header, year)
    out = Parsed(year=year)
    seen: dict[int, int] = {}
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        out.rows += 1
        urn, row = _school_row(out, number, row, layout, seen)
        if urn is None:
            continue
        seen[urn] = number
        if layout.la is not None:
            out.la_codes[urn] = row[layout.la].strip()
        for index, yr, measure in layout.measures:
            out.records[(urn, yr, measure)] = parse_cell(row[index])
    out.schools = len(seen)
    if not seen:
        raise NotAnOutcomesFile("The file has no school rows (RECTYPE 1 or 2 with a URN).")
    return out


@dataclass
class _Layout:
    """Where the columns the import reads are in a file."""
    width: int
    urn: int
    rectype: int
    la: int | None
    measures: list[tuple[int, int, str]]  # (index, year, measure)


def _layout(header: list[str], year: int) -> _Layout:
    """The file's columns: a measure of the file's own year, or of an earlier year
    (``_YY``). Refuses a file with no attainment measure."""
    columns: list[tuple[int, int, str]] = []  # (index, year, measure)
    for i, name in enumerate(header):
        if name in MEASURES:
            columns.append((i, year, name))
        elif (m := SUFFIX.match(name)) and m["measure"] in MEASURES:
            columns.append((i, 2000 + int(m["yy"]), m["measure"]))
    if not any(measure in OUTCOME_MEASURES for _, _, measure in columns):
        raise NotAnOutcomesFile(
            "The file has none of the attainment columns (READ_AVERAGE, MAT_AVERAGE, "
            "PTRWM_EXP…), so there is nothing to import.")
    return _Layout(width=len(header), urn=header.index("URN"), rectype=header.index("RECTYPE"),
                   la=header.index("LEA") if "LEA" in header else None, measures=columns)


def _school_row(out: Parsed, number: int, row: list[str], layout: _Layout,
                seen: dict[int, int]) -> tuple[int | None, list[str]]:
    """(URN, the row padded to the header) of a mainstream or special school's row not seen
    before; ``None`` for a row that is skipped or rejected (with its reason in ``out``)."""
    width = layout.width
    if len(row) > width:
        out.errors.append({"row": number, "reason": f"The row has {len(row)} cells; the "
                           f"header has {width}."})
        return None, row
    # The DfE's files end a school's row early when it has no key stage 2 results:
    # the missing cells are blank.
    row = row + [""] * (width - len(row))
    rectype = row[layout.rectype].strip()
    if rectype not in MAINSTREAM_AND_SPECIAL:
        out.skipped += 1
        return None, row
    urn_text = row[layout.urn].strip()
    if not urn_text.isdigit() or not 100000 <= int(urn_text) <= 999999:
        out.errors.append({"row": number, "reason": f"The URN “{urn_text[:20]}” is not a "
                           "six-digit number."})
        return None, row
    urn = int(urn_text)
    if urn in seen:
        out.errors.append({"row": number, "reason": f"URN {urn} is already on row "
                           f"{seen[urn]}; only the first row is used."})
        return None, row
    return urn, row
