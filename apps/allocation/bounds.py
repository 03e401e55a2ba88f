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
    s, w = inst.settings, inst.settings.weights
    if w["reciprocal"] < 0 or w["extra_load"] < 0:
        return None  # a bonus would need its own bound: keep the simple one
    one_per_school = s.max_from_one_school_per_team == 1
    people = sorted(pool.people)
    pidx = {p: i for i, p in enumerate(people)}
    schools = sorted({inst.people[p].school for p in people} |
                     {inst.reviews[r].host for r in pool.reviews})
    sidx = {u: i for i, u in enumerate(schools)}
    school_of = np.array([sidx[inst.people[p].school] for p in people])
    limit = np.array([S.rulebook.yearly_limit(inst.people[p].max_reviews,
                                              s.max_reviews_per_person) for p in people],
                     dtype=float)
    got = S.received(inst)
    recv = np.array([got[u] for u in schools], dtype=float)
    tol = s.balance_tolerance
    mentor = round(max(0, w["mentoring"]) * S.SCALE)

    # Per review: its team candidates sorted by school.
    rows = defaultdict(list)
    for (rid, pid), roles in pool.cands.items():
        if "lead" in roles or "member" in roles:
            rows[rid].append(pid)
    reviews = []
    for rid in pool.reviews:
        if time.monotonic() > deadline:
            return None
        cand = sorted(rows[rid], key=lambda p: inst.people[p].school)
        ids = np.array([pidx[p] for p in cand], dtype=np.int64)
        coef = np.array([S.coefficient(inst, rid, p) for p in cand], dtype=float)
        done = np.array([inst.people[p].reviews_done for p in cand])
        sch = school_of[ids] if len(ids) else np.array([], dtype=np.int64)
        reviews.append((inst.reviews[rid].team_size, ids, coef, done == 0, done >= 3, sch))

    mu_up = np.zeros(len(schools))
    mu_down = np.zeros(len(schools))
    nu = np.zeros(len(people))
    best = math.inf
    theta, since = 2.0, 0
    for _ in range(iterations):
        if time.monotonic() > deadline:
            break
        adj_person = -nu
        adj_school = (mu_down - mu_up) if tol is not None else np.zeros(len(schools))
        total = 0.0
        load = np.zeros(len(people))
        for k, ids, coef, novice, expert, sch in reviews:
            if len(ids) == 0:
                return None
            v = coef + adj_person[ids] + adj_school[sch]
            if one_per_school:
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
            if mentor:
                has_n, has_e = novice[top].any(), expert[top].any()
                if has_n and has_e:
                    value = a + mentor
                else:
                    rest = np.sort(v[top])[::-1][:k - 1].sum()  # the best k - 1
                    an = a if has_n else (rest + v[novice].max() if novice.any() else -math.inf)
                    ae = a if has_e else (rest + v[expert].max() if expert.any() else -math.inf)
                    value = max(a, min(an, ae) + mentor)
            total += value
            load[ids[top]] += 1
        given = np.bincount(school_of, weights=load, minlength=len(schools))
        const = float(nu @ limit)
        if tol is not None:
            const += float(mu_up @ (recv + tol) + mu_down @ (tol - recv))
        value = total + const
        if value < best - 1e-6:
            best, since = value, 0
        else:
            since += 1
            if since >= 8:
                theta, since = theta / 2, 0
        g_nu = limit - load
        parts = [g_nu]
        if tol is not None:
            g_up, g_down = recv + tol - given, given - recv + tol
            parts += [g_up, g_down]
        norm = sum(float(g @ g) for g in parts)
        target = lower * S.SCALE if lower is not None else 0.95 * value
        if norm == 0 or theta < 1e-4:
            break
        step = theta * max(value - target, 1.0) / norm
        nu = np.maximum(0, nu - step * g_nu)
        if tol is not None:
            mu_up = np.maximum(0, mu_up - step * g_up)
            mu_down = np.maximum(0, mu_down - step * g_down)
    if not math.isfinite(best):
        return None
    return math.ceil(best) / S.SCALE
