
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from apps.core.paging import page_of

from . import services
from .forms import ImportForm
from .models import ImportJob

JOBS_PAGE_SIZE = 10  # imports a page of the import page shows


def import_register(request):
    if not request.user.has_perm("schools.import_register"):
        raise PermissionDenied
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            job = services.create_import_job(upload=form.cleaned_data["file"],
                                             actor=request.user)
            return redirect("schools:import_status", job_id=job.pk)
    else:
        form = ImportForm()
    jobs = (ImportJob.objects.defer("content").select_related("created_by")
            .order_by("-created_at", "-pk"))
    return render(request, "schools/import.html",
                  {"form": form, **page_of(request, jobs, JOBS_PAGE_SIZE)})


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
