"""The independent scorer: checks a set of assignments against the 12 hard rules and computes
the objective exactly as the format defines them. It shares nothing with the solver but the
instance reader and the plain-English rulebook (``rulebook.py``, which the manual team page
uses too), so every tool's output (ours and the baselines') is judged the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from apps.reviews import rulebook

from .spec import Instance

TEAM = ("lead", "member")
ROLES = ("lead", "member", "champion")


@dataclass
class Score:
    violations: list = field(default_factory=list)
    total: float = 0.0
    parts: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.violations


def score(inst: Instance, assignments) -> Score:
    """``assignments``: iterable of (review, person, role)."""
    out = Score()
    v = out.violations
    rows = _known_rows(inst, assignments, v)
    by_review = defaultdict(list)
    for r, p, role in rows:
        by_review[r].append((p, role))
    v += _team_shape(inst, by_review)
    counts = _Counts(hosting=_hosting_dates(inst))
    for row in rows:
        v += _one_assignment(inst, row, counts)
    v += _schools_on_teams(inst, by_review)
    v += _roles_and_loads(inst, counts)
    v += _same_day(counts)
    v += _balance(inst, rows)
    v += _fixed_missing(inst, rows)
    out.parts, out.total = _objective(inst, rows, by_review)
    return out


@dataclass
class _Counts:
    """What the rules about several assignments need, counted row by row."""
    hosting: dict  # school -> the dates it hosts a review (read, not counted)
    team: Counter = field(default_factory=Counter)  # person -> lead/member places
    champion: Counter = field(default_factory=Counter)  # person -> champion places
    pairs: Counter = field(default_factory=Counter)  # (review, person) -> roles
    busy: dict = field(default_factory=lambda: defaultdict(list))  # (person, date) -> reviews


def _hosting_dates(inst: Instance) -> dict:
    hosting = defaultdict(set)
    for review in inst.reviews.values():
        hosting[review.host].update(review.dates)
    return hosting


def _known_rows(inst: Instance, assignments, v: list) -> list:
    """The assignments naming a known review, person and role; the others are violations."""
    rows = [(r, p, role) for r, p, role in assignments]
    known = []
    for r, p, role in rows:
        if r in inst.reviews and p in inst.people and role in ROLES:
            known.append((r, p, role))
        else:
            v.append(f"unknown assignment {r}/{p}/{role}")
    return known


def _team_shape(inst: Instance, by_review) -> list[str]:
    """Rule 1: one lead, ``team_size - 1`` members and (when assigned) one champion."""
    v = []
    want = 1 if inst.settings.assign_champion else 0
    for rid, review in inst.reviews.items():
        roles = Counter(role for _, role in by_review[rid])
        if roles["lead"] != 1:
            v.append(f"rule 1: {rid} has {roles['lead']} leads")
        if roles["member"] != review.team_size - 1:
            v.append(f"rule 1: {rid} has {roles['member']} members, needs {review.team_size - 1}")
        if roles["champion"] != want:
            v.append(f"rule 1: {rid} has {roles['champion']} champions, needs {want}")
    return v


def _one_assignment(inst: Instance, row, counts: _Counts) -> list[str]:
    """The rules one assignment breaks on its own (2 to 5, 9, 10 and the forbidden pairs of
    12), counting it for the rules about several."""
    r, p, role = row
    review, person = inst.reviews[r], inst.people[p]
    counts.pairs[(r, p)] += 1
    v = _capability(r, p, person, role)
    if role in TEAM:
        counts.team[p] += 1
        for d in review.dates:
            counts.busy[(p, d)].append(r)
        v += _team_place(inst, r, p, counts)
    else:
        counts.champion[p] += 1
    v += _own_school_and_pool(inst, r, p)
    v += _trust_and_federation(inst, r, p)
    if (r, p) in inst.forbidden:
        v.append(f"rule 12: forbidden pair {r}/{p}")
    return v


def _capability(r: str, p: str, person, role: str) -> list[str]:
    """Rule 2: the person can take the role."""
    if role == "lead" and not person.can_lead:
        return [f"rule 2: {p} cannot lead ({r})"]
    if role == "member" and not person.can_review:
        return [f"rule 2: {p} cannot review ({r})"]
    if role == "champion" and not person.can_champion:
        return [f"rule 2: {p} cannot be champion ({r})"]
    return []


def _team_place(inst: Instance, r: str, p: str, counts: _Counts) -> list[str]:
    """Rules 3, 9 and 10 for a lead or member: trained on the last day, free on the days
    (not away, their own school not hosting) and not too far."""
    s, review, person = inst.settings, inst.reviews[r], inst.people[p]
    v = []
    if person.trained_until is None or person.trained_until < review.dates[-1]:
        v.append(f"rule 3: {p} not trained on {review.dates[-1]} ({r})")
    for n, reason in ((9, rulebook.unavailable(p, review.dates, person.unavailable)),
                      (9, rulebook.own_school_hosts(p, review.dates,
                                                    counts.hosting[person.school])),
                      (10, rulebook.too_far(p, inst.dist_km(person.school, review.host),
                                            s.max_travel_km, review.mode == "in_person"))):
        if reason:
            v.append(f"rule {n}: {reason} ({r})")
    return v


def _own_school_and_pool(inst: Instance, r: str, p: str) -> list[str]:
    """Rule 4: not the host's own people, and from a partnership of the review's pool."""
    review, person = inst.reviews[r], inst.people[p]
    v = []
    if person.school == review.host:
        v.append(f"rule 4: {p} reviews own school ({r})")
    if inst.schools[person.school].partnership not in review.pool:
        v.append(f"rule 4: {p}'s school is not in the pool of {r}")
    return v


def _trust_and_federation(inst: Instance, r: str, p: str) -> list[str]:
    """Rule 5: not from the host's trust or federation (when the settings forbid it)."""
    s = inst.settings
    mine, host = inst.schools[inst.people[p].school], inst.schools[inst.reviews[r].host]
    v = []
    if s.forbid_same_trust and mine.trust is not None and mine.trust == host.trust:
        v.append(f"rule 5: {p} same trust as host of {r}")
    if s.forbid_same_federation and mine.federation is not None and \
            mine.federation == host.federation:
        v.append(f"rule 5: {p} same federation as host of {r}")
    return v


def _schools_on_teams(inst: Instance, by_review) -> list[str]:
    """Rules 6 and 7: at most so many people of one school in a team, and the champion's
    school not on the team."""
    cap = inst.settings.max_from_one_school_per_team
    v = []
    for rid in inst.reviews:
        team_schools = Counter(inst.people[p].school for p, role in by_review[rid]
                               if role in TEAM)
        for school, n in team_schools.items():
            if n > cap:
                v.append(f"rule 6: {n} people from {school} on {rid}")
        for p, role in by_review[rid]:
            if role == "champion" and inst.people[p].school in team_schools:
                v.append(f"rule 7: champion {p}'s school is on the team of {rid}")
    return v


def _roles_and_loads(inst: Instance, counts: _Counts) -> list[str]:
    """Rule 8: one role per review, and each person's yearly most (team places and champion
    places apart)."""
    s = inst.settings
    v = [f"rule 8: {p} has {n} roles on {r}" for (r, p), n in counts.pairs.items() if n > 1]
    for p, n in counts.team.items():
        reason = rulebook.yearly_maximum(
            p, n, rulebook.yearly_limit(inst.people[p].max_reviews, s.max_reviews_per_person))
        if reason:
            v.append(f"rule 8: {reason}")
    for p, n in counts.champion.items():
        reason = rulebook.yearly_maximum(p, n, s.max_champion_per_person, champion=True)
        if reason:
            v.append(f"rule 8: {reason}")
    return v


def _same_day(counts: _Counts) -> list[str]:
    """Rule 9: nobody on two reviews on one day."""
    return [f"rule 9: {rulebook.same_day(p, d, other)} ({rs[0]})"
            for (p, d), rs in counts.busy.items() for other in rs[1:]]


def _balance(inst: Instance, rows) -> list[str]:
    """Rule 11: each school gives within the tolerance of the places it receives."""
    tolerance = inst.settings.balance_tolerance
    if tolerance is None:
        return []
    given = Counter(inst.people[p].school for r, p, role in rows if role in TEAM)
    received: Counter[Any] = Counter()
    for review in inst.reviews.values():
        received[review.host] += review.team_size
    return [f"rule 11: school {urn} gives {given[urn]}, receives {received[urn]}"
            for urn in inst.schools if abs(given[urn] - received[urn]) > tolerance]


def _fixed_missing(inst: Instance, rows) -> list[str]:
    """Rule 12: every fixed assignment is there."""
    present = set(rows)
    return [f"rule 12: fixed {fixed[0]}/{fixed[1]}/{fixed[2]} missing"
            for fixed in inst.fixed if fixed not in present]


def _objective(inst: Instance, rows, by_review) -> tuple[dict, float]:
    """The objective's parts and its weighted total."""
    w = inst.settings.weights
    team_rows = [(r, p) for r, p, role in rows if role in TEAM]
    expertise = sum(len(inst.people[p].strengths & inst.reviews[r].themes) for r, p in team_rows)
    repeat = sum(1 for r, p in team_rows
                 if inst.reviews[r].host in inst.people[p].reviewed_before)
    travel = sum(inst.dist_km(inst.people[p].school, inst.reviews[r].host) / 10
                 for r, p in team_rows if inst.reviews[r].mode == "in_person")
    directed = {(inst.people[p].school, inst.reviews[r].host) for r, p in team_rows}
    reciprocal = sum(1 for a, b in directed if a < b and (b, a) in directed)
    mentoring = 0
    for rid in inst.reviews:
        done = [inst.people[p].reviews_done for p, role in by_review[rid] if role in TEAM]
        if any(x == 0 for x in done) and any(x >= 3 for x in done):
            mentoring += 1
    extra = sum(max(0, n - 1) for n in Counter(p for _, p in team_rows).values())
    parts = {"expertise": expertise, "repeat": repeat, "travel_per_10km": round(travel, 6),
             "reciprocal": reciprocal, "mentoring": mentoring, "extra_load": extra}
    total = round(w["expertise"] * expertise - w["repeat"] * repeat
                  - w["travel_per_10km"] * travel - w["reciprocal"] * reciprocal
                  + w["mentoring"] * mentoring - w["extra_load"] * extra, 6)
    return parts, total
