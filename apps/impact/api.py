"""JSON API: analyses (pseudonymised for evaluators) and fidelity."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.core.api import Mapped, SafePagination
from apps.partnerships.models import Partnership

from .fidelity import current_start_year, fidelity_many, fidelity_partnerships
from .models import Analysis, Wave

router = Router(tags=["impact"])


class AnalysisSummaryOut(Schema):
    id: int
    name: str
    status: str
    spec: dict[str, Any]
    estimate: float | None


class FidelityIndicatorOut(Schema):
    key: str
    label: str
    value: int
    expected: int | None
    expectation: str
    status: str


class FidelityOut(Schema):
    partnership: str
    name: str
    start_year: int
    schools: int
    expectations_version: str
    indicators: list[FidelityIndicatorOut]


def _fidelity_out(f: dict) -> dict:
    return {"partnership": f["partnership"].slug, "name": f["partnership"].name,
            "start_year": f["start_year"], "schools": f["schools"],
            "expectations_version": f["expectations_version"],
            "indicators": [i.as_dict() for i in f["indicators"]]}


class _FidelityPage(Mapped):
    """The partnerships seen through their fidelity for ``year``, a page counted at once."""

    def __init__(self, queryset: QuerySet[Partnership], year: int) -> None:
        super().__init__(queryset, lambda p: _fidelity_out(fidelity_many([(p, year)])[0]))
        self.year = year

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            page = list(self.queryset[index])
            return [_fidelity_out(f) for f in fidelity_many([(p, self.year) for p in page])]
        return super().__getitem__(index)


def _analysis(a: Analysis) -> dict:
    return {"id": a.pk, "name": a.name, "status": a.status, "spec": a.spec,
            "estimate": (a.result or {}).get("estimate")}


@router.get("/analyses", response=list[AnalysisSummaryOut],
            summary="Analyses and their status, newest first")
@paginate(SafePagination, page_size=50)
def list_analyses(request):
    if not request.user.has_perm("impact.run_analyses"):
        raise PermissionDenied
    return Mapped(Analysis.objects.order_by("-created_at", "-pk"), _analysis)


@router.get("/analyses/{analysis_id}", summary="One analysis with its full result")
def get_analysis(request, analysis_id: int):
    from .views import shown_result

    if not request.user.has_perm("impact.run_analyses"):
        raise PermissionDenied
    analysis = Analysis.objects.filter(pk=analysis_id).first()
    if analysis is None:
        raise HttpError(404, "No such analysis")
    return {"id": analysis.pk, "name": analysis.name, "status": analysis.status,
            "spec": analysis.spec, "error": analysis.error,
            "result": shown_result(analysis, request.user)}


@router.get("/fidelity", response=list[FidelityOut],
            summary="Fidelity of the partnerships you may see, for a year")
@paginate(SafePagination, page_size=10)
def list_fidelity(request, year: int | None = None):
    if not request.user.has_perm("impact.list_fidelity"):
        raise PermissionDenied
    year = year if year and 2000 <= year <= 2100 else current_start_year()
    # Only the page's partnerships are counted, together in a fixed number of queries.
    return _FidelityPage(fidelity_partnerships(request.user), year)


@router.get("/waves/{wave_id}/results", summary="A survey wave's results, small groups hidden")
def wave_results(request, wave_id: int):
    from . import surveys

    if not request.user.has_perm("impact.view_survey_results"):
        raise PermissionDenied
    wave = Wave.objects.filter(pk=wave_id).select_related("survey").first()
    if wave is None:
        raise HttpError(404, "No such wave")
    return {"survey": wave.survey.title, "wave": wave.kind, "min_group": wave.min_group,
            "tables": [surveys.results(wave, g) for g in ("partnership", "phase", "role_group")],
            "combined": surveys.combined(wave)}
