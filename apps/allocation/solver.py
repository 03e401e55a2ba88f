"""The review-team optimiser: every team (and Improvement Champion) of an instance at once,
solved with OR-Tools CP-SAT.

- Candidates are filtered first by the rules that concern one person and one review (role,
  training, own school, pool, trust, federation, dates, travel, forbidden pairs).
- Independent pools (reviews and people that cannot affect each other through any rule) are
  solved as separate problems, smallest first; each gets a share of the time left in
  proportion to its size, so the time a pool does not need passes on to the next. The answer
  is ``optimal`` only if every pool is proved optimal.
- Candidates, people and reviews are indexed by pool once; each pool's model is built from its
  own index only.
- A small pool starts from a greedy allocation given to CP-SAT as a complete hint (every
  indicator variable) and is solved whole. A pool of more than ``SEARCH_FIRST_REVIEWS``
  reviews is solved with the LP relaxation's help (``lns.py``, ``bounds.py``): the LP's
  proved bound, CP-SAT on the candidates the LP points to (keeping the best valid allocation
  at every moment), then, for a pool that fits one model (up to ``LNS_REVIEWS``), a proof
  on the candidates left once those that cannot beat the best are dropped.
- Any time limit returns the best valid allocation found (never ``unknown`` when one was
  found), with the proved bound. The objective is recomputed by the independent scorer, which
  checks the allocation before it is reported; ``infeasible`` comes with reasons
  (``diagnose.py``).
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, cast

from ortools.sat.python import cp_model

from apps.reviews import rulebook

from . import diagnose
from .scorer import Score, score
from .spec import SOLUTION_FORMAT, Instance

SCALE = 100  # travel is dist_km / 10 with one decimal of a km: two decimals, so x100 is exact
TEAM = ("lead", "member")
Sum = cp_model.LinearExpr.sum
TEAM_ORDER = {"lead": 0, "member": 1, "champion": 2}
LNS_REVIEWS = 150  # a pool with more reviews than this is never given to CP-SAT whole
SEARCH_FIRST_REVIEWS = 24  # above this, a pool is solved with the LP relaxation's help
MIN_SOLVE = 0.1  # seconds: below this a pool keeps its valid greedy allocation
# Seconds a pool is given at least, while the deadline allows: a pool of a few reviews is
# proved in a few hundredths, but its share of the time by size can be below ``MIN_SOLVE``
# when hundreds of pools share the clock (national x4: 448 pools), and it then kept its
# greedy start. What a pool does not use passes on to the next.
MIN_SHARE = 0.3
RESCUE_SOLVE = 0.5  # seconds a pool without any valid allocation gets, whatever is left


def default_workers() -> int:
    """CP-SAT threads: the cores this process may use, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


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


@dataclass
class Progress:
    """What a progress callback is told: pools finished, the best valid total so far and the
    proved bound (``None`` until every pool has one)."""
    done: int
    total: int
    objective: float | None = None
    bound: float | None = None


# Candidates -----------------------------------------------------------------------------------

hosting_dates = rulebook.hosting_dates


def candidate_roles(inst: Instance, rid: str, pid: str) -> list[str]:
    """The roles ``pid`` could take on review ``rid`` by the one-person, one-review rules
    (the rulebook's reasons, none of which may apply)."""
    roles = []
    for role in ("champion", "lead", "member"):
        if not rulebook.instance_reasons(inst, rid, pid, role, first_only=True):
            roles.append(role)
    return roles


def people_in_pool(inst: Instance, pool) -> list[str]:
    """People whose school is in one of the partnerships ``pool`` (indexed once)."""
    index = getattr(inst, "_people_by_partnership", None)
    if index is None:
        index = defaultdict(list)
        for pid, person in inst.people.items():
            index[inst.schools[person.school].partnership].append(pid)
        inst.__dict__["_people_by_partnership"] = index
    return [pid for partnership in dict.fromkeys(pool) for pid in index.get(partnership, [])]


def candidates(inst: Instance, until: float | None = None) -> dict:
    """(review, person) -> roles, for every pair with at least one role. Only people of the
    review's pool are looked at; the per-person part of the rules is worked out once.
    ``until``: a ``time.monotonic()`` moment after which it gives up (an empty dict, not
    kept)."""
    cached = getattr(inst, "_candidates", None)
    if cached is not None:
        return cached
    started, cpu = time.monotonic(), time.process_time()
    facts = _person_facts(inst)
    too_far: dict[Any, Any] = {}  # (host, pool) -> schools too far away, worked out once
    out = {}
    for rid, review in inst.reviews.items():
        if until is not None and time.monotonic() > until:
            return {}
        out.update(_review_candidates(inst, rid, facts, _schools_too_far(inst, review, too_far)))
    inst.__dict__["_candidates"] = out
    # How fast this machine is now (a large pool's search plans its time with it).
    wall = time.monotonic() - started
    inst.__dict__["_seconds_per_candidate"] = wall / max(1, len(out))
    # Wall time over this process's CPU time: 1 on a quiet machine, 10 when others leave
    # it a tenth of a core.
    inst.__dict__["_slowness"] = max(1.0, wall / max(1e-3, time.process_time() - cpu)) \
        if wall > 0.05 else 1.0
    return out


def _person_facts(inst: Instance) -> dict:
    """person -> (person, their school, may be a champion, may join a team, the dates they
    are busy): the rules that concern one person alone."""
    s = inst.settings
    hosting = hosting_dates(inst)
    champ_ok = s.assign_champion and s.max_champion_per_person > 0
    facts = {}
    for pid, p in inst.people.items():
        school = inst.schools[p.school]
        facts[pid] = (p, school, champ_ok and p.can_champion,
                      min(p.max_reviews, s.max_reviews_per_person) > 0 and
                      (p.can_lead or p.can_review),
                      p.unavailable | hosting.get(p.school, set()))
    return facts


def _schools_too_far(inst: Instance, review, cache: dict, people=None) -> set:
    """The schools of the review's pool (of ``people`` if given) too far from its host for
    an in-person review (``cache``: by host and pool)."""
    limit = inst.settings.max_travel_km
    if review.mode != "in_person" or limit is None:
        return set()
    host = inst.schools[review.host]
    far = cache.get((host.urn, review.pool))
    if far is None:
        urns = {inst.people[p].school for p in (
            people if people is not None else people_in_pool(inst, review.pool))}
        far = cache[(host.urn, review.pool)] = {
            u for u in urns if rulebook.distance_km(inst.schools[u], host) > limit}
    return far


def _review_candidates(inst: Instance, rid: str, facts: dict, far: set,
                       people=None) -> dict:
    """(review, person) -> roles for the people of one review's pool (those of ``people``
    only, if given: people of the pool)."""
    s, review = inst.settings, inst.reviews[rid]
    host = inst.schools[review.host]
    dates = set(review.dates)
    last = review.dates[-1]
    out = {}
    for pid in people if people is not None else people_in_pool(inst, review.pool):
        p, mine, champ, team, busy = facts[pid]
        if p.school == review.host or (rid, pid) in inst.forbidden:
            continue
        if s.forbid_same_trust and mine.trust is not None and mine.trust == host.trust:
            continue
        if s.forbid_same_federation and mine.federation is not None and \
                mine.federation == host.federation:
            continue
        roles = ["champion"] if champ else []
        if team and p.trained_until is not None and p.trained_until >= last and \
                not (dates & busy) and p.school not in far:
            if p.can_lead:
                roles.append("lead")
            if p.can_review:
                roles.append("member")
        if roles:
            out[(rid, pid)] = roles
    return out


class _Joined:
    """Union-find: which keys have been joined, directly or through others."""

    def __init__(self):
        self.parent = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def pools(inst: Instance, cands: dict) -> list[tuple[set, set]]:
    """Independent sub-problems: (review ids, person ids). Reviews are joined through the
    partnerships of their candidates (a partnership's people are kept together: coarser than
    joining by each candidate, never wrong); a school's hosted reviews and its people belong
    together too."""
    joined = _Joined()
    for rid in inst.reviews:
        joined.find(("r", rid))
    _join_reviews_to_partnerships(inst, cands, joined)
    _join_people_and_schools(inst, joined)
    groups: defaultdict[Any, Any] = defaultdict(lambda: (set(), set()))
    for rid in inst.reviews:
        groups[joined.find(("r", rid))][0].add(rid)
    for pid in inst.people:
        root = joined.find(("p", pid))
        if root in groups:
            groups[root][1].add(pid)
    return list(groups.values())


def _join_reviews_to_partnerships(inst: Instance, cands: dict, joined: _Joined) -> None:
    """A review joins the partnerships of its people with a role (one union per partnership,
    not per candidate: a county pool has half a million candidates)."""
    linked = set()
    for rid, pid in cands:
        key = (rid, inst.schools[inst.people[pid].school].partnership)
        if key not in linked:
            linked.add(key)
            joined.union(("r", rid), ("t", key[1]))


def _join_people_and_schools(inst: Instance, joined: _Joined) -> None:
    """People join their partnership and their school; reviews join their host school."""
    for pid, person in inst.people.items():
        joined.union(("p", pid), ("t", inst.schools[person.school].partnership))
    # People of the same school interact (one per school per team, champion's school, the
    # school-hosting-date rule is static); reciprocity links schools both ways.
    for pid, person in inst.people.items():
        joined.union(("p", pid), ("s", person.school))
    for rid, review in inst.reviews.items():
        joined.union(("r", rid), ("s", review.host))


@dataclass
class Pool:
    """One independent sub-problem with its own index of candidates."""
    reviews: list
    people: set
    cands: dict  # (review, person) -> roles

    @property
    def size(self) -> int:
        return sum(len(roles) for roles in self.cands.values())


def indexed_pools(inst: Instance, cands: dict) -> list[Pool]:
    groups = pools(inst, cands)
    of_review = {}
    out = []
    for reviews, people in groups:
        pool = Pool(sorted(reviews), people, {})
        out.append(pool)
        for rid in reviews:
            of_review[rid] = pool
    for key, roles in cands.items():
        of_review[key[0]].cands[key] = roles
    return out


# The model --------------------------------------------------------------------------------------

def coefficient(inst: Instance, rid: str, pid: str) -> int:
    """A lead's or member's own part of the objective, scaled by SCALE (worked out once)."""
    cache = inst.__dict__.setdefault("_coefficients", {})
    value = cache.get((rid, pid))
    if value is None:
        value = cache[(rid, pid)] = _coefficient(inst, rid, pid)
    return value


def _coefficient(inst: Instance, rid: str, pid: str) -> int:
    w, review, person = inst.settings.weights, inst.reviews[rid], inst.people[pid]
    coef = w["expertise"] * len(person.strengths & review.themes) * SCALE
    if review.host in person.reviewed_before:
        coef -= w["repeat"] * SCALE
    if review.mode == "in_person":
        coef -= round(w["travel_per_10km"] * inst.dist_km(person.school, review.host)
                      * SCALE / 10)
    return round(coef)


def received(inst: Instance) -> dict:
    cached = getattr(inst, "_received", None)
    if cached is None:
        cached = defaultdict(int)
        for review in inst.reviews.values():
            cached[review.host] += review.team_size
        inst.__dict__["_received"] = cached
    return cached


@dataclass
class _Held:
    """What the assignments held fixed (a model's context) already use."""
    role: dict = field(default_factory=lambda: defaultdict(int))  # (review, role), model's
    team_school: dict = field(default_factory=lambda: defaultdict(int))  # (review, school)
    champ_school: set = field(default_factory=set)  # (review, school) of a champion
    load: dict = field(default_factory=lambda: defaultdict(int))  # person -> team places
    champ: dict = field(default_factory=lambda: defaultdict(int))  # person -> champion places
    busy: set = field(default_factory=set)  # (person, date)
    given: dict = field(default_factory=lambda: defaultdict(int))  # school -> team places
    directed: set = field(default_factory=set)  # (giving school, host)
    novice: set = field(default_factory=set)  # model's reviews with a newcomer on the team
    expert: set = field(default_factory=set)  # ... with an experienced reviewer

    @classmethod
    def of(cls, inst: Instance, context, in_reviews: set) -> _Held:
        held = cls()
        for rid, pid, role in context:
            review, person = inst.reviews[rid], inst.people[pid]
            if rid in in_reviews:
                held._on_model_review(rid, person, role)
            if role in TEAM:
                held.load[pid] += 1
                held.given[person.school] += 1
                held.directed.add((person.school, review.host))
                for d in review.dates:
                    held.busy.add((pid, d))
            else:
                held.champ[pid] += 1
        return held

    def _on_model_review(self, rid: str, person, role: str) -> None:
        self.role[(rid, role)] += 1
        if role in TEAM:
            self.team_school[(rid, person.school)] += 1
            if person.reviews_done == 0:
                self.novice.add(rid)
            elif person.reviews_done >= 3:
                self.expert.add(rid)
        else:
            self.champ_school.add((rid, person.school))


class _Groups:
    """The indicator variables grouped as the rules and the objective count them."""

    def __init__(self, inst: Instance, x: dict):
        self.by_review_role = defaultdict(list)
        self.by_person_team: defaultdict[Any, Any] = defaultdict(list)
        self.by_person_champ = defaultdict(list)
        self.by_review_person = defaultdict(list)
        self.by_review_school_team: defaultdict[Any, Any] = defaultdict(list)
        self.by_review_school_champ = defaultdict(list)
        self.by_person_date: defaultdict[Any, Any] = defaultdict(list)
        self.by_school_team: defaultdict[Any, Any] = defaultdict(list)
        # (giving school, host) -> team variables
        self.directed: defaultdict[Any, Any] = defaultdict(list)
        # by review
        self.novices: defaultdict[Any, Any] = defaultdict(list)
        self.experienced: defaultdict[Any, Any] = defaultdict(list)
        for (rid, pid, role), var in x.items():
            review, person = inst.reviews[rid], inst.people[pid]
            self.by_review_role[(rid, role)].append(var)
            self.by_review_person[(rid, pid)].append(var)
            if role in TEAM:
                self._team(rid, pid, review, person, var)
            else:
                self.by_person_champ[pid].append(var)
                self.by_review_school_champ[(rid, person.school)].append(var)

    def _team(self, rid, pid, review, person, var) -> None:
        self.by_person_team[pid].append(var)
        self.by_review_school_team[(rid, person.school)].append(var)
        self.by_school_team[person.school].append(var)
        for d in review.dates:
            self.by_person_date[(pid, d)].append(var)
        self.directed[(person.school, review.host)].append(var)
        if person.reviews_done == 0:
            self.novices[rid].append(var)
        elif person.reviews_done >= 3:
            self.experienced[rid].append(var)


class Model:
    """The CP-SAT model of some reviews and people; every other assignment (``context``) is
    held fixed. With an empty context it is the exact model of a pool."""

    def __init__(self, inst: Instance, reviews, people, cands: dict, context=()):
        self.inst = inst
        self.reviews = list(reviews)
        self.context = list(context)
        self.model = cp_model.CpModel()
        self.infeasible = False
        in_reviews = set(self.reviews)
        self.x = self._variables(cands, in_reviews, people)
        self.held = held = _Held.of(inst, self.context, in_reviews)
        groups = _Groups(inst, self.x)
        self._add_team_shape(groups, held)
        self._add_one_school_limit(groups, held)
        self._add_champion_school_rule(groups, held)
        self._add_role_and_load_limits(groups, held)
        self._add_date_clashes(groups, held)
        self._add_balance(groups, held, people)
        self._add_pins(in_reviews, people)
        self._set_objective(groups, held)

    def _variables(self, cands: dict, in_reviews: set, people) -> dict:
        """An indicator for each (review, person, role) of the model's reviews and people."""
        x = {}
        for (rid, pid), roles in cands.items():
            if rid in in_reviews and pid in people:
                for role in roles:
                    x[(rid, pid, role)] = self.model.new_bool_var("")
        return x

    def _at_most(self, vars_, n) -> None:
        if n < 0:
            self.infeasible = True
        elif len(vars_) > n:
            if n == 1:
                self.model.add_at_most_one(vars_)
            else:
                self.model.add(Sum(vars_) <= n)

    # The rules (numbered as in the format) ---------------------------------------------------

    def _add_team_shape(self, g: _Groups, held: _Held) -> None:
        """1. One lead, ``team_size - 1`` members and (when assigned) one champion, less what
        the context already gives."""
        s, m = self.inst.settings, self.model
        for rid in self.reviews:
            review = self.inst.reviews[rid]
            for role, want in (("lead", 1), ("member", review.team_size - 1),
                               ("champion", 1 if s.assign_champion else 0)):
                need = want - held.role[(rid, role)]
                vars_ = g.by_review_role[(rid, role)]
                if need < 0 or need > len(vars_):
                    self.infeasible = True
                elif vars_:
                    if need == 1:
                        m.add_exactly_one(vars_)
                    else:
                        m.add(Sum(vars_) == need)

    def _add_one_school_limit(self, g: _Groups, held: _Held) -> None:
        """6. At most so many people of one school in a team."""
        cap = self.inst.settings.max_from_one_school_per_team
        for key, vars_ in g.by_review_school_team.items():
            self._at_most(vars_, cap - held.team_school[key])

    def _add_champion_school_rule(self, g: _Groups, held: _Held) -> None:
        """7. The champion's school is not on the team."""
        m = self.model
        bound7 = max(self.inst.settings.max_from_one_school_per_team, 1)
        for key, champs in g.by_review_school_champ.items():
            team = g.by_review_school_team.get(key, [])
            if held.team_school[key]:
                self._at_most(champs, 0)
            elif team:
                if bound7 == 1:
                    m.add_at_most_one(champs + team)
                else:
                    m.add(bound7 * Sum(champs) + Sum(team) <= bound7)
        for key in held.champ_school:
            if key in g.by_review_school_team:
                self._at_most(g.by_review_school_team[key], 0)

    def _add_role_and_load_limits(self, g: _Groups, held: _Held) -> None:
        """8. One role per review; each person's yearly most of team and champion places."""
        s = self.inst.settings
        for vars_ in g.by_review_person.values():
            self._at_most(vars_, 1)
        for pid, vars_ in g.by_person_team.items():
            limit = min(self.inst.people[pid].max_reviews, s.max_reviews_per_person)
            self._at_most(vars_, limit - held.load[pid])
        for pid, vars_ in g.by_person_champ.items():
            self._at_most(vars_, s.max_champion_per_person - held.champ[pid])

    def _add_date_clashes(self, g: _Groups, held: _Held) -> None:
        """9. Nobody on two reviews on one date."""
        for key, vars_ in g.by_person_date.items():
            self._at_most(vars_, 1 - (key in held.busy))

    def _add_balance(self, g: _Groups, held: _Held, people) -> None:
        """11. Each school gives within the tolerance of what it receives: only schools whose
        giving can change here."""
        inst, tol = self.inst, self.inst.settings.balance_tolerance
        if tol is None:
            return
        got = received(inst)
        schools = {inst.people[p].school for p in people} | \
            {inst.reviews[r].host for r in self.reviews}
        for urn in schools:
            vars_ = g.by_school_team.get(urn, [])
            fixed = held.given[urn] - got[urn]
            if not vars_:
                if abs(fixed) > tol:
                    self.infeasible = True
                continue
            self.model.add_linear_constraint(Sum(vars_), -tol - fixed, tol - fixed)

    def _add_pins(self, in_reviews: set, people) -> None:
        """12. The pins inside the free part."""
        for rid, pid, role in self.inst.fixed:
            if rid in in_reviews and pid in people:
                var = self.x.get((rid, pid, role))
                if var is None:
                    self.infeasible = True
                else:
                    self.model.add(var == 1)

    # The objective, scaled by SCALE to integers ---------------------------------------------

    def _set_objective(self, g: _Groups, held: _Held) -> None:
        """Each lead's and member's own part, then (when weighted) the reciprocity penalties,
        the mentoring bonuses and the extra-load penalties."""
        w = self.inst.settings.weights
        self.flags: dict[Any, Any] = {}
        self.both: dict[Any, Any] = {}
        self.mentor: dict[Any, Any] = {}
        self.extra: dict[Any, Any] = {}
        terms = self._pair_terms()
        if w["reciprocal"]:
            terms += self._reciprocal_terms(g, held)
        if w["mentoring"]:
            terms += self._mentoring_terms(g, held)
        if w["extra_load"]:
            terms += self._extra_load_terms(g, held)
        self.model.maximize(cp_model.LinearExpr.weighted_sum([v for v, _ in terms],
                                                             [c for _, c in terms]))

    def _pair_terms(self) -> list:
        """(variable, weight): expertise less repeat visits and travel, per lead or member."""
        terms = []
        for (rid, pid, role), var in self.x.items():
            if role in TEAM:
                c = coefficient(self.inst, rid, pid)
                if c:
                    terms.append((var, c))
        return terms

    def _reciprocal_terms(self, g: _Groups, held: _Held) -> list:
        """A flag per pair of schools (giver, host) that can happen both ways, and a penalty
        for each pair of schools reviewing each other."""
        m, directed = self.model, g.directed
        for key, vars_ in directed.items():
            # Only a pair that can happen both ways needs to know whether it happens.
            if key in held.directed or not ((key[1], key[0]) in directed or
                                            (key[1], key[0]) in held.directed):
                continue
            flag = self.flags[key] = m.new_bool_var("")
            for var in vars_:
                m.add_implication(var, flag)
        penalty = round(self.inst.settings.weights["reciprocal"] * SCALE)
        terms = []
        for (a, b) in {tuple(sorted(k)) for k in self.flags}:
            fa = self.flags.get((a, b), 1 if (a, b) in held.directed else None)
            fb = self.flags.get((b, a), 1 if (b, a) in held.directed else None)
            if fa is None or fb is None:
                continue
            both = self.both[(a, b)] = m.new_bool_var("")
            m.add(both >= fa + fb - 1)
            terms.append((both, -penalty))
        return terms

    def _mentoring_terms(self, g: _Groups, held: _Held) -> list:
        """A bonus for each team that can pair a newcomer with an experienced reviewer."""
        m, bonus = self.model, round(self.inst.settings.weights["mentoring"] * SCALE)
        terms = []
        for rid in self.reviews:
            has_n, has_e = rid in held.novice, rid in held.expert
            if has_n and has_e:
                continue
            if (g.novices[rid] or has_n) and (g.experienced[rid] or has_e):
                v = self.mentor[rid] = m.new_bool_var("")
                if not has_n:
                    m.add(v <= Sum(g.novices[rid]))
                if not has_e:
                    m.add(v <= Sum(g.experienced[rid]))
                terms.append((v, bonus))
        return terms

    def _extra_load_terms(self, g: _Groups, held: _Held) -> list:
        """A penalty for each team place a person takes beyond their first."""
        m, penalty = self.model, -round(self.inst.settings.weights["extra_load"] * SCALE)
        terms = []
        for pid, vars_ in g.by_person_team.items():
            if len(vars_) + held.load[pid] > 1:
                e = self.extra[pid] = m.new_int_var(0, len(vars_) + held.load[pid], "")
                m.add(e >= Sum(vars_) + held.load[pid] - 1)
                terms.append((e, penalty))
        return terms
    def hint(self, chosen) -> None:
        """A complete hint: every indicator and auxiliary variable, from ``chosen`` (the free
        part of an allocation)."""
        m, inst = self.model, self.inst
        chosen = {a for a in chosen if a in self.x}
        m.clear_hints()
        for key, var in self.x.items():
            m.add_hint(var, key in chosen)
        team = [(r, p) for r, p, role in chosen if role in TEAM]
        directed = {(inst.people[p].school, inst.reviews[r].host) for r, p in team}
        directed |= self.held.directed
        for key, var in self.flags.items():
            m.add_hint(var, key in directed)
        for (a, b), var in self.both.items():
            m.add_hint(var, (a, b) in directed and (b, a) in directed)
        done = defaultdict(set)
        load: defaultdict[str, int] = defaultdict(int)
        for r, p in team:
            done[r].add(inst.people[p].reviews_done)
            load[p] += 1
        for rid, var in self.mentor.items():
            nov = rid in self.held.novice or 0 in done[rid]
            exp = rid in self.held.expert or any(d >= 3 for d in done[rid])
            m.add_hint(var, nov and exp)
        for pid, var in self.extra.items():
            m.add_hint(var, max(0, load[pid] + self.held.load[pid] - 1))

    def solve(self, time_limit: float, workers: int, on_improve=None, active=None,
              presolve: bool = False, first: bool = False):
        """(CP-SAT status, chosen assignments or None, objective, bound), scaled back.
        ``presolve``: for a model without a hint (the guided model of a large pool, where
        CP-SAT's presolve finds the first allocation sooner). ``first``: stop at the first
        allocation found."""
        if self.infeasible:
            return cp_model.INFEASIBLE, None, None, None
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.max_time_in_seconds = max(0.05, time_limit)
        p.num_workers = workers
        # Measured on the bench's pools (one worker each): the full LP relaxation proves
        # these models fast; presolve costs more than it saves; the complete hint is the
        # first solution, and searching around it first only delays the LP-guided search.
        p.linearization_level = 2
        # Every linear constraint in the LP from the start: a third less CPU on the bench's
        # small pools (national x4: 1.9 s against 3.0 s for a third of its 448 pools, all
        # proved either way), the same on pools of five partnerships.
        p.add_lp_constraints_lazily = False
        p.cp_model_presolve = presolve
        p.hint_conflict_limit = 0
        p.stop_after_first_solution = first
        callback = _Callback(on_improve) if on_improve else None
        if active is not None:
            active.add(solver)
        try:
            code = solver.solve(self.model, callback)
        finally:
            if active is not None:
                active.remove(solver)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = [key for key, var in self.x.items() if solver.boolean_value(var)]
            return code, chosen, solver.objective_value / SCALE, \
                solver.best_objective_bound / SCALE
        return code, None, None, None


class _Active:
    """The CP-SAT solvers running now, so that all can be stopped when one pool is proved
    infeasible."""

    def __init__(self):
        self.lock, self.solvers = threading.Lock(), set()

    def add(self, solver):
        with self.lock:
            self.solvers.add(solver)

    def remove(self, solver):
        with self.lock:
            self.solvers.discard(solver)

    def stop_all(self):
        with self.lock:
            for solver in self.solvers:
                solver.stop_search()


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_improve):
        super().__init__()
        self.on_improve = on_improve

    def on_solution_callback(self):
        self.on_improve(self.objective_value / SCALE, self.best_objective_bound / SCALE)


# Greedy start -----------------------------------------------------------------------------------

def greedy(inst: Instance, reviews, cands: dict, context=(), tries: int = 4,
           until: float | None = None) -> list:
    """A quick allocation of ``reviews``: scarcest review first, best candidate first, keeping
    the per-review, load, date, school and balance-surplus rules and leaning towards schools
    that give less than they receive. Reviews it could not fill go first on the next try
    (not after ``until``, a ``time.monotonic()`` moment). It is a start for CP-SAT, not an
    answer: the scorer decides whether it is valid."""
    by_review = defaultdict(list)
    for (rid, pid), roles in cands.items():
        by_review[rid].append((pid, roles))
    order = sorted(reviews, key=lambda r: (sum("lead" in roles for _, roles in by_review[r]),
                                           len(by_review[r]), r))
    best: tuple[list[Any], int] | None = None
    for _ in range(tries):
        out, short = _greedy_once(inst, order, by_review, cands, context)
        if best is None or len(short) < best[1]:
            best = (out, len(short))
        if not short or (until is not None and time.monotonic() > until):
            break
        order = short + [r for r in order if r not in set(short)]
    assert best is not None  # tries >= 1
    return best[0]


def _greedy_once(inst, order, by_review, cands, context):
    run = _GreedyRun(inst, context)
    pinned = defaultdict(list)
    for rid, pid, role in inst.fixed:
        pinned[rid].append((pid, role))
    short = []
    for rid in order:
        team = run.new_team(rid)
        for pid, role in pinned.get(rid, []):
            if role in cands.get((rid, pid), ()):
                run.take(rid, pid, role, team)
        for role in ("lead", "member", "champion"):
            while team.want[role] > 0:
                best = run.best(rid, role, by_review[rid], team)
                if best is None:
                    short.append(rid)
                    break
                run.take(rid, best, role, team)
    return run.out, list(dict.fromkeys(short))


@dataclass
class _GreedyTeam:
    """The team of one review as the quick greedy fills it."""
    want: dict  # role -> places still to fill
    on: set = field(default_factory=set)  # people on it, champion included
    schools: dict = field(default_factory=lambda: defaultdict(int))  # school -> team places
    champ_schools: set = field(default_factory=set)


class _GreedyRun:
    """One pass of the quick greedy: the assignments so far and what they use."""

    def __init__(self, inst: Instance, context):
        self.inst, self.s = inst, inst.settings
        self.got, self.tol = received(inst), inst.settings.balance_tolerance
        self.load: defaultdict[Any, int] = defaultdict(int)
        self.champ: defaultdict[Any, int] = defaultdict(int)
        self.busy: set[Any] = set()
        self.given: defaultdict[Any, int] = defaultdict(int)
        self.out: list[Any] = []
        self.coefs: dict[Any, Any] = {}
        for rid, pid, role in context:
            if role in TEAM:
                self.load[pid] += 1
                self.given[inst.people[pid].school] += 1
                self.busy.update((pid, d) for d in inst.reviews[rid].dates)
            else:
                self.champ[pid] += 1

    def new_team(self, rid: str) -> _GreedyTeam:
        review = self.inst.reviews[rid]
        return _GreedyTeam({"lead": 1, "member": review.team_size - 1,
                            "champion": 1 if self.s.assign_champion else 0})

    def take(self, rid: str, pid: str, role: str, team: _GreedyTeam) -> None:
        person = self.inst.people[pid]
        self.out.append((rid, pid, role))
        team.on.add(pid)
        team.want[role] -= 1
        if role in TEAM:
            self.load[pid] += 1
            self.given[person.school] += 1
            team.schools[person.school] += 1
            self.busy.update((pid, d) for d in self.inst.reviews[rid].dates)
        else:
            self.champ[pid] += 1
            team.champ_schools.add(person.school)

    def best(self, rid: str, role: str, options, team: _GreedyTeam) -> str | None:
        """The candidate of ``options`` ((person, roles)) with the best value for ``role``
        who keeps the per-review, load, date, school and balance-surplus rules: the pair's
        own value, less for a second review, more for a school that owes places. A champion:
        the fewest champion places, then a school that owes fewer places."""
        inst, s, got, tol = self.inst, self.s, self.got, self.tol
        load, champ, busy, given, coefs = self.load, self.champ, self.busy, self.given, \
            self.coefs
        review = inst.reviews[rid]
        team_schools, champ_schools, on = team.schools, team.champ_schools, team.on
        best, best_value = None, None
        for pid, roles in options:
            if role not in roles or pid in on:
                continue
            person = inst.people[pid]
            if role in TEAM:
                if load[pid] >= min(person.max_reviews, s.max_reviews_per_person) or \
                        team_schools[person.school] >= s.max_from_one_school_per_team \
                        or person.school in champ_schools or \
                        any((pid, d) in busy for d in review.dates):
                    continue
                if tol is not None and \
                        given[person.school] >= got[person.school] + tol:
                    continue
                if (rid, pid) not in coefs:
                    coefs[(rid, pid)] = coefficient(inst, rid, pid)
                value = coefs[(rid, pid)] - 50 * load[pid] + \
                    1000 * (got[person.school] - given[person.school])
            else:
                if champ[pid] >= s.max_champion_per_person or \
                        team_schools[person.school]:
                    continue
                value = -champ[pid] - 10 * (got[person.school] - given[person.school])
            if best_value is None or value > best_value:
                best, best_value = pid, value
        return best


def sub_instance(inst: Instance, pool: Pool) -> Instance:
    """The instance restricted to one pool's reviews, people and their schools."""
    from dataclasses import replace

    keep = set(pool.reviews)
    urns = {inst.people[p].school for p in pool.people} | \
        {inst.reviews[r].host for r in pool.reviews}
    sub = replace(inst, reviews={r: inst.reviews[r] for r in pool.reviews},
                  people={p: inst.people[p] for p in pool.people},
                  schools={u: inst.schools[u] for u in urns},
                  fixed=[f for f in inst.fixed if f[0] in keep],
                  forbidden={f for f in inst.forbidden if f[0] in keep})
    sub.__dict__["_candidates"] = pool.cands
    sub.__dict__["_coefficients"] = inst.__dict__.setdefault("_coefficients", {})
    return sub


def warm_start(inst: Instance, pool: Pool, quick: list | None = None) -> tuple[list[Any], Score]:
    """The better of two greedy allocations of ``pool`` (ours and the careful one of
    ``greedy.py``; a small pool whose first is valid skips the second): the valid one with
    the higher total, else the one breaking fewest rules. Returns (assignments, the scorer's
    verdict). ``quick``: our greedy allocation, when it is already known."""
    from . import greedy as careful

    options = []
    for make in (lambda: quick if quick is not None else greedy(inst, pool.reviews, pool.cands),
                 lambda: careful.greedy(sub_instance(inst, pool))):
        start = make()
        options.append((start, pool_score(inst, pool.reviews, start)))
        if options[0][1].valid and len(pool.reviews) <= SEARCH_FIRST_REVIEWS:
            break  # a small pool: CP-SAT improves a valid start in a moment
    return max(options, key=lambda o: (o[1].valid, o[1].total if o[1].valid else
                                       -len(o[1].violations)))


def pool_score(inst: Instance, reviews, assignments):
    """The scorer's verdict on ``assignments`` as an allocation of ``reviews`` (a whole pool:
    its people and its hosts' balance are all inside it)."""
    from dataclasses import replace

    keep = set(reviews)
    # Only the schools that host or give a place can break the balance rule (the others
    # give and receive nothing here); the scorer checks every school of the instance once,
    # before the answer is reported, not on each of hundreds of pools.
    urns = {inst.reviews[r].host for r in reviews} | \
        {inst.people[p].school for _, p, _ in assignments if p in inst.people}
    sub = replace(inst, reviews={r: inst.reviews[r] for r in reviews},
                  schools={u: inst.schools[u] for u in urns if u in inst.schools},
                  fixed=[f for f in inst.fixed if f[0] in keep])
    return score(sub, assignments)


# Solving --------------------------------------------------------------------------------------

@dataclass
class _PoolState:
    pool: Pool
    status: str = "unknown"  # optimal, feasible, unknown
    chosen: list | None = None
    objective: float | None = None
    bound: float | None = None
    # A pool solved with the LP's help keeps its relaxation: a second round goes on from it.
    relaxed: Any = None


def solve(inst: Instance, *, time_limit: float = 60.0, workers: int | None = None,
          progress=None, explain: bool = True) -> Result:
    """Solve ``inst``. ``progress(Progress)`` is called as pools finish and as the best
    allocation or its bound improves."""
    started = time.monotonic()
    workers = workers or default_workers()
    # A county-wide pool: a valid allocation before all its candidates are found (they take
    # seconds, ten times as long when others leave this process a tenth of a core); if time
    # runs out while they are found, that allocation is the answer.
    from .lns import early_start
    cpu = time.process_time()
    early = early_start(inst, until=started + 0.5 * time_limit)
    cutoff = None
    if early is not None:
        # Time kept for the answer, as much longer as the machine is slower now (wall time
        # over CPU time while the early allocation was found).
        wall = time.monotonic() - started
        slow = max(1.0, wall / max(1e-3, time.process_time() - cpu)) if wall > 0.05 else 1.0
        cutoff = started + time_limit - min(0.35 * time_limit,
                                            min(2.0, 0.08 * time_limit) * slow)
    cands = candidates(inst, until=cutoff)
    if not cands and early is not None:
        return _early_answer(inst, early, started)
    # A margin for the final check and for Python's own pauses, as much longer as the
    # machine is slower now (measured with another process on the other core: the last
    # model's answer, the scorer's check of a county and of the whole allocation took up to
    # 2 s at 120 s, and up to 6 s at 30 s with the machine at load 7 besides; at 10 s,
    # 5 % was not enough at load 6).
    margin = min(2.0, 0.08 * time_limit) * getattr(inst, "_slowness", 1.0)
    deadline = started + time_limit - min(margin, 0.35 * time_limit)
    problems = diagnose.precheck(inst, cands)
    if problems:
        return Result("infeasible", reasons=problems, seconds=time.monotonic() - started)
    states = [_PoolState(p) for p in
              sorted(indexed_pools(inst, cands), key=lambda p: (p.size, p.reviews[0]))]
    if early is not None:
        _seed(inst, states, early)
    runner = _PoolRunner(inst, states, max(1, min(workers, len(states))), deadline, progress)
    failed = runner.run_all(states)
    # Time left: pools not proved optimal are tried again from their best allocation, round
    # after round, each with its share of the time left (not a large pool: it had all the
    # time there was).
    while failed is None and deadline - time.monotonic() > 0.3:
        again = [st for st in states if st.status != "optimal" and
                 (st.chosen is None or len(st.pool.reviews) <= LNS_REVIEWS)]
        if not again:
            break
        before, begun = [(st.status, st.objective, st.bound) for st in again], time.monotonic()
        failed = runner.run_all(again)
        if time.monotonic() - begun < 0.05 and \
                before == [(st.status, st.objective, st.bound) for st in again]:
            break  # nothing changed and no time used: another round would do the same
    if failed is not None:
        reasons = diagnose.explain(inst, failed.pool.reviews, failed.pool.people, cands,
                                   deadline=started + max(2.0, min(time_limit, 10)) - 0.3) \
            if explain else ["No allocation keeps every rule"]
        return Result("infeasible", reasons=reasons, seconds=time.monotonic() - started,
                      pools=len(states))
    return _answer(inst, states, started)


class _PoolRunner:
    """Runs the pools of one ``solve``, ``lanes`` at a time, and reports progress."""

    def __init__(self, inst: Instance, states: list, lanes: int, deadline: float, progress):
        self.inst, self.states, self.lanes = inst, states, lanes
        self.deadline, self.progress = deadline, progress
        self.changed, self.active = threading.Event(), _Active()

    def report(self) -> None:
        if not self.progress:
            return
        states = self.states
        done = [st for st in states if st.chosen is not None]
        bounds = [st.bound for st in states if st.bound is not None]
        self.progress(Progress(sum(st.status == "optimal" for st in states), len(states),
                               round(sum(st.objective for st in done), 6) if done else None,
                               round(sum(bounds), 6) if len(bounds) == len(states) else None))

    def run(self, st: _PoolState, share: float) -> None:
        """One pool: whole in one model, or with the LP relaxation's help above
        ``SEARCH_FIRST_REVIEWS`` reviews (``lns.py``)."""
        n = len(st.pool.reviews)
        if n > SEARCH_FIRST_REVIEWS:
            from .lns import improve
            # A pool that fits one model shares the cores with other pools: one lane.
            improve(self.inst, st, share, 1 if n <= LNS_REVIEWS else self.lanes,
                    self.changed.set, self.active, prove=n <= LNS_REVIEWS)
        else:
            _solve_state(self.inst, st, share, self.changed.set, self.active)

    def run_all(self, batch) -> _PoolState | None:
        """Solve ``batch`` (smallest first), ``lanes`` pools at a time, each with one CP-SAT
        thread (faster on these models than one pool with several). Returns a pool proved
        infeasible, if any."""
        lanes = self.lanes
        pending, running = list(batch), dict[Any, Any]()
        left_size = sum(st.pool.size for st in pending) or 1
        failed = None
        with ThreadPoolExecutor(lanes) as ex:
            while pending or running:
                while pending and len(running) < lanes and not failed:
                    st = pending.pop(0)
                    # Its share of the time left across the lanes, never more than all of it;
                    # what a pool does not use is there for the next.
                    left = self.deadline - time.monotonic()
                    share = max(left * min(1.0, lanes * st.pool.size / left_size),
                                min(MIN_SHARE, left))
                    left_size = max(1, left_size - st.pool.size)
                    running[ex.submit(self.run, st, max(0.05, share))] = st
                if failed:
                    pending = []
                failed = self._collect(running, failed)
        return failed

    def _collect(self, running: dict, failed: _PoolState | None) -> _PoolState | None:
        """Wait up to half a second for a pool to finish; the first proved infeasible stops
        the others. Reports progress when anything changed."""
        finished, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
        for future in finished:
            st = running.pop(future)
            future.result()
            if st.status == "infeasible" and not failed:
                failed = st
                self.active.stop_all()
        if self.changed.is_set() or finished:
            self.changed.clear()
            self.report()
        return failed


def _seed(inst: Instance, states: list, early: list) -> None:
    """Each pool's part of the early allocation, as its start where the scorer finds it
    valid for the pool (with a bound worked out in no time, tightened later)."""
    from .lns import loose_bound

    of_review: defaultdict[str, list] = defaultdict(list)
    for a in early:
        of_review[a[0]].append(a)
    for st in states:
        mine = [a for r in st.pool.reviews for a in of_review[r]]
        checked = pool_score(inst, st.pool.reviews, mine)
        if checked.valid:
            st.chosen, st.objective, st.status = mine, checked.total, "feasible"
            st.bound = max(checked.total, loose_bound(inst, st.pool))


def _early_answer(inst: Instance, early: list, started: float) -> Result:
    """The early allocation as the answer (no time to find every candidate): checked by the
    scorer, with the bound worked out in no time."""
    from .lns import loose_bound

    checked = score(inst, early)
    if not checked.valid:  # never report a rule-breaking allocation
        return Result("unknown", reasons=["No valid allocation was found in the time allowed; "
                                          "try a longer time limit"],
                      seconds=time.monotonic() - started)
    everything = Pool(list(inst.reviews), set(inst.people), {})
    return Result("feasible", objective=checked.total,
                  bound=round(max(checked.total, loose_bound(inst, everything)), 6),
                  assignments=sorted(early, key=lambda a: (a[0], TEAM_ORDER[a[2]], a[1])),
                  seconds=time.monotonic() - started)


def _answer(inst: Instance, states: list, started: float) -> Result:
    """The allocation of every pool, checked by the scorer, with its status and bound."""
    if any(st.chosen is None for st in states):
        return Result("unknown", reasons=["No valid allocation was found in the time allowed; "
                                          "try a longer time limit"],
                      seconds=time.monotonic() - started, pools=len(states))
    assignments = [a for st in states for a in st.chosen or ()]  # none is None (above)
    checked = score(inst, assignments)
    if not checked.valid:  # never report a rule-breaking allocation
        return Result("unknown", reasons=["The solver's answer broke a rule: "
                                          + "; ".join(checked.violations[:5])],
                      seconds=time.monotonic() - started, pools=len(states))
    overall = "optimal" if all(st.status == "optimal" for st in states) else "feasible"
    objective = checked.total
    bound = sum(cast(float, st.bound) for st in states)  # set with every allocation
    return Result(overall, objective=objective,
                  bound=objective if overall == "optimal" else round(max(bound, objective), 6),
                  assignments=sorted(assignments, key=lambda a: (a[0], TEAM_ORDER[a[2]], a[1])),
                  seconds=time.monotonic() - started, pools=len(states))


def _solve_state(inst: Instance, st: _PoolState, time_limit: float, changed: Any,
                 active: Any = None) -> None:
    """Solve one pool whole, from its best allocation so far (or a greedy one), within
    ``time_limit`` seconds from now, the greedy start and building the model included."""
    pool = st.pool
    until = time.monotonic() + time_limit
    if st.chosen is None:
        start, checked = warm_start(inst, pool)
        if checked.valid:
            st.chosen, st.status, st.objective = start, "feasible", checked.total
            st.bound = upper_bound(inst, pool)
            changed()
    else:
        start = st.chosen
    if st.chosen is not None and time_limit < MIN_SOLVE:
        return  # out of time: the valid greedy allocation stands, with its quick bound
    model = Model(inst, pool.reviews, pool.people, pool.cands)
    model.hint(start)
    left = until - time.monotonic()
    if st.chosen is not None and left < MIN_SOLVE / 2:
        return  # the start and the model took the time (a busy machine)
    code, chosen, objective, bound = model.solve(
        left if st.chosen is not None else max(left, RESCUE_SOLVE), 1, active=active)
    if code == cp_model.INFEASIBLE:
        st.status = "infeasible"
        return
    if chosen is not None and (st.objective is None or objective >= st.objective - 1e-9):
        st.chosen, st.objective = chosen, objective
        st.status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    if bound is not None:
        st.bound = bound if st.bound is None else min(st.bound, bound)
    if code == cp_model.OPTIMAL and chosen is not None:
        st.bound = objective
    changed()


def upper_bound(inst: Instance, pool: Pool) -> float:
    """A quick proved bound for a pool CP-SAT gave none for: each review's best lead and
    members on their own, plus its mentoring bonus (penalties can only lower the total)."""
    s, w = inst.settings, inst.settings.weights
    by_review: defaultdict[str, tuple[list[float], list[float]]] = \
        defaultdict(lambda: ([], []))
    for (rid, pid), roles in pool.cands.items():
        c = coefficient(inst, rid, pid)
        if "lead" in roles:
            by_review[rid][0].append(c)
        if "member" in roles:
            by_review[rid][1].append(c)
    total: float = 0
    for rid in pool.reviews:
        leads, members = by_review[rid]
        k = inst.reviews[rid].team_size - 1
        total += max(leads, default=0) + sum(sorted(members, reverse=True)[:k])
        places = inst.reviews[rid].team_size
        # Bonuses can only add so much: one mentoring pair a review; a negative weight (a
        # bonus) for reciprocity or extra load at most once per place.
        total += round(max(0, w["mentoring"]) * SCALE)
        total += round(places * (max(0, -w["reciprocal"]) + max(0, -w["extra_load"])) * SCALE)
    del s
    return total / SCALE
