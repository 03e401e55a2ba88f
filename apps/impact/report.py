"""The commissioner report: an impact summary for a local authority or trust that commissions
partnerships. Fidelity, survey results (small groups hidden) and attainment where an analysis
covers its partnerships, in plain English with caveats. Counts and published results only."""

from __future__ import annotations

from django.conf import settings

from apps.core import pdf
from apps.core.jobs import JobState

from . import summaries, surveys
from .fidelity import current_start_year, fidelity_many
from .models import Analysis, Wave
from .outcomes import MEASURES


def summary(organisation) -> dict:
    partnerships = list(organisation.partnerships.order_by("name"))
    ids = {p.pk for p in partnerships}
    year = current_start_year()
    both = iter(fidelity_many([(p, y) for p in partnerships for y in (year - 1, year)]))
    rows = [{"partnership": p, "years": [next(both), next(both)]} for p in partnerships]
    waves = []
    found = list(Wave.objects.filter(partnerships__in=ids).distinct().select_related("survey"))
    names = {p.name for p in partnerships}
    for wave, table in zip(found, surveys.results_many(found, "partnership"), strict=True):
        waves.append({"wave": wave, "levels": table["levels"], "threshold": table["threshold"],
                      "rows": [r for r in table["rows"] if r["group"] in names]})
    analyses = []
    for analysis in Analysis.objects.filter(partnerships__in=ids,
                                            status=JobState.DONE).distinct():
        r = analysis.result
        label = MEASURES.get(analysis.spec.get("outcome"), analysis.spec.get("outcome", ""))
        analyses.append({"analysis": analysis, "result": r,
                         "headline": summaries.headline(r, label)})
    return {"organisation": organisation, "partnerships": rows, "waves": waves,
            "analyses": analyses, "year": year, "platform_name": settings.PLATFORM_NAME}


def render_pdf(organisation) -> bytes:
    return pdf.render_pdf("impact/commissioner_report_pdf.html", summary(organisation))
