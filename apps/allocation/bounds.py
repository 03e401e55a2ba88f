"""A proved upper bound for a pool from the linear-programming relaxation of the exact model,
solved by column generation with GLOP, and the reduced costs that come with it.

The relaxation (every valid allocation of the pool is a point of it with the same total):
leads and members as variables between 0 and 1 (champions and their rules dropped: they only
restrict), one lead and ``team_size - 1`` members per review, at most so many of one school
per team, one role per review, each person's yearly most and dates, each school's balance,
pins, and the objective's terms exactly as in ``solver.Model``: a flag per (giving school,
host) that can happen both ways with a penalty when both do, a mentoring indicator per review
and each person's extra places.

Only a few columns (each review's best candidates and the current allocation) are in the LP
that GLOP solves; the bound does not depend on that or on GLOP's accuracy. For any duals
``y`` of the right signs, weak duality gives

    total <= sum_i y_i b_i + sum_j max over x_j in [l_j, u_j] of (c_j - a_j . y) x_j

over *every* column of the pool, which ``_Bound.value`` works out with numpy. Columns with a
positive reduced cost are added and the LP solved again while time allows; the lowest bound
is kept. A column whose reduced cost is below ``incumbent - bound`` cannot be in any
allocation better than the incumbent (reduced-cost fixing), which ``prunable`` returns.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict

import numpy as np

from . import solver as S

TOP = 8  # each review's best candidates per role in the first LP
TOP_PERSON = 3  # each person's best columns in the first LP
ADD = 12  # most columns added per review and round
ELASTIC = 100_000  # price (scaled) of breaking a team-shape or balance row in the LP


class _Columns:
    """Every lead and member column of a pool, as arrays."""

    def __init__(self, inst, pool):
        s = inst.settings
        rev = {r: i for i, r in enumerate(pool.reviews)}
        people = sorted(pool.people)
        per = {p: i for i, p in enumerate(people)}
        schools = sorted({inst.people[p].school for p in people} |
                         {inst.reviews[r].host for r in pool.reviews})
        sch = {u: i for i, u in enumerate(schools)}
        dates = sorted({d for r in pool.reviews for d in inst.reviews[r].dates})
        self.R, self.P, self.S, self.D = len(rev), len(people), len(schools), len(dates)
        self.people, self.schools, self.reviews = people, schools, list(pool.reviews)
        self._arrays(inst, pool, rev, per, sch)
        dix = {d: i for i, d in enumerate(dates)}
        rd = [[dix[d] for d in inst.reviews[r].dates] for r in pool.reviews]
        self.rdates = np.full((self.R, max((len(x) for x in rd), default=1)), -1,
                              dtype=np.int64)
        for i, x in enumerate(rd):
            self.rdates[i, :len(x)] = x
        self.pair = np.unique(self.r * self.P + self.p, return_inverse=True)[1]
        self.rs = np.unique(self.r * self.S + self.s, return_inverse=True)[1]
        self.team_size = np.array([inst.reviews[r].team_size for r in pool.reviews])
        self.limit = np.array([S.rulebook.yearly_limit(inst.people[p].max_reviews,
                                                       s.max_reviews_per_person)
                               for p in people], dtype=float)
        got = S.received(inst)
        self.recv = np.array([got[u] for u in schools], dtype=float)
        self.pinned = np.zeros(len(self.keys), dtype=bool)
        self.pinned[self.index(inst.fixed)] = True
        self._flags()

    def _arrays(self, inst, pool, rev: dict, per: dict, sch: dict) -> None:
        """One pass over the pool's candidates: each lead or member column's review,
        person, their school, the host and whether it leads; then the coefficients."""
        team = set(S.TEAM)
        keys = [(r, p, role) for (r, p), roles in pool.cands.items() for role in roles
                if role in team]
        self.keys = keys
        people = [inst.people[p] for p in self.people]
        school_of = np.array([sch[person.school] for person in people], dtype=np.int64)
        host_of = np.array([sch[inst.reviews[r].host] for r in pool.reviews], dtype=np.int64)
        self.r = np.array([rev[a[0]] for a in keys], dtype=np.int64)
        self.p = np.array([per[a[1]] for a in keys], dtype=np.int64)
        self.lead = np.array([a[2] == "lead" for a in keys], dtype=bool)
        self.s, self.h = school_of[self.p], host_of[self.r]
        done = np.array([person.reviews_done for person in people])[self.p]
        self.novice, self.expert = done == 0, done >= 3
        self.c = _coefficients(inst, self, people)

    def _flags(self) -> None:
        """Directed (school, host) pairs that can happen both ways get a flag (``flag_both``:
        the unordered pair it belongs to); each (review, school) row of such a pair carries
        it (``col_flag``: each column's flag or -1)."""
        n = self.S
        codes = self.s * n + self.h
        directed = np.unique(codes)
        flags = directed[np.isin((directed % n) * n + directed // n, directed)]
        at = np.minimum(np.searchsorted(flags, codes), max(len(flags) - 1, 0))
        self.col_flag = np.full(len(codes), -1, dtype=np.int64)
        if len(flags):
            self.col_flag = np.where(flags[at] == codes, at, -1)
        a, b = flags // n, flags % n
        self.both_codes, self.flag_both = np.unique(np.minimum(a, b) * n + np.maximum(a, b),
                                                    return_inverse=True)
        self.flags = flags

    def index(self, keys) -> list[int]:
        """The columns of ``keys`` ((review, person, role)) that are columns here."""
        where = getattr(self, "_where", None)
        if where is None:
            where = self._where = {a: j for j, a in enumerate(self.keys)}
        return [where[a] for a in keys if a in where]


def _coefficients(inst, cols: _Columns, people) -> np.ndarray:
    """Each column's own value, exactly as ``solver.coefficient`` works it out (scaled):
    expertise by bit masks of themes, repeat visits by (person, host) codes, travel once per
    (school, host)."""
    w = inst.settings.weights
    reviews = [inst.reviews[r] for r in cols.reviews]
    themes = sorted({t for rv in reviews for t in rv.themes} |
                    {t for person in people for t in person.strengths})
    bit = {t: 1 << i for i, t in enumerate(themes)}
    r_mask = np.array([sum(bit[t] for t in rv.themes) for rv in reviews], dtype=object)
    p_mask = np.array([sum(bit[t] for t in person.strengths) for person in people],
                      dtype=object)
    both = r_mask[cols.r] & p_mask[cols.p]
    matches = np.array([int(x).bit_count() for x in both.tolist()], dtype=float)
    coef = w["expertise"] * matches * S.SCALE
    sidx = {u: i for i, u in enumerate(cols.schools)}
    before = {i * cols.S + sidx[u] for i, person in enumerate(people)
              for u in person.reviewed_before if u in sidx}
    coef -= np.isin(cols.p * cols.S + cols.h, np.array(sorted(before), dtype=np.int64)) * \
        (w["repeat"] * S.SCALE)
    in_person = np.array([rv.mode == "in_person" for rv in reviews])[cols.r]
    codes, inverse = np.unique(cols.s * cols.S + cols.h, return_inverse=True)
    travel = np.array([round(w["travel_per_10km"] *
                             inst.dist_km(cols.schools[c // cols.S], cols.schools[c % cols.S])
                             * S.SCALE / 10) for c in codes.tolist()], dtype=float)
    coef -= np.where(in_person, travel[inverse], 0)
    return np.round(coef)


class _Bound:
    """The weak-duality bound for duals given per row family."""

    def __init__(self, inst, cols: _Columns):
        w, s = inst.settings.weights, inst.settings
        self.cols = cols
        self.cap = s.max_from_one_school_per_team
        self.tol = s.balance_tolerance
        self.pen_rec = round(w["reciprocal"] * S.SCALE)
        self.bonus = round(w["mentoring"] * S.SCALE)
        self.pen_extra = round(w["extra_load"] * S.SCALE)
        c = cols
        self.has_n = np.bincount(c.r[c.novice], minlength=c.R) > 0
        self.has_e = np.bincount(c.r[c.expert], minlength=c.R) > 0

    def zeros(self) -> dict:
        c = self.cols
        return {"lead": np.zeros(c.R), "member": np.zeros(c.R),
                "rs": np.zeros(c.rs.max() + 1 if len(c.rs) else 0),
                "pair": np.zeros(c.pair.max() + 1 if len(c.pair) else 0),
                "load": np.zeros(c.P), "extra": np.zeros(c.P), "date": np.zeros((c.P, c.D)),
                "bal": np.zeros(c.S), "nov": np.zeros(c.R), "exp": np.zeros(c.R),
                "both": np.zeros(len(c.both_codes))}

    def reduced(self, y: dict) -> np.ndarray:
        c = self.cols
        d = c.c - np.where(c.lead, y["lead"][c.r], y["member"][c.r]) - y["rs"][c.rs] \
            - y["pair"][c.pair] - y["load"][c.p] - y["extra"][c.p] + \
            y["nov"][c.r] * c.novice + y["exp"][c.r] * c.expert
        for k in range(c.rdates.shape[1]):
            dk = c.rdates[c.r, k]
            ok = dk >= 0
            d[ok] -= y["date"][c.p[ok], dk[ok]]
        if self.tol is not None:
            d -= y["bal"][c.s]
        return d

    def value(self, y: dict) -> tuple[float, np.ndarray]:
        """(the bound, scaled; each column's reduced cost) for duals ``y`` (rows of ``<=``
        form have duals >= 0; ``lead``, ``member`` and ``bal`` are free)."""
        c = self.cols
        d = self.reduced(y)
        total = float(np.where(c.pinned, d, np.maximum(d, 0)).sum())
        total += float(y["lead"].sum() + (y["member"] * (c.team_size - 1)).sum())
        total += float(y["pair"].sum() + (y["load"] * c.limit).sum() + y["date"].sum() +
                       y["extra"].sum())
        total += self._rs_rows(y) + self._aux(y)
        if self.tol is not None:
            z = y["bal"]
            total += float(np.where(z > 0, z * (c.recv + self.tol),
                                    z * (c.recv - self.tol)).sum())
        return total, d

    def _rs_rows(self, y: dict) -> float:
        """(review, school) rows: ``<= cap`` without a flag, ``- cap * flag <= 0`` with one
        (the flag's own reduced cost is counted in ``_aux``)."""
        c = self.cols
        if not len(c.rs):
            return 0.0
        flagged = np.zeros(len(y["rs"]), dtype=bool)
        if self.pen_rec:
            flagged[c.rs[c.col_flag >= 0]] = True
        return float((y["rs"][~flagged] * self.cap).sum())

    def _aux(self, y: dict) -> float:
        """The auxiliary columns' best part: mentoring indicators, extra places, flags and
        both-ways indicators."""
        c = self.cols
        total = 0.0
        if self.bonus:
            dv = self.bonus - y["nov"] - y["exp"]
            total += float(np.maximum(dv, 0)[self.has_n & self.has_e].sum())
        if self.pen_extra:
            de = -self.pen_extra + y["extra"]
            total += float((np.maximum(de, 0) * np.maximum(c.limit - 1, 0)).sum())
        if self.pen_rec and len(c.flags):
            df = np.zeros(len(c.flags))
            rows = np.zeros(len(y["rs"]), dtype=np.int64) - 1
            rows[c.rs] = c.col_flag
            has = rows >= 0
            np.add.at(df, rows[has], self.cap * y["rs"][has])
            df -= y["both"][c.flag_both]
            total += float(np.maximum(df, 0).sum())
            total += float((y["both"] + np.maximum(-self.pen_rec + y["both"], 0)).sum())
        return total


class _Lp:
    """The restricted LP over some columns, built afresh for GLOP each round."""

    def __init__(self, inst, cols: _Columns, bound: _Bound, chosen: np.ndarray):
        from ortools.linear_solver import pywraplp

        self.cols, self.b, self.chosen = cols, bound, chosen
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.rows: dict = {}
        self.obj = self.solver.Objective()
        self.obj.SetMaximization()
        self._build(inst)

    def row(self, family: str, key, lo: float, hi: float):
        r = self.rows.get((family, key))
        if r is None:
            r = self.rows[(family, key)] = self.solver.Constraint(lo, hi)
        return r

    def _build(self, inst) -> None:
        c, b, inf = self.cols, self.b, math.inf
        self.columns = []
        for j in self.chosen.tolist():
            x = self.solver.NumVar(1.0 if c.pinned[j] else 0.0, 1.0, "")
            self.columns.append(x)
            self.obj.SetCoefficient(x, float(c.c[j]))
            r, p = int(c.r[j]), int(c.p[j])
            want = 1 if c.lead[j] else int(c.team_size[r]) - 1
            self.row("lead" if c.lead[j] else "member", r, want, want).SetCoefficient(x, 1)
            self.row("pair", int(c.pair[j]), -inf, 1).SetCoefficient(x, 1)
            self.row("load", p, -inf, float(c.limit[p])).SetCoefficient(x, 1)
            if b.pen_extra:
                self.row("extra", p, -inf, 1).SetCoefficient(x, 1)
            for d in c.rdates[r].tolist():
                if d >= 0:
                    self.row("date", (p, d), -inf, 1).SetCoefficient(x, 1)
            self._rs(j, x)
            if b.tol is not None:
                s = int(c.s[j])
                self.row("bal", s, float(c.recv[s] - b.tol),
                         float(c.recv[s] + b.tol)).SetCoefficient(x, 1)
            if c.novice[j] and b.bonus:
                self.row("nov", r, -inf, 0).SetCoefficient(x, -1)
            if c.expert[j] and b.bonus:
                self.row("exp", r, -inf, 0).SetCoefficient(x, -1)
        if b.bonus:  # every review that could have a mentoring pair: its indicator
            for r in np.flatnonzero(b.has_n & b.has_e).tolist():
                v = self.solver.NumVar(0, 1, "")
                self.obj.SetCoefficient(v, b.bonus)
                self.row("nov", r, -inf, 0).SetCoefficient(v, 1)
                self.row("exp", r, -inf, 0).SetCoefficient(v, 1)
        self._aux()
        self._elastic()

    def _elastic(self) -> None:
        """Slack on the team-shape and balance rows at a high price, so that the LP of a
        few columns is always feasible (the bound does not depend on it: only on the duals,
        which the price keeps finite)."""
        for (family, _key), row in list(self.rows.items()):
            if family in ("lead", "member", "bal"):
                for sign in (1, -1):
                    slack = self.solver.NumVar(0, math.inf, "")
                    self.obj.SetCoefficient(slack, -ELASTIC)
                    row.SetCoefficient(slack, sign)

    def _rs(self, j: int, x) -> None:
        c, b = self.cols, self.b
        f = int(c.col_flag[j]) if b.pen_rec else -1
        self.row("rs", int(c.rs[j]), -math.inf, 0 if f >= 0 else b.cap).SetCoefficient(x, 1)
        if f >= 0:
            self.rows.setdefault(("flagrow", int(c.rs[j])), f)

    def _aux(self) -> None:
        c, b, solver = self.cols, self.b, self.solver
        for (family, key), row in list(self.rows.items()):
            if family == "extra" and b.pen_extra:
                e = solver.NumVar(0, max(0.0, float(c.limit[key]) - 1), "")
                self.obj.SetCoefficient(e, -b.pen_extra)
                row.SetCoefficient(e, -1)
        self._flag_vars()

    def _flag_vars(self) -> None:
        c, b, solver = self.cols, self.b, self.solver
        flags: dict = {}
        for (family, key), f in list(self.rows.items()):
            if family != "flagrow":
                continue
            if f not in flags:
                flags[f] = solver.NumVar(0, 1, "")
            self.rows[("rs", key)].SetCoefficient(flags[f], -b.cap)
        for f, var in flags.items():
            i = int(c.flag_both[f])
            row = self.row("both", i, -math.inf, 1)
            row.SetCoefficient(var, 1)
            if ("bothvar", i) not in self.rows:
                both = self.rows[("bothvar", i)] = solver.NumVar(0, 1, "")
                self.obj.SetCoefficient(both, -b.pen_rec)
                row.SetCoefficient(both, -1)

    def solve(self, deadline: float) -> dict | None:
        """The duals by family (signs fixed so the bound holds), or ``None``."""
        from ortools.linear_solver import pywraplp

        self.solver.SetTimeLimit(max(1, int(1000 * (deadline - time.monotonic()))))
        self.solver.SetSolverSpecificParametersAsString("use_dual_simplex: true")
        if self.solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        y = self.b.zeros()
        for (family, key), row in self.rows.items():
            if family in ("flagrow", "bothvar"):
                continue
            value = row.dual_value()
            if family not in ("lead", "member", "bal"):
                value = max(0.0, value)
            y[family][key] = value
        return y


class Relaxation:
    """The LP relaxation of one pool, tightened round by round: ``bound`` (scaled, the
    lowest found) with the reduced costs and LP values that gave it."""

    def __init__(self, inst, pool, incumbent=()):
        self.inst, self.pool = inst, pool
        self.cols = _Columns(inst, pool)
        self.weak = _Bound(inst, self.cols)
        self.chosen = _first_columns(self.cols, incumbent)
        self.bound: float | None = None  # scaled, unrounded
        self.reduced: np.ndarray | None = None
        self.values: dict = {}  # column -> LP value, of the LP that gave the bound
        self.rounds = 0
        self.converged = False

    def step(self, deadline: float) -> bool:
        """One more LP round; False when out of time, converged or the LP failed."""
        if self.converged or time.monotonic() > deadline - 0.1:
            return False
        lp = _Lp(self.inst, self.cols, self.weak, self.chosen)
        y = lp.solve(deadline)
        if y is None:
            return False
        value, d = self.weak.value(y)
        self.rounds += 1
        if self.bound is None or value < self.bound:
            self.bound, self.reduced = value, d
            self.values = {int(j): x.solution_value()
                           for j, x in zip(self.chosen.tolist(), lp.columns, strict=True)}
        more = _more_columns(self.cols, d, self.chosen)
        if not len(more):
            self.converged = True
            return False
        self.chosen = np.union1d(self.chosen, more)
        return True

    def proved(self) -> float | None:
        """The bound in the scorer's units, rounded down to the 1/SCALE grid (every total
        is on it) with a margin for floating point."""
        return None if self.bound is None else math.floor(self.bound + 1e-3) / S.SCALE

    def quick_bound(self) -> float:
        """A proved bound without the LP (as ``solver.upper_bound``, with numpy): each
        review's best lead and members on their own, plus its mentoring bonus."""
        cols = self.cols
        order = np.lexsort((-cols.c, cols.lead, cols.r))
        rank = _ranks(cols.r[order] * 2 + cols.lead[order])
        lead, r = cols.lead[order], cols.r[order]
        take = np.where(lead, rank == 0, rank < cols.team_size[r] - 1)
        total = float(cols.c[order][take].sum()) + self.weak.bonus * cols.R
        return math.ceil(total - 1e-6) / S.SCALE

    def pruned(self, lower: float) -> dict:
        """(review, person) -> the lead and member roles no allocation scoring at least
        ``lower`` can use: reduced cost below ``lower - bound`` (pins never)."""
        if self.reduced is None or self.bound is None:
            return {}
        cut = lower * S.SCALE - self.bound - 1e-3
        out: dict = defaultdict(set)
        for j in np.flatnonzero((self.reduced < cut) & ~self.cols.pinned).tolist():
            r, p, role = self.cols.keys[j]
            out[(r, p)].add(role)
        return out

    def guided(self, per_review: int, incumbent=(), champions: int = 12) -> dict:
        """A smaller candidate set for finding good allocations (not for proofs): the LP's
        columns in use, each review's ``per_review`` best by reduced cost, the incumbent's,
        and up to ``champions`` champion candidates per review."""
        cols, d = self.cols, self.reduced
        keep = {j for j, x in self.values.items() if x > 1e-6}
        if d is not None:
            order = np.lexsort((-d, cols.r))
            keep |= set(order[_ranks(cols.r[order]) < per_review].tolist())
        out: dict = defaultdict(list)
        for j in keep:
            r, p, role = cols.keys[j]
            out[(r, p)].append(role)
        for a in incumbent:
            if a[2] not in out[(a[0], a[1])]:
                out[(a[0], a[1])].append(a[2])
        for r, people in self._champions(champions).items():
            for p in people:
                if "champion" not in out.get((r, p), ()):
                    out[(r, p)].append("champion")
        return {k: [role for role in self.pool.cands[k] if role in v]
                for k, v in out.items()}


    def _champions(self, n: int) -> dict:
        """Up to ``n`` champion candidates per review, drawn at random (seeded by the
        review): champions add nothing to the total, so any will do, and a spread of
        schools leaves the team free."""
        by_review: dict = defaultdict(list)
        for (r, p), roles in self.pool.cands.items():
            if "champion" in roles:
                by_review[r].append(p)
        return {r: random.Random(r).sample(people, min(n, len(people)))
                for r, people in by_review.items()}


def _ranks(groups: np.ndarray) -> np.ndarray:
    """Each element's place within its run of equal ``groups`` values (sorted input)."""
    start = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    return np.arange(len(groups)) - np.repeat(start, np.diff(np.r_[start, len(groups)]))


def lp_bound(inst, pool, incumbent, *, deadline: float, rounds: int = 20) -> Relaxation | None:
    """The relaxation after up to ``rounds`` rounds before ``deadline`` (``None`` for
    weights of unusual signs or a pool without team candidates)."""
    w = inst.settings.weights
    if w["reciprocal"] < 0 or w["extra_load"] < 0 or w["mentoring"] < 0:
        return None
    if not any(set(roles) & set(S.TEAM) for roles in pool.cands.values()):
        return None
    relaxed = Relaxation(inst, pool, incumbent)
    while relaxed.rounds < rounds and relaxed.step(deadline):
        pass
    return relaxed


def _first_columns(cols: _Columns, incumbent) -> np.ndarray:
    """Each review's ``TOP`` best lead and member columns, each person's ``TOP_PERSON``
    best, the pinned ones and the incumbent's."""
    order = np.lexsort((-cols.c, cols.lead, cols.r))
    keep = set(order[_ranks(cols.r[order] * 2 + cols.lead[order]) < TOP].tolist())
    # and each person's best few, so that every school can give its places
    order = np.lexsort((-cols.c, cols.p))
    keep |= set(order[_ranks(cols.p[order]) < TOP_PERSON].tolist())
    keep |= set(np.flatnonzero(cols.pinned).tolist())
    keep |= set(cols.index(incumbent))
    return np.array(sorted(keep), dtype=np.int64)


def _more_columns(cols: _Columns, d: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Up to ``ADD`` columns per review with the highest positive reduced costs, not yet in
    the LP."""
    mask = d > 1e-6
    mask[chosen] = False
    cand = np.flatnonzero(mask)
    order = cand[np.lexsort((-d[cand], cols.r[cand]))]
    return order[_ranks(cols.r[order]) < ADD]
