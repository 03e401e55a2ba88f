"""The `spp-allocation/1` exchange format (docs/allocation-format.md): reading an instance
with every default applied, and refusing a malformed one with a message naming the field.

Reading is the only thing the solver, the baselines and the scorer share; each applies the
rules on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FORMAT = "spp-allocation/1"
SOLUTION_FORMAT = "spp-allocation-solution/1"
WEIGHT_NAMES = ("expertise", "repeat", "travel_per_10km", "reciprocal", "mentoring",
                "extra_load")
ROLES = ("lead", "member", "champion")


class InstanceError(ValueError):
    """A malformed instance. ``field`` is where, e.g. ``people[3].school``."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Settings:
    max_reviews_per_person: int = 2
    max_champion_per_person: int = 2
    max_from_one_school_per_team: int = 1
    forbid_same_trust: bool = True
    forbid_same_federation: bool = True
    max_travel_km: float | None = None
    balance_tolerance: int | None = None
    assign_champion: bool = True
    weights: dict = field(default_factory=lambda: {w: 0 for w in WEIGHT_NAMES})


@dataclass(frozen=True)
class School:
    urn: int
    partnership: str
    trust: str | None
    federation: str | None
    easting: float
    northing: float


@dataclass(frozen=True)
class Person:
    id: str
    school: int
    can_review: bool
    can_lead: bool
    can_champion: bool
    trained_until: date | None
    max_reviews: int
    unavailable: frozenset
    strengths: frozenset
    reviews_done: int
    reviewed_before: frozenset


@dataclass(frozen=True)
class ReviewSpec:
    id: str
    host: int
    dates: tuple
    mode: str
    team_size: int
    themes: frozenset
    pool: tuple


@dataclass
class Instance:
    name: str
    settings: Settings
    schools: dict  # urn -> School
    people: dict  # id -> Person
    reviews: dict  # id -> ReviewSpec
    fixed: list  # (review, person, role)
    forbidden: set  # (review, person)

    def dist_km(self, a: int, b: int) -> float:
        sa, sb = self.schools[a], self.schools[b]
        return round(math.hypot(sa.easting - sb.easting, sa.northing - sb.northing) / 1000, 1)


def _get(obj: dict, key: str, where: str, kind, default=None, *, required=False):
    if not isinstance(obj, dict):
        raise InstanceError(where, "must be an object")
    value = obj.get(key)
    if value is None:
        if required:
            raise InstanceError(f"{where}.{key}" if where else key, "is required")
        return default
    ok = isinstance(value, kind) and not (kind in (int, float, (int, float)) and
                                          isinstance(value, bool))
    if not ok:
        names = {str: "text", int: "a whole number", bool: "true or false", list: "a list",
                 dict: "an object", (int, float): "a number"}
        raise InstanceError(f"{where}.{key}" if where else key,
                            f"must be {names.get(kind, kind)}, not {type(value).__name__}")
    return value


def _date(value, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InstanceError(where, f"must be a date as YYYY-MM-DD, not {value!r}") from None


def _strings(values, where: str) -> frozenset:
    if not all(isinstance(v, str) for v in values):
        raise InstanceError(where, "must be a list of text")
    return frozenset(values)


def load_instance(data) -> Instance:
    if not isinstance(data, dict):
        raise InstanceError("(top level)", "the instance must be a JSON object")
    fmt = _get(data, "format", "", str, required=True)
    if fmt != FORMAT:
        raise InstanceError("format", f"must be {FORMAT!r}, not {fmt!r}")
    name = _get(data, "name", "", str, "")
    settings = _settings(_get(data, "settings", "", dict, {}))
    schools: dict[Any, Any] = {}
    for i, row in enumerate(_get(data, "schools", "", list, [], required=True)):
        school = _school(row, f"schools[{i}]", schools)
        schools[school.urn] = school
    people: dict[Any, Any] = {}
    for i, row in enumerate(_get(data, "people", "", list, [], required=True)):
        person = _person(row, f"people[{i}]", people, schools, settings)
        people[person.id] = person
    reviews: dict[Any, Any] = {}
    for i, row in enumerate(_get(data, "reviews", "", list, [], required=True)):
        review = _review(row, f"reviews[{i}]", reviews, schools)
        reviews[review.id] = review
    fixed = [_fixed(row, f"fixed[{i}]", reviews, people)
             for i, row in enumerate(_get(data, "fixed", "", list, []))]
    forbidden = {_forbidden(row, f"forbidden[{i}]", reviews, people)
                 for i, row in enumerate(_get(data, "forbidden", "", list, []))}
    return Instance(name=name, settings=settings, schools=schools, people=people,
                    reviews=reviews, fixed=fixed, forbidden=forbidden)


def _settings(s) -> Settings:
    weights_in = _get(s, "weights", "settings", dict, {})
    weights = {}
    for w in WEIGHT_NAMES:
        weights[w] = _get(weights_in, w, "settings.weights", (int, float), 0)
    tolerance = _get(s, "balance_tolerance", "settings", int)
    travel = _get(s, "max_travel_km", "settings", (int, float))
    settings = Settings(
        max_reviews_per_person=_get(s, "max_reviews_per_person", "settings", int, 2),
        max_champion_per_person=_get(s, "max_champion_per_person", "settings", int, 2),
        max_from_one_school_per_team=_get(s, "max_from_one_school_per_team", "settings", int, 1),
        forbid_same_trust=_get(s, "forbid_same_trust", "settings", bool, True),
        forbid_same_federation=_get(s, "forbid_same_federation", "settings", bool, True),
        max_travel_km=travel, balance_tolerance=tolerance,
        assign_champion=_get(s, "assign_champion", "settings", bool, True), weights=weights)
    for key in ("max_reviews_per_person", "max_champion_per_person",
                "max_from_one_school_per_team"):
        if getattr(settings, key) < 0:
            raise InstanceError(f"settings.{key}", "must not be negative")
    if tolerance is not None and tolerance < 0:
        raise InstanceError("settings.balance_tolerance", "must not be negative")
    return settings


def _school(row, where: str, schools: dict) -> School:
    urn = _get(row, "urn", where, int, required=True)
    if urn in schools:
        raise InstanceError(f"{where}.urn", f"school {urn} is listed twice")
    trust = _get(row, "trust", where, (str, int))
    federation = _get(row, "federation", where, (str, int))
    return School(
        urn=urn, partnership=_get(row, "partnership", where, str, required=True),
        trust=None if trust is None else str(trust),
        federation=None if federation is None else str(federation),
        easting=_get(row, "easting", where, (int, float), required=True),
        northing=_get(row, "northing", where, (int, float), required=True))


def _person(row, where: str, people: dict, schools: dict, settings: Settings) -> Person:
    pid = _get(row, "id", where, str, required=True)
    if pid in people:
        raise InstanceError(f"{where}.id", f"person {pid!r} is listed twice")
    school = _get(row, "school", where, int, required=True)
    if school not in schools:
        raise InstanceError(f"{where}.school", f"school {school} is not in schools")
    trained = _get(row, "trained_until", where, str)
    return Person(
        id=pid, school=school, can_review=_get(row, "can_review", where, bool, False),
        can_lead=_get(row, "can_lead", where, bool, False),
        can_champion=_get(row, "can_champion", where, bool, False),
        trained_until=_date(trained, f"{where}.trained_until") if trained else None,
        max_reviews=_get(row, "max_reviews", where, int, settings.max_reviews_per_person),
        unavailable=frozenset(_date(d, f"{where}.unavailable") for d in
                              _get(row, "unavailable", where, list, [])),
        strengths=_strings(_get(row, "strengths", where, list, []),
                           f"{where}.strengths"),
        reviews_done=_get(row, "reviews_done", where, int, 0),
        reviewed_before=frozenset(_get(row, "reviewed_before", where, list, [])))


def _review(row, where: str, reviews: dict, schools: dict) -> ReviewSpec:
    rid = _get(row, "id", where, str, required=True)
    if rid in reviews:
        raise InstanceError(f"{where}.id", f"review {rid!r} is listed twice")
    host = _get(row, "host", where, int, required=True)
    if host not in schools:
        raise InstanceError(f"{where}.host", f"school {host} is not in schools")
    dates = _get(row, "dates", where, list, required=True)
    if not dates:
        raise InstanceError(f"{where}.dates", "needs at least one date")
    mode = _get(row, "mode", where, str, "in_person")
    if mode not in ("in_person", "virtual"):
        raise InstanceError(f"{where}.mode", f"must be in_person or virtual, not {mode!r}")
    team_size = _get(row, "team_size", where, int, 3)
    if team_size < 1:
        raise InstanceError(f"{where}.team_size", "must be at least 1 (the lead)")
    pool = _get(row, "pool", where, list, [schools[host].partnership])
    if not pool or not all(isinstance(p, str) for p in pool):
        raise InstanceError(f"{where}.pool", "must be a list of partnership names")
    return ReviewSpec(
        id=rid, host=host,
        dates=tuple(sorted(_date(d, f"{where}.dates") for d in dates)), mode=mode,
        team_size=team_size,
        themes=_strings(_get(row, "themes", where, list, []), f"{where}.themes"),
        pool=tuple(pool))


def _fixed(row, where: str, reviews: dict, people: dict) -> tuple[str, str, str]:
    rid = _get(row, "review", where, str, required=True)
    pid = _get(row, "person", where, str, required=True)
    role = _get(row, "role", where, str, required=True)
    _known(rid, pid, where, reviews, people)
    if role not in ROLES:
        raise InstanceError(f"{where}.role", f"must be one of {', '.join(ROLES)}")
    return rid, pid, role


def _forbidden(row, where: str, reviews: dict, people: dict) -> tuple[str, str]:
    rid = _get(row, "review", where, str, required=True)
    pid = _get(row, "person", where, str, required=True)
    _known(rid, pid, where, reviews, people)
    return rid, pid


def _known(rid: str, pid: str, where: str, reviews: dict, people: dict) -> None:
    """A fixed or forbidden row names a review and a person of the instance."""
    if rid not in reviews:
        raise InstanceError(f"{where}.review", f"review {rid!r} is not in reviews")
    if pid not in people:
        raise InstanceError(f"{where}.person", f"person {pid!r} is not in people")
