"""School-to-school support over the API: offers, requests for support, and the matches the
partnership lead brokers between schools, from proposal to the record of the support given.

Exactly the permissions of the pages (``rules.py`` through ``access.py``): 404 for
an offer, request or match outside the caller's reach, 403 for an insider without the right.
Writes go through ``services``, which keep the rules (and write the audit log and tell the
people concerned) whoever calls them; their messages come back as a 400. The action a request
is about is named only to those who may see the school's plan, as on the pages.
"""


from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from apps.accounts.roles import led_partnership_ids
from apps.core.api import Mapped, SafePagination
from apps.core.converters import MAX_ID
from apps.frameworks.areas import Area
from apps.partnerships.selectors import partnership_ids_for
from apps.schools.models import School
from apps.support.rules import leads_request_school

from . import services
from .access import (
    get_action_to_request,
    get_match_for_user,
    get_offer_for_user,
    get_request_for_user,
    led_school_ids,
    offer_places,
)
from .models import SupportMatch, SupportOffer, SupportRequest

router = Router(tags=["support"])

MAX_HOURS = 1000  # as the pages' forms


# Schemas --------------------------------------------------------------------------------------

class SupportErrorOut(Schema):
    detail: str
    errors: list[str] = []
    fields: dict[str, list[str]] = Field(
        {}, description="The same messages by the field of the request body they are about")


class SchoolRefOut(Schema):
    urn: int
    name: str


class OfferOut(Schema):
    id: int
    school: SchoolRefOut
    partnership: str
    partnership_name: str
    area: str
    area_label: str
    title: str
    details: str
    people: str | None = Field(description="Who would help: for the offering school and the "
                                           "partnership lead only (as on the pages)")
    hours: int
    created_at: datetime
    withdrawn_at: datetime | None
    can_withdraw: bool


class OfferIn(Schema):
    school_urn: int | None = Field(None, description="The school the offer is from: one you "
                                                     "lead (empty if you lead only one)")
    partnership: str | None = Field(None, max_length=200,
                                    description="The partnership's slug (empty if the school "
                                                "is in only one)")
    area: Area | None = None
    title: str = Field("", max_length=200)
    details: str = Field("", max_length=5000)
    people: str = Field("", max_length=5000, description="Who would help")
    hours: int | None = Field(None, le=MAX_HOURS, description="Time available, in hours")


class ActionRefOut(Schema):
    id: int
    title: str


class RequestOut(Schema):
    id: int
    school: SchoolRefOut
    partnership: str
    partnership_name: str
    area: str = Field(description="The area of the action the support is for")
    area_label: str
    action: ActionRefOut | None = Field(
        description="The action itself: only for those who may see the school's plan")
    need: str
    hours_wanted: int | None
    status: str
    status_label: str
    closed_reason: str
    created_at: datetime
    created_by: str | None


class MatchSummaryOut(Schema):
    id: int
    provider_school: SchoolRefOut
    brokered_at: datetime
    status: str
    status_label: str


class RequestDetailOut(RequestOut):
    matches: list[MatchSummaryOut] = Field(description="The matches the caller may see")
    can_close: bool
    can_broker: bool


class RequestIn(Schema):
    action_id: int = Field(..., description="One of your school's open actions")
    need: str = Field("", max_length=10000,
                      description="The support you would like: the partnership lead and the "
                                  "school that helps read this")
    hours_wanted: int | None = Field(None, le=MAX_HOURS)


class BrokerIn(Schema):
    provider_school_urn: int | None = Field(None, description="Another school of the "
                                                              "request's partnership")
    offer_id: int | None = Field(None, description="One of that school's open offers "
                                                   "(optional)")


class MatchOfferOut(Schema):
    id: int
    title: str
    hours: int
    people: str
    details: str


class MatchOut(Schema):
    id: int
    request_id: int | None = Field(description="Empty for those who no longer see the request "
                                               "(a school whose match was cancelled)")
    partnership: str
    partnership_name: str
    host_school: SchoolRefOut
    provider_school: SchoolRefOut
    area: str
    area_label: str
    action: ActionRefOut | None = Field(
        description="Only for those who may see the host school's plan")
    need: str
    hours_wanted: int | None
    offer: MatchOfferOut | None
    status: str
    status_label: str
    brokered_at: datetime
    brokered_by: str | None
    host_confirmed_at: datetime | None
    host_confirmed_by: str | None
    provider_confirmed_at: datetime | None
    provider_confirmed_by: str | None
    cancelled_reason: str
    delivered_from: date | None
    delivered_to: date | None
    hours_given: int | None
    people: str
    outcome: str
    recorded_at: datetime | None
    recorded_by: str | None
    can_confirm_host: bool
    can_confirm_provider: bool
    can_record: bool
    can_cancel: bool


class ConfirmIn(Schema):
    side: Literal["host", "provider"] = Field(
        ..., description="Confirm for the school asking (host) or the one helping (provider)")


class DeliveryIn(Schema):
    delivered_from: date | None = Field(None, description="First day (not in the future)")
    delivered_to: date | None = Field(None, description="Last day: on or after the first, "
                                                        "not in the future")
    hours_given: int | None = Field(None, le=MAX_HOURS)
    people: str = Field("", max_length=5000, description="Who gave the support")
    outcome: str = Field("", max_length=10000, description="What difference it made")


class ReasonIn(Schema):
    reason: str = Field("", max_length=5000)


# Helpers --------------------------------------------------------------------------------------

def _text(value: str | None) -> str:
    """Text as the database can take it (no NUL characters)."""
    return (value or "").replace("\x00", "")


def _invalid(error: ValidationError, names: dict[str, str] | None = None) -> Answer:
    """The service's messages as a 400; its field names as the request body's."""
    names = names or {}
    fields = ({names.get(k, k): v for k, v in error.message_dict.items()}
              if hasattr(error, "error_dict") else {})
    return Answer(400, {"detail": " ".join(error.messages), "errors": error.messages,
                        "fields": fields})


def _person(user) -> str | None:
    return user.display_name if user else None


def _school(school) -> dict:
    return {"urn": school.urn, "name": school.name}


def _offer(offer, school_ids: set[int], led: set[int]) -> dict:
    return {"id": offer.pk, "school": _school(offer.school),
            "partnership": offer.partnership.slug, "partnership_name": offer.partnership.name,
            "area": offer.area, "area_label": str(offer.get_area_display()), "title": offer.title,
            "details": offer.details,
            "people": offer.people if offer.school_id in school_ids
            or offer.partnership_id in led else None,
            "hours": offer.hours, "created_at": offer.created_at,
            "withdrawn_at": offer.withdrawn_at, "can_withdraw": offer.school_id in school_ids}


def _action_ref(user, action) -> dict | None:
    """The action, for those who may see the plan (the pages' ``can_see_action``)."""
    if not user.has_perm("improvement.view_plan", action.review):
        return None
    return {"id": action.pk, "title": action.title}


def _request(user, r) -> dict:
    return {"id": r.pk, "school": _school(r.school), "partnership": r.partnership.slug,
            "partnership_name": r.partnership.name, "area": r.action.area,
            "area_label": str(r.action.get_area_display()), "action": _action_ref(user, r.action),
            "need": r.need, "hours_wanted": r.hours_wanted, "status": r.status,
            "status_label": str(r.get_status_display()), "closed_reason": r.closed_reason,
            "created_at": r.created_at, "created_by": _person(r.created_by)}


def _request_detail(user, r) -> dict:
    open_ = r.status == SupportRequest.State.OPEN
    matches = [m for m in r.matches.select_related("request", "provider_school")
               if user.has_perm("support.view_match", m)]
    return {**_request(user, r),
            "matches": [{"id": m.pk, "provider_school": _school(m.provider_school),
                         "brokered_at": m.brokered_at, "status": m.status,
                         "status_label": str(m.get_status_display())} for m in matches],
            "can_close": open_ and leads_request_school(user, r),
            "can_broker": open_ and user.has_perm("support.broker", r)}


def _match(user, m) -> dict:
    """The match as its page shows it, with the buttons the caller has there."""
    r = m.request
    proposed = m.status == SupportMatch.State.PROPOSED
    offer = m.offer
    return {
        "id": m.pk,
        "request_id": r.pk if user.has_perm("support.view_request", r) else None,
        "partnership": r.partnership.slug, "partnership_name": r.partnership.name,
        "host_school": _school(r.school), "provider_school": _school(m.provider_school),
        "area": r.action.area, "area_label": str(r.action.get_area_display()),
        "action": _action_ref(user, r.action), "need": r.need, "hours_wanted": r.hours_wanted,
        "offer": {"id": offer.pk, "title": offer.title, "hours": offer.hours,
                  "people": offer.people, "details": offer.details} if offer else None,
        "status": m.status, "status_label": str(m.get_status_display()),
        "brokered_at": m.brokered_at, "brokered_by": _person(m.brokered_by),
        "host_confirmed_at": m.host_confirmed_at,
        "host_confirmed_by": _person(m.host_confirmed_by),
        "provider_confirmed_at": m.provider_confirmed_at,
        "provider_confirmed_by": _person(m.provider_confirmed_by),
        "cancelled_reason": m.cancelled_reason, "delivered_from": m.delivered_from,
        "delivered_to": m.delivered_to, "hours_given": m.hours_given, "people": m.people,
        "outcome": m.outcome, "recorded_at": m.recorded_at,
        "recorded_by": _person(m.recorded_by),
        **{f"can_confirm_{side}": proposed and not getattr(m, f"{side}_confirmed_at")
           and user.has_perm(f"support.confirm_as_{side}", m) for side in services.SIDES},
        "can_record": m.status == SupportMatch.State.CONFIRMED
        and user.has_perm("support.record_delivery", m),
        "can_cancel": m.status in SupportMatch.LIVE and services.may_cancel(user, m)}


def _fresh_match(user, match_id: int) -> dict:
    return _match(user, get_match_for_user(user, match_id))


# Offers ---------------------------------------------------------------------------------------

@router.get("/offers", response=list[OfferOut],
            summary="Open offers the caller sees on the support page: their schools' own, "
                    "those of the partnerships they lead and those of their partnerships")
@paginate(SafePagination, page_size=50)
def list_offers(request):
    user = request.user
    school_ids, led = led_school_ids(user), led_partnership_ids(user)
    offers = (SupportOffer.objects.filter(withdrawn_at__isnull=True)
              .filter(Q(school_id__in=school_ids) | Q(partnership_id__in=led)
                      | Q(partnership_id__in=partnership_ids_for(user)))
              .select_related("school", "partnership")
              .order_by("partnership__name", "area", "school__name", "pk"))
    return Mapped(offers, lambda o: _offer(o, school_ids, led))


@router.post("/offers", response={201: OfferOut, 400: SupportErrorOut},
             summary="Offer support from a school you lead, within one of its partnerships")
def create_offer(request, payload: OfferIn):
    user = request.user
    places = offer_places(user)
    if not places:
        raise PermissionDenied
    partnership = _text(payload.partnership).strip() or None
    where = [(s, p) for s, p in places
             if payload.school_urn in (None, s.urn) and partnership in (None, p.slug)]
    area = payload.area.value if payload.area else ""
    try:
        if len(where) != 1:
            # As the page's form: the place and what is missing in the offer, all at once.
            raise ValidationError({"school_urn": "Choose the school the offer is from",
                                   **services.offer_problems(area=area, title=payload.title,
                                                            people=payload.people,
                                                            hours=payload.hours)})
        school, in_partnership = where[0]
        offer = services.offer_support(school, in_partnership, by=user, area=area,
                                       title=_text(payload.title), people=_text(payload.people),
                                       hours=payload.hours, details=_text(payload.details))
    except ValidationError as e:
        return _invalid(e)
    return Answer(201, _offer(offer, led_school_ids(user), led_partnership_ids(user)))


@router.post("/offers/{offer_id}/withdraw", response={200: OfferOut, 400: SupportErrorOut},
             summary="Withdraw an offer of a school you lead")
def withdraw_offer(request, offer_id: int):
    user = request.user
    offer = get_offer_for_user(user, offer_id, "support.manage_offer")
    try:
        services.withdraw_offer(offer, by=user)
    except ValidationError as e:
        return _invalid(e)
    offer.refresh_from_db()
    return _offer(offer, led_school_ids(user), led_partnership_ids(user))


# Requests -------------------------------------------------------------------------------------

@router.get("/requests", response=list[RequestOut],
            summary="Requests for support the caller may see: their schools' own, those of "
                    "the partnerships they lead and those their schools are matched to help")
@paginate(SafePagination, page_size=50)
def list_requests(request,
                  status: Literal[tuple(SupportRequest.State.values)] | None = None):  # type: ignore[valid-type]
    user = request.user
    school_ids = led_school_ids(user)
    helping = (SupportMatch.objects.filter(provider_school_id__in=school_ids)
               .exclude(status=SupportMatch.State.CANCELLED).values("request_id"))
    requests = (SupportRequest.objects.filter(
        Q(school_id__in=school_ids) | Q(partnership_id__in=led_partnership_ids(user))
        | Q(pk__in=helping))
        .select_related("school", "partnership", "action__review", "created_by")
        .order_by("-created_at", "-pk"))
    if status:
        requests = requests.filter(status=status)
    # The query is support.view_request's rule (a leader of the asking school, the lead of
    # its partnership, a leader of a school matched to help, the match not cancelled), so
    # the page is cut and counted in the database.
    return Mapped(requests, lambda r: _request(user, r))


@router.get("/requests/{request_id}", response=RequestDetailOut,
            summary="One request for support with the matches the caller may see")
def get_request(request, request_id: int):
    user = request.user
    return _request_detail(user, get_request_for_user(user, request_id))


@router.post("/requests", response={201: RequestDetailOut, 400: SupportErrorOut},
             summary="Ask the partnership for support with one of your school's open actions")
def create_request(request, payload: RequestIn):
    user = request.user
    action = get_action_to_request(user, payload.action_id)
    try:
        created = services.request_support(action, by=user, need=_text(payload.need),
                                           hours_wanted=payload.hours_wanted)
    except ValidationError as e:
        return _invalid(e)
    return Answer(201, _request_detail(user, get_request_for_user(user, created.pk)))


@router.post("/requests/{request_id}/matches", response={201: MatchOut, 400: SupportErrorOut},
             summary="Broker a match (the partnership lead): another school of the partnership "
                     "to help, optionally with one of its open offers")
def broker_request(request, request_id: int, payload: BrokerIn):
    user = request.user
    support_request = get_request_for_user(user, request_id, "support.broker")
    names = {"provider": "provider_school_urn", "offer": "offer_id"}
    urn, offer_id = payload.provider_school_urn, payload.offer_id
    provider = School.objects.filter(urn=urn).first() if urn is not None and \
        0 < urn <= MAX_ID else None
    offer = SupportOffer.objects.select_related("partnership").filter(pk=offer_id).first() \
        if offer_id is not None and 0 < offer_id <= MAX_ID else None
    try:
        if urn is not None and provider is None:
            raise ValidationError({"provider": f"No school has the URN {urn}"})
        # An offer the caller may not see does not exist for them (the page lists only
        # open offers in the request's area).
        if offer_id is not None and (offer is None or not user.has_perm("support.view_offer",
                                                                        offer)
                                     or offer.area != support_request.action.area):
            raise ValidationError({"offer": "Choose one of the open offers in the request's "
                                            "area"})
        match = services.broker(support_request, provider, by=user, offer=offer)
    except ValidationError as e:
        return _invalid(e, names)
    return Answer(201, _fresh_match(user, match.pk))


# Matches --------------------------------------------------------------------------------------

@router.get("/matches/{match_id}", response=MatchOut,
            summary="One match: the request, the schools' confirmations and the support given")
def get_match(request, match_id: int):
    return _fresh_match(request.user, match_id)


@router.post("/matches/{match_id}/confirm", response={200: MatchOut, 400: SupportErrorOut},
             summary="Confirm the match for one of its schools; once both have, the support "
                     "can go ahead")
def confirm_match(request, match_id: int, payload: ConfirmIn):
    user = request.user
    match = get_match_for_user(user, match_id, f"support.confirm_as_{payload.side}")
    try:
        services.confirm(match, by=user, side=payload.side)
    except ValidationError as e:
        return _invalid(e)
    return _fresh_match(user, match.pk)


@router.post("/matches/{match_id}/delivery", response={200: MatchOut, 400: SupportErrorOut},
             summary="Record the support given, once both schools have confirmed")
def record_delivery(request, match_id: int, payload: DeliveryIn):
    user = request.user
    match = get_match_for_user(user, match_id, "support.record_delivery")
    try:
        services.record_delivery(match, by=user, delivered_from=payload.delivered_from,
                                 delivered_to=payload.delivered_to,
                                 hours_given=payload.hours_given,
                                 people=_text(payload.people), outcome=_text(payload.outcome))
    except ValidationError as e:
        return _invalid(e)
    return _fresh_match(user, match.pk)


@router.post("/matches/{match_id}/cancel", response={200: MatchOut, 400: SupportErrorOut},
             summary="Cancel a match before the support is given; the request is open again")
def cancel_match(request, match_id: int, payload: ReasonIn):
    user = request.user
    match = get_match_for_user(user, match_id, "support.cancel_match")
    try:
        services.cancel_match(match, by=user, reason=_text(payload.reason))
    except ValidationError as e:
        return _invalid(e)
    return _fresh_match(user, match.pk)
