from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.core import search

from . import services
from .access import get_resource_for_user, visible_resources
from .forms import LibrarySearchForm, ReplaceFileForm, ResourceForm
from .models import RESOURCE_INDEX, Resource


@login_not_required
@require_GET
def library(request):
    """Everyone may look; each person sees the items of their audiences only."""
    form = LibrarySearchForm(request.GET or None)
    items = visible_resources(request.user)
    query = ""
    if form.is_valid():
        d = form.cleaned_data
        if d["kind"]:
            items = items.filter(kind=d["kind"])
        query = d["q"].strip()
        results = RESOURCE_INDEX.search(items, query) if query else list(items)
        if d["role"]:
            results = [r for r in results if not r.for_roles or d["role"] in r.for_roles]
        if d["phase"]:
            results = [r for r in results if not r.for_phases or d["phase"] in r.for_phases]
    else:
        results = list(items)
    previous_visit = services.library_visit(request.user)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    new_count = sum(1 for r in results if previous_visit and r.changed_at > previous_visit)
    context = {"form": form, "page": page, "query": querystring.urlencode(),
               "searched": bool(query), "previous_visit": previous_visit,
               "new_count": new_count, "degraded": search.is_degraded(),
               "can_manage": request.user.has_perm("resources.manage_library")}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "resources/_results.html", context)
    return render(request, "resources/library.html", context)


@login_not_required
@require_GET
def detail(request, pk):
    resource = get_resource_for_user(request.user, pk)
    return render(request, "resources/detail.html", {
        "resource": resource, "files": resource.files.defer("content"),
        "can_manage": request.user.has_perm("resources.manage_library")})


def _file_response(resource, file):
    services.record_download(resource, file)
    # Streamed from storage in blocks, never read whole into memory.
    response = FileResponse(file.file.open("rb"), content_type=file.content_type,
                            as_attachment=True, filename=file.filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_GET
def download(request, pk, number=None):
    resource = get_resource_for_user(request.user, pk)
    if resource.kind == Resource.Kind.LINK:
        services.record_download(resource)
        return HttpResponseRedirect(resource.url)
    files = resource.files.all()
    file = files.filter(number=number).first() if number else files.order_by("-number").first()
    if file is None:
        raise Http404("No such file")
    return _file_response(resource, file)


def create(request):
    if not request.user.has_perm("resources.manage_library"):
        raise PermissionDenied
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        upload = d.pop("file", None)
        if d["kind"] == Resource.Kind.LINK:
            upload = None
        else:
            d["url"] = ""
        resource = services.create_resource(by=request.user, upload=upload, **d)
        messages.success(request, _("“%(title)s” added to the library.")
                         % {"title": resource.title})
        return redirect("resources:detail", pk=resource.pk)
    return render(request, "resources/form.html", {"form": form, "heading": _("Add to the library"),
                                                   "button": _("Add to the library")})


def edit(request, pk):
    resource = get_resource_for_user(request.user, pk, manage=True)
    initial = {"title": resource.title, "summary": resource.summary, "kind": resource.kind,
               "audience": resource.audience, "for_roles": resource.for_roles,
               "for_phases": resource.for_phases, "themes": ", ".join(resource.themes),
               "url": resource.url, "version_label": resource.version_label,
               "published_on": resource.published_on}
    form = ResourceForm(request.POST or None, initial=initial, editing=resource)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d.pop("kind", None)
        services.update_resource(resource, by=request.user, **d)
        messages.success(request, _("Saved."))
        return redirect("resources:detail", pk=resource.pk)
    return render(request, "resources/form.html", {
        "form": form, "resource": resource,
        "heading": _("Edit “%(title)s”") % {"title": resource.title},
        "button": _("Save")})


def replace(request, pk):
    resource = get_resource_for_user(request.user, pk, manage=True)
    if not resource.is_file:
        raise Http404("Links have no file")
    form = ReplaceFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = services.replace_file(resource, form.cleaned_data["file"],
                                        note=form.cleaned_data["note"], by=request.user,
                                        version_label=form.cleaned_data["version_label"])
        messages.success(request, _("Version %(n)s uploaded. Earlier versions are kept.")
                         % {"n": version.number})
        return redirect("resources:detail", pk=resource.pk)
    return render(request, "resources/form.html", {
        "form": form, "resource": resource,
        "heading": _("Replace the file of “%(title)s”") % {"title": resource.title},
        "button": _("Upload new version"), "multipart": True})
