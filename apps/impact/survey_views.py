from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.core.access import require_write

from . import charts, surveys
from .forms import SurveyForm, ThresholdForm, WaveForm, answer_form
from .models import Survey, Wave, WaveInvite


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


@require_safe
def survey_list(request):
    if not (request.user.has_perm("impact.manage_surveys")
            or request.user.has_perm("impact.view_survey_results")):
        raise PermissionDenied
    return render(request, "impact/surveys.html",
                  {"surveys": Survey.objects.prefetch_related("waves")})


def survey_new(request):
    _require(request, "impact.manage_surveys")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = surveys.create_survey(by=request.user, title=form.cleaned_data["title"],
                                       items=form.cleaned_data["items"])
        return redirect("impact:survey", pk=survey.pk)
    return render(request, "impact/survey_new.html", {"form": form})


def _survey(request, pk):
    _require(request, "impact.view_survey_results")
    survey = Survey.objects.filter(pk=pk).first()
    if survey is None:
        raise Http404("No such survey")
    return survey


def survey_detail(request, pk: int):
    survey = _survey(request, pk)
    require_write(request, "impact.manage_surveys")
    form = None
    if request.user.has_perm("impact.manage_surveys"):
        form = WaveForm(request.POST or None, survey=survey)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                wave = surveys.open_wave(survey, by=request.user, kind=d["kind"],
                                         partnerships=list(d["partnerships"]),
                                         roles=d["roles"], min_group=d["min_group"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(wave)s opened: %(n)s people asked.")
                                 % {"wave": wave.get_kind_display(),
                                    "n": wave.invites.count()})
                return redirect("impact:survey", pk=survey.pk)
    trend = surveys.trend(survey)
    return render(request, "impact/survey.html", {
        "survey": survey, "form": form, "trend": trend,
        "trend_rows": [(wave, [trend["series"][lv][i] for lv in trend["series"]])
                       for i, wave in enumerate(trend["waves"])],
        "levels_svg": charts.levels_chart(trend)})


def wave_results(request, pk: int):
    _require(request, "impact.view_survey_results")
    wave = Wave.objects.filter(pk=pk).select_related("survey").first()
    if wave is None:
        raise Http404("No such wave")
    require_write(request, "impact.manage_surveys")
    threshold_form = None
    if request.user.has_perm("impact.manage_surveys"):
        threshold_form = ThresholdForm(request.POST or None,
                                       initial={"min_group": wave.min_group})
        if request.method == "POST" and threshold_form.is_valid():
            try:
                surveys.set_min_group(wave, threshold_form.cleaned_data["min_group"],
                                      by=request.user)
            except ValidationError as exc:
                threshold_form.add_error("min_group", exc)
            else:
                messages.success(request, _("The smallest group shown has changed."))
                return redirect("impact:wave_results", pk=wave.pk)
    tables = [surveys.results(wave, g) for g in ("partnership", "phase", "role_group")]
    return render(request, "impact/wave_results.html", {
        "wave": wave, "tables": tables, "combined": surveys.combined(wave),
        "comments": surveys.comments(wave), "form": threshold_form,
        "answered": wave.responses.count(), "invited": wave.invites.count(),
        "locked": wave.responses.exists()})


@require_safe
def wave_export(request, pk: int, fmt: str):
    from .exports import wave_export as export

    _require(request, "impact.view_survey_results")
    _require(request, "impact.export")
    wave = Wave.objects.filter(pk=pk).first()
    if wave is None:
        raise Http404("No such wave")
    return export(wave, fmt, by=request.user)


@require_POST
def wave_close(request, pk: int):
    _require(request, "impact.manage_surveys")
    wave = Wave.objects.filter(pk=pk).first()
    if wave is None:
        raise Http404("No such wave")
    surveys.close_wave(wave, by=request.user)
    messages.success(request, _("The wave is closed: nobody else can answer."))
    return redirect("impact:wave_results", pk=pk)


@require_safe
def my_surveys(request):
    invites = (WaveInvite.objects.filter(user=request.user, answered=False,
                                         wave__closed_at__isnull=True)
               .select_related("wave__survey"))
    return render(request, "impact/my_surveys.html", {"invites": invites})


@login_not_required
def answer(request, token: str):
    """Answering needs only the link, so it works on any device without signing in."""
    invite = WaveInvite.objects.filter(token=token).select_related("wave__survey").first()
    if invite is None:
        raise Http404("No such survey link")
    if invite.answered or not invite.wave.is_open:
        return render(request, "impact/answer_done.html", {"already": invite.answered,
                                                           "wave": invite.wave})
    items = list(invite.wave.survey.items.all())
    form = answer_form(items, request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {item: form.cleaned_data.get(f"item_{item.pk}") for item in items}
        try:
            surveys.submit(invite, values)
        except ValidationError:
            pass
        return render(request, "impact/answer_done.html", {"already": False,
                                                           "wave": invite.wave})
    return render(request, "impact/answer.html", {"form": form, "wave": invite.wave})
