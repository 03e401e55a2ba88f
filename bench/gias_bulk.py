"""Build register files in the **national bulk-extract layout** (``edubasealldataYYYYMMDD.csv``)
from the shape of the real search-results sample in ``tests/data/20220420_gias.csv``.

The bulk extract differs from the search-results export in three ways, all reproduced here:
Windows-1252 encoding with no byte-order mark, categorical columns as paired
``X (code)`` / ``X (name)`` columns, and around 50,000 rows. Values are taken from the sample's
rows in turn, with new URNs and names, so the distribution of phases, types, statuses, local
authorities and % FSM is the sample's. Head-teacher name columns are filled with invented
names so that tests can check the importer never stores them.

Used by the import tests (small files) and ``bench/import_bench.py`` (50,000 rows).
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "20220420_gias.csv"

# Categorical columns that the bulk extract publishes as code + name pairs.
PAIRED = {
    "TypeOfEstablishment", "EstablishmentTypeGroup", "EstablishmentStatus",
    "ReasonEstablishmentOpened", "ReasonEstablishmentClosed", "PhaseOfEducation", "Boarders",
    "NurseryProvision", "OfficialSixthForm", "Gender", "ReligiousCharacter", "ReligiousEthos",
    "Diocese", "AdmissionsPolicy", "SpecialClasses", "TrustSchoolFlag", "Trusts",
    "SchoolSponsorFlag", "SchoolSponsors", "FederationFlag", "Federations",
    "FurtherEducationType", "GOR", "DistrictAdministrative", "AdministrativeWard",
    "ParliamentaryConstituency", "UrbanRural", "Country", "OfstedRating", "RSCRegion",
}
INVENTED_HEADS = [("Ms", "Zephyrine", "Quillbottom"), ("Mr", "Athelstan", "Moonwhistle"),
                  ("Dr", "Perpetua", "Brackenfold")]
ACCENTED = ["St Mary’s", "Église Court", "Ysgol Gynradd Bryn–Derw", "Saint Anne’s"]


def sample_rows() -> tuple[list[str], list[list[str]]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    width = len(header)
    # The sample spreads "Linked establishments" over extra trailing fields; keep one.
    return header, [r[:width] for r in body]


def bulk_header(header: list[str]) -> list[str]:
    out = []
    for col in header:
        base = col[: -len(" (name)")] if col.endswith(" (name)") else None
        if base in PAIRED:
            out.append(f"{base} (code)")
        out.append(col)
    return out


def build_rows(n: int, seed: int = 20220420, first_urn: int = 100000):
    """Yield ``n`` rows (as dicts keyed by the search-results header) shaped like the sample."""
    header, body = sample_rows()
    rng = random.Random(seed)
    for i in range(n):
        src = dict(zip(header, body[i % len(body)], strict=True))
        src["URN"] = str(first_urn + i)
        stem = src["EstablishmentName"]
        if i >= len(body):
            stem = f"{stem} {i // len(body) + 1}"
        if i % 97 == 0:
            stem = f"{rng.choice(ACCENTED)} {stem}"
        src["EstablishmentName"] = stem
        title, first, last = INVENTED_HEADS[i % len(INVENTED_HEADS)]
        src["HeadTitle (name)"], src["HeadFirstName"], src["HeadLastName"] = title, first, last
        yield src


def write_bulk(n: int, *, seed: int = 20220420, first_urn: int = 100000) -> bytes:
    """The bytes of a bulk-layout file of ``n`` rows, encoded Windows-1252."""
    header, _ = sample_rows()
    bulk = bulk_header(header)
    codes: dict[str, dict[str, str]] = {}
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(bulk)
    for src in build_rows(n, seed=seed, first_urn=first_urn):
        out = []
        for col in bulk:
            if col.endswith(" (code)") and col[: -len(" (code)")] in PAIRED:
                base = col[: -len(" (code)")]
                name = src.get(f"{base} (name)", "")
                table = codes.setdefault(base, {})
                out.append(table.setdefault(name, str(len(table) + 1)) if name else "")
            else:
                out.append(src.get(col, ""))
        writer.writerow(out)
    return buf.getvalue().encode("cp1252")


def write_search_results(rows: list[list[str]] | None = None) -> bytes:
    """A search-results layout file (UTF-8 with BOM, every field quoted) of the given rows."""
    header, body = sample_rows()
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows if rows is not None else body:
        writer.writerow(r)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.write_bytes(write_bulk(args.rows))
    print(f"wrote {args.rows:,} rows to {args.out}")
