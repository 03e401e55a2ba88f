"""Reading DfE register files (Get Information about Schools).

Two layouts are published and both are read:

* the **search-results export**: UTF-8 with a byte-order mark, categorical columns only as
  ``X (name)``;
* the **national bulk extract** ``edubasealldataYYYYMMDD.csv``: Windows-1252, categorical
  columns as paired ``X (code)`` / ``X (name)``.

The reader is a whitelist: only the columns in ``COLUMNS`` are ever looked at, so personal
data in the file (``HeadFirstName``, ``HeadLastName`` …) is never read or stored.

``parse_register`` either raises ``NotARegisterFile`` (the whole file is refused) or returns
the clean rows and a list of rejected rows with reasons.

Each clean row also gets a **row hash**: a digest of the raw cells the reader uses (and of
which fields the file carries). The importer stores it with the school; given the stored
hashes, ``parse_register`` skips converting a row whose hash has not changed, which makes
re-importing an unchanged national file several times faster.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import IO, Any, TextIO

from django.db.models import Field

from .models import School

csv.field_size_limit(1024 * 1024)


class NotARegisterFile(Exception):
    """The file as a whole cannot be imported; the message says why, in plain words."""


def _text(value: str) -> str:
    return value.strip()


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for sep in ("-", "/"):
        parts = value.split(sep)
        if len(parts) == 3:
            try:
                if len(parts[0]) == 4:
                    return date(int(parts[0]), int(parts[1]), int(parts[2]))
                return date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None


def _int(value: str, limit: int = 2_147_483_647) -> int | None:
    """A whole number the database can hold; anything else (blank, "SUPP", "Infinity",
    out of range) is treated as unknown."""
    value = value.strip().replace(",", "")
    if not value:
        return None
    try:
        number = int(Decimal(value))
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return number if 0 <= number <= limit else None


def _small_int(value: str) -> int | None:
    return _int(value, limit=32767)


def _decimal(value: str) -> Decimal | None:
    value = value.strip().rstrip("%")
    if not value:
        return None
    try:
        number = Decimal(value)
        if not number.is_finite():
            return None
        number = number.quantize(Decimal("0.1"))
    except InvalidOperation:
        return None
    return number if Decimal(0) <= number <= Decimal(100) else None


# model field -> (converter, header names to try in order)
COLUMNS: dict[str, tuple[Callable[[str], object], tuple[str, ...]]] = {
    "name": (_text, ("EstablishmentName",)),
    "la_code": (_text, ("LA (code)",)),
    "la_name": (_text, ("LA (name)",)),
    "establishment_number": (_text, ("EstablishmentNumber",)),
    "type_name": (_text, ("TypeOfEstablishment (name)",)),
    "type_group": (_text, ("EstablishmentTypeGroup (name)",)),
    "status": (_text, ("EstablishmentStatus (name)",)),
    "open_date": (_date, ("OpenDate",)),
    "close_date": (_date, ("CloseDate",)),
    "phase": (_text, ("PhaseOfEducation (name)",)),
    "statutory_low_age": (_small_int, ("StatutoryLowAge",)),
    "statutory_high_age": (_small_int, ("StatutoryHighAge",)),
    "gender": (_text, ("Gender (name)",)),
    "religious_character": (_text, ("ReligiousCharacter (name)",)),
    "region": (_text, ("GOR (name)",)),
    "district": (_text, ("DistrictAdministrative (name)",)),
    "ward": (_text, ("AdministrativeWard (name)",)),
    "constituency": (_text, ("ParliamentaryConstituency (name)",)),
    "urban_rural": (_text, ("UrbanRural (name)",)),
    "country": (_text, ("Country (name)",)),
    "town": (_text, ("Town",)),
    "postcode": (_text, ("Postcode",)),
    "website": (_text, ("SchoolWebsite",)),
    "easting": (_int, ("Easting",)),
    "northing": (_int, ("Northing",)),
    "capacity": (_int, ("SchoolCapacity",)),
    "pupils": (_int, ("NumberOfPupils",)),
    "percentage_fsm": (_decimal, ("PercentageFSM",)),
    "census_date": (_date, ("CensusDate",)),
    "trust_code": (_text, ("Trusts (code)",)),
    "trust_name": (_text, ("Trusts (name)",)),
    "federation_code": (_text, ("Federations (code)",)),
    "federation_name": (_text, ("Federations (name)",)),
    "ofsted_rating": (_text, ("OfstedRating (name)",)),
    "ofsted_last_inspection": (_date, ("OfstedLastInsp",)),
    "register_last_changed": (_date, ("LastChangedDate",)),
}
FIELDS: tuple[str, ...] = tuple(COLUMNS)
REQUIRED_HEADERS = ("URN", "EstablishmentName", "EstablishmentStatus (name)", "LA (name)")
_MAX_LENGTHS: dict[str, int] = {
    f.name: f.max_length
    for f in School._meta.get_fields()
    if isinstance(f, Field) and f.max_length and f.name in COLUMNS
}


@dataclass
class ParsedRegister:
    layout: str  # "search-results" or "bulk-extract"
    encoding: str
    # The model fields this file has columns for, in COLUMNS order. A field the file does
    # not carry (e.g. trust codes in a search-results export) is left as stored.
    fields: tuple[str, ...] = ()
    rows: int = 0
    # urn -> tuple of values in ``fields`` order
    records: dict[int, tuple] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    # urn -> row hash, for every row in ``records``
    hashes: dict[int, str] = field(default_factory=dict)
    # URNs whose row hash matched ``known_hashes``: not converted, not in ``records``
    skipped: list[int] = field(default_factory=list)


def row_hash(prefix: bytes, cells) -> str:
    """The digest of one row's used cells (``prefix`` names the fields the file carries)."""
    digest = hashlib.blake2b(prefix, digest_size=16)
    digest.update("\x1f".join(cells).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


BOM = b"\xef\xbb\xbf"
CHUNK = 1024 * 1024


@dataclass
class _Shape:
    """What one pass over the bytes found: how to decode them, whether each record is on one
    line with one kind of line ending (so the fast reader may be used), how many lines."""

    encoding: str
    one_line_records: bool
    line_feeds: int
    ends_with_line_break: bool


class _Scan:
    """Counts kept while the file's bytes go past, one block at a time."""

    def __init__(self) -> None:
        self.utf8: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8")()
        self.blank = True
        self.lf = self.cr = self.crlf = 0
        self.last = b""
        self.quotes = 0  # quotes so far on the line being read
        self.odd_quotes = False  # some line has an odd number of quotes

    def feed(self, block: bytes) -> None:
        if self.utf8 is not None:
            try:
                self.utf8.decode(block)
            except UnicodeDecodeError:
                self.utf8 = None
        self.blank = self.blank and not block.strip()
        self.lf += block.count(b"\n")
        self.cr += block.count(b"\r")
        self.crlf += block.count(b"\r\n") + (self.last == b"\r" and block[:1] == b"\n")
        self.last = block[-1:]
        if b'"' in block or self.quotes:
            *lines, rest = block.split(b"\n")
            for line in lines:
                self.odd_quotes = self.odd_quotes or bool((self.quotes + line.count(b'"')) % 2)
                self.quotes = 0
            self.quotes = (self.quotes + rest.count(b'"')) % 2

    def finish(self) -> bool:
        """Whether the whole file was UTF-8."""
        if self.quotes:
            self.odd_quotes = True
        if self.utf8 is None:
            return False
        try:
            self.utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return True


def scan(stream: IO[bytes]) -> _Shape:
    """Read the file once, in blocks, and leave it at its start. Refuses empty and binary
    files. The encoding: UTF-8 with a byte-order mark; else UTF-8 if every byte of it is;
    else Windows-1252 (which leaves five byte values undefined: a stray one becomes
    "\ufffd" in its field alone rather than turning the whole file into Latin-1)."""
    stream.seek(0)
    head = stream.read(65536)
    if b"\x00" in head:
        raise NotARegisterFile(
            "The file is not a CSV text file (it contains binary data). Upload the CSV "
            "export from Get Information about Schools."
        )
    counts = _Scan()
    block = head
    while block:
        counts.feed(block)
        block = stream.read(CHUNK)
    if counts.blank:
        raise NotARegisterFile("The file is empty.")
    is_utf8 = counts.finish()
    stream.seek(0)
    encoding = ("utf-8-sig" if head.startswith(BOM) else "utf-8" if is_utf8
                else "windows-1252")
    mixed = (counts.cr != counts.crlf or counts.lf != counts.crlf) if counts.crlf \
        else bool(counts.cr)
    return _Shape(encoding=encoding, one_line_records=not (mixed or counts.odd_quotes),
                  line_feeds=counts.lf, ends_with_line_break=counts.last in (b"\n", b"\r"))


def _twice(urn: int, first: int, line: int) -> NotARegisterFile:
    return NotARegisterFile(
        f"URN {urn} appears twice (rows {first} and {line}). A register export lists each "
        "establishment once; the file was not imported.")


def _reader(text: TextIO) -> Iterator[list[str]]:
    return csv.reader(text, strict=True)


def _fast_reader(text: TextIO) -> Iterator[list[str]]:
    """The same rows as ``_reader``, several times faster, for a file whose records are each
    on one line with one kind of line ending (``_Shape.one_line_records``): a line without
    quotes is split on commas, a line with quotes goes through ``csv``."""
    for line in text:
        if line.endswith("\r\n"):
            line = line[:-2]
        elif line.endswith(("\n", "\r")):
            line = line[:-1]
        if '"' in line:
            yield next(csv.reader([line], strict=True))
        else:
            yield line.split(",") if line else []


def _source(data: bytes | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data


def parse_register(
    data: bytes | IO[bytes], progress: Callable[[int, int], None] | None = None,
    known_hashes: dict[int, str] | None = None,
) -> ParsedRegister:
    """Read a register file: bytes, or a binary file open for reading (a stored upload),
    which is read in blocks and never held whole in memory. With ``known_hashes`` (URN ->
    stored row hash), a row whose hash is unchanged is only checked (field count, URN, not
    repeated) and listed in ``skipped``."""
    stream = _source(data)
    shape = scan(stream)
    text = io.TextIOWrapper(stream, encoding=shape.encoding, errors="replace", newline="")
    try:
        return _parse(text, shape, progress, known_hashes or {})
    finally:
        text.detach()  # the caller's file stays open


def _parse(text: TextIO, shape: _Shape, progress: Callable[[int, int], None] | None,
           known: dict[int, str]) -> ParsedRegister:
    # A re-import mostly skips rows, so reading them is most of its work: use the fast
    # reader when it can be used (it gives the same rows).
    reader = _fast_reader(text) if known and shape.one_line_records else _reader(text)
    header = _header(reader)
    layout = "bulk-extract" if "TypeOfEstablishment (code)" in header else "search-results"
    plan = _plan(header)
    total = max(shape.line_feeds - 1, 1)
    parsed = ParsedRegister(layout=layout, encoding=shape.encoding,
                            fields=tuple(fname for fname, _, _ in plan))
    rows = _RowReader(parsed, plan, header, known)
    line = 1
    last_short = False
    try:
        for raw in reader:
            line += 1
            if not raw or (len(raw) == 1 and not raw[0].strip()):
                continue
            parsed.rows += 1
            if progress is not None and parsed.rows % 2000 == 0:
                progress(parsed.rows, total)
            last_short = len(raw) < rows.width
            rows.read(line, raw)
    except csv.Error as exc:
        raise NotARegisterFile(
            f"The file is damaged or truncated near row {line} ({exc}). Nothing was imported."
        ) from exc
    if last_short and not shape.ends_with_line_break:
        raise NotARegisterFile(
            f"The file ends part-way through row {line}: it looks truncated. Nothing was "
            "imported."
        )
    if not parsed.rows:
        raise NotARegisterFile("The file has a header but no schools.")
    if progress is not None:
        progress(parsed.rows, parsed.rows)
    return parsed


def _header(reader) -> list[str]:
    """The header row, refused without the columns every register export has."""
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise NotARegisterFile("The file has no header row.") from exc
    header = [h.strip() for h in header]
    missing = [h for h in REQUIRED_HEADERS if h not in header]
    if missing:
        raise NotARegisterFile(
            "This is not a register export from Get Information about Schools: the columns "
            + ", ".join(f"“{m}”" for m in missing)
            + " are missing."
        )
    return header


def _plan(header: list[str]) -> list[tuple[str, Callable, int]]:
    """(field, conversion, column) for each field the file carries, in ``COLUMNS`` order."""
    index = {name: i for i, name in enumerate(header)}
    plan = []
    for fname, (convert, names) in COLUMNS.items():
        at = next((index[n] for n in names if n in index), None)
        if at is not None:
            plan.append((fname, convert, at))
    return plan


class _RowReader:
    """Reads the rows of one file into ``parsed``: each row is checked, then skipped (its
    hash is known), rejected (with the reason) or converted."""

    def __init__(self, parsed: ParsedRegister, plan: list, header: list[str],
                 known: dict[int, str]):
        self.parsed, self.plan, self.known = parsed, plan, known
        self.width = len(header)
        self.urn_at = header.index("URN")
        self.prefix = ",".join(parsed.fields).encode()
        self.used_cells = itemgetter(*[at for _, _, at in plan])
        self.seen_at: dict[int, int] = {}

    def read(self, line: int, raw: list[str]) -> None:
        parsed = self.parsed
        # GIAS spreads "Linked establishments" over extra trailing fields, so a longer
        # row is normal; a shorter one has lost data.
        if len(raw) < self.width:
            parsed.errors.append({"row": line, "reason":
                                  f"The row has {len(raw)} fields; the header has {self.width}."})
            return
        urn_text = raw[self.urn_at].strip()
        if not (urn_text.isascii() and urn_text.isdigit()) or not \
                0 < int(urn_text) <= 2_000_000_000:
            parsed.errors.append({"row": line, "reason":
                                  f"The URN “{urn_text[:20]}” is not a valid URN."
                                  if urn_text else "The URN is missing."})
            return
        urn = int(urn_text)
        digest = row_hash(self.prefix, self.used_cells(raw))
        if self.known.get(urn) == digest:
            self._first_time(urn, line)
            parsed.skipped.append(urn)
            return
        values, reason = self._values(raw)
        if reason is not None:
            parsed.errors.append({"row": line, "urn": urn, "reason": reason})
            return
        self._first_time(urn, line)
        parsed.records[urn] = tuple(values)
        parsed.hashes[urn] = digest

    def _first_time(self, urn: int, line: int) -> None:
        """Refuses the file when ``urn`` has been read before."""
        if urn in self.seen_at:
            raise _twice(urn, self.seen_at[urn], line)
        self.seen_at[urn] = line

    def _values(self, raw: list[str]) -> tuple[list, str | None]:
        """The row's converted values, and why it cannot be used (``None`` if it can)."""
        values: list[Any] = []
        for fname, convert, at in self.plan:
            value = convert(raw[at])
            if isinstance(value, str) and len(value) > _MAX_LENGTHS.get(fname, 10**6):
                if fname == "name":
                    return values, f"The school name is longer than {_MAX_LENGTHS['name']} " \
                                   "characters."
                value = value[: _MAX_LENGTHS[fname]]  # an over-long optional field
            values.append(value)
        if not values[0]:
            return values, "The school name is missing."
        return values, None
