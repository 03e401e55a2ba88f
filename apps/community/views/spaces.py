"""The community's spaces: the list, a space's threads, following a space and starting a
thread."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.forms import add_service_errors
from apps.core.paging import page_of

from .. import selectors, services
from ..access import get_space, require_taking_part
from ..forms import SpaceForm, ThreadForm

PAGE_SIZE = 25


@require_GET
def index(request):
    require_taking_part(request.user)
    user = request.user
    return render(request, "community/index.html", {
        "spaces": selectors.spaces(),
        "followed": set(user.followed_spaces.values_list("pk", flat=True)),
        "can_create": user.has_perm("community.create_space"),
        "can_moderate": user.has_perm("community.moderate"),
        "editable": selectors.editable_profiles(user)})


@require_http_methods(["GET", "POST"])
def space_new(request):
    require_taking_part(request.user)
    if not request.user.has_perm("community.create_space"):
        raise PermissionDenied
    form = SpaceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.create_space(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The space ‘%(title)s’ is open.") % {"title": space.title})
            return redirect("community:space", slug=space.slug)
    return render(request, "community/form_page.html", {
        "form": form, "heading": _("Open a space"), "button": _("Open the space"),
        "intro": _("A space gathers threads on one theme. Everyone who takes part in the "
                   "community can read it and start threads in it.")})


@require_GET
def space_detail(request, slug):
    space = get_space(request, slug)
    threads = selectors.visible_threads(request.user, space)
    return render(request, "community/space.html", {
        "space": space, **page_of(request, threads, PAGE_SIZE),
        "following": space.followers.filter(pk=request.user.pk).exists()})


@require_POST
def space_follow(request, slug):
    space = get_space(request, slug)
    follow = request.POST.get("follow") == "yes"
    services.follow_space(space, request.user, follow)
    messages.success(request, (_("You will be told about new threads in %(title)s.")
                               if follow else _("You will no longer be told about new threads "
                                                "in %(title)s.")) % {"title": space.title})
    return redirect("community:space", slug=space.slug)


@require_http_methods(["GET", "POST"])
def thread_new(request, slug):
    space = get_space(request, slug)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(space, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your thread is posted."))
            return redirect("community:thread", pk=thread.pk)
    return render(request, "community/form_page.html", {
        "form": form, "heading": _("Start a thread in %(title)s") % {"title": space.title},
        "button": _("Post the thread"), "back": space,
        "intro": _("Everyone who takes part in the community can read it. Do not name pupils "
                   "or share anything confidential.")})
