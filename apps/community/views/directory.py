"""The community directory and each school's or partnership's own entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.forms import add_service_errors
from apps.core.paging import page_of

from .. import selectors, services
from ..access import (
    get_listed_profile,
    get_partnership_to_edit,
    get_school_to_edit,
    require_taking_part,
)
from ..forms import DirectoryFilterForm, ProfileForm
from ..models import Profile

PAGE_SIZE = 20


@require_GET
def directory(request):
    require_taking_part(request.user)
    phases, regions = selectors.filter_choices()
    form = DirectoryFilterForm(request.GET, phases=phases, regions=regions)
    profiles = Profile.objects.none()
    if form.is_valid():
        d = form.cleaned_data
        profiles = selectors.find_profiles(q=d["q"], kind=d["kind"], phase=d["phase"],
                                           region=d["region"])
    paging = page_of(request, profiles, PAGE_SIZE)
    context = {"form": form, **paging, "entries": selectors.entries(paging["page"].object_list),
               "editable": selectors.editable_profiles(request.user)}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "community/_directory_results.html", context)
    return render(request, "community/directory.html", context)


@require_GET
def entry(request, pk):
    profile = get_listed_profile(request.user, pk)
    return render(request, "community/entry.html", {"entry": selectors.entries([profile])[0]})


def _profile_page(request, *, school=None, partnership=None):
    owner = school or partnership
    profile = Profile.objects.filter(school=school, partnership=partnership).first() \
        if owner else None
    initial = {f: getattr(profile, f) for f in (*services.PROFILE_TEXTS,
                                                *services.PROFILE_FLAGS)} if profile else {}
    initial["lock_version"] = profile.lock_version if profile else 0
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial,
                       is_school=school is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_profile(
                school=school, partnership=partnership, by=request.user,
                expected_version=form.cleaned_data["lock_version"],
                base=form.cleaned_data["base"], **form.values())
        except services.EditConflict as e:
            form.add_error(None, _("Someone else changed this entry while you were editing, so "
                                   "your changes were not saved. Your version is in the boxes "
                                   "and theirs is shown above them: combine them and save "
                                   "again"))
            form.show_conflict(e.current)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if saved.listed:
                messages.success(request, _("%(name)s is listed in the community directory "
                                            "with the parts you ticked.") % {"name": owner.name})
            else:
                messages.success(request, _("Saved. %(name)s is not listed in the community "
                                            "directory.") % {"name": owner.name})
            return redirect(request.path)
    preview = selectors.entries([profile])[0] if profile and profile.listed else None
    return render(request, "community/profile_form.html", {
        "form": form, "owner": owner, "profile": profile, "preview": preview,
        "is_school": school is not None})


@require_http_methods(["GET", "POST"])
def school_profile(request, pk):
    return _profile_page(request, school=get_school_to_edit(request.user, pk))


@require_http_methods(["GET", "POST"])
def partnership_profile(request, slug):
    return _profile_page(request, partnership=get_partnership_to_edit(request.user, slug))
