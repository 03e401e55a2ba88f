"""Large-neighbourhood search for one large pool (a whole county, or several partnerships
chosen together): far too big for one CP-SAT model (Hampshire as one pool has over 500,000
candidate pairs), but made of partnerships that mostly interact with their neighbours.

1. Start: the greedy allocation of the whole pool, then a better one: the pool cut into
   groups of neighbouring partnerships (by where their schools are), each group solved on its
   own with its reviews drawing only on its own people. Either is a valid allocation of the
   whole pool when the scorer says so; the better one is kept.
2. Improve: again and again, the reviews and people of a few neighbouring partnerships are
   freed and solved exactly with everything else held fixed (``solver.Model`` with a
   context), starting from the current allocation. Two neighbourhoods that share no
   partnership cannot affect each other, so one is solved on each core at once. A change is
   kept only if the independent scorer finds it valid and better, so the best allocation is
   known at every moment.
3. Bound: ``bounds.lagrangian`` (a proved upper bound; the whole model is too large to build).

Memory stays small: only the neighbourhoods' models exist at a time.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from . import solver as S

GROUP_PARTNERSHIPS = 4  # step 1: partnerships solved together
NEIGHBOURHOOD_REVIEWS = 24  # step 2: reviews freed at a time (about four partnerships)
STEP_SECONDS = 1.5  # step 2: most time for one neighbourhood


def _centres(inst, partnerships) -> dict:
    sums: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for school in inst.schools.values():
        if school.partnership in partnerships:
            c = sums[school.partnership]
            c[0] += school.easting
            c[1] += school.northing
            c[2] += 1
    return {p: (c[0] / c[2], c[1] / c[2]) for p, c in sums.items()}


def groups_of_neighbours(centres: dict, size: int) -> list[list[str]]:
    """Partnerships cut into groups of at most ``size`` by recursive halving along the longer
    side of the map."""
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


class _Pool:
    """The large pool indexed by partnership."""

    def __init__(self, inst, pool):
        self.inst, self.pool = inst, pool
        self.part_of_person = {p: inst.schools[inst.people[p].school].partnership
                               for p in pool.people}
        self.part_of_review = {r: inst.schools[inst.reviews[r].host].partnership
                               for r in pool.reviews}
        names = set(self.part_of_person.values()) | set(self.part_of_review.values())
        self.centres = _centres(inst, names)
        self.reviews_of, self.people_of = defaultdict(list), defaultdict(set)
        for r, part in self.part_of_review.items():
            self.reviews_of[part].append(r)
        for p, part in self.part_of_person.items():
            self.people_of[part].add(p)
        self.cands_of = defaultdict(list)
        for (r, p), roles in pool.cands.items():
            self.cands_of[r].append((p, roles))

    def part(self, parts, current):
        """Reviews, people, candidates and fixed context of the partnerships ``parts``."""
        reviews = sorted(r for part in parts for r in self.reviews_of[part])
        people = set().union(*(self.people_of[part] for part in parts))
        cands = {(r, p): roles for r in reviews for p, roles in self.cands_of[r]
                 if p in people}
        in_r = set(reviews)
        context = [a for a in current if (a[0] in in_r) != (a[1] in people)] \
            if current is not None else []
        inside = [a for a in current if a[0] in in_r and a[1] in people] \
            if current is not None else []
        return reviews, people, cands, context, inside

    def near(self, seed, count, avoid=()):
        sx, sy = self.centres[seed]
        chosen, n = [], 0
        for name in sorted(self.centres, key=lambda c: (self.centres[c][0] - sx) ** 2 +
                           (self.centres[c][1] - sy) ** 2):
            if n >= count:
                break
            if name in avoid:
                continue
            chosen.append(name)
            n += len(self.reviews_of[name])
        return chosen


def improve(inst, st, time_limit: float, lanes: int, report, active=None,
            prove: bool = False) -> None:
    """Find and improve an allocation of the pool ``st.pool`` (a ``solver._PoolState``) within
    ``time_limit`` seconds; ``st`` holds the best valid allocation throughout. ``prove``: the
    pool is small enough for one model, so after a short search the whole pool is given to
    CP-SAT from the best allocation, for the rest of the time, to prove it (or bound it)."""
    search = _Search(inst, st, time_limit, lanes, report, active, prove)
    if prove:  # small enough for the whole pool's greedy allocations to be quick
        search.keep(S.warm_start(inst, st.pool)[0])
    search.start_from_groups()  # 1.
    if not prove and time.monotonic() < search.started + 0.3 * time_limit:
        # The careful greedy allocation of the whole pool too (slow on a county).
        search.keep(S.warm_start(inst, st.pool)[0])
    if st.chosen is None:
        if prove:  # the whole pool in one model, from its best greedy start
            S._solve_state(inst, st, search.deadline - time.monotonic(), report, active)
        return  # else nothing valid to improve: the caller says so (unknown)
    search.neighbourhoods()  # 2.
    # 3. A proved bound for the whole pool, if there is time for one.
    if prove:
        S.solve_whole(inst, st, search.deadline - time.monotonic(), report, active)
        return
    search.lagrangian_bound()


class _Search:
    """The neighbourhood search of one pool: its index by partnership, its time and the
    best valid allocation so far (``st``)."""

    def __init__(self, inst, st, time_limit: float, lanes: int, report, active, prove: bool):
        self.inst, self.st, self.pool = inst, st, st.pool
        self.time_limit, self.lanes, self.report, self.active = time_limit, lanes, report, \
            active
        self.prove = prove
        self.started = time.monotonic()
        self.deadline = self.started + time_limit
        self.idx = _Pool(inst, st.pool)

    def keep(self, assignments) -> bool:
        """Keep ``assignments`` if the scorer finds them valid and better than the best."""
        st = self.st
        checked = S.pool_score(self.inst, self.pool.reviews, assignments)
        if checked.valid and (st.objective is None or checked.total > st.objective + 1e-9):
            st.chosen, st.objective, st.status = list(assignments), checked.total, "feasible"
            if st.bound is None:
                st.bound = S.upper_bound(self.inst, self.pool)
            self.report()
            return True
        return False

    def solve_part(self, parts, current, limit):
        """(parts, the best allocation of their reviews and people with the rest of
        ``current`` held fixed, or ``None``). Without ``current``: the partnerships alone."""
        inst = self.inst
        limit = min(limit, self.deadline - time.monotonic())
        reviews, people, cands, context, inside = self.idx.part(parts, current)
        model = S.Model(inst, reviews, people, cands, context)
        if current is None:
            # A group alone: its greedy allocation if valid, else CP-SAT must find one.
            inside = S.greedy(inst, reviews, cands)
            if not S.pool_score(inst, reviews, inside).valid:
                limit = max(limit, S.RESCUE_SOLVE)
            elif limit < S.MIN_SOLVE:
                return parts, inside  # out of time: the group's valid greedy allocation
        if limit < S.MIN_SOLVE:
            return parts, None
        model.hint(inside)
        _, chosen, _, _ = model.solve(limit, 1, active=self.active)
        if chosen is None and current is None and S.pool_score(inst, reviews, inside).valid:
            chosen = inside
        return parts, chosen

    def start_from_groups(self) -> None:
        """1. Groups of neighbours, each alone (no context: its reviews only draw on its
        people); together an allocation of the whole pool if every group has one."""
        groups = groups_of_neighbours(self.idx.centres, GROUP_PARTNERSHIPS)
        share = max(0.3, (0.15 if self.prove else 0.4) * self.time_limit * self.lanes /
                    len(groups))
        found: list[Any] | None = []
        with ThreadPoolExecutor(self.lanes) as ex:
            for group, chosen in ex.map(lambda g: self.solve_part(g, None, share), groups):
                if chosen is None and found is not None and \
                        time.monotonic() < self.deadline - share:
                    chosen = self.solve_part(group, None, 2 * share)[1]  # once more, longer
                if chosen is None or found is None:
                    found = None
                    continue
                found += chosen
        if found is not None:
            self.keep(found)

    def neighbourhoods(self) -> None:
        """2. Neighbourhoods, ``lanes`` at a time, sharing no partnership, each solved with
        the rest of the best allocation held fixed; the changes are merged and kept if
        better."""
        rng = random.Random(len(self.pool.reviews))
        order = sorted(self.idx.centres)
        lns_end = self.started + 0.35 * self.time_limit if self.prove else \
            self.deadline - min(0.15 * self.time_limit, 10.0)
        with ThreadPoolExecutor(self.lanes) as ex:
            while time.monotonic() < lns_end - 0.3:
                batch = self._batch(rng, order)
                limit = min(STEP_SECONDS, lns_end - time.monotonic())
                current = self.st.chosen
                results = list(ex.map(self.solve_part, batch, [current] * len(batch),
                                      [limit] * len(batch)))
                self.keep(self._merged(current, results))

    def _batch(self, rng, order) -> list:
        """Up to ``lanes`` neighbourhoods around random seeds, sharing no partnership."""
        batch: list[Any] = []
        used: set[Any] = set()
        for _ in range(self.lanes):
            seeds = [n for n in order if n not in used]
            if not seeds:
                break
            parts = self.idx.near(rng.choice(seeds), NEIGHBOURHOOD_REVIEWS, avoid=used)
            used.update(parts)
            batch.append(parts)
        return batch

    def _merged(self, current, results) -> list:
        """``current`` with each neighbourhood's part replaced by its new allocation."""
        merged = list(current)
        for parts, chosen in results:
            if chosen is None:
                continue
            reviews, people, _, _, _ = self.idx.part(parts, None)
            in_r = set(reviews)
            merged = [a for a in merged if not (a[0] in in_r and a[1] in people)] + chosen
        return merged

    def lagrangian_bound(self) -> None:
        """3. The Lagrangian bound of the whole pool, if there is time for one."""
        from .bounds import lagrangian

        st = self.st
        bound = lagrangian(self.inst, self.pool, deadline=self.deadline, lower=st.objective) \
            if time.monotonic() < self.deadline - 0.5 else None
        if bound is not None:
            st.bound = min(st.bound, bound) if st.bound is not None else bound
        self.report()
