"""Server-rendered SVG charts. Each chart is shown beside a data table and a text summary
(the template's job), so the picture is never the only way to read the figures. Series are
told apart by line style and marker shape as well as colour."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

TREATED, COMPARISON, AXIS = "#1d4f4a", "#8a3b00", "#505a5f"
W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 300, 64, 24, 20, 48


def _svg(chart_id: str, title: str, desc: str, body: list[str], height: int = H) -> str:
    return mark_safe(
        f'<svg class="pr-chart" viewBox="0 0 {W} {height}" width="100%" role="img" '
        'font-family="Arial, Helvetica, sans-serif" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>")


def _scale(lo: float, hi: float, a: float, b: float):
    span = (hi - lo) or 1.0
    return lambda v: a + (v - lo) / span * (b - a)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    step = (hi - lo) / (n - 1) if hi > lo else 1
    return [lo + i * step for i in range(n)]


def _fmt(v: float) -> str:
    return f"{v:.1f}" if abs(v) < 1000 else f"{v:.0f}"


def trend_chart(trend: list[dict], outcome_label: str) -> str:
    """Treated and matched comparison means by year, with 95% interval bands."""
    points = [r for r in trend if r["treated"] is not None and r["comparison"] is not None]
    if not points:
        return ""
    lows = [min(r["treated_low"], r["comparison_low"]) for r in points]
    highs = [max(r["treated_high"], r["comparison_high"]) for r in points]
    lo, hi = min(lows) - 0.5, max(highs) + 0.5
    years = [r["year"] for r in points]
    x = _scale(min(years) - 0.3, max(years) + 0.3, PAD_L, W - PAD_R)
    y = _scale(lo, hi, H - PAD_B, PAD_T)
    body = [f'<line x1="{PAD_L}" y1="{H - PAD_B}" x2="{W - PAD_R}" y2="{H - PAD_B}" '
            f'stroke="{AXIS}"/>', f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" '
            f'y2="{H - PAD_B}" stroke="{AXIS}"/>']
    for t in _ticks(lo, hi):
        body.append(f'<text x="{PAD_L - 8}" y="{y(t) + 4:.1f}" text-anchor="end" '
                    f'font-size="12" fill="{AXIS}">{_fmt(t)}</text>')
    for yr in years:
        body.append(f'<text x="{x(yr):.1f}" y="{H - PAD_B + 18}" text-anchor="middle" '
                    f'font-size="12" fill="{AXIS}">{yr}</text>')
    for key, colour, dash in (("treated", TREATED, ""), ("comparison", COMPARISON, "6 4")):
        band = [(x(r["year"]), y(r[f"{key}_high"])) for r in points] + \
               [(x(r["year"]), y(r[f"{key}_low"])) for r in reversed(points)]
        body.append(f'<polygon points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in band)}" '
                    f'fill="{colour}" fill-opacity="0.15"/>')
        line = " ".join(f"{x(r['year']):.1f},{y(r[key]):.1f}" for r in points)
        body.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="3"'
                    + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        for r in points:
            cx, cy = x(r["year"]), y(r[key])
            body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}"/>'
                        if key == "treated" else
                        f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" '
                        f'fill="{colour}"/>')
    body.append(f'<text x="{PAD_L + 8}" y="{H - 8}" font-size="12" fill="{TREATED}">● solid: '
                f'treated schools</text><text x="{PAD_L + 220}" y="{H - 8}" font-size="12" '
                f'fill="{COMPARISON}">■ dashed: matched comparison</text>')
    return _svg("trend", f"{outcome_label}: treated and matched comparison schools by year",
                "Average for each group by year with 95% interval bands; the same figures "
                "are in the table below the chart.", body)


def love_plot(balance: list[dict]) -> str:
    """Standardised mean differences before (open circle) and after (filled) matching."""
    rows = [b for b in balance if b["smd_before"] is not None]
    if not rows:
        return ""
    height = PAD_T + 36 * len(rows) + PAD_B
    extent = max(0.3, *(abs(b["smd_before"]) for b in rows),
                 *(abs(b["smd_after"] or 0) for b in rows)) * 1.1
    left = 260
    x = _scale(-extent, extent, left, W - PAD_R)
    body = []
    for v in (-0.1, 0.1):
        body.append(f'<line x1="{x(v):.1f}" y1="{PAD_T}" x2="{x(v):.1f}" '
                    f'y2="{height - PAD_B}" stroke="{AXIS}" stroke-dasharray="3 3"/>')
    body.append(f'<line x1="{x(0):.1f}" y1="{PAD_T}" x2="{x(0):.1f}" y2="{height - PAD_B}" '
                f'stroke="{AXIS}"/>')
    for t in (-extent, -0.1, 0, 0.1, extent):
        body.append(f'<text x="{x(t):.1f}" y="{height - PAD_B + 18}" text-anchor="middle" '
                    f'font-size="12" fill="{AXIS}">{t:.2f}</text>')
    for i, b in enumerate(rows):
        cy = PAD_T + 18 + 36 * i
        # The plain name the balance table shows (older results have only the variable).
        name = b.get("label") or b["variable"]
        label = name if len(name) < 36 else name[:34] + "…"
        body.append(f'<text x="{left - 8}" y="{cy + 4}" text-anchor="end" font-size="12" '
                    f'fill="#0b0c0c">{escape(label)}</text>')
        body.append(f'<circle cx="{x(b["smd_before"]):.1f}" cy="{cy}" r="6" fill="white" '
                    f'stroke="{COMPARISON}" stroke-width="2"/>')
        if b["smd_after"] is not None:
            body.append(f'<circle cx="{x(b["smd_after"]):.1f}" cy="{cy}" r="6" '
                        f'fill="{TREATED}"/>')
    body.append(f'<text x="{left}" y="{height - 8}" font-size="12" fill="{AXIS}">○ before '
                'matching   ● after matching   dashed lines: ±0.1</text>')
    return _svg("balance", "Balance: standardised mean differences before and after matching",
                "One row per matching variable; the figures are in the balance table.",
                body, height)


def forest_plot(rows: list[dict], overall: dict | None = None) -> str:
    """Estimates with 95% intervals by subgroup (rows without an estimate are listed in the
    table only)."""
    shown = [r for r in rows if r.get("estimate") is not None]
    if overall and overall.get("estimate") is not None:
        shown = [{"group": "All schools", **overall}] + shown
    if not shown:
        return ""
    height = PAD_T + 36 * len(shown) + PAD_B
    lo = min(0, *(r["ci_low"] for r in shown))
    hi = max(0, *(r["ci_high"] for r in shown))
    pad = (hi - lo) * 0.1 or 1
    left = 230
    x = _scale(lo - pad, hi + pad, left, W - PAD_R)
    body = [f'<line x1="{x(0):.1f}" y1="{PAD_T}" x2="{x(0):.1f}" y2="{height - PAD_B}" '
            f'stroke="{AXIS}"/>']
    for t in _ticks(lo - pad, hi + pad):
        body.append(f'<text x="{x(t):.1f}" y="{height - PAD_B + 18}" text-anchor="middle" '
                    f'font-size="12" fill="{AXIS}">{t:.1f}</text>')
    for i, r in enumerate(shown):
        cy = PAD_T + 18 + 36 * i
        body.append(f'<text x="{left - 8}" y="{cy + 4}" text-anchor="end" font-size="12" '
                    f'fill="#0b0c0c">{escape(str(r["group"]))}</text>')
        body.append(f'<line x1="{x(r["ci_low"]):.1f}" y1="{cy}" x2="{x(r["ci_high"]):.1f}" '
                    f'y2="{cy}" stroke="{TREATED}" stroke-width="2"/>')
        body.append(f'<rect x="{x(r["estimate"]) - 5:.1f}" y="{cy - 5}" width="10" '
                    f'height="10" fill="{TREATED}"/>')
    return _svg("forest", "Estimates by subgroup with 95% intervals",
                "Each row is a group of treated schools and their matches; the vertical line "
                "is no difference. The figures are in the table.", body, height)


LEVEL_STYLES = [("#1d4f4a", "", "circle"), ("#8a3b00", "6 4", "square"),
                ("#4c2c92", "2 3", "diamond"), ("#005ea5", "10 3 2 3", "triangle")]


def _marker(shape: str, cx: float, cy: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if shape == "diamond":
        return (f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},'
                f'{cy + 6:.1f} {cx - 6:.1f},{cy:.1f}" fill="{colour}"/>')
    return (f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy + 5:.1f} '
            f'{cx - 6:.1f},{cy + 5:.1f}" fill="{colour}"/>')


def levels_chart(trend: dict) -> str:
    """% agreeing at each level of the theory of change, wave by wave."""
    waves = trend["waves"]
    if not waves or not any(v is not None for s in trend["series"].values() for v in s):
        return ""
    x = _scale(-0.5, len(waves) - 0.5, PAD_L, W - PAD_R)
    y = _scale(0, 100, H - PAD_B - 20, PAD_T)
    body = []
    for t in (0, 25, 50, 75, 100):
        body.append(f'<text x="{PAD_L - 8}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="12" '
                    f'fill="{AXIS}">{t}%</text><line x1="{PAD_L}" y1="{y(t):.1f}" '
                    f'x2="{W - PAD_R}" y2="{y(t):.1f}" stroke="#dddddd"/>')
    for i, name in enumerate(waves):
        body.append(f'<text x="{x(i):.1f}" y="{H - PAD_B - 2}" text-anchor="middle" '
                    f'font-size="12" fill="{AXIS}">{escape(name)}</text>')
    legend_x = PAD_L
    for (label, values), (colour, dash, shape) in zip(trend["series"].items(), LEVEL_STYLES,
                                                      strict=False):
        pts = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        if len(pts) > 1:
            body.append(f'<polyline points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}" '
                        f'fill="none" stroke="{colour}" stroke-width="3"'
                        + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        body += [_marker(shape, a, b, colour) for a, b in pts]
        body.append(_marker(shape, legend_x + 6, H - 14, colour) +
                    f'<text x="{legend_x + 16}" y="{H - 10}" font-size="12" fill="{colour}">'
                    f'{escape(label)}</text>')
        legend_x += 140
    return _svg("levels", "Agreement at each level of the theory of change, by wave",
                "Percentage agreeing or strongly agreeing, one line per level; missing points "
                "are hidden to protect anonymity. The figures are in the table.", body)
