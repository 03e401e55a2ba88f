"""Plain-English sentences beside each chart and estimate."""


def _num(v, places=1):
    return "no figure" if v is None else f"{v:.{places}f}"


def headline(r: dict, outcome_label: str) -> str:
    direction = "higher" if r["estimate"] > 0 else "lower"
    covers = r["ci_low"] <= 0 <= r["ci_high"]
    text = (f"Between {r['method']['pre_year']} and {r['method']['post_year']}, "
            f"{outcome_label.lower()} in the {r['n_treated']} treated schools changed by "
            f"{_num(abs(r['estimate']), 2)} points {'more' if r['estimate'] > 0 else 'less'} "
            f"than in {r['n_comparison']} similar comparison schools (so {direction}). ")
    if covers:
        text += ("The 95% interval includes zero, so the data are consistent with no "
                 "difference at all.")
    else:
        text += "The 95% interval does not include zero."
    return text


def trend(r: dict) -> str:
    rows = [t for t in r["trend"] if t["treated"] is not None]
    if not rows:
        return ""
    first, last = rows[0], rows[-1]
    return (f"In {first['year']} treated schools averaged {_num(first['treated'])} and "
            f"comparison schools {_num(first['comparison'])}; in {last['year']}, "
            f"{_num(last['treated'])} and {_num(last['comparison'])}. Shaded bands are 95% "
            "intervals for each group's average.")


def balance(r: dict) -> str:
    flagged = [b["variable"] for b in r["balance"] if b["flagged"]]
    worst = max((abs(b["smd_before"] or 0) for b in r["balance"]), default=0)
    text = (f"Before matching the largest standardised difference was {worst:.2f}. ")
    if flagged:
        return text + ("After matching these are still above 0.1: " + ", ".join(flagged)
                       + ". Treat the estimate with extra caution.")
    return text + "After matching every variable is within 0.1, a common target for balance."


def forest(rows: list[dict]) -> str:
    shown = [r for r in rows if r.get("estimate") is not None]
    skipped = [r["group"] for r in rows if r.get("estimate") is None]
    text = " ".join(f"{r['group']}: {_num(r['estimate'], 2)} ({_num(r['ci_low'], 2)} to "
                    f"{_num(r['ci_high'], 2)}, {r['n_treated']} treated schools)."
                    for r in shown)
    if skipped:
        text += " Too few treated schools to estimate: " + ", ".join(skipped) + "."
    return text + (" Subgroups are small: differences between them are uncertain."
                   if shown else "")
