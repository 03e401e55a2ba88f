"""The second round of the optimiser: neighbourhood search for large pools and its proved
bound (against brute force), the answer at any time limit, progress, and the fast candidate
filter agreeing with the rulebook."""

import time

import pytest
from hypothesis import HealthCheck, given, settings

from apps.allocation import solver
from apps.allocation.bounds import lagrangian
from apps.allocation.scorer import score
from apps.allocation.spec import load_instance
from apps.allocation.tasks import progress_text

from .test_allocation import brute_force, example, small_instances


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=small_instances())
def test_neighbourhood_search_and_its_bound_against_brute_force(monkeypatch, data):
    monkeypatch.setattr(solver, "LNS_REVIEWS", 0)  # every pool goes to lns.improve
    inst = load_instance(data)
    best = brute_force(inst)
    result = solver.solve(inst, time_limit=1, workers=2, explain=False)
    if best is None:
        assert result.status in ("infeasible", "unknown") and result.assignments == []
        return
    assert result.status in ("optimal", "feasible", "unknown")
    if result.status != "unknown":
        checked = score(inst, result.assignments)
        assert checked.valid, checked.violations
        assert result.objective == pytest.approx(checked.total, abs=1e-6)
        assert result.objective <= best + 1e-6
        assert result.bound >= best - 1e-6  # the bound is proved: never below the optimum
    fresh = load_instance(data)
    for pool in solver.indexed_pools(fresh, solver.candidates(fresh)):
        if pool.reviews == sorted(fresh.reviews):  # one pool: its bound bounds the optimum
            bound = lagrangian(fresh, pool, deadline=time.monotonic() + 5)
            assert bound is None or bound >= best - 1e-6


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
