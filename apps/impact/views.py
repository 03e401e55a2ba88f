from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from apps.accounts.roles import is_evaluator
from apps.core import audit
from apps.core.downloads import private_download
from apps.core.paging import page_of
from apps.partnerships.models import Organisation, Partnership

from . import charts, exports, services, summaries
from .analysis import create_analysis, pseudonym
from .estimate import in_words
from .fidelity import current_start_year, fidelity_many, fidelity_partnerships, years_for
from .forms import AnalysisForm, OutcomeUploadForm
from .models import Analysis, Outcome, OutcomeImport
from .outcomes import MEASURES

FIDELITY_PAGE_SIZE = 10  # partnerships a page of the fidelity list shows
JOBS_PAGE_SIZE = 10  # outcome imports a page of the import page shows
ANALYSES_PAGE_SIZE = 50  # analyses a page of the list shows


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


@require_safe
def index(request):
    user = request.user
    if not (user.has_perm("impact.run_analyses") or user.has_perm("impact.list_fidelity")
            or user.has_perm("impact.import_outcomes")):
        raise PermissionDenied
    context = {"outcome_years": sorted(set(Outcome.objects.values_list("year", flat=True))),
               "organisations": Organisation.objects.filter(partnerships__isnull=False)
               .distinct() if user.has_perm("impact.view_commissioner_report") else []}
    return render(request, "impact/index.html", context)


# Outcomes import ----------------------------------------------------------------------------

def outcomes_import(request):
    _require(request, "impact.import_outcomes")
    if request.method == "POST":
        form = OutcomeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            job = services.create_outcome_import(uploads=uploads, actor=request.user)
            return redirect("impact:outcomes_import_status", pk=job.pk)
    else:
        form = OutcomeUploadForm()
    jobs = (OutcomeImport.objects.defer("content").select_related("created_by")
            .order_by("-created_at", "-pk"))
    return render(request, "impact/outcomes_import.html",
                  {"form": form, **page_of(request, jobs, JOBS_PAGE_SIZE)})


@require_safe
def outcomes_import_status(request, pk: int):
    _require(request, "impact.import_outcomes")
    job = OutcomeImport.objects.defer("content").filter(pk=pk).first()
    if job is None:
        raise Http404("No such import")
    errors = job.summary.get("errors", []) if job.summary else []
    context = {"job": job, "errors": errors[:500], "more_errors": max(0, len(errors) - 500)}
    if request.headers.get("HX-Request"):
        return render(request, "impact/_import_progress.html", context)
    return render(request, "impact/outcomes_import_status.html", context)


# Analyses -----------------------------------------------------------------------------------

@require_safe
def analyses(request):
    _require(request, "impact.run_analyses")
    items = Analysis.objects.select_related("created_by").order_by("-created_at", "-pk")
    paged = page_of(request, items, ANALYSES_PAGE_SIZE)
    for item in paged["page"].object_list:
        item.outcome_label = MEASURES.get((item.spec or {}).get("outcome"), "Not known")
    return render(request, "impact/analyses.html",
                  {**paged, "analyses": paged["page"].object_list})


def analysis_new(request):
    _require(request, "impact.run_analyses")
    form = AnalysisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        analysis = create_analysis(by=request.user, name=form.cleaned_data["name"],
                                   partnerships=list(form.cleaned_data["partnerships"]),
                                   spec=form.spec())
        return redirect("impact:analysis", pk=analysis.pk)
    return render(request, "impact/analysis_new.html", {"form": form})


def _get_analysis(request, pk: int) -> Analysis:
    _require(request, "impact.run_analyses")
    analysis = Analysis.objects.filter(pk=pk).select_related("created_by").first()
    if analysis is None:
        raise Http404("No such analysis")
    return analysis


def shown_result(analysis: Analysis, user) -> dict:
    """The result as this person may see it: evaluators get pseudonyms, not URNs."""
    result = dict(analysis.result or {})
    if result and is_evaluator(user):
        scope = f"analysis-{analysis.pk}"
        result["dropped"] = [{**d, "urn": pseudonym(d["urn"], scope)}
                             for d in result.get("dropped", [])]
    return result


def _reasons_in_words(result: dict) -> dict:
    if not result:
        return result
    effect = result.get("effect_size") or {}
    return {**result,
            "effect_size": {**effect, "sd_source": in_words(effect.get("sd_source", ""))},
            "dropped": [{**d, "reason": in_words(d["reason"])}
                        for d in result.get("dropped", [])],
            "comparison_dropped": {in_words(k): n for k, n in
                                   (result.get("comparison_dropped") or {}).items()}}


@require_safe
def analysis(request, pk: int):
    analysis = _get_analysis(request, pk)
    result = _reasons_in_words(shown_result(analysis, request.user))
    context: dict[str, Any] = {"analysis": analysis, "result": result,
                               "pseudonymised": is_evaluator(request.user),
                               "outcome_label": MEASURES.get(analysis.spec.get("outcome"), "")}
    if result:
        context.update(
            headline=summaries.headline(result, context["outcome_label"]),
            trend_svg=charts.trend_chart(result["trend"], context["outcome_label"]),
            trend_text=summaries.trend(result),
            love_svg=charts.love_plot(result["balance"]),
            balance_text=summaries.balance(result),
            subgroups=[{"name": name, "rows": rows, "text": summaries.forest(rows),
                        "svg": charts.forest_plot(rows, result if i == 0 else None)}
                       for i, (name, rows) in enumerate(result["subgroups"].items())])
    if request.headers.get("HX-Request"):
        if analysis.is_finished:  # show the whole result page
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "impact/_analysis_progress.html", context)
    return render(request, "impact/analysis.html", context)


@require_safe
def analysis_export(request, pk: int, fmt: str):
    analysis = _get_analysis(request, pk)
    _require(request, "impact.export")
    if not analysis.result:
        raise Http404("The analysis has no result yet")
    return exports.analysis_export(analysis, fmt, by=request.user)


# Fidelity -----------------------------------------------------------------------------------

def _fidelity_year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 \
        else current_start_year()


@require_safe
def fidelity_list(request):
    _require(request, "impact.list_fidelity")
    year = _fidelity_year(request)
    # The page's partnerships are counted together, in a fixed number of queries.
    paged = page_of(request, fidelity_partnerships(request.user), FIDELITY_PAGE_SIZE)
    rows = fidelity_many([(p, year) for p in paged["page"].object_list])
    years = list(range(current_start_year(), current_start_year() - 6, -1))
    return render(request, "impact/fidelity_list.html",
                  {**paged, "rows": rows, "year": year, "years": years,
                   "can_export": request.user.has_perm("impact.export")})


@require_safe
def fidelity_partnership(request, slug: str):
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404("No such partnership")
    if not request.user.has_perm("impact.view_fidelity", partnership):
        if request.user.has_perm("partnerships.view_partnership", partnership):
            raise PermissionDenied
        raise Http404("No such partnership")
    years = fidelity_many([(partnership, y) for y in years_for(partnership)])
    return render(request, "impact/fidelity_partnership.html",
                  {"partnership": partnership, "years": years})


@require_safe
def fidelity_export(request, fmt: str):
    _require(request, "impact.export")
    return exports.fidelity_export(_fidelity_year(request), fmt, by=request.user)


# Commissioner report ------------------------------------------------------------------------

def _organisation(request, pk: int):
    _require(request, "impact.view_commissioner_report")
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


@require_safe
def commissioner_report(request, pk: int):
    from .report import summary

    return render(request, "impact/commissioner_report.html",
                  summary(_organisation(request, pk)))


@require_safe
def commissioner_report_pdf(request, pk: int):
    from .report import render_pdf

    organisation = _organisation(request, pk)
    audit.record("impact.commissioner_report.downloaded", actor=request.user,
                 obj=organisation)
    return private_download(render_pdf(organisation), "application/pdf",
                            f"impact-summary-{organisation.pk}.pdf")
