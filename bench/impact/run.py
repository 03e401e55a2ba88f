"""Impact benchmark: matched comparison and difference-in-differences on 20,000 schools.

Target: the whole analysis (matching, balance, DiD with cluster-robust errors, placebo,
subgroups) in under 5 seconds. Reported beside a baseline measured in the same run: a plain
pandas group-by (mean of every measure by year) over the same long table, so the ratio
depends less on the machine than the seconds do.

    python bench/impact/run.py [--schools 20000] [--treated 2000] [--clusters 100]

The data: rows of the real KS2 sample (apps/impact/data, Hampshire and Surrey 2017-2019)
drawn in turn with new URNs and small seeded noise, so the spread of prior attainment, %
disadvantaged, cohort size and maths scores is the sample's. Exit status 1 if the target is
missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

TARGET_S = 5.0


def build(schools: int, treated: int, clusters: int, seed: int = 20190901):
    import numpy as np
    import pandas as pd

    from apps.impact.estimate import long_from_parsed
    from apps.impact.outcomes import parse_outcomes

    files = sorted((ROOT / "apps/impact/data").glob("*_ks2final_subset.csv"))
    real = long_from_parsed([parse_outcomes(p.read_bytes(), p.name) for p in files])
    wide = real.pivot_table(index="urn", columns=["measure", "year"], values="value")
    wide = wide.dropna(subset=[("MAT_AVERAGE", 2018), ("MAT_AVERAGE", 2019)])
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(wide), size=schools)
    sample = wide.iloc[picks].reset_index(drop=True)
    noise = rng.normal(0, 0.3, size=sample.shape)
    sample = sample + noise * sample.notna()
    sample.index = 200000 + np.arange(schools)
    long = sample.stack(["measure", "year"], future_stack=True).dropna().rename("value")
    long = long.reset_index().rename(columns={"level_0": "urn"})
    long["marker"] = ""
    long["la_code"] = np.where(long.urn % 2, "850", "936")
    urns = rng.choice(sample.index.to_numpy(), size=treated, replace=False)
    cluster_map = {int(u): f"P{i % clusters}" for i, u in enumerate(urns)}
    return pd.DataFrame(long), cluster_map


def timed(fn, repeat: int = 3) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> int:
    import django

    django.setup()
    from apps.impact.estimate import Spec, estimate

    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=20000)
    parser.add_argument("--treated", type=int, default=2000)
    parser.add_argument("--clusters", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results.json")
    args = parser.parse_args()
    long, clusters = build(args.schools, args.treated, args.clusters)
    baseline_s, _ = timed(lambda: long.groupby(["measure", "year"]).value.mean())
    spec = Spec("MAT_AVERAGE", 2018, 2019)
    analysis_s, result = timed(lambda: estimate(long, set(clusters), spec, clusters=clusters))
    few = {u: f"P{i % 12}" for i, u in enumerate(clusters)}
    bootstrap_s, boot = timed(lambda: estimate(long, set(few), spec, clusters=few), repeat=1)
    report = {
        "schools": args.schools, "treated": args.treated, "rows": len(long),
        "baseline_groupby_s": round(baseline_s, 4),
        "analysis_s": round(analysis_s, 3),
        "analysis_x_baseline": round(analysis_s / baseline_s, 1),
        "analysis_12_clusters_bootstrap_s": round(bootstrap_s, 3),
        "target_s": TARGET_S, "met": analysis_s < TARGET_S,
        "n_treated_matched": result["n_treated"], "n_comparison": result["n_comparison"],
        "inference": result["method"]["inference"],
        "bootstrap_inference": boot["method"]["inference"],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0 if report["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
