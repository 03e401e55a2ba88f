from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.accounts.roles import is_core_team
from apps.partnerships.models import Membership
from apps.partnerships.selectors import visible_partnerships
from apps.schools.forms import FSM_BANDS, DirectoryFilterForm
from apps.schools.models import School
from apps.schools.selectors import find_schools, register_facts

from . import public
from .presenters import home_page


@login_not_required
@require_safe
def home(request):
    """What needs me now (steps only, by role), then panels to read. Signed out: the start page,
    which says what the service is and where to begin."""
    if not request.user.is_authenticated:
        return public.start(request)
    page = home_page(request.user)
    return render(request, "home/home.html", {"needs": page.needs, "glance": page.glance})


@require_safe
def directory(request):
    base = School.objects.all()
    facts = register_facts()  # cached until the register changes
    la_choices, phases = facts["la_choices"], facts["phases"]
    # Which partnership a school is in is shown only to people who may see that partnership.
    partnerships = visible_partnerships(request.user)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "open"
    form = DirectoryFilterForm(data, la_choices=la_choices, phase_choices=phases,
                               partnership_choices=partnerships,
                               show_unpartnered=is_core_team(request.user))
    schools = base.none()
    if form.is_valid():
        d = form.cleaned_data
        schools = find_schools(q=d["q"], la_code=d["la"], phase=d["phase"],
                               fsm_band=FSM_BANDS[d["fsm"]] if d["fsm"] else None,
                               status=d["status"])
        current = Membership.objects.current().filter(school=OuterRef("pk"))
        if d["partnership"] == "none":
            schools = schools.filter(~Exists(current))
        elif d["partnership"]:
            schools = schools.filter(Exists(current.filter(partnership__slug=d["partnership"])))
    page = Paginator(schools, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "home/_results.html", context)
    return render(request, "home/directory.html", context)


@require_safe
def detail(request, urn: int):
    school = School.objects.filter(urn=urn).first()
    if school is None or not request.user.has_perm("schools.view_school", school):
        raise Http404("No such school")
    visible = visible_partnerships(request.user)
    memberships = (school.memberships.filter(partnership__in=visible)
                   .select_related("partnership").order_by("-joined_on"))
    return render(request, "home/detail.html", {"school": school, "memberships": memberships})


