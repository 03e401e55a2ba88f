"""JSON API: analyses (pseudonymised for evaluators) and fidelity."""

from django.core.exceptions import PermissionDenied
from ninja import Router
from ninja.errors import HttpError

from apps.partnerships.models import Partnership

from .fidelity import current_start_year, fidelity
from .models import Analysis, Wave

router = Router(tags=["impact"])


def _fidelity_out(f: dict) -> dict:
    return {"partnership": f["partnership"].slug, "name": f["partnership"].name,
            "start_year": f["start_year"], "schools": f["schools"],
            "expectations_version": f["expectations_version"],
            "indicators": [i.as_dict() for i in f["indicators"]]}


@router.get("/analyses", summary="Analyses and their status")
def list_analyses(request):
    if not request.user.has_perm("impact.run_analyses"):
        raise PermissionDenied
    return [{"id": a.pk, "name": a.name, "status": a.status, "spec": a.spec,
             "estimate": (a.result or {}).get("estimate")}
            for a in Analysis.objects.all()[:200]]


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


@router.get("/fidelity", summary="Fidelity of the partnerships you may see, for a year")
def list_fidelity(request, year: int | None = None):
    if not request.user.has_perm("impact.list_fidelity"):
        raise PermissionDenied
    year = year if year and 2000 <= year <= 2100 else current_start_year()
    return [_fidelity_out(fidelity(p, year)) for p in Partnership.objects.order_by("name")
            if request.user.has_perm("impact.view_fidelity", p)]


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
