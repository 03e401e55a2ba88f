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
    s, w = inst.settings, inst.settings.weights
    elig = eligible(inst)
    received: Counter[int] = Counter()
    for review in inst.reviews.values():
        received[review.host] += review.team_size
    tol = s.balance_tolerance
    cap = s.max_from_one_school_per_team

    def scarcity(rid):
        review = inst.reviews[rid]
        schools = {inst.people[p].school for p, roles in elig[rid].items()
                   if "lead" in roles or "member" in roles}
        leads = sum(1 for roles in elig[rid].values() if "lead" in roles)
        return (len(schools) - review.team_size, leads, len(elig[rid]), rid)

    team_load: Counter[str] = Counter()
    champ_load: Counter[str] = Counter()
    given: Counter[int] = Counter()
    busy: defaultdict[str, set[Any]] = defaultdict(set)
    directed = set()
    teams: defaultdict[str, list[Any]] = defaultdict(list)
    champion_of = {}
    for rid in sorted(inst.reviews, key=scarcity):
        review = inst.reviews[rid]
        host = review.host
        champion_school = None
        if s.assign_champion:
            # The champion first, from the school the team needs least: the fewest people
            # free to join this team, then the least-used champion.
            free = Counter(inst.people[p].school for p, roles in elig[rid].items()
                           if ("lead" in roles or "member" in roles)
                           and team_load[p] < _limit(inst, p)
                           and not busy[p] & set(review.dates))
            schools_free = len(free)
            options = [p for p, roles in elig[rid].items()
                       if "champion" in roles and champ_load[p] < s.max_champion_per_person]
            if options:
                keys = []
                for p in options:
                    school = inst.people[p].school
                    spare = schools_free - (1 if school in free else 0) >= review.team_size
                    keys.append((not spare, free[school], champ_load[p], p))
                best = min(keys)[-1]
                champ_load[best] += 1
                champion_school = inst.people[best].school
                champion_of[rid] = best
        for slot in ["lead"] + ["member"] * (review.team_size - 1):
            team = teams[rid]
            on_team = {p for p, _ in team}
            school_count = Counter(inst.people[p].school for p in on_team)
            done = [inst.people[p].reviews_done for p in on_team]
            has_novice = any(x == 0 for x in done)
            has_expert = any(x >= 3 for x in done)
            best, best_key = None, None
            for pid, roles in elig[rid].items():
                if slot not in roles or pid in on_team:
                    continue
                person = inst.people[pid]
                school = person.school
                if team_load[pid] >= _limit(inst, pid) or school_count[school] >= cap or \
                        school == champion_school:
                    continue
                if busy[pid] & set(review.dates):
                    continue
                if tol is not None and given[school] >= received[school] + tol:
                    continue
                value = pair_value(inst, rid, pid)
                if team_load[pid] >= 1:
                    value -= w["extra_load"]
                if (school, host) not in directed and (host, school) in directed:
                    value -= w["reciprocal"]
                if (person.reviews_done == 0 and has_expert and not has_novice) or \
                        (person.reviews_done >= 3 and has_novice and not has_expert):
                    value += w["mentoring"]
                owed = received[school] - given[school] - (tol or 0)
                if tol is not None and owed > 0:
                    value += balance_weight * owed
                key = (value, -team_load[pid], pid)
                if best_key is None or key > best_key:
                    best, best_key = pid, key
            if best is None:
                continue  # the place stays empty: partial, invalid output
            team.append((best, slot))
            team_load[best] += 1
            given[inst.people[best].school] += 1
            busy[best].update(review.dates)
            directed.add((inst.people[best].school, host))
    if tol is not None and repair:
        _repair_balance(inst, elig, teams, champion_of, team_load, given, received, busy)
    out = [(rid, pid, role) for rid in sorted(teams) for pid, role in teams[rid]]
    out += [(rid, pid, "champion") for rid, pid in sorted(champion_of.items())]
    return out


def _repair_balance(inst, elig, teams, champion_of, team_load, given, received, busy,
                    rounds: int = 1000) -> None:
    """Swap places to schools that give too little: replace a team place held by a school
    with places to spare by someone of the owing school, keeping every other rule the greedy
    keeps. Best change of the objective's pair terms first."""
    tol = inst.settings.balance_tolerance
    cap = inst.settings.max_from_one_school_per_team
    for _ in range(rounds):
        owing = sorted(u for u in inst.schools if given[u] < received[u] - tol)
        if not owing:
            return
        moved = False
        for school in owing:
            people = [p for p, person in inst.people.items() if person.school == school
                      and team_load[p] < _limit(inst, p)]
            best, best_gain = None, None
            for rid, team in teams.items():
                review = inst.reviews[rid]
                champ = champion_of.get(rid)
                if champ is not None and inst.people[champ].school == school:
                    continue
                schools = Counter(inst.people[p].school for p, _ in team)
                if schools[school] >= cap:
                    continue
                for i, (old, role) in enumerate(team):
                    donor = inst.people[old].school
                    if given[donor] - 1 < received[donor] - tol:
                        continue
                    for new in people:
                        if role not in elig[rid].get(new, ()) or busy[new] & set(review.dates):
                            continue
                        gain = pair_value(inst, rid, new) - pair_value(inst, rid, old)
                        if best_gain is None or gain > best_gain:
                            best, best_gain = (rid, i, old, new, role), gain
            if best is None:
                continue
            rid, i, old, new, role = best
            dates = set(inst.reviews[rid].dates)
            teams[rid][i] = (new, role)
            team_load[old] -= 1
            team_load[new] += 1
            given[inst.people[old].school] -= 1
            given[school] += 1
            busy[old] -= dates
            busy[new] |= dates
            moved = True
        if not moved:
            return


