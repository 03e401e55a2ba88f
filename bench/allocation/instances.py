"""Benchmark instances of the review-team optimiser (`spp-allocation/1`), built from the real
register sample `bench/data/20220420_gias.csv` (GIAS, 20 April 2022: the primary schools of
Hampshire, LA 850, and Surrey, LA 936).

Schools, their locations, trusts, federations and sizes are the register's; partnerships,
people, dates and strengths are made up, deterministically:

- **Partnerships.** The open schools of each local authority are cut into partnerships of 5 to 8
  by recursive bisection on the map: split the schools along their wider spread (easting or
  northing) into two parts whose sizes can each still be cut into groups of 5 to 8, until a part
  is one group. The cut point is drawn with ``random.Random(f"{SEED}/{LA code}")``, so group
  sizes vary. A repair pass then swaps a school with its nearest school of a neighbouring
  partnership when a review would have fewer than ``team_size + 2`` schools able to send
  someone (one per team place, one for the champion and one to spare; the others are the host
  and schools of the host's trust or federation), or, where the partnership is too small for
  that, when any other school of the partnership cannot send someone. Partnerships are named
  ``HA01``... (Hampshire) and ``SU01``... (Surrey), numbered in bisection order, so
  neighbouring numbers are neighbours on the map.
- **People and the review of each school** come from ``random.Random(f"{SEED}/{copy}/{urn}")``,
  so a school has the same people and review in every instance that contains it. 3 people for a
  school under 150 pupils, 4 up to 399, 5 from 400. The first can lead and review; others
  review (a third of them can lead); about 1 in 12 of the others is an Improvement Champion
  only (not trained to review). Training runs to August 2027 or 2028; of the third and later
  people 7% expire on 15 November 2026 and 3% are not trained, so every school has two trained
  reviewers. ``max_reviews`` is 2 (1 for a quarter of the third and later people); a
  partnership's champions are topped up so that at least 3 of its schools have one and they
  can cover two more reviews than the partnership hosts (the first person of the lowest-URN
  schools without one becomes a champion). 0 to 3 unavailable autumn weekdays, 1 to 3
  strengths out of 12 themes, ``reviews_done`` 0 (25%), 1-2 (35%) or 3-8 (40%), and up to two
  schools of their partnership reviewed before.
- **Reviews.** Every school hosts one review on autumn-term weekdays (7 September to 11 December
  2026, not half term 26-30 October): two consecutive days from 300 pupils, else one; the
  reviews of one partnership never share a date (drawn in URN order, again on a clash).
  ``team_size`` 4 from 400 pupils in a partnership of 7 or more, else 3; 1 or 2 themes; 10%
  virtual. ``pool`` is the host's partnership, or the partnerships of its regional group.
- **Settings** as the worked example: at most 2 reviews a person, one person per school per
  team, same trust and federation forbidden, 40 km, balance tolerance 1, champions assigned,
  weights expertise 3, repeat 5, travel 1 per 10 km, reciprocal 2, mentoring 2, extra load 1.

Instances (``INSTANCES``):

- ``one-partnership``: the first 6-school Hampshire partnership (6 reviews, ~25 people);
- ``hampshire``: the 427 open Hampshire schools in their partnerships;
- ``hants-surrey``: all 728 open schools (~2,900 people);
- ``national-x4``: the 728 schools four times (copy ``k`` adds ``k`` million to each URN, moves
  the schools 200 km north per copy, suffixes trusts and federations and draws its own people
  and dates with ``copy = k``): ~2,900 reviews, ~11,600 people;
- ``hampshire-pools-5`` / ``hampshire-pools-10``: Hampshire with consecutive partnerships
  pooled in groups of 5 (10): each review's ``pool`` lists its group's partnerships;
- ``hampshire-county-pool``: Hampshire as one pool;
- ``infeasible-balance``: Hampshire with every leader of one hosting school gone (the balance
  rule cannot be met); ``infeasible-day``: Hampshire with every leader of one partnership away
  on one of its review days (nobody can lead it).

    .venv/bin/python bench/allocation/instances.py            # sizes of every instance
    .venv/bin/python bench/allocation/instances.py --write    # JSON in bench/allocation/instances/
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

HERE = Path(__file__).resolve().parent
REGISTER = HERE.parent / "data" / "20220420_gias.csv"
OUT_DIR = HERE / "instances"
SEED = 20220420
THEMES = ("assessment", "attendance", "behaviour", "curriculum", "early_years", "engagement",
          "inclusion", "leadership", "maths", "reading", "send", "wellbeing")
SETTINGS = {
    "max_reviews_per_person": 2, "max_champion_per_person": 2,
    "max_from_one_school_per_team": 1, "forbid_same_trust": True,
    "forbid_same_federation": True, "max_travel_km": 40, "balance_tolerance": 1,
    "assign_champion": True,
    "weights": {"expertise": 3, "repeat": 5, "travel_per_10km": 1, "reciprocal": 2,
                "mentoring": 2, "extra_load": 1},
}
LA_PREFIX = {"850": "HA", "936": "SU"}
MIN_SIZE, MAX_SIZE = 5, 8
COLUMNS = ("URN", "LA (code)", "EstablishmentStatus (name)", "Easting", "Northing",
           "Trusts (name)", "Federations (name)", "NumberOfPupils")  # nothing else is read


def autumn_weekdays() -> list[date]:
    day, end = date(2026, 9, 7), date(2026, 12, 11)
    half_term = {date(2026, 10, 26) + timedelta(days=i) for i in range(5)}
    out = []
    while day <= end:
        if day.weekday() < 5 and day not in half_term:
            out.append(day)
        day += timedelta(days=1)
    return out


WEEKDAYS = autumn_weekdays()
TWO_DAY_STARTS = [d for d in WEEKDAYS if d.weekday() < 4 and d + timedelta(days=1) in WEEKDAYS]


def read_register(path: Path = REGISTER) -> list[dict]:
    """The open schools of the sample: only the columns in COLUMNS are kept."""
    schools: list[dict[str, Any]] = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            row = {k: row[k] for k in COLUMNS}
            if not row["EstablishmentStatus (name)"].startswith("Open"):
                continue
            pupils = row["NumberOfPupils"]
            schools.append({
                "urn": int(row["URN"]), "la": row["LA (code)"],
                "easting": int(row["Easting"]), "northing": int(row["Northing"]),
                "trust": row["Trusts (name)"] or None,
                "federation": row["Federations (name)"] or None,
                "pupils": int(pupils) if pupils else None})
    schools.sort(key=lambda s: s["urn"])
    return schools


# -- partnerships -----------------------------------------------------------------------------

def _can_cut(n: int, groups: int) -> bool:
    return MIN_SIZE * groups <= n <= MAX_SIZE * groups


def _bisect(items: list, groups: int, rng: random.Random) -> list[list]:
    if groups == 1:
        return [items]
    es = [s["easting"] for s in items]
    ns = [s["northing"] for s in items]
    key = "easting" if max(es) - min(es) >= max(ns) - min(ns) else "northing"
    other = "northing" if key == "easting" else "easting"
    items = sorted(items, key=lambda s: (s[key], s[other], s["urn"]))
    g1 = groups // 2
    g2 = groups - g1
    n = len(items)
    options = [n1 for n1 in range(1, n) if _can_cut(n1, g1) and _can_cut(n - n1, g2)]
    target = n * g1 / groups
    # Near the proportional cut, jittered by up to one school per group on the smaller side.
    spread = max(1, min(g1, g2))
    near = [n1 for n1 in options if abs(n1 - target) <= spread] or options
    n1 = rng.choice(near)
    return _bisect(items[:n1], g1, rng) + _bisect(items[n1:], g2, rng)


def _conflict(a: dict, b: dict) -> bool:
    return (a["trust"] is not None and a["trust"] == b["trust"]) or \
        (a["federation"] is not None and a["federation"] == b["federation"])


def _team_size(school: dict, partnership_size: int) -> int:
    return 4 if (school["pupils"] or 0) >= 400 and partnership_size >= 7 else 3


def _short(group: list) -> list:
    """Schools of ``group`` whose review would have fewer than team_size + 2 schools able to
    send someone (one per team place, one for the champion and one to spare), or, in a
    partnership too small for that, not every other school."""
    bad = []
    for s in group:
        able = sum(1 for o in group if o is not s and not _conflict(s, o))
        if able < min(_team_size(s, len(group)) + 2, len(group) - 1):
            bad.append(s)
    return bad


def _repair(groups: list[list]) -> None:
    """Swap schools between neighbouring partnerships until no review is short of schools."""
    for _ in range(200):
        broken = [(i, _short(g)) for i, g in enumerate(groups) if _short(g)]
        if not broken:
            return
        i, bad = broken[0]
        best = _first_swap(groups, i, bad)
        if best is None:
            raise RuntimeError(f"cannot repair partnership {i}")
        j, out, inn, gi, gj = best
        groups[i] = sorted(gi, key=lambda s: s["urn"])
        groups[j] = sorted(gj, key=lambda s: s["urn"])
    raise RuntimeError("partnership repair did not converge")


def _centre(g: list) -> tuple[float, float]:
    return (sum(s["easting"] for s in g) / len(g), sum(s["northing"] for s in g) / len(g))


def _d2(a, b) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _first_swap(groups: list[list], i: int, bad: list):
    """(j, school out, school in, new group i, new group j): the first swap of a school of
    group ``i`` that conflicts with a short one (or is one) for a school of the nearest
    partnership, nearest first, that leaves fewer short reviews; ``None`` if there is none."""
    g = groups[i]
    # Move out a school that conflicts with a short one (or the short one itself).
    movable = sorted({id(o): o for s in bad for o in g
                      if o is s or _conflict(s, o)}.values(), key=lambda s: s["urn"])
    for out in movable:
        pos = (out["easting"], out["northing"])
        for j in sorted(range(len(groups)), key=lambda j: _d2(_centre(groups[j]), pos)):
            if j == i:
                continue
            for inn in sorted(groups[j], key=lambda s: _d2((s["easting"], s["northing"]), pos)):
                gi = [s for s in g if s is not out] + [inn]
                gj = [s for s in groups[j] if s is not inn] + [out]
                cost = len(_short(gi)) + len(_short(gj))
                if cost < len(bad) + len(_short(groups[j])):
                    return j, out, inn, gi, gj
    return None


def partnerships(schools: list[dict]) -> dict[str, list[dict]]:
    """name -> schools, per local authority, in bisection (map) order."""
    out = {}
    for la in sorted({s["la"] for s in schools}):
        items = [s for s in schools if s["la"] == la]
        groups = _bisect(items, round(len(items) / 6.5), random.Random(f"{SEED}/{la}"))
        _repair(groups)
        for k, g in enumerate(groups, 1):
            out[f"{LA_PREFIX.get(la, la)}{k:02d}"] = sorted(g, key=lambda s: s["urn"])
    return out


# -- people and reviews -----------------------------------------------------------------------

def _people(school: dict, urn: int, peers: list[int], rng: random.Random) -> list[dict]:
    pupils = school["pupils"] or 250
    n = 3 if pupils < 150 else 4 if pupils < 400 else 5
    people = []
    for k in range(1, n + 1):
        if k > 2 and rng.random() < 1 / 12:  # champion only
            people.append({"id": f"p{urn}-{k}", "school": urn, "can_review": False,
                           "can_lead": False, "can_champion": True, "trained_until": None,
                           "max_reviews": 2, "unavailable": [], "strengths":
                           sorted(rng.sample(THEMES, rng.randint(1, 2))),
                           "reviews_done": 0, "reviewed_before": []})
            continue
        u = rng.random()
        trained = "2027-08-31" if u < 0.6 or (k <= 2 and u >= 0.9) else \
            "2028-08-31" if u < 0.9 else "2026-11-15" if u < 0.97 else None
        u = rng.random()
        done = 0 if u < 0.25 else rng.randint(1, 2) if u < 0.6 else rng.randint(3, 8)
        before = sorted(rng.sample(peers, min(len(peers), done, rng.randint(0, 2))))
        people.append({
            "id": f"p{urn}-{k}", "school": urn, "can_review": True,
            "can_lead": k == 1 or rng.random() < 1 / 3,
            "can_champion": rng.random() < (0.3 if k == 1 else 0.25),
            "trained_until": trained,
            "max_reviews": 1 if rng.random() < 0.25 and k > 2 else 2,
            "unavailable": sorted(d.isoformat() for d in
                                  rng.sample(WEEKDAYS, rng.choice([0, 0, 1, 2, 3]))),
            "strengths": sorted(rng.sample(THEMES, rng.randint(1, 3))),
            "reviews_done": done, "reviewed_before": before})
    return people


def _review(school: dict, urn: int, partnership_size: int, rng: random.Random,
            taken: set) -> dict:
    """``taken``: dates of the partnership's reviews drawn so far; a partnership's reviews
    never share a date (drawn again until they do not)."""
    pupils = school["pupils"] or 250
    while True:
        if pupils >= 300:
            first = rng.choice(TWO_DAY_STARTS)
            dates = [first, first + timedelta(days=1)]
        else:
            dates = [rng.choice(WEEKDAYS)]
        if not taken & set(dates):
            break
    taken.update(dates)
    return {"id": f"R{urn}", "host": urn, "dates": [d.isoformat() for d in dates],
            "mode": "virtual" if rng.random() < 0.1 else "in_person",
            "team_size": _team_size(school, partnership_size),
            "themes": sorted(rng.sample(THEMES, rng.randint(1, 2))), "pool": None}


def _world(register: list[dict], copy: int = 0) -> tuple[list[Any], list[Any], list[Any], dict]:
    """Schools, people, reviews (pool unset) and partnership -> urns for one copy."""
    groups = partnerships(register)
    shift = copy * 1_000_000
    schools, people, reviews, members = [], [], [], {}
    for name, group in groups.items():
        pname = name if copy == 0 else f"X{copy}-{name}"
        urns = [s["urn"] + shift for s in group]
        members[pname] = urns
        taken: set[int] = set()
        for s in group:
            urn = s["urn"] + shift
            suffix = "" if copy == 0 else f" #{copy}"
            schools.append({
                "urn": urn, "partnership": pname,
                "trust": None if s["trust"] is None else s["trust"] + suffix,
                "federation": None if s["federation"] is None else s["federation"] + suffix,
                "easting": s["easting"], "northing": s["northing"] + 200_000 * copy})
            rng = random.Random(f"{SEED}/{copy}/{s['urn']}")
            review = _review(s, urn, len(group), rng, taken)
            review["pool"] = [pname]
            reviews.append(review)
            people += _people(s, urn, [u for u in urns if u != urn], rng)
        _top_up_champions(people, urns)
    return schools, people, reviews, members


def _top_up_champions(people: list[dict], urns: list[int]) -> None:
    """Every partnership has Improvement Champions in at least 3 of its schools, and enough of
    them for two reviews more than it hosts (two each): the first person of the lowest-URN
    schools without one becomes a champion."""
    mine = [p for p in people if p["school"] in set(urns)]
    have = {p["school"] for p in mine if p["can_champion"]}
    count = sum(1 for p in mine if p["can_champion"])
    for urn in sorted(urns):
        if len(have) >= 3 and 2 * count >= len(urns) + 2:
            break
        if urn not in have:
            next(p for p in mine if p["school"] == urn)["can_champion"] = True
            have.add(urn)
            count += 1


def _instance(name: str, schools, people, reviews) -> dict:
    return {"format": "spp-allocation/1", "name": name,
            "settings": json.loads(json.dumps(SETTINGS)),
            "schools": schools, "people": people, "reviews": reviews,
            "fixed": [], "forbidden": []}


def _subset(schools, people, reviews, keep_partnerships) -> tuple[list, list, list]:
    urns = {s["urn"] for s in schools if s["partnership"] in keep_partnerships}
    return ([s for s in schools if s["urn"] in urns],
            [p for p in people if p["school"] in urns],
            [r for r in reviews if r["host"] in urns])


def _pooled(name: str, schools, people, reviews, members, group_size: int | None) -> dict:
    names = list(members)  # bisection order: neighbours on the map
    size = group_size or len(names)
    groups = [names[i:i + size] for i in range(0, len(names), size)]
    if len(groups) > 1 and len(groups[-1]) < size / 2:  # fold a small tail into the last group
        tail = groups.pop()
        groups[-1] = groups[-1] + tail
    pool_of = {p: g for g in groups for p in g}
    part = {s["urn"]: s["partnership"] for s in schools}
    reviews = [dict(r, pool=list(pool_of[part[r["host"]]])) for r in reviews]
    return _instance(name, schools, people, reviews)


def build(name: str, register: list[dict] | None = None) -> dict:
    register = register if register is not None else read_register()
    hants = [s for s in register if s["la"] == "850"]
    if name == "one-partnership":
        schools, people, reviews, members = _world(hants)
        first = next(p for p, urns in members.items() if len(urns) == 6)
        return _instance(name, *_subset(schools, people, reviews, {first}))
    if name == "hampshire":
        return _instance(name, *_world(hants)[:3])
    if name == "hants-surrey":
        return _instance(name, *_world(register)[:3])
    if name == "national-x4":
        parts = [_world(register, copy) for copy in range(4)]
        return _instance(name, *(sum((cast(list[Any], p[i]) for p in parts), [])
                                 for i in range(3)))
    if name == "hampshire-pools-5":
        return _pooled(name, *_world(hants), 5)
    if name == "hampshire-pools-10":
        return _pooled(name, *_world(hants), 10)
    if name == "hampshire-county-pool":
        return _pooled(name, *_world(hants), None)
    if name == "infeasible-balance":
        # A school's leaders have all left: it cannot give what it receives.
        data = _instance(name, *_world(hants)[:3])
        host = data["reviews"][0]["host"]
        data["people"] = [p for p in data["people"] if p["school"] != host]
        return data
    if name == "infeasible-day":
        # Every leader of one partnership is away on one of its review days.
        data = _instance(name, *_world(hants)[:3])
        review = data["reviews"][0]
        part = {s["urn"]: s["partnership"] for s in data["schools"]}
        for p in data["people"]:
            if part[p["school"]] == review["pool"][0]:
                p["unavailable"] = sorted(set(p["unavailable"]) | set(review["dates"]))
        return data
    raise KeyError(name)


INSTANCES = ("one-partnership", "hampshire", "hants-surrey", "national-x4",
             "hampshire-pools-5", "hampshire-pools-10", "hampshire-county-pool",
             "infeasible-balance", "infeasible-day")


def describe(data: dict) -> str:
    pools = {tuple(r["pool"]) for r in data["reviews"]}
    parts = {s["partnership"] for s in data["schools"]}
    return (f"{data['name']:<24} {len(data['schools']):>5} schools {len(parts):>4} partnerships "
            f"{len(data['reviews']):>5} reviews {len(data['people']):>6} people "
            f"{len(pools):>4} pools")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true",
                    help="write each instance as JSON under bench/allocation/instances/")
    ap.add_argument("names", nargs="*", default=list(INSTANCES), help="instances (default all)")
    args = ap.parse_args(argv)
    register = read_register()
    for name in args.names:
        data = build(name, register)
        print(describe(data))
        if args.write:
            OUT_DIR.mkdir(exist_ok=True)
            path = OUT_DIR / f"{name}.json"
            path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
            print(f"  -> {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
