"""Who is told what as support is offered, asked for, brokered, confirmed and given. Messages
name the schools and the area; they never carry the action's content."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.models import Role, User, current_role_lookup
from apps.notifications import services as notifications

from .models import SupportMatch, SupportOffer, SupportRequest


def school_leaders(school_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, roles__school_id=school_id,
                                    **current_role_lookup("roles__"),
                                    roles__role__in=[Role.HEADTEACHER, Role.SCHOOL_LEADER])
                .distinct())


def partnership_leads(partnership_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, roles__role=Role.PARTNERSHIP_LEAD,
                                    roles__partnership_id=partnership_id,
                                    **current_role_lookup("roles__")).distinct())


def _parties(match: SupportMatch) -> list[User]:
    request = match.request
    return (school_leaders(request.school_id) + school_leaders(match.provider_school_id)
            + partnership_leads(request.partnership_id))


def _tell(recipients, kind: str, text: str, url: str, by) -> None:
    notifications.notify(recipients, kind=f"support.{kind}", subject=text, message=text,
                         url=url, actor=by)


def offered(offer: SupportOffer, by) -> None:
    _tell(partnership_leads(offer.partnership_id), "offered",
          f"{offer.school.name} offers support with {offer.get_area_display().lower()}: "
          f"{offer.title}.", reverse("support:index"), by)


def requested(request: SupportRequest, by) -> None:
    _tell(partnership_leads(request.partnership_id), "requested",
          f"{request.school.name} asks for support with "
          f"{request.action.get_area_display().lower()}.",
          reverse("support:request_detail", args=[request.pk]), by)


def brokered(match: SupportMatch, by) -> None:
    request = match.request
    _tell(_parties(match), "brokered",
          f"The partnership lead proposes that {match.provider_school.name} supports "
          f"{request.school.name} with {request.action.get_area_display().lower()}. Both "
          "schools are asked to confirm.",
          reverse("support:match_detail", args=[match.pk]), by)


def confirmed(match: SupportMatch, school, by) -> None:
    text = f"{school.name} has confirmed the support match."
    if match.status == SupportMatch.State.CONFIRMED:
        text += " Both schools have confirmed: the support can go ahead."
    _tell(_parties(match), "confirmed", text,
          reverse("support:match_detail", args=[match.pk]), by)


def delivered(match: SupportMatch, by) -> None:
    _tell(_parties(match), "delivered",
          f"The support {match.provider_school.name} gave {match.request.school.name} has "
          "been recorded.", reverse("support:match_detail", args=[match.pk]), by)


def cancelled(match: SupportMatch, by) -> None:
    _tell(_parties(match), "cancelled",
          f"The match of {match.provider_school.name} with {match.request.school.name} is "
          f"cancelled: {match.cancelled_reason}",
          reverse("support:match_detail", args=[match.pk]), by)
