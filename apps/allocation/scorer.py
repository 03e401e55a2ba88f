"""The independent scorer: checks a set of assignments against the 12 hard rules and computes
the objective exactly as the format defines them. It shares nothing with the solver but the
instance reader and the plain-English rulebook (``rulebook.py``, which the manual team page
uses too), so every tool's output (ours and the baselines') is judged the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from apps.reviews import rulebook

from .spec import Instance

TEAM = ("lead", "member")


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
    s = inst.settings
    out = Score()
    v = out.violations
    rows = [(r, p, role) for r, p, role in assignments]
    for r, p, role in rows:
        if r not in inst.reviews or p not in inst.people or role not in ("lead", "member",
                                                                       "champion"):
            v.append(f"unknown assignment {r}/{p}/{role}")
    rows = [(r, p, role) for r, p, role in rows
            if r in inst.reviews and p in inst.people and role in ("lead", "member", "champion")]
    by_review = defaultdict(list)
    for r, p, role in rows:
        by_review[r].append((p, role))

    # 1. team shape
    for rid, review in inst.reviews.items():
        roles = Counter(role for _, role in by_review[rid])
        if roles["lead"] != 1:
            v.append(f"rule 1: {rid} has {roles['lead']} leads")
        if roles["member"] != review.team_size - 1:
            v.append(f"rule 1: {rid} has {roles['member']} members, needs {review.team_size - 1}")
        want = 1 if s.assign_champion else 0
        if roles["champion"] != want:
            v.append(f"rule 1: {rid} has {roles['champion']} champions, needs {want}")
    team_count: Counter[str] = Counter()
    champ_count: Counter[str] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    dates_busy = defaultdict(list)
    hosting_dates = defaultdict(set)
    for review in inst.reviews.values():
        hosting_dates[review.host].update(review.dates)
    for r, p, role in rows:
        review, person = inst.reviews[r], inst.people[p]
        pairs[(r, p)] += 1
        # 2. capability
        if role == "lead" and not person.can_lead:
            v.append(f"rule 2: {p} cannot lead ({r})")
        if role == "member" and not person.can_review:
            v.append(f"rule 2: {p} cannot review ({r})")
        if role == "champion" and not person.can_champion:
            v.append(f"rule 2: {p} cannot be champion ({r})")
        if role in TEAM:
            team_count[p] += 1
            # 3. training
            if person.trained_until is None or person.trained_until < review.dates[-1]:
                v.append(f"rule 3: {p} not trained on {review.dates[-1]} ({r})")
            # 9. dates
            for d in review.dates:
                dates_busy[(p, d)].append(r)
            for n, reason in ((9, rulebook.unavailable(p, review.dates, person.unavailable)),
                              (9, rulebook.own_school_hosts(p, review.dates,
                                                            hosting_dates[person.school])),
                              (10, rulebook.too_far(p, inst.dist_km(person.school, review.host),
                                                    s.max_travel_km,
                                                    review.mode == "in_person"))):
                if reason:
                    v.append(f"rule {n}: {reason} ({r})")
        else:
            champ_count[p] += 1
        # 4. own school and pool
        if person.school == review.host:
            v.append(f"rule 4: {p} reviews own school ({r})")
        if inst.schools[person.school].partnership not in review.pool:
            v.append(f"rule 4: {p}'s school is not in the pool of {r}")
        # 5. trust / federation
        mine, host = inst.schools[person.school], inst.schools[review.host]
        if s.forbid_same_trust and mine.trust is not None and mine.trust == host.trust:
            v.append(f"rule 5: {p} same trust as host of {r}")
        if s.forbid_same_federation and mine.federation is not None and \
                mine.federation == host.federation:
            v.append(f"rule 5: {p} same federation as host of {r}")
        # 12. forbidden
        if (r, p) in inst.forbidden:
            v.append(f"rule 12: forbidden pair {r}/{p}")
    # 6 and 7
    for rid in inst.reviews:
        team_schools = Counter(inst.people[p].school for p, role in by_review[rid]
                               if role in TEAM)
        for school, n in team_schools.items():
            if n > s.max_from_one_school_per_team:
                v.append(f"rule 6: {n} people from {school} on {rid}")
        for p, role in by_review[rid]:
            if role == "champion" and inst.people[p].school in team_schools:
                v.append(f"rule 7: champion {p}'s school is on the team of {rid}")
    # 8. roles and loads
    for (r, p), n in pairs.items():
        if n > 1:
            v.append(f"rule 8: {p} has {n} roles on {r}")
    for p, n in team_count.items():
        reason = rulebook.yearly_maximum(
            p, n, rulebook.yearly_limit(inst.people[p].max_reviews, s.max_reviews_per_person))
        if reason:
            v.append(f"rule 8: {reason}")
    for p, n in champ_count.items():
        reason = rulebook.yearly_maximum(p, n, s.max_champion_per_person, champion=True)
        if reason:
            v.append(f"rule 8: {reason}")
    for (p, d), rs in dates_busy.items():
        for other in rs[1:]:
            v.append(f"rule 9: {rulebook.same_day(p, d, other)} ({rs[0]})")
    # 11. balance
    if s.balance_tolerance is not None:
        given = Counter(inst.people[p].school for r, p, role in rows if role in TEAM)
        received: Counter[int] = Counter()
        for review in inst.reviews.values():
            received[review.host] += review.team_size
        for urn in inst.schools:
            if abs(given[urn] - received[urn]) > s.balance_tolerance:
                v.append(f"rule 11: school {urn} gives {given[urn]}, receives {received[urn]}")
    # 12. fixed
    present = set(rows)
    for fixed in inst.fixed:
        if fixed not in present:
            v.append(f"rule 12: fixed {fixed[0]}/{fixed[1]}/{fixed[2]} missing")

    # Objective
    w = s.weights
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
    out.parts = {"expertise": expertise, "repeat": repeat, "travel_per_10km": round(travel, 6),
                 "reciprocal": reciprocal, "mentoring": mentoring, "extra_load": extra}
    out.total = round(w["expertise"] * expertise - w["repeat"] * repeat
                      - w["travel_per_10km"] * travel - w["reciprocal"] * reciprocal
                      + w["mentoring"] * mentoring - w["extra_load"] * extra, 6)
    return out
