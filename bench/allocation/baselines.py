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
from typing import Any

from apps.allocation.greedy import _limit, eligible, greedy, pair_value  # noqa: F401

SCALE = 100
TEAM = ("lead", "member")


def _pick_champions(inst, elig, teams, champ_load) -> list:
    """One champion per review, greedily: can be champion there, school not on the team,
    fewest champion roles so far. Reviews with the fewest candidates first."""
    s = inst.settings
    out: list[Any] = []
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


# -- min-cost flow ----------------------------------------------------------------------------

def flow(inst, school_layer: bool = False) -> list:
    """Assignments (review, person, role) from a maximum flow at minimum cost."""
    from ortools.graph.python import min_cost_flow

    elig = eligible(inst)
    net = _Network(min_cost_flow.SimpleMinCostFlow())
    pair_arcs, used_people = _pair_arcs(inst, elig, net, school_layer)
    if school_layer:
        _school_arcs(inst, net)
    _person_arcs(inst, net, used_people)
    _review_arcs(inst, net)
    mcf = net.mcf
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min cost flow failed: status {status}")
    teams = defaultdict(list)
    for arc, (rid, pid) in pair_arcs.items():
        if mcf.flow(arc) > 0:
            teams[rid].append(pid)
    return _with_leads_and_champions(inst, elig, teams)


class _Network:
    """The min-cost-flow network, its nodes named by keys (numbered as first used)."""
    source, sink = 0, 1

    def __init__(self, mcf):
        self.mcf = mcf
        self.node = {}

    def n(self, key) -> int:
        if key not in self.node:
            self.node[key] = len(self.node) + 2
        return self.node[key]

    def arc(self, tail: int, head: int, capacity: int, cost: int) -> int:
        return self.mcf.add_arc_with_capacity_and_unit_cost(tail, head, capacity, cost)


def _pair_arcs(inst, elig, net: _Network, school_layer: bool) -> tuple[dict, set]:
    """person -> review (or -> (school, review)), capacity 1, cost minus the pair's value.
    Returns (arc -> (review, person), the people with an arc)."""
    pair_arcs = {}
    used_people = set()
    for rid, cands in elig.items():
        for pid, roles in cands.items():
            if "lead" not in roles and "member" not in roles:
                continue
            used_people.add(pid)
            cost = -round(pair_value(inst, rid, pid) * SCALE)
            if school_layer:
                mid = net.n(("sr", inst.people[pid].school, rid))
                arc = net.arc(net.n(("p", pid)), mid, 1, cost)
            else:
                arc = net.arc(net.n(("p", pid)), net.n(("r", rid)), 1, cost)
            pair_arcs[arc] = (rid, pid)
    return pair_arcs, used_people


def _school_arcs(inst, net: _Network) -> None:
    """(school, review) -> review, capacity the most people of one school in a team."""
    for key, idx in list(net.node.items()):
        if key[0] == "sr":
            net.arc(idx, net.n(("r", key[2])), inst.settings.max_from_one_school_per_team, 0)


def _person_arcs(inst, net: _Network, used_people: set) -> None:
    """source -> person: the first review free, each further one the extra-load weight."""
    w = inst.settings.weights
    for pid in sorted(used_people):
        limit = _limit(inst, pid)
        net.arc(net.source, net.n(("p", pid)), min(1, limit), 0)
        if limit > 1:  # further reviews cost the extra-load weight each
            net.arc(net.source, net.n(("p", pid)), limit - 1, round(w["extra_load"] * SCALE))


def _review_arcs(inst, net: _Network) -> None:
    """review -> sink, capacity the team size; the source supplies every place."""
    demand = 0
    for rid, review in inst.reviews.items():
        net.arc(net.n(("r", rid)), net.sink, review.team_size, 0)
        demand += review.team_size
    net.mcf.set_node_supply(net.source, demand)
    net.mcf.set_node_supply(net.sink, -demand)
    for idx in net.node.values():
        net.mcf.set_node_supply(idx, 0)


def _with_leads_and_champions(inst, elig, teams) -> list:
    """Each team's lead picked, then champions greedily."""
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
