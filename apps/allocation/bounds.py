"""A proved upper bound for a pool too large for one CP-SAT model: Lagrangian relaxation.

Relaxed problem (every allocation of the pool is feasible for it and scores at least as much
in it, so its optimum bounds ours):
- penalties that can only lower the total are dropped (reciprocity, extra load, when their
  weights are not negative); champions, dates and pins are dropped;
- each review picks its team alone: ``team_size`` people of different schools (when at most
  one per school is the rule), its mentoring bonus counted when such a team could include a
  newcomer and an experienced reviewer;
- the balance rule (each school) and every person's yearly limit are moved into the
  objective with multipliers ``mu >= 0`` and ``nu >= 0``.

For any multipliers the relaxed optimum ``L`` is a bound (weak duality); subgradient steps
lower it. Only the lowest ``L`` found is returned.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

import numpy as np

from . import solver as S


def lagrangian(inst, pool, *, deadline: float, lower: float | None = None,
               iterations: int = 300) -> float | None:
    w = inst.settings.weights
    if w["reciprocal"] < 0 or w["extra_load"] < 0:
        return None  # a bonus would need its own bound: keep the simple one
    relaxed = _Relaxation(inst, pool)
    if not relaxed.add_reviews(inst, pool, deadline):
        return None
    best = _lowest_bound(relaxed, deadline=deadline, lower=lower, iterations=iterations)
    if best is None or not math.isfinite(best):
        return None
    return math.ceil(best) / S.SCALE


def _lowest_bound(relaxed: _Relaxation, *, deadline: float, lower: float | None,
                  iterations: int) -> float | None:
    """Subgradient steps on the multipliers; the lowest relaxed optimum found (scaled by
    SCALE), ``inf`` if none, ``None`` if a review cannot be filled even when relaxed."""
    mu_up = np.zeros(len(relaxed.schools))
    mu_down = np.zeros(len(relaxed.schools))
    nu = np.zeros(len(relaxed.people))
    best = math.inf
    theta, since = 2.0, 0
    for _ in range(iterations):
        if time.monotonic() > deadline:
            break
        found = relaxed.optimum(nu, mu_up, mu_down)
        if found is None:
            return None
        total, load = found
        value = total + relaxed.constant(nu, mu_up, mu_down)
        if value < best - 1e-6:
            best, since = value, 0
        else:
            since += 1
            if since >= 8:
                theta, since = theta / 2, 0
        g_nu, g_up, g_down = relaxed.subgradient(load)
        parts = [g_nu] if g_up is None else [g_nu, g_up, g_down]
        norm = sum(float(g @ g) for g in parts)
        target = lower * S.SCALE if lower is not None else 0.95 * value
        if norm == 0 or theta < 1e-4:
            break
        step = theta * max(value - target, 1.0) / norm
        nu = np.maximum(0, nu - step * g_nu)
        if g_up is not None:
            mu_up = np.maximum(0, mu_up - step * g_up)
            mu_down = np.maximum(0, mu_down - step * g_down)
    return best


class _Relaxation:
    """The relaxed problem of one pool as arrays: people with their yearly limits, schools
    with the places they receive, and each review's team candidates."""

    def __init__(self, inst, pool):
        s, w = inst.settings, inst.settings.weights
        self.one_per_school = s.max_from_one_school_per_team == 1
        self.people = people = sorted(pool.people)
        self.pidx = {p: i for i, p in enumerate(people)}
        self.schools = schools = sorted({inst.people[p].school for p in people} |
                                        {inst.reviews[r].host for r in pool.reviews})
        sidx = {u: i for i, u in enumerate(schools)}
        self.school_of = np.array([sidx[inst.people[p].school] for p in people])
        self.limit = np.array([S.rulebook.yearly_limit(inst.people[p].max_reviews,
                                                       s.max_reviews_per_person)
                               for p in people], dtype=float)
        got = S.received(inst)
        self.recv = np.array([got[u] for u in schools], dtype=float)
        self.tol = s.balance_tolerance
        self.mentor = round(max(0, w["mentoring"]) * S.SCALE)
        self.reviews = []

    def add_reviews(self, inst, pool, deadline: float) -> bool:
        """Per review: (team size, its team candidates sorted by school as person indexes,
        their coefficients, which are newcomers, which are experienced, their schools).
        False when out of time."""
        rows = defaultdict(list)
        for (rid, pid), roles in pool.cands.items():
            if "lead" in roles or "member" in roles:
                rows[rid].append(pid)
        for rid in pool.reviews:
            if time.monotonic() > deadline:
                return False
            cand = sorted(rows[rid], key=lambda p: inst.people[p].school)
            ids = np.array([self.pidx[p] for p in cand], dtype=np.int64)
            coef = np.array([S.coefficient(inst, rid, p) for p in cand], dtype=float)
            done = np.array([inst.people[p].reviews_done for p in cand])
            sch = self.school_of[ids] if len(ids) else np.array([], dtype=np.int64)
            self.reviews.append((inst.reviews[rid].team_size, ids, coef, done == 0, done >= 3,
                                 sch))
        return True

    def optimum(self, nu, mu_up, mu_down) -> tuple[float, np.ndarray] | None:
        """The relaxed optimum for these multipliers, less their constant, and each person's
        load in it; ``None`` if a review cannot be filled."""
        adj_person = -nu
        adj_school = (mu_down - mu_up) if self.tol is not None else np.zeros(len(self.schools))
        total = 0.0
        load = np.zeros(len(self.people))
        for review in self.reviews:
            team = self._best_team(review, adj_person, adj_school)
            if team is None:
                return None
            value, chosen = team
            total += value
            load[chosen] += 1
        return total, load

    def _best_team(self, review, adj_person, adj_school):
        """(value, person indexes) of one review's best team alone: the best ``k`` (of
        different schools when at most one per school), with the mentoring bonus when a
        team with a newcomer and an experienced reviewer is worth it."""
        k, ids, coef, novice, expert, sch = review
        if len(ids) == 0:
            return None
        v = coef + adj_person[ids] + adj_school[sch]
        if self.one_per_school:
            # The best person of each school, then the best k schools.
            order = np.lexsort((-v, sch))
            first = np.r_[True, sch[order][1:] != sch[order][:-1]]
            pick_from = order[first]
        else:
            pick_from = np.arange(len(v))
        if len(pick_from) < k:
            return None
        vals = v[pick_from]
        top = pick_from[np.argpartition(-vals, k - 1)[:k]]
        a = v[top].sum()
        value = a
        if self.mentor:
            value = self._with_mentoring(a, v, top, k, novice, expert)
        return value, ids[top]

    def _with_mentoring(self, a, v, top, k, novice, expert):
        mentor = self.mentor
        has_n, has_e = novice[top].any(), expert[top].any()
        if has_n and has_e:
            return a + mentor
        rest = np.sort(v[top])[::-1][:k - 1].sum()  # the best k - 1
        an = a if has_n else (rest + v[novice].max() if novice.any() else -math.inf)
        ae = a if has_e else (rest + v[expert].max() if expert.any() else -math.inf)
        return max(a, min(an, ae) + mentor)

    def constant(self, nu, mu_up, mu_down) -> float:
        """The multipliers' part of the Lagrangian that does not depend on the teams."""
        const = float(nu @ self.limit)
        if self.tol is not None:
            tol, recv = self.tol, self.recv
            const += float(mu_up @ (recv + tol) + mu_down @ (tol - recv))
        return const

    def subgradient(self, load):
        """The slack of each person's limit and, with the balance rule, of each school's
        upper and lower balance (``None`` without it)."""
        g_nu = self.limit - load
        if self.tol is None:
            return g_nu, None, None
        given = np.bincount(self.school_of, weights=load, minlength=len(self.schools))
        tol, recv = self.tol, self.recv
        return g_nu, recv + tol - given, given - recv + tol
