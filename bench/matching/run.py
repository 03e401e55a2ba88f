"""Partner matching benchmark: precision at 3 of the keyword and embedding rankers on the
labelled need/offer set in this folder (bench/matching/README.md).

Runs the rankers the platform uses (apps/support/matching.py) on ``MatchText`` rows in a
throw-away test database: PostgreSQL full-text search when ``--pg-url`` reaches a server,
the BM25 fallback always, and the wordllama embeddings (vectors stored ahead, as
``refresh_school`` does). ``--write`` puts the table in results.md.

    .venv/bin/python bench/matching/run.py --write \
        --pg-url postgres://postgres@127.0.0.1:5432/peerreview_match_bench
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
K = 3


def load() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    with open(HERE / "offers.csv", newline="") as f:
        offers = list(csv.DictReader(f))
    with open(HERE / "needs.csv", newline="") as f:
        needs = list(csv.DictReader(f))
    return offers, needs


def precision_at_k(ranked: list[str], relevant: set[str], k: int = K) -> float:
    return sum(1 for o in ranked[:k] if o in relevant) / k


def setup_django(pg_url: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    if pg_url:
        os.environ["DATABASE_URL"] = pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def pg_reachable(url: str) -> bool:
    try:
        import psycopg

        base = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(base, connect_timeout=3):
            return True
    except Exception as e:  # noqa: BLE001 - any failure means: skip PostgreSQL
        print(f"skipped: PostgreSQL not reachable ({e})")
        return False


def run(pg_url: str | None) -> dict[str, Any]:
    setup_django(pg_url)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from apps.schools.models import School
    from apps.support import matching
    from apps.support.models import MatchText

    offers, needs = load()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        schools = {}
        for i, name in enumerate(sorted({o["school"] for o in offers}), 1):
            schools[name] = School.objects.create(urn=990000 + i, name=name)
        rows = [MatchText.objects.create(
            key=f"bench:{o['offer_id']}", school=schools[o["school"]],
            source=MatchText.Source.OFFER, text=o["text"], digest="bench")
            for o in offers]
        ids = [o["offer_id"] for o in offers]
        rankers = {"keyword (BM25 fallback)": lambda need: matching.bm25_scores(
            need, [r.text for r in rows])}
        if connection.vendor == "postgresql":
            rankers["keyword (PostgreSQL full-text)"] = lambda need: matching.keyword_scores(
                need, rows)
        results: dict[str, dict[str, float]] = {}
        misses: dict[str, list[str]] = {}
        embed_s: dict[str, float] = {}
        for name, score in rankers.items():
            results[name], misses[name] = evaluate(score, needs, ids)
        for model in (matching.WORDLLAMA, matching.MINILM):
            settings.PARTNER_MATCHING_MODEL = model
            if not matching.model_available():
                continue
            # Stored ahead, as refresh_school does; the need is embedded per request.
            t0 = time.perf_counter()
            vectors = matching.embed([r.text for r in rows])
            embed_s[model] = time.perf_counter() - t0
            for row, vector in zip(rows, vectors, strict=True):
                row.model, row.vector = matching.model_name(), vector.tobytes()
            name = f"embedding ({matching.model_name()})"
            results[name], misses[name] = evaluate(
                lambda need: matching.embedding_scores(need, rows), needs, ids)
        return {"results": results, "misses": misses, "needs": len(needs),
                "offers": len(offers), "embed_s": embed_s,
                "pairs": sum(len(n["relevant_offer_ids"].split()) for n in needs),
                "database": connection.vendor}
    finally:
        teardown_databases(old, verbosity=0)


def evaluate(score, needs, ids) -> tuple[dict[str, float], list[str]]:
    """Precision at 3, the share of needs with a relevant offer in the top 3, and the time
    per need; the needs with none."""
    p_sum = hit_sum = 0.0
    missed = []
    score(needs[0]["need"])  # load the model outside the timing
    t0 = time.perf_counter()
    for n in needs:
        relevant = set(n["relevant_offer_ids"].split())
        scores = score(n["need"])
        ranked = [ids[i] for i in sorted(range(len(ids)), key=lambda i: -scores[i])
                  if scores[i] > 0]
        p = precision_at_k(ranked, relevant)
        p_sum += p
        hit_sum += 1.0 if p > 0 else 0.0
        if p == 0:
            missed.append(n["need_id"])
    return ({"p3": p_sum / len(needs), "hit3": hit_sum / len(needs),
             "ms_per_need": 1000 * (time.perf_counter() - t0) / len(needs)}, missed)


def report(out: dict[str, Any]) -> str:
    results = out["results"]
    pg = "keyword (PostgreSQL full-text)" in results
    baseline = "keyword (PostgreSQL full-text)" if pg else "keyword (BM25 fallback)"
    lines = [
        "# Partner matching: precision at 3",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on Python {platform.python_version()}, "
        f"database {out['database']}: {out['needs']} needs, {out['offers']} offers, "
        f"{out['pairs']} labelled relevant need/offer pairs (bench/matching/README.md). "
        "Written by `bench/matching/run.py --write`; not edited by hand.",
        "",
        "| ranker | precision@3 | as a ratio of the keyword baseline | needs with a relevant "
        "offer in the top 3 | ms per need |",
        "| --- | --- | --- | --- | --- |",
    ]
    base = results[baseline]["p3"]
    for name, r in results.items():
        ratio = f"{r['p3'] / base:.2f}" if base else "n/a"
        lines.append(f"| {name} | {r['p3']:.3f} | {ratio} | {r['hit3']:.0%} | "
                     f"{r['ms_per_need']:.1f} |")
    lines += ["", f"Keyword baseline: {baseline}. ms per need: scoring one need against all "
              "offers, the need embedded then (the offers' vectors are stored ahead), on a "
              "machine shared with other work.", ""]
    for model, seconds in out["embed_s"].items():
        lines.append(f"- Embedding the {out['offers']} offers ahead with {model}: "
                     f"{seconds:.2f} s (the model loaded already).")
    if not out["embed_s"]:
        lines.append("- No embedding model is installed: keyword only.")
    lines += ["", "Needs with no relevant offer in the top 3:", ""]
    for name in results:
        lines.append(f"- {name}: {', '.join(out['misses'].get(name, [])) or 'none'}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", ""),
                        help="a PostgreSQL server; the test database is made beside the "
                             "named one and dropped after")
    parser.add_argument("--write", action="store_true", help="write results.md")
    parser.add_argument("--extra-site", default="",
                        help="a site-packages folder appended to the path, e.g. a virtualenv "
                             "with the matching-minilm extra (torch), kept out of the "
                             "project's own")
    args = parser.parse_args()
    if args.extra_site:
        sys.path.append(args.extra_site)
    pg = args.pg_url if args.pg_url and pg_reachable(args.pg_url) else None
    text = report(run(pg))
    print(text)
    if args.write:
        (HERE / "results.md").write_text(text)


if __name__ == "__main__":
    main()
