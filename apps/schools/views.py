import re

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from apps.core.policy import is_core_team
from apps.partnerships.access import visible_partnerships
from apps.partnerships.models import Membership

from . import services
from .forms import FSM_BANDS, DirectoryFilterForm, ImportForm
from .models import ImportJob, School


def school_search(text: str) -> Q:
    """Every word must match the name or town (ignoring apostrophes and full stops), or the
    whole text is a URN or a postcode (with or without its space)."""
    text = text.strip()
    compact = text.replace(" ", "").upper()
    cond = Q()
    for word in re.findall(r"[\w-]+", text.replace("'", "").replace("’", "")):
        cond &= (Q(name__icontains=word) | Q(town__icontains=word)
                 | Q(name__icontains=f"{word[:-1]}'{word[-1]}")
                 | Q(name__icontains=f"{word[:-1]}’{word[-1]}"))
    alternatives = cond
    if 5 <= len(compact) <= 8 and compact.isalnum():
        postcode = f"{compact[:-3]} {compact[-3:]}"
        alternatives |= Q(postcode__iexact=postcode) | Q(postcode__istartswith=text)
    elif text:
        alternatives |= Q(postcode__istartswith=text)
    if text.isascii() and text.isdigit() and len(text) <= 10:
        alternatives |= Q(urn=int(text))
    return alternatives


@require_safe
def directory(request):
    base = School.objects.all()
    la_choices = (base.exclude(la_code="").order_by("la_name")
                  .values_list("la_code", "la_name").distinct())
    phases = base.exclude(phase="").order_by("phase").values_list("phase", flat=True).distinct()
    # Which partnership a school is in is shown only to people who may see that partnership.
    partnerships = visible_partnerships(request.user)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "open"
    form = DirectoryFilterForm(data, la_choices=la_choices, phase_choices=phases,
                               partnership_choices=partnerships,
                               show_unpartnered=is_core_team(request.user))
    schools = _filtered(base, form.cleaned_data) if form.is_valid() else base
    page = Paginator(schools.order_by("name", "urn"), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "schools/_results.html", context)
    return render(request, "schools/directory.html", context)


def _filtered(schools, d):
    """The schools matching the directory's filters (``d``: the form's cleaned data)."""
    if d["q"]:
        schools = schools.filter(school_search(d["q"]))
    if d["la"]:
        schools = schools.filter(la_code=d["la"])
    if d["phase"]:
        schools = schools.filter(phase=d["phase"])
    if d["fsm"]:
        low, high = FSM_BANDS[d["fsm"]]
        schools = schools.filter(percentage_fsm__gte=low, percentage_fsm__lt=high)
    current = Membership.objects.current().filter(school=OuterRef("pk"))
    if d["partnership"] == "none":
        schools = schools.filter(~Exists(current))
    elif d["partnership"]:
        schools = schools.filter(Exists(current.filter(partnership__slug=d["partnership"])))
    if d["status"] == "open":
        schools = schools.open()
    elif d["status"] == "closed":
        schools = schools.exclude(pk__in=School.objects.open().values("pk"))
    return schools


@require_safe
def detail(request, urn: int):
    school = School.objects.filter(urn=urn).first()
    if school is None or not request.user.has_perm("schools.view_school", school):
        raise Http404("No such school")
    visible = visible_partnerships(request.user)
    memberships = (school.memberships.filter(partnership__in=visible)
                   .select_related("partnership").order_by("-joined_on"))
    return render(request, "schools/detail.html", {"school": school, "memberships": memberships})


def import_register(request):
    if not request.user.has_perm("schools.import_register"):
        raise PermissionDenied
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = services.create_import_job(upload_name=upload.name, data=upload.read(),
                                             actor=request.user)
            return redirect("schools:import_status", job_id=job.pk)
    else:
        form = ImportForm()
    jobs = ImportJob.objects.defer("content").select_related("created_by")[:10]
    return render(request, "schools/import.html", {"form": form, "jobs": jobs})


@require_safe
def import_status(request, job_id: int):
    if not request.user.has_perm("schools.import_register"):
        raise PermissionDenied
    job = ImportJob.objects.defer("content").filter(pk=job_id).first()
    if job is None:
        raise Http404("No such import")
    errors = job.summary.get("errors", []) if job.summary else []
    context = {"job": job, "errors": errors[:500], "more_errors": max(0, len(errors) - 500)}
    if request.headers.get("HX-Request"):
        return render(request, "schools/_import_progress.html", context)
    return render(request, "schools/import_status.html", context)
