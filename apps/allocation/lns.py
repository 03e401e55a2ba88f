"""The search for pools of more than ``solver.SEARCH_FIRST_REVIEWS`` reviews, guided by the
LP relaxation (``bounds.py``), up to a whole county as one pool (Hampshire: 427 reviews and
over 500,000 candidate pairs, far too many for one CP-SAT model of every candidate).

1. Start: a valid allocation at once. A pool that fits one model: the better of the quick
   and the careful greedy allocations. A large pool: the quick greedy over the people of each
   host's own partnership (the partnership-by-partnership problem: quick, and valid for the
   wider pool).
2. The LP relaxation by column generation: a proved upper bound, and an LP allocation that
   is mostly whole numbers.
3. Guided CP-SAT: the exact model of every rule over fewer candidates (the LP's columns in
   use, each review's best few by reduced cost, some champions and the best allocation so
   far). Any allocation it finds is valid for the whole pool; it is kept if the independent
   scorer agrees and it is better, so the best allocation is known at every moment.
4. A pool that fits one model (``prove``): the candidates no allocation better than the best
   can use (reduced cost below the gap) are dropped and CP-SAT proves the rest; its proof is
   a proof for the whole pool. A large pool: more LP rounds (the bound tightens) and a wider
   guided model from the best allocation, while time is left.

Memory stays small: the LP holds a few tens of thousands of columns, the guided model a few
thousand.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from . import solver as S
from .bounds import Relaxation, lp_bound
from .spec import Instance

GROUP_PARTNERSHIPS = 8  # a large pool's start: neighbouring partnerships filled together
# An instance with a review whose pool spans more partnerships than this gets a valid
# allocation before its candidates are found (``early_start``).
EARLY_PARTNERSHIPS = 16
HOME_SOLVE = 0.3  # seconds: most for one partnership's model in a large pool's start
GUIDED = (4, 8, 16)  # each review's best columns by reduced cost, pass by pass
# A large pool's LP and first guided model take about this many times as long as finding
# the candidates took (a county: 1.2 s for the candidates, 4 s for the rest on a quiet
# machine; both three times as long at load 8). With less time left, the start stands.
LP_PACE = 3.5
# The quick greedy allocation of a whole county takes about twice as long as its candidates
# (2.5 s of CPU against 1.1 s; 3,695 against 2,768 for the start from each partnership's own
# people): used when there is no time for the LP but time for it.
GREEDY_PACE = 2.5


def improve(inst, st, time_limit: float, lanes: int, report, active=None,
            prove: bool = False) -> None:
    """Find and improve an allocation of the pool ``st.pool`` (a ``solver._PoolState``) within
    ``time_limit`` seconds; ``st`` holds the best valid allocation and the proved bound
    throughout. ``prove``: the pool fits one model, so finish with a proof."""
    search = _Search(inst, st, time_limit, lanes, report, active, careful=prove)
    try:
        _improve(search, prove)
    finally:
        st.relaxed = search.relaxed
        if st.chosen is not None and st.bound is None:  # no LP bound in time
            relaxed = search.relaxed
            st.bound = max(st.objective, relaxed.quick_bound() if relaxed is not None
                           else loose_bound(inst, st.pool))


def _improve(search: _Search, prove: bool) -> None:
    inst, st = search.inst, search.st
    search.start()
    resumed = st.relaxed  # a second round: its LP goes on, its guided pass is done
    relaxed = search.relax(until=search.at(0.3 if prove else 0.15),
                           least=0 if resumed else 20 if prove else
                           1 if search.time_limit < 30 else 2, relaxed=resumed)
    if relaxed is None or relaxed.bound is None:  # no LP: as without one
        if prove:  # the whole pool in one model, as small pools are
            S._solve_state(inst, st, search.left(), search.report, search.active)
        elif search.has_time(GREEDY_PACE):  # the whole pool's quick greedy, if better
            search.keep(S.greedy(inst, st.pool.reviews, st.pool.cands, until=search.at(0.5)))
        return  # a large pool keeps the best of these (or has nothing: unknown)
    if prove:
        if resumed is None:
            search.guided(relaxed, GUIDED[0], until=search.at(0.2))
        search.prove(relaxed)
        return
    for n, per_review in enumerate(GUIDED):
        last = n == len(GUIDED) - 1 or search.time_limit < 30
        search.guided(relaxed, per_review, until=search.deadline if last else search.at(0.4))
        if last:
            break
        search.relax(until=search.at(0.3), least=0, relaxed=relaxed)


class _Search:
    """One pool's search: its time, the best valid allocation so far (``st``) and progress."""

    def __init__(self, inst, st, time_limit: float, lanes: int, report, active,
                 careful: bool):
        self.inst, self.st, self.pool = inst, st, st.pool
        self.time_limit, self.careful = time_limit, careful
        self.relaxed: Relaxation | None = None
        self.lanes, self.report, self.active = lanes, report, active
        self.started = time.monotonic()
        # Time kept back for the scorer's check of the last allocation found.
        self.deadline = self.started + time_limit - min(1.0, 0.02 * time_limit)

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def at(self, share: float) -> float:
        """The moment ``share`` of the time left from now has passed."""
        return time.monotonic() + share * max(0.0, self.left())

    def has_time(self, pace: float) -> bool:
        """Whether the time left is at least ``pace`` times what finding the pool's
        candidates took (measured on this machine, now)."""
        per_candidate = getattr(self.inst, "_seconds_per_candidate", 2.4e-6)
        return self.left() >= pace * per_candidate * len(self.pool.cands)

    def keep(self, assignments) -> bool:
        """Keep ``assignments`` if the scorer finds them valid and better than the best."""
        st = self.st
        if not assignments:
            return False
        checked = S.pool_score(self.inst, self.pool.reviews, assignments)
        if checked.valid and (st.objective is None or checked.total > st.objective + 1e-9):
            st.chosen, st.objective = list(assignments), checked.total
            if st.status != "optimal":
                st.status = "feasible"
            if st.bound is None and self.careful:  # a large pool waits for the LP's
                st.bound = S.upper_bound(self.inst, self.pool)
            self.report()
            return True
        return False

    def start(self) -> None:
        """1. A valid allocation at once, unless the pool has one already: a pool that fits
        one model, the better of the quick and the careful greedy allocations. A large
        pool's quick greedy looks only at people of the host's own partnership: that is
        the partnership-by-partnership problem, small and quick, and its allocations are
        valid for the wider pool."""
        st, inst, pool = self.st, self.inst, self.pool
        if st.chosen is not None:
            return
        if self.careful:
            self.keep(S.warm_start(inst, pool)[0])
            return
        self.keep(self.home_start())

    def home_start(self) -> list | None:
        """A large pool's start, valid for the whole pool: groups of ``GROUP_PARTNERSHIPS``
        neighbouring partnerships, each group's reviews from its own people, by the
        careful greedy allocation, or the quick one where that breaks a rule (Hampshire in 9
        groups: 4,904 in 0.4 s of CPU, against 2,768 for each partnership alone, solved by
        CP-SAT, and 5,166 in 4.3 s for the careful greedy allocation of the whole county). A
        group that neither fills is cut into its partnerships, each solved by CP-SAT from its
        greedy allocation (``_home_part``); partnerships still without a valid allocation
        are solved together in one CP-SAT model (they cannot affect each other), until it
        finds one. ``None`` if that fails."""
        inst, out, hint = self.inst, [], []
        rest = S.Pool([], set(), {})
        hard = []
        for group in home_pools(inst, self.pool, GROUP_PARTNERSHIPS):
            chosen, checked = group_start(inst, group)
            if checked.valid:
                out += chosen
            else:
                hard += home_pools(inst, group)
        if hard:
            # Time for the partnerships' models: a share of what is left, so that the LP
            # and the guided model still have theirs.
            until = self.at(0.25)
            with ThreadPoolExecutor(self.lanes) as ex:
                solved = list(ex.map(lambda part: self._home_part(part, until), hard))
        else:
            solved = []
        for part, chosen, valid in solved:
            if valid:
                out += chosen
            else:
                hint += chosen
                rest.reviews += part.reviews
                rest.people |= part.people
                rest.cands.update(part.cands)
        if rest.reviews:
            model = S.Model(inst, rest.reviews, rest.people, rest.cands)
            model.hint(hint)
            limit = max(S.RESCUE_SOLVE, 0.3 * self.left())
            chosen = model.solve(limit, self.lanes, active=self.active, first=True)[1]
            if chosen is None:
                return None
            out += chosen
        return out

    def _home_part(self, part: S.Pool, until: float) -> tuple:
        """(part, its allocation, valid): the quick greedy allocation (the careful one where
        the quick one breaks a rule), improved by CP-SAT while there is time before
        ``until``; a partnership with no valid greedy allocation gets ``MIN_SOLVE`` of
        CP-SAT's time anyway (without one the pool has no allocation at all)."""
        inst = self.inst
        chosen = S.greedy(inst, part.reviews, part.cands)
        valid = S.pool_score(inst, part.reviews, chosen).valid
        if not valid:
            chosen, checked = S.warm_start(inst, part)
            valid = checked.valid
        limit = min(HOME_SOLVE, until - time.monotonic())
        if not valid:  # briefly: the partnerships still without one are solved together
            limit = max(limit, S.MIN_SOLVE)
        if limit >= S.MIN_SOLVE / 2:
            model = S.Model(inst, part.reviews, part.people, part.cands)
            model.hint(chosen)
            solved = model.solve(limit, 1, active=self.active)[1]
            if solved is not None and S.pool_score(inst, part.reviews, solved).valid:
                return part, solved, True
        return part, chosen, valid

    def relax(self, until: float, least: int, relaxed: Relaxation | None = None):
        """2. LP rounds until ``until`` (at least ``least`` while half the time is left);
        the bound goes to ``st`` after each."""
        if relaxed is None:
            if not self.careful and not self.has_time(LP_PACE):
                return None  # no time for the LP and a guided model: keep the start
            relaxed = self.relaxed = lp_bound(self.inst, self.pool, self.st.chosen or (),
                                              deadline=until, rounds=0)
            if relaxed is None:
                return None
        self.relaxed = relaxed
        floor_until = self.at(0.6)
        done = 0
        while relaxed.step(until if done >= least else max(until, floor_until)):
            done += 1
            self._bound(relaxed.proved())
            if time.monotonic() > until and done >= least:
                break
        self._bound(relaxed.proved())
        return relaxed

    def _bound(self, bound: float | None) -> None:
        st = self.st
        if bound is None:
            return
        if st.objective is not None:
            bound = max(bound, st.objective)
        if st.bound is None or bound < st.bound:
            st.bound = bound
            self.report()

    def guided(self, relaxed: Relaxation, per_review: int, until: float) -> None:
        """3. CP-SAT on the guided candidates until ``until``, from the best allocation."""
        # The first pass leaves the start out: a greedy allocation's columns lead CP-SAT away
        # from the LP's (measured on the county: 5,170 against 5,800 in the same time).
        best = self.st.chosen if per_review > GUIDED[0] else None
        self._solve(relaxed.guided(per_review, best or ()), until, hint=best)

    def _solve(self, cands: dict, until: float, hint=None):
        pool = self.pool
        limit = until - time.monotonic()
        if limit < S.MIN_SOLVE:
            return None
        model = S.Model(self.inst, pool.reviews, pool.people, cands)
        if hint:
            model.hint(hint)
        if until - time.monotonic() < S.MIN_SOLVE / 2:
            return None  # building the model took the time (a busy machine)
        code, chosen, _, bound = model.solve(until - time.monotonic(), self.lanes,
                                             active=self.active, presolve=hint is None)
        self.keep(chosen)
        return code, bound

    def prove(self, relaxed: Relaxation) -> None:
        """4. Drop what cannot beat the best, and prove the rest with CP-SAT."""
        st = self.st
        if st.chosen is None:
            return
        lower = st.objective
        proved = relaxed.proved()
        if proved is not None and lower >= proved - 1e-9:
            st.status, st.bound = "optimal", lower
            self.report()
            return
        dropped = relaxed.pruned(lower)
        cands = {}
        for key, roles in self.pool.cands.items():
            kept = [role for role in roles if role not in dropped.get(key, ())]
            if kept:
                cands[key] = kept
        out = self._solve(cands, self.deadline, hint=st.chosen)
        if out is None:
            return
        code, bound = out
        if code == S.cp_model.OPTIMAL:
            st.status, st.bound = "optimal", st.objective
            self.report()
        elif bound is not None:
            # The search covered every allocation scoring at least ``lower``.
            self._bound(max(bound, lower))


def early_start(inst: Instance, until: float) -> list | None:
    """A valid allocation of every review of an instance with a review whose pool spans
    more than ``EARLY_PARTNERSHIPS`` partnerships (a county-wide pool), found before its
    candidates are: groups of ``GROUP_PARTNERSHIPS`` neighbouring partnerships, each
    group's reviews from its own people (only their candidates are looked at: an eighth of
    the county's), by ``group_start``. ``None`` when no pool is that wide, a weight has an
    unusual sign (no bound in no time), a group has no valid allocation this way, or
    ``until`` (a ``time.monotonic()`` moment) passes."""
    w = inst.settings.weights
    if not inst.reviews or max(len(set(r.pool)) for r in inst.reviews.values()) <= \
            EARLY_PARTNERSHIPS or \
            min(w["repeat"], w["travel_per_10km"], w["reciprocal"], w["extra_load"]) < 0:
        return None
    partnership = {u: school.partnership for u, school in inst.schools.items()}
    names = {partnership[r.host] for r in inst.reviews.values()}
    group = {name: n for n, names_ in enumerate(
        groups_of_neighbours(_centres(inst, names), GROUP_PARTNERSHIPS)) for name in names_}
    people: dict = {}
    for pid, person in inst.people.items():
        n = group.get(partnership[person.school])
        if n is not None:
            people.setdefault(n, []).append(pid)
    facts = S._person_facts(inst)
    too_far: dict = {}  # (host, pool) -> schools too far away
    parts: dict = {}
    for rid, review in inst.reviews.items():
        if time.monotonic() > until:
            return None
        n = group[partnership[review.host]]
        part = parts.setdefault(n, S.Pool([], set(people.get(n, ())), {}))
        part.reviews.append(rid)
        mine = [p for p in people.get(n, ()) if
                partnership[inst.people[p].school] in review.pool]
        part.cands.update(S._review_candidates(
            inst, rid, facts, S._schools_too_far(inst, review, too_far, mine), mine))
    out = []
    for part in parts.values():
        if time.monotonic() > until:
            return None
        chosen, checked = group_start(inst, part)
        if not checked.valid:
            return None
        out += chosen
    return out


def group_start(inst: Instance, part: S.Pool) -> tuple:
    """(assignments, the scorer's verdict) for one part of a large pool: the careful greedy
    allocation (on groups of neighbouring partnerships both better and quicker than ours:
    Hampshire 4,904 against 3,750, 0.4 s of CPU each), ours where it breaks a rule."""
    from . import greedy as careful

    chosen = careful.greedy(S.sub_instance(inst, part))
    checked = S.pool_score(inst, part.reviews, chosen)
    if not checked.valid:
        quick = S.greedy(inst, part.reviews, part.cands)
        again = S.pool_score(inst, part.reviews, quick)
        if again.valid or len(again.violations) < len(checked.violations):
            return quick, again
    return chosen, checked


def home_pools(inst: Instance, pool: S.Pool, size: int = 1) -> list:
    """The pool cut by the host's partnership (``size`` 1) or by groups of ``size``
    neighbouring partnerships, each part with only its own people. An allocation of each
    part, valid for the part, is valid for the pool together: a school's hosted reviews
    and its people are in the same part."""
    partnership = {u: school.partnership for u, school in inst.schools.items()}
    names = {partnership[inst.reviews[r].host] for r in pool.reviews}
    group = {name: name for name in names}
    if size > 1:
        group = {name: n for n, names_ in enumerate(
            groups_of_neighbours(_centres(inst, names), size)) for name in names_}
    of_person = {p: group.get(partnership[inst.people[p].school]) for p in pool.people}
    of_review = {r: group[partnership[inst.reviews[r].host]] for r in pool.reviews}
    parts: dict = {}
    for r in pool.reviews:
        part = parts.setdefault(of_review[r], S.Pool([], set(), {}))
        part.reviews.append(r)
    for p, name in of_person.items():
        if name in parts:
            parts[name].people.add(p)
    for key, roles in pool.cands.items():
        if of_person[key[1]] == of_review[key[0]]:
            parts[of_review[key[0]]].cands[key] = roles
    return list(parts.values())


def _centres(inst: Instance, names: set) -> dict:
    """partnership -> the mean position of its schools."""
    sums: dict = {}
    for school in inst.schools.values():
        if school.partnership in names:
            c = sums.setdefault(school.partnership, [0.0, 0.0, 0])
            c[0] += school.easting
            c[1] += school.northing
            c[2] += 1
    return {name: (c[0] / c[2], c[1] / c[2]) for name, c in sums.items()}


def groups_of_neighbours(centres: dict, size: int) -> list[list]:
    """Partnerships cut into groups of at most ``size`` by halving along the longer side of
    the map, again and again."""
    def cut(names):
        if len(names) <= size:
            return [names]
        xs = [centres[n][0] for n in names]
        ys = [centres[n][1] for n in names]
        axis = 0 if max(xs) - min(xs) >= max(ys) - min(ys) else 1
        names = sorted(names, key=lambda n: (centres[n][axis], n))
        pieces = -(-len(names) // size)
        half = (pieces // 2) * len(names) // pieces
        return cut(names[:half]) + cut(names[half:])
    return cut(sorted(centres))


def loose_bound(inst: Instance, pool: S.Pool) -> float:
    """A proved bound worked out in no time: every team place with all its review's themes
    matched, nothing lost to travel or repeat visits, every bonus. ``solver.upper_bound``
    (tighter, but seconds on a county) when a weight has an unusual sign."""
    w = inst.settings.weights
    if min(w["repeat"], w["travel_per_10km"], w["reciprocal"], w["extra_load"]) < 0:
        return S.upper_bound(inst, pool)
    total = 0.0
    for rid in pool.reviews:
        review = inst.reviews[rid]
        total += review.team_size * max(0, w["expertise"]) * len(review.themes) + \
            max(0, w["mentoring"])
    return total
