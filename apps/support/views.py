"""Pages of school-to-school support. Each view finds its object through ``access.py`` (404
for outsiders, 403 without the right), validates with a form, and writes through
``services``. Every page works without JavaScript: each button is a form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import led_partnership_ids
from apps.core.access import require_write
from apps.core.forms import add_service_errors
from apps.improvement.models import Action
from apps.partnerships.models import Partnership
from apps.schools.models import School

from . import matching, services
from .access import (
    get_action_to_request,
    get_match_for_user,
    get_offer_for_user,
    get_request_for_user,
    led_school_ids,
    live_offers,
    offer_places,
)
from .forms import BrokerForm, DeliveryForm, OfferForm, ReasonForm, RequestForm
from .models import SupportMatch, SupportRequest

OPEN_ACTIONS = [Action.State.NOT_STARTED, Action.State.IN_PROGRESS]


def _errors_to_form(form, error: ValidationError) -> None:
    add_service_errors(form, error)


def _matches():
    return SupportMatch.objects.select_related("request__school", "request__action",
                                               "provider_school")


# The matches a request's status follows: the live one, or the one whose support was given.
FOLLOWED = (*SupportMatch.LIVE, SupportMatch.State.DELIVERED)


def _live_match_status() -> Subquery:
    """The status of a request's match (proposed, confirmed or delivered), so a request
    matched only by a proposal is not shown as settled."""
    return Subquery(SupportMatch.objects.filter(request=OuterRef("pk"), status__in=FOLLOWED)
                    .order_by("-brokered_at").values("status")[:1])


def match_tag(match: SupportMatch, my_school_ids: set[int]) -> str:
    """The match's status as this person needs it: while proposed, who still has to confirm
    ("Waiting for you to confirm" when one of their schools has not)."""
    if match.status != SupportMatch.State.PROPOSED:
        return str(match.get_status_display())
    waiting = {"host": match.request.school, "provider": match.provider_school}
    waiting = {side: school for side, school in waiting.items()
               if not getattr(match, f"{side}_confirmed_at")}
    if any(school.pk in my_school_ids for school in waiting.values()):
        return gettext("Waiting for you to confirm")
    if len(waiting) == 1:
        school = next(iter(waiting.values()))
        return gettext("Waiting for %(school)s to confirm") % {"school": school.name}
    return gettext("Waiting for both schools to confirm")


def _tagged(matches, my_school_ids: set[int]) -> list[SupportMatch]:
    matches = list(matches)
    for m in matches:
        setattr(m, "tag", match_tag(m, my_school_ids))  # noqa: B010 (shown by the template)
    return matches


# The board ---------------------------------------------------------------------------------

@require_GET
def index(request):
    user = request.user
    school_ids = led_school_ids(user)
    schools = [{"school": school,
                "offers": school.support_offers.filter(withdrawn_at__isnull=True)
                .select_related("partnership"),
                "requests": school.support_requests.exclude(status=SupportRequest.State.CLOSED)
                .select_related("action").annotate(match_status=_live_match_status())}
               for school in School.objects.filter(pk__in=school_ids).order_by("name")]
    records = _tagged(_matches().filter(Q(request__school_id__in=school_ids)
                                        | Q(provider_school_id__in=school_ids)), school_ids)
    boards = []
    for partnership in Partnership.objects.filter(pk__in=led_partnership_ids(user)):
        open_requests = (partnership.support_requests.filter(status=SupportRequest.State.OPEN)
                         .select_related("school", "action", "partnership")
                         .order_by("created_at"))
        boards.append({
            "partnership": partnership,
            "requests": [(r, BrokerForm(support_request=r)) for r in open_requests],
            "offers": partnership.support_offers.filter(withdrawn_at__isnull=True)
            .select_related("school").order_by("area", "school__name"),
            "matches": _tagged(_matches().filter(request__partnership=partnership),
                               school_ids)})
    return render(request, "support/index.html", {
        "schools": schools, "records": records, "boards": boards,
        "other_offers": live_offers(user).exclude(school_id__in=school_ids)
        .exclude(partnership_id__in=led_partnership_ids(user)).order_by("area", "school__name"),
        "can_offer": bool(offer_places(user))})


# Offers ------------------------------------------------------------------------------------

def offer_new(request):
    places = offer_places(request.user)
    if not places:
        raise PermissionDenied
    form = OfferForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        school, partnership = form.place()
        d = form.cleaned_data
        try:
            services.offer_support(school, partnership, by=request.user, area=d["area"],
                                   title=d["title"], details=d["details"], people=d["people"],
                                   hours=d["hours"], share_across=d["share_across"])
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, gettext(
                "Offer recorded. The partnership lead can now match it with a school that "
                "asks for help."))
            return redirect("support:index")
    return render(request, "support/form_page.html", {
        "form": form, "heading": gettext("Offer support"),
        "button": gettext("Record the offer"),
        "intro": gettext("Tell the partnership about an area of strength your school could "
                         "share. Leaders of every school in the partnership see your offer.")})


@require_POST
def offer_withdraw(request, pk):
    offer = get_offer_for_user(request.user, pk, "support.manage_offer")
    try:
        services.withdraw_offer(offer, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, gettext("Offer withdrawn: %(title)s.") % {"title": offer.title})
    return redirect("support:index")


# Requests ----------------------------------------------------------------------------------

def request_new(request):
    """Without ``?action=``, choose one of your school's open actions; with it, ask the
    partnership for support with that action."""
    raw = request.GET.get("action") or request.POST.get("action") or ""
    if not raw:
        school_ids = led_school_ids(request.user)
        if not school_ids:
            raise PermissionDenied
        actions = (Action.objects.filter(review__host_id__in=school_ids, status__in=OPEN_ACTIONS)
                   .select_related("review__host", "review__cycle").order_by("due_on", "pk"))
        return render(request, "support/choose_action.html", {"actions": actions})
    if not raw.isdigit():
        raise Http404("No such action")
    action = get_action_to_request(request.user, int(raw))
    form = RequestForm(request.POST or None, initial={"need": action.support_wanted})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.request_support(action, by=request.user, need=d["need"],
                                                hours_wanted=d["hours_wanted"])
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, gettext(
                "Request sent to the partnership lead, who will look for a school to help."))
            return redirect("support:request_detail", pk=created.pk)
    return render(request, "support/request_form.html", {
        "form": form, "action": action,
        "earlier": action.support_requests.order_by("-created_at")})


def request_detail(request, pk):
    user = request.user
    support_request = get_request_for_user(user, pk)
    require_write(request, "support.close_request", support_request)
    may_close = user.has_perm("support.close_request", support_request)
    form = ReasonForm(request.POST or None, label=gettext("Why is the support no longer needed?"))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.close_request(support_request, by=user,
                                       reason=form.cleaned_data["reason"])
            except ValidationError as e:
                _errors_to_form(form, e)
            else:
                messages.success(request, gettext("Request closed."))
                return redirect("support:request_detail", pk=support_request.pk)
    open_ = support_request.status == SupportRequest.State.OPEN
    matches = list(support_request.matches.select_related("provider_school"))
    support_request.match_status = next(
        (m.status for m in matches if m.status in FOLLOWED), None)
    mine = led_school_ids(user)
    # Schools that could help: for the school asking and the lead brokering, while open.
    may_suggest = open_ and (may_close or user.has_perm("support.broker", support_request))
    return render(request, "support/request_detail.html", {
        "suggestions": matching.suggest(support_request) if may_suggest else None,
        "support_request": support_request, "form": form,
        "can_close": may_close and open_,
        "can_broker": open_ and user.has_perm("support.broker", support_request),
        "can_see_action": user.has_perm("improvement.view_plan",
                                        support_request.action.review),
        "matches": _tagged([m for m in matches if user.has_perm("support.view_match", m)],
                           mine)})


def broker(request, pk):
    support_request = get_request_for_user(request.user, pk, "support.broker")
    form = BrokerForm(request.POST or None, support_request=support_request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            match = services.broker(support_request, d["provider"], by=request.user,
                                    offer=d["offer"])
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, gettext(
                "Match proposed: %(provider)s and %(school)s are asked to confirm.") % {
                "provider": match.provider_school.name, "school": support_request.school.name})
            return redirect("support:match_detail", pk=match.pk)
    return render(request, "support/broker.html", {
        "support_request": support_request, "form": form,
        "can_see_action": request.user.has_perm("improvement.view_plan",
                                                support_request.action.review)})


# Matches -----------------------------------------------------------------------------------

def match_detail(request, pk):
    user = request.user
    match = get_match_for_user(user, pk)
    live = match.status in SupportMatch.LIVE
    can_confirm = {side: match.status == SupportMatch.State.PROPOSED
                   and not getattr(match, f"{side}_confirmed_at")
                   and user.has_perm(f"support.confirm_as_{side}", match)
                   for side in services.SIDES}
    can_record = match.status == SupportMatch.State.CONFIRMED and user.has_perm(
        "support.record_delivery", match)
    can_cancel = live and services.may_cancel(user, match)
    do = request.POST.get("do") if request.method == "POST" else None
    delivery = DeliveryForm(request.POST if do == "deliver" else None)
    cancel = ReasonForm(request.POST if do == "cancel" else None,
                        label=gettext("Why is the match cancelled?"))
    if request.method == "POST":
        if do not in MATCH_WRITES:
            return HttpResponseBadRequest(gettext("Unknown action"))
        require_write(request, MATCH_WRITES[do], match)
        response = _act_on_match(request, match, do, delivery, cancel)
        if response is not None:
            return response
    # The request's status follows this match's (or a later live one's): "Match proposed"
    # while the schools have not both confirmed, never a bare "Matched".
    support_request = match.request
    support_request.match_status = match.status if match.status in FOLLOWED else (
        support_request.matches.filter(status__in=FOLLOWED).order_by("-brokered_at")
        .values_list("status", flat=True).first())
    return render(request, "support/match_detail.html", {
        "match": match, "support_request": support_request, "delivery": delivery,
        "tag": match_tag(match, led_school_ids(user)),
        "cancel": cancel, "form": delivery if do == "deliver" else cancel,
        "can_confirm_host": can_confirm["host"], "can_confirm_provider": can_confirm["provider"],
        "can_record": can_record, "can_cancel": can_cancel,
        "can_see_request": user.has_perm("support.view_request", match.request),
        "can_see_action": user.has_perm("improvement.view_plan",
                                        match.request.action.review)})


# Each button of the match page and the permission it needs.
MATCH_WRITES = {"confirm_host": "support.confirm_as_host",
                "confirm_provider": "support.confirm_as_provider",
                "deliver": "support.record_delivery", "cancel": "support.cancel_match"}


def _act_on_match(request, match, do, delivery, cancel):
    """Carry out one button of the match page: a redirect when done (or refused with a
    message), None to show the page again with the form's errors."""
    here = reverse("support:match_detail", args=[match.pk])
    if do in ("confirm_host", "confirm_provider"):
        return _confirm_match(request, match, do.removeprefix("confirm_"), here)
    if do == "deliver":
        return _record_delivery(request, match, delivery, here)
    if do == "cancel":
        return _cancel_match(request, match, cancel, here)
    return HttpResponseBadRequest(gettext("Unknown action"))


def _confirm_match(request, match, side, here):
    try:
        done = services.confirm(match, by=request.user, side=side)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, gettext("Both schools have confirmed: the support can go "
                                          "ahead.")
                         if done.status == SupportMatch.State.CONFIRMED
                         else gettext("Confirmed. The other school is asked to confirm too."))
    return redirect(here)


def _record_delivery(request, match, delivery, here):
    if not delivery.is_valid():
        return None
    try:
        services.record_delivery(match, by=request.user, **delivery.cleaned_data)
    except ValidationError as e:
        _errors_to_form(delivery, e)
        return None
    messages.success(request, gettext("The support given is recorded."))
    return redirect(here)


def _cancel_match(request, match, cancel, here):
    if not cancel.is_valid():
        return None
    try:
        services.cancel_match(match, by=request.user, reason=cancel.cleaned_data["reason"])
    except ValidationError as e:
        _errors_to_form(cancel, e)
        return None
    messages.success(request, gettext("Match cancelled. The request is open again for the "
                                      "partnership lead to match."))
    return redirect(here)
