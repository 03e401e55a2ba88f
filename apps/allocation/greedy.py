"""The careful greedy allocation: reviews scarcest first, the champion first from the
school the team needs least, then the lead and each member by their marginal score, leaning
towards schools that owe places under the balance rule, then swaps that repair the balance.
Possibly partial or rule-breaking: the scorer decides.

It is the benchmark's greedy baseline (``bench/allocation/baselines.py``) and one of the
optimiser's warm starts (``solver.warm_start``), on one pool at a time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .solver import candidates


def eligible(inst) -> dict:
    """review -> {person: roles}, over the people of the review's pool partnerships only."""
    out: dict[str, dict[str, list[str]]] = {rid: {} for rid in inst.reviews}
    for (rid, pid), roles in candidates(inst).items():
        out[rid][pid] = roles
    return out


def pair_value(inst, rid, pid) -> float:
    """The part of the objective that one lead/member assignment adds on its own."""
    w, review, person = inst.settings.weights, inst.reviews[rid], inst.people[pid]
    value = w["expertise"] * len(person.strengths & review.themes)
    if review.host in person.reviewed_before:
        value -= w["repeat"]
    if review.mode == "in_person":
        value -= w["travel_per_10km"] * inst.dist_km(person.school, review.host) / 10
    return value


def _limit(inst, pid) -> int:
    return min(inst.people[pid].max_reviews, inst.settings.max_reviews_per_person)


# -- careful greedy ---------------------------------------------------------------------------

def greedy(inst, balance_weight: float = 1.0, repair: bool = True) -> list:
    """Assignments (review, person, role); possibly partial."""
    run = _CarefulGreedy(inst, balance_weight)
    for rid in sorted(inst.reviews, key=run.scarcity):
        run.fill(rid)
    if run.tol is not None and repair:
        run.repair_balance()
    out = [(rid, pid, role) for rid in sorted(run.teams) for pid, role in run.teams[rid]]
    out += [(rid, pid, "champion") for rid, pid in sorted(run.champion_of.items())]
    return out


class _CarefulGreedy:
    """The careful greedy's allocation so far and what it uses."""

    def __init__(self, inst, balance_weight: float):
        self.inst, self.s, self.w = inst, inst.settings, inst.settings.weights
        self.balance_weight = balance_weight
        self.elig = eligible(inst)
        self.received: Counter[Any] = Counter()
        for review in inst.reviews.values():
            self.received[review.host] += review.team_size
        self.tol = self.s.balance_tolerance
        self.cap = self.s.max_from_one_school_per_team
        self.team_load: Counter[Any] = Counter()
        self.champ_load: Counter[Any] = Counter()
        self.given: Counter[Any] = Counter()
        self.busy: defaultdict[Any, Any] = defaultdict(set)
        self.directed: set[Any] = set()
        self.teams: defaultdict[Any, Any] = defaultdict(list)
        self.champion_of: dict[Any, Any] = {}

    def scarcity(self, rid):
        inst, elig = self.inst, self.elig
        review = inst.reviews[rid]
        schools = {inst.people[p].school for p, roles in elig[rid].items()
                   if "lead" in roles or "member" in roles}
        leads = sum(1 for roles in elig[rid].values() if "lead" in roles)
        return (len(schools) - review.team_size, leads, len(elig[rid]), rid)

    def fill(self, rid) -> None:
        """The champion first (when assigned), then the lead and each member; a place
        nobody can take stays empty."""
        review = self.inst.reviews[rid]
        champion_school = self._champion(rid) if self.s.assign_champion else None
        for slot in ["lead"] + ["member"] * (review.team_size - 1):
            best = self._best(rid, slot, champion_school)
            if best is None:
                continue  # the place stays empty: partial, invalid output
            self.teams[rid].append((best, slot))
            self.team_load[best] += 1
            self.given[self.inst.people[best].school] += 1
            self.busy[best].update(review.dates)
            self.directed.add((self.inst.people[best].school, review.host))

    def _champion(self, rid):
        """The champion, from the school the team needs least: the fewest people free to
        join this team, then the least-used champion. Returns their school (``None``: no
        champion)."""
        inst, s, elig = self.inst, self.s, self.elig
        review = inst.reviews[rid]
        free = Counter(inst.people[p].school for p, roles in elig[rid].items()
                       if ("lead" in roles or "member" in roles)
                       and self.team_load[p] < _limit(inst, p)
                       and not self.busy[p] & set(review.dates))
        schools_free = len(free)
        options = [p for p, roles in elig[rid].items()
                   if "champion" in roles and self.champ_load[p] < s.max_champion_per_person]
        if not options:
            return None
        keys = []
        for p in options:
            school = inst.people[p].school
            spare = schools_free - (1 if school in free else 0) >= review.team_size
            keys.append((not spare, free[school], self.champ_load[p], p))
        best = min(keys)[-1]
        self.champ_load[best] += 1
        self.champion_of[rid] = best
        return inst.people[best].school

    def _best(self, rid, slot, champion_school):
        """The eligible person with the best marginal score for ``slot`` who keeps the rules
        the greedy checks as it goes, leaning towards schools that owe places."""
        inst, w, tol = self.inst, self.w, self.tol
        team_load, given, received = self.team_load, self.given, self.received
        review = inst.reviews[rid]
        host = review.host
        on_team = {p for p, _ in self.teams[rid]}
        school_count = Counter(inst.people[p].school for p in on_team)
        done = [inst.people[p].reviews_done for p in on_team]
        has_novice = any(x == 0 for x in done)
        has_expert = any(x >= 3 for x in done)
        best, best_key = None, None
        for pid, roles in self.elig[rid].items():
            if slot not in roles or pid in on_team:
                continue
            person = inst.people[pid]
            school = person.school
            if team_load[pid] >= _limit(inst, pid) or school_count[school] >= self.cap or \
                    school == champion_school:
                continue
            if self.busy[pid] & set(review.dates):
                continue
            if tol is not None and given[school] >= received[school] + tol:
                continue
            value = pair_value(inst, rid, pid)
            if team_load[pid] >= 1:
                value -= w["extra_load"]
            if (school, host) not in self.directed and (host, school) in self.directed:
                value -= w["reciprocal"]
            if (person.reviews_done == 0 and has_expert and not has_novice) or \
                    (person.reviews_done >= 3 and has_novice and not has_expert):
                value += w["mentoring"]
            owed = received[school] - given[school] - (tol or 0)
            if tol is not None and owed > 0:
                value += self.balance_weight * owed
            key = (value, -team_load[pid], pid)
            if best_key is None or key > best_key:
                best, best_key = pid, key
        return best

    def repair_balance(self, rounds: int = 1000) -> None:
        """Swap places to schools that give too little: replace a team place held by a
        school with places to spare by someone of the owing school, keeping every other rule
        the greedy keeps. Best change of the objective's pair terms first."""
        inst, tol = self.inst, self.tol
        for _ in range(rounds):
            owing = sorted(u for u in inst.schools
                           if self.given[u] < self.received[u] - tol)
            if not owing:
                return
            moved = False
            for school in owing:
                people = [p for p, person in inst.people.items() if person.school == school
                          and self.team_load[p] < _limit(inst, p)]
                best = self._best_swap(school, people)
                if best is None:
                    continue
                self._swap(school, *best)
                moved = True
            if not moved:
                return

    def _best_swap(self, school, people):
        """(review, place, person out, person in, role) with the best gain, or ``None``."""
        inst, tol, given, received = self.inst, self.tol, self.given, self.received
        best, best_gain = None, None
        for rid, team in self.teams.items():
            review = inst.reviews[rid]
            champ = self.champion_of.get(rid)
            if champ is not None and inst.people[champ].school == school:
                continue
            schools = Counter(inst.people[p].school for p, _ in team)
            if schools[school] >= self.cap:
                continue
            for i, (old, role) in enumerate(team):
                donor = inst.people[old].school
                if given[donor] - 1 < received[donor] - tol:
                    continue
                for new in people:
                    if role not in self.elig[rid].get(new, ()) or \
                            self.busy[new] & set(review.dates):
                        continue
                    gain = pair_value(inst, rid, new) - pair_value(inst, rid, old)
                    if best_gain is None or gain > best_gain:
                        best, best_gain = (rid, i, old, new, role), gain
        return best

    def _swap(self, school, rid, i, old, new, role) -> None:
        dates = set(self.inst.reviews[rid].dates)
        self.teams[rid][i] = (new, role)
        self.team_load[old] -= 1
        self.team_load[new] += 1
        self.given[self.inst.people[old].school] -= 1
        self.given[school] += 1
        self.busy[old] -= dates
        self.busy[new] |= dates
