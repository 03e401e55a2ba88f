"""Analyses stored on the platform: the treated schools come from partnership membership,
the outcomes from the imported performance tables. The estimation itself is ``estimate``."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from apps.core import audit
from apps.partnerships.models import Membership
from apps.schools.models import School

from .estimate import AnalysisError, Spec, estimate
from .models import Analysis, Outcome

__all__ = ["AnalysisError", "create_analysis", "outcomes_frame", "pseudonym",
           "run_saved_analysis", "treated_schools"]


def outcomes_frame(measures) -> pd.DataFrame:
    """The imported outcomes as a long table. A school's results under a predecessor's URN
    count for the school it became (its own results win where both exist)."""
    rows = Outcome.objects.filter(measure__in=list(measures)).values_list(
        "urn", "school__urn", "year", "measure", "value", "marker", "la_code")
    frame = pd.DataFrame(list(rows), columns=["file_urn", "school_urn", "year", "measure",
                                              "value", "marker", "la_code"])
    if frame.empty:
        return pd.DataFrame(columns=["urn", "year", "measure", "value", "marker", "la_code"])
    frame["urn"] = frame.school_urn.fillna(frame.file_urn).astype(int)
    frame["own"] = frame.urn == frame.file_urn
    frame["value"] = frame.value.astype(float)
    frame = frame.sort_values("own", ascending=False).drop_duplicates(["urn", "year",
                                                                       "measure"])
    return frame[["urn", "year", "measure", "value", "marker", "la_code"]]


def treated_schools(partnership_ids, start_year: int) -> dict[int, str]:
    """{URN: partnership slug} of schools that were members of the chosen partnerships in
    the school year starting in September ``start_year``."""
    first, last = date(start_year, 9, 1), date(start_year + 1, 8, 31)
    memberships = (Membership.objects.filter(partnership_id__in=partnership_ids,
                                             joined_on__lte=last)
                   .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
                   .order_by("joined_on").values_list("school__urn", "partnership__slug"))
    out: dict[int, str] = {}
    for urn, slug in memberships:
        out.setdefault(urn, slug)
    return out


def create_analysis(*, by, name: str, partnerships, spec: dict) -> Analysis:
    from .tasks import run_analysis

    Spec(**{k: v for k, v in spec.items() if k != "start_year"})  # refuses unknown keys
    with transaction.atomic():
        analysis = Analysis.objects.create(name=name, created_by=by, spec=spec)
        analysis.partnerships.set(partnerships)
        audit.record("impact.analysis.created", actor=by, obj=analysis, spec=spec,
                     partnerships=[p.slug for p in partnerships])
        transaction.on_commit(lambda: run_analysis.enqueue(analysis.pk))
    return analysis


def run_saved_analysis(analysis: Analysis, progress=None) -> dict:
    spec_data = dict(analysis.spec)
    start_year = spec_data.pop("start_year")
    spec = Spec(**spec_data)
    treated = treated_schools(analysis.partnerships.values_list("pk", flat=True), start_year)
    if not treated:
        raise AnalysisError("The chosen partnerships had no member schools in that year.")
    if progress:
        progress("Reading the imported outcomes", 0, 6)
    measures = {spec.outcome, *spec.matching, "PTFSM6CLA1A"} - {"outcome_pre", "outcome_trend"}
    frame = outcomes_frame(measures)
    if frame.empty:
        raise AnalysisError("No outcomes have been imported yet.")
    phases = dict(School.objects.filter(urn__in=list(treated)).values_list("urn", "phase"))
    result = estimate(frame, set(treated), spec, clusters=treated,
                      groups={"Phase": {u: p or "Not recorded" for u, p in phases.items()}},
                      progress=progress)
    result["reproducibility"]["spec"]["start_year"] = start_year
    result["reproducibility"]["partnerships"] = sorted(set(treated.values()))
    return result


def pseudonym(urn: int, scope: str) -> str:
    """A stable pseudonym for a school within one scope (an analysis, an export): the same
    school has the same pseudonym within the scope and unlinkable ones across scopes."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{urn}".encode(),
                      hashlib.sha256).hexdigest()
    return f"S-{digest[:8].upper()}"
