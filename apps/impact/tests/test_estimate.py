import json
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from apps.impact.estimate import (
    AnalysisError,
    Spec,
    _panel,
    _weights,
    estimate,
    fit_linearmodels,
    fit_statsmodels,
    long_from_parsed,
    months_of_progress,
    wild_cluster_bootstrap,
)
from apps.impact.outcomes import parse_outcomes

DATA = Path(__file__).parent.parent / "data"
FILES = [DATA / "2018-2019_850_ks2final_subset.csv", DATA / "2018-2019_936_ks2final_subset.csv"]


@pytest.fixture(scope="module")
def real():
    return long_from_parsed([parse_outcomes(p.read_bytes(), p.name) for p in FILES])


def _treated(real, n=40, seed=3):
    urns = sorted(real[real.measure == "READ_AVERAGE"].urn.unique())
    picked = np.random.default_rng(seed).choice(urns, size=n, replace=False)
    return {int(u): f"P{i % 8}" for i, u in enumerate(picked)}


def synthetic(n_schools=600, n_treated=60, effect=3.0, seed=7):
    """Schools with prior attainment driving the score, a common trend of +1 a year and a
    true effect for treated schools in the post year only."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_schools):
        urn = 100000 + i
        ks1 = rng.normal(16.5, 0.8)
        fsm = float(np.clip(rng.normal(25, 10), 0, 90))
        base = 80 + 1.5 * ks1 - 0.05 * fsm + rng.normal(0, 1)
        treated = i < n_treated
        for year in (2017, 2018, 2019):
            y = base + (year - 2017) + rng.normal(0, 0.5)
            if treated and year == 2019:
                y += effect
            rows.append((urn, year, "READ_AVERAGE", y, ""))
        rows += [(urn, 2019, "TKS1AVERAGE", ks1, ""), (urn, 2019, "PTFSM6CLA1A", fsm, ""),
                 (urn, 2019, "TELIG", float(rng.integers(15, 90)), "")]
    frame = pd.DataFrame(rows, columns=["urn", "year", "measure", "value", "marker"])
    frame["la_code"] = "999"
    clusters = {100000 + i: f"P{i % 40}" for i in range(n_treated)}
    return frame, clusters


def test_a_known_effect_is_recovered_with_cluster_robust_errors():
    frame, clusters = synthetic()
    result = estimate(frame, clusters, Spec("READ_AVERAGE", 2018, 2019), clusters=clusters)
    assert result["n_treated_clusters"] >= 30
    assert "CRV1" in result["method"]["inference"]
    assert result["ci_low"] < 3.0 < result["ci_high"]
    assert abs(result["estimate"] - 3.0) < 0.3
    assert result["placebo"]["available"] and result["placebo"]["passed"]
    assert all(abs(b["smd_after"]) < 0.1 for b in result["balance"])


def test_no_effect_gives_an_interval_around_zero_with_few_clusters_bootstrapped():
    frame, _ = synthetic(effect=0.0)
    clusters = {100000 + i: f"P{i % 6}" for i in range(60)}
    result = estimate(frame, clusters, Spec("READ_AVERAGE", 2017, 2019), clusters=clusters)
    assert "wild cluster bootstrap" in result["method"]["inference"]
    assert result["n_treated_clusters"] == 6
    assert result["ci_low"] < 0 < result["ci_high"]


def test_standard_errors_agree_between_statsmodels_and_linearmodels(real):
    clusters = _treated(real)
    spec = Spec("READ_AVERAGE", 2017, 2019)
    result = estimate(real, clusters, spec, clusters=clusters)
    from apps.impact.estimate import _match, _wide

    wide, _ = _wide(real, spec)
    eligible = wide[wide.why == ""]
    treated = eligible[eligible.index.isin(list(clusters))]
    pool = eligible[~eligible.index.isin(list(clusters))]
    scale = eligible[spec.matching].std().to_numpy()
    matches, _ = _match(treated, pool, spec, scale, np.random.default_rng(spec.seed))
    panel = _panel(wide, _weights(matches), set(matches), clusters, 2017, 2019)
    sm, lm = fit_statsmodels(panel), fit_linearmodels(panel)
    assert sm.params["did"] == pytest.approx(lm.params["did"], rel=1e-9)
    assert sm.bse["did"] == pytest.approx(lm.std_errors["did"], rel=1e-9)
    assert sm.bse["did"] == pytest.approx(result["se"], abs=1e-3)
    # The bootstrap's closed-form CRV1 error for the original sample is the same again.
    boot = wild_cluster_bootstrap(panel, reps=99, seed=1)
    assert boot["se"] == pytest.approx(sm.bse["did"], rel=1e-9)
    assert boot["estimate"] == pytest.approx(sm.params["did"], rel=1e-9)


def test_matching_without_replacement_uses_each_comparison_once_and_is_reproducible(real):
    clusters = _treated(real)
    spec = Spec("MAT_AVERAGE", 2018, 2019, k=2, replacement=False, same_la=True)
    first = estimate(real, clusters, spec, clusters=clusters)
    assert first == estimate(real, clusters, spec, clusters=clusters)
    assert first["n_comparison"] <= 2 * first["n_treated"]
    assert first["placebo"]["available"]
    assert first["reproducibility"]["seed"] == spec.seed
    assert len(first["reproducibility"]["input_hash"]) == 64
    assert "statsmodels" in first["reproducibility"]["versions"]
    assert "without replacement" in first["method"]["matching"]


@pytest.mark.parametrize("size,months", [
    (0.0, 0), (0.01, 0), (0.02, 1), (0.094, 1), (0.1, 2), (0.26, 3), (0.27, 4), (0.5, 6),
    (0.96, 12), (1.4, 12), (-0.12, -2), (-0.011, 0)])
def test_months_of_progress_follow_the_eef_table(size, months):
    assert months_of_progress(size) == months


def _run(*args):
    out = StringIO()
    call_command("impact_estimate", "--outcomes", *map(str, FILES), *args, stdout=out)
    return out.getvalue()


def test_command_prints_one_json_object(tmp_path, real):
    treated = tmp_path / "urns.csv"
    treated.write_text("URN,partnership\n" + "\n".join(
        f"{u},{p}" for u, p in _treated(real).items()) + "\n99999999,P1\n")
    result = json.loads(_run("--treated", str(treated), "--outcome", "READ_AVERAGE",
                             "--pre-year", "2017", "--post-year", "2019", "--json"))
    for key in ("estimate", "ci_low", "ci_high", "se", "effect_size", "months", "n_treated",
                "n_comparison", "n_dropped", "balance", "method"):
        assert key in result
    assert {"urn": 99999999, "reason": "not in the outcomes files"} in result["dropped"]
    assert set(result["balance"][0]) >= {"variable", "smd_before", "smd_after"}


@pytest.mark.parametrize("args,reason", [
    (["--outcome", "READ_AVG"], "The outcome column READ_AVG is not in the outcomes files."),
    (["--outcome", "READ_AVERAGE", "--pre-year", "2015"], "The pre year 2015 is not in"),
    (["--outcome", "READ_AVERAGE", "--match", "NOPE"], "matching variable NOPE is not"),
    (["--treated-none"], "None of the treated schools is in the outcomes files."),
])
def test_bad_input_exits_with_a_one_line_reason(tmp_path, args, reason):
    treated = tmp_path / "urns.csv"
    treated.write_text("URN\n115851\n115852\n" if args != ["--treated-none"] else "URN\n1\n")
    if args == ["--treated-none"]:
        args = ["--outcome", "READ_AVERAGE"]
    base = {"--pre-year": "2017", "--post-year": "2019"}
    extra = [x for k, v in base.items() if k not in args for x in (k, v)]
    with pytest.raises(CommandError, match=reason) as info:
        _run("--treated", str(treated), *args, *extra)
    assert "\n" not in str(info.value)


def test_a_treated_file_without_urn_column_is_refused(tmp_path):
    treated = tmp_path / "urns.csv"
    treated.write_text("school\n115851\n")
    with pytest.raises(CommandError, match="urns.csv has no URN column"):
        _run("--treated", str(treated), "--outcome", "READ_AVERAGE", "--pre-year", "2017",
             "--post-year", "2019")


def test_analysis_error_for_years_in_wrong_order(real):
    with pytest.raises(AnalysisError, match="pre year must come before"):
        estimate(real, {115851}, Spec("READ_AVERAGE", 2019, 2017))
