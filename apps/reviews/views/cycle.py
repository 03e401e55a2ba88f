"""Review cycles: the reviews index, starting a cycle, its page, timeline, settings, term
dates, and adding a school's review to it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import (
    associate_partnership_ids,
    is_core_team,
    leader_school_ids,
    led_partnership_ids,
    school_ids_for,
)
from apps.core.converters import parse_id
from apps.core.paging import page_of
from apps.partnerships.selectors import reviewing_partnerships

from .. import schedule, services
from ..access import get_cycle_for_user
from ..forms import AddReviewForm, CycleForm, CycleSettingsForm, TermForm
from ..models import LIVE_PLACES, STEPS, PartnerAgreement, TeamMember, TermDate
from ..selectors import visible_cycles, visible_reviews
from ._common import _errors_to_form

CYCLES_PAGE_SIZE = 50  # cycles a page of the reviews index shows


@require_GET
def index(request):
    user = request.user
    mine = (visible_reviews(user).filter(team__user=user,
                                         team__status__in=LIVE_PLACES)
            .select_related("host", "cycle").distinct())
    invitations = TeamMember.objects.filter(user=user, status=TeamMember.State.INVITED) \
        .select_related("review__host", "review__cycle")
    hosting = visible_reviews(user).filter(host_id__in=school_ids_for(user)) \
        .select_related("host", "cycle")
    # Every cycle of every partnership, for the core team: a page at a time, newest first.
    cycles = page_of(request, visible_cycles(user).select_related("partnership")
                     .order_by("-start_year", "partnership__name", "pk"), CYCLES_PAGE_SIZE)
    can_create = _creatable(user).exists()
    # School sections (its reviews, the person's actions and workshops) only for people at a
    # school; the programme and partnership roles see the cycles they work across first.
    has_school = bool(school_ids_for(user))
    if is_core_team(user):
        cycles_heading = gettext("All partnership cycles")
    elif associate_partnership_ids(user) and not led_partnership_ids(user):
        cycles_heading = gettext("Cycles you support")
    else:
        cycles_heading = gettext("Partnership cycles")
    return render(request, "reviews/index.html", {
        "cycles": cycles, "mine": mine, "invitations": invitations, "hosting": hosting,
        "can_create": can_create, "has_school": has_school,
        "leads_school": bool(leader_school_ids(user)), "cycles_heading": cycles_heading})


def _creatable(user):
    """Partnerships this person may start a cycle for (as ``reviews.start_cycle``): the
    core team any that runs its reviews here, a lead their own that does."""
    partnerships = reviewing_partnerships()
    if is_core_team(user):
        return partnerships
    return partnerships.filter(pk__in=led_partnership_ids(user))


def cycle_create(request):
    partnerships = _creatable(request.user)
    if not partnerships.exists():
        raise PermissionDenied
    form = CycleForm(request.POST or None, partnerships=partnerships,
                     initial={"partnership": partnerships.filter(
                         slug=request.GET.get("partnership")).first()})
    if request.method == "POST" and form.is_valid():
        if not request.user.has_perm("reviews.start_cycle", form.cleaned_data["partnership"]):
            raise PermissionDenied
        try:
            cycle = services.create_cycle(form.cleaned_data["partnership"],
                                          form.cleaned_data["start_year"], by=request.user)
        except ValidationError as e:
            _errors_to_form(form, e, "start_year")
        else:
            messages.success(request, f"Cycle {cycle.label} started. Add each school's review.")
            return redirect("reviews:cycle", pk=cycle.pk)
    return render(request, "reviews/form_page.html", {
        "form": form, "heading": "Start a review cycle", "button": "Start the cycle",
        "back": reverse("reviews:index"), "back_label": "Reviews"})


@require_GET
def cycle_detail(request, pk):
    cycle = get_cycle_for_user(request.user, pk)
    can_manage = request.user.has_perm("reviews.manage_cycle", cycle)
    reviews = list(cycle.reviews.select_related("host").order_by("host__name"))
    return render(request, "reviews/cycle.html", {
        "cycle": cycle, "reviews": reviews, "can_manage": can_manage, "steps": STEPS,
        "labels": [label for _, label in STEPS],  # each cell's column, on a narrow screen
        "warnings": schedule.warnings_for(cycle) if can_manage else [],
        "without": schedule.schools_without_review(cycle),
        "cycle_ended": schedule.is_past(cycle),
        "terms": cycle.partnership.term_dates.all(),
        "agreements": cycle.agreements.filter(partner__in=cycle.partner_partnerships.all())
        .select_related("partner", "answered_by") if can_manage and cycle.cross_partnership
        else []})


@require_GET
def timeline(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    return render(request, "reviews/timeline.html", {
        "cycle": cycle, "rows": schedule.timeline(cycle), "steps": STEPS,
        "warnings": schedule.warnings_for(cycle)})


def cycle_settings(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    form = CycleSettingsForm(request.POST or None, cycle=cycle, initial={
        "trust_conflicts": cycle.trust_conflicts, "cross_partnership": cycle.cross_partnership,
        "partner_partnerships": list(cycle.partner_partnerships.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cycle_settings(cycle, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            asked = cycle.agreements.filter(state=PartnerAgreement.State.ASKED).count()
            messages.success(request, "Cycle settings saved." + (
                " Each partner partnership's lead has been asked to agree; their people can be "
                "invited once they do." if asked else ""))
            return redirect("reviews:cycle", pk=cycle.pk)
    return render(request, "reviews/form_page.html", {
        "form": form, "heading": f"Settings for {cycle}", "button": "Save",
        "back": reverse("reviews:cycle", args=[cycle.pk]), "back_label": str(cycle),
        "intro": "Cross-partnership reviews are an agreement between partnerships: each "
                 "partner partnership you choose is asked, and its people can be invited "
                 "only once its lead agrees."})


def terms(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_term(cycle.partnership, by=request.user, **form.cleaned_data)
        messages.success(request, gettext("Term added."))
        return redirect("reviews:terms", pk=cycle.pk)
    return render(request, "reviews/terms.html", {
        "cycle": cycle, "form": form, "terms": cycle.partnership.term_dates.all()})


@require_POST
def term_remove(request, pk, term_id):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    term = TermDate.objects.filter(pk=term_id, partnership=cycle.partnership).first()
    if term is None:
        raise Http404
    services.remove_term(term, by=request.user)
    messages.success(request, gettext("Term removed."))
    return redirect("reviews:terms", pk=cycle.pk)


def add_review(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    # Schools that already have a review in this cycle are not offered again.
    schools = schedule.schools_without_review(cycle)
    form = AddReviewForm(request.POST or None, schools=schools,
                         initial={"host": schools.filter(
                             urn=parse_id(request.GET.get("school")) or 0).first()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            review = services.add_review(cycle, d["host"], by=request.user,
                                         framework_version=d["framework_version"],
                                         mode=d["mode"])
        except ValidationError as e:
            _errors_to_form(form, e, "host")
        else:
            messages.success(request, f"Review of {review.host.name} added. Set its dates.")
            return redirect("reviews:schedule", pk=review.pk)
    return render(request, "reviews/form_page.html", {
        "form": form, "heading": f"Add a review to {cycle}", "button": "Add the review",
        "back": reverse("reviews:cycle", args=[cycle.pk]), "back_label": str(cycle)})
