"""Exports for the core team and evaluators: CSV or XLSX, school identifiers replaced by
pseudonyms that are stable within one export (and differ between exports), never a review's
content. Every export is audited."""

from __future__ import annotations

import csv
import io

from django.http import Http404

from apps.core import audit
from apps.core.downloads import private_download
from apps.core.spreadsheets import safe_cell, safe_value
from apps.partnerships.models import Partnership

from .analysis import pseudonym
from .estimate import MONTHS_TABLES, VARIABLE_LABELS, in_words
from .fidelity import fidelity_many
from .outcomes import MEASURES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _write(sheets: dict[str, list[list]], fmt: str, filename: str):
    if fmt == "csv":
        response = private_download(b"", "text/csv; charset=utf-8", f"{filename}.csv")
        writer = csv.writer(response)
        for i, (title, rows) in enumerate(sheets.items()):
            if i:
                writer.writerow([])
            writer.writerow([safe_cell(title)])
            writer.writerows([safe_value(v) for v in row] for row in rows)
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title[:31])
            for row in rows:
                sheet.append([safe_value(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return private_download(out.getvalue(), XLSX, f"{filename}.xlsx")
    raise Http404("No such format")


def analysis_sheets(analysis, scope: str) -> dict[str, list[list]]:
    r = analysis.result
    outcome = r["method"]["outcome"]
    months = r["months"]
    # The table's plain title and year, as the page shows it (never its internal code).
    table = MONTHS_TABLES.get(months.get("table_version", ""), {})
    source = months.get("table_source") or table.get("source", "")
    year = months.get("table_year") or table.get("year", "")
    summary = [["Measure", "Value"],
               ["Analysis", analysis.name], ["Outcome", MEASURES.get(outcome, outcome)],
               ["Pre year", r["method"]["pre_year"]], ["Post year", r["method"]["post_year"]],
               ["Estimate", r["estimate"]], ["Standard error", r["se"]],
               ["95% interval, low", r["ci_low"]], ["95% interval, high", r["ci_high"]],
               ["Effect size", r["effect_size"]["value"]],
               ["Standard deviation used", r["effect_size"]["sd"]],
               ["Its source", in_words(r["effect_size"]["sd_source"])],
               ["Months of progress", r["months"]["value"]],
               ["Months table", f"{source} ({year})" if year else source],
               ["Treated schools", r["n_treated"]], ["Comparison schools", r["n_comparison"]],
               ["Treated schools dropped", r["n_dropped"]],
               ["Inference", r["method"]["inference"]],
               ["Input data hash", r["reproducibility"]["input_hash"]],
               ["Seed", r["reproducibility"]["seed"]]]
    balance = [["Variable", "SMD before", "SMD after", "Above 0.1"]] + [
        [b.get("label") or VARIABLE_LABELS.get(b["variable"], b["variable"]), b["smd_before"],
         b["smd_after"], "yes" if b["flagged"] else "no"]
        for b in r["balance"]]
    subgroups = [["Grouping", "Group", "Treated schools", "Estimate", "95% low", "95% high"]]
    for name, rows in r["subgroups"].items():
        subgroups += [[name, row["group"], row["n_treated"], row.get("estimate"),
                       row.get("ci_low"), row.get("ci_high")] for row in rows]
    dropped = [["School (pseudonym)", "Reason"]] + [
        [pseudonym(d["urn"], scope), in_words(d["reason"])] for d in r["dropped"]]
    return {"Summary": summary, "Balance": balance, "Subgroups": subgroups,
            "Dropped schools": dropped}


def analysis_export(analysis, fmt: str, *, by):
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    event = audit.record("impact.analysis.exported", actor=by, obj=analysis, format=fmt)
    sheets = analysis_sheets(analysis, scope=f"export-{event.pk}")
    return _write(sheets, fmt, f"analysis-{analysis.pk}")


def fidelity_export(year: int, fmt: str, *, by):
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    audit.record("impact.fidelity.exported", actor=by, format=fmt, start_year=year)
    rows = [["Partnership", "School year", "Member schools", "Indicator", "Count",
             "Expected", "Status"]]
    partnerships = Partnership.objects.order_by("name")
    for f in fidelity_many([(partnership, year) for partnership in partnerships]):
        rows += [[f["partnership"].name, f["year_label"], f["schools"], i.label, i.value,
                  i.expected, i.status] for i in f["indicators"]]
    return _write({"Fidelity": rows}, fmt, f"fidelity-{year}")


def wave_export(wave, fmt: str, *, by):
    """A wave's results as shown on the page: small groups already hidden, no comments."""
    from . import surveys

    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    audit.record("impact.wave.exported", actor=by, obj=wave, format=fmt)
    sheets = {}
    for grouping in ("partnership", "phase", "role_group"):
        table = surveys.results(wave, grouping)
        rows = [[table["grouping"], "Respondents", *[f"{lv} (% agreeing)"
                                                     for lv in table["levels"]]]]
        for r in [*table["rows"], {**table["total"], "group": "All respondents"}]:
            rows.append([r["group"], r["n"] if r["shown"] else "hidden",
                         *[v if r["shown"] else "hidden" for v in r["levels"]]])
        sheets[f"By {table['grouping'].lower()}"] = rows
    return _write(sheets, fmt, f"survey-wave-{wave.pk}")
