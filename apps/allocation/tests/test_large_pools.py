"""The second round of the optimiser: the LP-guided search for large pools and the LP bound
(against brute force and a proved optimum), the answer at any time limit, progress, and the
fast candidate filter agreeing with the rulebook."""

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings

from apps.allocation import bounds, lns, solver
from apps.allocation.scorer import score
from apps.allocation.spec import load_instance
from apps.allocation.tasks import progress_text

from .test_allocation import brute_force, example, small_instances


@pytest.mark.parametrize("prove,no_time", [(True, False), (False, False), (False, True)])
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=small_instances())
def test_guided_search_and_its_bound_against_brute_force(monkeypatch, prove, no_time, data):
    """Every pool goes to ``lns.improve``: as a pool that fits one model (``prove``: it ends
    with a proof, so it must find the optimum) or as a large pool (any valid allocation,
    never above the optimum, with a bound never below it), also when the machine is too
    slow for the LP (``no_time``: the start from each partnership's own people and the loose
    bound)."""
    monkeypatch.setattr(solver, "SEARCH_FIRST_REVIEWS", 0)
    monkeypatch.setattr(solver, "LNS_REVIEWS", 1000 if prove else 0)
    if no_time:
        monkeypatch.setattr(lns, "LP_PACE", 1e12)
    inst = load_instance(data)
    best = brute_force(inst)
    result = solver.solve(inst, time_limit=2, workers=2, explain=False)
    if best is None:
        assert result.status in ("infeasible", "unknown") and result.assignments == []
        return
    assert result.status in ("optimal", "feasible", "unknown")
    if prove:
        assert result.status == "optimal"
    if result.status != "unknown":
        checked = score(inst, result.assignments)
        assert checked.valid, checked.violations
        assert result.objective == pytest.approx(checked.total, abs=1e-6)
        assert result.objective <= best + 1e-6
        assert result.bound >= best - 1e-6  # the bound is proved: never below the optimum
    if result.status == "optimal":
        assert result.objective == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("top", [1, 8])
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=small_instances())
def test_lp_bound_is_never_below_the_brute_force_optimum(monkeypatch, top, data):
    """The LP bound after one round (few columns: the weak-duality bound over all the
    others) and after column generation; reduced-cost fixing keeps an optimal allocation."""
    monkeypatch.setattr(bounds, "TOP", top)
    monkeypatch.setattr(bounds, "TOP_PERSON", 0)
    inst = load_instance(data)
    best = brute_force(inst)
    if best is None:
        return
    optimal = solver.solve(load_instance(data), time_limit=5, workers=2, explain=False)
    assert optimal.status == "optimal" and optimal.objective == pytest.approx(best, abs=1e-6)
    (pool,) = solver.indexed_pools(inst, solver.candidates(inst))
    for rounds in (1, 20):
        relaxed = bounds.lp_bound(inst, pool, (), deadline=time.monotonic() + 10,
                                  rounds=rounds)
        if relaxed is None:  # no lead or member candidates at all
            assert not any(role in ("lead", "member") for role in pool_roles(pool))
            continue
        assert relaxed.proved() >= best - 1e-6
        dropped = relaxed.pruned(best)
        for rid, pid, role in optimal.assignments:
            assert role not in dropped.get((rid, pid), ())


def pool_roles(pool):
    return [role for roles in pool.cands.values() for role in roles]


def test_lp_bound_on_a_medium_pool_is_close_and_keeps_the_optimum():
    """A generated instance of 8 partnerships in one pool: the LP bound is at least the
    proved optimum and close to it, and reduced-cost fixing keeps the optimal allocation."""
    data = medium_instance()
    inst = load_instance(data)
    optimal = solver.solve(inst, time_limit=60, workers=2, explain=False)
    assert optimal.status == "optimal"
    fresh = load_instance(data)
    (pool,) = solver.indexed_pools(fresh, solver.candidates(fresh))
    relaxed = bounds.lp_bound(fresh, pool, (), deadline=time.monotonic() + 30)
    assert relaxed.converged
    assert optimal.objective - 1e-6 <= relaxed.proved() <= optimal.objective * 1.05 + 1
    dropped = relaxed.pruned(optimal.objective)
    assert sum(len(r) for r in dropped.values()) > 0  # the gap is small: columns go
    for rid, pid, role in optimal.assignments:
        assert role not in dropped.get((rid, pid), ())


def medium_instance(seed: int = 7) -> dict:
    """40 schools in 8 partnerships of one pool, 3 people each, every school hosting one
    review of three on one of 10 days; the bench's settings and weights."""
    rng = random.Random(seed)
    themes = ["reading", "maths", "send", "behaviour", "attendance"]
    schools, people, reviews = [], [], []
    partnerships = [f"P{k}" for k in range(8)]
    for i in range(40):
        urn = 1000 + i
        schools.append({"urn": urn, "partnership": partnerships[i // 5],
                        "easting": 400000 + (i % 8) * 4000 + rng.randint(0, 2000),
                        "northing": 100000 + (i // 8) * 4000 + rng.randint(0, 2000),
                        "trust": "T1" if i % 13 == 0 else None, "federation": None})
        for j in range(3):
            people.append({"id": f"p{urn}-{j}", "school": urn, "can_review": True,
                           "can_lead": j == 0 or rng.random() < 0.3,
                           "can_champion": j == 2 or rng.random() < 0.2,
                           "trained_until": "2027-08-31",
                           "unavailable": rng.sample(["2026-11-03", "2026-11-04"], k=1)
                           if rng.random() < 0.2 else [],
                           "strengths": rng.sample(themes, k=rng.randint(1, 2)),
                           "reviews_done": rng.choice([0, 1, 3, 5]),
                           "reviewed_before": []})
        reviews.append({"id": f"R{urn}", "host": urn,
                        "dates": [f"2026-11-{3 + i % 10:02d}"], "team_size": 3,
                        "themes": rng.sample(themes, k=2), "pool": partnerships})
    return {"format": "spp-allocation/1", "name": "medium",
            "settings": {"max_reviews_per_person": 2, "max_champion_per_person": 2,
                         "max_from_one_school_per_team": 1, "max_travel_km": 40,
                         "balance_tolerance": 1, "assign_champion": True,
                         "weights": {"expertise": 3, "repeat": 5, "travel_per_10km": 1,
                                     "reciprocal": 2, "mentoring": 2, "extra_load": 1}},
            "schools": schools, "people": people, "reviews": reviews}


def test_any_time_limit_keeps_the_best_valid_allocation_found(monkeypatch):
    """CP-SAT finding nothing (as when time runs out) still leaves the valid greedy start,
    reported as feasible with a bound, never unknown."""
    inst = load_instance(example())
    pools = solver.indexed_pools(inst, solver.candidates(inst))
    assert all(solver.pool_score(inst, p.reviews, solver.greedy(inst, p.reviews, p.cands))
               .valid for p in pools)
    monkeypatch.setattr(solver.Model, "solve",
                        lambda self, *a, **k: (solver.cp_model.UNKNOWN, None, None, None))
    result = solver.solve(load_instance(example()), time_limit=5)
    assert result.status == "feasible"
    assert score(inst, result.assignments).valid
    assert result.bound >= 11.5 >= result.objective  # 11.5: the example's proved optimum


def test_progress_reports_objective_and_bound():
    seen = []
    result = solver.solve(load_instance(example()), time_limit=20, progress=seen.append)
    assert result.status == "optimal"
    last = seen[-1]
    assert last.done == last.total
    assert last.objective == pytest.approx(11.5) and last.bound == pytest.approx(11.5)
    text = progress_text(last)
    assert "Best allocation so far scores 11.5" in text
    assert "no allocation can score more than 11.5" in text


def test_fast_candidates_agree_with_the_rulebook():
    inst = load_instance(example())
    fast = solver.candidates(inst)
    for rid in inst.reviews:
        for pid in inst.people:
            assert sorted(fast.get((rid, pid), [])) == \
                sorted(solver.candidate_roles(inst, rid, pid)), (rid, pid)


def test_every_pool_gets_time_for_cp_sat_when_hundreds_share_the_clock(monkeypatch):
    """Pools share the time left by size, but none is given less than ``MIN_SHARE`` while
    the deadline allows: with 400 small pools beside a few large ones, a small pool's share
    by size is below ``MIN_SOLVE`` (below which it would keep its greedy start, as national
    x4's pools of five reviews did)."""
    assert solver.MIN_SHARE >= solver.MIN_SOLVE
    shares = []
    monkeypatch.setattr(solver._PoolRunner, "run",
                        lambda self, st, share: shares.append((st.pool.size, share)))
    small = [solver._PoolState(solver.Pool([f"r{i}"], set(), {(f"r{i}", "p"): ["member"]}))
             for i in range(400)]
    large = [solver._PoolState(solver.Pool([f"R{i}"], set(),
                                           {(f"R{i}", f"p{j}"): ["member"] for j in range(5000)}))
             for i in range(4)]
    runner = solver._PoolRunner(None, small + large, 2, time.monotonic() + 60, None)
    assert runner.run_all(small + large) is None
    assert len(shares) == 404
    assert min(share for size, share in shares if size == 1) >= solver.MIN_SHARE
    assert large_to_small_share(shares) > 100  # the large pools still get most of the time


def large_to_small_share(shares) -> float:
    return max(s for size, s in shares if size > 1) / min(s for size, s in shares if size == 1)


def test_pools_not_proved_are_tried_again_while_time_is_left(monkeypatch):
    """A pool whose first solve ends without a proof (its share ran out) is solved again from
    its best allocation, round after round, not only once (a round that changed nothing
    and took no time is not repeated: that is tested by the next)."""
    calls: dict = {}
    real = solver._solve_state

    def solve_state(inst, st, time_limit, changed, active=None):
        key = tuple(st.pool.reviews)
        calls[key] = calls.get(key, 0) + 1
        if calls[key] < 3:  # the first two rounds use their time and end without a proof
            time.sleep(0.06)
            if st.chosen is None:
                start, checked = solver.warm_start(inst, st.pool)
                st.chosen, st.objective, st.status = start, checked.total, "feasible"
                st.bound = solver.upper_bound(inst, st.pool)
            return
        real(inst, st, time_limit, changed, active)

    monkeypatch.setattr(solver, "_solve_state", solve_state)
    result = solver.solve(load_instance(example()), time_limit=20)
    assert result.status == "optimal" and result.objective == pytest.approx(11.5)
    assert calls and all(n == 3 for n in calls.values())


@pytest.mark.parametrize("greedy_time,group", [(False, 1), (False, 3), (False, 8), (True, 3)])
def test_a_large_pool_with_no_time_for_the_lp_still_answers_with_a_proved_bound(
        monkeypatch, greedy_time, group):
    """A large pool on a machine too slow for the LP keeps its start from each partnership's
    own people (groups of ``group`` neighbouring partnerships), or the whole pool's quick
    greedy allocation when there is time for that and it is better: valid, feasible (never
    unknown), and its bound is at least the proved optimum."""
    data = medium_instance()
    optimum = solver.solve(load_instance(data), time_limit=60, workers=2, explain=False)
    assert optimum.status == "optimal"
    monkeypatch.setattr(solver, "SEARCH_FIRST_REVIEWS", 0)
    monkeypatch.setattr(solver, "LNS_REVIEWS", 0)
    monkeypatch.setattr(lns, "LP_PACE", 1e12)
    monkeypatch.setattr(lns, "GREEDY_PACE", 0 if greedy_time else 1e12)
    monkeypatch.setattr(lns, "GROUP_PARTNERSHIPS", group)
    inst = load_instance(data)
    pool = solver.indexed_pools(inst, solver.candidates(inst))[0]
    whole = solver.pool_score(inst, pool.reviews, solver.greedy(inst, pool.reviews, pool.cands))
    result = solver.solve(inst, time_limit=10, workers=2, explain=False)
    if greedy_time and whole.valid:  # never less than the whole pool's quick greedy
        assert result.objective >= whole.total - 1e-6
    assert result.status == "feasible"
    assert score(inst, result.assignments).valid
    assert result.objective == pytest.approx(score(inst, result.assignments).total)
    assert result.objective <= optimum.objective + 1e-6 <= result.bound + 2e-6


@pytest.mark.parametrize("size", [1, 3, 8])
def test_a_pool_cut_into_groups_of_neighbours_keeps_each_school_whole(size):
    """Every review in exactly one part, each part's people and candidates from its own
    partnerships, a school's people in the part of the reviews it hosts."""
    inst = load_instance(medium_instance())
    (pool,) = solver.indexed_pools(inst, solver.candidates(inst))
    parts = lns.home_pools(inst, pool, size)
    assert len(parts) == -(-8 // size)
    assert sorted(r for part in parts for r in part.reviews) == sorted(pool.reviews)
    for part in parts:
        hosts = {inst.reviews[r].host for r in part.reviews}
        names = {inst.schools[u].partnership for u in hosts}
        assert len(names) <= size
        assert {inst.schools[inst.people[p].school].partnership for p in part.people} <= names
        assert all(p in part.people and r in part.reviews for r, p in part.cands)
        for p in pool.people:
            if inst.people[p].school in hosts:
                assert p in part.people


def test_a_second_round_goes_on_from_the_pools_lp(monkeypatch):
    """A pool solved with the LP's help keeps its relaxation; tried again, it goes on from it
    (no second LP from scratch) and still ends with a proved optimum."""
    calls = []
    real = lns.lp_bound
    monkeypatch.setattr(lns, "lp_bound", lambda *a, **k: calls.append(1) or real(*a, **k))
    inst = load_instance(medium_instance())
    (pool,) = solver.indexed_pools(inst, solver.candidates(inst))
    st = solver._PoolState(pool)
    lns.improve(inst, st, 20, 1, lambda: None, prove=True)
    assert st.relaxed is not None and len(calls) == 1
    first = st.relaxed
    lns.improve(inst, st, 20, 1, lambda: None, prove=True)
    assert st.relaxed is first and len(calls) == 1
    assert st.status == "optimal" and st.bound == pytest.approx(st.objective)
    assert score(inst, st.chosen).valid


@pytest.mark.parametrize("out_of_time", [False, True])
def test_a_wide_pool_has_a_valid_allocation_before_its_candidates(monkeypatch, out_of_time):
    """A pool wider than ``EARLY_PARTNERSHIPS`` gets a valid allocation from groups of
    neighbouring partnerships before every candidate is found. When time runs out finding
    them, that allocation is the answer (feasible, valid, with a proved bound); otherwise it
    is the pool's start and the optimum is still proved."""
    data = medium_instance()
    optimum = solver.solve(load_instance(data), time_limit=60, workers=2, explain=False)
    assert optimum.status == "optimal"
    monkeypatch.setattr(lns, "EARLY_PARTNERSHIPS", 2)
    monkeypatch.setattr(lns, "GROUP_PARTNERSHIPS", 3)
    inst = load_instance(data)
    early = lns.early_start(inst, until=time.monotonic() + 60)
    assert early and score(inst, early).valid
    if out_of_time:
        real = solver.candidates
        monkeypatch.setattr(solver, "candidates",
                            lambda inst, until=None: {} if until else real(inst))
    result = solver.solve(inst, time_limit=30, workers=2, explain=False)
    assert score(inst, result.assignments).valid
    assert result.objective == pytest.approx(score(inst, result.assignments).total)
    if out_of_time:
        assert result.status == "feasible"
        assert result.objective == pytest.approx(score(inst, early).total)
        assert result.bound >= optimum.objective - 1e-6
    else:
        assert result.status == "optimal"
        assert result.objective == pytest.approx(optimum.objective)


def test_no_early_allocation_for_pools_of_a_few_partnerships():
    inst = load_instance(medium_instance())  # 8 partnerships in one pool
    assert lns.early_start(inst, until=time.monotonic() + 60) is None


def test_rounds_stop_when_one_changes_nothing_in_no_time(monkeypatch):
    """Pools that come back at once without any change are not tried again and again until
    the deadline: the answer comes at once, the greedy start with its bound."""
    calls = []

    def solve_state(inst, st, time_limit, changed, active=None):
        calls.append(st)
        if st.chosen is None:
            start, checked = solver.warm_start(inst, st.pool)
            st.chosen, st.objective, st.status = start, checked.total, "feasible"
            st.bound = solver.upper_bound(inst, st.pool)

    monkeypatch.setattr(solver, "_solve_state", solve_state)
    result = solver.solve(load_instance(example()), time_limit=60)
    assert result.status == "feasible"
    assert len(calls) <= 3 * result.pools
