"""Matched comparison and difference-in-differences on school-level outcomes.

Pure functions on a pandas table of outcomes (``urn, year, measure, value, marker``): no
database, so the command-line ``impact_estimate`` and the analysis pages run the same code.

Steps (methods and limits in plain English: ``docs/impact.md``):

1. Eligibility: a school needs the outcome in the pre and post years and every matching
   variable; otherwise it is dropped with the reason (the DfE's marker where there is one).
2. Matching: nearest neighbour on matching variables standardised by their standard
   deviation among eligible schools (scipy's k-d tree), optionally within the same local
   authority, with or without replacement, k neighbours, within a caliper.
3. Balance: standardised mean differences before and after matching (flagged above 0.1).
4. Difference-in-differences: weighted least squares of the outcome on treated, post and
   their product (statsmodels), standard errors clustered by partnership (each comparison
   school is its own cluster). With fewer than ``BOOTSTRAP_BELOW`` treated clusters the
   interval and p-value come from a wild cluster bootstrap.
5. Effect size (Hedges' g) with the standard deviation used and its source; months of
   progress from the EEF conversion table (versioned, see ``MONTHS_TABLES``).
6. Placebo: the same estimate one year earlier (pre-year minus one to pre-year).
7. Subgroups: by quintile of % disadvantaged pupils, and by any grouping the caller supplies
   (phase), each on the treated schools of the group and their matches.
"""

from __future__ import annotations

import hashlib
import platform
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .outcomes import MEASURES, marker_reason

BOOTSTRAP_BELOW = 30  # treated clusters; EVALUATION.md: cluster-robust SEs under-cover below
SMD_FLAG = 0.1
MIN_SUBGROUP = 5  # treated schools needed to estimate a subgroup
VARIABLE_LABELS = {
    "outcome_pre": "Outcome in the pre year",
    "outcome_trend": "Outcome trend into the pre year (pre year minus the year before)",
    **MEASURES,
}
DEFAULT_MATCHING = ["TKS1AVERAGE", "PTFSM6CLA1A", "TELIG", "outcome_pre"]

# EEF months-of-progress conversion, versioned because EEF project reports use a slightly
# different table from the Toolkit's. Upper bound of |effect size| (rounded to 2 places) for
# each month. Source: EEF Teaching and Learning Toolkit, as cited in the programme's
# evaluation notes (shared/reference/EVALUATION.md, "EEF conventions").
MONTHS_TABLES: dict[str, dict[str, Any]] = {
    "eef-toolkit-2021": {
        "source": "Education Endowment Foundation, Teaching and Learning Toolkit: "
                  "converting effect sizes to months' progress",
        "year": "2021",
        "bounds": [(0.01, 0), (0.09, 1), (0.18, 2), (0.26, 3), (0.35, 4), (0.44, 5),
                   (0.52, 6), (0.61, 7), (0.69, 8), (0.78, 9), (0.87, 10), (0.95, 11),
                   (1.00, 12)],
    },
}
MONTHS_VERSION = "eef-toolkit-2021"

CODED = re.compile(r"\b(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*|outcome_pre|outcome_trend)\b")


def in_words(text: str) -> str:
    """Measure codes in a stored reason ("MAT_AVERAGE 2018: not published") as their labels
    ("Average maths scaled score 2018: not published"), for pages and exports."""
    return CODED.sub(lambda m: VARIABLE_LABELS.get(m.group(0), m.group(0)), str(text))


class AnalysisError(Exception):
    """The analysis cannot run as specified; the message says why in one line."""


@dataclass
class Spec:
    outcome: str
    pre_year: int
    post_year: int
    matching: list[str] = field(default_factory=lambda: list(DEFAULT_MATCHING))
    same_la: bool = False
    k: int = 1
    replacement: bool = True
    caliper: float | None = 0.5
    seed: int = 20260901
    bootstrap_reps: int = 999
    sd: float | None = None
    sd_source: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def months_of_progress(effect_size: float, version: str = MONTHS_VERSION) -> int:
    size = round(abs(effect_size), 2)
    months = 12
    for bound, value in MONTHS_TABLES[version]["bounds"]:
        if size <= bound:
            months = value
            break
    return -months if effect_size < 0 else months


# ---------------------------------------------------------------------------------------------
# Preparing the data

def _wide(long: pd.DataFrame, spec: Spec):
    """One row per URN: the outcome by year, the matching variables, and why values are
    missing."""
    outcome = long[long.measure == spec.outcome]
    years = _outcome_years(outcome, spec)
    values = outcome.pivot_table(index="urn", columns="year", values="value", aggfunc="first",
                                 dropna=False)
    markers = outcome.pivot_table(index="urn", columns="year", values="marker",
                                  aggfunc="first", dropna=False)
    wide = pd.DataFrame(index=values.index)
    for year in years:
        wide[f"y{year}"] = values[year]
    why = pd.Series("", index=wide.index)

    def note(mask, text):
        mask = mask & (why == "")
        why[mask] = text[mask] if isinstance(text, pd.Series) else text

    for year in (spec.pre_year, spec.post_year):
        missing = wide[f"y{year}"].isna()
        reason = markers[year].reindex(wide.index).fillna("BLANK").map(marker_reason)
        note(missing, f"{spec.outcome} {year}: " + reason)
    for var in spec.matching:
        _add_matching_variable(wide, var, long, spec, years, note)
    la = long[["urn", "la_code"]].drop_duplicates("urn").set_index("urn").la_code \
        if "la_code" in long else pd.Series("", index=wide.index)
    wide["la"] = la.reindex(wide.index).fillna("")
    wide["why"] = why
    return wide, years


def _outcome_years(outcome: pd.DataFrame, spec: Spec) -> list[int]:
    """The years the files hold the outcome for, checked against the spec's pre and post
    years."""
    if outcome.empty:
        raise AnalysisError(f"The outcome column {spec.outcome} is not in the outcomes files.")
    years = sorted(int(y) for y in outcome.year.unique())
    for label, year in (("pre", spec.pre_year), ("post", spec.post_year)):
        if year not in years:
            raise AnalysisError(f"The {label} year {year} is not in the outcomes files for "
                                f"{spec.outcome} (they hold {', '.join(map(str, years))}).")
    if spec.pre_year >= spec.post_year:
        raise AnalysisError("The pre year must come before the post year.")
    return years


def _add_matching_variable(wide: pd.DataFrame, var: str, long: pd.DataFrame, spec: Spec,
                           years: list[int], note) -> None:
    """The column ``var`` of ``wide``: the outcome in the pre year, its trend into the pre
    year, or a measure of the files (the pre year's value, else the nearest year's); a
    missing value is noted with its reason."""
    if var == "outcome_pre":
        wide[var] = wide[f"y{spec.pre_year}"]
    elif var == "outcome_trend":
        before = spec.pre_year - 1
        if before not in years:
            raise AnalysisError(f"The trend needs {spec.outcome} in {before}, which the "
                                "outcomes files do not hold.")
        wide[var] = wide[f"y{spec.pre_year}"] - wide[f"y{before}"]
        note(wide[var].isna(), f"{spec.outcome} {before}: no value")
    else:
        rows = long[long.measure == var]
        if rows.empty:
            raise AnalysisError(f"The matching variable {var} is not in the outcomes "
                                "files.")
        # The pre year's value where the files hold it, else the nearest year.
        rows = rows.assign(distance=(rows.year - spec.pre_year).abs())
        rows = rows.sort_values(["urn", "distance", "year"])
        known = rows[rows.value.notna()].drop_duplicates("urn").set_index("urn")
        wide[var] = known.value.reindex(wide.index)
        first = rows.drop_duplicates("urn").set_index("urn")
        reason = first.marker.reindex(wide.index).fillna("BLANK").map(marker_reason)
        note(wide[var].isna(), f"{var}: " + reason)


# ---------------------------------------------------------------------------------------------
# Matching

def _match(treated: pd.DataFrame, pool: pd.DataFrame, spec: Spec, scale: np.ndarray,
           rng: np.random.Generator):
    """{treated urn: [comparison urns]} and the treated URNs with no match in the caliper."""
    from scipy.spatial import cKDTree

    cols = spec.matching
    limit = np.inf if spec.caliper is None else spec.caliper * np.sqrt(len(cols))
    groups = [("", treated, pool)] if not spec.same_la else [
        (la, treated[treated.la == la], pool[pool.la == la]) for la in treated.la.unique()]
    matches: dict[int, list[int]] = {}
    for _, t, c in groups:
        if c.empty or t.empty:
            continue
        tree = cKDTree(c[cols].to_numpy() / scale)
        points = t[cols].to_numpy() / scale
        c_urns = c.index.to_numpy()
        if spec.replacement:
            k = min(spec.k, len(c))
            dist, idx = tree.query(points, k=k, distance_upper_bound=limit)
            dist, idx = dist.reshape(len(t), k), idx.reshape(len(t), k)
            for urn, d_row, i_row in zip(t.index, dist, idx, strict=True):
                found = [int(c_urns[i]) for d, i in zip(d_row, i_row, strict=True)
                         if np.isfinite(d)]
                if found:
                    matches[int(urn)] = found
            continue
        used: set[int] = set()
        order = rng.permutation(len(t))  # greedy matching in a seeded random order
        for pos in order:
            want, got = spec.k, []
            ask = min(len(c), want + len(used))
            while ask > 0:
                dist, idx = tree.query(points[pos], k=ask, distance_upper_bound=limit)
                dist, idx = np.atleast_1d(dist), np.atleast_1d(idx)
                got = [int(i) for d, i in zip(dist, idx, strict=True)
                       if np.isfinite(d) and int(i) not in used][:want]
                if len(got) == want or ask >= len(c) or not np.isfinite(dist[-1]):
                    break
                ask = min(len(c), ask * 2)
            if got:
                used.update(got)
                matches[int(t.index[pos])] = [int(c_urns[i]) for i in got]
    return matches, [int(u) for u in treated.index if int(u) not in matches]


def _weights(matches: dict[int, list[int]]) -> pd.Series:
    """Treated schools weigh 1; a comparison school weighs the sum of 1/m over the treated
    schools it was matched to (m = that school's number of matches)."""
    weights: dict[int, float] = {}
    for urn, found in matches.items():
        weights[urn] = 1.0
        for c in found:
            weights[c] = weights.get(c, 0.0) + 1.0 / len(found)
    return pd.Series(weights, name="w")


def _smd(t: pd.Series, c: pd.Series, wc: pd.Series | None, sd: float) -> float | None:
    if not sd or not np.isfinite(sd) or sd == 0:
        return None
    mean_c = np.average(c, weights=wc) if wc is not None else c.mean()
    return round(float((t.mean() - mean_c) / sd), 3)


# ---------------------------------------------------------------------------------------------
# Difference-in-differences

def _panel(wide: pd.DataFrame, weights: pd.Series, treated: set[int], clusters: dict,
           pre: int, post: int) -> pd.DataFrame:
    rows = []
    for year, is_post in ((pre, 0.0), (post, 1.0)):
        part = pd.DataFrame({"urn": weights.index, "y": wide.loc[weights.index, f"y{year}"]
                             .to_numpy(), "w": weights.to_numpy()})
        part["post"] = is_post
        rows.append(part)
    panel = pd.concat(rows, ignore_index=True)
    panel["treated"] = panel.urn.isin(treated).astype(float)
    panel["did"] = panel.treated * panel.post
    panel["cluster"] = [clusters.get(u, f"t{u}") if u in treated else f"c{u}"
                        for u in panel.urn]
    return panel.dropna(subset=["y"])


def fit_statsmodels(panel: pd.DataFrame):
    """Weighted least squares with CRV1 cluster-robust standard errors (statsmodels)."""
    import statsmodels.formula.api as smf

    groups = pd.factorize(panel.cluster)[0]
    return smf.wls("y ~ treated + post + did", data=panel, weights=panel.w).fit(
        cov_type="cluster", cov_kwds={"groups": groups})


def fit_linearmodels(panel: pd.DataFrame):
    """The same model in linearmodels (used to check the standard errors agree)."""
    from linearmodels.iv import IV2SLS

    exog = panel[["treated", "post", "did"]].assign(const=1.0)
    return IV2SLS(panel.y, exog, None, None, weights=panel.w).fit(
        cov_type="clustered", clusters=pd.Series(pd.factorize(panel.cluster)[0],
                                                 index=panel.index), debiased=True)


def wild_cluster_bootstrap(panel: pd.DataFrame, reps: int, seed: int) -> dict:
    """Wild cluster bootstrap-t (unrestricted residuals) for the DiD coefficient.

    Rademacher weights, or Webb's six-point weights with fewer than 12 clusters (Webb 2023;
    Roodman, MacKinnon, Nielsen & Webb 2019, "Fast and wild"). The bootstrap only re-weights
    residuals: each replicate's coefficient and CRV1 standard error follow from the original
    design in closed form, so replicates need no refit. Returns the symmetric percentile-t
    interval and p-value, and the CRV1 standard error of the original sample (equal to
    statsmodels', which the tests check)."""
    x = np.column_stack([np.ones(len(panel)), panel.treated, panel.post, panel.did])
    y, w = panel.y.to_numpy(), panel.w.to_numpy()
    codes, _ = pd.factorize(panel.cluster)
    n, k, g = len(y), x.shape[1], codes.max() + 1
    xtwx_inv = np.linalg.inv(x.T @ (x * w[:, None]))
    beta = xtwx_inv @ (x.T @ (w * y))
    resid = y - x @ beta
    a = xtwx_inv[3]  # row of the DiD coefficient
    score = np.zeros((g, k))
    np.add.at(score, codes, x * (w * resid)[:, None])
    hessian = np.zeros((g, k, k))
    np.add.at(hessian, codes, np.einsum("ni,nj->nij", x * w[:, None], x))
    c = g / (g - 1) * (n - 1) / (n - k)
    sa = score @ a  # each cluster's contribution to the DiD coefficient
    se = float(np.sqrt(c * np.sum(sa ** 2)))
    rng = np.random.default_rng(seed)
    if g < 12:
        values = np.sqrt(np.array([0.5, 1.0, 1.5])) * np.array([[-1], [1]])
        v = rng.choice(values.ravel(), size=(reps, g))
    else:
        v = rng.choice([-1.0, 1.0], size=(reps, g))
    delta = (v @ score) @ xtwx_inv.T  # beta* - beta, reps x k
    ha = hessian @ a  # g x k
    z = v * sa[None, :] - delta @ ha.T  # reps x g
    se_star = np.sqrt(c * np.sum(z ** 2, axis=1))
    t_star = np.abs(delta[:, 3]) / se_star
    t = abs(beta[3]) / se
    q = float(np.quantile(t_star, 0.95))
    return {"estimate": float(beta[3]), "se": se, "ci_low": float(beta[3] - q * se),
            "ci_high": float(beta[3] + q * se), "p_value": float(np.mean(t_star >= t)),
            "critical_value": q, "reps": reps,
            "weights": "Webb six-point" if g < 12 else "Rademacher"}


def _did(panel: pd.DataFrame, treated_clusters: int, spec: Spec) -> dict:
    fit = fit_statsmodels(panel)
    est, se = float(fit.params["did"]), float(fit.bse["did"])
    out: dict[str, Any] = {"estimate": est, "se": se}
    if treated_clusters < BOOTSTRAP_BELOW:
        boot = wild_cluster_bootstrap(panel, spec.bootstrap_reps, spec.seed)
        out.update(ci_low=boot["ci_low"], ci_high=boot["ci_high"], p_value=boot["p_value"],
                   inference=f"wild cluster bootstrap-t ({boot['reps']} replications, "
                             f"{boot['weights']} weights), because there are fewer than "
                             f"{BOOTSTRAP_BELOW} treated clusters")
    else:
        low, high = fit.conf_int().loc["did"]
        out.update(ci_low=float(low), ci_high=float(high), p_value=float(fit.pvalues["did"]),
                   inference="cluster-robust standard errors (CRV1) by partnership")
    return out


def _group_mean(values: pd.Series, weights: pd.Series) -> tuple[float, float]:
    v, w = values.to_numpy(), weights.to_numpy()
    keep = ~np.isnan(v)
    v, w = v[keep], w[keep]
    if len(v) == 0:
        return float("nan"), float("nan")
    mean = float(np.average(v, weights=w))
    se = float(np.sqrt(np.sum((w * (v - mean)) ** 2)) / np.sum(w)) if len(v) > 1 else 0.0
    return mean, se


def _r(x, places=3):
    return None if x is None or not np.isfinite(x) else round(float(x), places)


# ---------------------------------------------------------------------------------------------

def estimate(long: pd.DataFrame, treated_urns, spec: Spec, clusters: dict | None = None,
             groups: dict | None = None, progress=None) -> dict:
    """Run the whole analysis. ``long`` has columns urn, year, measure, value, marker (and
    la_code); ``clusters`` maps treated URNs to a cluster (partnership); ``groups`` maps a
    grouping name to {urn: label} for subgroup estimates (for example phase)."""
    step = progress or (lambda stage, done, total: None)
    clusters = clusters or {}
    treated_urns = {int(u) for u in treated_urns}
    step("Preparing the data", 1, 6)
    wide, years = _wide(long, spec)
    eligible, t_all, pool, dropped, comparison_dropped = _samples(wide, treated_urns)
    step("Matching", 2, 6)
    scale = eligible[spec.matching].std(ddof=1).replace(0, 1).fillna(1).to_numpy()
    rng = np.random.default_rng(spec.seed)
    matches, unmatched = _match(t_all, pool, spec, scale, rng)
    dropped += [{"urn": u, "reason": "no comparison school within the caliper"
                 + (" in the same local authority" if spec.same_la else "")} for u in unmatched]
    if not matches:
        raise AnalysisError("No treated school has a comparison school within the caliper.")
    weights = _weights(matches)
    treated = set(matches)
    comp_w = weights[~weights.index.isin(list(treated))]

    step("Checking balance", 3, 6)
    balance = _balance(spec, t_all, pool, eligible.loc[sorted(treated)],
                       eligible.loc[comp_w.index], comp_w)

    step("Estimating the difference-in-differences", 4, 6)
    treated_clusters = len({clusters.get(u, f"t{u}") for u in treated})
    panel = _panel(wide, weights, treated, clusters, spec.pre_year, spec.post_year)
    main = _did(panel, treated_clusters, spec)
    es, effect = _effect_size(main, spec, eligible, len(treated) + len(comp_w))

    step("Placebo and subgroups", 5, 6)
    placebo = _placebo(wide, weights, treated, clusters, treated_clusters, spec)
    subgroups = _subgroups(eligible, groups, treated, matches, wide, clusters, spec)
    trend = _trend(wide, years, treated, comp_w)
    step("Writing the result", 6, 6)
    used = long[long.measure.isin({spec.outcome, *spec.matching})].sort_values(
        ["urn", "year", "measure"])
    digest = hashlib.sha256(used[["urn", "year", "measure", "value", "marker"]]
                            .to_csv(index=False).encode() +
                            ",".join(map(str, sorted(treated_urns))).encode()).hexdigest()
    return {
        "estimate": _r(main["estimate"]), "se": _r(main["se"]), "ci_low": _r(main["ci_low"]),
        "ci_high": _r(main["ci_high"]), "p_value": _r(main["p_value"]),
        "effect_size": effect,
        "months": {"value": months_of_progress(es) if np.isfinite(es) else None,
                   "table_version": MONTHS_VERSION,
                   "table_source": MONTHS_TABLES[MONTHS_VERSION]["source"],
                   "table_year": MONTHS_TABLES[MONTHS_VERSION]["year"]},
        "n_treated": len(treated), "n_comparison": int(len(comp_w)),
        "n_treated_clusters": treated_clusters, "n_dropped": len(dropped),
        "dropped": dropped, "comparison_dropped": comparison_dropped,
        "balance": balance,
        "method": {
            "design": "matched comparison with difference-in-differences (two periods)",
            "outcome": spec.outcome, "pre_year": spec.pre_year, "post_year": spec.post_year,
            "matching": f"nearest neighbour ({spec.k} per treated school, "
                        f"{'with' if spec.replacement else 'without'} replacement"
                        + (f", caliper {spec.caliper} SD" if spec.caliper is not None else "")
                        + (", within the same local authority" if spec.same_la else "") + ")",
            "matching_variables": spec.matching,
            "model": "weighted least squares: outcome ~ treated + post + treated×post "
                     "(statsmodels)",
            "inference": main["inference"],
        },
        "placebo": placebo, "subgroups": subgroups, "trend": trend,
        "reproducibility": {"spec": spec.as_dict(), "input_hash": digest,
                            "versions": library_versions(), "seed": spec.seed},
    }


def _samples(wide: pd.DataFrame, treated_urns: set[int]):
    """(eligible schools, eligible treated schools, the comparison pool, the treated schools
    dropped with why, how many comparison schools were dropped for each reason)."""
    in_file = treated_urns & set(int(u) for u in wide.index)
    if not in_file:
        raise AnalysisError("None of the treated schools is in the outcomes files.")
    dropped = [{"urn": u, "reason": "not in the outcomes files"}
               for u in sorted(treated_urns - in_file)]
    eligible = wide[wide.why == ""]
    is_t = wide.index.isin(list(in_file))
    for urn, why in wide[is_t & (wide.why != "")].why.items():
        dropped.append({"urn": int(urn), "reason": why})
    t_all = eligible[eligible.index.isin(list(in_file))]
    pool = eligible[~eligible.index.isin(list(treated_urns))]
    comparison_dropped = wide[~is_t & (wide.why != "") & ~wide.index.isin(list(treated_urns))] \
        .why.str.split(":").str[0].value_counts().to_dict()
    if t_all.empty:
        raise AnalysisError("No treated school has the outcome in both years and every "
                            "matching variable.")
    if pool.empty:
        raise AnalysisError("No comparison school has the outcome in both years and every "
                            "matching variable.")
    return eligible, t_all, pool, dropped, comparison_dropped


def _balance(spec: Spec, t_all, pool, t_m, c_m, comp_w) -> list[dict]:
    """Standardised mean differences of each matching variable before and after matching."""
    balance = []
    for var in spec.matching:
        sd = float(np.sqrt((t_all[var].var(ddof=1) + pool[var].var(ddof=1)) / 2))
        before = _smd(t_all[var], pool[var], None, sd)
        after = _smd(t_m[var], c_m[var], comp_w, sd)
        balance.append({"variable": var, "label": VARIABLE_LABELS.get(var, var),
                        "smd_before": before, "smd_after": after,
                        "flagged": after is not None and abs(after) > SMD_FLAG})
    return balance


def _effect_size(main: dict, spec: Spec, eligible: pd.DataFrame, n: int) -> tuple[float, dict]:
    """Hedges' g with the standard deviation used and where it comes from."""
    if spec.sd:
        sd, sd_source = float(spec.sd), spec.sd_source or "given with the analysis"
    else:
        sd = float(eligible[f"y{spec.pre_year}"].std(ddof=1))
        sd_source = (f"standard deviation between schools of {spec.outcome} in "
                     f"{spec.pre_year}, all eligible schools in the outcomes files "
                     f"(n = {len(eligible)}). This is a school-level spread, smaller than the "
                     "spread between pupils, so the effect size is larger than a pupil-level "
                     "one would be.")
    correction = 1 - 3 / (4 * n - 9) if n > 3 else 1.0
    es = main["estimate"] / sd * correction if sd else float("nan")
    effect = {"value": _r(es), "ci_low": _r(main["ci_low"] / sd * correction),
              "ci_high": _r(main["ci_high"] / sd * correction), "sd": _r(sd),
              "sd_source": sd_source, "kind": "Hedges' g (small-sample correction "
                                              f"{correction:.4f})"}
    return es, effect


def _placebo(wide, weights, treated, clusters, treated_clusters: int, spec: Spec) -> dict:
    """The same estimate one year earlier, when the files hold that year."""
    placebo = {"available": False,
               "note": f"The files hold no {spec.outcome} for {spec.pre_year - 1}."}
    if f"y{spec.pre_year - 1}" in wide:
        p_panel = _panel(wide, weights, treated, clusters, spec.pre_year - 1, spec.pre_year)
        if p_panel.treated.sum() and (1 - p_panel.treated).sum():
            p = _did(p_panel, treated_clusters, spec)
            placebo = {"available": True, "years": [spec.pre_year - 1, spec.pre_year],
                       **{k: _r(v) if k != "inference" else v for k, v in p.items()},
                       "passed": bool(p["ci_low"] <= 0 <= p["ci_high"]),
                       "note": ("Matched on the pre-period trend, so this check is not "
                                "informative." if "outcome_trend" in spec.matching else
                                "Before the programme the two groups should move together: "
                                "an interval that excludes zero is a warning.")}
    return placebo


def _subgroups(eligible, groups, treated, matches, wide, clusters, spec: Spec) -> dict:
    """Estimates by quintile of disadvantage and by each grouping given, on the treated
    schools of each group and their matches."""
    fsm = eligible["PTFSM6CLA1A"] if "PTFSM6CLA1A" in eligible else None
    subgroup_maps = dict(groups or {})
    if fsm is not None and fsm.nunique() >= 5:
        quintile = pd.qcut(fsm.rank(method="first"), 5, labels=[
            "1 (least disadvantaged)", "2", "3", "4", "5 (most disadvantaged)"])
        subgroup_maps = {"Disadvantage quintile": quintile.astype(str).to_dict(),
                         **subgroup_maps}
    subgroups = {}
    for name, labels in subgroup_maps.items():
        rows = []
        for label in sorted({labels.get(u) for u in treated} - {None}):
            members = {u for u in treated if labels.get(u) == label}
            rows.append(_subgroup_row(label, members, matches, wide, clusters, spec))
        subgroups[name] = rows
    return subgroups


def _subgroup_row(label, members: set, matches, wide, clusters, spec: Spec) -> dict:
    row = {"group": label, "n_treated": len(members)}
    if len(members) < MIN_SUBGROUP:
        row["note"] = f"fewer than {MIN_SUBGROUP} treated schools: not estimated"
    else:
        sub_w = _weights({u: matches[u] for u in members})
        sub_panel = _panel(wide, sub_w, members, clusters, spec.pre_year, spec.post_year)
        sub = _did(sub_panel, len({clusters.get(u, f"t{u}") for u in members}), spec)
        row.update({k: _r(v) if k != "inference" else v for k, v in sub.items()})
    return row


def _trend(wide, years, treated, comp_w) -> list[dict]:
    """Each year's mean outcome of the treated schools and of their matches, with 95%
    intervals."""
    trend = []
    for year in years:
        col = f"y{year}"
        t_mean, t_se = _group_mean(wide.loc[sorted(treated), col],
                                   pd.Series(1.0, index=sorted(treated)))
        c_mean, c_se = _group_mean(wide.loc[comp_w.index, col], comp_w)
        trend.append({"year": year, "treated": _r(t_mean, 2),
                      "treated_low": _r(t_mean - 1.96 * t_se, 2),
                      "treated_high": _r(t_mean + 1.96 * t_se, 2),
                      "comparison": _r(c_mean, 2), "comparison_low": _r(c_mean - 1.96 * c_se, 2),
                      "comparison_high": _r(c_mean + 1.96 * c_se, 2)})
    return trend


def library_versions() -> dict:
    import linearmodels
    import scipy
    import statsmodels

    return {"python": platform.python_version(), "numpy": np.__version__,
            "pandas": pd.__version__, "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__, "linearmodels": linearmodels.__version__}


def long_from_parsed(parsed_files) -> pd.DataFrame:
    """The long table from ``outcomes.parse_outcomes`` results (later files win)."""
    records, la = {}, {}
    for p in parsed_files:
        records.update(p.records)
        la.update(p.la_codes)
    frame = pd.DataFrame(
        [(u, y, m, v, mk) for (u, y, m), (v, mk) in records.items()],
        columns=["urn", "year", "measure", "value", "marker"])
    frame["la_code"] = frame.urn.map(la).fillna("")
    return frame
