"""The review-team optimiser: every team (and Improvement Champion) of an instance at once,
solved exactly with OR-Tools CP-SAT.

- Candidates are filtered first by the rules that concern one person and one review (role,
  training, own school, pool, trust, federation, dates, travel, forbidden pairs).
- Independent pools (reviews and people that cannot affect each other through any rule) are
  solved as separate problems; the answer is ``optimal`` only if every pool is.
- The objective is scaled to integers (travel is in tenths of a kilometre) and the reported
  objective is recomputed by the independent scorer from the assignments.
- Nothing partial or rule-breaking is returned: a solution is checked by the scorer before it
  is reported, and ``infeasible`` comes with reasons (``diagnose.py``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from . import diagnose
from .scorer import score
from .spec import SOLUTION_FORMAT, Instance

SCALE = 100  # travel is dist_km / 10 with one decimal of a km: two decimals, so x100 is exact
TEAM = ("lead", "member")


@dataclass
class Result:
    status: str
    objective: float | None = None
    bound: float | None = None
    assignments: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    seconds: float = 0.0
    pools: int = 0

    def as_json(self, instance_name: str) -> dict:
        return {"format": SOLUTION_FORMAT, "instance": instance_name, "status": self.status,
                "objective": self.objective, "bound": self.bound,
                "assignments": [{"review": r, "person": p, "role": role}
                                for r, p, role in self.assignments],
                "reasons": self.reasons, "seconds": round(self.seconds, 3)}


def candidate_roles(inst: Instance, rid: str, pid: str) -> list[str]:
    """The roles ``pid`` could take on review ``rid`` by the one-person, one-review rules."""
    s, review, person = inst.settings, inst.reviews[rid], inst.people[pid]
    mine, host = inst.schools[person.school], inst.schools[review.host]
    if person.school == review.host or mine.partnership not in review.pool:
        return []
    if (rid, pid) in inst.forbidden:
        return []
    if s.forbid_same_trust and mine.trust is not None and mine.trust == host.trust:
        return []
    if s.forbid_same_federation and mine.federation is not None and \
            mine.federation == host.federation:
        return []
    roles = []
    if s.assign_champion and person.can_champion and s.max_champion_per_person > 0:
        roles.append("champion")
    team_ok = (person.trained_until is not None and person.trained_until >= review.dates[-1]
               and min(person.max_reviews, s.max_reviews_per_person) > 0
               and not (set(review.dates) & person.unavailable)
               and not (set(review.dates) & hosting_dates(inst).get(person.school, set()))
               and not (review.mode == "in_person" and s.max_travel_km is not None
                        and inst.dist_km(person.school, review.host) > s.max_travel_km))
    if team_ok and person.can_lead:
        roles.append("lead")
    if team_ok and person.can_review:
        roles.append("member")
    return roles


def hosting_dates(inst: Instance) -> dict:
    cached = getattr(inst, "_hosting_dates", None)
    if cached is None:
        cached = defaultdict(set)
        for review in inst.reviews.values():
            cached[review.host].update(review.dates)
        inst._hosting_dates = cached
    return cached


def people_in_pool(inst: Instance, pool) -> list[str]:
    """People whose school is in one of the partnerships ``pool`` (indexed once)."""
    index = getattr(inst, "_people_by_partnership", None)
    if index is None:
        index = defaultdict(list)
        for pid, person in inst.people.items():
            index[inst.schools[person.school].partnership].append(pid)
        inst._people_by_partnership = index
    return [pid for partnership in dict.fromkeys(pool) for pid in index.get(partnership, [])]


def candidates(inst: Instance) -> dict:
    """(review, person) -> roles, for every pair with at least one role. Only people of the
    review's pool are looked at, so a national instance costs what its pools cost."""
    out = {}
    for rid, review in inst.reviews.items():
        for pid in people_in_pool(inst, review.pool):
            roles = candidate_roles(inst, rid, pid)
            if roles:
                out[(rid, pid)] = roles
    return out


def pools(inst: Instance, cands: dict) -> list[tuple[set, set]]:
    """Independent sub-problems: (review ids, person ids). Reviews are joined by shared
    candidates; with the balance rule, a school's hosted reviews and its people belong
    together too."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    for rid in inst.reviews:
        find(("r", rid))
    for rid, pid in cands:
        union(("r", rid), ("p", pid))
    # People of the same school interact (one per school per team, champion's school, the
    # school-hosting-date rule is static); reciprocity links schools both ways.
    for pid, person in inst.people.items():
        union(("p", pid), ("s", person.school))
    for rid, review in inst.reviews.items():
        union(("r", rid), ("s", review.host))
    groups = defaultdict(lambda: (set(), set()))
    for rid in inst.reviews:
        groups[find(("r", rid))][0].add(rid)
    for pid in inst.people:
        root = find(("p", pid))
        if root in groups:
            groups[root][1].add(pid)
    return list(groups.values())


def _solve_pool(inst, cands, reviews, people, time_limit, workers):
    s, w = inst.settings, inst.settings.weights
    model = cp_model.CpModel()
    x = {}
    for (rid, pid), roles in cands.items():
        if rid in reviews:
            for role in roles:
                x[(rid, pid, role)] = model.new_bool_var(f"x_{rid}_{pid}_{role}")
    by_review_role = defaultdict(list)
    by_person_team = defaultdict(list)
    by_person_champ = defaultdict(list)
    by_review_person = defaultdict(list)
    by_review_school_team = defaultdict(list)
    by_review_school_champ = defaultdict(list)
    by_person_date = defaultdict(list)
    for (rid, pid, role), var in x.items():
        review, person = inst.reviews[rid], inst.people[pid]
        by_review_role[(rid, role)].append(var)
        by_review_person[(rid, pid)].append(var)
        if role in TEAM:
            by_person_team[pid].append(var)
            by_review_school_team[(rid, person.school)].append(var)
            for d in review.dates:
                by_person_date[(pid, d)].append(var)
        else:
            by_person_champ[pid].append(var)
            by_review_school_champ[(rid, person.school)].append(var)
    # 1
    for rid in reviews:
        review = inst.reviews[rid]
        model.add(sum(by_review_role[(rid, "lead")]) == 1)
        model.add(sum(by_review_role[(rid, "member")]) == review.team_size - 1)
        model.add(sum(by_review_role[(rid, "champion")]) == (1 if s.assign_champion else 0))
    # 6
    cap = s.max_from_one_school_per_team
    for vars_ in by_review_school_team.values():
        if len(vars_) > cap:
            model.add(sum(vars_) <= cap)
    # 7
    for key, champs in by_review_school_champ.items():
        team = by_review_school_team.get(key, [])
        if team:
            bound = max(cap, 1)
            model.add(bound * sum(champs) + sum(team) <= bound)
    # 8
    for vars_ in by_review_person.values():
        if len(vars_) > 1:
            model.add(sum(vars_) <= 1)
    for pid, vars_ in by_person_team.items():
        limit = min(inst.people[pid].max_reviews, s.max_reviews_per_person)
        if len(vars_) > limit:
            model.add(sum(vars_) <= limit)
    for vars_ in by_person_champ.values():
        if len(vars_) > s.max_champion_per_person:
            model.add(sum(vars_) <= s.max_champion_per_person)
    # 9 (two reviews on one date)
    for vars_ in by_person_date.values():
        if len(vars_) > 1:
            model.add(sum(vars_) <= 1)
    # 11
    if s.balance_tolerance is not None:
        schools = {inst.people[p].school for p in people} | {inst.reviews[r].host
                                                            for r in reviews}
        given = defaultdict(list)
        for pid, vars_ in by_person_team.items():
            given[inst.people[pid].school] += vars_
        for urn in schools:
            received = sum(inst.reviews[r].team_size for r in reviews
                           if inst.reviews[r].host == urn)
            total = sum(given[urn])
            model.add(total - received <= s.balance_tolerance)
            model.add(received - total <= s.balance_tolerance)
    # 12
    for rid, pid, role in inst.fixed:
        if rid in reviews:
            var = x.get((rid, pid, role))
            if var is None:
                return "infeasible", None, None, [], model
            model.add(var == 1)

    # Objective, scaled by SCALE to integers.
    terms = []
    directed = defaultdict(list)
    novices, experienced = defaultdict(list), defaultdict(list)
    for (rid, pid, role), var in x.items():
        if role not in TEAM:
            continue
        review, person = inst.reviews[rid], inst.people[pid]
        coef = w["expertise"] * len(person.strengths & review.themes) * SCALE
        if review.host in person.reviewed_before:
            coef -= w["repeat"] * SCALE
        if review.mode == "in_person":
            coef -= round(w["travel_per_10km"] * inst.dist_km(person.school, review.host)
                          * SCALE / 10)
        if coef:
            terms.append(round(coef) * var)
        directed[(person.school, review.host)].append(var)
        if person.reviews_done == 0:
            novices[rid].append(var)
        elif person.reviews_done >= 3:
            experienced[rid].append(var)
    if w["reciprocal"]:
        flags = {}
        for key, vars_ in directed.items():
            flag = model.new_bool_var(f"d_{key[0]}_{key[1]}")
            for var in vars_:
                model.add_implication(var, flag)
            flags[key] = flag
        for (a, b), flag in flags.items():
            if a < b and (b, a) in flags:
                both = model.new_bool_var(f"rec_{a}_{b}")
                model.add(both >= flag + flags[(b, a)] - 1)
                terms.append(-round(w["reciprocal"] * SCALE) * both)
    if w["mentoring"]:
        for rid in reviews:
            if novices[rid] and experienced[rid]:
                m = model.new_bool_var(f"m_{rid}")
                model.add(m <= sum(novices[rid]))
                model.add(m <= sum(experienced[rid]))
                terms.append(round(w["mentoring"] * SCALE) * m)
    if w["extra_load"]:
        for pid, vars_ in by_person_team.items():
            if len(vars_) > 1:
                extra = model.new_int_var(0, len(vars_), f"e_{pid}")
                model.add(extra >= sum(vars_) - 1)
                terms.append(-round(w["extra_load"] * SCALE) * extra)
    model.maximize(sum(terms))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    code = solver.solve(model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [key for key, var in x.items() if solver.value(var)]
        status = "optimal" if code == cp_model.OPTIMAL else "feasible"
        return status, solver.objective_value / SCALE, solver.best_objective_bound / SCALE, \
            chosen, model
    if code == cp_model.INFEASIBLE:
        return "infeasible", None, None, [], model
    return "unknown", None, None, [], model


def solve(inst: Instance, *, time_limit: float = 60.0, workers: int = 8,
          progress=None, explain: bool = True) -> Result:
    """Solve ``inst``. ``progress(done, total)`` is called after each pool."""
    started = time.monotonic()
    problems = diagnose.precheck(inst)
    if problems:
        return Result("infeasible", reasons=problems, seconds=time.monotonic() - started)
    cands = candidates(inst)
    # Smallest pools first: they are solved (and proved) quickly, and each pool's share of
    # the time is what is left divided by the pools still to solve, so the time small pools
    # do not need passes on to the large ones at the end.
    groups = sorted(pools(inst, cands), key=lambda g: (len(g[0]) * len(g[1]), min(g[0])))
    statuses, assignments, bound = [], [], 0.0
    deadline = started + time_limit
    retry = []
    for i, (reviews, people) in enumerate(groups):
        left = max(0.1, (deadline - time.monotonic()) / (len(groups) - i))
        status, _, pool_bound, chosen, _ = _solve_pool(inst, cands, reviews, people, left,
                                                       workers)
        if status == "infeasible":
            reasons = diagnose.explain(inst, reviews, people, cands) if explain \
                else ["No allocation keeps every rule"]
            return Result("infeasible", reasons=reasons, seconds=time.monotonic() - started,
                          pools=len(groups))
        if status == "unknown":
            retry.append((reviews, people))  # tried again with the time left at the end
        else:
            statuses.append(status)
            assignments += chosen
            bound += pool_bound
        if progress:
            progress(i + 1, len(groups))
    for j, (reviews, people) in enumerate(retry):
        left = (deadline - time.monotonic()) / (len(retry) - j)
        status = "unknown"
        if left > 0.5:
            status, _, pool_bound, chosen, _ = _solve_pool(inst, cands, reviews, people, left,
                                                           workers)
        if status == "infeasible":
            reasons = diagnose.explain(inst, reviews, people, cands) if explain \
                else ["No allocation keeps every rule"]
            return Result("infeasible", reasons=reasons, seconds=time.monotonic() - started,
                          pools=len(groups))
        if status == "unknown":
            return Result("unknown", reasons=["No valid allocation was found in the time "
                                              "allowed; try a longer time limit"],
                          seconds=time.monotonic() - started, pools=len(groups))
        statuses.append(status)
        assignments += chosen
        bound += pool_bound
    checked = score(inst, assignments)
    if not checked.valid:  # never report a rule-breaking allocation
        return Result("unknown", reasons=["The solver's answer broke a rule: "
                                          + "; ".join(checked.violations[:5])],
                      seconds=time.monotonic() - started, pools=len(groups))
    overall = "optimal" if all(st == "optimal" for st in statuses) else "feasible"
    objective = checked.total
    return Result(overall, objective=objective,
                  bound=objective if overall == "optimal" else round(max(bound, objective), 6),
                  assignments=sorted(assignments, key=lambda a: (a[0], TEAM_ORDER[a[2]], a[1])),
                  seconds=time.monotonic() - started, pools=len(groups))


TEAM_ORDER = {"lead": 0, "member": 1, "champion": 2}
