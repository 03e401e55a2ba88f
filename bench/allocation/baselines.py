"""Two baselines for the review-team optimiser, to be scored by the same independent scorer
(`apps.allocation.scorer.score`) as our solver.

- ``greedy``: a careful greedy. Reviews in order of scarcity (fewest schools able to send
  someone beyond the team size, then fewest possible leads); for each, a champion, then the
  lead, then each member: the eligible person with the best marginal score. It keeps every
  rule it can check as it goes (one person per school per team, loads, date clashes, the upper
  side of the balance rule, the champion's school) and leans towards schools that still owe
  places. The champion is chosen before the team, from the school the team needs least. A
  repair pass then gives places to schools that still give too little (the lower side of the
  balance rule): it swaps a team place held by a school with places to spare for someone of
  the owing school, when every other rule still holds. When a place cannot be
  filled it is left empty: the output is then partial and the scorer calls it invalid.
- ``flow``: a min-cost-flow matching of the kind conference reviewer matchers use (OR-Tools
  ``SimpleMinCostFlow``): source -> person (capacity the person's review limit; the second unit
  costs the extra-load weight) -> review (capacity 1, cost -(expertise - repeat - travel)) ->
  sink (capacity team size), maximum flow at minimum cost. The leads are then picked among each
  team, and champions greedily. A flow cannot express the date clashes across reviews, the
  balance rule, reciprocity, mentoring or the champion's school, so those are simply not
  enforced and the scorer reports what breaks. ``flow_school`` adds a (school, review) node of
  capacity ``max_from_one_school_per_team`` between people and reviews, which expresses the
  one-per-school rule in the flow.

Both use ``candidates`` (the solver's one-person, one-review filter from the shared rulebook,
like a conflict-of-interest filter), which looks only at the people of each review's pool
partnerships.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from apps.allocation.solver import candidates

SCALE = 100
TEAM = ("lead", "member")


def eligible(inst) -> dict:
    """review -> {person: roles}, over the people of the review's pool partnerships only."""
    out = {rid: {} for rid in inst.reviews}
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


def _pick_champions(inst, elig, teams, champ_load) -> list:
    """One champion per review, greedily: can be champion there, school not on the team,
    fewest champion roles so far. Reviews with the fewest candidates first."""
    s = inst.settings
    out = []
    if not s.assign_champion:
        return out

    def options(rid):
        team_schools = {inst.people[p].school for p, _ in teams[rid]}
        on_team = {p for p, _ in teams[rid]}
        return [p for p, roles in elig[rid].items()
                if "champion" in roles and p not in on_team
                and inst.people[p].school not in team_schools
                and champ_load[p] < s.max_champion_per_person]

    for rid in sorted(inst.reviews, key=lambda r: (len(options(r)), r)):
        opts = options(rid)
        if opts:
            best = min(opts, key=lambda p: (champ_load[p], p))
            champ_load[best] += 1
            out.append((rid, best, "champion"))
    return out


# -- careful greedy ---------------------------------------------------------------------------

def greedy(inst, balance_weight: float = 1.0, repair: bool = True) -> list:
    """Assignments (review, person, role); possibly partial."""
    s, w = inst.settings, inst.settings.weights
    elig = eligible(inst)
    received = Counter()
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

    team_load = Counter()
    champ_load = Counter()
    given = Counter()
    busy = defaultdict(set)
    directed = set()
    teams = defaultdict(list)
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


# -- min-cost flow ----------------------------------------------------------------------------

def flow(inst, school_layer: bool = False) -> list:
    """Assignments (review, person, role) from a maximum flow at minimum cost."""
    from ortools.graph.python import min_cost_flow

    s, w = inst.settings, inst.settings.weights
    elig = eligible(inst)
    mcf = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    node = {}

    def n(key):
        if key not in node:
            node[key] = len(node) + 2
        return node[key]

    pair_arcs = {}
    used_people = set()
    for rid, cands in elig.items():
        for pid, roles in cands.items():
            if "lead" not in roles and "member" not in roles:
                continue
            used_people.add(pid)
            cost = -round(pair_value(inst, rid, pid) * SCALE)
            if school_layer:
                mid = n(("sr", inst.people[pid].school, rid))
                arc = mcf.add_arc_with_capacity_and_unit_cost(n(("p", pid)), mid, 1, cost)
            else:
                arc = mcf.add_arc_with_capacity_and_unit_cost(n(("p", pid)), n(("r", rid)), 1,
                                                              cost)
            pair_arcs[arc] = (rid, pid)
    if school_layer:
        for key, idx in list(node.items()):
            if key[0] == "sr":
                mcf.add_arc_with_capacity_and_unit_cost(
                    idx, n(("r", key[2])), s.max_from_one_school_per_team, 0)
    for pid in sorted(used_people):
        limit = _limit(inst, pid)
        mcf.add_arc_with_capacity_and_unit_cost(source, n(("p", pid)), min(1, limit), 0)
        if limit > 1:  # further reviews cost the extra-load weight each
            mcf.add_arc_with_capacity_and_unit_cost(source, n(("p", pid)), limit - 1,
                                                    round(w["extra_load"] * SCALE))
    demand = 0
    for rid, review in inst.reviews.items():
        mcf.add_arc_with_capacity_and_unit_cost(n(("r", rid)), sink, review.team_size, 0)
        demand += review.team_size
    mcf.set_node_supply(source, demand)
    mcf.set_node_supply(sink, -demand)
    for idx in node.values():
        mcf.set_node_supply(idx, 0)
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min cost flow failed: status {status}")
    teams = defaultdict(list)
    for arc, (rid, pid) in pair_arcs.items():
        if mcf.flow(arc) > 0:
            teams[rid].append(pid)
    out = []
    role_teams = defaultdict(list)
    for rid in sorted(teams):
        people = teams[rid]

        # Someone who can only lead here first, then the most experienced who can lead; if
        # nobody can lead, the scorer says so.
        lead = max(("member" not in elig[rid][pid], "lead" in elig[rid][pid],
                     inst.people[pid].reviews_done, pid) for pid in people)[-1]
        for pid in people:
            role = "lead" if pid == lead else "member"
            out.append((rid, pid, role))
            role_teams[rid].append((pid, role))
    out += _pick_champions(inst, elig, role_teams, Counter())
    return out


def flow_school(inst) -> list:
    return flow(inst, school_layer=True)


METHODS = {"greedy": greedy, "flow": flow, "flow_school": flow_school}
